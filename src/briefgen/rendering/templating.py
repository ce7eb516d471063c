"""The one Jinja environment factory: sandboxed, strict, searching the user's folder first."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import sys
import textwrap
import threading
import time
import types
import unicodedata
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import CodeType, TracebackType
from typing import Any, ClassVar

import jinja2
from jinja2 import filters as jinja_filters
from jinja2 import nodes
from jinja2.environment import TemplateModule
from jinja2.exceptions import SecurityError
from jinja2.runtime import Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range
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
    """Capitalise the first letter and end with the language's full stop unless it ends
    already (`locales.stop`)."""
    text = str(value).strip()
    if not text:
        return text
    return locales.stop(text[0].upper() + text[1:])


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


def credit_groups(caveats: Any) -> list[tuple[list[str], list[str]]]:
    """Caveats grouped by who states them (see `captions.credit_groups`)."""
    from briefgen.rendering.captions import credit_groups as groups

    return groups(list(caveats))


FILTERS: dict[str, Callable[..., Any]] = {
    "credit_groups": credit_groups,
    "date_long": date_long,
    "wrap": wrap,
    "hashtags": hashtags,
    "sentence": sentence,
    "lowerfirst": lowerfirst,
    "md": md_escape,
    "quote": locales.quote,
    "paren": locales.paren,
    "stop": locales.stop,
    "columns": columns,
}


#: The largest string or list a template may build with `*`, and the largest exponent of `**`.
MAX_REPEAT = 100_000
MAX_EXPONENT = 64
#: The widest padding or field a template may ask for (`ljust`, `center`, `indent`, `%10d`…).
MAX_WIDTH = MAX_REPEAT
#: The longest string or list a template may pass on, read or build by `+`, `replace`…:
#: growth by doubling stops at twice this.
MAX_LENGTH = 10_000_000
#: The most (type, attribute) answers of the sandbox kept at once.
MAX_REMEMBERED = 10_000
#: The most compiled templates kept in memory at once.
MAX_REMEMBERED_TEMPLATES = 512
#: The most macro results kept for reuse (see `BriefSandbox.call`).
MAX_REMEMBERED_CALLS = 1024
#: The most template frames (includes, extends, imports, macros) nested at once: a template
#: including itself fails at once, not after seconds of ever deeper generator chains.
MAX_NESTING = 64

_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_SPEC_NUMBER = re.compile(r"\d+")


class RenderTimeout(Exception):
    """Raised inside a template that ran past its deadline (see `render_deadline`)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"took longer than {seconds:g} s")
        self.seconds = seconds


class _Deadline(threading.local):
    at: float | None = None
    seconds: float = 0.0


_DEADLINE = _Deadline()


@contextmanager
def render_deadline(seconds: float | None) -> Iterator[None]:
    """Let the templates rendered in this thread run `seconds` at most (None: no limit).

    The sandbox checks the deadline at every call, attribute or item access and `range` step
    a template makes, so it works in any thread or process (unlike signals, which only
    reach the main thread). A deadline nested in another never extends it.
    """
    saved = (_DEADLINE.at, _DEADLINE.seconds)
    if seconds is not None:
        at = time.monotonic() + seconds
        if _DEADLINE.at is None or at < _DEADLINE.at:
            _DEADLINE.at, _DEADLINE.seconds = at, seconds
    try:
        yield
    finally:
        _DEADLINE.at, _DEADLINE.seconds = saved


def check_deadline() -> None:
    """Raise `RenderTimeout` when this thread's render deadline has passed."""
    at = _DEADLINE.at
    if at is not None and time.monotonic() > at:
        raise RenderTimeout(_DEADLINE.seconds)


#: What `_refuse_length` measures.
_SIZED = (str, list, tuple)
#: The kinds of callables whose `__self__` may be a string (see `_check_str_call`) and whose
#: attribute lookup Jinja may wrap (`str.format`).
_METHODS = frozenset({types.BuiltinMethodType, types.MethodType, types.MethodWrapperType})
_MISSING = object()


def _refuse_width(width: object, what: str) -> None:
    if isinstance(width, int) and width > MAX_WIDTH:
        raise SecurityError(f"{what} {width} is wider than {MAX_WIDTH}")


def _refuse_length(value: object, what: str = "a value") -> None:
    if isinstance(value, _SIZED) and len(value) > MAX_LENGTH:
        raise SecurityError(f"{what} of {len(value)} items is longer than {MAX_LENGTH}")


def _replaced_length(text: str, old: object, new: object, count: object = -1) -> int:
    """The length `text.replace(old, new, count)` would have, computed before it is built."""
    if not isinstance(old, str) or not isinstance(new, str):
        return len(text)
    found = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return len(text) + found * (len(new) - len(old))


def _check_percent(template: str, values: object) -> None:
    """Refuse `'%010000000000d' % 1` and `'%*d' % (10**10, 1)` before they run."""
    starred = False
    for match in _PERCENT_FIELD.finditer(template):
        for number in match.groups():
            if number == "*":
                starred = True
            elif number is not None:
                _refuse_width(int(number), "a format width")
    if starred:
        for value in values if isinstance(values, tuple) else (values,):
            _refuse_width(value, "a format width")


def _check_format_string(template: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse `'{:>10000000000}'.format(1)`, including widths given as arguments."""
    import string

    for _, _, spec, _ in string.Formatter().parse(template):
        if not spec:
            continue
        for number in _SPEC_NUMBER.findall(spec):
            _refuse_width(int(number), "a format width")
        if "{" in spec:
            for value in (*args, *kwargs.values()):
                _refuse_width(value, "a format width")


def _check_str_call(method: Any, args: tuple[Any, ...]) -> None:
    """Refuse str methods that would build a huge string: padding, tabs, replacement."""
    text = getattr(method, "__self__", None)
    if not isinstance(text, str) or not args:
        return
    name = getattr(method, "__name__", "")
    if name in {"ljust", "rjust", "center", "zfill"}:
        _refuse_width(args[0], f"a width for {name}()")
    elif name == "expandtabs" and isinstance(args[0], int):
        _refuse_width(args[0] * max(1, text.count("\t")), "the expanded tabs")
    elif name == "replace" and len(args) >= 2:
        _refuse_length_value(_replaced_length(text, *args[:3]), "the replaced string")


def _refuse_length_value(length: int, what: str) -> None:
    if length > MAX_LENGTH:
        raise SecurityError(f"{what} of {length} characters is longer than {MAX_LENGTH}")


def _safe_center(value: str, width: int = 80) -> str:
    _refuse_width(width, "a width for center")
    return jinja_filters.do_center(value, width)


def _safe_indent(s: str, width: int | str = 4, *args: Any, **kwargs: Any) -> str:
    _refuse_width(width, "an indent")
    if isinstance(width, str):
        _refuse_width(len(width), "an indent")
    return jinja_filters.do_indent(s, width, *args, **kwargs)


def _safe_format(value: str, *args: Any, **kwargs: Any) -> str:
    _check_percent(str(value), tuple(kwargs.values()) or args)
    return jinja_filters.do_format(value, *args, **kwargs)


@jinja2.pass_eval_context
def _safe_replace(
    eval_ctx: jinja2.nodes.EvalContext, s: str, old: str, new: str, count: int | None = None
) -> str:
    _refuse_length_value(
        _replaced_length(str(s), old, new, -1 if count is None else count), "the replaced string"
    )
    return jinja_filters.do_replace(eval_ctx, s, old, new, count)


def _safe_batch(value: Any, linecount: int, fill_with: Any = None) -> Any:
    _refuse_width(linecount, "a batch size")
    return jinja_filters.do_batch(value, linecount, fill_with)


def _safe_slice(value: Any, slices: int, fill_with: Any = None) -> Any:
    _refuse_width(slices, "a number of slices")
    return jinja_filters.do_slice(value, slices, fill_with)


def _safe_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> Any:
    """Jinja's `lipsum`, with at most `MAX_WIDTH` words in all."""
    _refuse_width(n * max, "placeholder text of words")
    from jinja2.utils import generate_lorem_ipsum

    return generate_lorem_ipsum(n, html, min, max)


#: Jinja's built-in filters that build values from a size, with the size checked first: they
#: run as one Python call, where the render deadline cannot stop them.
SAFE_BUILTIN_FILTERS: dict[str, Callable[..., Any]] = {
    "center": _safe_center,
    "indent": _safe_indent,
    "format": _safe_format,
    "replace": _safe_replace,
    "batch": _safe_batch,
    "slice": _safe_slice,
}


#: The global through which every `{% for %}` of a template iterates (see `BriefSandbox._parse`).
_TIMED_LOOP = "_briefgen_timed_loop"


def _timed_loop(iterable: Any) -> Iterator[Any]:
    """Iterate `iterable`, checking the render deadline at each step."""
    for item in iterable:
        check_deadline()
        yield item


class _TimedRange:
    """`range` for templates: at most Jinja's `MAX_RANGE` items, each step checking the
    render deadline, so `{% for i in range(n) %}{% for j in range(n) %}…` cannot hang."""

    __slots__ = ("_range",)

    def __init__(self, *args: int) -> None:
        self._range = safe_range(*args)

    def __iter__(self) -> Iterator[int]:
        for item in self._range:
            check_deadline()
            yield item

    def __reversed__(self) -> Iterator[int]:
        for item in reversed(self._range):
            check_deadline()
            yield item

    def __len__(self) -> int:
        return len(self._range)

    def __getitem__(self, index: Any) -> Any:
        return self._range[index]

    def __contains__(self, item: object) -> bool:
        return item in self._range

    def __repr__(self) -> str:
        return repr(self._range)


def _template_depth(most: int) -> int:
    """How many frames of template code are running in this thread (counting up to `most`)."""
    depth = 0
    frame = sys._getframe(1)
    while frame is not None and depth < most:
        if "__jinja_template__" in frame.f_globals:
            depth += 1
        frame = frame.f_back  # type: ignore[assignment]
    return depth


#: Values whose kind and value alone decide what a macro makes of them.
_VALUE_TYPES = frozenset({str, Markup, int, float, bool, type(None)})


@functools.cache
def _view_types() -> frozenset[type]:
    """The immutable views templates are given (`brief`, its parts, `platform`): a macro
    called again with the same view objects makes the same text."""
    from briefgen.rendering import context
    from briefgen.rendering.platforms import Platform

    views = (context.BriefView, context.CaveatView, context.ClaimView, context.StatView)
    return frozenset({*views, context.SourceView, context.PersonView, context.AuthorView, Platform})


class _Template(jinja2.Template):
    """Jinja's template, telling its environment which modules hold only the template's own
    macros (imported without context: they see nothing of the importing template)."""

    def _get_default_module(self, ctx: jinja2.runtime.Context | None = None) -> Any:
        module = super()._get_default_module(ctx)
        if module is self._module and isinstance(self.environment, BriefSandbox):
            self.environment._pure_modules.add(module)
        return module


class BriefSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, also refusing what would exhaust memory or time: huge `*`,
    `**`, `%`, `+`, padding and replacement, and any step past the render deadline."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    template_class = _Template

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._safe_attributes: dict[tuple[type, str], bool] = {}
        #: Modules imported without context, and the macros read from them: a call of one
        #: of these with the same arguments, language and escaping makes the same text.
        self._pure_modules: weakref.WeakSet[Any] = weakref.WeakSet()
        self._pure_macros: weakref.WeakSet[Any] = weakref.WeakSet()
        self._made: dict[tuple[Any, ...], tuple[Any, tuple[Any, ...]]] = {}
        self.globals["range"] = _TimedRange
        self.globals[_TIMED_LOOP] = _timed_loop
        self.globals["lipsum"] = _safe_lipsum
        self.filters.update(SAFE_BUILTIN_FILTERS)

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        """Refuse `"x" * 10**9`, `9 ** 9 ** 9` and `'%0999999999d' % 1` before they run."""
        check_deadline()
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
        if operator == "%" and isinstance(left, str):
            _check_percent(left, right)
        if (
            operator == "+"
            and isinstance(left, str | list | tuple)
            and isinstance(right, str | list | tuple)
        ):
            _refuse_length_value(len(left) + len(right), "a joined value")
        return super().call_binop(context, operator, left, right)

    def call(
        __self,  # Jinja's own signature: no clash with keyword arguments
        __context: jinja2.runtime.Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        """Check the deadline and the sizes a call would build, then call.

        Every macro, filter-free call and method call of a template comes here (thousands per
        brief), so the checks are written out inline rather than as calls.
        """
        at = _DEADLINE.at
        if at is not None and time.monotonic() > at:
            raise RenderTimeout(_DEADLINE.seconds)
        for value in args:
            if isinstance(value, _SIZED) and len(value) > MAX_LENGTH:
                _refuse_length(value, "an argument")
        if kwargs:
            for value in kwargs.values():
                _refuse_length(value, "an argument")
        if (args or kwargs) and type(__obj) in _METHODS:  # only methods have a str __self__
            _check_str_call(__obj, (*args, *kwargs.values()))
        if not __self.is_safe_callable(__obj):
            raise SecurityError(f"{__obj!r} is not safely callable")
        if type(__obj) is Macro and __obj in __self._pure_macros:
            key = __self._call_key(__context, __obj, args, kwargs)
            if key is not None:
                made = __self._made.get(key)
                if made is None:
                    result = __context.call(__obj, *args, **kwargs)
                    if len(__self._made) >= MAX_REMEMBERED_CALLS:
                        __self._made.clear()
                    # the arguments are kept with the result: their ids stay theirs
                    __self._made[key] = made = (result, args)
                return made[0]
        return __context.call(__obj, *args, **kwargs)

    def _call_key(
        self,
        context: jinja2.runtime.Context,
        macro: Any,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> tuple[Any, ...] | None:
        """What a call of a macro of a pure module depends on, or None if it may depend on
        more: keyword arguments (`caller`), or arguments that are not plain values or views.

        Captions call `s.lead(brief)`, `s.warning(brief)`… in every variant of every
        platform: the second and later calls reuse the first one's text.
        """
        if kwargs and not kwargs.keys() <= {"_block_vars", "_loop_vars"}:
            return None
        views = _view_types()
        key: list[Any] = [macro, context.eval_ctx.autoescape, locales.current()]
        for value in args:
            kind = type(value)
            if kind in _VALUE_TYPES:
                key += (kind, value)
            elif kind in views:
                key += (kind, id(value))
            else:
                return None
        return tuple(key)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Check the deadline, then Jinja's sandboxed attribute lookup.

        The common case, a data attribute of a kind already judged safe (`brief.title`,
        `caveat.short`), is answered here; anything else (methods, which Jinja may wrap,
        item lookups, undefined names) goes through Jinja's own lookup.
        """
        at = _DEADLINE.at
        if at is not None and time.monotonic() > at:
            raise RenderTimeout(_DEADLINE.seconds)
        kind = type(obj)
        if self._safe_attributes.get((kind, attribute)) and obj.__class__ is kind:
            value = getattr(obj, attribute, _MISSING)
            if value is not _MISSING and type(value) not in _METHODS:
                if isinstance(value, _SIZED) and len(value) > MAX_LENGTH:
                    _refuse_length(value)
                if kind is TemplateModule and type(value) is Macro and obj in self._pure_modules:
                    self._pure_macros.add(value)
                return value
        value = super().getattr(obj, attribute)
        _refuse_length(value)
        if kind is TemplateModule and type(value) is Macro and obj in self._pure_modules:
            self._pure_macros.add(value)
        return value

    def getitem(self, obj: Any, argument: Any) -> Any:
        """Check the deadline, then Jinja's sandboxed item lookup."""
        check_deadline()
        value = super().getitem(obj, argument)
        _refuse_length(value)
        return value

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Parse as Jinja does, then make every `{% for %}` iterate through `_timed_loop`:
        `{% for a in x %}{% for b in x %}{% endfor %}{% endfor %}` over long strings or
        lists makes no call or lookup the deadline could be checked at."""
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            timed = nodes.Name(_TIMED_LOOP, "load", lineno=loop.lineno)
            loop.iter = nodes.Call(timed, [loop.iter], [], None, None, lineno=loop.lineno)
        return tree

    def get_template(self, name: Any, parent: str | None = None, globals: Any = None) -> Any:
        """Load a template; from inside another one (include, extends, import) only while
        templates are not nested deeper than `MAX_NESTING`."""
        if parent is not None and _template_depth(MAX_NESTING + 1) > MAX_NESTING:
            raise RecursionError("templates include or extend each other too deeply")
        return super().get_template(name, parent, globals)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Jinja's sandboxed `str.format`, refusing huge widths first."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        template = value.__self__

        def checked(*args: Any, **kwargs: Any) -> str:
            mapping = args[0] if value.__name__ == "format_map" and args else kwargs
            _check_format_string(
                template, args, dict(mapping) if isinstance(mapping, dict) else kwargs
            )
            return wrapped(*args, **kwargs)

        return checked

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
        _TIMED_LOOP,  # the code of every loop calls it
        jinja2.__version__,
        sys.version_info[:2],
    )
    return hashlib.sha256(repr(options).encode()).hexdigest()[:16]


def make_environment(user_dir: Path | None = None) -> ImmutableSandboxedEnvironment:
    """A sandboxed, strict environment loading from `user_dir` first, then the built-ins.

    Compiled templates are cached on disk (see `TemplateCache`), so a new process does not
    compile every template again.
    """
    if user_dir is not None and not os.access(user_dir, os.R_OK | os.X_OK):
        raise TemplateError(
            "cannot read the templates folder" if user_dir.exists() else "no templates folder",
            path=_shown(str(user_dir)),
            hint="check the path and its permissions",
        )
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
    except OSError as exc:
        raise TemplateError(
            f"cannot read the template: {exc.strerror or exc}",
            path=_shown(exc.filename) if isinstance(exc.filename, str) else name,
            hint="check that the file and its folder are readable",
        ) from None
    except RenderTimeout as exc:
        path, line = _where(exc, env, name)
        raise TemplateError(
            f"template {path} took longer than {exc.seconds:g} s",
            path=path,
            line=line,
            hint="look for a loop that never ends; the limit is the render_timeout setting",
        ) from None
    except RecursionError as exc:
        path, line = _where(exc, env, name)
        raise TemplateError(
            "template recursion too deep",
            path=path,
            line=line,
            hint="a macro that calls itself, or a template that includes or extends itself",
        ) from None
    except MemoryError as exc:
        path, line = _where(exc, env, name)
        raise TemplateError(
            "template ran out of memory", path=path, line=line, hint="build smaller values"
        ) from None
    except (
        jinja2.TemplateError,
        TypeError,
        ValueError,
        ArithmeticError,
        LookupError,
        AttributeError,
    ) as exc:
        path, line = _where(exc, env, name)
        message = exc.message if isinstance(exc, jinja2.TemplateError) else str(exc)
        raise TemplateError(
            f"template failed: {message or type(exc).__name__}",
            path=path,
            line=line,
            hint="fix the template",
        ) from None


def _where(exc: BaseException, env: jinja2.Environment, name: str) -> tuple[str, int | None]:
    """The template file and line an exception came from, else the template's name."""
    frame = _template_frame(exc.__traceback__, env)
    return (_shown(frame[0]), frame[1]) if frame else (name, None)
