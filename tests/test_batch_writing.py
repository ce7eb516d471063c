"""Workers write their briefs' outputs themselves; the batch only swaps each folder in, in the
order the briefs were given, so a repeated slug is still refused and nothing is half-written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefgen import pipeline
from briefgen.pipeline import Batch, render_briefs
from briefgen.settings import load_settings
from helpers import MINIMAL, tree

#: More briefs than `PARALLEL_THRESHOLD`, so a batch of them runs in worker processes.
COUNT = pipeline.PARALLEL_THRESHOLD + 2


def _brief(project: Path, name: str, slug: str, title: str) -> Path:
    folder = project / "seeds" / name
    shutil.copytree(MINIMAL, folder)
    text = (folder / "brief.yaml").read_text(encoding="utf-8")
    text = text.replace("slug: minimal", f"slug: {slug}", 1)
    text = text.replace('title: "Cold plunges: what the research says"', f'title: "{title}"', 1)
    (folder / "brief.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for number in range(COUNT):
        _brief(tmp_path, f"b{number:02d}", f"brief-{number:02d}", f"Plunges, take {number}")
    return tmp_path


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith("."))


def test_a_worker_stages_outputs_and_sends_back_only_their_place(project: Path) -> None:
    settings = load_settings(project, cache=False)
    out = project / "out"
    out.mkdir()
    pipeline._WORKER = Batch.from_settings(settings)
    try:
        result, staged = pipeline._check_in_worker(project / "seeds" / "b03", out)
    finally:
        pipeline._WORKER = None
    assert result.status == "passed" and result.rendered is None, "no file bytes travel back"
    assert staged is not None and staged.staging is not None
    assert staged.final == out / "brief-03" and not staged.final.exists(), "not swapped in yet"
    assert staged.staging.parent == out and "Plunges, take 3" in (
        staged.staging / "email.txt"
    ).read_text(encoding="utf-8")


def test_a_parallel_batch_writes_every_brief_whole(project: Path) -> None:
    out = project / "out"
    report = render_briefs([], load_settings(project, cache=False), out, jobs=2)
    assert [r.status for r in report.results] == ["passed"] * COUNT
    assert sorted(p.name for p in out.iterdir()) == [f"brief-{n:02d}" for n in range(COUNT)]
    for number in range(COUNT):
        email = (out / f"brief-{number:02d}" / "email.txt").read_text(encoding="utf-8")
        assert f"Plunges, take {number}" in email
    alone = project / "alone"
    render_briefs(["b04"], load_settings(project, cache=False), alone, jobs=1)
    assert tree(alone / "brief-04") == tree(out / "brief-04"), "workers write what one process does"


def test_a_repeated_slug_in_a_parallel_batch_keeps_the_first_brief(project: Path) -> None:
    _brief(project, "b99-twin", "brief-02", "The twin that must not win")
    out = project / "out"
    report = render_briefs([], load_settings(project, cache=False), out, jobs=2)
    by_path = {Path(r.path).parent.name: r for r in report.results}
    twin = by_path["b99-twin"]
    assert twin.status == "error" and "slug 'brief-02' is already used by" in str(twin.error)
    assert twin.written is None
    email = (out / "brief-02" / "email.txt").read_text(encoding="utf-8")
    assert "Plunges, take 2" in email and "twin" not in email
    assert _leftovers(out) == [], "the refused brief's staged outputs are removed"


def test_a_batch_where_nothing_passes_leaves_no_output_folder(project: Path) -> None:
    for folder in (project / "seeds").iterdir():
        (folder / "brief.yaml").write_text("slug: [not, a, slug]\n", encoding="utf-8")
    out = project / "new" / "out"
    report = render_briefs([], load_settings(project, cache=False), out, jobs=2)
    assert report.status == "error"
    assert not (project / "new").exists(), "folders created for the batch are removed again"


def test_a_batch_never_removes_an_output_folder_that_was_there(project: Path) -> None:
    for folder in (project / "seeds").iterdir():
        (folder / "brief.yaml").write_text("slug: [not, a, slug]\n", encoding="utf-8")
    out = project / "out"
    out.mkdir()
    render_briefs([], load_settings(project, cache=False), out, jobs=2)
    assert out.is_dir() and list(out.iterdir()) == []
