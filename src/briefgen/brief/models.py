"""The brief format (version 1 plus the optional v2 fields) as pydantic models.

Field shapes only; the rules that span fields (references, balance, experts) live in refs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StringConstraints,
    Tag,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from briefgen.targets import SLUG_PATTERN

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


DATE_HINT = "use YYYY-MM-DD, or YYYY-MM or YYYY"
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day: sources often give only a month.

    Orders by (year, month, day), an unknown part before any known one, so "2022" sorts
    before "2022-01" and "2022-11" before "2022-11-02".
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1000 <= self.year <= 9999:
            raise ValueError(f"year {self.year} is out of range (1000 to 9999)")
        if self.month is None:
            if self.day is not None:
                raise ValueError("a day needs a month")
            return
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} does not exist")
        if self.day is not None:
            dt.date(self.year, self.month, self.day)  # ValueError for 2026-02-30

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() < other._key()

    def __le__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() <= other._key()

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() > other._key()

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() >= other._key()

    def _key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    @property
    def precision(self) -> Literal["year", "month", "day"]:
        """How much of the date is known."""
        if self.day is not None:
            return "day"
        return "year" if self.month is None else "month"

    def isoformat(self) -> str:
        """`2022`, `2022-11` or `2022-11-02`: as much as is known, in ISO 8601."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def first_day(self) -> dt.date:
        """The first day the date can mean (for headers that need a whole date)."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def __str__(self) -> str:
        return self.isoformat()

    @classmethod
    def parse(cls, value: object) -> PartialDate:
        """A `PartialDate` from a date, a YAML year (int) or the text YYYY, YYYY-MM, YYYY-MM-DD."""
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.datetime):
            raise ValueError(f"'{value.isoformat()}' has a time of day; {DATE_HINT}")
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, int) and not isinstance(value, bool):
            if 1000 <= value <= 9999:
                return cls(value)
            raise ValueError(f"{value} is not a year; {DATE_HINT}")
        if not isinstance(value, str):
            raise ValueError(f"is not a date; {DATE_HINT}")
        shown = value if len(value) <= 40 else value[:37] + "..."
        match = _DATE.fullmatch(value.strip())
        if match is None:
            raise ValueError(f"{shown!r} is not a date; {DATE_HINT}")
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None
        try:
            return cls(year, month, day)
        except ValueError as exc:
            raise ValueError(f"{shown!r} is not a real date: {exc}; {DATE_HINT}") from None

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda value: value.isoformat()
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "anyOf": [
                {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
                {"type": "integer", "minimum": 1000, "maximum": 9999},
            ]
        }


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
SourceKind = Literal[
    "article", "newsletter", "press-release", "study", "video", "social", "report", "web-page"
]
Verdict = Annotated[str, StringConstraints(max_length=120), AfterValidator(_one_line)]
Doi = Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$", max_length=300)]


def _digits(value: object) -> object:
    """YAML reads `pmid: 12345` as a number; a PMID is an identifier, kept as text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Pmid = Annotated[
    str,
    BeforeValidator(_digits),
    StringConstraints(pattern=r"^[1-9]\d{0,9}$"),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": r"^[1-9]\d{0,9}$"},
                {"type": "integer", "minimum": 1, "maximum": 9999999999},
            ]
        }
    ),
]
RuleId = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]
FieldPath = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z_]+(\[\d{1,4}\])?(\.[a-z_]+(\[\d{1,4}\])?)*$", max_length=200),
]
#: Lower-case name particles that belong to the family name (`van Beethoven`, `de la Cruz`).
_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "dos", "des", "la"}
    | {"le", "ten", "ter", "zu", "bin", "ibn", "al", "el"}
)


class _Model(BaseModel):
    #: `defer_build`: a model's validator is built when a brief is first validated, not when
    #: this module is imported, so a run whose briefs all come from the action cache never
    #: pays for it; and only `Brief`'s validator is built, not one per nested model.
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=False, defer_build=True
    )


@dataclass(frozen=True)
class Author:
    """One author as citation styles need it: a person's family and given names, or a literal
    name (an organisation, or a one-word name) that is never inverted or abbreviated."""

    family: str | None = None
    given: str | None = None
    literal: str | None = None

    @property
    def display(self) -> str:
        """The name as readers see it: `Ginger Wojcik`, `World Health Organization`."""
        if self.literal is not None:
            return self.literal
        return " ".join(part for part in (self.given, self.family) if part)

    @classmethod
    def from_name(cls, name: str) -> Author:
        """Split `Ginger Wojcik` or `Wojcik, Ginger` into family and given names.

        Lower-case particles stay with the family name (`Ludwig van Beethoven` → family
        `van Beethoven`); a one-word name is kept whole as a literal.
        """
        if "," in name:
            family, _, given = (part.strip() for part in name.partition(","))
            if family and given:
                return cls(family=family, given=given)
        words = name.split()
        if len(words) < 2:
            return cls(literal=name.strip())
        start = len(words) - 1
        while start > 1 and words[start - 1] in _PARTICLES:
            start -= 1
        return cls(family=" ".join(words[start:]), given=" ".join(words[:start]))


class PersonName(_Model):
    """An author given as family and given names."""

    family: Line
    given: Line | None = None


class Organization(_Model):
    """An organisation as author, e.g. the World Health Organization."""

    organization: Line


#: The tags pydantic puts in an error's location for the shape of an `authors` entry.
AUTHOR_TAGS = frozenset({"author:name", "author:person", "author:organization"})


def _author_kind(value: object) -> str | None:
    if isinstance(value, str):
        return "author:name"
    if isinstance(value, dict):
        return "author:organization" if "organization" in value else "author:person"
    if isinstance(value, PersonName | Organization):
        return "author:person" if isinstance(value, PersonName) else "author:organization"
    return None


AuthorEntry = Annotated[
    Annotated[Line, Tag("author:name")]
    | Annotated[PersonName, Tag("author:person")]
    | Annotated[Organization, Tag("author:organization")],
    Discriminator(
        _author_kind,
        custom_error_type="author",
        custom_error_message="an author is a name, {family: …, given: …} or {organization: …}",
    ),
]


class Source(_Model):
    """A publication the brief relies on; every output credits it."""

    id: Id
    publisher: Line
    title: Line
    url: Url
    author: Line | None = None
    authors: list[AuthorEntry] | None = Field(default=None, min_length=1, max_length=100)
    published: PartialDate | None = None
    accessed: PartialDate | None = None
    kind: SourceKind | None = None
    container: Line | None = None
    doi: Doi | None = None
    pmid: Pmid | None = None
    text: Line | None = Field(
        default=None, description="Path of the source's own text, relative to brief.yaml."
    )

    @model_validator(mode="after")
    def _one_author_field(self) -> Source:
        if self.author is not None and self.authors is not None:
            raise ValueError("give either `author` (one name) or `authors` (a list), not both")
        return self

    @property
    def author_list(self) -> tuple[Author, ...]:
        """Every author, people split into family and given names, organisations literal."""
        if self.author is not None:
            return (Author.from_name(self.author),)
        found: list[Author] = []
        for entry in self.authors or []:
            if isinstance(entry, str):
                found.append(Author.from_name(entry))
            elif isinstance(entry, PersonName):
                found.append(Author(family=entry.family, given=entry.given))
            else:
                found.append(Author(literal=entry.organization))
        return tuple(found)

    @property
    def author_display(self) -> str | None:
        """The authors as one line (`author` exactly as written in a v1 brief)."""
        if self.author is not None:
            return self.author
        names = [a.display for a in self.author_list]
        return ", ".join(names) if names else None

    @property
    def periodical(self) -> str:
        """The periodical or site name: `container`, else the publisher."""
        return self.container or self.publisher


class Person(_Model):
    """Someone who says something in the story; experts give caveats."""

    id: Id
    name: Line
    credentials: Line | None = None
    role: Line | None = None
    expert: bool = False


class Claim(_Model):
    """What someone says about the trend; a claim not by an expert is answered by a caveat."""

    id: Id
    text: Text
    by: Id | None = None
    quote: Text | None = None
    source: Id


class Caveat(_Model):
    """A warning that balances claims; required ones appear in every output.

    `by` names the expert who gives it, or a source id (or nothing) when the publication
    states it itself.
    """

    id: Id
    text: Text
    short: Short = Field(description="At most 40 characters: the form used where space is tight.")
    by: Id | None = None
    quote: Text | None = None
    source: Id
    answers: list[Id] = Field(default_factory=list)
    required: bool = True


class Waiver(_Model):
    """An editor's reviewed decision to accept a warning (the guard applies it)."""

    rule: RuleId
    field: FieldPath | None = None
    reason: Text


class Stat(_Model):
    """A figure exactly as its source states it."""

    id: Id
    value: Line
    text: Text
    source: Id


class Brief(_Model):
    """One story as structured, sourced facts (brief format version 1 plus v2 fields)."""

    slug: Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=64)]
    title: Line
    topic: Line
    date: PartialDate
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
    verdict: Verdict | None = None
    waivers: list[Waiver] = Field(default_factory=list)

    def person(self, person_id: str | None) -> Person | None:
        """The person with this id, if any."""
        return next((p for p in self.people if p.id == person_id), None)

    def source(self, source_id: str) -> Source:
        """The source with this id (references are checked at load time)."""
        return next(s for s in self.sources if s.id == source_id)

    def stated_by(self, caveat: Caveat) -> Source | None:
        """The source whose publication states `caveat` itself, or None when a person does.

        A caveat is publication-stated when `by` is absent or names a source id.
        """
        if caveat.by is None:
            return self.source(caveat.source)
        if self.person(caveat.by) is not None:
            return None
        return next((s for s in self.sources if s.id == caveat.by), None)

    def is_expert(self, person_id: str | None) -> bool:
        """Whether `person_id` names a person with `expert: true`."""
        person = self.person(person_id)
        return person is not None and person.expert


MODEL_OF_LIST: dict[str, type[_Model]] = {
    "sources": Source,
    "people": Person,
    "claims": Claim,
    "caveats": Caveat,
    "stats": Stat,
    "waivers": Waiver,
}


def texts(value: object) -> Iterator[str]:
    """Every string of a brief (or of a part of it) as `model_dump(mode="json")` has them:
    each text field, default or not, and each date as its ISO text; for code that looks for
    the brief's own words (the guard), without building pydantic's serializer (the models'
    builds are deferred, and a brief from the cache never builds them)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, PartialDate):
        yield value.isoformat()
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from texts(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from texts(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts(item)
