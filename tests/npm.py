"""npm packages the tests use as references (axe-core, citeproc-js), installed once per cache
folder, safely when several test processes ask for them at the same moment."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def _unavailable(reason: str) -> None:
    """Skip in a local run; fail in CI, where a reference that is silently skipped would let
    what it guards go untested."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def npm_install(spec: str, folder: Path, marker: str) -> Path:
    """`folder/node_modules` holding `spec` (e.g. "axe-core@4.10.2"), installed on first use.

    Installs run one at a time (a lock beside `folder`) into a new folder that is renamed
    into place whole, so a second process waits and then finds the package, and a killed
    install leaves nothing half-made. `marker` is a path inside node_modules that exists once
    the install is complete.
    """
    modules = folder / "node_modules"
    if (modules / marker).exists():
        return modules
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        _unavailable(f"node and npm are needed to install {spec} for these tests")
    assert npm is not None
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.parent / f".{folder.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (modules / marker).exists():  # another process installed it while this one waited
            return modules
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
        try:
            done = subprocess.run(
                [npm, "install", "--no-audit", "--no-fund", "--prefix", str(staging), spec],
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            if done.returncode != 0 or not (staging / "node_modules" / marker).exists():
                _unavailable(f"npm could not install {spec}: {done.stderr.strip()[-300:]}")
            staging.chmod(0o755)  # mkdtemp makes it private
            if folder.exists():  # what an older, interrupted install left
                shutil.rmtree(folder)
            os.rename(staging, folder)
        finally:
            with contextlib.suppress(OSError):
                shutil.rmtree(staging)
    return modules
