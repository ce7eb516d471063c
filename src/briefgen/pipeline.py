"""Batches over the API: check or render many briefs, in worker processes when there are many.

Each brief goes through the same steps as `briefgen.load/render/check/write`; a batch only adds
what a batch needs: one `Renderer` and one `Checker` for all briefs, workers, progress, and a
result per brief instead of the first exception.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from briefgen.api import Checker
from briefgen.buildcache import BuildCache
from briefgen.errors import BriefError, BriefgenError, InternalError, UsageError
from briefgen.guard.finding import Finding
from briefgen.guard.levels import blocking
from briefgen.incremental import BriefCache, Known
from briefgen.outputs import BRIEF
from briefgen.rendering.renderer import Renderer, part_of
from briefgen.settings import Settings, guard_options, render_options
from briefgen.targets import resolve_targets

if TYPE_CHECKING:
    from briefgen.rendering.renderer import RenderedBrief
    from briefgen.writer import Staged

#: Called after each brief with (briefs done, briefs in all, the brief just done).
Progress = Callable[[int, int, str], None]
#: passed: may be published; failed: the guard found something; error: could not be rendered.
Status = Literal["passed", "failed", "error"]
_WORST: tuple[Status, ...] = ("passed", "failed", "error")


@dataclass
class BriefResult:
    """What happened to one brief."""

    path: str
    slug: str | None = None
    findings: list[Finding] = field(default_factory=list)
    error: BriefgenError | None = None
    written: Path | None = None
    rendered: RenderedBrief | None = None
    strict: bool = False
    #: The units (`briefgen.outputs`) this run rendered and guarded; the others, unchanged
    #: since the brief last passed, came from the cache.
    units_rendered: tuple[str, ...] = ()
    #: The brief's key in the cache (its name and bytes), when there is a cache.
    cache_key: str | None = None

    @property
    def status(self) -> Status:
        """passed, failed (guard findings) or error (the brief or a template is broken)."""
        if self.error is not None:
            return "error"
        return "failed" if blocking(self.findings, self.strict) else "passed"


@dataclass
class Report:
    """The results of a batch, in the order the briefs were given."""

    results: list[BriefResult]

    @property
    def status(self) -> Status:
        """The worst status of any brief (passed when there are none)."""
        return max((r.status for r in self.results), key=_WORST.index, default="passed")

    @property
    def findings(self) -> list[Finding]:
        """Every guard finding of every brief."""
        return [f for r in self.results for f in r.findings]


@dataclass
class Batch:
    """One renderer and one checker, reused for every brief of a batch; with a cache, briefs
    whose inputs are unchanged since they last passed are not rendered again.

    A batch is one run: the cache's keys of templates, catalogs and settings are taken when
    it is made, so after an edit to those make a new one (each `check_briefs` and
    `render_briefs` call does)."""

    renderer: Renderer
    checker: Checker
    cache: BriefCache | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Batch:
        """Templates, platforms and rules as the project configures them; fails here, once."""
        renderer = Renderer(render_options(settings))
        checker = Checker(guard_options(settings))
        cache = None
        if settings.cache:
            cache = BriefCache(BuildCache.default(), renderer, checker.options)
        return cls(renderer, checker, cache)

    def kept(self, path: Path, folder: Path | None = None) -> BriefResult | None:
        """The result of a brief unchanged since it last passed, without loading it; with
        `folder` (its output folder), only when that folder is still as it was written."""
        if self.cache is None:
            return None
        key = self.cache.brief_key(path)
        kept = self.cache.report(key)
        if kept is None:
            return None
        result = BriefResult(path=str(path), strict=self.checker.options.strict, cache_key=key)
        result.slug, result.findings = kept.slug, list(kept.findings)
        if folder is not None:
            if not self.cache.up_to_date(key, folder / kept.slug):
                return None
            result.written = folder / kept.slug
        return result

    def check(self, path: Path) -> BriefResult:
        """Load, render and guard one brief, in memory; a problem becomes the result's error.

        With a cache, the units unchanged since the brief last passed are taken from it, and
        only the others are rendered and guarded (`units_rendered`)."""
        from briefgen.brief.loader import load_brief

        result = BriefResult(path=str(path), strict=self.checker.options.strict)
        try:
            cache = self.cache
            result.cache_key = key = cache.brief_key(path) if cache is not None else None
            prepared = cache.prepared(key) if cache is not None else None
            loaded = prepared.loaded if prepared is not None else load_brief(path)
            context = prepared.context if prepared is not None else None
            result.slug = loaded.brief.slug
            known = cache.known(key, loaded) if cache is not None else Known({}, {})
            rendered = self.renderer.render(loaded, known.parts, context)
            result.rendered = rendered
            raw = self.checker.raw_findings(rendered, known.raw)
            result.findings = self.checker.settle(rendered, raw)
            result.units_rendered = tuple(unit for unit in raw if unit not in known.raw)
            if cache is not None and result.status == "passed":
                fresh = [unit for unit in result.units_rendered if unit != BRIEF]
                parts = {unit: part_of(rendered, unit) for unit in fresh}
                new = rendered.context if prepared is None else None
                cache.keep(key, loaded, parts, raw, known, result.findings, new)
        except BriefgenError as exc:
            result.error = exc
        except OSError as exc:  # an unreadable file the brief names
            result.error = BriefError(
                f"cannot read {exc.filename or 'a file'}: {exc.strerror or exc}",
                path=result.path,
                hint="check that the brief's files are readable",
            )
        except Exception as exc:  # a bug must cost this brief only, not the batch
            result.error = InternalError.from_exception(exc, result.path)
        return result


def resolve_paths(targets: Sequence[str | Path], settings: Settings) -> list[Path]:
    """The briefs `targets` name (folders, brief.yaml files or slugs), or every brief."""
    return resolve_targets(targets, settings.path(settings.seeds_dir))


_WORKER: Batch | None = None
#: Below this many briefs to render a batch runs in this process: workers would cost more.
PARALLEL_THRESHOLD = 8


def _start_worker(settings: Settings) -> None:
    global _WORKER
    if _WORKER is None:  # spawned, not forked: build what the parent built
        _WORKER = Batch.from_settings(settings)


def _staged(result: BriefResult, out_dir: Path | None, batch: Batch) -> Staged | None:
    """With `out_dir`, a passed brief's outputs written beside its folder there, for the
    batch to swap in (so workers do the writing, and only a path travels back), and stamped
    in the cache as what that folder will hold."""
    rendered, result.rendered = result.rendered, None
    if out_dir is None or result.status != "passed" or rendered is None:
        return None
    from briefgen.writer import stage_outputs

    try:
        staged = stage_outputs(out_dir, rendered.slug, rendered.files, sync=False)
    except BriefgenError as exc:
        result.error = exc
        return None
    if batch.cache is not None:  # if the batch refuses the folder, the stamp never matches
        batch.cache.stamp(result.cache_key, staged.final, staged.staging)
    return staged


def _check_in_worker(path: Path, out_dir: Path | None) -> tuple[BriefResult, Staged | None]:
    assert _WORKER is not None
    result = _WORKER.check(path)
    return result, _staged(result, out_dir, _WORKER)


def _checked(
    paths: list[Path], settings: Settings, batch: Batch, jobs: int | None, out_dir: Path | None
) -> Iterator[tuple[BriefResult, Staged | None]]:
    """Check each brief, in order (with `out_dir`, staging the outputs of those that pass
    there: the caller holds `writing(out_dir)` and swaps them in).

    Briefs unchanged since they last passed (and, when rendering, whose output folders are
    as they were written) come from the cache in this process; the others are checked here,
    or in worker processes when there are many. Workers are forked after the templates, rules
    and cache keys are ready, so they start with them.
    """
    kept: dict[int, BriefResult] = {}
    for index, path in enumerate(paths):
        try:
            result = batch.kept(path, out_dir)
        except Exception:  # an odd cache or file: check the brief the ordinary way
            result = None
        if result is not None:
            kept[index] = result
    todo = [path for index, path in enumerate(paths) if index not in kept]
    workers = jobs or settings.jobs or os.cpu_count() or 1
    if workers < 2 or len(todo) < PARALLEL_THRESHOLD:
        fresh: Iterator[tuple[BriefResult, Staged | None]] = (
            (result, _staged(result, out_dir, batch)) for result in map(batch.check, todo)
        )
    else:
        fresh = _in_workers(todo, settings, batch, workers, out_dir)
    for index in range(len(paths)):
        yield (kept[index], None) if index in kept else next(fresh)


def _in_workers(
    paths: list[Path], settings: Settings, batch: Batch, workers: int, out_dir: Path | None
) -> Iterator[tuple[BriefResult, Staged | None]]:
    global _WORKER
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    forking = os.name == "posix"
    context = multiprocessing.get_context("fork" if forking else "spawn")
    chunk = max(1, min(32, len(paths) // (workers * 4)))
    done = 0
    _WORKER = batch if forking else None
    try:
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_start_worker, initargs=(settings,)
        ) as pool:
            folders = [out_dir] * len(paths)
            for item in pool.map(_check_in_worker, paths, folders, chunksize=chunk):
                done += 1
                yield item
    except BrokenProcessPool:  # a worker was killed (out of memory, a signal): not the batch
        for path in paths[done:]:
            lost = BriefResult(path=str(path))
            lost.error = InternalError(
                f"{lost.path}: the worker process checking it died (killed, or out of memory)",
                hint="run again; if it happens again with this brief, check it alone",
            )
            yield lost, None
    finally:
        _WORKER = None


def check_briefs(
    targets: Sequence[str | Path],
    settings: Settings,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> Report:
    """`briefgen check`: render every brief in memory and guard it; writes nothing."""
    batch = Batch.from_settings(settings)  # bad settings, templates or rules fail here, once
    paths = resolve_paths(targets, settings)
    results = []
    for done, (result, _) in enumerate(_checked(paths, settings, batch, jobs, None), start=1):
        results.append(result)
        if progress:
            progress(done, len(paths), str(result.path))
    return Report(results)


def render_briefs(
    targets: Sequence[str | Path],
    settings: Settings,
    out_dir: Path | None = None,
    progress: Progress | None = None,
    jobs: int | None = None,
    on_wait: Callable[[Path], None] | None = None,
) -> Report:
    """`briefgen render`: check each brief and write those that pass into `out_dir/<slug>/`.

    A brief that fails writes nothing and leaves its previous outputs as they were; the others
    are still written. Two briefs with one slug: the second is refused. `on_wait` is called
    when another process is writing into `out_dir` and this one waits its turn.

    Each brief's folder is swapped in atomically as it is written; the file system is synced
    once, after the batch, rather than once or more per brief.
    """
    from briefgen.writer import discard, swap_in, sync_outputs, writing

    batch = Batch.from_settings(settings)
    destination = out_dir if out_dir is not None else settings.path(settings.out_dir)
    paths = resolve_paths(targets, settings)
    results = []
    owners: dict[str, str] = {}
    written: list[BriefResult] = []
    with writing(destination, on_wait):
        checked = _checked(paths, settings, batch, jobs, destination)
        for done, (result, staged) in enumerate(checked, start=1):
            results.append(result)
            if result.slug is not None and result.slug in owners and result.error is None:
                result.error = UsageError(
                    f"{result.path}: slug '{result.slug}' is already used by {owners[result.slug]}",
                    hint="give each brief its own slug",
                )
            elif result.slug is not None:
                owners.setdefault(result.slug, result.path)
            if staged is not None and result.error is not None:
                discard(staged)
            elif staged is not None:
                try:
                    result.written = swap_in(staged, sync=False)
                except BriefgenError as exc:
                    result.error = exc
                else:
                    written.append(result)
            if progress:
                progress(done, len(paths), str(result.path))
        if written:
            try:
                sync_outputs(destination)
            except BriefgenError as exc:  # what was written may not be on disk: say so
                for result in written:
                    result.error = exc
    return Report(results)
