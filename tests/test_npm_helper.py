"""The test-time npm installs (axe-core, citeproc-js) are safe when test processes race: once
in CI two workers installing at the same moment made npm fail, and the accessibility checks
were skipped without anyone noticing."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT

#: Stands in for npm: records each install, takes its time, then writes the package.
FAKE_NPM = """#!/bin/sh
prefix="$5"
echo "$6" >> "$NPM_LOG"
sleep 0.3
mkdir -p "$prefix/node_modules/pkg"
echo done > "$prefix/node_modules/pkg/index.js"
"""

INSTALL = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from npm import npm_install
print(npm_install("pkg@1.0.0", Path(sys.argv[2]), "pkg/index.js"))
"""


@pytest.fixture
def fake_npm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    npm = bin_dir / "npm"
    npm.write_text(FAKE_NPM, encoding="utf-8")
    npm.chmod(npm.stat().st_mode | stat.S_IXUSR)
    (bin_dir / "node").symlink_to("/bin/true")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    log = tmp_path / "npm.log"
    monkeypatch.setenv("NPM_LOG", str(log))
    return log


def test_racing_installs_install_once_and_both_find_the_package(
    tmp_path: Path, fake_npm: Path
) -> None:
    folder = tmp_path / "cache" / "pkg"
    command = [sys.executable, "-c", INSTALL, str(ROOT / "tests"), str(folder)]
    racers = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [racer.communicate(timeout=60)[0].strip() for racer in racers]
    assert [racer.returncode for racer in racers] == [0, 0, 0]
    assert outputs == [str(folder / "node_modules")] * 3
    assert fake_npm.read_text(encoding="utf-8").splitlines() == ["pkg@1.0.0"], "one install"
    assert (folder / "node_modules" / "pkg" / "index.js").is_file()
    leftovers = [p.name for p in folder.parent.iterdir() if p.name.startswith(".pkg-")]
    assert leftovers == [], "no staging folder is left behind"


def test_an_interrupted_install_is_replaced_whole(tmp_path: Path, fake_npm: Path) -> None:
    from npm import npm_install

    folder = tmp_path / "cache" / "pkg"
    (folder / "node_modules" / "pkg").mkdir(parents=True)  # half-made: no index.js
    (folder / "node_modules" / "pkg" / "stale.js").write_text("x", encoding="utf-8")
    modules = npm_install("pkg@1.0.0", folder, "pkg/index.js")
    assert sorted(p.name for p in (modules / "pkg").iterdir()) == ["index.js"]
