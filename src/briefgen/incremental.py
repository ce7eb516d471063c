"""Incremental checks and renders: only what changed is rendered and guarded again.

Each unit of a brief (the email, the citations, each caption: `briefgen.outputs`) is kept with
the guard's findings about it, keyed, as in Bazel's action cache, on the hash of exactly what it
depends on: the brief's bytes, the closure of templates the unit loads (includes and imports),
the translation catalogs, the render and guard options, the language rules file, and briefgen's
code with the versions of Jinja, MRML and Python (`code_version`). The findings about the brief
itself (quotes and figures against the source texts, the wording of its fields) are kept under
the brief and the source texts it read. After an edit to `social/x.txt.j2` only the X caption
is rendered and guarded again; after an edit to a source text, only the brief's own checks run.
A brief's units are stored together, with the brief as loaded, in one entry (`Bundle`).

A brief whose every unit is unchanged is not even loaded: its report comes back from one small
entry, whose source texts, like Ninja's depfiles, are recorded with their hashes and checked.
An output folder written from such an entry is stamped (each file's size, time and inode, as
git's index does), so rendering into an up-to-date folder reads and writes nothing.

Only briefs that passed are kept: a failed or broken brief is always checked again, so its
report is never stale.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.buildcache import BuildCache, TemplateKeys, code_version, digest
from briefgen.guard.finding import Finding, RawFinding
from briefgen.options import GuardOptions
from briefgen.outputs import BRIEF, templates_of, units

if TYPE_CHECKING:  # the report of an unchanged brief is read without loading the renderer
    from briefgen.brief.loader import LoadedBrief
    from briefgen.rendering.context import BriefView
    from briefgen.rendering.renderer import Part, Renderer

#: Which layout of the entries below the cache holds; changing them changes the code version.
_LAYOUT = "bundles-v1"


@dataclass(frozen=True)
class KeptBrief:
    """The report of a brief that passed, as the last run that checked it left it."""

    slug: str
    findings: tuple[Finding, ...]
    #: (path, sha256) of every other file the brief read, its source texts.
    deps: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Prepared:
    """A brief loaded and validated, with its render context (the views templates see, with
    their citation entries): what every unit renders from, made once for all of them."""

    loaded: LoadedBrief
    context: BriefView
    deps: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class KeptUnit:
    """One unit of a brief that passed: what rendering it produced and the guard's findings
    about it, before levels and waivers (those are applied to the whole brief)."""

    part: Part | None
    raw: tuple[RawFinding, ...]


@dataclass(frozen=True)
class Bundle:
    """Everything kept about one brief (one brief key): the brief prepared, and each unit by
    its key. One entry, so a brief rendered from scratch creates one cache file for them, not
    one per unit (creating files is most of what keeping costs); the report, which an
    unchanged brief reads alone, is kept apart."""

    prepared: Prepared | None
    units: dict[str, KeptUnit]


@dataclass(frozen=True)
class Known:
    """What the cache holds for a loaded brief: the parts to reuse and the units' findings."""

    parts: dict[str, Part]
    raw: dict[str, list[RawFinding]]


def _file_hash(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _deps(loaded: LoadedBrief) -> tuple[tuple[str, str], ...] | None:
    """(path, sha256) of each source text the brief read; None when one cannot be read."""
    deps = []
    for source in loaded.brief.sources:
        if source.text is not None:
            dep = loaded.folder / source.text
            sha = _file_hash(dep)
            if sha is None:
                return None
            deps.append((str(dep), sha))
    return tuple(deps)


def _fresh(deps: tuple[tuple[str, str], ...]) -> bool:
    """Whether every file in `deps` still has the bytes it had."""
    return all(_file_hash(Path(dep)) == expected for dep, expected in deps)


def folder_fingerprint(folders: Sequence[Path]) -> str:
    """Every file under `folders` (names and bytes), in search order."""
    parts: list[bytes | str] = []
    for index, folder in enumerate(folders):
        for top, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                path = Path(top) / name
                parts += [f"{index}:{path.relative_to(folder).as_posix()}", _file_hash(path) or "?"]
    return digest(*parts)


def _unit_keys(renderer: Renderer, store: BuildCache) -> dict[str, str | None]:
    """Each unit's template key; None for a unit whose templates cannot be read or parsed
    (it is never kept, so each brief reports the broken template itself)."""
    from briefgen.rendering.renderer import enabled_platforms

    templates = TemplateKeys(renderer.env, store)
    keys: dict[str, str | None] = {}
    for unit in units(enabled_platforms(renderer.options.platforms)):
        try:
            keys[unit] = templates.keys(templates_of(unit))
        except Exception:  # a missing template, a syntax error: found again when rendering
            keys[unit] = None
    keys[BRIEF] = ""
    return keys


class BriefCache:
    """Kept units and reports of briefs, for one batch's templates, options and rules."""

    def __init__(self, store: BuildCache, renderer: Renderer, guard: GuardOptions) -> None:
        self.store = store
        folders = [Path(p) for p in getattr(renderer.env.loader, "searchpath", [])]
        rules = _file_hash(guard.lint_rules) if guard.lint_rules else ""
        self.context = digest(
            _LAYOUT,
            code_version(),
            repr(renderer.options),
            repr(guard),
            rules or "?",
            # Catalogs give every unit its words and the brief its `no-catalog` notice.
            folder_fingerprint([folder / "locale" for folder in folders]),
            os.getcwd(),  # findings name files relative to it
        )
        self.unit_keys = _unit_keys(renderer, store)
        whole = list(self.unit_keys.values())
        self.whole = None if None in whole else digest(*(k or "" for k in whole))
        #: The bundle read last, by brief key.
        self._last: tuple[str, Bundle | None] | None = None

    @property
    def enabled(self) -> bool:
        """Whether anything is kept (there is a private cache folder)."""
        return self.store.folder is not None

    def brief_key(self, path: Path) -> str | None:
        """The key of the brief at `path` as it is now: its name and bytes, in this context."""
        if not self.enabled:
            return None
        brief = _file_hash(path)
        return None if brief is None else digest(self.context, str(path), brief)

    def _report_key(self, brief_key: str) -> str | None:
        return None if self.whole is None else digest("report", brief_key, self.whole)

    def report(self, brief_key: str | None) -> KeptBrief | None:
        """The kept report of a brief whose units and source texts are all unchanged."""
        key = self._report_key(brief_key) if brief_key is not None else None
        entry = self.store.get(key) if key is not None else None
        if not isinstance(entry, KeptBrief) or not _fresh(entry.deps):
            return None
        return entry

    def _bundle(self, brief_key: str) -> Bundle | None:
        """The brief's bundle, read once per brief and run (`prepared`, `known` and `keep` of
        one brief come one after another)."""
        if self._last is not None and self._last[0] == brief_key:
            return self._last[1]
        entry = self.store.get(digest("bundle", brief_key))
        bundle = entry if isinstance(entry, Bundle) else None
        self._last = (brief_key, bundle)
        return bundle

    def prepared(self, brief_key: str | None) -> Prepared | None:
        """The brief loaded and its context made, by an earlier run, if its inputs are all
        unchanged (rendering a unit again then starts from them)."""
        bundle = self._bundle(brief_key) if brief_key is not None else None
        entry = bundle.prepared if bundle is not None else None
        if entry is None or not _fresh(entry.deps):
            return None
        return entry

    def _unit_key(self, brief_key: str, unit: str, loaded: LoadedBrief) -> str | None:
        template_key = self.unit_keys.get(unit)
        if template_key is None:
            return None
        if unit == BRIEF:  # quotes and figures are checked against the source texts
            texts = sorted(loaded.source_texts.items())
            return digest("unit", brief_key, unit, *(part for item in texts for part in item))
        return digest("unit", brief_key, unit, template_key)

    def known(self, brief_key: str | None, loaded: LoadedBrief) -> Known:
        """The units of `loaded` kept from an earlier run with the same inputs."""
        known = Known({}, {})
        bundle = self._bundle(brief_key) if brief_key is not None else None
        if brief_key is None or bundle is None:
            return known
        for unit in self.unit_keys:
            key = self._unit_key(brief_key, unit, loaded)
            entry = bundle.units.get(key) if key is not None else None
            if entry is not None:
                if entry.part is not None:
                    known.parts[unit] = entry.part
                known.raw[unit] = list(entry.raw)
        return known

    def keep(
        self,
        brief_key: str | None,
        loaded: LoadedBrief,
        parts: Mapping[str, Part],
        raw: Mapping[str, Sequence[RawFinding]],
        known: Known,
        findings: Sequence[Finding],
        context: BriefView | None = None,
    ) -> None:
        """Keep the units this run rendered, and the report, of a brief that passed; with
        `context`, the brief as loaded and prepared for rendering too. Units whose inputs
        changed since are dropped from the brief's bundle."""
        deps = _deps(loaded)
        if brief_key is None or deps is None:
            return
        old = self._bundle(brief_key)
        prepared = Prepared(loaded, context, deps) if context is not None else None
        if prepared is None and old is not None:
            prepared = old.prepared
        keys = {unit: self._unit_key(brief_key, unit, loaded) for unit in raw}
        kept = {
            key: entry
            for key, entry in (old.units.items() if old is not None else ())
            if key in keys.values()
        }
        for unit, found in raw.items():
            key = keys[unit]
            if key is not None and unit not in known.raw:
                kept[key] = KeptUnit(parts.get(unit), tuple(found))
        bundle = Bundle(prepared, kept)
        self.store.put(digest("bundle", brief_key), bundle)
        self._last = (brief_key, bundle)
        report_key = self._report_key(brief_key)
        if report_key is not None:
            self.store.put(report_key, KeptBrief(loaded.brief.slug, tuple(findings), deps))

    # -- output folders -------------------------------------------------------------------------
    def _stamp_key(self, brief_key: str, folder: Path) -> str | None:
        report = self._report_key(brief_key)
        return None if report is None else digest("stamp", report, os.path.realpath(folder))

    def stamp(self, brief_key: str | None, folder: Path, staged: Path | None = None) -> None:
        """Record what `folder` holds right after this brief's outputs were written into it;
        with `staged`, what it will hold once that staged folder is swapped in (renaming a
        folder keeps its files' names, sizes, times and inodes)."""
        key = self._stamp_key(brief_key, folder) if brief_key is not None else None
        listing = _listing(staged or folder) if key is not None else None
        if key is not None and listing is not None:
            self.store.put(key, listing)

    def up_to_date(self, brief_key: str | None, folder: Path) -> bool:
        """Whether `folder` holds what this brief's outputs were when last written, untouched."""
        key = self._stamp_key(brief_key, folder) if brief_key is not None else None
        if key is None:
            return False
        stamped = self.store.get(key)
        return stamped is not None and stamped == _listing(folder)


#: Each file of an output folder: (path, size, modification time in ns, inode).
Listing = tuple[tuple[str, int, int, int], ...]


def _listing(folder: Path) -> Listing | None:
    """The files of `folder` and their stat stamps; None when it is not a plain folder."""
    found: list[tuple[str, int, int, int]] = []
    if folder.is_symlink() or not folder.is_dir():
        return None
    try:
        pending = [("", str(folder))]
        while pending:
            prefix, top = pending.pop()
            with os.scandir(top) as entries:
                for entry in entries:
                    name = prefix + entry.name
                    if entry.is_dir(follow_symlinks=False):
                        pending.append((name + "/", entry.path))
                        found.append((name + "/", 0, 0, entry.inode()))
                        continue
                    info = entry.stat(follow_symlinks=False)
                    found.append((name, info.st_size, info.st_mtime_ns, info.st_ino))
    except OSError:
        return None
    return tuple(sorted(found))
