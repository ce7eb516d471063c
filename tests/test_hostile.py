"""Hostile input and failure: clear errors, nothing lost, nothing injected, nothing evaluated."""

from __future__ import annotations

import email
import errno
import shutil
import time
from email import policy
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from briefgen import writer
from briefgen.brief.loader import load_brief
from briefgen.errors import BriefError, ConfigError, OutputError, TemplateError
from briefgen.guard.htmltext import visible_text
from briefgen.pipeline import render_briefs
from briefgen.rendering.renderer import Renderer
from briefgen.settings import Settings, load_settings, render_options
from helpers import FIXTURES, MINIMAL, tree

MARKUP = FIXTURES / "hostile" / "markup"
LITERALS = [
    "<script>alert('title')</script>",
    '& "quotes" {{ 7*7 }}',
    "<img src=x onerror=alert(1)> summary with {{ brief.slug }} and &amp; and 'single' quotes.",
    "</mj-text></mj-column></mj-section><mj-raw><script>x()</script></mj-raw>",
    "Fans say <u>plunges</u> make them alert {{ 1+1 }}.",
    "Sudden cold can strain the heart <!-- hidden? --> in people with heart disease.",
    "Sam <Doctor>",
]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hostile")
    report = render_briefs([MARKUP], load_settings(MARKUP), out)
    assert report.status == "passed", report.findings
    return out / "markup"


def test_markup_is_escaped_in_html_and_shown_as_written(hostile: Path) -> None:
    for name in ("email.html", "citations.html"):
        markup = (hostile / name).read_text(encoding="utf-8")
        parser = _Tags()
        parser.feed(markup)
        assert not parser.tags & {"script", "img", "u", "i", "b", "mj-raw", "mj-text"}
        assert parser.handlers == []
        seen = visible_text(markup)
        for literal in LITERALS[2:] if name == "email.html" else LITERALS[5:]:
            assert literal in seen, literal
    assert "&lt;script&gt;alert" in (hostile / "email.mjml").read_text(encoding="utf-8")


def test_markup_is_unchanged_in_plain_text_and_captions(hostile: Path) -> None:
    text = " ".join((hostile / "email.txt").read_text(encoding="utf-8").split())
    for literal in LITERALS:
        assert literal in text, literal
    for caption in (hostile / "social").iterdir():
        body = caption.read_text(encoding="utf-8")
        # every caption leads with the title (no verdict), its markup shown as typed
        assert "<script>alert('title')</script> & \"quotes\" {{ 7*7 }}" in body
        assert "Example <i>Health</i> & Co" in body
        assert "can strain <the> heart" in body.casefold()


def test_markdown_escapes_every_markup_character(hostile: Path) -> None:
    body = (hostile / "citations.md").read_text(encoding="utf-8")
    assert "\\<script\\>alert('title')\\</script\\>" in body
    assert "{{ 7\\*7 }}" in body
    stripped = body.replace("<https://", "")
    assert all(stripped[i - 1] == "\\" for i, ch in enumerate(stripped) if ch == "<")


def test_subject_header_carries_the_title_literally(hostile: Path) -> None:
    message = email.message_from_bytes((hostile / "email.eml").read_bytes(), policy=policy.default)
    assert message["Subject"] == "<script>alert('title')</script> & \"quotes\" {{ 7*7 }}"


def _brief_with(tmp_path: Path, old: str, new: str) -> Path:
    target = tmp_path / "brief"
    shutil.copytree(MINIMAL, target)
    path = target / "brief.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "ftp://example.org/x",
        "mailto:a@example.org",
        "file:///etc/passwd",
        "//example.org/x",
        "https://user:secret@example.org/x",
        "https://user@example.org/x",
        "http:///nohost",
        "https://exa mple.org/x",
        "vbscript:msgbox",
    ],
)
def test_non_http_urls_and_credentials_are_refused(tmp_path: Path, url: str) -> None:
    for field, old in (("url", "url: https://example.org/cold"), ("link", "topic: cold plunges")):
        new = f'url: "{url}"' if field == "url" else f'topic: cold plunges\nlink: "{url}"'
        folder = _brief_with(tmp_path / field, old, new)
        with pytest.raises(BriefError) as caught:
            load_brief(folder)
        assert caught.value.line in (11, 4)
        assert field in caught.value.message


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        (
            'title: "Cold plunges: what the research says"',
            'title: "Cold\\r\\nBcc: x@example.org"',
            "title",
        ),
        ("name: Sam Doctor", 'name: "Sam\\nDoctor"', "people[0].name"),
        ("publisher: Example Health", 'publisher: "Example\\rHealth"', "sources[0].publisher"),
        ("short: can strain the heart", 'short: "can strain\\u0000 the heart"', "caveats[0].short"),
        ("topic: cold plunges", 'topic: "cold\\u2028plunges"', "topic"),
    ],
)
def test_control_characters_never_reach_a_header(
    tmp_path: Path, old: str, new: str, field: str
) -> None:
    with pytest.raises(BriefError, match="single line") as caught:
        load_brief(_brief_with(tmp_path, old, new))
    assert field in caught.value.message


@pytest.mark.parametrize("key", ["email_from", "email_to", "reply_to", "list_unsubscribe"])
def test_header_settings_refuse_line_breaks(tmp_path: Path, key: str) -> None:
    with pytest.raises(ConfigError, match=key):
        load_settings(tmp_path, **{key: "a@example.org\r\nBcc: all@example.org"})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("../outside.txt", "leaves the brief's folder"),
        ("/etc/passwd", "leaves the brief's folder"),
        ("sources/../../outside.txt", "leaves the brief's folder"),
        ("sources/missing.txt", "not found"),
    ],
)
def test_source_text_paths_stay_in_the_brief_folder(
    tmp_path: Path, text: str, message: str
) -> None:
    folder = _brief_with(tmp_path, "text: sources/paper.txt", f"text: {text}")
    with pytest.raises(BriefError, match=message) as caught:
        load_brief(folder)
    assert caught.value.line == 13


def test_a_symlinked_source_text_leading_out_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("private", encoding="utf-8")
    folder = _brief_with(tmp_path, "text: sources/paper.txt", "text: sources/link.txt")
    (folder / "sources" / "link.txt").symlink_to(secret)
    with pytest.raises(BriefError, match="links outside the brief's folder"):
        load_brief(folder)


def test_never_writes_through_a_symlinked_output_folder(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("mine", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "minimal").symlink_to(elsewhere, target_is_directory=True)
    report = render_briefs([MINIMAL], load_settings(tmp_path), out)
    assert report.status == "error"
    assert isinstance(report.results[0].error, OutputError)
    assert tree(elsewhere) == {"keep.txt": b"mine"}
    with pytest.raises(OutputError, match="outside the output folder"):
        writer.write_outputs(out, "x", {"../escape.txt": b"x"})
    assert not (tmp_path / "escape.txt").exists()


def _timed_error(path: Path) -> tuple[BriefError, float]:
    start = time.perf_counter()
    with pytest.raises(BriefError) as caught:
        load_brief(path)
    return caught.value, time.perf_counter() - start


def test_a_50_mb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "brief.yaml"
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    error, seconds = _timed_error(path)
    assert "52,428,800 bytes, more than the 1,048,576 briefgen reads" in error.message
    assert seconds < 1


def test_a_yaml_alias_bomb_is_refused_in_bounded_time(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    path = tmp_path / "brief.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    error, seconds = _timed_error(path)
    assert "anchors and aliases" in error.message
    assert error.line in (1, 2)
    assert seconds < 2


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "brief.yaml"
    path.write_text("slug: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    error, seconds = _timed_error(path)
    assert "YAML is nested more than 40 levels deep" in error.message
    assert seconds < 1


@pytest.mark.parametrize(
    ("source", "words", "line"),
    [
        ("{{ brief.__class__.__mro__ }}", "__class__", 2),
        ("{{ config }}", "'config' is undefined", 2),
        ("{{ os.system('id') }}", "'os' is undefined", 2),
        ("{{ lipsum.__globals__ }}", "__globals__", 2),
        ("{{ '{0.__class__}'.format(brief) }}", "__class__", 2),
        ("{{ brief.sources.append(1) }}", "append", 2),
        ("{{ 'x' * 10**9 }}", "too large", 2),
        ("{{ 10 ** 100000000 }}", "exponent", 2),
        ("{{ range(10**8)|list }}", "Range too big", 2),
    ],
)
def test_templates_cannot_leave_the_sandbox(
    tmp_path: Path, source: str, words: str, line: int
) -> None:
    (tmp_path / "email.txt.j2").write_text(f"{{{{ brief.title }}}}\n{source}\n", encoding="utf-8")
    renderer = Renderer(render_options(load_settings(tmp_path, templates_dir=tmp_path)))
    start = time.perf_counter()
    with pytest.raises(TemplateError) as caught:
        renderer.render(load_brief(MINIMAL))
    assert time.perf_counter() - start < 2
    assert caught.value.path.endswith("email.txt.j2")
    assert caught.value.line == line
    assert words in str(caught.value)


def _batch(tmp_path: Path) -> tuple[Path, Settings]:
    seeds = tmp_path / "seeds"
    for slug in ("alpha", "bravo", "charlie"):
        shutil.copytree(MINIMAL, seeds / slug)
        path = seeds / slug / "brief.yaml"
        path.write_text(
            path.read_text(encoding="utf-8").replace("slug: minimal", f"slug: {slug}"),
            encoding="utf-8",
        )
    settings = load_settings(tmp_path)
    assert render_briefs([], settings).status == "passed"
    return seeds, settings


def _no_leftovers(out: Path) -> None:
    assert sorted(p.name for p in out.iterdir()) == ["alpha", "bravo", "charlie"]


def test_one_bad_brief_in_a_batch_keeps_its_old_outputs(tmp_path: Path) -> None:
    seeds, settings = _batch(tmp_path)
    out = tmp_path / "outputs"
    before = tree(out / "bravo")
    for slug in ("alpha", "bravo", "charlie"):
        path = seeds / slug / "brief.yaml"
        path.write_text(
            path.read_text(encoding="utf-8").replace("Cold plunges:", "Ice baths:"),
            encoding="utf-8",
        )
    broken = seeds / "bravo" / "brief.yaml"
    broken.write_text(broken.read_text(encoding="utf-8") + "oops: [\n", encoding="utf-8")
    report = render_briefs([], settings)
    assert report.status == "error"
    assert [r.status for r in report.results] == ["passed", "error", "passed"]
    assert tree(out / "bravo") == before
    for slug in ("alpha", "charlie"):
        assert b"Ice baths:" in (out / slug / "email.txt").read_bytes()
    _no_leftovers(out)


def test_disk_full_midway_leaves_the_previous_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds, settings = _batch(tmp_path)
    out = tmp_path / "outputs"
    before = tree(out)
    for slug in ("alpha", "bravo", "charlie"):
        path = seeds / slug / "brief.yaml"
        path.write_text(
            path.read_text(encoding="utf-8").replace("Cold plunges:", "Ice baths:"),
            encoding="utf-8",
        )
    calls = {"n": 0}
    per_brief = len(tree(out / "alpha"))

    def filling(path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "w" in mode:
            calls["n"] += 1
            if calls["n"] == per_brief + per_brief // 2:  # midway through the second brief
                raise OSError(errno.ENOSPC, "No space left on device")
        return open(path, mode, *args, **kwargs)

    monkeypatch.setattr(writer, "open", filling, raising=False)
    report = render_briefs([], settings)
    assert [r.status for r in report.results] == ["passed", "error", "passed"]
    assert "No space left on device" in str(report.results[1].error)
    assert tree(out / "bravo") == {
        k[len("bravo/") :]: v for k, v in before.items() if k.startswith("bravo/")
    }
    assert b"Ice baths:" in (out / "charlie" / "email.txt").read_bytes()
    _no_leftovers(out)


def test_a_template_error_for_one_brief_spares_the_others(tmp_path: Path) -> None:
    seeds, _ = _batch(tmp_path)
    path = seeds / "bravo" / "brief.yaml"
    path.write_text(path.read_text(encoding="utf-8").split("stats:")[0], encoding="utf-8")
    user = tmp_path / "mine"
    user.mkdir()
    builtin = (Path(__file__).parent.parent / "templates" / "email.txt.j2").read_text("utf-8")
    (user / "email.txt.j2").write_text("{{ brief.stats[0].value }}\n" + builtin, "utf-8")
    report = render_briefs([], load_settings(tmp_path, templates_dir=user))
    assert [r.status for r in report.results] == ["passed", "error", "passed"]
    assert isinstance(report.results[1].error, TemplateError)
    assert report.results[1].error.line == 1
