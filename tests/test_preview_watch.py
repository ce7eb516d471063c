"""`briefgen preview --watch`: serves on 127.0.0.1, rebuilds on save, survives broken templates."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from briefgen.editor.watch import VERSION_PATH, PreviewServer
from briefgen.errors import UsageError
from briefgen.settings import load_settings
from helpers import ROOT, SEEDS, TEMPLATES

DEADLINE = 10.0  # seconds a change may take to show; the loop polls every 0.2 s


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        body: bytes = response.read()
        return body.decode("utf-8")


def _until(check: Callable[[], bool]) -> float:
    """Seconds until `check()` holds; fails after DEADLINE."""
    started = time.monotonic()
    while time.monotonic() - started < DEADLINE:
        if check():
            return time.monotonic() - started
        time.sleep(0.05)
    pytest.fail(f"nothing changed within {DEADLINE} s")


def _save(path: Path, text: str) -> None:
    """Write like an editor does, making sure the modification time moves on."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns == before:
        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


@pytest.fixture
def served(project: Path) -> Iterator[tuple[PreviewServer, Path, list[str]]]:
    """A preview server of a copy of the seed, with a user template folder."""
    shutil.copytree(SEEDS / "baby-botox", project / "seeds" / "baby-botox")
    mine = project / "mytemplates"
    mine.mkdir()
    logged: list[str] = []
    settings = load_settings(project, templates_dir=mine)
    server = PreviewServer(None, settings, port=0, log=logged.append, interval=0.1)
    server.start()
    try:
        yield server, mine, logged
    finally:
        server.stop()


def test_serves_on_loopback_with_a_reload_script(
    served: tuple[PreviewServer, Path, list[str]],
) -> None:
    server, _, _ = served
    assert server._http is not None and server._http.server_address[0] == "127.0.0.1"
    page = _get(server.url)
    assert "Guard passed" in page and VERSION_PATH in page
    assert _get(server.url.rstrip("/") + VERSION_PATH) == "1"
    with pytest.raises(urllib.error.HTTPError) as missing:
        _get(server.url + "etc/passwd")
    assert missing.value.code == 404


def test_template_change_shows_then_error_then_recovery(
    served: tuple[PreviewServer, Path, list[str]], project: Path
) -> None:
    server, mine, logged = served
    version = server.version
    text = (TEMPLATES / "email.txt.j2").read_text(encoding="utf-8")
    _save(mine / "email.txt.j2", text + "EDITED-MARKER\n")
    took = _until(lambda: "EDITED-MARKER" in _get(server.url))
    assert server.version > version
    assert took < DEADLINE
    written = project / ".briefgen" / "preview" / "baby-botox" / "preview.html"
    assert "EDITED-MARKER" in written.read_text(encoding="utf-8")

    _save(mine / "email.txt.j2", text + "{{ brief.nope }\n")
    _until(lambda: "Template error" in _get(server.url))
    assert "email.txt.j2" in _get(server.url)
    assert any("could not render" in line and "email.txt.j2" in line for line in logged)

    (mine / "email.txt.j2").unlink()
    _until(lambda: "Guard passed" in _get(server.url))
    assert "EDITED-MARKER" not in _get(server.url)


def test_brief_change_is_picked_up(
    served: tuple[PreviewServer, Path, list[str]], project: Path
) -> None:
    server, _, logged = served
    brief = project / "seeds" / "baby-botox" / "brief.yaml"
    _save(
        brief,
        brief.read_text(encoding="utf-8").replace(
            "Baby Botox: the TikTok", "Tiny Botox: the TikTok"
        ),
    )
    _until(lambda: "Tiny Botox: the TikTok" in _get(server.url))
    assert any(line.startswith("changed seeds/baby-botox/brief.yaml") for line in logged)


def test_busy_port_is_a_usage_error(served: tuple[PreviewServer, Path, list[str]]) -> None:
    server, _, _ = served
    other = PreviewServer(SEEDS / "baby-botox", load_settings(ROOT), port=server.port)
    with pytest.raises(UsageError, match=f"port {server.port} on 127.0.0.1 is in use"):
        other.start()


def test_cli_watch_serves_and_stops_cleanly_on_ctrl_c(project: Path) -> None:
    shutil.copytree(SEEDS / "baby-botox", project / "seeds" / "baby-botox")
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen.cli", "preview", "--watch", "--port", "0"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = ""
        started = time.monotonic()
        while not url and time.monotonic() - started < 30:
            line = process.stdout.readline()
            if line.startswith("serving "):
                url = line.split()[1]
        assert url.startswith("http://127.0.0.1:"), process.stderr.read() if process.stderr else ""
        assert "Guard passed" in _get(url)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
