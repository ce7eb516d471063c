"""Debian's headless Chromium for the browser tests, driven by Playwright.

A pytest plugin (conftest.py lists it): the `browser` fixture is there for every test that
asks for it; a browser test module calls `require_chromium()` first. One Chromium serves every
browser test a test process runs (starting it costs more than most of the tests).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("BRIEFGEN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
#: What the workplace's Chromium needs headless, with no network beyond loopback.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> None:
    """Skip the calling test module, saying why, when there is no Chromium."""
    if not Path(CHROMIUM).is_file():
        pytest.skip(
            f"no Chromium at {CHROMIUM}: install Debian's `chromium` (.ci/run does)",
            allow_module_level=True,
        )


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, with a fresh profile."""
    playwright = pytest.importorskip("playwright.sync_api", reason="a test dependency")
    profile = tempfile.mkdtemp(prefix="briefgen-chromium-")
    with playwright.sync_playwright() as driver:
        context = driver.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=FLAGS
        )
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)
