"""Incremental runs: an unchanged brief is not rendered again, and every edit is seen.

Cached and uncached runs must give byte-identical outputs and identical reports, whatever
was edited: the brief, a source text, a template, a partial, a setting or the rules file.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen import pipeline
from briefgen.pipeline import render_briefs
from briefgen.report import as_json
from briefgen.settings import load_settings
from helpers import FIXTURES, ROOT, SEEDS, tree

Edit = Callable[[Path], None]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two briefs and a copy of the templates, in a project of their own."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SEEDS / "baby-botox", tmp_path / "seeds" / "baby-botox")
    shutil.copytree(FIXTURES / "briefs" / "minimal", tmp_path / "seeds" / "minimal")
    shutil.copytree(ROOT / "templates", tmp_path / "mine")
    (tmp_path / "briefgen.toml").write_text('templates_dir = "mine"\n', encoding="utf-8")
    return tmp_path


def _renders(project: Path, out: str, *, cache: bool) -> tuple[dict[str, bytes], object, int]:
    """Render every brief; its files, its report (as JSON), how many briefs were rendered."""
    rendered = 0
    real = pipeline.Batch.check

    def counting(self: pipeline.Batch, path: Path) -> pipeline.BriefResult:
        nonlocal rendered
        result = real(self, path)
        rendered += result.rendered is not None
        return result

    pipeline.Batch.check = counting  # type: ignore[method-assign]
    try:
        report = render_briefs([], load_settings(project, cache=cache), project / out)
    finally:
        pipeline.Batch.check = real  # type: ignore[method-assign]
    return tree(project / out), as_json(report), rendered


def _replace(relative: str, old: str, new: str) -> Edit:
    def edit(project: Path) -> None:
        path = project / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, (relative, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


EDITS: dict[str, tuple[Edit, int]] = {
    # what changes, and how many of the two briefs must be rendered again
    "brief": (_replace("seeds/minimal/brief.yaml", "Cold plunges", "Ice baths"), 1),
    "source text": (_replace("seeds/baby-botox/sources/healthline.txt", "Botox", "BOTOX"), 1),
    "template": (_replace("mine/social/x.txt.j2", "{% block", "{# an edit #}\n{% block"), 2),
    "partial": (_replace("mine/partials/caveat.txt.j2", "-#}", "-#}{# an edit #}"), 2),
    "catalog": (
        _replace("mine/locale/en/LC_MESSAGES/messages.po", 'msgstr "TL;DR"', 'msgstr "In short"'),
        2,
    ),
    "settings": (_replace("briefgen.toml", "\n", '\ncitation_style = "apa"\n'), 2),
}


#: Each edit costs five renders: a local run tries the brief, a template and the settings
#: (and the rules file, below); CI every edit.
SLOW_EDITS = {"source text", "partial", "catalog"}


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=pytest.mark.slow) if n in SLOW_EDITS else n for n in EDITS]
)
def test_cached_and_uncached_runs_agree_after_each_edit(project: Path, name: str) -> None:
    edit, expected = EDITS[name]
    files, report, rendered = _renders(project, "first", cache=True)
    assert rendered == 2 and files
    again_files, again_report, again = _renders(project, "second", cache=True)
    assert again == 0, "nothing changed: nothing is rendered again"
    assert again_files == files and again_report == report
    edit(project)
    cached_files, cached_report, rendered = _renders(project, "cached", cache=True)
    fresh_files, fresh_report, _ = _renders(project, "fresh", cache=False)
    assert rendered == expected
    assert cached_files == fresh_files
    assert cached_report == fresh_report


def test_a_rules_file_is_part_of_the_key(project: Path) -> None:
    rules = project / "rules.toml"
    rules.write_text("[[en.rule]]\nid = 'hype'\nmessage = 'm'\nterms = ['plunges']\n", "utf-8")
    (project / "briefgen.toml").write_text(
        'templates_dir = "mine"\nlint_rules = "rules.toml"\n', encoding="utf-8"
    )
    _, first, _ = _renders(project, "first", cache=True)
    rules.write_text("[[en.rule]]\nid = 'hype'\nmessage = 'm'\nterms = ['zebra']\n", "utf-8")
    _, cached, rendered = _renders(project, "cached", cache=True)
    _, fresh, _ = _renders(project, "fresh", cache=False)
    assert rendered == 2 and cached == fresh and cached != first


def test_a_brief_that_fails_is_checked_again_every_time(project: Path) -> None:
    misquote = _replace("seeds/minimal/brief.yaml", 'quote: "', 'quote: "never said: ')
    misquote(project)
    for expected in (2, 1, 1):  # the first run renders both; then only the failing brief
        _, report, rendered = _renders(project, "out", cache=True)
        assert rendered == expected
        statuses = [b["status"] for b in report["briefs"]]  # type: ignore[index]
        assert statuses == ["passed", "failed"]


def test_no_cache_renders_everything_and_keeps_nothing(project: Path) -> None:
    import os

    actions = Path(os.environ["XDG_CACHE_HOME"]) / "briefgen" / "actions"
    _renders(project, "first", cache=False)
    assert not actions.exists() or not any(actions.iterdir())
    _, _, rendered = _renders(project, "second", cache=False)
    assert rendered == 2
    _renders(project, "third", cache=True)
    assert any(actions.iterdir()), "with the cache on, passing briefs are kept"
