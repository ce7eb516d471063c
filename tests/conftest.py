"""Shared fixtures: isolated settings and paths to the seed and fixture briefs."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import settings as hypothesis_settings

from briefgen.settings import Settings, load_settings
from helpers import MINIMAL

#: The `browser` fixture (Debian's Chromium through Playwright) for the browser tests.
pytest_plugins = ["browser"]


#: Examples a property test without a count of its own tries in a local run (`-m 'not slow'`,
#: the default); whenever slow tests are selected (CI), Hypothesis's default of 100.
LOCAL_EXAMPLES = 25


def pytest_configure(config: pytest.Config) -> None:
    hypothesis_settings.register_profile("local", max_examples=LOCAL_EXAMPLES)
    local = (config.getoption("markexpr") or "").strip() == "not slow"
    hypothesis_settings.load_profile("local" if local else "default")


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test reads the machine's HOME or BRIEFGEN_* variables."""
    import os

    for key in list(os.environ):
        if key.startswith("BRIEFGEN_"):
            monkeypatch.delenv(key)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))  # no cache shared with the machine


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder, made the current folder."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def settings(project: Path) -> Settings:
    """Settings of an empty project (no pyproject, no briefgen.toml)."""
    return load_settings(project)


@pytest.fixture
def minimal_brief(project: Path) -> Path:
    """A copy of the minimal fixture brief inside the project, ready to edit."""
    target = project / "seeds" / "minimal"
    shutil.copytree(MINIMAL, target)
    return target


@pytest.fixture(scope="session")
def twitter_text() -> ModuleType:
    """twitter-text, the reference for X's counting, imported when a test first needs it:
    compiling its patterns takes 0.5 to 1.5 s, which a property test's deadline would count
    and test workers that never compare with it should not pay."""
    import twitter_text

    return twitter_text
