"""What a reader sees: the visible text of HTML, and the sections of an MJML email."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape
from html.parser import HTMLParser

_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
}
_NEVER_SHOWN = {
    "head",
    "style",
    "script",
    "title",
    "template",
    "noscript",
    "mj-head",
    "mj-preview",
    "mj-title",
    "mj-style",
    "mj-attributes",
    "mj-font",
    "mj-breakpoint",
}
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|opacity\s*:\s*0(?:\.0*)?\s*(?:;|$)",
    re.IGNORECASE,
)
_SECTIONS = {"mj-section", "mj-wrapper", "mj-hero"}
_SPACES = re.compile(r"\s+")


def squash(text: str) -> str:
    """Fold every run of whitespace into one space."""
    return _SPACES.sub(" ", text).strip()


@dataclass
class Section:
    """One MJML section: its css-class and visible text."""

    css_class: str
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The section's visible text, whitespace folded."""
        return squash(" ".join(self.parts))


class _VisibleText:
    """What a reader sees of a document, fed its tags and text in order."""

    def __init__(self) -> None:
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []
        self.sections: list[Section] = []
        self.links: list[str] = []
        self._section_depth: int | None = None

    @property
    def hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values: dict[str, str | None] = {}
        for key, value in attrs:
            values.setdefault(key, value)  # browsers keep the first of duplicate attributes
        hidden = (
            self.hidden
            or tag in _NEVER_SHOWN
            or "hidden" in values
            or bool(_HIDDEN_STYLE.search(values.get("style") or ""))
        )
        if tag == "a" and not hidden and values.get("href"):
            self.links.append(values["href"] or "")
        if tag in ("br", "p", "li", "div", "tr", "td", "mj-text") and not hidden:
            self.parts.append(" ")
        if tag in _VOID:
            return
        self.stack.append((tag, hidden))
        if tag in _SECTIONS and self._section_depth is None and not hidden:
            self.sections.append(Section(values.get("css-class") or ""))
            self._section_depth = len(self.stack)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)
        elif not self.hidden:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                if self._section_depth is not None and len(self.stack) < self._section_depth:
                    self._section_depth = None
                break

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        self.parts.append(data)
        if self._section_depth is not None:
            self.sections[-1].parts.append(data)


class _Reference(HTMLParser):
    """The stdlib's HTML tokenizer feeding a `_VisibleText`: the reference `_tokenize` is
    tested against (it is several times slower on the compiled email)."""

    def __init__(self, reader: _VisibleText) -> None:
        super().__init__(convert_charrefs=True)
        self.reader = reader

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.reader.handle_starttag(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.reader.handle_startendtag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.reader.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        self.reader.handle_data(data)


def parse_reference(markup: str) -> _VisibleText:
    """`markup` read through the stdlib's `html.parser` (for tests)."""
    reader = _VisibleText()
    parser = _Reference(reader)
    parser.feed(markup)
    parser.close()
    return reader


#: One token of HTML, as `html.parser` tells them apart: a comment, a declaration (doctype,
#: `<![endif]>`), a processing instruction, an end tag, a start tag (attributes may quote `>`),
#: text, or a `<` that starts none of these (text too).
_TOKEN = re.compile(
    r"""<!--.*?-->
    |<![^>]*>
    |<\?[^>]*>
    |</\s*([a-zA-Z][-.a-zA-Z0-9:_]*)\s*>
    |<([a-zA-Z][^\t\n\r\f\x20/>\x00]*)((?:[^>"']|"[^"]*"|'[^']*')*)>
    |[^<]+
    |<""",
    re.DOTALL | re.VERBOSE,
)
#: An attribute, as html.parser's tolerant pattern finds them.
_ATTRIBUTE = re.compile(
    r"""((?<=['"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*))?(?:\s|/(?!>))*"""
)
#: Elements whose content is text up to their end tag, never markup.
_RAW_TEXT = re.compile(r"</(script|style)\s*>", re.IGNORECASE)


#: After a tag's name: the space and stray slashes html.parser skips.
_AFTER_NAME = re.compile(r"(?:\s|/(?!>))*")


def _start_tag(markup: str, match: re.Match[str], reader: _VisibleText) -> str | None:
    """Feed `reader` the start tag `match` found, as html.parser reads attributes; its name
    when it opens an element (not `<br/>`)."""
    tag = match.group(2).lower()
    end = match.end()
    position = _AFTER_NAME.match(markup, match.end(2)).end()  # type: ignore[union-attr]
    attrs: list[tuple[str, str | None]] = []
    while position < end:
        found = _ATTRIBUTE.match(markup, position, end)
        if found is None:
            break
        name, rest, value = found.group(1, 2, 3)
        if not rest:
            value = None
        elif value[:1] == value[-1:] and value[:1] in ("'", '"'):
            value = value[1:-1]
        if value:
            value = unescape(value)
        attrs.append((name.lower(), value))
        position = found.end()
    closing = markup[position:end].strip()
    if closing not in (">", "/>"):
        reader.handle_data(match.group())
        return None
    if closing == "/>":
        reader.handle_startendtag(tag, attrs)
        return None
    reader.handle_starttag(tag, attrs)
    return tag


def _tokenize(markup: str, reader: _VisibleText) -> None:
    """Feed `reader` the tags and text of `markup` as `html.parser` would, much faster."""
    position, length = 0, len(markup)
    while position < length:
        match = _TOKEN.match(markup, position)
        assert match is not None  # the last two alternatives match any character
        position = match.end()
        text = match.group()
        if text[0] != "<" or text == "<":
            reader.handle_data(unescape(text))
        elif match.group(1) is not None:
            reader.handle_endtag(match.group(1).lower())
        elif match.group(2) is not None:
            tag = _start_tag(markup, match, reader)
            if tag in ("script", "style"):
                raw_end = _RAW_TEXT.search(markup, position)
                stop = raw_end.start() if raw_end else length
                if stop > position:
                    reader.handle_data(markup[position:stop])
                position = stop


@lru_cache(maxsize=4)
def _parse(markup: str) -> _VisibleText:
    """The parsed document; the guard asks for the text and the links of the same markup, so
    the last few are kept (callers get copies of the lists, never the parser's own)."""
    reader = _VisibleText()
    _tokenize(markup, reader)
    return reader


def visible_text(markup: str) -> str:
    """Text a reader sees: no comments, attributes, head, hidden elements or preheader."""
    return squash(" ".join(_parse(markup).parts))


def visible_links(markup: str) -> list[str]:
    """The href of every visible link, in document order."""
    return list(_parse(markup).links)


def mjml_sections(markup: str) -> list[Section]:
    """The visible top-level sections of an MJML document, in order."""
    return [Section(s.css_class, list(s.parts)) for s in _parse(markup).sections]


def tldr_index(sections: list[str], heading: str = "TL;DR") -> int | None:
    """Which of `text_sections` is the tl;dr: the one after a section ending in a TL;DR heading.

    `heading` is the tl;dr heading in the brief's language (right-to-left marks ignored).
    """
    names = {"tl;dr", "tl;dr:", "tldr", heading.casefold()}
    for index, section in enumerate(sections[:-1]):
        last = section.strip().rsplit("\n", 1)[-1].strip("\u200f\u200e \t").casefold()
        if last in names:
            return index + 1
    return None


def text_sections(text: str) -> list[str]:
    """A plain-text email cut at rule lines (---, ===, ***), each chunk trimmed."""
    chunks = re.split(r"(?m)^[ \t]*(?:-{3,}|={3,}|\*{3,})[ \t]*$", text)
    return [chunk.strip() for chunk in chunks if chunk.strip()]
