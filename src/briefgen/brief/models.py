"""The brief format, version 1, as pydantic models (field shapes; cross-references live in refs)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")


def _one_line(value: str) -> str:
    if _LINE_BREAKS.search(value):
        raise ValueError("must be a single line of text without line breaks or control characters")
    if not value.strip():
        raise ValueError("must not be blank")
    return value.strip()


def _paragraph(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters")
    if not value.strip():
        raise ValueError("must not be blank")
    return " ".join(value.split())


def _http_url(value: str) -> str:
    if _LINE_BREAKS.search(value) or any(ch in value for ch in ' <>"\\`{}|^'):
        raise ValueError('must be a single URL without spaces, line breaks or <>"`{}|^\\')
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError(f"must be an http(s) URL, not {parts.scheme or 'a relative'!s} one")
    if not parts.hostname:
        raise ValueError("must name a host, like https://example.org/page")
    if parts.username is not None or parts.password is not None:
        raise ValueError("must not carry a user name or password")
    return value


#: Bounds keep every later step (counting, matching, rendering) fast on hostile input.
MAX_LINE = 500
MAX_TEXT = 5000
Line = Annotated[str, StringConstraints(max_length=MAX_LINE), AfterValidator(_one_line)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT), AfterValidator(_paragraph)]
Url = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_http_url)]
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]
Short = Annotated[str, StringConstraints(max_length=40), AfterValidator(_one_line)]
Hashtag = Annotated[str, StringConstraints(pattern=r"^\w+$", max_length=100)]
Language = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$", max_length=35)
]
SourceKind = Literal["article", "newsletter", "press-release", "study", "video", "social"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Source(_Model):
    """A publication the brief relies on; every output credits it."""

    id: Id
    publisher: Line
    title: Line
    url: Url
    author: Line | None = None
    published: dt.date | None = None
    accessed: dt.date | None = None
    kind: SourceKind | None = None
    text: Line | None = Field(
        default=None, description="Path of the source's own text, relative to brief.yaml."
    )


class Person(_Model):
    """Someone who says something in the story; experts give caveats."""

    id: Id
    name: Line
    credentials: Line | None = None
    role: Line | None = None
    expert: bool = False


class Claim(_Model):
    """What the trend's proponents say; every claim is answered by a caveat."""

    id: Id
    text: Text
    by: Id | None = None
    quote: Text | None = None
    source: Id


class Caveat(_Model):
    """An expert's warning that balances claims; required ones appear in every output."""

    id: Id
    text: Text
    short: Short = Field(description="At most 40 characters: the form used where space is tight.")
    by: Id | None = None
    quote: Text | None = None
    source: Id
    answers: list[Id] = Field(default_factory=list)
    required: bool = True


class Stat(_Model):
    """A figure exactly as its source states it."""

    id: Id
    value: Line
    text: Text
    source: Id


class Brief(_Model):
    """One story as structured, sourced facts (brief format version 1)."""

    slug: Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=64)]
    title: Line
    topic: Line
    date: dt.date
    language: Language = "en"
    summary: Text
    takeaway: Text
    hashtags: list[Hashtag] = Field(default_factory=list)
    link: Url | None = None
    sources: list[Source] = Field(min_length=1)
    people: list[Person] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    caveats: list[Caveat] = Field(min_length=1)
    stats: list[Stat] = Field(default_factory=list)

    def person(self, person_id: str | None) -> Person | None:
        """The person with this id, if any."""
        return next((p for p in self.people if p.id == person_id), None)

    def source(self, source_id: str) -> Source:
        """The source with this id (references are checked at load time)."""
        return next(s for s in self.sources if s.id == source_id)


MODEL_OF_LIST: dict[str, type[_Model]] = {
    "sources": Source,
    "people": Person,
    "claims": Claim,
    "caveats": Caveat,
    "stats": Stat,
}
