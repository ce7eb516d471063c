"""Briefs written from real articles (tests/fixtures/real/) pass the guard with no error.

They are not the seed's story: other languages, verdicts, topics, authors and dates. A guard
that blocks good copy gets switched off, so each must pass `check`; its report, warnings and
notes included, is kept as a snapshot so any change in what the guard says shows in review.
Every file each one renders is a snapshot too, so a template change shows in review on
stories other than the seed's.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_regressions.file_regression import FileRegressionFixture

from briefgen.outputs import OUTPUTS
from briefgen.pipeline import check_briefs, render_briefs
from briefgen.report import format_text
from briefgen.settings import load_settings
from helpers import FIXTURES, ROOT

REAL = sorted(p.parent.name for p in (FIXTURES / "real").glob("*/brief.yaml"))
#: Every file a brief renders (the seed's test spells them out; this one trusts the table).
FILES = sorted(output.name for output in OUTPUTS)


def test_the_corpus_covers_what_real_stories_bring() -> None:
    languages = set()
    for name in REAL:
        text = (FIXTURES / "real" / name / "brief.yaml").read_text(encoding="utf-8")
        languages |= {
            line.split(":", 1)[1].strip()[:2]
            for line in text.splitlines()
            if line.startswith("language:")
        }
    assert len(REAL) >= 10
    assert {"en", "de", "fr", "es", "it", "pt"} <= languages


@pytest.mark.parametrize("name", REAL)
def test_a_real_story_brief_passes_with_no_error(
    name: str, file_regression: FileRegressionFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    settings = load_settings(ROOT, cache=False)
    report = check_briefs([Path("tests/fixtures/real") / name], settings)
    [result] = report.results
    errors = [f for f in result.findings if f.level == "error"]
    assert result.error is None, str(result.error)
    assert errors == [], [f"{f.output}: {f.rule}: {f.message}" for f in errors]
    file_regression.check(format_text(report, "passed") + "\n", basename=f"check_{name}")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every real-story brief, rendered once with the shipped templates and no cache."""
    out = tmp_path_factory.mktemp("real")
    report = render_briefs(
        [FIXTURES / "real" / name for name in REAL], load_settings(ROOT, cache=False), out
    )
    assert report.status == "passed", [str(r.error) for r in report.results if r.error]
    return out


def test_a_real_story_brief_renders_every_file(rendered: Path) -> None:
    for name in REAL:
        folder = rendered / name
        files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
        assert files == FILES, name


@pytest.mark.parametrize("name", REAL)
def test_every_output_of_a_real_story_brief(
    name: str, rendered: Path, file_regression: FileRegressionFixture
) -> None:
    """Each file against its snapshot; every difference is reported (and, with
    --force-regen, every snapshot rewritten) in one run, not only the first."""
    differences = []
    for file in FILES:
        stem, _, extension = file.rpartition(".")
        try:
            file_regression.check(
                (rendered / name / file).read_text(encoding="utf-8"),
                basename=f"{name}__{stem.replace('/', '_')}",
                extension=f".{extension}",
                newline="",
            )
        except (AssertionError, pytest.fail.Exception) as exc:
            differences.append(f"{file}: {exc}")
    assert not differences, "\n\n".join(differences)
