"""The commands' library functions: load → context → render → guard → write, brief by brief."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.brief.loader import brief_file, find_briefs, load_brief
from briefgen.errors import (
    EXIT_GUARD,
    EXIT_OK,
    BriefError,
    BriefgenError,
    InternalError,
    UsageError,
)
from briefgen.guard.checks import Finding, guard
from briefgen.guard.lint import Rule, load_rules
from briefgen.paths import display_path
from briefgen.rendering.eml import check_settings as check_eml_settings
from briefgen.rendering.platforms import PLATFORMS
from briefgen.rendering.renderer import RenderedBrief, render_brief
from briefgen.rendering.templating import make_environment, render_deadline
from briefgen.settings import Settings

#: Called after each brief with (briefs done, briefs in all, the brief just done).
Progress = Callable[[int, int, str], None]


@dataclass
class BriefResult:
    """What happened to one brief."""

    path: str
    slug: str | None = None
    findings: list[Finding] = field(default_factory=list)
    error: BriefgenError | None = None
    written: Path | None = None
    rendered: RenderedBrief | None = None

    @property
    def exit_code(self) -> int:
        """0 passed, 1 the guard failed, 2 the brief or a template is broken."""
        if self.error is not None:
            return self.error.exit_code
        return EXIT_GUARD if self.findings else EXIT_OK


@dataclass
class Report:
    """The results of a batch, in the order the briefs were given."""

    results: list[BriefResult]

    @property
    def exit_code(self) -> int:
        """The worst exit code of any brief."""
        return max((r.exit_code for r in self.results), default=EXIT_OK)

    @property
    def findings(self) -> list[Finding]:
        """Every guard finding of every brief."""
        return [f for r in self.results for f in r.findings]


def resolve_targets(targets: Sequence[Path], settings: Settings) -> list[Path]:
    """The brief files named on the command line, or every brief under `seeds_dir`."""
    try:
        if targets:
            return [brief_file(Path(t)) for t in targets]
        return find_briefs(settings.path(settings.seeds_dir))
    except OSError as exc:  # a folder without read permission, a vanished disk
        raise UsageError(
            f"cannot read {exc.filename or settings.seeds_dir}: {exc.strerror or exc}",
            hint="check that the folder exists and is readable",
        ) from None


class Renderer:
    """One Jinja environment and rule set, reused across every brief of a batch."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        user_dir = settings.path(settings.templates_dir) if settings.templates_dir else None
        self.env = make_environment(user_dir)
        rules_path = settings.path(settings.lint_rules) if settings.lint_rules else None
        self.rules: list[Rule] = load_rules(rules_path)
        settings.platform_names(list(PLATFORMS))  # refuse unknown platform names up front
        check_eml_settings(settings)

    def check(self, path: Path) -> BriefResult:
        """Load, render and guard one brief, in memory."""
        result = BriefResult(path=str(display_path(path)))
        try:
            loaded = load_brief(path)
            result.slug = loaded.brief.slug
            with render_deadline(self.settings.render_timeout):
                rendered = render_brief(loaded, self.env, self.settings)
            result.rendered = rendered
            result.findings = guard(rendered, self.rules, self.settings.caveat_share_floor)
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


_WORKER: Renderer | None = None
#: Below this many briefs a batch runs in this process: starting workers would cost more.
PARALLEL_THRESHOLD = 8


def _start_worker(settings: Settings) -> None:
    global _WORKER
    _WORKER = Renderer(settings)


def _files(result: BriefResult, want_files: bool) -> dict[str, bytes] | None:
    """The files to write for a brief that passed, when the caller writes."""
    if not want_files or result.rendered is None or result.exit_code != EXIT_OK:
        return None
    return result.rendered.files()


def _check_in_worker(path: Path, want_files: bool) -> tuple[BriefResult, dict[str, bytes] | None]:
    assert _WORKER is not None
    result = _WORKER.check(path)
    files = _files(result, want_files)
    result.rendered = None
    return result, files


def _checked(
    paths: list[Path], renderer: Renderer, jobs: int | None, want_files: bool
) -> Iterator[tuple[BriefResult, dict[str, bytes] | None]]:
    """Check each brief, in order; in worker processes when the batch is large."""
    settings = renderer.settings
    workers = jobs or settings.jobs or os.cpu_count() or 1
    if workers < 2 or len(paths) < PARALLEL_THRESHOLD:
        for path in paths:
            result = renderer.check(path)
            yield result, _files(result, want_files)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    chunk = max(1, min(32, len(paths) // (workers * 4)))
    done = 0
    try:
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_start_worker, initargs=(settings,)
        ) as pool:
            flags = [want_files] * len(paths)
            for item in pool.map(_check_in_worker, paths, flags, chunksize=chunk):
                done += 1
                yield item
    except BrokenProcessPool:  # a worker was killed (out of memory, a signal): not the batch
        for path in paths[done:]:
            lost = BriefResult(path=str(display_path(path)))
            lost.error = InternalError(
                f"{lost.path}: the worker process checking it died (killed, or out of memory)",
                hint="run again; if it happens again with this brief, check it alone",
            )
            yield lost, None


def check_briefs(
    targets: Sequence[Path],
    settings: Settings,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> Report:
    """`briefgen check`: render every brief in memory and guard it; writes nothing."""
    renderer = Renderer(settings)  # bad settings, templates or rules fail here, once
    paths = resolve_targets(targets, settings)
    results = []
    for done, (result, _) in enumerate(_checked(paths, renderer, jobs, False), start=1):
        results.append(result)
        if progress:
            progress(done, len(paths), str(result.path))
    return Report(results)


def render_briefs(
    targets: Sequence[Path],
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
    """
    from briefgen.writer import write_outputs

    renderer = Renderer(settings)
    destination = out_dir if out_dir is not None else settings.path(settings.out_dir)
    paths = resolve_targets(targets, settings)
    results = []
    owners: dict[str, str] = {}
    for done, (result, files) in enumerate(_checked(paths, renderer, jobs, True), start=1):
        results.append(result)
        if result.slug is not None and result.slug in owners and result.error is None:
            result.error = UsageError(
                f"{result.path}: slug '{result.slug}' is already used by {owners[result.slug]}",
                hint="give each brief its own slug",
            )
        elif result.slug is not None:
            owners.setdefault(result.slug, result.path)
        if result.exit_code == EXIT_OK and files is not None and result.slug is not None:
            try:
                result.written = write_outputs(destination, result.slug, files, on_wait)
            except BriefgenError as exc:
                result.error = exc
        if progress:
            progress(done, len(paths), str(result.path))
    return Report(results)
