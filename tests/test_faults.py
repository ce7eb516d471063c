"""Faults (issue 11): every failure is one clear line, a batch always finishes, nothing is lost.

Templates that crash, recurse, hog memory or never end; bugs; unreadable paths; killed and
competing writers; a full disk; a hostile preview request; a misbehaving SMTP server; and the
.eml's headers (issue 14).
"""

from __future__ import annotations

import email
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from email import policy
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from briefgen import pipeline, writer
from briefgen.cli import app, main
from briefgen.editor.preview import build_preview, preview_brief
from briefgen.editor.send import send_test
from briefgen.editor.watch import PreviewServer
from briefgen.errors import (
    ConfigError,
    InternalError,
    OutputError,
    SendError,
    TemplateError,
    UsageError,
)
from briefgen.pipeline import Batch, check_briefs, render_briefs
from briefgen.rendering import templating
from briefgen.report import EXIT_BUG, exit_code, result_exit_code
from briefgen.settings import Settings, load_settings
from helpers import MINIMAL, ROOT, SEEDS, TEMPLATES, tree

SEED = SEEDS / "baby-botox"
PYTHON = sys.executable
ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0

# -- templates ------------------------------------------------------------------------------

#: Appended to a user copy of email.txt.j2, each must end in exit 2 naming the template.
RUNTIME_ERRORS = {
    "set-attribute": "{% set x = 1 %}{% set x.y = 2 %}",
    "unknown-filter-in-map": "{{ [1]|map('nosuch')|list }}",
    "recursive-macro": "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "self-include": "{% include 'email.txt.j2' %}",
    "self-import": "{% import 'email.txt.j2' as me %}",
    "ljust": "{{ ''.ljust(10**10) }}",
    "rjust": "{{ 'a'.rjust(10**10) }}",
    "zfill": "{{ '1'.zfill(10**10) }}",
    "center-filter": "{{ ''|center(10**10) }}",
    "indent-filter": "{{ 'a\nb'|indent(10**10) }}",
    "percent-width": "{{ '%010000000000d' % 1 }}",
    "percent-star": "{{ '%*d' % (10**10, 1) }}",
    "format-filter": "{{ '%0999999999d'|format(1) }}",
    "str-format-width": "{{ '{:>10000000000}'.format(1) }}",
    "str-format-nested": "{{ '{:{}}'.format(1, 10**10) }}",
    "replace-growth": "{{ ('x' * 50000)|replace('', 'y' * 50000) }}",
    "replace-method-growth": "{{ ('x' * 50000).replace('', 'y' * 50000) }}",
    "batch-fill": "{{ [1]|batch(10**10, 'x')|list }}",
    "slice-count": "{{ [1]|slice(10**10, 'x')|list }}",
    "lipsum": "{{ lipsum(10**10) }}",
    "expandtabs-keyword": "{{ ('\t' * 1000).expandtabs(tabsize=10**8) }}",
    "plus-growth": (
        "{% set ns = namespace(s='x' * 100000) %}"
        "{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|length }}"
    ),
}


def _user_templates(project: Path, snippet: str, *, prefix: str = "") -> Path:
    mine = project / "mytemplates"
    mine.mkdir(exist_ok=True)
    text = (TEMPLATES / "email.txt.j2").read_text(encoding="utf-8")
    (mine / "email.txt.j2").write_text(prefix + text + snippet + "\n", encoding="utf-8")
    return mine


def _settings(project: Path, **overrides: Any) -> Settings:
    return load_settings(project, **overrides)


@pytest.mark.parametrize("case", sorted(RUNTIME_ERRORS))
def test_template_runtime_errors_are_template_errors(project: Path, case: str) -> None:
    mine = _user_templates(project, RUNTIME_ERRORS[case])
    started = time.monotonic()
    report = check_briefs([SEED], _settings(project, templates_dir=mine, render_timeout=5))
    (result,) = report.results
    assert isinstance(result.error, TemplateError), result.error
    assert exit_code(report) == 2
    assert result.error.path.endswith("email.txt.j2")
    assert result.error.line is not None
    assert time.monotonic() - started < 4, "failed at once, not at the deadline"


def test_self_extends_is_a_template_error(project: Path) -> None:
    mine = project / "mytemplates"
    mine.mkdir()
    (mine / "email.txt.j2").write_text("{% extends 'email.txt.j2' %}\n", encoding="utf-8")
    (result,) = check_briefs([SEED], _settings(project, templates_dir=mine)).results
    assert isinstance(result.error, TemplateError)
    assert "recursion" in result.error.message and result.error.path.endswith("email.txt.j2")


def test_memory_error_in_a_template_is_a_template_error(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def exhausted(value: object, *args: object) -> str:
        raise MemoryError

    monkeypatch.setitem(templating.FILTERS, "wrap", exhausted)
    (result,) = check_briefs([SEED], _settings(project)).results
    assert isinstance(result.error, TemplateError)
    assert "out of memory" in result.error.message


def test_template_errors_in_worker_processes(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "PARALLEL_THRESHOLD", 2)
    mine = _user_templates(project, RUNTIME_ERRORS["recursive-macro"])
    briefs = [SEED, MINIMAL]
    report = check_briefs(briefs, _settings(project, templates_dir=mine), jobs=2)
    assert [type(r.error) for r in report.results] == [TemplateError, TemplateError]
    assert exit_code(report) == 2


def test_cli_check_names_the_template_and_exits_2(project: Path) -> None:
    mine = _user_templates(project, RUNTIME_ERRORS["set-attribute"])
    result = CliRunner().invoke(app, ["check", str(SEED), "--templates", str(mine)])
    assert result.exit_code == 2
    assert "email.txt.j2:" in result.output and "non-namespace" in result.output
    assert "Traceback" not in result.output


def test_preview_shows_a_template_runtime_error_in_the_page(project: Path) -> None:
    mine = _user_templates(project, RUNTIME_ERRORS["ljust"])
    preview = build_preview(SEED / "brief.yaml", _settings(project, templates_dir=mine))
    assert isinstance(preview.error, TemplateError)
    assert "email.txt.j2" in preview.html and "wider than" in preview.html


# -- the render deadline --------------------------------------------------------------------

ENDLESS = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
# Each deadline test spins for a whole second: a local run keeps the main thread and another
# thread; loops over other iterables, worker processes and the preview page are marked slow.


def _timed_check(settings: Settings) -> tuple[float, Any]:
    started = time.monotonic()
    result = Batch.from_settings(settings).check(SEED / "brief.yaml")
    return time.monotonic() - started, result


def test_an_endless_loop_stops_at_the_render_timeout(project: Path) -> None:
    mine = _user_templates(project, ENDLESS)
    elapsed, result = _timed_check(_settings(project, templates_dir=mine, render_timeout=1))
    assert isinstance(result.error, TemplateError)
    assert "took longer than 1 s" in result.error.message
    assert result.error.path.endswith("email.txt.j2")
    assert 0.9 < elapsed < 3


@pytest.mark.slow
def test_the_render_timeout_stops_loops_over_anything(project: Path) -> None:
    endless = "{% for a in 'x' * 100000 %}{% for b in ['y'] * 100000 %}{% endfor %}{% endfor %}"
    mine = _user_templates(project, endless)
    elapsed, result = _timed_check(_settings(project, templates_dir=mine, render_timeout=1))
    assert isinstance(result.error, TemplateError) and "took longer than 1 s" in str(result.error)
    assert elapsed < 3


def test_loops_still_behave_like_loops() -> None:
    env = templating.make_environment()
    source = (
        "{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}{{ v }}"
        "{{ loop.length }}{{ ',' if not loop.last }}{% endfor %}"
        "{% for x in [] %}x{% else %}empty{% endfor %}"
        "{% for x in [3, 1, 2] if x > 1 %}{{ loop.index }}{{ x }}{% endfor %}"
    )
    assert env.from_string(source).render() == "a12,b22empty1322"


def test_the_render_timeout_works_outside_the_main_thread(project: Path) -> None:
    """Preview and watch render in threads, where signals cannot reach."""
    mine = _user_templates(project, ENDLESS)
    settings = _settings(project, templates_dir=mine, render_timeout=1)
    outcome: list[tuple[float, Any]] = []
    thread = threading.Thread(target=lambda: outcome.append(_timed_check(settings)))
    thread.start()
    thread.join(timeout=10)
    assert not thread.is_alive()
    ((elapsed, result),) = outcome
    assert isinstance(result.error, TemplateError) and elapsed < 3


@pytest.mark.slow
def test_the_render_timeout_works_in_worker_processes(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "PARALLEL_THRESHOLD", 2)
    mine = _user_templates(project, ENDLESS)
    started = time.monotonic()
    report = check_briefs(
        [SEED, MINIMAL], _settings(project, templates_dir=mine, render_timeout=1), jobs=2
    )
    assert all("took longer than 1 s" in str(r.error) for r in report.results)
    assert time.monotonic() - started < 6


@pytest.mark.slow
def test_the_preview_page_template_has_the_deadline_too(project: Path) -> None:
    mine = project / "mytemplates"
    mine.mkdir()
    (mine / "preview.html.j2").write_text(ENDLESS + "\n", encoding="utf-8")
    started = time.monotonic()
    preview = build_preview(
        SEED / "brief.yaml", _settings(project, templates_dir=mine, render_timeout=1)
    )
    assert isinstance(preview.error, TemplateError) and "took longer" in preview.html
    assert time.monotonic() - started < 4


def test_range_still_behaves_like_range(project: Path) -> None:
    env = templating.make_environment()
    source = "{{ range(3)|list }} {{ range(5)|length }} {{ range(4)[1] }} {{ 2 in range(3) }}"
    assert env.from_string(source).render() == "[0, 1, 2] 5 1 True"


# -- bugs -----------------------------------------------------------------------------------


def test_a_bug_costs_one_brief_and_the_batch_finishes(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefgen.guard.checks import Guard

    real = Guard.raw

    def flaky(self: Guard, unit: str) -> Any:
        if self.rendered.slug == "baby-botox":
            raise RecursionError("deep")
        return real(self, unit)

    monkeypatch.setattr(Guard, "raw", flaky)
    monkeypatch.setattr(tempfile, "tempdir", str(project))
    report = render_briefs([SEED, MINIMAL], _settings(project), project / "out")
    first, second = report.results
    assert isinstance(first.error, InternalError) and result_exit_code(first) == EXIT_BUG
    assert "bug in briefgen" in first.error.message and "RecursionError" in first.error.message
    assert first.error.report is not None
    assert "Traceback" in Path(first.error.report).read_text(encoding="utf-8")
    assert second.error is None and (project / "out" / "minimal" / "email.txt").is_file()


def test_a_killed_worker_costs_its_briefs_not_the_batch(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = os.getpid()
    from briefgen.guard.checks import Guard

    real = Guard.raw

    def dies(self: Guard, unit: str) -> Any:
        if self.rendered.slug == "baby-botox" and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's OOM killer would
        return real(self, unit)

    monkeypatch.setattr(Guard, "raw", dies)
    monkeypatch.setattr(pipeline, "PARALLEL_THRESHOLD", 2)
    report = check_briefs([MINIMAL, SEED], _settings(project), jobs=2)
    assert len(report.results) == 2
    last = report.results[1]
    assert isinstance(last.error, InternalError) and "worker process" in last.error.message
    assert exit_code(report) == EXIT_BUG


def test_check_json_is_printed_even_when_a_brief_hits_a_bug(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefgen.brief import loader

    real = loader.load_brief

    def broken(path: Path) -> Any:
        if "baby-botox" in str(path):
            raise ValueError("day is out of range for month")
        return real(path)

    monkeypatch.setattr(loader, "load_brief", broken)
    monkeypatch.setattr(tempfile, "tempdir", str(project))
    result = CliRunner().invoke(app, ["check", "--format", "json", str(SEED), str(MINIMAL)])
    data = json.loads(result.stdout)
    assert result.exit_code == EXIT_BUG
    assert [b["exit_code"] for b in data["briefs"]] == [EXIT_BUG, 0]
    assert data["briefs"][0]["error"]["kind"] == "InternalError"


def test_check_json_is_printed_when_nothing_can_be_checked(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["briefgen", "check", "--format", "json", "--templates", "x"])
    with pytest.raises(SystemExit) as exited:
        main()
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert exited.value.code == 2 == data["exit_code"] and data["briefs"] == []
    assert data["error"]["kind"] in {"TemplateError", "UsageError", "ConfigError"}
    assert err.startswith("briefgen: error:") and err.count("\n") == 1


def test_main_prints_one_line_and_the_bug_report_file(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("unexpected")

    monkeypatch.setattr(pipeline, "check_briefs", boom)
    monkeypatch.setattr(tempfile, "tempdir", str(project))
    monkeypatch.setattr(sys, "argv", ["briefgen", "check", str(SEED)])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == EXIT_BUG
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "this is a bug in briefgen" in err
    report = Path(err.split("attach ")[1].split(")")[0])
    assert report.parent == project and "KeyError" in report.read_text(encoding="utf-8")


def test_a_briefgen_error_in_main_is_one_line_exit_2(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["briefgen", "check", "nowhere\u2028x"])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("briefgen: error:")


# -- unreadable paths -----------------------------------------------------------------------


def test_an_unreadable_template_file_names_the_path(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulated (a root test process reads every file); the real thing is below."""
    import jinja2.loaders

    mine = _user_templates(project, "")

    real_open = open

    def denied(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file).startswith(str(mine)):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(jinja2.loaders, "open", denied, raising=False)
    (result,) = check_briefs([SEED], _settings(project, templates_dir=mine)).results
    assert isinstance(result.error, TemplateError)
    assert "Permission denied" in str(result.error) and "email.txt.j2" in str(result.error)


def _without_read_override() -> list[str]:
    """A command prefix under which permissions hold: as root, drop the capabilities that
    let root read any file (setpriv); else nothing."""
    if not ROOT_USER:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("root reads files without read permission, and setpriv is missing")
    caps = "-dac_override,-dac_read_search"
    return ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}"]


@pytest.mark.parametrize(
    "what",
    [
        "template file",
        # Each a `briefgen check` process of its own; slow, as tests/test_brief_errors.py runs
        # the same for the brief's own paths.
        *(
            pytest.param(what, marks=pytest.mark.slow)
            for what in ("templates folder", "seeds folder", "brief file", "brief folder")
        ),
    ],
)
def test_unreadable_paths_exit_2_naming_the_path(project: Path, what: str) -> None:
    seeds = project / "seeds"
    shutil.copytree(SEED, seeds / "baby-botox")
    mine = _user_templates(project, "")
    locked = {
        "template file": mine / "email.txt.j2",
        "templates folder": mine,
        "seeds folder": seeds,
        "brief file": seeds / "baby-botox" / "brief.yaml",
        "brief folder": seeds / "baby-botox",
    }[what]
    command = [*_without_read_override(), PYTHON, "-c", "from briefgen.cli import main; main()"]
    command += ["check", "--templates", str(mine)]
    if what.startswith("brief"):
        command.append(str(seeds / "baby-botox"))
    mode = locked.stat().st_mode
    locked.chmod(0)
    try:
        done = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=120)
    finally:
        locked.chmod(mode)
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert locked.name in output and "Traceback" not in output


def test_a_missing_templates_folder_is_an_error(project: Path) -> None:
    with pytest.raises(TemplateError, match="no templates folder"):
        Batch.from_settings(_settings(project, templates_dir=project / "missing"))


# -- the writer: whole old or whole new -----------------------------------------------------

_WRITER_LOOP = """
import sys
import tempfile
from pathlib import Path
from briefgen.writer import write_outputs
out = Path(sys.argv[1])
versions = [
    {f"part/{n:02}.txt": (tag * 20000).encode() for n in range(40)} | {"tag": tag.encode()}
    for tag in "AB"
]
print("ready", flush=True)
i = 0
while True:
    write_outputs(out, "brief", versions[i % 2])
    i += 1
"""


def _whole(folder: Path) -> str:
    """'A' or 'B' when `folder` holds exactly one version of the loop's outputs."""
    files = tree(folder)
    tag = files.get("tag", b"?").decode()
    expected = {f"part/{n:02}.txt": (tag * 20000).encode() for n in range(40)} | {
        "tag": tag.encode()
    }
    assert files == expected, f"mixed or partial folder: {sorted(files)[:5]}…"
    return tag


def _interrupt_loop(out: Path, kills: int, sig: int) -> set[str]:
    script = out.parent / "loop.py"
    script.write_text(_WRITER_LOOP, encoding="utf-8")
    seen: set[str] = set()
    rng = random.Random(20261122)
    for _ in range(kills):
        process = subprocess.Popen(
            [PYTHON, str(script), str(out)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        assert process.stdout is not None
        process.stdout.readline()  # imported and ready
        time.sleep(rng.uniform(0.0, 0.15))
        process.send_signal(sig)
        process.wait(timeout=20)
        if (out / "brief").exists() or seen:
            seen.add(_whole(out / "brief"))
    return seen


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize(
    ("sig", "kills"), [(signal.SIGKILL, 4), (signal.SIGINT, 2)], ids=["kill-9", "ctrl-c"]
)
def test_an_interrupted_writer_leaves_whole_old_or_whole_new(
    tmp_path: Path, sig: int, kills: int
) -> None:
    out = tmp_path / "out"
    seen = _interrupt_loop(out, kills, sig)
    assert seen, "the loop never wrote"
    writer.write_outputs(out, "brief", {"tag": b"C"})  # the next run cleans up
    assert _leftovers(out) == [] and tree(out / "brief") == {"tag": b"C"}


@pytest.mark.slow
def test_many_kills_leave_whole_folders(tmp_path: Path) -> None:
    """The kill above 200 times (slow: CI runs it)."""
    out = tmp_path / "out"
    assert _interrupt_loop(out, 200, signal.SIGKILL) == {"A", "B"}
    writer.write_outputs(out, "brief", {"tag": b"C"})
    assert _leftovers(out) == []


@pytest.mark.slow
def test_a_killed_batch_render_leaves_whole_folders(tmp_path: Path) -> None:
    """`briefgen render` itself, killed while it writes; then run again to the end (slow: four
    renders in processes of their own; CI runs it)."""
    out = tmp_path / "out"
    seeds = tmp_path / "seeds"
    for name in ("baby-botox",):
        shutil.copytree(SEEDS / name, seeds / name)
    shutil.copytree(MINIMAL, seeds / "minimal")
    command = [PYTHON, "-c", "from briefgen.cli import main; main()", "render"]
    command += [str(seeds / "baby-botox"), str(seeds / "minimal"), "--out", str(out)]
    _kill_renders(command, tmp_path, out, ["baby-botox", "minimal"], random.Random(11), 2)


@pytest.mark.slow
def test_a_killed_parallel_render_leaves_whole_folders(tmp_path: Path) -> None:
    """The same with worker processes, which write each brief's folder themselves (slow: CI
    runs it). Whatever the kill interrupts, every folder is whole, and the next run leaves
    nothing staged behind, even from a worker of the killed run."""
    out = tmp_path / "out"
    seeds = tmp_path / "seeds"
    slugs = [f"brief-{n:02d}" for n in range(12)]
    for slug in slugs:
        shutil.copytree(MINIMAL, seeds / slug)
        brief = seeds / slug / "brief.yaml"
        brief.write_text(
            brief.read_text(encoding="utf-8").replace("slug: minimal", f"slug: {slug}", 1),
            encoding="utf-8",
        )
    command = [PYTHON, "-c", "from briefgen.cli import main; main()", "render"]
    command += ["--out", str(out), "--jobs", "2", "--no-cache"]
    _kill_renders(command, tmp_path, out, slugs, random.Random(5), 3)


def _kill_renders(
    command: list[str], cwd: Path, out: Path, slugs: list[str], rng: random.Random, kills: int
) -> None:
    """Render once, then kill `kills` renders at random moments: every folder must stay as
    the first render wrote it; a last render, run to the end, leaves nothing staged."""
    subprocess.run(command, check=True, capture_output=True, cwd=cwd)
    golden = {slug: tree(out / slug) for slug in slugs}
    for _ in range(kills):
        process = subprocess.Popen(command, cwd=cwd, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.5))
        process.kill()
        process.wait()
        for slug, files in golden.items():
            assert tree(out / slug) == files
    time.sleep(0.5)  # a worker of a killed parallel run would have finished its brief by now
    subprocess.run(command, check=True, capture_output=True, cwd=cwd)
    assert _leftovers(out) == []


def test_leftovers_of_a_killed_run_are_cleaned(tmp_path: Path) -> None:
    for name in (".brief.new-k1ll3d", ".other.old-ab_12/other"):
        (tmp_path / name).mkdir(parents=True)
    (tmp_path / ".keep-me").mkdir()
    writer.write_outputs(tmp_path, "brief", {"a.txt": b"a"})
    assert _leftovers(tmp_path) == [".keep-me"]


def test_output_folders_follow_the_umask(tmp_path: Path) -> None:
    saved = os.umask(0o022)
    try:
        final = writer.write_outputs(tmp_path / "o1", "brief", {"social/x.txt": b"x"})
        assert (final.stat().st_mode & 0o777, (final / "social").stat().st_mode & 0o777) == (
            0o755,
            0o755,
        )
        os.umask(0o027)
        final = writer.write_outputs(tmp_path / "o2", "brief", {"x.txt": b"x"})
        assert final.stat().st_mode & 0o777 == 0o750
    finally:
        os.umask(saved)


def test_the_swap_is_atomic_on_linux(tmp_path: Path) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("renameat2 is Linux only; elsewhere two renames are used")
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "in-a").touch()
    assert writer._exchange(a, b)
    assert (b / "in-a").exists() and not (a / "in-a").exists()


def test_a_second_writer_waits_for_the_first_and_says_so(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    command = [PYTHON, "-c", "from briefgen.cli import main; main()", "render", str(SEED)]
    command += ["--out", str(out)]
    with writer.output_lock(out):
        process = subprocess.Popen(
            command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        assert process.stderr is not None
        said = [process.stderr.readline() for _ in range(2)]  # a warning, then the wait
        assert any("waiting for another briefgen writing into" in line for line in said), said
        time.sleep(0.5)
        assert process.poll() is None, "wrote while another held the lock"
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert (out / "baby-botox" / "email.txt").is_file()


@pytest.mark.slow
def test_two_concurrent_renders_into_one_folder_both_succeed(tmp_path: Path) -> None:
    """Slow (two renders in processes of their own; CI runs it); the test above keeps the lock
    in a local run."""
    out = tmp_path / "out"
    seeds = tmp_path / "seeds"
    shutil.copytree(SEED, seeds / "baby-botox")
    shutil.copytree(MINIMAL, seeds / "minimal")
    command = [PYTHON, "-c", "from briefgen.cli import main; main()", "render", "--out"]
    command += [str(out), str(seeds / "baby-botox"), str(seeds / "minimal")]
    runs = [
        subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["baby-botox", "minimal"]


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs, where the system lets this process mount one."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if not sys.platform.startswith("linux") or not ROOT_USER:
        pytest.skip("mounting a tmpfs needs root on Linux")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_full_disk_keeps_the_old_outputs(tiny_disk: Path) -> None:
    old = {"email.txt": b"old\n"}
    writer.write_outputs(tiny_disk, "brief", old)
    with pytest.raises(OutputError, match="No space left"):
        writer.write_outputs(tiny_disk, "brief", {"email.txt": b"x" * 200_000})
    assert tree(tiny_disk / "brief") == old and _leftovers(tiny_disk) == []


# -- the preview ----------------------------------------------------------------------------


@pytest.fixture
def served(project: Path) -> Iterator[PreviewServer]:
    server = PreviewServer(SEED, _settings(project), project / "outp", port=0)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _get(port: int, host: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("GET", "/", skip_host=True)
    connection.putheader("Host", host)
    connection.endheaders()
    status = connection.getresponse().status
    connection.close()
    return status


def test_preview_refuses_other_hosts(served: PreviewServer) -> None:
    port = served.port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", f"LOCALHOST:{port}"):
        assert _get(port, host) == 200, host
    for host in ("attacker.example", f"attacker.example:{port}", "127.0.0.1", "localhost:1"):
        assert _get(port, host) == 421, host


def test_preview_of_a_broken_parent_stays_in_its_folder(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "brief.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    (project / "sub").mkdir()
    monkeypatch.chdir(project / "sub")
    result = CliRunner().invoke(app, ["preview", "..", "--out", "outp"])
    assert result.exit_code == 2, result.output
    written = [p for p in project.rglob("preview.html")]
    assert len(written) == 1 and written[0].parent.parent == project / "sub" / "outp"


def test_preview_refuses_a_linked_slug_folder(project: Path) -> None:
    elsewhere = project / "elsewhere"
    elsewhere.mkdir()
    (project / "outp").mkdir()
    (project / "outp" / "baby-botox").symlink_to(elsewhere)
    with pytest.raises(OutputError, match="is a link"):
        preview_brief(SEED, _settings(project), project / "outp")
    assert list(elsewhere.iterdir()) == []


def test_preview_exit_codes_follow_every_command(project: Path) -> None:
    runner = CliRunner()
    passed = runner.invoke(app, ["preview", str(SEED), "--out", "outp"])
    assert passed.exit_code == 0, passed.output
    failing = project / "seeds" / "failing"
    shutil.copytree(MINIMAL, failing)
    brief = failing / "brief.yaml"
    text = brief.read_text(encoding="utf-8")
    assert '"I feel awake for hours"' in text
    brief.write_text(text.replace("awake for hours", "awake for days"), encoding="utf-8")
    guard = runner.invoke(app, ["preview", str(failing), "--out", "outp"])
    assert guard.exit_code == 1, guard.output
    assert (project / "outp" / "minimal" / "preview.html").is_file()
    brief.write_text("title: [\n", encoding="utf-8")
    broken = runner.invoke(app, ["preview", str(failing), "--out", "outp"])
    assert broken.exit_code == 2, broken.output


# -- send-test ------------------------------------------------------------------------------


@pytest.fixture
def smtp_settings(project: Path) -> Settings:
    return _settings(project, smtp_host="127.0.0.1", smtp_starttls=False, smtp_timeout=1.5)


def test_send_refuses_control_characters_in_the_address(smtp_settings: Settings) -> None:
    for bad in ("me@example.org\u2028Bcc: x@y.z", "me@example.org\x00", "me\u202e@example.org"):
        with pytest.raises(UsageError, match="the recipient address") as caught:
            send_test(SEED, bad, smtp_settings)
        assert "--to" not in str(caught.value)


def test_a_non_ascii_password_is_refused_without_showing_it(
    smtp_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFGEN_SMTP_PASSWORD", "pässwörd-sécret")
    settings = smtp_settings.model_copy(update={"smtp_user": "desk"})
    with pytest.raises(ConfigError) as caught:
        send_test(SEED, "me@example.org", settings)
    shown = str(caught.value)
    assert "ASCII" in shown and not any(ch in shown for ch in "äöé")


class _FakeServer:
    """A TCP server on 127.0.0.1 answering each connection with `respond(conn)`."""

    def __init__(self, respond: Any) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.respond = respond
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.sock.accept()
        try:
            self.respond(conn)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.sock.close()


def _trickle(conn: socket.socket) -> None:
    for byte in b"220 slow.example ESMTP hello there\r\n" * 100:
        conn.sendall(bytes([byte]))
        time.sleep(0.3)


def _lines(conn: socket.socket) -> Iterator[bytes]:
    data = b""
    while True:
        chunk = conn.recv(4096)
        if not chunk:
            return
        data += chunk
        while b"\r\n" in data:
            line, data = data.split(b"\r\n", 1)
            yield line


def _no_smtputf8(conn: socket.socket) -> None:
    conn.sendall(b"220 plain.example ESMTP\r\n")
    for line in _lines(conn):
        if line.upper().startswith(b"EHLO"):
            conn.sendall(b"250-plain.example\r\n250 8BITMIME\r\n")
        elif line.upper().startswith(b"QUIT"):
            conn.sendall(b"221 bye\r\n")
            return
        else:
            conn.sendall(b"250 ok\r\n")


def _garbage(conn: socket.socket) -> None:
    conn.sendall(b"220 odd.example ESMTP\r\n")
    for line in _lines(conn):
        if line.upper().startswith(b"EHLO"):
            conn.sendall(b"250 odd.example\r\n")
        elif line.upper().startswith(b"MAIL"):
            conn.sendall(b"550 \x1b[31mno\x07 \x9b way\r\n")
        else:
            conn.sendall(b"221 bye\r\n")
            return


def _send_via(respond: Any, settings: Settings, to: str) -> SendError:
    server = _FakeServer(respond)
    try:
        with pytest.raises(SendError) as caught:
            send_test(SEED, to, settings.model_copy(update={"smtp_port": server.port}))
    finally:
        server.close()
    return caught.value


def test_send_has_an_overall_deadline(smtp_settings: Settings) -> None:
    # A shorter deadline than the other SMTP tests': this one waits it out.
    settings = smtp_settings.model_copy(update={"smtp_timeout": 0.5})
    started = time.monotonic()
    error = _send_via(_trickle, settings, "me@example.org")
    assert "did not finish within 0.5 s" in str(error)
    assert time.monotonic() - started < 4


def test_an_international_address_needs_smtputf8(smtp_settings: Settings) -> None:
    error = _send_via(_no_smtputf8, smtp_settings, "jöran@exämple.org")
    assert "does not accept international addresses (SMTPUTF8)" in str(error)
    assert "STARTTLS" not in str(error)


def test_a_garbage_reply_is_shown_escaped(smtp_settings: Settings) -> None:
    error = _send_via(_garbage, smtp_settings, "me@example.org")
    shown = str(error)
    assert "\\x1b[31mno\\x07" in shown
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in shown)


# -- the .eml -------------------------------------------------------------------------------


def _eml(project: Path, **overrides: Any) -> email.message.EmailMessage:
    result = Batch.from_settings(_settings(project, **overrides)).check(SEED / "brief.yaml")
    assert result.rendered is not None, result.error
    message = email.message_from_bytes(result.rendered.eml, policy=policy.default)
    assert isinstance(message, email.message.EmailMessage)
    defects = [*message.defects, *(d for part in message.walk() for d in part.defects)]
    defects += [d for name in message for d in getattr(message[name], "defects", ())]
    assert defects == []
    return message


def test_the_eml_always_has_a_from(project: Path) -> None:
    from briefgen.rendering.eml import header_warnings
    from briefgen.settings import email_headers

    assert _eml(project)["From"] == "briefgen <noreply@briefgen.invalid>"
    assert any("email_from" in w for w in header_warnings(email_headers(_settings(project))))
    configured = _settings(project, email_from="Desk <desk@news.example>")
    assert header_warnings(email_headers(configured)) == []
    assert _eml(project, email_from="Desk <desk@news.example>")["From"] == (
        "Desk <desk@news.example>"
    )


def test_render_warns_about_the_placeholder_from(project: Path) -> None:
    result = CliRunner().invoke(app, ["render", str(SEED), "--out", "o"])
    assert result.exit_code == 0
    assert "warning: email_from is not set" in result.output


@pytest.mark.parametrize(
    ("value", "header", "one_click"),
    [
        ("<mailto:leave@news.example>", "<mailto:leave@news.example>", False),
        ("https://news.example/leave?u=1", "<https://news.example/leave?u=1>", True),
        (
            "mailto:leave@news.example, <https://news.example/l>",
            "<mailto:leave@news.example>, <https://news.example/l>",
            True,
        ),
    ],
)
def test_list_unsubscribe_is_wrapped_and_one_click_needs_https(
    project: Path, value: str, header: str, one_click: bool
) -> None:
    message = _eml(project, list_unsubscribe=value)
    assert message["List-Unsubscribe"] == header
    assert (message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click") is one_click


@pytest.mark.parametrize("value", ["http://news.example/leave", "write to us", "<ftp://x.y>"])
def test_a_bad_list_unsubscribe_is_a_config_error(project: Path, value: str) -> None:
    with pytest.raises(ConfigError, match="list_unsubscribe"):
        Batch.from_settings(_settings(project, list_unsubscribe=value))
    env = {"BRIEFGEN_LIST_UNSUBSCRIBE": value}
    result = CliRunner().invoke(app, ["check", str(SEED)], env=env)
    assert isinstance(result.exception, ConfigError)  # main() prints it and exits 2


def test_list_id(project: Path) -> None:
    message = _eml(project, list_id="Health briefs <health-briefs.news.example>")
    assert message["List-Id"] == "Health briefs <health-briefs.news.example>"
    assert _eml(project, list_id="briefs.news.example")["List-Id"] == "<briefs.news.example>"
    with pytest.raises(ConfigError, match="list_id"):
        Batch.from_settings(_settings(project, list_id="no dots here"))


def test_send_test_replaces_the_placeholder_from(project: Path) -> None:
    from briefgen.editor.send import addressed_copy
    from briefgen.rendering.eml import PLACEHOLDER_ADDRESS

    result = Batch.from_settings(_settings(project)).check(SEED / "brief.yaml")
    assert result.rendered is not None
    copy = addressed_copy(result.rendered.eml, "me@example.org", "desk@news.example")
    assert copy["From"] == "desk@news.example" and PLACEHOLDER_ADDRESS not in copy.as_string()


def test_readme_documents_the_settings() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("render_timeout", "smtp_timeout", "list_id"):
        assert f"`{name}`" in readme
    guarantees = readme.split("## What briefgen guarantees", 1)[1].split("\n## ", 1)[0]
    assert "70" in guarantees and "renameat2" in guarantees
