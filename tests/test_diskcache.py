"""The on-disk parse cache gives exactly what parsing gives, and never an error of its own."""

from __future__ import annotations

import os
import shutil
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen import diskcache
from briefgen.brief.yamlsource import load_yaml_mapping
from briefgen.errors import BriefError
from helpers import SEEDS


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh cache folder, written even where the tests run with PYTHONDONTWRITEBYTECODE."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    diskcache._parsed_dir.cache_clear()
    yield tmp_path / "cache" / "briefgen" / "briefs"
    diskcache._parsed_dir.cache_clear()


def _brief(tmp_path: Path) -> Path:
    path = tmp_path / "brief.yaml"
    shutil.copyfile(SEEDS / "baby-botox" / "brief.yaml", path)
    return path


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle")) if folder.is_dir() else []


def test_cached_parse_is_the_parse(tmp_path: Path, cache: Path) -> None:
    path = _brief(tmp_path)
    parsed = load_yaml_mapping(path)
    assert len(_entries(cache)) == 1
    again = load_yaml_mapping(path)
    assert again.data == parsed.data
    assert again.positions == parsed.positions
    assert repr(again.data) == repr(parsed.data)  # same types too (dates, bools, ints)
    assert stat_mode(cache) == 0o700


def stat_mode(folder: Path) -> int:
    return folder.stat().st_mode & 0o777


def test_changed_text_is_parsed_again(tmp_path: Path, cache: Path) -> None:
    path = _brief(tmp_path)
    load_yaml_mapping(path)
    path.write_text(
        path.read_text(encoding="utf-8").replace("topic: baby Botox", "topic: tiny Botox"),
        encoding="utf-8",
    )
    assert load_yaml_mapping(path).data["topic"] == "tiny Botox"
    assert len(_entries(cache)) == 1


def test_broken_entries_and_files_are_not_trusted(tmp_path: Path, cache: Path) -> None:
    path = _brief(tmp_path)
    expected = load_yaml_mapping(path).data
    (entry,) = _entries(cache)
    entry.write_bytes(b"not a pickle")
    assert load_yaml_mapping(path).data == expected
    path.write_text("slug: [unclosed\n", encoding="utf-8")
    for _ in range(2):  # a file that does not parse is never kept
        with pytest.raises(BriefError, match="YAML"):
            load_yaml_mapping(path)


def test_nothing_written_without_bytecode(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    load_yaml_mapping(_brief(tmp_path))
    assert _entries(cache) == []


def test_a_folder_others_can_write_is_not_used(tmp_path: Path, cache: Path) -> None:
    cache.mkdir(parents=True)
    os.chmod(cache, 0o777)
    assert diskcache.private_dir("briefs") is None
    load_yaml_mapping(_brief(tmp_path))
    assert _entries(cache) == []


def test_prune_keeps_the_newest(tmp_path: Path) -> None:
    for n in range(5):
        entry = tmp_path / f"{n}.pickle"
        entry.write_bytes(b"x")
        os.utime(entry, ns=(n * 10**9, n * 10**9))
    diskcache._prune(tmp_path, keep=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["3.pickle", "4.pickle"]


@pytest.fixture
def memos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh memo folder of the kind "rules", written whatever the tests' bytecode flag."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    diskcache._memo_dir.cache_clear()
    yield tmp_path / "cache" / "briefgen" / "rules"
    diskcache._memo_dir.cache_clear()


class _Counting:
    def __init__(self) -> None:
        self.calls = 0

    def parse(self, data: bytes) -> dict[str, object]:
        self.calls += 1
        return {"words": data.decode().split(), "size": len(data)}


def test_memo_runs_once_per_bytes_and_gives_what_it_gave(memos: Path) -> None:
    counting = _Counting()
    first = diskcache.memo("rules", (b"a b c",), lambda: counting.parse(b"a b c"))
    again = diskcache.memo("rules", (b"a b c",), lambda: counting.parse(b"a b c"))
    assert again == first == {"words": ["a", "b", "c"], "size": 5}
    assert counting.calls == 1
    other = diskcache.memo("rules", (b"a b", b"c"), lambda: counting.parse(b"a b c!"))
    assert other["size"] == 6 and counting.calls == 2  # other bytes: made again
    assert stat_mode(memos) == 0o700


def test_memo_does_not_trust_broken_entries_or_keep_failures(memos: Path) -> None:
    counting = _Counting()
    diskcache.memo("rules", (b"x",), lambda: counting.parse(b"x"))
    (entry,) = _entries(memos)
    entry.write_bytes(b"not a pickle")
    assert diskcache.memo("rules", (b"x",), lambda: counting.parse(b"x")) == {
        "words": ["x"],
        "size": 1,
    }
    assert counting.calls == 2

    def broken() -> object:
        raise ValueError("does not parse")

    for _ in range(2):
        with pytest.raises(ValueError, match="does not parse"):
            diskcache.memo("rules", (b"y",), broken)
    assert len(_entries(memos)) == 1


def test_memo_writes_nothing_without_bytecode(memos: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert diskcache.memo("rules", (b"z",), lambda: 42) == 42
    assert _entries(memos) == []


def test_rule_files_read_from_the_memo_are_the_rule_files(memos: Path) -> None:
    from briefgen.guard import lint

    for file in sorted(lint.BUILTIN_RULES.glob("*.toml")):
        expected = tomllib.loads(file.read_text(encoding="utf-8"))
        assert lint._read(file) == expected  # parsed, then kept
        assert lint._read(file) == expected  # from the memo
    assert len(_entries(memos)) == len(list(lint.BUILTIN_RULES.glob("*.toml")))
