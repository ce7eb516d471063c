"""A batch may skip the per-brief fsyncs and sync the output folder's file system once."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from briefgen import writer
from briefgen.errors import OutputError

FILES = {"email.txt": b"hello\n", "social/x.txt": b"post\n", "manifest.json": b"{}\n"}


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_without_sync_nothing_is_fsynced_and_the_swap_is_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer.write_outputs(tmp_path, "brief", {"old.txt": b"old\n"})
    calls: list[int] = []
    monkeypatch.setattr(os, "fsync", calls.append)
    final = writer.write_outputs(tmp_path, "brief", FILES, sync=False)
    writer.write_outputs(tmp_path, "brief", FILES, sync=False)  # identical: left as it is
    assert calls == []
    assert tree(final) == FILES
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief"]  # nothing staged is left


def test_with_sync_every_file_is_fsynced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.fsync
    calls: list[int] = []

    def counted(fd: int) -> None:
        calls.append(fd)
        real(fd)

    monkeypatch.setattr(os, "fsync", counted)
    writer.write_outputs(tmp_path, "brief", FILES)
    assert len(calls) >= len(FILES)


def test_one_sync_for_the_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real = writer._syncfs

    def counted(fd: int) -> bool:
        synced.append(fd)
        return real(fd)

    monkeypatch.setattr(writer, "_syncfs", counted)
    for slug in ("a", "b", "c"):
        writer.write_outputs(tmp_path, slug, FILES, sync=False)
    writer.sync_outputs(tmp_path)
    assert len(synced) == 1
    assert all(tree(tmp_path / slug) == FILES for slug in ("a", "b", "c"))


def test_a_failed_sync_is_an_output_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(fd: int) -> bool:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(writer, "_syncfs", failing)
    with pytest.raises(OutputError, match="Input/output error"):
        writer.sync_outputs(tmp_path)
    with pytest.raises(OutputError, match="cannot open output folder"):
        writer.sync_outputs(tmp_path / "missing")


def test_without_syncfs_the_whole_system_is_synced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(writer, "_syncfs", lambda fd: False)
    monkeypatch.setattr(os, "sync", lambda: calls.append("sync"))
    writer.sync_outputs(tmp_path)
    assert calls == ["sync"]
