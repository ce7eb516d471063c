"""The one Jinja environment factory: sandboxed, strict, searching the user's folder first."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from briefgen.errors import TemplateError

_PACKAGE = Path(__file__).resolve().parent
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~#])")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def builtin_templates_dir() -> Path:
    """The templates shipped with briefgen (in a wheel, or the repository's `templates/`)."""
    packaged = _PACKAGE / "_templates"
    return packaged if packaged.is_dir() else _PACKAGE.parent.parent / "templates"


def search_path(user_dir: Path | None) -> list[Path]:
    """Folders searched for a template, the user's first."""
    folders = [user_dir] if user_dir is not None else []
    return [*folders, builtin_templates_dir()]


def _autoescape(name: str | None) -> bool:
    return name is not None and name.removesuffix(".j2").endswith((".html", ".mjml"))


def md_escape(value: object) -> str:
    """Backslash-escape Markdown syntax so text shows as written."""
    return _MD_SPECIAL.sub(r"\\\1", str(value))


@jinja2.pass_context
def _finalize(context: jinja2.runtime.Context, value: Any) -> Any:
    """Markdown templates escape every value, as HTML templates do by autoescape."""
    name = context.name or ""
    if name.removesuffix(".j2").endswith(".md") and not isinstance(value, Markup):
        return Markup(md_escape(value)) if value is not None else value
    return value


def date_long(value: dt.date | None) -> str:
    """`2022-11-02` → `November 2, 2022` (English, independent of the machine's locale)."""
    if value is None:
        return ""
    return f"{_MONTHS[value.month - 1]} {value.day}, {value.year}"


def wrap(value: str, width: int = 72, indent: str = "") -> str:
    """Wrap plain text at `width` columns, continuing lines with `indent`."""
    return textwrap.fill(
        str(value),
        width=width,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def hashtags(tags: list[str], limit: int | None = None) -> str:
    """`["a", "b"]` → `#a #b`, keeping the first `limit` tags."""
    chosen = tags if limit is None else tags[:limit]
    return " ".join(f"#{tag}" for tag in chosen)


def sentence(value: str) -> str:
    """Capitalise the first letter and end with a full stop unless it ends already."""
    text = str(value).strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…" else text + "."


def lowerfirst(value: str) -> str:
    """Lower-case the first letter (`May build tolerance` → `may build tolerance`)."""
    text = str(value)
    return text[:1].lower() + text[1:]


FILTERS: dict[str, Callable[..., Any]] = {
    "date_long": date_long,
    "wrap": wrap,
    "hashtags": hashtags,
    "sentence": sentence,
    "lowerfirst": lowerfirst,
    "md": md_escape,
}


def make_environment(user_dir: Path | None = None) -> ImmutableSandboxedEnvironment:
    """A sandboxed, strict environment loading from `user_dir` first, then the built-ins."""
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(p) for p in search_path(user_dir)]),
        undefined=jinja2.StrictUndefined,
        autoescape=_autoescape,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,
    )
    env.filters.update(FILTERS)
    return env


def _template_frame(tb: TracebackType | None, env: jinja2.Environment) -> tuple[str, int] | None:
    """The innermost traceback frame that runs template code: (file, line)."""
    found = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or tb.tb_frame.f_globals.get("__jinja_template__"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _shown(path: str) -> str:
    """A template path relative to the current folder when it is below it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return path


@contextmanager
def template_errors(env: jinja2.Environment, name: str) -> Iterator[None]:
    """Turn Jinja's errors while loading or rendering `name` into `TemplateError`."""
    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"template syntax: {exc.message}",
            path=_shown(exc.filename or exc.name or name),
            line=exc.lineno,
            hint="fix the template",
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(
            f"template '{exc.name}' not found",
            path=name,
            hint="searched: " + ", ".join(str(p) for p in env.loader.searchpath),  # type: ignore[union-attr]
        ) from None
    except (jinja2.UndefinedError, SecurityError) as exc:
        frame = _template_frame(exc.__traceback__, env)
        path, line = (_shown(frame[0]), frame[1]) if frame else (name, None)
        what = "not allowed in a template" if isinstance(exc, SecurityError) else "undefined"
        raise TemplateError(
            f"{what}: {exc.message}",
            path=path,
            line=line,
            hint="use only the brief's fields; see `templates/README.md`",
        ) from None
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as exc:
        frame = _template_frame(exc.__traceback__, env)
        path, line = (_shown(frame[0]), frame[1]) if frame else (name, None)
        raise TemplateError(
            f"template failed: {exc}", path=path, line=line, hint="fix the template"
        ) from None
