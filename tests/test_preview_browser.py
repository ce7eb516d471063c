"""The preview in a real browser: Debian's headless Chromium, driven by Playwright.

Screenshots of each width are kept in test-artifacts/ (gitignored; CI can upload them).
A local run checks that the caveats show at the phone's width; the desktop width, overflow,
the over-limit colour and the live reload in the open tab are marked slow (CI runs them).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from briefgen.editor.preview import preview_brief
from briefgen.editor.watch import PreviewServer
from briefgen.settings import load_settings
from browser import require_chromium
from helpers import ROOT, SEEDS, TEMPLATES

require_chromium()
#: One test worker runs every browser test, so one Chromium starts.
pytestmark = pytest.mark.xdist_group("chromium")

ARTIFACTS = ROOT / "test-artifacts"
SEED = SEEDS / "baby-botox"
CAVEATS = [
    "Starting in your 20s may build a tolerance, so Botox may stop working by your 40s and 50s.",
    "Using it more often or in larger doses can make the muscles atrophy, which can change the "
    "shape of your face.",
]
SHORTS = ["may build tolerance", "more doses can atrophy muscles"]
WIDTHS = {"desktop": 1280, "mobile": 375}


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("preview")
    preview = preview_brief(SEED, load_settings(ROOT), out)
    assert preview.written is not None and preview.status == "passed"
    return preview.written


def _open(browser: Any, url: str, width: int) -> Any:
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    page.wait_for_load_state("load")
    return page


def _inside(box: dict[str, float], frame: dict[str, float]) -> bool:
    return box["x"] >= frame["x"] - 1 and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1


@pytest.mark.parametrize("view", [pytest.param("desktop", marks=pytest.mark.slow), "mobile"])
def test_caveats_are_visible_in_the_email_at_both_widths(
    browser: Any, page_file: Path, view: str
) -> None:
    page = _open(browser, page_file.as_uri(), WIDTHS[view])
    try:
        for frame_id in ("email-desktop", "email-mobile"):
            email = page.frame_locator(f"#{frame_id}")
            for caveat in CAVEATS:
                found = email.get_by_text(caveat)
                assert found.count() >= 1, f"{caveat!r} not in {frame_id}"
                for index in range(found.count()):
                    hit = found.nth(index)
                    hit.scroll_into_view_if_needed()
                    assert hit.is_visible(), f"{caveat!r} hidden in {frame_id} at {view}"
                    box = hit.bounding_box()
                    frame_box = page.locator(f"#{frame_id}").bounding_box()
                    assert box and box["width"] > 0 and box["height"] > 0
                    assert _inside(box, frame_box), f"{caveat!r} runs outside {frame_id}"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"preview-{view}.png"), full_page=True)
    finally:
        page.close()
    assert (ARTIFACTS / f"preview-{view}.png").stat().st_size > 10_000


@pytest.mark.slow
def test_nothing_overflows_horizontally_at_375(browser: Any, page_file: Path) -> None:
    page = _open(browser, page_file.as_uri(), 375)
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"the preview page is {width}px wide at 375px"
        mobile = page.locator("#email-mobile").element_handle().content_frame()
        email_width = mobile.evaluate("document.documentElement.scrollWidth")
        assert email_width <= 375, f"the email is {email_width}px wide in a 375px frame"
        for card in page.locator(".post").all():
            box = card.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375
        for short in SHORTS:
            for card in page.locator(".post").all():
                assert card.get_by_text(short, exact=False).first.is_visible()
    finally:
        page.close()


@pytest.mark.slow
def test_an_over_limit_caption_is_red(browser: Any, tmp_path: Path) -> None:
    settings = load_settings(ROOT, platform_limits={"x": 60})
    preview = preview_brief(SEED, settings, tmp_path)
    assert preview.written is not None
    page = _open(browser, preview.written.as_uri(), 1280)
    try:
        count = page.locator("#caption-x .count")
        assert count.is_visible()
        assert "over the limit" in count.inner_text()
        assert count.evaluate("e => getComputedStyle(e).color") == "rgb(185, 28, 28)"
        fine = page.locator("#caption-bluesky .count")
        assert fine.evaluate("e => getComputedStyle(e).color") != "rgb(185, 28, 28)"
    finally:
        page.close()


@pytest.mark.slow
def test_watch_reloads_the_open_tab_after_a_template_change(browser: Any, project: Path) -> None:
    shutil.copytree(SEED, project / "seeds" / "baby-botox")
    mine = project / "mytemplates"
    mine.mkdir()
    server = PreviewServer(None, load_settings(project, templates_dir=mine), port=0)
    server.start()
    page = _open(browser, server.url, 1280)
    try:
        mobile = page.frame_locator("#email-mobile")
        assert mobile.get_by_text(CAVEATS[0]).first.is_visible()
        template = (TEMPLATES / "email.mjml.j2").read_text(encoding="utf-8")
        assert "</mj-body>" in template
        saved = time.monotonic()
        (mine / "email.mjml.j2").write_text(
            template.replace(
                "</mj-body>",
                "<mj-section><mj-column><mj-text>EDITED IN THE TEMPLATE</mj-text>"
                "</mj-column></mj-section></mj-body>",
            ),
            encoding="utf-8",
        )
        edited = page.frame_locator("#email-mobile").get_by_text("EDITED IN THE TEMPLATE")
        edited.wait_for(state="visible", timeout=10_000)
        seconds = time.monotonic() - saved
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "watch-reload-seconds.txt").write_text(f"{seconds:.3f}\n")
        assert seconds < 10
    finally:
        page.close()
        server.stop()
