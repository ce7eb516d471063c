"""`briefgen preview`: the page shows every output and the guard's verdict, and never gives up."""

from __future__ import annotations

import html
import os
import shutil
import time
from pathlib import Path

import pytest

from briefgen.editor.preview import (
    DEFAULT_DIR,
    build_preview,
    post_text,
    preview_brief,
    resolve_brief,
)
from briefgen.errors import TemplateError, UsageError
from briefgen.settings import Settings, load_settings
from helpers import SEEDS, TEMPLATES

SEED = SEEDS / "baby-botox"
PLATFORMS = ["x", "bluesky", "mastodon", "threads", "linkedin", "instagram", "tiktok", "facebook"]
CAVEAT = (
    "Starting in your 20s may build a tolerance, so Botox may stop working by your 40s and 50s."
)


def test_preview_shows_every_output_of_the_seed(project: Path, settings: Settings) -> None:
    preview = preview_brief(SEED, settings)
    assert preview.written == project / DEFAULT_DIR / "baby-botox" / "preview.html"
    page = preview.written.read_text(encoding="utf-8")
    assert preview.status == "passed" and preview.error is None and preview.findings == []
    assert 'id="email-desktop"' in page and 'id="email-mobile"' in page
    assert "width:640px" in page and "width:375px" in page
    # the email itself, escaped into srcdoc, with its caveat
    assert html.escape(CAVEAT, quote=True) in page
    for platform in PLATFORMS:
        assert f'id="caption-{platform}"' in page
    assert "269 / 280 weighted characters" in page  # the X caption, verdict first
    assert 'id="citations-frame"' in page
    assert page.count('<span class="ok">✓ passed</span>') == 5 + len(PLATFORMS)
    assert "Guard passed" in page
    assert not (project / "outputs").exists()  # a preview never touches rendered outputs


def test_over_the_limit_caption_is_marked_and_the_page_still_written(project: Path) -> None:
    settings = load_settings(project, platform_limits={"x": 60})
    preview = preview_brief(SEED, settings)
    assert preview.status == "failed"
    page = preview.written.read_text(encoding="utf-8") if preview.written else ""
    card = page.split('id="caption-x"')[0].rsplit("<article", 1)[1]
    assert 'class="post x over"' in card
    x_card = page.split('id="caption-x"')[1].split("</article>")[0]
    assert "/ 60 weighted characters: over the limit" in x_card
    assert "[fits]" in x_card
    assert "Guard failed" in page and 'data-output="social/x.txt"' in page


def test_a_broken_template_shows_in_the_page(project: Path) -> None:
    mine = project / "mytemplates"
    mine.mkdir()
    (mine / "email.txt.j2").write_text("{{ brief.title }\n", encoding="utf-8")
    settings = load_settings(project, templates_dir=mine)
    preview = preview_brief(SEED, settings)
    assert isinstance(preview.error, TemplateError)
    assert preview.status == "error"
    page = preview.html
    assert 'role="alert"' in page and "Template error" in page
    assert "mytemplates/email.txt.j2:1: template syntax" in page
    assert "could not render" in preview.summary


def test_a_broken_brief_shows_in_the_page_with_its_line(minimal_brief: Path) -> None:
    brief = minimal_brief / "brief.yaml"
    brief.write_text(
        brief.read_text(encoding="utf-8").replace("https://example.org/cold", "ftp://x"),
        encoding="utf-8",
    )
    line = next(
        n for n, text in enumerate(brief.read_text().splitlines(), start=1) if "ftp://" in text
    )
    preview = build_preview(brief, load_settings(minimal_brief.parent.parent))
    assert preview.status == "error"
    assert f"brief.yaml:{line}:" in preview.html and "http(s) URL" in preview.html


def test_a_broken_preview_template_falls_back_to_a_plain_page(project: Path) -> None:
    mine = project / "mytemplates"
    mine.mkdir()
    (mine / "preview.html.j2").write_text("{{ preview.nothing }}\n", encoding="utf-8")
    preview = build_preview(SEED / "brief.yaml", load_settings(project, templates_dir=mine))
    assert isinstance(preview.error, TemplateError)
    assert "The template preview could not be shown" in preview.html
    assert "nothing" in preview.html


def test_editors_restyle_the_preview_in_their_template_folder(project: Path) -> None:
    mine = project / "mytemplates"
    mine.mkdir()
    shutil.copy(TEMPLATES / "preview.html.j2", mine / "preview.html.j2")
    text = (mine / "preview.html.j2").read_text(encoding="utf-8")
    (mine / "preview.html.j2").write_text(
        text.replace("<h2>Social captions</h2>", "<h2>Our socials</h2>"), encoding="utf-8"
    )
    preview = build_preview(SEED / "brief.yaml", load_settings(project, templates_dir=mine))
    assert "<h2>Our socials</h2>" in preview.html and preview.error is None


def test_post_text_escapes_and_highlights() -> None:
    shown = str(post_text("<b>hi</b> #tag @who https://x.org/a?b=1&c=2"))
    assert shown == (
        '&lt;b&gt;hi&lt;/b&gt; <span class="tag">#tag</span> <span class="tag">@who</span> '
        '<span class="link">https://x.org/a?b=1&amp;c=2</span>'
    )


def test_out_folder_is_honoured(project: Path, settings: Settings) -> None:
    preview = preview_brief(SEED, settings, project / "elsewhere")
    assert preview.written == project / "elsewhere" / "baby-botox" / "preview.html"


def test_a_killed_previews_half_written_page_is_cleaned_up(
    project: Path, settings: Settings
) -> None:
    folder = project / "out" / "baby-botox"
    folder.mkdir(parents=True)
    stale, live = folder / ".preview-killed", folder / ".preview-writing"
    stale.write_text("<html", encoding="utf-8")
    live.write_text("<html", encoding="utf-8")
    hour_ago = time.time() - 3600
    os.utime(stale, (hour_ago, hour_ago))
    preview = preview_brief(SEED, settings, project / "out")
    assert preview.written == folder / "preview.html"
    assert not stale.exists(), "left by a preview killed an hour ago"
    assert live.exists(), "another preview may be writing this one now"


def test_resolve_brief_by_slug_folder_or_only_brief(project: Path, minimal_brief: Path) -> None:
    settings = load_settings(project)
    expected = minimal_brief / "brief.yaml"
    assert resolve_brief(Path("minimal"), settings) == project / "seeds" / "minimal" / "brief.yaml"
    assert resolve_brief(minimal_brief, settings) == expected
    assert resolve_brief(None, settings) == expected
    shutil.copytree(minimal_brief, project / "seeds" / "other")
    with pytest.raises(UsageError, match="2 briefs under"):
        resolve_brief(None, settings)
    with pytest.raises(UsageError, match="no brief at"):
        resolve_brief(Path("missing"), settings)
