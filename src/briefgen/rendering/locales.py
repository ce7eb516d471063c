"""The brief's language: its catalog, text direction, quotation marks and dates, in one table.

Template text is translated with gettext catalogs (`templates/locale/<lang>/LC_MESSAGES/
messages.po`, searched in the user's template folder first), through Jinja's i18n extension.
A `.po` file is compiled once to a `.mo` in the private cache (keyed by the `.po`'s bytes) and
loaded with the standard library's `gettext`, so a warm start never imports Babel's catalog
parser (dates: see `dates.py`).
"""

from __future__ import annotations

import contextlib
import contextvars
import gettext
import hashlib
import io
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from briefgen.diskcache import private_dir

Direction = Literal["ltr", "rtl"]


class LocaleInfo:
    """What one language needs beyond its catalog.

    A plain class, like `Active`: a dataclass costs start-up time on every run.
    """

    __slots__ = ("direction", "full_stop", "parens", "quotes", "spaced")

    def __init__(
        self,
        direction: Direction = "ltr",
        quotes: tuple[str, str] = ("\u201c", "\u201d"),
        full_stop: str = ".",
        spaced: bool = True,
        parens: tuple[str, str] = ("(", ")"),
    ) -> None:
        self.direction: Direction = direction
        #: The quotation marks a template adds around quoted speech: (open, close).
        self.quotes = quotes
        #: What ends a sentence a template finishes (`sentence` and `stop` filters).
        self.full_stop = full_stop
        #: Whether words are separated by spaces; if not, no space follows full-width
        #: punctuation (`close_up`).
        self.spaced = spaced
        #: The parentheses a template puts around a credit or a note (`paren` filter).
        self.parens = parens


_NNBSP = "\u202f"  # narrow no-break space, inside French guillemets

#: One row per language briefgen knows; a language not listed is left to right with “ ”.
LOCALES: dict[str, LocaleInfo] = {
    "en": LocaleInfo(),
    "de": LocaleInfo(quotes=("\u201e", "\u201c")),
    "fr": LocaleInfo(quotes=("\u00ab" + _NNBSP, _NNBSP + "\u00bb")),
    "es": LocaleInfo(quotes=("\u00ab", "\u00bb")),
    "pt": LocaleInfo(),
    "it": LocaleInfo(quotes=("\u00ab", "\u00bb")),
    "ja": LocaleInfo(
        quotes=("\u300c", "\u300d"), full_stop="\u3002", spaced=False, parens=("\uff08", "\uff09")
    ),
    "zh": LocaleInfo(full_stop="\u3002", spaced=False, parens=("\uff08", "\uff09")),
    "ar": LocaleInfo(direction="rtl", quotes=("\u00ab", "\u00bb")),
    "he": LocaleInfo(direction="rtl", quotes=("\u201d", "\u201d")),
    "fa": LocaleInfo(direction="rtl", quotes=("\u00ab", "\u00bb")),
    "ur": LocaleInfo(direction="rtl"),
}

#: The catalogs shipped with briefgen (a test holds each one complete).
SHIPPED = ("en", "de", "fr", "es", "it", "pt", "ja", "ar")
DOMAIN = "messages"


def language_of(tag: str) -> str:
    """The primary language of a BCP 47 tag: `de-CH` → `de`, `pt_BR` → `pt`."""
    return tag.replace("_", "-").split("-", 1)[0].casefold()


def info(tag: str) -> LocaleInfo:
    """The table's row for `tag`'s language (a default row for one not listed)."""
    return LOCALES.get(language_of(tag), LocaleInfo())


def direction(tag: str) -> Direction:
    """`rtl` for Arabic, Hebrew, Persian and Urdu; `ltr` otherwise."""
    return info(tag).direction


def _candidates(tag: str) -> list[str]:
    """Catalog folder names to try for `tag`, most specific first: pt-BR → pt_BR, pt."""
    parts = tag.replace("_", "-").split("-")
    region = [f"{parts[0].lower()}_{parts[1].upper()}"] if len(parts) > 1 and parts[1] else []
    return [*region, parts[0].lower()]


def _po_path(folder: Path, lang: str) -> Path:
    return folder / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def find_catalog(tag: str, folders: list[Path]) -> tuple[str, Path] | None:
    """The first catalog for `tag` (region, then language) in `folders`: (its name, its .po)."""
    for lang in _candidates(tag):
        for folder in folders:
            path = _po_path(folder, lang)
            if path.is_file():
                return lang, path
    return None


def _compile(po: bytes, locale: str) -> bytes:
    """A `.po` file's bytes compiled to `.mo` bytes by Babel (fuzzy entries left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(po), locale=locale.replace("-", "_"))
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def _mo_bytes(po_path: Path, locale: str) -> bytes:
    """The compiled catalog, from the private cache when this `.po` was compiled before."""
    po = po_path.read_bytes()
    key = hashlib.sha256(po + b"\0" + locale.encode()).hexdigest()[:32]
    cache = private_dir("catalogs")
    entry = cache / f"{key}.mo" if cache is not None else None
    if entry is not None:
        with contextlib.suppress(OSError):
            return entry.read_bytes()
    mo = _compile(po, locale)
    if entry is not None and not sys.dont_write_bytecode:
        with contextlib.suppress(OSError):
            fd, tmp = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(mo)
            os.replace(tmp, entry)
    return mo


_LOADED: dict[tuple[str, str], gettext.NullTranslations] = {}


def load_translations(lang: str, po_path: Path) -> gettext.NullTranslations:
    """The catalog at `po_path`, loaded once per process and per file state."""
    stat = po_path.stat()
    key = (str(po_path), f"{stat.st_mtime_ns}:{stat.st_size}")
    found = _LOADED.get(key)
    if found is None:
        found = gettext.GNUTranslations(io.BytesIO(_mo_bytes(po_path, lang)))
        if len(_LOADED) > 64:
            _LOADED.clear()
        _LOADED[key] = found
    return found


class Active:
    """The language a brief renders in: its tag, its translations and their catalog's name
    (None: no catalog, the templates' own English words)."""

    __slots__ = ("catalog", "tag", "translations")

    def __init__(
        self,
        tag: str,
        translations: gettext.NullTranslations | None = None,
        catalog: str | None = None,
    ) -> None:
        self.tag = tag
        self.translations = translations or gettext.NullTranslations()
        self.catalog = catalog

    @property
    def info(self) -> LocaleInfo:
        return info(self.tag)


_ENGLISH = Active("en")
#: The language being rendered; English (the templates' own words) outside `activated`.
_ACTIVE: contextvars.ContextVar[Active | None] = contextvars.ContextVar(
    "briefgen_locale", default=None
)


def resolve(tag: str, folders: list[Path]) -> Active:
    """The catalog for `tag` from `folders`; English (no translation) when there is none.

    English is the source language of the templates, so it needs no catalog to be complete.
    """
    found = find_catalog(tag, folders)
    if found is None:
        return Active(tag)
    lang, path = found
    return Active(tag, load_translations(lang, path), lang)


def needs_catalog(active: Active) -> bool:
    """Whether rendering `active` fell back to English for want of a catalog."""
    return active.catalog is None and language_of(active.tag) != "en"


@contextlib.contextmanager
def activated(active: Active) -> Iterator[Active]:
    """Render in `active`'s language inside the block (per thread and per task)."""
    token = _ACTIVE.set(active)
    try:
        yield active
    finally:
        _ACTIVE.reset(token)


def current() -> Active:
    """The language being rendered now."""
    return _ACTIVE.get() or _ENGLISH


def gettext_(message: str) -> str:
    """Translate `message` in the active language."""
    return current().translations.gettext(message)


def ngettext_(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count in the active language (its own plural rules)."""
    return current().translations.ngettext(singular, plural, n)


#: Marks that already end a sentence, in any of the languages above.
ENDINGS = ".!?…\u3002\uff01\uff1f"


def stop(text: str) -> str:
    """`text` ending with the active language's full stop, unless it ends a sentence already."""
    text = str(text).rstrip()
    if not text or text[-1] in ENDINGS:
        return text
    return text + current().info.full_stop


#: A space after full-width punctuation (whose glyph carries its own spacing), unless a link
#: follows it: every platform's linker needs the space before a link.
_AFTER_WIDE = re.compile(
    "([\u3001\u3002\uff0c\uff0e\uff1a\uff1b\uff01\uff1f\uff09\u300d\u300f\u3011\u3015\u3009\u300b])"
    "[ \u00a0\u202f]+(?=\\S)(?!https?://)"
)


def close_up(text: str) -> str:
    """`text` without spaces after full-width punctuation: 「注意： 耐性」 → 「注意：耐性」.

    Templates put a space after each label and sentence they write, as Latin scripts need;
    in a language written without spaces (`spaced` false) that space is a gap. Templates
    run in every language, so the space goes here. The guard compares text the same way
    (`checks._fold_text`), so an editor's own space after 。 never reads as a lost caveat.
    """
    return _AFTER_WIDE.sub(r"\1", text)


def close_up_active(text: str) -> str:
    """`close_up` in a language written without spaces; `text` as it is in any other."""
    return text if current().info.spaced else close_up(text)


def paren(text: str) -> str:
    """`text` inside the active locale's parentheses: (Healthline), （Healthline） in Japanese."""
    opening, closing = current().info.parens
    return f"{opening}{text}{closing}"


def quote(text: str) -> str:
    """`text` inside the active locale's quotation marks."""
    opening, closing = current().info.quotes
    return f"{opening}{text}{closing}"


_RLM = "\u200f"


def mark_rtl_lines(text: str) -> str:
    """Start every line with a letter or digit with a right-to-left mark (U+200F).

    Plain text carries no direction: a mail client lays out each line (a paragraph, to the
    Unicode bidi algorithm) by its first strong letter, so a line opening with a Latin name,
    "[1]", "*" or a URL would run left to right inside an Arabic email. The mark is invisible
    and zero-width, so left-to-right clients show the same text. Rule lines (`===`, `---`)
    have no letter to order and stay as they are.
    """
    return "".join(
        _RLM + line if any(ch.isalnum() for ch in line) and not line.startswith(_RLM) else line
        for line in text.splitlines(keepends=True)
    )
