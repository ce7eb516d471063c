"""The seed brief renders every output, keeps every caveat and source, and is deterministic."""

from __future__ import annotations

import email
import shutil
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from pytest_regressions.file_regression import FileRegressionFixture

from briefgen.guard.htmltext import squash, visible_text
from briefgen.pipeline import render_briefs
from briefgen.settings import Settings, load_settings
from helpers import ROOT, SEEDS

PLATFORMS = ["bluesky", "facebook", "instagram", "linkedin", "mastodon", "threads", "tiktok", "x"]
FILES = sorted(
    [
        "email.mjml",
        "email.html",
        "email.txt",
        "email.eml",
        "citations.md",
        "citations.html",
        "citations.json",
        "manifest.json",
        "social.csv",
        "social.json",
    ]
    + [f"social/{p}.txt" for p in PLATFORMS]
)
CAVEATS = [
    "Starting in your 20s may build a tolerance, so Botox may stop working by your 40s and 50s.",
    "Using it more often or in larger doses can make the muscles atrophy, which can change the "
    "shape of your face.",
]
SHORTS = ["may build tolerance", "more doses can atrophy muscles"]
ARTICLES = [
    (
        "Healthline",
        "Baby Botox: Harmless beauty trend or more TikTok misinformation?",
        "https://link.healthline.com/view/5fa5a2b575edfb6fe8188314hll9q.o03q/4b83d4bd",
    ),
    (
        "MM+M",
        "#BabyBotox on TikTok: What is it and why are more young people getting it?",
        "https://www.mmm-online.com/home/channel/babybotox-on-tiktok-what-is-it-and-why-are-more-"
        "young-people-getting-it/",
    ),
]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed brief rendered once into a temporary output folder."""
    out = tmp_path_factory.mktemp("out")
    report = render_briefs([SEEDS / "baby-botox"], load_settings(ROOT), out)
    assert report.status == "passed", [str(r.error) for r in report.results] + report.findings
    return out / "baby-botox"


def _reader_text(folder: Path, name: str) -> str:
    body = (folder / name).read_text(encoding="utf-8")
    if name.endswith(".html"):
        return visible_text(body)
    if name.endswith(".md"):
        body = body.replace("\\", "")
    return squash(body)


def test_writes_exactly_the_promised_files(rendered: Path) -> None:
    written = sorted(p.relative_to(rendered).as_posix() for p in rendered.rglob("*") if p.is_file())
    assert written == FILES


@pytest.mark.parametrize("name", FILES)
def test_snapshot(rendered: Path, name: str, file_regression: FileRegressionFixture) -> None:
    path = rendered / name
    basename = name.replace("/", "_").rsplit(".", 1)[0]
    extension = "." + name.rsplit(".", 1)[1]
    if name.endswith(".eml"):
        file_regression.check(
            path.read_bytes(), binary=True, basename=basename, extension=extension
        )
    else:
        file_regression.check(
            path.read_text(encoding="utf-8"), basename=basename, extension=extension, newline=""
        )


@pytest.mark.parametrize("name", ["email.html", "email.txt", "citations.md", "citations.html"])
def test_full_outputs_keep_both_caveats_with_the_expert(rendered: Path, name: str) -> None:
    text = _reader_text(rendered, name)
    for caveat in CAVEATS:
        assert caveat in text
    assert "Jenny Yu" in text


@pytest.mark.parametrize("name", ["email.html", "email.txt", "citations.md", "citations.html"])
def test_full_outputs_cite_both_articles_fully(rendered: Path, name: str) -> None:
    text = _reader_text(rendered, name)
    for publisher, title, url in ARTICLES:
        assert publisher in text and title in text and url in text
    assert "Wojcik G." in text  # AMA: family name and initials


@pytest.mark.parametrize("platform", PLATFORMS)
def test_captions_keep_caveats_credits_and_link(rendered: Path, platform: str) -> None:
    text = (rendered / "social" / f"{platform}.txt").read_text(encoding="utf-8")
    for short in SHORTS:
        assert short.casefold() in text.casefold()
    for publisher, _, _ in ARTICLES:
        assert publisher in text
    assert ARTICLES[0][2] in text


def test_tldr_states_trend_and_caveats_first(rendered: Path) -> None:
    text = _reader_text(rendered, "email.txt")
    tldr = text[: text.index("WHAT FANS CLAIM")]
    assert "microdoses of Botox" in tldr
    for caveat in CAVEATS:
        assert caveat in tldr
    assert "Jenny Yu" in tldr


def test_html_is_responsive_and_in_the_brief_language(rendered: Path) -> None:
    html = (rendered / "email.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in html
    assert "@media only screen and (min-width:480px)" in html
    assert '<meta name="viewport"' in html


def test_eml_is_multipart_alternative_text_then_html(rendered: Path) -> None:
    message = email.message_from_bytes((rendered / "email.eml").read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    assert message.get_content_type() == "multipart/alternative"
    assert message["Subject"] == "Baby Botox: the TikTok trend, and what doctors want you to know"
    assert message["Content-Language"] == "en"
    # no email_from configured: the reserved placeholder (RFC 2606 .invalid), never no From
    assert message["From"] == "briefgen <noreply@briefgen.invalid>"
    assert message["List-Unsubscribe"] is None and not message.defects
    parts = list(message.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    text, html = (part.get_content().replace("\r\n", "\n") for part in parts)  # RFC 5322 CRLF
    assert text == (rendered / "email.txt").read_text(encoding="utf-8")
    assert html == (rendered / "email.html").read_text(encoding="utf-8")
    assert "tl;dr: baby Botox: may build tolerance; more doses can atrophy muscles" in html


def test_eml_headers_come_from_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(SEEDS / "baby-botox", tmp_path / "seeds" / "baby-botox")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.briefgen]\nemail_from = "Briefs <briefs@news.example>"\n'
        'list_unsubscribe = "<https://news.example/leave>"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("BRIEFGEN_EMAIL_TO", "editor@news.example")
    monkeypatch.chdir(tmp_path)
    assert render_briefs([], load_settings(tmp_path)).status == "passed"
    raw = (tmp_path / "outputs" / "baby-botox" / "email.eml").read_bytes()
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message["From"] == "Briefs <briefs@news.example>"
    assert message["To"] == "editor@news.example"
    assert message["List-Unsubscribe"] == "<https://news.example/leave>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Message-ID"] == "<baby-botox.2026-11-21@news.example>"


def test_render_is_byte_identical_across_runs(rendered: Path, tmp_path: Path) -> None:
    report = render_briefs([SEEDS / "baby-botox"], load_settings(ROOT), tmp_path)
    assert report.status == "passed"
    for name in FILES:
        assert (tmp_path / "baby-botox" / name).read_bytes() == (rendered / name).read_bytes()


def test_committed_outputs_match_a_fresh_render(rendered: Path) -> None:
    committed = ROOT / "outputs" / "baby-botox"
    for name in FILES:
        assert (committed / name).read_bytes() == (rendered / name).read_bytes(), (
            f"outputs/baby-botox/{name} is stale: run `briefgen render` and commit outputs/"
        )


def test_settings_unused_here_do_not_leak(settings: Settings) -> None:
    assert settings.email_from is None and settings.templates_dir is None
