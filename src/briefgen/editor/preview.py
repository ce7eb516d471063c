"""`briefgen preview`: one page showing every output as readers see it, and the guard's verdict."""

from __future__ import annotations

import contextlib
import html
import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from briefgen import api
from briefgen.errors import BriefgenError, InternalError, LocatedError, OutputError
from briefgen.guard.checks import Finding
from briefgen.guard.levels import blocking
from briefgen.outputs import FULL_OUTPUTS, caption_output
from briefgen.paths import display_path
from briefgen.rendering.context import BriefView
from briefgen.rendering.platforms import PLATFORMS
from briefgen.rendering.renderer import RenderedBrief
from briefgen.rendering.templating import make_environment, render_deadline, template_errors
from briefgen.settings import Settings, guard_options, render_options, template_folder
from briefgen.targets import SLUG_PATTERN, only_brief, resolve_target

#: Where previews go unless `--out` says otherwise, relative to the project root; kept out of
#: `outputs/` so a preview never mixes with what `render` writes (and the repository compares).
DEFAULT_DIR = Path(".briefgen") / "preview"
PREVIEW_TEMPLATE = "preview.html.j2"
PREVIEW_FILE = "preview.html"
#: The widths the email is shown at, in CSS pixels.
DESKTOP_WIDTH = 640
MOBILE_WIDTH = 375
_POST_TOKENS = re.compile(r"(https?://\S+)|((?<!\w)[#@][\w.]+\w)")


@dataclass(frozen=True)
class ProblemView:
    """Why a brief could not be rendered, as the page shows it."""

    kind: str
    message: str
    where: str
    hint: str


@dataclass(frozen=True)
class CaptionCard:
    """One platform's caption, measured against its limit."""

    platform: str
    label: str
    text: str
    count: int
    limit: int
    unit: str
    variant: str | None
    fits: bool
    problems: tuple[str, ...]
    findings: tuple[Finding, ...]

    @property
    def share(self) -> int:
        """How full the caption is, in percent of the limit (capped at 100 for the meter)."""
        return min(100, round(100 * self.count / self.limit)) if self.limit else 100


@dataclass(frozen=True)
class OutputCheck:
    """The guard's verdict on one output."""

    name: str
    findings: tuple[Finding, ...]

    @property
    def passed(self) -> bool:
        """Whether the guard found no error in this output (warnings do not fail it)."""
        return not any(f.level == "error" for f in self.findings)


@dataclass(frozen=True)
class PreviewView:
    """Everything the preview template may use, under the name `preview`."""

    path: str
    slug: str
    title: str
    status: str
    brief: BriefView | None
    email_html: str
    email_text: str
    citations_html: str
    captions: tuple[CaptionCard, ...]
    outputs: tuple[OutputCheck, ...]
    findings: tuple[Finding, ...]
    error: ProblemView | None
    desktop_width: int = DESKTOP_WIDTH
    mobile_width: int = MOBILE_WIDTH

    @classmethod
    def unrendered(cls, path: str, slug: str, error: ProblemView | None) -> PreviewView:
        """The page of a brief that could not be rendered: only the problem."""
        return cls(
            path=path,
            slug=slug,
            title=f"{slug} (not rendered)",
            status="error",
            brief=None,
            email_html="",
            email_text="",
            citations_html="",
            captions=(),
            outputs=(),
            findings=(),
            error=error,
        )


@dataclass
class Preview:
    """A built preview page and what it found."""

    slug: str
    path: Path
    html: str
    status: str
    findings: list[Finding] = field(default_factory=list)
    error: BriefgenError | None = None
    written: Path | None = None

    @property
    def summary(self) -> str:
        """One line for the terminal."""
        if self.error is not None:
            return f"{display_path(self.path)}: could not render: {self.error}"
        errors = sum(f.level == "error" for f in self.findings)
        if errors:
            return f"{display_path(self.path)}: guard failed ({errors} error(s))"
        if self.findings:
            return f"{display_path(self.path)}: guard passed with {len(self.findings)} note(s)"
        return f"{display_path(self.path)}: guard passed"


def post_text(value: str) -> Markup:
    """A caption as a post shows it: escaped, with links, #tags and @mentions highlighted."""
    out: list[str] = []
    last = 0
    for match in _POST_TOKENS.finditer(value):
        out.append(html.escape(value[last : match.start()]))
        kind = "link" if match.group(1) else "tag"
        out.append(f'<span class="{kind}">{html.escape(match.group())}</span>')
        last = match.end()
    out.append(html.escape(value[last:]))
    return Markup("".join(out))


def resolve_brief(target: Path | None, settings: Settings) -> Path:
    """The brief to preview: a folder, a brief.yaml, a slug under `seeds_dir`, or the only one."""
    seeds = settings.path(settings.seeds_dir)
    return only_brief(seeds) if target is None else resolve_target(target, seeds)


def safe_slug(path: Path, slug: str | None = None) -> str:
    """The folder name a preview is written under: the brief's slug when it has a valid one,
    else its folder's name when that is a valid slug, else `brief`. Never `..`, `/` or `.`."""
    for candidate in (slug, path.parent.name, path.resolve().parent.name):
        if candidate and re.fullmatch(SLUG_PATTERN, candidate):
            return candidate
    return "brief"


def _problem(error: BriefgenError) -> ProblemView:
    kind = type(error).__name__.removesuffix("Error").lower() or "error"
    where = error.where if isinstance(error, LocatedError) else ""
    return ProblemView(kind=kind, message=error.message, where=where, hint=error.hint)


def _outputs(names: list[str], findings: list[Finding]) -> tuple[OutputCheck, ...]:
    ordered = list(dict.fromkeys(["brief", *names, *(f.output for f in findings)]))
    return tuple(
        OutputCheck(name, tuple(f for f in findings if f.output == name)) for name in ordered
    )


def _view(
    path: Path, settings: Settings
) -> tuple[PreviewView, list[Finding], BriefgenError | None]:
    shown = str(display_path(path))
    slug = path.parent.name
    rendered: RenderedBrief | None = None
    findings: list[Finding] = []
    error: BriefgenError | None = None
    try:
        loaded = api.load(path)
        slug = loaded.brief.slug
        rendered = api.render(loaded, options=render_options(settings))
        findings = api.check(rendered, options=guard_options(settings))
    except BriefgenError as exc:  # the brief, settings, a template or the rules
        error = exc
    except Exception as exc:  # a bug: shown in the page, the traceback kept in a file
        error = InternalError.from_exception(exc, shown)
    if rendered is None:
        view = PreviewView.unrendered(
            shown, safe_slug(path, slug), _problem(error) if error is not None else None
        )
        return view, [], error
    cards = tuple(
        CaptionCard(
            platform=c.platform,
            label=PLATFORMS[c.platform].label,
            text=c.text,
            count=c.count,
            limit=c.limit,
            unit=c.unit,
            variant=c.variant,
            fits=c.fits and c.count <= c.limit,
            problems=c.problems,
            findings=tuple(f for f in findings if f.output == caption_output(c.platform).name),
        )
        for c in rendered.captions
    )
    names = [o.name for o in FULL_OUTPUTS]
    names += [caption_output(c.platform).name for c in rendered.captions]
    view = PreviewView(
        path=shown,
        slug=rendered.slug,
        title=rendered.context.title,
        status="failed" if blocking(findings, settings.strict) else "passed",
        brief=rendered.context,
        email_html=rendered.html,
        email_text=rendered.text,
        citations_html=rendered.citations_html,
        captions=cards,
        outputs=_outputs(names, findings),
        findings=tuple(findings),
        error=None,
    )
    return view, findings, None


def fallback_page(view: PreviewView, problem: ProblemView) -> str:
    """A plain page for when the preview template itself is broken."""
    where = f"{problem.where}: " if problem.where else ""
    hint = f"<p>{html.escape(problem.hint)}</p>" if problem.hint else ""
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Preview error: {html.escape(view.slug)}</title></head>"
        '<body style="font-family:sans-serif;margin:1rem">'
        f"<h1>{html.escape(view.title)}</h1>"
        '<section class="error" role="alert" style="border-left:6px solid #b91c1c;'
        'padding:.5rem 1rem;background:#fef2f2">'
        f"<h2>The {html.escape(problem.kind)} preview could not be shown</h2>"
        f'<pre style="white-space:pre-wrap">{html.escape(where + problem.message)}</pre>'
        f"{hint}</section></body></html>\n"
    )


def build_preview(target: Path, settings: Settings) -> Preview:
    """Render `target` in memory and build its preview page; a broken brief or template is
    shown in the page, never raised."""
    view, findings, error = _view(target, settings)
    env = make_environment(template_folder(settings))
    env.filters["post"] = post_text
    try:
        with render_deadline(settings.render_timeout), template_errors(env, PREVIEW_TEMPLATE):
            page = env.get_template(PREVIEW_TEMPLATE).render(preview=view)
    except BriefgenError as exc:
        problem = _problem(exc)
        page = fallback_page(view, ProblemView("template", problem.message, problem.where, ""))
        error = error or exc
    return Preview(view.slug, target, page, view.status, findings, error)


def preview_path(out_dir: Path, slug: str) -> Path:
    """`out_dir/slug/preview.html`."""
    return out_dir / slug / PREVIEW_FILE


def write_preview(preview: Preview, out_dir: Path) -> Path:
    """Write the page atomically to `out_dir/<slug>/preview.html`; returns its path.

    Like `render`, refuses a slug that is not one folder name and a `<slug>` that is a link.
    """
    if not re.fullmatch(SLUG_PATTERN, preview.slug):
        raise OutputError(f"slug '{preview.slug}' is not a single folder name")
    target = preview_path(out_dir, preview.slug)
    if target.parent.is_symlink() or target.is_symlink():
        raise OutputError(
            f"{target.parent if target.parent.is_symlink() else target} is a link, "
            "not a preview folder",
            hint="remove it, then preview again",
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temporaries(target.parent)
        handle, temporary = tempfile.mkstemp(prefix=".preview-", dir=target.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(preview.html)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target


#: A `.preview-*` file older than this was left by a preview that was killed while writing
#: (a live one replaces its file within milliseconds).
STALE_AFTER = 600.0


def _remove_stale_temporaries(folder: Path) -> None:
    """Remove the half-written pages killed previews left in `folder`."""
    now = time.time()
    for leftover in folder.glob(".preview-*"):
        with contextlib.suppress(OSError):
            if not leftover.is_symlink() and now - leftover.stat().st_mtime > STALE_AFTER:
                leftover.unlink()


def preview_brief(target: Path | None, settings: Settings, out_dir: Path | None = None) -> Preview:
    """`briefgen preview`: build one brief's preview page and write it (default: under
    `.briefgen/preview/`); the page is written even when the guard fails."""
    path = resolve_brief(target, settings)
    preview = build_preview(path, settings)
    destination = out_dir if out_dir is not None else settings.path(DEFAULT_DIR)
    preview.written = write_preview(preview, destination)
    return preview
