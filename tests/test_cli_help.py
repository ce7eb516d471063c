"""Every command teaches in --help, the README names every command, and the CLI stays light."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from briefgen.cli import app, main
from helpers import ROOT

COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_the_commands_are_the_documented_ones() -> None:
    assert COMMANDS == ["check", "new", "preview", "render", "schema", "send-test"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_runs_and_shows_an_example(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    example = " ".join(result.output.split()).partition("Example: ")[2]
    assert f"briefgen {command} " in example, "each docstring ends with an example line"


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_documents_every_command(command: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"briefgen {command}" in readme, f"README.md does not mention `briefgen {command}`"


def _main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int | str | None, str, str]:
    """Run the `briefgen` entry point in this process, as the console script does: its exit
    code, stdout and stderr (neither a terminal)."""
    monkeypatch.setattr(sys, "argv", ["briefgen", *args])
    with pytest.raises(SystemExit) as exited:
        main()
    out, err = capsys.readouterr()
    return exited.value.code, out, err


def test_errors_are_one_line_with_exit_code_2(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _main(monkeypatch, capsys, "new", "Not A Slug")
    assert code == 2
    assert err.splitlines() == [
        "briefgen: error: 'Not A Slug' is not a valid slug (use lowercase letters, digits and "
        "single hyphens, at most 64, like cold-plunges)"
    ]


def test_importing_the_cli_loads_no_command_module() -> None:
    code = "import sys, briefgen.cli; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    heavy = {"jinja2", "mjml", "pydantic", "playwright", "http.server", "smtplib"}
    assert not heavy & set(loaded)
    assert [m for m in loaded if m.startswith("briefgen.")] == ["briefgen.cli"]


def _under_pty(*args: str) -> tuple[int, str]:
    """Run briefgen with stderr (and stdout) on a terminal; returns exit code and the screen."""
    main, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen.cli", *args],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=secondary,
        stderr=secondary,
        env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"},
    )
    os.close(secondary)
    chunks: list[bytes] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.2)
        if ready:
            try:
                data = os.read(main, 65536)
            except OSError:  # the terminal closed: the process is done
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    os.close(main)
    return process.wait(timeout=30), b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_on_a_terminal_and_quiet_without_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, screen = _under_pty("check")
    assert code == 0
    assert "Checking briefs" in screen  # rich drew its (transient) bar on the terminal
    monkeypatch.chdir(ROOT)
    piped, out, err = _main(monkeypatch, capsys, "check")
    assert piped == 0
    assert "Checking briefs" not in err and "\x1b[" not in err
    assert out.strip().endswith("1 passed")


def test_python_dash_m_runs_the_same_command_line() -> None:
    for args in (["--version"], ["check", "--help"]):
        via_module = subprocess.run(
            [sys.executable, "-m", "briefgen", *args], capture_output=True, text=True, cwd=ROOT
        )
        assert via_module.returncode == 0, via_module.stderr
    assert via_module.stdout.startswith("Usage: python -m briefgen check [OPTIONS]")
    unknown = subprocess.run(
        [sys.executable, "-m", "briefgen", "no-such-command"], capture_output=True, text=True
    )
    assert unknown.returncode == 2


def test_version_loads_only_the_cli_module() -> None:
    code = (
        "import sys\n"
        "from briefgen.cli import main\n"
        "sys.argv = ['briefgen', '--version']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    first, _, modules = result.stdout.partition("\n")
    assert first.startswith("briefgen ")
    loaded = set(modules.split())
    # main() catches BriefgenError, so errors.py (standard library only) comes along
    assert {m for m in loaded if m.startswith("briefgen")} == {
        "briefgen",
        "briefgen.cli",
        "briefgen.errors",
    }
    assert not {"jinja2", "pydantic", "rich", "mjml"} & loaded


def test_every_command_names_a_brief_the_same_way(minimal_brief: Path) -> None:
    """A slug, a folder and a brief.yaml name the same brief in check, render and preview."""
    runner = CliRunner()
    for target in ("minimal", "seeds/minimal", "seeds/minimal/brief.yaml"):
        checked = runner.invoke(app, ["check", target])
        assert checked.exit_code == 0, checked.output
        assert checked.output.strip().endswith("1 brief: 1 passed")
    rendered = runner.invoke(app, ["render", "minimal", "--out", "out"])
    assert rendered.exit_code == 0, rendered.output
    assert "seeds/minimal/brief.yaml: wrote out/minimal/" in rendered.output
    previewed = runner.invoke(app, ["preview", "minimal", "--out", "pv"])
    assert previewed.exit_code == 0, previewed.output
    assert (minimal_brief.parent.parent / "pv" / "minimal" / "preview.html").is_file()


def test_paths_in_reports_are_relative_to_the_current_folder(minimal_brief: Path) -> None:
    result = CliRunner().invoke(app, ["check", str(minimal_brief.resolve()), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"brief": "seeds/minimal/brief.yaml"' in result.output
