"""Build the render context: the brief as the read-only views templates use."""

from __future__ import annotations

from dataclasses import dataclass, field

from briefgen.brief.loader import LoadedBrief
from briefgen.brief.models import Author, Brief, Caveat, PartialDate, Person
from briefgen.rendering import locales
from briefgen.rendering.locales import gettext_ as _


@dataclass(frozen=True)
class PersonView:
    """A person as templates show them."""

    name: str
    credentials: str | None
    role: str | None
    expert: bool

    @property
    def display(self) -> str:
        """`Jenny Yu, MD`."""
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    @property
    def described(self) -> str:
        """`Jenny Yu, MD, Medical Director at …`."""
        return f"{self.display}, {self.role}" if self.role else self.display


@dataclass(frozen=True)
class AuthorView:
    """An author: `family` and `given` for a person, `literal` for an organisation."""

    family: str | None
    given: str | None
    literal: str | None

    @property
    def display(self) -> str:
        """`Ginger Wojcik`, or the organisation's name."""
        if self.literal is not None:
            return self.literal
        return " ".join(part for part in (self.given, self.family) if part)


@dataclass(frozen=True)
class SourceView:
    """A source with its number in the citation block and what relies on it."""

    n: int
    id: str
    publisher: str
    title: str
    url: str
    author: str | None
    published: PartialDate | None
    accessed: PartialDate | None
    kind: str | None
    relied_on_by: tuple[str, ...]
    authors: tuple[AuthorView, ...] = ()
    doi: str | None = None
    pmid: str | None = None
    container: str | None = None

    @property
    def periodical(self) -> str:
        """The periodical or site name: `container`, else the publisher."""
        return self.container or self.publisher


@dataclass(frozen=True)
class CaveatView:
    """A caveat with its person and source resolved."""

    id: str
    text: str
    short: str
    quote: str | None
    by: PersonView | None
    source: SourceView
    answers: tuple[str, ...]
    required: bool
    credit: str = ""
    stated_by_publication: bool = False


@dataclass(frozen=True)
class ClaimView:
    """A claim followed by the caveats that answer it."""

    id: str
    text: str
    quote: str | None
    by: PersonView | None
    source: SourceView
    caveats: tuple[CaveatView, ...]
    expert: bool = False


@dataclass(frozen=True)
class StatView:
    """A figure as its source states it."""

    id: str
    value: str
    text: str
    source: SourceView


@dataclass(frozen=True)
class BriefView:
    """Everything a template may use, under the name `brief`."""

    slug: str
    title: str
    topic: str
    date: PartialDate
    language: str
    summary: str
    takeaway: str
    hashtags: tuple[str, ...]
    link: str | None
    sources: tuple[SourceView, ...]
    claims: tuple[ClaimView, ...]
    caveats: tuple[CaveatView, ...]
    stats: tuple[StatView, ...]
    experts: tuple[PersonView, ...] = field(default=())
    verdict: str = ""

    @property
    def expert_claims(self) -> tuple[ClaimView, ...]:
        """Claims made by experts ("what experts say"); they need no answering caveat."""
        return tuple(c for c in self.claims if c.expert)

    @property
    def fan_claims(self) -> tuple[ClaimView, ...]:
        """Claims by anyone else ("what fans claim"); each is answered by a caveat."""
        return tuple(c for c in self.claims if not c.expert)

    @property
    def locale(self) -> str:
        """The brief's language tag, which picks its catalog, dates and quotation marks."""
        return self.language

    @property
    def dir(self) -> locales.Direction:
        """`rtl` for Arabic, Hebrew, Persian and Urdu briefs, else `ltr`."""
        return locales.direction(self.language)

    @property
    def required_caveats(self) -> tuple[CaveatView, ...]:
        """Caveats every output must keep."""
        return tuple(c for c in self.caveats if c.required)

    @property
    def unanswering_caveats(self) -> tuple[CaveatView, ...]:
        """Caveats that answer no claim (shown in their own section)."""
        return tuple(c for c in self.caveats if not c.answers)

    @property
    def publishers(self) -> tuple[str, ...]:
        """Each publisher once, in citation order."""
        return tuple(dict.fromkeys(s.publisher for s in self.sources))

    @property
    def caption_link(self) -> str:
        """The link a caption carries: the brief's own, else the first source's."""
        return self.link or self.sources[0].url

    @property
    def caption_publishers(self) -> tuple[str, ...]:
        """Publishers a caption credits: those behind its claims and required caveats."""
        cited = {c.source.id for c in self.required_caveats} | {c.source.id for c in self.claims}
        return tuple(dict.fromkeys(s.publisher for s in self.sources if s.id in cited))


def _person(person: Person | None) -> PersonView | None:
    if person is None:
        return None
    return PersonView(person.name, person.credentials, person.role, person.expert)


def _author(author: Author) -> AuthorView:
    return AuthorView(author.family, author.given, author.literal)


def _relied_on(brief: Brief, source_id: str) -> tuple[str, ...]:
    # In the language being rendered (`locales.activated`), like the templates' own words.
    claim, caveat, figure = _("claim: %(text)s"), _("caveat: %(text)s"), _("figure: %(text)s")
    uses = [claim % {"text": c.text.rstrip(".")} for c in brief.claims if c.source == source_id]
    uses += [caveat % {"text": c.text.rstrip(".")} for c in brief.caveats if c.source == source_id]
    uses += [figure % {"text": f"{s.value} {s.text}"} for s in brief.stats if s.source == source_id]
    return tuple(uses)


def _caveat(brief: Brief, caveat: Caveat, sources: dict[str, SourceView]) -> CaveatView:
    """A caveat credited to its expert, or to the publisher when the publication states it."""
    person = _person(brief.person(caveat.by))
    publication = brief.stated_by(caveat)
    credit = person.display if person else sources[publication.id].publisher if publication else ""
    return CaveatView(
        caveat.id,
        caveat.text,
        caveat.short,
        caveat.quote,
        person,
        sources[caveat.source],
        tuple(caveat.answers),
        caveat.required,
        credit=credit,
        stated_by_publication=publication is not None,
    )


def build_context(loaded: LoadedBrief) -> BriefView:
    """The read-only view of `loaded` that every template renders from."""
    brief = loaded.brief
    sources = {
        s.id: SourceView(
            n,
            s.id,
            s.publisher,
            s.title,
            s.url,
            s.author_display,
            s.published,
            s.accessed,
            s.kind,
            _relied_on(brief, s.id),
            authors=tuple(_author(a) for a in s.author_list),
            doi=s.doi,
            pmid=s.pmid,
            container=s.container,
        )
        for n, s in enumerate(brief.sources, start=1)
    }
    caveats = tuple(_caveat(brief, c, sources) for c in brief.caveats)
    claims = tuple(
        ClaimView(
            c.id,
            c.text,
            c.quote,
            _person(brief.person(c.by)),
            sources[c.source],
            tuple(cv for cv in caveats if c.id in cv.answers),
            expert=brief.is_expert(c.by),
        )
        for c in brief.claims
    )
    stats = tuple(StatView(s.id, s.value, s.text, sources[s.source]) for s in brief.stats)
    experts = tuple(view for p in brief.people if p.expert and (view := _person(p)) is not None)
    return BriefView(
        slug=brief.slug,
        title=brief.title,
        topic=brief.topic,
        date=brief.date,
        language=brief.language,
        summary=brief.summary,
        takeaway=brief.takeaway,
        hashtags=tuple(brief.hashtags),
        link=brief.link,
        sources=tuple(sources.values()),
        claims=claims,
        caveats=caveats,
        stats=stats,
        experts=experts,
        verdict=brief.verdict or brief.title,
    )
