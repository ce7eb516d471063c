"""The email and the preview page in Debian's headless Chromium: right-to-left Arabic, and
axe-core (the accessibility engine browsers' dev tools use) finding nothing serious.

axe-core is a test-time tool: npm installs it once into a cache folder; without npm these
tests skip, saying why.

A local run checks the seed's email with axe at one width and the Arabic email's layout at one
width; the other pages and widths, and dark mode, are marked slow (CI runs them).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from briefgen.editor.preview import preview_brief
from briefgen.pipeline import render_briefs
from briefgen.report import exit_code
from briefgen.settings import load_settings
from browser import require_chromium
from helpers import FIXTURES, ROOT, SEEDS
from npm import npm_install

require_chromium()
#: One test worker runs every browser test, so one Chromium starts.
pytestmark = pytest.mark.xdist_group("chromium")

WIDTHS = [375, 640]
AXE_VERSION = "4.10.2"
#: Where npm installs axe-core once; kept between runs (CI may cache it).
AXE_CACHE = Path(os.environ.get("BRIEFGEN_TEST_CACHE", ROOT / ".test-cache")) / "axe-core"


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe-core's browser bundle, installed with npm on first use."""
    modules = npm_install(f"axe-core@{AXE_VERSION}", AXE_CACHE, "axe-core/axe.min.js")
    return (modules / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed and the Arabic fixture, rendered."""
    out = tmp_path_factory.mktemp("out")
    briefs = [SEEDS / "baby-botox", FIXTURES / "briefs" / "arabic"]
    report = render_briefs(briefs, load_settings(ROOT), out)
    assert exit_code(report) == 0
    return out


@pytest.fixture(scope="module")
def preview_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("preview")
    preview = preview_brief(SEEDS / "baby-botox", load_settings(ROOT), out)
    assert preview.written is not None
    return preview.written


def _open(browser: Any, path: Path, width: int) -> Any:
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page


@pytest.mark.parametrize("width", [375, pytest.param(640, marks=pytest.mark.slow)])
def test_the_arabic_email_lays_out_right_to_left(browser: Any, outputs: Path, width: int) -> None:
    page = _open(browser, outputs / "raw-milk-ar" / "email.html", width)
    try:
        assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
        box = page.locator(".tldr td").first
        border = box.evaluate(
            "e => [getComputedStyle(e).borderRightWidth, getComputedStyle(e).borderLeftWidth]"
        )
        assert border == ["6px", "0px"], f"the tl;dr border is on the wrong side: {border}"
        heading = page.locator(".tldr h2")
        frame = page.locator(".tldr").bounding_box()
        start = heading.evaluate(
            "e => { const r = document.createRange(); r.selectNodeContents(e);"
            " const b = r.getBoundingClientRect(); return [b.left, b.right]; }"
        )
        # The heading's text hugs the right edge of the box, not the left.
        assert frame["x"] + frame["width"] - start[1] < start[0] - frame["x"]
        for paragraph in page.locator(".tldr li").all():
            assert paragraph.evaluate("e => getComputedStyle(e).direction") == "rtl"
    finally:
        page.close()


def _axe(page: Any, source: str) -> list[dict[str, Any]]:
    page.add_script_tag(content=source)
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def _describe(violations: list[dict[str, Any]]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {node['target']} {node.get('failureSummary', '')[:160]}"
        for v in violations
        for node in v["nodes"][:5]
    ]


@pytest.mark.parametrize(
    ("name", "width"),
    [
        pytest.param(
            name,
            width,
            id=f"{name}-{width}",
            marks=() if (name, width) == ("baby-botox/email.html", 375) else pytest.mark.slow,
        )
        for name in ["baby-botox/email.html", "raw-milk-ar/email.html", "baby-botox/citations.html"]
        for width in WIDTHS
    ],
)
def test_axe_finds_nothing_serious_in_the_outputs(
    browser: Any, axe_source: str, outputs: Path, name: str, width: int
) -> None:
    page = _open(browser, outputs / name, width)
    try:
        found = _describe(_axe(page, axe_source))
        assert not found, "\n".join(found)
    finally:
        page.close()


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_nothing_serious_on_the_preview_page(
    browser: Any, axe_source: str, preview_page: Path, width: int
) -> None:
    page = _open(browser, preview_page, width)
    try:
        found = _describe(_axe(page, axe_source))
        assert not found, "\n".join(found)
    finally:
        page.close()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["baby-botox/email.html", "raw-milk-ar/email.html"])
def test_the_email_has_readable_dark_mode_styles(
    browser: Any, axe_source: str, outputs: Path, name: str
) -> None:
    page = browser.new_page()
    try:
        page.emulate_media(color_scheme="dark")
        page.set_viewport_size({"width": 375, "height": 900})
        page.goto((outputs / name).as_uri())
        title = page.locator("h1")
        assert title.evaluate("e => getComputedStyle(e).color") == "rgb(243, 244, 246)"
        tldr = page.locator(".tldr td").first
        assert tldr.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(59, 36, 20)"
        found = _describe(_axe(page, axe_source))
        assert not found, "\n".join(found)
    finally:
        page.close()
