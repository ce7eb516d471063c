"""The action cache of incremental builds: results of earlier runs, by what produced them.

As in Bazel's action cache (and unlike Make's timestamps), an entry's key is the hash of
exactly what the result depends on: the bytes of the brief and its source texts, the closure
of templates an output loads, the settings and rules that apply, and the versions of
briefgen, Jinja, mjml-python and Python. A changed input gives a new key, so an entry is never
stale; an unused one ages out. The cache lives beside the template and parse caches in the
user's private `$XDG_CACHE_HOME/briefgen/`, is bounded in size, and is safe to delete at any
time: anything odd about it or an entry means a miss, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen.diskcache import private_dir

if TYPE_CHECKING:
    import jinja2

#: The most bytes the cache keeps; the least recently used entries go first beyond it.
MAX_BYTES = 256 * 1024 * 1024
#: The cache's size is checked by one write in this many, and by the first write of a process
#: when no process has checked it for `PRUNE_INTERVAL` seconds: listing a folder of ten
#: thousand entries costs about as much as checking a dozen briefs.
PRUNE_EVERY = 4096
PRUNE_INTERVAL = 600
#: An entry read is marked as used (its time set to now) only if it was not marked in this many
#: seconds: least recently used to the nearest ten minutes is enough to prune by, and a run
#: over a thousand unchanged briefs then writes no metadata for the entries it reads.
TOUCH_AFTER = 600


def digest(*parts: bytes | str) -> str:
    """A hex key over `parts`, each length-prefixed so no two sequences collide."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def _version(package: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def _installed(modules: Iterable[str]) -> list[Path]:
    """The file each module is loaded from (reinstalling a package replaces it)."""
    found = []
    for name in modules:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin and os.path.exists(spec.origin):
            found.append(Path(spec.origin))
    return found


@cache
def code_version() -> str:
    """briefgen's own code and the versions of what renders: any change is a new key.

    The package's source files are hashed (not just its version number), so an edited
    checkout never reuses results of the code it replaced. The hash is kept in the cache by
    the files' sizes, times and inodes, as git's index does: reading and hashing them all
    would cost every run a few dozen milliseconds.
    """
    package = Path(__file__).resolve().parent
    files = [
        path
        for path in sorted(package.rglob("*"))
        if path.suffix in (".py", ".json", ".toml", ".csl", ".xml") and path.is_file()
    ]
    stamps = [sys.version]
    for path in [*files, *_installed(("jinja2", "mjml", "markupsafe"))]:
        info = path.stat()
        stamps.append(f"{path}:{info.st_size}:{info.st_mtime_ns}:{info.st_ino}")
    store = BuildCache.default()
    stamp_key = digest("code", *stamps)
    known = store.get(stamp_key)
    if isinstance(known, str):
        return known
    versions = [sys.version, _version("jinja2"), _version("mjml-python"), _version("markupsafe")]
    parts: list[bytes | str] = [*versions]
    for path in files:
        parts += [path.relative_to(package).as_posix(), path.read_bytes()]
    version = digest(*parts)
    store.put(stamp_key, version)
    return version


def referenced_templates(env: jinja2.Environment, source: str) -> list[str | None]:
    """The templates `source` includes, imports or extends; None for a name computed at
    render time."""
    import jinja2.meta

    return list(jinja2.meta.find_referenced_templates(env.parse(source)))


def template_closure(
    env: jinja2.Environment,
    name: str,
    references: Callable[[str], list[str | None]] | None = None,
) -> list[str] | None:
    """`name` and every template it includes, imports or extends, transitively, sorted.

    None when some reference is computed at render time (`{% include some_var %}`): then
    nothing short of every template can be trusted as the closure. `references` gives a
    template's references by name (by default, by parsing its source).
    """

    def parse(current: str) -> list[str | None]:
        source, _, _ = env.loader.get_source(env, current)  # type: ignore[union-attr]
        return referenced_templates(env, source)

    seen: set[str] = set()
    pending = [name]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        for referenced in (references or parse)(current):
            if referenced is None:
                return None
            pending.append(referenced)
    return sorted(seen)


class TemplateKeys:
    """The hash of each output template's closure, as the environment would load it.

    Each template's source is read once per batch. The source hash covers which folder it
    came from too, so a template added to the user's folder (shadowing a built-in) changes
    the key although the name stays. What a template references is kept in `store` by its
    source's hash, since parsing every template again would cost each run a tenth of a second.
    """

    def __init__(self, env: jinja2.Environment, store: BuildCache | None = None) -> None:
        self.env = env
        self.store = store
        self._sources: dict[str, tuple[str, str]] = {}
        self._references: dict[str, list[str | None]] = {}
        self._closures: dict[str, str] = {}

    def _source(self, name: str) -> tuple[str, str]:
        """(hash, source) of the template the environment loads as `name`."""
        known = self._sources.get(name)
        if known is None:
            source, filename, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
            known = self._sources[name] = (digest(name, filename or "", source), source)
        return known

    def _source_key(self, name: str) -> str:
        return self._source(name)[0]

    def references(self, name: str) -> list[str | None]:
        """What template `name` includes, imports or extends (None: computed at render time)."""
        known = self._references.get(name)
        if known is None:
            key, source = self._source(name)
            stored = self.store.get(digest("references", key)) if self.store else None
            if isinstance(stored, list):
                known = stored
            else:
                known = referenced_templates(self.env, source)
                if self.store is not None:
                    self.store.put(digest("references", key), known)
            self._references[name] = known
        return known

    def _all(self) -> list[str]:
        return sorted(self.env.list_templates())

    def key(self, name: str) -> str:
        """The key of `name`'s closure (every template, when the closure cannot be known)."""
        known = self._closures.get(name)
        if known is None:
            closure = template_closure(self.env, name, self.references) or self._all()
            known = self._closures[name] = digest(*(self._source_key(n) for n in closure))
        return known

    def keys(self, names: Iterable[str]) -> str:
        """One key over several templates' closures."""
        return digest(*(self.key(n) for n in sorted(set(names))))


class BuildCache:
    """Pickled results by key, in a private folder, bounded to `max_bytes`."""

    def __init__(self, folder: Path | None, max_bytes: int = MAX_BYTES) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self.hits = 0
        self.misses = 0
        self._writes = 0

    @classmethod
    def default(cls) -> BuildCache:
        """The user's cache, or a cache that keeps nothing where there is no private folder."""
        return cls(private_dir("actions"))

    def _path(self, key: str) -> Path | None:
        return None if self.folder is None else self.folder / f"{key}.pickle"

    def get(self, key: str) -> Any | None:
        """The value stored under `key`, or None."""
        path = self._path(key)
        if path is None:
            return None
        try:
            with open(path, "rb") as handle:
                stored_key, value = pickle.load(handle)
                used = os.fstat(handle.fileno()).st_mtime
        except Exception:  # missing, truncated, from another version: a miss
            self.misses += 1
            return None
        if stored_key != key:
            self.misses += 1
            return None
        if time.time() - used > TOUCH_AFTER:
            with contextlib.suppress(OSError):
                os.utime(path)  # recently used: pruned last
        self.hits += 1
        return value

    def put(self, key: str, value: Any) -> None:
        """Store `value` under `key`, atomically; a failure to store is not an error."""
        path = self._path(key)
        if path is None:
            return
        with contextlib.suppress(OSError, pickle.PicklingError, TypeError, AttributeError):
            fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump((key, value), handle, pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        self._writes += 1
        if self._writes % PRUNE_EVERY == 0 or (self._writes == 1 and self._prune_due()):
            self.prune()

    def _prune_due(self) -> bool:
        """Whether no process has checked the cache's size for `PRUNE_INTERVAL` seconds."""
        assert self.folder is not None
        try:
            last = (self.folder / ".pruned").stat().st_mtime
        except OSError:
            return True
        return time.time() - last > PRUNE_INTERVAL

    def prune(self) -> None:
        """Remove the least recently used entries until the folder fits `max_bytes`."""
        if self.folder is None:
            return
        with contextlib.suppress(OSError):
            (self.folder / ".pruned").touch()
        with contextlib.suppress(OSError):
            entries = []
            for entry in os.scandir(self.folder):
                if entry.name.endswith(".pickle"):
                    info = entry.stat()
                    entries.append((info.st_mtime_ns, info.st_size, entry.path))
            total = sum(size for _, size, _ in entries)
            for _, size, path in sorted(entries):
                if total <= self.max_bytes:
                    break
                with contextlib.suppress(OSError):
                    os.unlink(path)
                total -= size
