"""Incremental checks and renders: a brief whose inputs are unchanged is not rendered again.

An entry is keyed, as in Bazel's action cache, on the hash of exactly what a brief's result
depends on: briefgen's code and the versions of Jinja and MRML (`code_version`), the render and
guard options, the language rules file, every file in the template folders (templates and
catalogs, the user's and the built-in ones), the brief's own bytes and where it was named from.
The source texts a brief reads are only known once it is parsed, so, like Ninja's depfiles,
the entry records each one with its hash and is used only while they all still match.

Only briefs that passed are kept: a failed or broken brief is always checked again, so its
report is never stale. The outputs and the guard's findings come back exactly as they were.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from briefgen.brief.loader import LoadedBrief
from briefgen.buildcache import BuildCache, code_version, digest
from briefgen.guard.checks import Finding
from briefgen.options import GuardOptions, RenderOptions

#: Which layout of `CachedBrief` an entry holds; changing the class changes the code version.
_LAYOUT = "brief-v1"


@dataclass(frozen=True)
class CachedBrief:
    """A brief's result as the last run that rendered it left it."""

    slug: str
    findings: tuple[Finding, ...]
    files: dict[str, bytes]
    #: (path, sha256) of every other file the brief read, its source texts.
    deps: tuple[tuple[str, str], ...]


def _file_hash(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def folder_fingerprint(folders: list[Path]) -> str:
    """Every file under `folders` (names and bytes), in search order: templates and catalogs."""
    parts: list[bytes | str] = []
    for index, folder in enumerate(folders):
        for top, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                path = Path(top) / name
                parts += [f"{index}:{path.relative_to(folder).as_posix()}", _file_hash(path) or "?"]
    return digest(*parts)


class BriefCache:
    """Results of unchanged briefs, for one batch's templates, options and rules."""

    def __init__(
        self,
        store: BuildCache,
        render: RenderOptions,
        guard: GuardOptions,
        template_folders: list[Path],
    ) -> None:
        self.store = store
        rules = _file_hash(guard.lint_rules) if guard.lint_rules else ""
        self.context = digest(
            _LAYOUT,
            code_version(),
            repr(render),
            repr(guard),
            rules or "?",
            folder_fingerprint(template_folders),
            os.getcwd(),  # findings name files relative to it
        )

    @property
    def enabled(self) -> bool:
        """Whether anything is kept (there is a private cache folder)."""
        return self.store.folder is not None

    def _key(self, path: Path) -> str | None:
        brief = _file_hash(path)
        return None if brief is None else digest(self.context, str(path), brief)

    def get(self, path: Path) -> CachedBrief | None:
        """The kept result of the brief at `path`, if its inputs are all unchanged."""
        key = self._key(path) if self.enabled else None
        entry = self.store.get(key) if key is not None else None
        if not isinstance(entry, CachedBrief):
            return None
        for dep, expected in entry.deps:
            if _file_hash(Path(dep)) != expected:
                return None
        return entry

    def put(
        self, path: Path, loaded: LoadedBrief, findings: list[Finding], files: dict[str, bytes]
    ) -> None:
        """Keep the result of a brief that passed, with the source texts it read."""
        key = self._key(path) if self.enabled else None
        if key is None:
            return
        deps = []
        for source in loaded.brief.sources:
            if source.text is not None:
                dep = loaded.folder / source.text
                sha = _file_hash(dep)
                if sha is None:
                    return
                deps.append((str(dep), sha))
        entry = CachedBrief(loaded.brief.slug, tuple(findings), dict(files), tuple(deps))
        self.store.put(key, entry)
