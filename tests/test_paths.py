"""Paths in messages: relative to the current folder when below it, as given otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.paths import display_path


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder as the current folder, a link to it, and a folder beside it."""
    project = tmp_path / "project"
    (project / "seeds" / "a").mkdir(parents=True)
    (tmp_path / "beside").mkdir()
    (tmp_path / "link").symlink_to(project)
    monkeypatch.chdir(project)
    return project


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("seeds/a/brief.yaml", "seeds/a/brief.yaml"),  # relative: as the user typed it
        ("{tmp}/project/seeds/a/brief.yaml", "seeds/a/brief.yaml"),
        ("{tmp}/link/seeds/a/brief.yaml", "seeds/a/brief.yaml"),  # through a link to here
        ("{tmp}/link/seeds", "seeds"),
        ("{tmp}/project", "."),
        ("../project/seeds/a", "seeds/a"),
        ("{tmp}/project/../project/seeds", "seeds"),
        ("{tmp}/beside/out", "{tmp}/beside/out"),  # not below here: as given
        ("{tmp}/projectx/y", "{tmp}/projectx/y"),  # a sibling sharing the name's start
        ("../beside/out", "../beside/out"),
    ],
)
def test_paths_are_shown_from_the_current_folder(here: Path, given: str, shown: str) -> None:
    tmp = str(here.parent)
    assert display_path(Path(given.format(tmp=tmp))) == Path(shown.format(tmp=tmp))


def test_the_current_folder_is_looked_up_again_after_a_change(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = here / "seeds" / "a"
    assert display_path(target) == Path("seeds/a")
    monkeypatch.chdir(here / "seeds")
    assert display_path(target) == Path("a")
