"""Sources as CSL-JSON items, and their bibliography entries in AMA or APA style.

CSL-JSON (`citations.json`) is what Zotero and every other reference manager imports. The
entries follow the official CSL styles `american-medical-association.csl` (AMA 11th edition,
the medical default) and `apa.csl` (APA 7th edition), shipped in `briefgen/data/csl/`. No
Python CSL processor reproduces citeproc-js (the reference implementation) on these styles,
so the few item types a brief can produce are formatted here, and `tests/test_csl_citeproc.py`
holds this module to citeproc-js's output, text for text, on every fixture brief.

Entries are in the brief's language: terms ("accessed", "retrieved", "no date", "et-al"),
month names, date forms and quotation marks come from the CSL locale file of that language
(`csl_locale`, shipped in `briefgen/data/csl/`), with the style's own `<locale>` overrides, as
citeproc-js reads them. Under a non-English locale AMA's US-ordered dates take the locale's text
form and its literal "Published online" the term "online" (see `_ama_date_text`).

Kinds map to CSL types as the CSL 1.0.2 specification defines them:

* article → article-newspaper (an article of a news outlet, online or in print);
* newsletter → article-magazine (an article in a periodical that is not a newspaper);
* press-release → report with genre "Press release" (the spec's "report" is grey literature
  published by an organisation; APA 7 cites press releases as reports with "[Press release]");
* report → report; study → article-journal; video → motion_picture with genre "Video";
* social → post; web-page, or no kind → webpage.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal, cast

from markupsafe import Markup, escape

from briefgen.diskcache import memo

Style = Literal["ama", "apa"]
STYLES: dict[str, str] = {
    "ama": "american-medical-association",
    "apa": "apa",
}

#: One table: brief `kind` → (CSL type, genre).
CSL_TYPES: dict[str | None, tuple[str, str | None]] = {
    "article": ("article-newspaper", None),
    "newsletter": ("article-magazine", None),
    "press-release": ("report", "Press release"),
    "report": ("report", None),
    "study": ("article-journal", None),
    "video": ("motion_picture", "Video"),
    "social": ("post", None),
    "web-page": ("webpage", None),
    None: ("webpage", None),
}

_MONTHS = [
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
]

_PERIODICALS = {"article-newspaper", "article-magazine", "article-journal"}

# --- CSL locales ------------------------------------------------------------------------------

#: The CSL locale files shipped in `briefgen/data/csl/` (see its README for provenance).
LOCALE_FILES = frozenset(
    ["ar", "de-CH", "de-DE", "en-US", "es-ES", "fr-FR", "it-IT", "ja-JP", "pt-BR", "pt-PT"]
)
#: A bare language's CSL locale (the CSL locales' own primary dialects).
_PRIMARY = {
    "ar": "ar",
    "de": "de-DE",
    "en": "en-US",
    "es": "es-ES",
    "fr": "fr-FR",
    "it": "it-IT",
    "ja": "ja-JP",
    "pt": "pt-PT",
}
_CSL_NS = "{http://purl.org/net/xbiblio/csl}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_DATA = Path(__file__).resolve().parent.parent / "data" / "csl"


def locale_tag(language: str | None) -> str:
    """The shipped CSL locale for a brief's language: the regional file when there is one
    (de-CH, pt-BR), else the language's primary dialect (fr-CH → fr-FR), else en-US.

    Every English brief uses en-US, the styles' `default-locale`, so English output does not
    change with the brief's region.
    """
    tag = (language or "en").replace("_", "-")
    lang, _, region = tag.partition("-")
    lang = lang.lower()
    if lang == "en":
        return "en-US"
    full = f"{lang}-{region.upper()}" if region else lang
    if full in LOCALE_FILES:
        return full
    return _PRIMARY.get(lang, "en-US")


@dataclass(frozen=True)
class CslLocale:
    """The terms, month names and text date format of one CSL locale, with the style's own
    `<locale>` overrides for that language merged in (as citeproc-js merges them)."""

    tag: str
    terms: dict[tuple[str, str], str]
    #: (date-part name, form, prefix, suffix) of the locale's `<date form="text">`.
    text_date: tuple[tuple[str, str, str, str], ...]
    punctuation_in_quote: bool
    limit_day_ordinals: bool
    months: tuple[str, ...] = field(default=())
    #: The prefix and suffix of the year in the locale's `<date form="numeric">` (`年`).
    year_affixes: tuple[str, str] = ("", "")

    @property
    def english(self) -> bool:
        return self.tag.startswith("en")

    def term(self, name: str, form: str = "long") -> str:
        """A term's (singular) text; a missing short form falls back to the long one."""
        text = self.terms.get((name, form))
        if text is None and form != "long":
            text = self.terms.get((name, "long"))
        return (text or "").replace("'", "\u2019")

    def cap(self, name: str, form: str = "long") -> str:
        """The term with its first letter capitalised (CSL `capitalize-first`)."""
        text = self.term(name, form)
        return text[:1].upper() + text[1:]

    @property
    def quotes(self) -> tuple[str, str, str, str]:
        # As typed in the locale: ar's marks are straight, and stay straight.
        names = ("open-quote", "close-quote", "open-inner-quote", "close-inner-quote")
        return cast(
            "tuple[str, str, str, str]",
            tuple(self.terms.get((name, "long"), "") for name in names),
        )

    def year(self, year: int) -> str:
        """A year alone, as a style's `date-parts="year" form="numeric"` date: `2022年`."""
        return f"{self.year_affixes[0]}{year}{self.year_affixes[1]}"

    def date(self, parts: Sequence[int]) -> str:
        """A date in the locale's text form: `22 novembre 2026`, `22. November 2026`,
        `2026年11月22日`; a missing day or month leaves out its part and its affixes."""
        values = dict(zip(("year", "month", "day"), parts, strict=False))
        shown = [p for p in self.text_date if p[0] in values]
        out = []
        for name, form, prefix, suffix in shown:
            value = values[name]
            if name == "month":
                text = str(value) if form.startswith("numeric") else self.months[value - 1]
            elif (
                name == "day" and form == "ordinal" and (value == 1 or not self.limit_day_ordinals)
            ):
                ordinal = self.terms.get((f"ordinal-{value:02d}", "long"))
                text = f"{value}{ordinal if ordinal is not None else self.term('ordinal')}"
            else:
                text = str(value)
            out.append(prefix + text + suffix)
        return "".join(out)


def _read_terms(terms: Any, into: dict[tuple[str, str], str]) -> None:
    for term in terms.iter(f"{_CSL_NS}term"):
        if term.get("gender-form") == "feminine":
            continue
        single = term.find(f"{_CSL_NS}single")
        text = single.text if single is not None else term.text
        into[(term.get("name"), term.get("form", "long"))] = text or ""


@cache
def _style_overrides(style: str) -> tuple[tuple[str, dict[tuple[str, str], str]], ...]:
    """The `<locale xml:lang>` blocks of a style file; parsing stops at its first macro."""
    import xml.etree.ElementTree as ET

    found: list[tuple[str, dict[tuple[str, str], str]]] = []
    path = _DATA / f"{STYLES[style]}.csl"
    with path.open("rb") as handle:
        for _event, elem in ET.iterparse(handle, events=("end",)):
            if elem.tag == f"{_CSL_NS}macro":
                break
            if elem.tag == f"{_CSL_NS}locale":
                terms: dict[tuple[str, str], str] = {}
                _read_terms(elem, terms)
                found.append((elem.get(_XML_LANG, ""), terms))
    return tuple(found)


def csl_locale(language: str | None = "en-US", style: str = "ama") -> CslLocale:
    """The CSL locale for a brief's language in `style`, parsed on first use and cached."""
    return _load_locale(locale_tag(language), style)


@cache
def _load_locale(tag: str, style: str) -> CslLocale:
    """The locale as `_parse_locale` makes it, kept between processes (`diskcache.memo`):
    parsing the XML of a locale and a style took ~6 ms of every start. The key is the bytes
    of both files and of this module, so an edit to either, or to the code, parses again."""
    locale_file = _DATA / f"locales-{tag}.xml"
    inputs = (
        tag.encode(),
        locale_file.read_bytes(),
        (_DATA / f"{STYLES[style]}.csl").read_bytes(),
        Path(__file__).read_bytes(),
    )
    return memo("csl", inputs, lambda: _parse_locale(tag, style, inputs[1]))


def _parse_locale(tag: str, style: str, xml: bytes) -> CslLocale:
    """The locale `tag` (its file's bytes, `xml`) with `style`'s overrides merged in."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(xml)
    terms: dict[tuple[str, str], str] = {}
    for terms_el in root.iter(f"{_CSL_NS}terms"):
        _read_terms(terms_el, terms)
    for lang, overrides in _style_overrides(style):
        if lang in (tag, tag.split("-")[0]):
            terms.update(overrides)
    text_date: tuple[tuple[str, str, str, str], ...] = ()
    year_affixes = ("", "")
    for date in root.iter(f"{_CSL_NS}date"):
        parts = tuple(
            (p.get("name", ""), p.get("form", "long"), p.get("prefix", ""), p.get("suffix", ""))
            for p in date.iter(f"{_CSL_NS}date-part")
        )
        if date.get("form") == "text":
            text_date = parts
        elif date.get("form") == "numeric":
            year_affixes = next(((p[2], p[3]) for p in parts if p[0] == "year"), ("", ""))
    options = root.find(f"{_CSL_NS}style-options")
    opts = options.attrib if options is not None else {}
    months = tuple(terms.get((f"month-{m:02d}", "long"), "") for m in range(1, 13))
    return CslLocale(
        tag=tag,
        terms=terms,
        text_date=text_date,
        punctuation_in_quote=opts.get("punctuation-in-quote") == "true",
        limit_day_ordinals=opts.get("limit-day-ordinals-to-day-1") == "true",
        months=months,
        year_affixes=year_affixes,
    )


@dataclass(frozen=True)
class Cite:
    """One source's bibliography entry: plain text, HTML and escaped Markdown."""

    text: str
    html: Markup
    md: Markup

    def __str__(self) -> str:
        return self.text


# --- CSL-JSON items --------------------------------------------------------------------------

_PARTICLE = re.compile(r"^(?:van|von|de|del|della|der|den|di|da|du|dos|das|la|le|ter|ten|bin|al)$")


def _person(name: str) -> dict[str, str]:
    """A one-string name as CSL: `Wojcik, Ginger` or `Ginger Wojcik` → family/given."""
    name = " ".join(name.split())
    if "," in name:
        family, _, given = name.partition(",")
        return {"family": family.strip(), "given": given.strip()}
    words = name.split(" ")
    if len(words) == 1 or name.startswith("@"):
        return {"literal": name}
    cut = len(words) - 1
    while cut > 1 and _PARTICLE.match(words[cut - 1]):
        cut -= 1
    return {"family": " ".join(words[cut:]), "given": " ".join(words[:cut])}


def _authors(source: Any) -> list[dict[str, str]]:
    """CSL names of `source`: v2 `authors` (family/given/literal) or the v1 `author` string."""
    names: list[dict[str, str]] = []
    for author in getattr(source, "authors", None) or ():
        literal = getattr(author, "literal", None) or getattr(author, "organization", None)
        if isinstance(author, str):
            names.append(_person(author))
        elif literal:
            names.append({"literal": str(literal)})
        else:
            name = {"family": str(getattr(author, "family", "") or "")}
            given = getattr(author, "given", None)
            if given:
                name["given"] = str(given)
            names.append(name)
    if not names and getattr(source, "author", None):
        names.append(_person(str(source.author)))
    return names


def _date_parts(value: Any) -> list[int] | None:
    """`[year, month?, day?]` of a date or a v2 PartialDate (month/day may be None)."""
    if value is None:
        return None
    parts = [int(value.year)]
    for name in ("month", "day"):
        part = getattr(value, name, None)
        if part is None:
            break
        parts.append(int(part))
    return parts


def csl_item(source: Any) -> dict[str, Any]:
    """The CSL-JSON item of one brief source (see the module docstring for the types)."""
    kind = getattr(source, "kind", None)
    csl_type, genre = CSL_TYPES.get(kind, CSL_TYPES[None])
    container = getattr(source, "container", None)
    item: dict[str, Any] = {"id": source.id, "type": csl_type, "title": source.title}
    authors = _authors(source)
    if authors:
        item["author"] = authors
    if csl_type != "report":
        item["container-title"] = container or source.publisher
    elif container:
        item["container-title"] = container
    if csl_type == "report" or (container and container != source.publisher):
        item["publisher"] = source.publisher
    if genre:
        item["genre"] = genre
    for key, name in (("issued", "published"), ("accessed", "accessed")):
        parts = _date_parts(getattr(source, name, None))
        if parts:
            item[key] = {"date-parts": [parts]}
    item["URL"] = source.url
    doi = getattr(source, "doi", None)
    if doi:
        item["DOI"] = str(doi)
    pmid = getattr(source, "pmid", None)
    if pmid:
        item["PMID"] = str(pmid)
    return item


def csl_json(sources: Iterable[Any]) -> str:
    """`citations.json`: the sources as a CSL-JSON array, in citation order."""
    items = [csl_item(s) for s in sources]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


# --- Rich text: runs of (text, italic) ----------------------------------------------------------


_SPACED_MARK = re.compile(r" ([:;?!»])")


class _Entry:
    """An entry being built, as runs of text that are italic or not."""

    def __init__(self, inside: bool = True, closers: str = "”’") -> None:
        self.runs: list[tuple[str, bool]] = []
        self.inside = inside  # the locale's punctuation-in-quote
        self.closers = closers

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.runs)

    def add(self, text: str, italic: bool = False) -> None:
        if text:
            # As citeproc-js: a space before ; : ? ! » (French typography) becomes narrow
            # and unbreakable, so the mark never starts a line.
            text = _SPACED_MARK.sub("\u202f\\1", text).replace("« ", "«\u202f")
            self.runs.append((text, italic))

    def end(self, mark: str = ".") -> None:
        """Append `mark` unless the text already ends in terminal punctuation.

        As citeproc-js does: a title's own `?`/`!`/`.` is never followed by a period, and a
        closing quote takes the period inside it (American punctuation).
        """
        text = self.text.rstrip()
        if not text:
            return
        if text[-1] in ".?!":
            return
        if text[-1] in self.closers and len(text) > 1:
            if text[-2] in ".?!" and self.inside:
                return
            if mark == "." and self.inside:
                self._insert_before_last(mark)
                return
        self.add(mark)

    def _insert_before_last(self, mark: str) -> None:
        while self.runs and not self.runs[-1][0]:
            self.runs.pop()
        text, italic = self.runs[-1]
        self.runs[-1] = (text[:-1] + mark + text[-1], italic)

    def render(self, url: str = "", doi: str = "") -> Cite:
        """The entry as text, as HTML (the URL, or `doi:…`, a link) and as escaped Markdown
        (`<URL>`); a DOI links to its resolver, https://doi.org/<doi>."""
        from briefgen.rendering.templating import md_escape

        html_parts: list[str] = []
        md_parts: list[str] = []
        for text, italic in self._merged():
            html = str(escape(text))
            md = md_escape(text)
            if url and url in text:
                link = Markup('<a href="{0}" style="word-break:break-all;">{0}</a>').format(url)
                html = html.replace(str(escape(url)), str(link))
                md = md.replace(md_escape(url), f"<{url}>")
            if doi and f"doi:{doi}" in text:
                target = f"https://doi.org/{doi}"
                link = Markup('<a href="{0}">doi:{1}</a>').format(target, doi)
                html = html.replace(str(escape(f"doi:{doi}")), str(link))
            html_parts.append(f"<i>{html}</i>" if italic else html)
            md_parts.append(f"*{md}*" if italic else md)
        return Cite(text=self.text, html=Markup("".join(html_parts)), md=Markup("".join(md_parts)))

    def _merged(self) -> list[tuple[str, bool]]:
        merged: list[tuple[str, bool]] = []
        for text, italic in self.runs:
            if merged and merged[-1][1] == italic:
                merged[-1] = (merged[-1][0] + text, italic)
            else:
                merged.append((text, italic))
        return merged


# --- Text: quotes, title case, names, dates ---------------------------------------------------

_OPEN_CONTEXT = " \t([{\u00a0-—/"


def smart_quotes(text: str, marks: Sequence[str] = ("“", "”", "‘", "’")) -> str:
    """Straight quotes → curly, alternating “ ” and ‘ ’ by depth; apostrophes → ’.

    citeproc-js renders a field's quotations at the outer level as double quotes and
    alternates inside them, whether they were typed as "…" or '…'.
    """
    out: list[str] = []
    stack: list[str] = []  # the typed mark of each open quotation
    n = len(text)
    for i, ch in enumerate(text):
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < n else " "
        if ch in "\"'":
            opens = before in _OPEN_CONTEXT and not after.isspace()
            if (
                stack
                and stack[-1] == ch
                and not before.isspace()
                and not (ch == "'" and after.isalnum())
            ):
                stack.pop()
                out.append(marks[1] if len(stack) % 2 == 0 else marks[3])
                continue
            if opens and (ch == '"' or _closes_later(text, i)):
                out.append(marks[0] if len(stack) % 2 == 0 else marks[2])
                stack.append(ch)
                continue
            out.append("’" if ch == "'" else ch)
            continue
        out.append(ch)
    return "".join(out)


def _closes_later(text: str, start: int) -> bool:
    """Whether the `'` opened at `start` is closed by a `'` not followed by a letter."""
    for j in range(start + 1, len(text)):
        if text[j] == "'" and not text[j - 1].isspace():
            after = text[j + 1] if j + 1 < len(text) else " "
            if not after.isalnum():
                return True
    return False


_STOP_WORDS = frozenset(
    [
        "about",
        "above",
        "across",
        "afore",
        "after",
        "against",
        "al",
        "along",
        "alongside",
        "amid",
        "amidst",
        "among",
        "amongst",
        "anenst",
        "apropos",
        "apud",
        "around",
        "as",
        "aside",
        "astride",
        "at",
        "athwart",
        "atop",
        "barring",
        "before",
        "behind",
        "below",
        "beneath",
        "beside",
        "besides",
        "between",
        "beyond",
        "but",
        "by",
        "circa",
        "despite",
        "down",
        "during",
        "et",
        "except",
        "for",
        "forenenst",
        "from",
        "given",
        "in",
        "inside",
        "into",
        "lest",
        "like",
        "modulo",
        "near",
        "next",
        "notwithstanding",
        "of",
        "off",
        "on",
        "onto",
        "out",
        "over",
        "per",
        "plus",
        "pro",
        "qua",
        "sans",
        "since",
        "than",
        "through",
        "thru",
        "throughout",
        "thruout",
        "till",
        "to",
        "toward",
        "towards",
        "under",
        "underneath",
        "until",
        "unto",
        "up",
        "upon",
        "versus",
        "vs.",
        "v.",
        "vs",
        "v",
        "via",
        "vis-à-vis",
        "with",
        "within",
        "without",
        "or",
        "yet",
        "so",
        "and",
        "nor",
        "a",
        "an",
        "the",
        "de",
        "d'",
        "von",
        "van",
        "c",
        "ca",
    ]
)
_WORD = re.compile(r"[^\s\-/]+")


_CLOSER = {"“": "”", "‘": "’", '"': '"', "'": "'"}


def _closed_later(text: str, start: int, closer: str) -> bool:
    """Whether a word after `start` ends with `closer` (the quotation really closes)."""
    return any(w.rstrip(".,:;?!)]}").endswith(closer) for w in _WORD.findall(text, start)) or text[
        :start
    ].rstrip(".,:;?!)]}").endswith(closer)


def title_case(text: str) -> str:
    """CSL title case as citeproc-js applies it: capitalise words that are all lower case,
    except stop words and one-letter words that are not first or after a colon.

    Like citeproc-js, the first word of a quotation of several words, and a one-word
    quotation nested inside one, keep their case.
    """
    out: list[str] = []
    pos = 0
    first = True
    after_punct = False
    in_quote = False  # inside a quotation of several words
    for match in _WORD.finditer(text):
        out.append(text[pos : match.start()])
        word = match.group(0)
        core = word.strip("“”‘’\"'([{")
        lead = word[: len(word) - len(word.lstrip("“”‘’\"'([{"))]
        opener = next((q for q in lead if q in _CLOSER), "")
        opens = bool(opener) and _closed_later(text, match.end(), _CLOSER[opener])
        closes = word.rstrip(".,:;?!)]}").endswith(tuple(_CLOSER.values())) and not (
            core.endswith(("’s", "'s"))
        )
        lower = core.lower()
        capitalise = (len(core) > 1 and lower.rstrip(".,:;?!)]}”’") not in _STOP_WORDS) or (
            first or after_punct
        )
        if opens and (not closes or in_quote):
            capitalise = False
        if capitalise and core == lower and core[:1].isalpha():
            word = lead + core[:1].upper() + core[1:] + word[len(lead) + len(core) :]
        out.append(word)
        if opens and not closes:
            in_quote = True
        elif closes and not opens:
            in_quote = False
        first = False
        after_punct = word.rstrip("”’\"')]}").endswith((":", "?", "!"))
        pos = match.end()
    out.append(text[pos:])
    return "".join(out)


def _initials(given: str, sep: str) -> str:
    """`Abbie E.` → `AE` (sep "") or `A. E.` (sep ". "); `Jean-Paul` → `J-P` / `J.-P.`."""
    parts = []
    for word in given.replace(".", " ").split():
        pieces = [p for p in word.split("-") if p]
        if sep:
            parts.append("-".join(f"{p[0]}." for p in pieces))
        else:
            parts.append("-".join(p[0] for p in pieces))
    return ("" if not sep else " ").join(parts)


def _date_text(parts: Sequence[int]) -> str:
    """`May 7, 2023`, `May 2023` or `2023`."""
    if len(parts) >= 3:
        return f"{_MONTHS[parts[1] - 1]} {parts[2]}, {parts[0]}"
    if len(parts) == 2:
        return f"{_MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0])


def _new_entry(loc: CslLocale) -> _Entry:
    closers = (loc.quotes[1] + loc.quotes[3]).replace("\u00a0", "")
    return _Entry(loc.punctuation_in_quote, closers or "”’")


def _q(loc: CslLocale, text: str) -> str:
    """Quotation marks of the locale (citeproc-js renders a field's quotes with them)."""
    return smart_quotes(text, loc.quotes)


def _title(loc: CslLocale, text: str) -> str:
    """Title case, which citeproc-js applies only under an English locale."""
    return title_case(text) if loc.english else text


def _ama_date_text(loc: CslLocale, parts: Sequence[int]) -> str:
    """An AMA date: `May 7, 2023` in English; in another language the locale's text form.

    AMA spells some dates as month, day, year date-parts; citeproc-js keeps that US order
    with the locale's month names ("novembre 22, 2026"), which is no French date, so briefgen
    uses the locale's own date form there (tests/test_csl_citeproc.py holds this to
    citeproc-js on the style with those dates as `form="text"`).
    """
    return _date_text(parts) if loc.english else loc.date(parts)


def _parts(item: dict[str, Any], key: str) -> list[int] | None:
    value = item.get(key)
    if not value:
        return None
    parts: list[int] = value["date-parts"][0]
    return parts


# --- AMA 11th edition -------------------------------------------------------------------------


def _family(name: dict[str, str], loc: CslLocale) -> str:
    """The family name; under French, as citeproc-js, a lower-case particle is joined to it
    with a no-break space (`de\u00a0Guingand`)."""
    family = name["family"]
    if loc.tag.startswith("fr"):
        words = family.split(" ")
        cut = 0
        while cut < len(words) - 1 and _PARTICLE.match(words[cut]):
            cut += 1
        if cut:
            family = "\u00a0".join(words[: cut + 1]) + "".join(" " + w for w in words[cut + 1 :])
    return family


def _ama_names(names: list[dict[str, str]], loc: CslLocale) -> str:
    def one(name: dict[str, str]) -> str:
        if "literal" in name:
            return name["literal"]
        initials = _initials(name.get("given", ""), "")
        return f"{_family(name, loc)} {initials}".strip()

    if len(names) >= 7:
        et_al = loc.term("et-al").rstrip(".") if loc.english else loc.term("et-al")
        return ", ".join(one(n) for n in names[:3]) + ", " + et_al
    return ", ".join(one(n) for n in names)


def _ama(item: dict[str, Any], loc: CslLocale) -> _Entry:
    entry = _new_entry(loc)
    kind = item["type"]
    styled_title = kind in {"report", "motion_picture"}
    title = _q(loc, _title(loc, item["title"]) if styled_title else item["title"])
    if item.get("author"):
        entry.add(_ama_names(item["author"], loc))
        entry.end()
        entry.add(" ")
    entry.add(title, italic=styled_title)
    entry.end()
    container = _q(loc, item.get("container-title", ""))
    issued = _parts(item, "issued")
    accessed = _parts(item, "accessed")
    if kind in {"report", "motion_picture"}:
        if item.get("publisher"):
            entry.add(" " + item["publisher"])
        if issued:
            entry.add(f"; {issued[0]}.")
        _ama_access(entry, item, None, loc)
    elif kind == "article-newspaper":
        if container:
            entry.add(" ")
            entry.add(container, italic=True)
            entry.add(". ")
        tail = [item["URL"]]
        if issued:
            tail.append(_ama_date_text(loc, issued))
        if accessed:
            tail.append(f"{loc.cap('accessed')} {_ama_date_text(loc, accessed)}")
        entry.add(". ".join(tail))
        entry.end()
    elif kind in {"webpage", "post"}:
        if container:
            entry.add(" " + container)
            entry.end()
        _ama_access(entry, item, issued, loc)
    else:
        container = container.replace(".", "")
        group = _new_entry(loc)
        if container:
            group.add(container, italic=True)
            group.end()
        if issued:
            # The style's literal "Published online"; in another language, the term "online".
            online = "Published online" if loc.english else loc.cap("online")
            group.add(f" {online} {_ama_date_text(loc, issued)}")
        if group.runs:
            group.end()
            entry.add(" ")
            entry.runs += group.runs
        _ama_access(entry, item, None, loc)
    return entry


def _ama_access(
    entry: _Entry, item: dict[str, Any], issued: list[int] | None, loc: CslLocale
) -> None:
    if item.get("DOI"):
        entry.add(f" doi:{item['DOI']}")
        return
    accessed = _parts(item, "accessed")
    parts = []
    if issued:
        parts.append(_ama_date_text(loc, issued))
    if accessed:
        parts.append(f"{loc.cap('accessed')} {_ama_date_text(loc, accessed)}")
    parts.append(item["URL"])
    entry.add(" " + ". ".join(parts))


# --- APA 7th edition --------------------------------------------------------------------------


def _apa_names(names: list[dict[str, str]], loc: CslLocale) -> str:
    def one(name: dict[str, str]) -> str:
        if "literal" in name:
            return name["literal"]
        initials = _initials(name.get("given", ""), ". ")
        family = _family(name, loc)
        return f"{family}, {initials}" if initials else family

    shown = [one(n) for n in names]
    if len(shown) == 1:
        return shown[0]
    if len(shown) > 20:
        return ", ".join(shown[:19]) + ", . . . " + shown[-1]
    return ", ".join(shown[:-1]) + ", & " + shown[-1]


def _apa_date(item: dict[str, Any], loc: CslLocale) -> str:
    issued = _parts(item, "issued")
    if not issued:
        return f"({loc.term('no date', 'short')})."
    year = loc.year(issued[0])
    if item["type"] in {"article-journal", "report"} or len(issued) == 1:
        return f"({year})."
    month = loc.months[issued[1] - 1]
    if len(issued) == 2:
        return f"({year}, {month})."
    return f"({year}, {month} {issued[2]})."


def _apa(item: dict[str, Any], loc: CslLocale) -> _Entry:
    entry = _new_entry(loc)
    kind = item["type"]
    title = _q(loc, item["title"])
    # A report "In" a container is a part of it: only a stand-alone report's title is italic.
    italic_title = kind in {"webpage", "post"} or (
        kind == "report" and not item.get("container-title")
    )
    genre = item.get("genre")
    bracket = (
        {"post": loc.cap("post") or None}.get(kind, genre)
        if kind in {"post", "report", "motion_picture"}
        else None
    )
    container = _q(loc, item.get("container-title", ""))
    in_term = loc.cap("in")
    if item.get("author"):
        entry.add(_apa_names(item["author"], loc))
        entry.end()
        entry.add(" " + _apa_date(item, loc) + " ")
        entry.add(title, italic=italic_title)
        if bracket and (kind != "report" or not container):
            entry.add(f" [{bracket}]")
        entry.end()
    else:
        entry.add(title, italic=italic_title)
        entry.end()
        entry.add(" " + _apa_date(item, loc))
        if bracket and kind != "report":
            entry.add(f" [{bracket}].")
    if kind in _PERIODICALS:
        if container:
            entry.add(" ")
            entry.add(_title(loc, container), italic=True)
            entry.end()
    elif kind in {"webpage", "post"}:
        names = [_title(loc, container)] if container else []
        if item.get("publisher"):
            names.append(item["publisher"])
        if names:
            entry.add(" " + "; ".join(names))
            entry.end()
    elif kind == "report":
        if container:
            entry.add(f" {in_term} " if in_term else " ")
            entry.add(container, italic=True)
        if bracket and (container or not item.get("author")):
            entry.add(f" [{bracket}]")
        entry.end()
        if item.get("publisher"):
            entry.add(" " + item["publisher"])
            entry.end()
    elif kind == "motion_picture":
        if container:
            entry.add(f" {in_term} " if in_term else " ")
            entry.add(container, italic=True)
            entry.end()
        if item.get("publisher"):
            entry.add(" " + item["publisher"])
            entry.end()
    if item.get("DOI"):
        entry.add(f" https://doi.org/{item['DOI']}")
    elif not _parts(item, "issued") and _parts(item, "accessed"):
        accessed = _parts(item, "accessed") or [0]
        retrieved = f"{loc.cap('retrieved')} {loc.date(accessed)},"
        entry.add(f" {retrieved} {loc.term('from')} {item['URL']}")
    else:
        entry.add(" " + item["URL"])
    return entry


_FORMATTERS = {"ama": _ama, "apa": _apa}


def cite(item: dict[str, Any], style: str = "ama", language: str | None = None) -> Cite:
    """The bibliography entry of one CSL item in `style` (without AMA's leading number),
    with the terms and dates of the CSL locale of `language` (see `locale_tag`)."""
    try:
        formatter = _FORMATTERS[style]
    except KeyError:
        raise ValueError(f"unknown citation style {style!r}; known: {', '.join(STYLES)}") from None
    loc = csl_locale(language, style)
    return formatter(item, loc).render(str(item.get("URL", "")), str(item.get("DOI", "")))


def cite_sources(
    sources: Iterable[Any], style: str = "ama", language: str | None = None
) -> dict[str, Cite]:
    """Each source's entry by source id, in `style` and the locale of `language`."""
    return {s.id: cite(csl_item(s), style, language) for s in sources}


def attach_cites(sources: Iterable[Any], style: str = "ama", language: str | None = None) -> None:
    """Give each source view its entry as `source.cite` (`.text`, `.html`, `.md`).

    The views are frozen for templates; the renderer attaches the entries once, right after
    the context is built, so every reference to a source (claims, caveats, stats) sees them.
    """
    for source in sources:
        object.__setattr__(source, "cite", cite(csl_item(source), style, language))
