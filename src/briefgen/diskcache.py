"""Private on-disk caches that spare unchanged inputs their parsing in every new process.

A newsroom renders every brief on every save, commit and CI run, and most briefs have not
changed since the last time: parsing a brief.yaml again (about 20 ms with ruamel's pure-Python
parser) is most of the work. The caches live in `$XDG_CACHE_HOME/briefgen/` (default
`~/.cache/briefgen/`), a folder only the user can read or write; anything odd about it, or
about an entry, means no cache, never an error. Nothing is written when Python writes no
bytecode either (`PYTHONDONTWRITEBYTECODE`, `python -B`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any, TypeVar, cast

T = TypeVar("T")


def private_dir(name: str) -> Path | None:
    """`$XDG_CACHE_HOME/briefgen/<name>`, created private, or None when there is no safe one."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base) or not hasattr(os, "getuid"):
        return None
    folder = Path(base) / "briefgen" / name
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
    except OSError:
        return None
    private = stat.S_ISDIR(info.st_mode) and not stat.S_IMODE(info.st_mode) & 0o077
    return folder if private and info.st_uid == os.getuid() else None


@cache
def _parser_version() -> bytes:
    """What parsed data depends on besides the text: Python, ruamel.yaml and yamlsource.py."""
    digest = hashlib.sha256(sys.version.encode())
    spec = find_spec("ruamel.yaml")
    yamlsource = Path(__file__).parent / "brief" / "yamlsource.py"
    for origin in (spec.origin if spec else None, str(yamlsource)):
        if origin is None:
            continue
        try:
            digest.update(Path(origin).read_bytes())
        except OSError:
            digest.update(b"?")
    return digest.digest()


#: Most entries kept: one per brief file; files that no longer exist are dropped oldest first.
MAX_ENTRIES = 4096


@cache
def _parsed_dir() -> Path | None:
    return private_dir("briefs")


def _prune(folder: Path, keep: int) -> None:
    """Remove the least recently written entries beyond `keep`."""
    with contextlib.suppress(OSError):
        entries = sorted(
            (e.stat().st_mtime_ns, e.path) for e in os.scandir(folder) if e.name.endswith(".pickle")
        )
        for _, stale in entries[: max(0, len(entries) - keep)]:
            with contextlib.suppress(OSError):
                os.unlink(stale)


def _entry(path: Path) -> Path | None:
    folder = _parsed_dir()
    if folder is None:
        return None
    return folder / (hashlib.sha256(os.path.abspath(path).encode()).hexdigest()[:32] + ".pickle")


def _key(text: str) -> bytes:
    return hashlib.sha256(_parser_version() + text.encode("utf-8", "surrogatepass")).digest()


def load_parsed(path: Path, text: str) -> tuple[Any, Any] | None:
    """What `store_parsed` kept for this file with exactly this text, if anything."""
    entry = _entry(path)
    if entry is None:
        return None
    try:
        with open(entry, "rb") as handle:
            key, data, positions = pickle.load(handle)
    except Exception:  # missing, unreadable, truncated, from another version: parse again
        return None
    return (data, positions) if key == _key(text) else None


def store_parsed(path: Path, text: str, data: Any, positions: Any) -> None:
    """Keep the parsed `data` and `positions` of this file's `text` for the next process."""
    entry = _entry(path)
    if entry is None or sys.dont_write_bytecode:
        return
    with contextlib.suppress(OSError, pickle.PicklingError):
        fd, temporary = tempfile.mkstemp(dir=entry.parent, prefix=entry.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump((_key(text), data, positions), handle, pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, entry)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    if os.urandom(1)[0] < 4:  # now and then (1 in 64), bound the folder's size
        _prune(entry.parent, MAX_ENTRIES)


# -- memos: what a pure function made of some bytes, for the next process -----------------------
#: Most entries a memo folder keeps (rule files, citation styles and locales: a few each).
MAX_MEMOS = 256


@cache
def _memo_dir(kind: str) -> Path | None:
    return private_dir(kind)


def _memo_key(inputs: tuple[bytes, ...]) -> bytes:
    digest = hashlib.sha256(sys.version.encode())
    for data in inputs:
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.digest()


def memo(kind: str, inputs: tuple[bytes, ...], make: Callable[[], T], keep: int = MAX_MEMOS) -> T:
    """`make()`, a pure function of `inputs` (file bytes) and the Python version, or what it
    gave an earlier process for exactly these bytes: kept in `$XDG_CACHE_HOME/briefgen/<kind>/`.

    For data that is slow to parse and quick to unpickle: language rule files, CSL styles and
    locales. `kind` names the folder, so it also names what `make` does: give a new kind when
    it changes. A missing, broken or foreign entry just means `make()` runs again. The folder
    keeps the `keep` newest entries.
    """
    folder = _memo_dir(kind)
    if folder is None:
        return make()
    key = _memo_key(inputs)
    entry = folder / (key.hex()[:32] + ".pickle")
    try:
        with open(entry, "rb") as handle:
            kept_key, value = pickle.load(handle)
        if kept_key == key:
            return cast(T, value)
    except Exception:  # missing, unreadable, truncated, from another version: make it again
        pass
    value = make()
    if sys.dont_write_bytecode:
        return value
    with contextlib.suppress(Exception):  # a value that cannot be kept is still returned
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=entry.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump((key, value), handle, pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, entry)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        if os.urandom(1)[0] < 4:  # now and then (1 in 64), bound the folder's size
            _prune(folder, keep)
    return value
