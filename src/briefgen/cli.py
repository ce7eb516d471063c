"""The command line: parse options, build option objects from settings, call the library,
print with paths relative to the current folder, and map the outcome to an exit code.

Exit codes live here (and in report.py for batches): 0 ok, 1 a guard failed, 2 bad input.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from briefgen import __version__

if TYPE_CHECKING:
    from collections.abc import Iterator

    from briefgen.errors import BriefgenError
    from briefgen.pipeline import Progress
    from briefgen.settings import Settings

EXIT_OK = 0
EXIT_GUARD = 1
EXIT_USAGE = 2
#: A bug in briefgen, not in what it was given (sysexits' EX_SOFTWARE), so a script or CI job
#: can tell "fix your brief" (2) from "report this" (70); report.py maps briefs the same way.
EXIT_BUG = 70

app = typer.Typer(
    name="briefgen",
    help=(
        "Turn a sourced story brief into a balanced email, social captions and citations, "
        "and guard every output so no caveat, source or quote is lost.\n\n"
        "Exit codes: 0 ok, 1 a guard failed, 2 bad input or usage, 70 a bug in briefgen."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Format(StrEnum):
    """Report formats of `check`."""

    text = "text"
    json = "json"
    github = "github"


BriefsArg = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Brief folders, brief.yaml files or slugs (default: every brief under seeds/).",
        show_default=False,
    ),
]
TemplatesOpt = Annotated[
    Path | None,
    typer.Option("--templates", help="Your template folder, searched before the built-in one."),
]
JobsOpt = Annotated[
    int | None,
    typer.Option(
        "--jobs", "-j", min=1, help="Worker processes for large batches (default: all cores)."
    ),
]
PlatformOpt = Annotated[
    str | None,
    typer.Option("--platform", help="Comma-separated platforms to caption, e.g. x,bluesky."),
]
StrictOpt = Annotated[
    bool,
    typer.Option(
        "--strict", help="Warnings fail too (exit 1), as errors do (default: the strict setting)."
    ),
]

NoCacheOpt = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Check every brief afresh, not reusing the results of briefs unchanged since "
        "they last passed (the cache is in ~/.cache/briefgen/ and safe to delete).",
    ),
]


def _settings(
    templates: Path | None = None,
    platform: str | None = None,
    strict: bool = False,
    no_cache: bool = False,
) -> Settings:
    from briefgen.settings import load_settings

    platforms = [p.strip() for p in platform.split(",") if p.strip()] if platform else None
    return load_settings(
        templates_dir=templates,
        platforms=platforms,
        strict=True if strict else None,
        cache=False if no_cache else None,
    )


def _briefs(briefs: list[Path] | None, settings: Settings) -> list[Path]:
    """The brief files named (folders, brief.yaml files or slugs), or every brief; as paths
    relative to the current folder, for messages."""
    from briefgen.paths import display_path
    from briefgen.pipeline import resolve_paths

    return [display_path(path) for path in resolve_paths(briefs or [], settings)]


def exit_code_of(error: BriefgenError) -> int:
    """1 when the guard refused, 70 for a bug in briefgen, 2 for everything a user can cause."""
    from briefgen.errors import GuardError, InternalError

    if isinstance(error, InternalError):
        return EXIT_BUG
    return EXIT_GUARD if isinstance(error, GuardError) else EXIT_USAGE


def _version(value: bool) -> None:
    if value:
        typer.echo(f"briefgen {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """briefgen: one brief in, every output out, every caveat kept."""


@app.command()
def render(
    briefs: BriefsArg = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Output folder (default: outputs/).")
    ] = None,
    templates: TemplatesOpt = None,
    platform: PlatformOpt = None,
    jobs: JobsOpt = None,
    strict: StrictOpt = False,
    no_cache: NoCacheOpt = False,
) -> None:
    """Render each brief into OUT/<slug>/ (email, captions, citations, manifest).

    Every brief is guarded first; one with a guard error (or, with --strict, a warning) writes
    nothing and keeps its previous outputs. Warnings are reported and the outputs written.
    Example: briefgen render seeds/baby-botox --out outputs
    """
    from briefgen.pipeline import render_briefs
    from briefgen.rendering.eml import header_warnings
    from briefgen.report import exit_code, format_text
    from briefgen.settings import email_headers

    settings = _settings(templates, platform, strict, no_cache)
    for warning in header_warnings(email_headers(settings)):
        typer.echo(f"briefgen: warning: {warning}", err=True)
    paths = _briefs(briefs, settings)
    waited: list[Path] = []

    def waiting(folder: Path) -> None:
        if not waited:
            typer.echo(f"waiting for another briefgen writing into {folder} …", err=True)
        waited.append(folder)

    with _progress("Rendering") as progress:
        report = render_briefs(paths, settings, out, progress=progress, jobs=jobs, on_wait=waiting)
    code = exit_code(report)
    typer.echo(format_text(report, "rendered"), err=code != EXIT_OK)
    raise typer.Exit(code)


@app.command()
def check(
    briefs: BriefsArg = None,
    format: Annotated[
        Format,
        typer.Option(
            "--format", help="text, json (stable, versioned) or github (workflow annotations)."
        ),
    ] = Format.text,
    templates: TemplatesOpt = None,
    platform: PlatformOpt = None,
    jobs: JobsOpt = None,
    strict: StrictOpt = False,
    no_cache: NoCacheOpt = False,
) -> None:
    """Render each brief in memory and run the guard; writes nothing.

    Errors fail (exit 1): an output loses a required caveat or a source, a quote or figure is
    not in its source, a claim stands unanswered, a caption overflows its platform's limit, or
    the email is too big for Gmail. Warnings (language, the caveats' share) are reported and
    fail only with --strict. Example: briefgen check --format github
    """
    from briefgen.errors import BriefgenError
    from briefgen.pipeline import check_briefs
    from briefgen.report import exit_code, format_github, format_json, format_text

    try:
        settings = _settings(templates, platform, strict, no_cache)
        paths = _briefs(briefs, settings)
        with _progress("Checking") as progress:
            report = check_briefs(paths, settings, progress=progress, jobs=jobs)
    except BriefgenError as exc:
        if format == Format.json:  # scripts parse stdout: it is JSON whatever happens
            typer.echo(_json_failure(exc))
        raise
    formatter = {Format.text: format_text, Format.json: format_json, Format.github: format_github}
    typer.echo(formatter[format](report))
    raise typer.Exit(exit_code(report))


@app.command()
def preview(
    brief: Annotated[
        Path | None,
        typer.Argument(
            help="Brief folder, brief.yaml or slug (default: the only brief under seeds/).",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Preview folder (default: .briefgen/preview/)."),
    ] = None,
    watch: Annotated[
        bool,
        typer.Option("--watch", help="Serve the page on localhost and refresh it on every save."),
    ] = False,
    port: Annotated[
        int,
        typer.Option("--port", min=0, max=65535, help="Port for --watch (0: any free port)."),
    ] = 8765,
    templates: TemplatesOpt = None,
    platform: PlatformOpt = None,
) -> None:
    """Write OUT/<slug>/preview.html: the email at desktop and mobile widths, each caption
    as its platform's post with its count against the limit, the citations, and the guard's
    verdict on every output. Works when the guard fails or a template is broken.

    With --watch it serves the page on http://127.0.0.1:PORT/, re-renders when the brief,
    its sources or a template changes, and reloads the browser tab. Ctrl-C stops it.
    Example: briefgen preview seeds/baby-botox --watch
    """
    settings = _settings(templates, platform)
    if watch:
        from briefgen.editor.watch import watch_preview

        watch_preview(brief, settings, out, port=port, log=typer.echo)
        return
    from briefgen.editor.preview import preview_brief
    from briefgen.paths import display_path

    page = preview_brief(brief, settings, out)
    code = exit_code_of(page.error) if page.error is not None else EXIT_OK
    if code == EXIT_OK and page.status == "failed":
        code = EXIT_GUARD
    typer.echo(page.summary, err=code != EXIT_OK)
    if page.written is not None:
        typer.echo(f"wrote {display_path(page.written)}")
    raise typer.Exit(code)


@app.command()
def new(
    slug: Annotated[str, typer.Argument(help="The new brief's slug, like cold-plunges.")],
    seeds: Annotated[
        Path | None, typer.Option("--seeds", help="Briefs folder (default: seeds/).")
    ] = None,
) -> None:
    """Scaffold SEEDS/SLUG/brief.yaml with every field of the format, commented.

    The brief loads at once, so `briefgen preview` shows it; the guard fails until its
    placeholder quotes are replaced by words copied from the source's text. Never overwrites.
    Example: briefgen new cold-plunges
    """
    from briefgen.editor.scaffold import new_brief
    from briefgen.paths import display_path

    settings = _settings()
    folder = seeds if seeds is not None else settings.path(settings.seeds_dir)
    scaffold = new_brief(slug, folder, settings.root)
    for path in scaffold.files:
        typer.echo(f"wrote {display_path(path)}")
    typer.echo(f"next: fill in {display_path(scaffold.brief)}, then run:")
    typer.echo(f"  briefgen preview --watch {display_path(scaffold.brief.parent)}")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the brief format, for editors' completion and validation.

    A brief names it in its first line, as `briefgen new` writes it:
    # yaml-language-server: $schema=../../schema/brief.schema.json
    Example: briefgen schema > schema/brief.schema.json
    """
    from briefgen.brief.schema import schema_json

    typer.echo(schema_json(), nl=False)


@app.command("send-test")
def send_test(
    brief: Annotated[Path, typer.Argument(help="The brief folder, its brief.yaml or its slug.")],
    to: Annotated[str, typer.Option("--to", help="The one address to send the test to.")],
    templates: TemplatesOpt = None,
) -> None:
    """Send the brief's email (both parts, as readers get it) to one address, as a test.

    Renders and guards the brief in memory first and refuses to send one that fails.
    Uses smtp_host, smtp_port, smtp_starttls and smtp_user from settings; the password
    only from the BRIEFGEN_SMTP_PASSWORD environment variable.
    Example: BRIEFGEN_SMTP_PASSWORD=... briefgen send-test seeds/baby-botox --to me@example.org
    """
    from briefgen.editor.send import send_test as send

    sent = send(brief, to, _settings(templates))
    typer.echo(f"sent “{sent.subject}” from {sent.sender} to {sent.to} via {sent.server}")


@contextmanager
def _progress(verb: str) -> Iterator[Progress | None]:
    """A rich progress bar on stderr when it is a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(
        TextColumn(f"{verb} briefs"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task("", total=None)

    def advance(done: int, total: int, path: str) -> None:
        bar.update(task, completed=done, total=total, description=path)

    with bar:
        yield advance


def main() -> None:
    """Entry point: run the app; every failure ends as one line on stderr and an exit code.

    A `BriefgenError` (bad input, usage, a failed guard) exits with its own code. Anything else
    is a bug in briefgen: one line says so and names the file holding the traceback, to
    attach to a bug report, and the exit code is 70 (EX_SOFTWARE), so scripts can tell it
    from bad input (2).
    """
    from briefgen.errors import BriefgenError, InternalError

    # pydantic looks for plugins in every installed package's entry points the first time a
    # model is built (a few ms on each start, more in a large environment); the command line
    # loads none. Pydantic's documented switch, set only when the user has not chosen; the
    # library (`import briefgen`) leaves it alone.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    try:
        app()  # usage errors, Ctrl-C (130) and exit codes are typer's
    except BriefgenError as exc:
        typer.echo(f"briefgen: error: {_one_line(str(exc))}", err=True)
        sys.exit(exit_code_of(exc))
    except Exception as exc:  # every other exception is a bug: say so, keep the traceback
        bug = InternalError.from_exception(exc)
        typer.echo(f"briefgen: error: {_one_line(str(bug))}", err=True)
        sys.exit(EXIT_BUG)


def _json_failure(error: BriefgenError) -> str:
    """`check --format json` when no brief could be checked (bad settings, templates, rules,
    no briefs): no briefs, and the error, in the report's own shape."""
    import json

    from briefgen.report import JSON_VERSION

    located = {
        "file": getattr(error, "path", None),
        "line": getattr(error, "line", None),
        "column": getattr(error, "column", None),
    }
    detail = {"message": error.message, "hint": error.hint, "kind": type(error).__name__}
    document = {
        "version": JSON_VERSION,
        "exit_code": exit_code_of(error),
        "briefs": [],
        "error": detail | located,
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)


def _one_line(text: str) -> str:
    """Messages quote user data: a line break or control character in it must not make two
    lines (or move the cursor) on the terminal."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


if __name__ == "__main__":
    main()
