"""The writer leaves identical outputs alone and links unchanged files, with the same result."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefgen import writer
from briefgen.errors import OutputError

FILES = {
    "email.html": b"<p>hello</p>\n",
    "email.txt": b"hello\n",
    "social/x.txt": b"post\n",
    "manifest.json": b"{}\n",
}


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() or p.is_symlink()
    }


def inodes(folder: Path) -> dict[str, int]:
    return {name: (folder / name).stat().st_ino for name in FILES}


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith("."))


def test_identical_outputs_are_left_as_they_are(tmp_path: Path) -> None:
    final = writer.write_outputs(tmp_path, "brief", FILES)
    before = inodes(final)
    assert writer.write_outputs(tmp_path, "brief", dict(FILES)) == final
    assert inodes(final) == before
    assert tree(final) == FILES
    assert leftovers(tmp_path) == []


def test_unchanged_files_are_linked_changed_ones_written(tmp_path: Path) -> None:
    final = writer.write_outputs(tmp_path, "brief", FILES)
    before = inodes(final)
    changed = {**FILES, "email.html": b"<p>bye</p>\n"}
    writer.write_outputs(tmp_path, "brief", changed)
    assert tree(final) == changed
    after = inodes(final)
    assert after["email.txt"] == before["email.txt"]
    assert after["email.html"] != before["email.html"]
    assert all((final / name).stat().st_nlink == 1 for name in FILES)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "extra",
    ["stale.txt", "social/stale.txt", "empty-folder/"],
)
def test_anything_else_in_the_folder_goes(tmp_path: Path, extra: str) -> None:
    final = writer.write_outputs(tmp_path, "brief", FILES)
    if extra.endswith("/"):
        (final / extra).mkdir()
    else:
        (final / extra).write_bytes(b"old")
    writer.write_outputs(tmp_path, "brief", FILES)
    assert tree(final) == FILES
    assert sorted(p.relative_to(final).as_posix() for p in final.rglob("*") if p.is_dir()) == [
        "social"
    ]


def test_a_link_with_the_same_bytes_is_replaced_by_a_file(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_bytes(FILES["email.txt"])
    out = tmp_path / "out"
    final = writer.write_outputs(out, "brief", FILES)
    (final / "email.txt").unlink()
    (final / "email.txt").symlink_to(outside)
    writer.write_outputs(out, "brief", FILES)
    assert not (final / "email.txt").is_symlink()
    assert tree(final) == FILES
    assert outside.stat().st_nlink == 1


def test_a_file_replaced_after_the_comparison_is_written_afresh(tmp_path: Path) -> None:
    existing = tmp_path / "existing"
    existing.write_bytes(b"x")
    target = tmp_path / "target"
    assert not writer._linked(existing, target, (0, 0))
    assert not target.exists()
    info = existing.stat()
    assert writer._linked(existing, target, (info.st_dev, info.st_ino))


def test_bad_names_are_refused_before_anything_is_made(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="outside the output folder"):
        writer.write_outputs(tmp_path, "brief", {**FILES, "../escape.txt": b"x"})
    assert os.listdir(tmp_path) == []
