"""The brief rules that span fields: unique ids, references that resolve, balance, experts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

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
    for index, claim in enumerate(brief.claims):
        need(("claims", index, "by"), claim.by, people, "person")
    for index, caveat in enumerate(brief.caveats):
        loc = ("caveats", index, "by")
        if caveat.by is not None and caveat.by in people and caveat.by in sources:
            problems.append(
                Problem(
                    loc,
                    f"'{caveat.by}' names both a person and a source",
                    "give the person and the source different ids",
                )
            )
        elif caveat.by is not None and caveat.by not in people | sources:
            problems.append(
                Problem(
                    loc,
                    f"'{caveat.by}' is not a person or source id",
                    f"known person ids: {_ids(sorted(people))}; "
                    f"source ids (the publication states it): {_ids(sorted(sources))}",
                )
            )
        for position, claim_id in enumerate(caveat.answers):
            need(("caveats", index, "answers", position), claim_id, claims, "claim")
        person = brief.person(caveat.by)
        if caveat.required and person is not None and not person.expert:
            problems.append(
                Problem(
                    loc,
                    f"required caveat '{caveat.id}': '{caveat.by}' is not an expert",
                    "set `by:` to a person with `expert: true`, to a source id (the publication "
                    "states it), or set `required: false`",
                )
            )
    answered = {claim_id for caveat in brief.caveats for claim_id in caveat.answers}
    for index, claim in enumerate(brief.claims):
        if claim.id not in answered and not brief.is_expert(claim.by):
            problems.append(
                Problem(
                    ("claims", index, "id"),
                    f"claim '{claim.id}' is not answered by any caveat",
                    f"add '{claim.id}' to a caveat's `answers:` (balance), "
                    "unless an expert makes it (`by:` a person with `expert: true`)",
                )
            )
    if not any(c.required and brief.is_expert(c.by) for c in brief.caveats):
        problems.append(
            Problem(
                ("caveats",),
                "no required caveat is given by an expert",
                "mark at least one caveat `required: true` whose `by:` is a person "
                "with `expert: true`",
            )
        )
    for index, waiver in enumerate(brief.waivers):
        if waiver.field is not None and not _has_field(brief, waiver.field):
            problems.append(
                Problem(
                    ("waivers", index, "field"),
                    f"waiver field '{waiver.field}' is not a field of this brief",
                    "name a field like takeaway or claims[0].text (lists count from 0)",
                )
            )
    return problems


_STEP = re.compile(r"([a-z_]+)(?:\[(\d+)\])?")


def _has_field(brief: Brief, dotted: str) -> bool:
    """Whether a dotted path like `claims[2].text` names a field that this brief has."""
    node: Any = brief
    for step in dotted.split("."):
        match = _STEP.fullmatch(step)
        if match is None or not isinstance(node, BaseModel):
            return False
        name, index = match.group(1), match.group(2)
        if name not in type(node).model_fields:
            return False
        node = getattr(node, name)
        if index is not None:
            if not isinstance(node, list) or int(index) >= len(node):
                return False
            node = node[int(index)]
    return True
