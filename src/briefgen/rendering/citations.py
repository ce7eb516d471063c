"""Sources as CSL-JSON items, and their bibliography entries in AMA or APA style.

CSL-JSON (`citations.json`) is what Zotero and every other reference manager imports. The
entries follow the official CSL styles `american-medical-association.csl` (AMA 11th edition,
the medical default) and `apa.csl` (APA 7th edition), shipped in `briefgen/data/csl/`. No
Python CSL processor reproduces citeproc-js (the reference implementation) on these styles,
so the few item types a brief can produce are formatted here, and `tests/test_csl_citeproc.py`
holds this module to citeproc-js's output, text for text, on every fixture brief.

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
from dataclasses import dataclass
from typing import Any, Literal

from markupsafe import Markup, escape

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

    def __init__(self) -> None:
        self.runs: list[tuple[str, bool]] = []

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
        if text[-1] in "”’" and len(text) > 1:
            if text[-2] in ".?!":
                return
            if mark == ".":
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


def smart_quotes(text: str) -> str:
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
                out.append("”" if len(stack) % 2 == 0 else "’")
                continue
            if opens and (ch == '"' or _closes_later(text, i)):
                out.append("“" if len(stack) % 2 == 0 else "‘")
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


def _parts(item: dict[str, Any], key: str) -> list[int] | None:
    value = item.get(key)
    if not value:
        return None
    parts: list[int] = value["date-parts"][0]
    return parts


# --- AMA 11th edition -------------------------------------------------------------------------


def _ama_names(names: list[dict[str, str]]) -> str:
    def one(name: dict[str, str]) -> str:
        if "literal" in name:
            return name["literal"]
        initials = _initials(name.get("given", ""), "")
        return f"{name['family']} {initials}".strip()

    if len(names) >= 7:
        return ", ".join(one(n) for n in names[:3]) + ", et al"
    return ", ".join(one(n) for n in names)


def _ama(item: dict[str, Any]) -> _Entry:
    entry = _Entry()
    kind = item["type"]
    styled_title = kind in {"report", "motion_picture"}
    title = smart_quotes(title_case(item["title"]) if styled_title else item["title"])
    if item.get("author"):
        entry.add(_ama_names(item["author"]))
        entry.end()
        entry.add(" ")
    entry.add(title, italic=styled_title)
    entry.end()
    container = smart_quotes(item.get("container-title", ""))
    issued = _parts(item, "issued")
    accessed = _parts(item, "accessed")
    if kind in {"report", "motion_picture"}:
        if item.get("publisher"):
            entry.add(" " + item["publisher"])
        if issued:
            entry.add(f"; {issued[0]}.")
        _ama_access(entry, item, issued=None)
    elif kind == "article-newspaper":
        if container:
            entry.add(" ")
            entry.add(container, italic=True)
            entry.add(". ")
        tail = [item["URL"]]
        if issued:
            tail.append(_date_text(issued))
        if accessed:
            tail.append(f"Accessed {_date_text(accessed)}")
        entry.add(". ".join(tail))
        entry.end()
    elif kind in {"webpage", "post"}:
        if container:
            entry.add(" " + container)
            entry.end()
        _ama_access(entry, item, issued=issued)
    else:
        container = container.replace(".", "")
        group = _Entry()
        if container:
            group.add(container, italic=True)
            group.end()
        if issued:
            group.add(f" Published online {_date_text(issued)}")
        if group.runs:
            group.end()
            entry.add(" ")
            entry.runs += group.runs
        _ama_access(entry, item, issued=None)
    return entry


def _ama_access(entry: _Entry, item: dict[str, Any], issued: list[int] | None) -> None:
    if item.get("DOI"):
        entry.add(f" doi:{item['DOI']}")
        return
    accessed = _parts(item, "accessed")
    parts = []
    if issued:
        parts.append(_date_text(issued))
    if accessed:
        parts.append(f"Accessed {_date_text(accessed)}")
    parts.append(item["URL"])
    entry.add(" " + ". ".join(parts))


# --- APA 7th edition --------------------------------------------------------------------------


def _apa_names(names: list[dict[str, str]]) -> str:
    def one(name: dict[str, str]) -> str:
        if "literal" in name:
            return name["literal"]
        initials = _initials(name.get("given", ""), ". ")
        return f"{name['family']}, {initials}" if initials else name["family"]

    shown = [one(n) for n in names]
    if len(shown) == 1:
        return shown[0]
    if len(shown) > 20:
        return ", ".join(shown[:19]) + ", . . . " + shown[-1]
    return ", ".join(shown[:-1]) + ", & " + shown[-1]


def _apa_date(item: dict[str, Any]) -> str:
    issued = _parts(item, "issued")
    if not issued:
        return "(n.d.)."
    if item["type"] in {"article-journal", "report"} or len(issued) == 1:
        return f"({issued[0]})."
    month = _MONTHS[issued[1] - 1]
    if len(issued) == 2:
        return f"({issued[0]}, {month})."
    return f"({issued[0]}, {month} {issued[2]})."


def _apa(item: dict[str, Any]) -> _Entry:
    entry = _Entry()
    kind = item["type"]
    title = smart_quotes(item["title"])
    # A report "In" a container is a part of it: only a stand-alone report's title is italic.
    italic_title = kind in {"webpage", "post"} or (
        kind == "report" and not item.get("container-title")
    )
    genre = item.get("genre")
    bracket = (
        {"post": "Online post"}.get(kind, genre)
        if kind in {"post", "report", "motion_picture"}
        else None
    )
    container = smart_quotes(item.get("container-title", ""))
    if item.get("author"):
        entry.add(_apa_names(item["author"]))
        entry.end()
        entry.add(" " + _apa_date(item) + " ")
        entry.add(title, italic=italic_title)
        if bracket and (kind != "report" or not container):
            entry.add(f" [{bracket}]")
        entry.end()
    else:
        entry.add(title, italic=italic_title)
        entry.end()
        entry.add(" " + _apa_date(item))
        if bracket and kind != "report":
            entry.add(f" [{bracket}].")
    if kind in _PERIODICALS:
        if container:
            entry.add(" ")
            entry.add(title_case(container), italic=True)
            entry.end()
    elif kind in {"webpage", "post"}:
        names = [title_case(container)] if container else []
        if item.get("publisher"):
            names.append(item["publisher"])
        if names:
            entry.add(" " + "; ".join(names))
            entry.end()
    elif kind == "report":
        if container:
            entry.add(" In ")
            entry.add(container, italic=True)
        if bracket and (container or not item.get("author")):
            entry.add(f" [{bracket}]")
        entry.end()
        if item.get("publisher"):
            entry.add(" " + item["publisher"])
            entry.end()
    elif kind == "motion_picture":
        if container:
            entry.add(" In ")
            entry.add(container, italic=True)
            entry.end()
        if item.get("publisher"):
            entry.add(" " + item["publisher"])
            entry.end()
    if item.get("DOI"):
        entry.add(f" https://doi.org/{item['DOI']}")
    elif not _parts(item, "issued") and _parts(item, "accessed"):
        accessed = _parts(item, "accessed") or [0]
        entry.add(f" Retrieved {_date_text(accessed)}, from {item['URL']}")
    else:
        entry.add(" " + item["URL"])
    return entry


_FORMATTERS = {"ama": _ama, "apa": _apa}


def cite(item: dict[str, Any], style: str = "ama") -> Cite:
    """The bibliography entry of one CSL item in `style` (without AMA's leading number)."""
    try:
        formatter = _FORMATTERS[style]
    except KeyError:
        raise ValueError(f"unknown citation style {style!r}; known: {', '.join(STYLES)}") from None
    return formatter(item).render(str(item.get("URL", "")), str(item.get("DOI", "")))


def cite_sources(sources: Iterable[Any], style: str = "ama") -> dict[str, Cite]:
    """Each source's entry by source id, in `style`."""
    return {s.id: cite(csl_item(s), style) for s in sources}


def attach_cites(sources: Iterable[Any], style: str = "ama") -> None:
    """Give each source view its entry as `source.cite` (`.text`, `.html`, `.md`).

    The views are frozen for templates; the renderer attaches the entries once, right after
    the context is built, so every reference to a source (claims, caveats, stats) sees them.
    """
    for source in sources:
        object.__setattr__(source, "cite", cite(csl_item(source), style))
