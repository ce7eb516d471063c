"""The brief rules that span fields: unique ids, references that resolve, balance, experts."""

from __future__ import annotations

from dataclasses import dataclass

from briefgen.brief.models import Brief


@dataclass(frozen=True)
class Problem:
    """One broken rule, at a path inside the brief."""

    loc: tuple[str | int, ...]
    message: str
    hint: str


def _ids(items: list[str]) -> str:
    return ", ".join(items) if items else "(none defined)"


def check_references(brief: Brief) -> list[Problem]:
    """Every rule of the format that pydantic's field checks cannot see, in file order."""
    problems: list[Problem] = []
    lists = {
        "sources": [s.id for s in brief.sources],
        "people": [p.id for p in brief.people],
        "claims": [c.id for c in brief.claims],
        "caveats": [c.id for c in brief.caveats],
        "stats": [s.id for s in brief.stats],
    }
    for name, ids in lists.items():
        seen: set[str] = set()
        for index, item_id in enumerate(ids):
            if item_id in seen:
                problems.append(
                    Problem(
                        (name, index, "id"),
                        f"duplicate id '{item_id}' in {name}",
                        "give each entry its own id",
                    )
                )
            seen.add(item_id)
    sources, people, claims = set(lists["sources"]), set(lists["people"]), set(lists["claims"])

    def need(loc: tuple[str | int, ...], ref: str | None, known: set[str], what: str) -> None:
        if ref is not None and ref not in known:
            problems.append(
                Problem(
                    loc, f"'{ref}' is not a {what} id", f"known {what} ids: {_ids(sorted(known))}"
                )
            )

    for group in ("claims", "caveats", "stats"):
        for index, item in enumerate(getattr(brief, group)):
            need((group, index, "source"), item.source, sources, "source")
            if group != "stats":
                need((group, index, "by"), item.by, people, "person")
    for index, caveat in enumerate(brief.caveats):
        for position, claim_id in enumerate(caveat.answers):
            need(("caveats", index, "answers", position), claim_id, claims, "claim")
        person = brief.person(caveat.by)
        if caveat.required and (person is None or not person.expert):
            who = f"'{caveat.by}' is not an expert" if person else "it names no expert"
            problems.append(
                Problem(
                    ("caveats", index, "by" if caveat.by else "required"),
                    f"required caveat '{caveat.id}': {who}",
                    "set `by:` to a person with `expert: true`, or `required: false`",
                )
            )
    answered = {claim_id for caveat in brief.caveats for claim_id in caveat.answers}
    for index, claim in enumerate(brief.claims):
        if claim.id not in answered:
            problems.append(
                Problem(
                    ("claims", index, "id"),
                    f"claim '{claim.id}' is not answered by any caveat",
                    f"add '{claim.id}' to a caveat's `answers:` (balance)",
                )
            )
    if not any(c.required for c in brief.caveats):
        problems.append(
            Problem(
                ("caveats",),
                "no caveat is required",
                "mark at least one expert caveat `required: true`",
            )
        )
    return problems
