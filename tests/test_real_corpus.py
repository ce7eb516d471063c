"""Briefs written from real articles (tests/fixtures/real/) pass the guard with no error.

They are not the seed's story: other languages, verdicts, topics, authors and dates. A guard
that blocks good copy gets switched off, so each must pass `check`; its report, warnings and
notes included, is kept as a snapshot so any change in what the guard says shows in review.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_regressions.file_regression import FileRegressionFixture

from briefgen.pipeline import check_briefs
from briefgen.report import format_text
from briefgen.settings import load_settings
from helpers import FIXTURES, ROOT

REAL = sorted(p.parent.name for p in (FIXTURES / "real").glob("*/brief.yaml"))


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
