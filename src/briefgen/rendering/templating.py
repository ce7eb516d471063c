"""The one Jinja environment factory: sandboxed, strict, searching the user's folder first."""

from __future__ import annotations

import contextlib
import hashlib
import re
import sys
import textwrap
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import CodeType, TracebackType
from typing import Any, ClassVar

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from briefgen.diskcache import private_dir
from briefgen.errors import TemplateError
from briefgen.paths import display_path
from briefgen.rendering import locales
from briefgen.rendering.dates import DateLike, format_date

_PACKAGE = Path(__file__).resolve().parent.parent
_MD_CHARS = r"[\\`*_\[\]<>&|~#]"
_MD_SPECIAL = re.compile(f"({_MD_CHARS})")
_MD_ESCAPED = re.compile(f"\\\\({_MD_CHARS})")


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


def md_unescape(text: str) -> str:
    """Undo `md_escape`: the text a Markdown reader sees."""
    return _MD_ESCAPED.sub(r"\1", text)


@jinja2.pass_context
def _finalize(context: jinja2.runtime.Context, value: Any) -> Any:
    """Markdown templates escape every value, as HTML templates do by autoescape."""
    name = context.name or ""
    if name.removesuffix(".j2").endswith(".md") and not isinstance(value, Markup):
        return Markup(md_escape(value)) if value is not None else value
    return value


def date_long(value: DateLike | None) -> str:
    """A date in full in the brief's locale: `November 2, 2022`, `2. November 2022`.

    Accepts a `datetime.date` or a partial date (`November 2022`, `2022`); independent of the
    machine's locale.
    """
    return format_date(value, locales.current().tag)


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


def columns(value: str) -> int:
    """How many columns `value` takes in a monospace font: CJK and fullwidth letters take two."""
    return sum(
        0
        if unicodedata.combining(ch) or unicodedata.category(ch) == "Cf"
        else 2
        if unicodedata.east_asian_width(ch) in "WF"
        else 1
        for ch in str(value)
    )


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
    "quote": locales.quote,
    "columns": columns,
}


#: The largest string or list a template may build with `*`, and the largest exponent of `**`.
MAX_REPEAT = 100_000
MAX_EXPONENT = 64
#: The most (type, attribute) answers of the sandbox kept at once.
MAX_REMEMBERED = 10_000
#: The most compiled templates kept in memory at once.
MAX_REMEMBERED_TEMPLATES = 512


class BriefSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, also refusing `*` and `**` that would exhaust memory."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._safe_attributes: dict[tuple[type, str], bool] = {}

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        """Refuse `"x" * 10**9` and `9 ** 9 ** 9` before they run."""
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"exponent {right} is larger than {MAX_EXPONENT}")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if (
                    isinstance(seq, str | list | tuple)
                    and isinstance(times, int)
                    and (len(seq) * times > MAX_REPEAT)
                ):
                    raise SecurityError(f"repeating a value {times} times is too large")
        return super().call_binop(context, operator, left, right)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Jinja's answer, remembered per type and attribute name.

        Every `brief.x` in a template asks; Jinja answers from `isinstance` checks of the
        object's type alone (and the name), so the answer is the same for every object of one
        type. Objects whose `__class__` is not their type get Jinja's answer afresh.
        """
        kind = type(obj)
        if obj.__class__ is not kind or not isinstance(attr, str):
            return super().is_safe_attribute(obj, attr, value)
        key = (kind, attr)
        known = self._safe_attributes.get(key)
        if known is None:
            known = super().is_safe_attribute(obj, attr, value)
            if len(self._safe_attributes) >= MAX_REMEMBERED:
                self._safe_attributes.clear()
            self._safe_attributes[key] = known
        return known


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept on disk between runs, like Python's `__pycache__`.

    A template is compiled again whenever its source changes (Jinja compares a checksum of the
    source). Keys include a fingerprint of the environment's options and the versions of Jinja
    and Python, so code compiled under other options is never loaded. Unreadable or broken
    entries are compiled afresh; nothing is written when Python writes no bytecode either
    (`PYTHONDONTWRITEBYTECODE`, `-B`) or when the folder is not writable.
    """

    def __init__(self, directory: Path, fingerprint: str) -> None:
        super().__init__(str(directory), "%s.jinja")
        self.fingerprint = fingerprint

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(f"{self.fingerprint}|{name}", filename)

    #: Code loaded or compiled in this process, by cache key and source checksum: a new
    #: environment (watch mode builds one per change) takes it without reading the disk.
    _in_memory: ClassVar[dict[tuple[str, str], CodeType]] = {}

    def _remember(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.code is not None:
            if len(self._in_memory) >= MAX_REMEMBERED_TEMPLATES:
                self._in_memory.clear()
            self._in_memory[(bucket.key, bucket.checksum)] = bucket.code

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._in_memory.get((bucket.key, bucket.checksum))
        if code is not None:
            bucket.code = code
            return
        try:
            super().load_bytecode(bucket)
        except (OSError, ValueError, EOFError, TypeError):
            bucket.reset()
        self._remember(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._remember(bucket)
        if sys.dont_write_bytecode:
            return
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def template_cache_dir() -> Path | None:
    """The user's private folder for compiled templates, or None when there is no safe one."""
    return private_dir("templates")


def _fingerprint(env: jinja2.Environment) -> str:
    """What the compiled code of a template depends on besides its source."""
    options = (
        type(env).__qualname__,
        env.sandboxed,
        env.finalize is not None,
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        getattr(env, "newstyle_gettext", None),
        sorted(env.extensions),
        jinja2.__version__,
        sys.version_info[:2],
    )
    return hashlib.sha256(repr(options).encode()).hexdigest()[:16]


def make_environment(user_dir: Path | None = None) -> ImmutableSandboxedEnvironment:
    """A sandboxed, strict environment loading from `user_dir` first, then the built-ins.

    Compiled templates are cached on disk (see `TemplateCache`), so a new process does not
    compile every template again.
    """
    env = BriefSandbox(
        loader=jinja2.FileSystemLoader([str(p) for p in search_path(user_dir)]),
        undefined=jinja2.StrictUndefined,
        autoescape=_autoescape,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.filters.update(FILTERS)
    # Template text is translated into the language being rendered (`locales.activated`).
    env.install_gettext_callables(  # type: ignore[attr-defined]
        locales.gettext_, locales.ngettext_, newstyle=True
    )
    cache_dir = template_cache_dir()
    if cache_dir is not None:
        env.bytecode_cache = TemplateCache(cache_dir, _fingerprint(env))
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
    return str(display_path(Path(path)))


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
