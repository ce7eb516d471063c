"""Incremental runs: an unchanged brief is not rendered again, and every edit is seen.

Cached and uncached runs must give byte-identical outputs and identical reports, whatever
was edited: the brief, a source text, a template, a partial, a setting or the rules file.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen.guard.checks import BRIEF
from briefgen.outputs import CITATIONS, EMAIL, units
from briefgen.pipeline import render_briefs
from briefgen.rendering.platforms import PLATFORMS
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


#: Every unit of a brief with the default platforms, as `units_rendered` names them.
ALL = frozenset(units(PLATFORMS)) | {BRIEF}
#: Per brief (by slug), which units a run rendered and guarded.
Rendered = dict[str, frozenset[str]]


def _renders(project: Path, out: str, *, cache: bool) -> tuple[dict[str, bytes], object, Rendered]:
    """Render every brief: its files, its report (as JSON), which units each brief rendered."""
    report = render_briefs([], load_settings(project, cache=cache), project / out)
    rendered = {Path(r.path).parent.name: frozenset(r.units_rendered) for r in report.results}
    return tree(project / out), as_json(report), rendered


def _replace(relative: str, old: str, new: str) -> Edit:
    def edit(project: Path) -> None:
        path = project / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, (relative, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


NONE: frozenset[str] = frozenset()
EDITS: dict[str, tuple[Edit, Rendered]] = {
    # what changes, and which units of each brief must be rendered and guarded again
    "brief": (
        _replace("seeds/minimal/brief.yaml", "Cold plunges", "Ice baths"),
        {"baby-botox": NONE, "minimal": ALL},
    ),
    "source text": (  # only the quotes and figures are checked against source texts
        _replace("seeds/baby-botox/sources/healthline.txt", "Botox", "BOTOX"),
        {"baby-botox": frozenset({BRIEF}), "minimal": NONE},
    ),
    "caption template": (
        _replace("mine/social/x.txt.j2", "{% block", "{# an edit #}\n{% block"),
        {"baby-botox": frozenset({"social/x"}), "minimal": frozenset({"social/x"})},
    ),
    "partial": (  # included by the text email only
        _replace("mine/partials/caveat.txt.j2", "-#}", "-#}{# an edit #}"),
        {"baby-botox": frozenset({EMAIL}), "minimal": frozenset({EMAIL})},
    ),
    "macros every caption imports": (
        _replace("mine/partials/social.j2", "{#", "{# an edit #}{#"),
        {"baby-botox": ALL - {EMAIL, CITATIONS, BRIEF}, "minimal": ALL - {EMAIL, CITATIONS, BRIEF}},
    ),
    "catalog": (
        _replace("mine/locale/en/LC_MESSAGES/messages.po", 'msgstr "TL;DR"', 'msgstr "In short"'),
        {"baby-botox": ALL, "minimal": ALL},
    ),
    "settings": (
        _replace("briefgen.toml", "\n", '\ncitation_style = "apa"\n'),
        {"baby-botox": ALL, "minimal": ALL},
    ),
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
    assert rendered == {"baby-botox": ALL, "minimal": ALL} and files
    again_files, again_report, again = _renders(project, "second", cache=True)
    assert again == {"baby-botox": NONE, "minimal": NONE}, "nothing changed: nothing rendered"
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
    assert rendered == {"baby-botox": ALL, "minimal": ALL}
    assert cached == fresh and cached != first


def test_a_brief_that_fails_is_checked_again_every_time(project: Path) -> None:
    misquote = _replace("seeds/minimal/brief.yaml", 'quote: "', 'quote: "never said: ')
    misquote(project)
    expected = {"baby-botox": ALL, "minimal": ALL}  # the first run renders both
    for _ in range(3):
        _, report, rendered = _renders(project, "out", cache=True)
        assert rendered == expected
        expected = {"baby-botox": NONE, "minimal": ALL}  # then only the failing brief, whole
        statuses = [b["status"] for b in report["briefs"]]  # type: ignore[index]
        assert statuses == ["passed", "failed"]


def test_no_cache_renders_everything_and_keeps_nothing(project: Path) -> None:
    import os

    actions = Path(os.environ["XDG_CACHE_HOME"]) / "briefgen" / "actions"
    _renders(project, "first", cache=False)
    assert not actions.exists() or not any(actions.iterdir())
    _, _, rendered = _renders(project, "second", cache=False)
    assert rendered == {"baby-botox": ALL, "minimal": ALL}
    _renders(project, "third", cache=True)
    assert any(actions.iterdir()), "with the cache on, passing briefs are kept"


def test_an_up_to_date_output_folder_is_left_alone_and_a_touched_one_restored(
    project: Path,
) -> None:
    out = project / "out"
    _renders(project, "out", cache=True)
    email = out / "minimal" / "email.html"
    before = {p: p.stat().st_ino for p in out.rglob("*")}
    report = render_briefs([], load_settings(project, cache=True), out)
    assert [r.written for r in report.results] == [out / "baby-botox", out / "minimal"]
    assert {p: p.stat().st_ino for p in out.rglob("*")} == before, "nothing written again"
    good = email.read_bytes()
    email.write_bytes(b"<p>edited by hand</p>")
    (out / "baby-botox" / "stray.txt").write_text("left here", encoding="utf-8")
    report = render_briefs([], load_settings(project, cache=True), out)
    assert report.status == "passed"
    assert email.read_bytes() == good
    assert not (out / "baby-botox" / "stray.txt").exists()
    assert all(not r.units_rendered for r in report.results), "written from the kept units"


def test_a_broken_template_is_reported_every_time_and_nothing_is_kept_of_it(
    project: Path,
) -> None:
    _renders(project, "first", cache=True)
    (project / "mine" / "social" / "x.txt.j2").write_text("{% block x %}", encoding="utf-8")
    for _ in range(2):
        report = render_briefs([], load_settings(project, cache=True), project / "out")
        assert [r.status for r in report.results] == ["error", "error"]
        assert all("x.txt.j2" in str(r.error) for r in report.results)
    assert not (project / "out").exists() or not any((project / "out").iterdir())


def test_a_brief_is_kept_in_a_few_cache_files_whatever_its_units(project: Path) -> None:
    """Creating files is most of what keeping costs: a brief's units and the brief as loaded
    go into one entry, its report into another, its output folder's stamp into a third; an
    edit replaces the brief's entry rather than adding one per unit."""
    import os

    actions = Path(os.environ["XDG_CACHE_HOME"]) / "briefgen" / "actions"

    def entries() -> set[str]:
        return {p.name for p in actions.glob("*.pickle")}

    _renders(project, "out", cache=True)
    before = entries()
    third = project / "seeds" / "third"
    shutil.copytree(project / "seeds" / "minimal", third)
    _replace("seeds/third/brief.yaml", "slug: minimal", "slug: third")(project)
    _renders(project, "out", cache=True)
    first = entries()
    assert len(first - before) == 3, "the new brief's bundle, report and stamp"
    EDITS["caption template"][0](project)
    _, _, rendered = _renders(project, "out", cache=True)
    assert set(rendered.values()) == {frozenset({"social/x"})}
    after = entries()
    # Per brief a new report and a new stamp (both keyed on every unit), and the X template's
    # own entry; each brief's bundle is replaced in place, not added to.
    assert len(after - first) == 3 * 2 + 1
