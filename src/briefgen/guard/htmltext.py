"""What a reader sees: the visible text of HTML, and the sections of an MJML email."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
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


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
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


@lru_cache(maxsize=4)
def _parse(markup: str) -> _VisibleText:
    """The parsed document; the guard asks for the text and the links of the same markup, so
    the last few are kept (callers get copies of the lists, never the parser's own)."""
    parser = _VisibleText()
    parser.feed(markup)
    parser.close()
    return parser


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
