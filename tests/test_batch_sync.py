"""A render batch syncs the file system once, after every brief is written, not per brief."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from briefgen import writer
from briefgen.errors import OutputError
from briefgen.pipeline import render_briefs
from briefgen.settings import load_settings
from helpers import FIXTURES, SEEDS


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SEEDS / "baby-botox", tmp_path / "seeds" / "baby-botox")
    shutil.copytree(FIXTURES / "briefs" / "minimal", tmp_path / "seeds" / "minimal")
    return tmp_path


def test_a_batch_syncs_once_and_fsyncs_no_file(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fsyncs: list[int] = []
    syncs: list[Path] = []
    monkeypatch.setattr(os, "fsync", fsyncs.append)
    monkeypatch.setattr(writer, "sync_outputs", syncs.append)
    report = render_briefs([], load_settings(project, cache=False), project / "out")
    assert report.status == "passed"
    assert fsyncs == [] and syncs == [project / "out"]
    assert sorted(p.name for p in (project / "out").iterdir()) == ["baby-botox", "minimal"]


def test_nothing_written_nothing_synced(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    render_briefs([], load_settings(project, cache=True), project / "out")
    syncs: list[Path] = []
    monkeypatch.setattr(writer, "sync_outputs", syncs.append)
    report = render_briefs([], load_settings(project, cache=True), project / "out")
    assert report.status == "passed" and syncs == [], "up to date: no sync"


def test_a_failed_sync_is_an_error_of_every_brief_it_wrote(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(out_dir: Path) -> None:
        raise OutputError(f"writing {out_dir} to disk failed: Input/output error")

    monkeypatch.setattr(writer, "sync_outputs", failing)
    report = render_briefs([], load_settings(project, cache=False), project / "out")
    assert [r.status for r in report.results] == ["error", "error"]
    assert all("to disk failed" in str(r.error) for r in report.results)
