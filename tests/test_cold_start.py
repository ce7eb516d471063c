"""What a command does not need stays off its start-up path: modules the CLI imports before
knowing whether any brief must be rendered load neither the guard, the renderer, Jinja, the
brief models nor the YAML parser."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

#: Heavy modules a cached render never needs.
HEAVY = (
    "briefgen.guard.checks",
    "briefgen.guard.lint",
    "briefgen.rendering.renderer",
    "briefgen.brief.models",
    "briefgen.pipeline",
    "jinja2",
    "ruamel.yaml",
    "pydantic_settings",
    "tomllib",
    "xml.etree.ElementTree",
)


def _loaded(code: str, folder: Path) -> set[str]:
    """The modules `code` leaves imported, run in `folder` (a project without config files)."""
    program = f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    env = {"PATH": "/usr/bin:/bin", "BRIEFGEN_CACHE": "false"}
    run = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=folder,
    )
    return set(run.stdout.split())


@pytest.mark.parametrize(
    "code",
    [
        "import briefgen.report",
        "import briefgen.targets as t\ntry:\n    t.resolve_target('baby-botox')\n"
        "except t.UsageError:\n    pass",  # a slug: matched against the format's pattern
        "from briefgen.settings import load_settings, guard_options; "
        "guard_options(load_settings())",
        "import briefgen.errors, briefgen.paths, briefgen.diskcache",
    ],
)
def test_light_modules_stay_light(code: str, tmp_path: Path) -> None:
    assert not set(HEAVY) & _loaded(code, tmp_path)
