"""The JSON Schema of the brief format, generated from the pydantic models, for editors."""

from __future__ import annotations

import json
from typing import Any

from briefgen.brief.models import MODEL_OF_LIST, Brief

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: Where a project keeps its copy, relative to the project root (briefs point here).
SCHEMA_PATH = "schema/brief.schema.json"

#: Help for each field, by model and field; shown on hover in editors and as comments by `new`.
FIELD_HELP: dict[str, dict[str, str]] = {
    "Brief": {
        "slug": "Names the output folder: lowercase letters, digits and single hyphens "
        "(at most 64).",
        "title": "The headline, on one line.",
        "topic": "A short noun phrase that captions use, like 'baby Botox'.",
        "date": "The brief's issue date: YYYY-MM-DD (or YYYY-MM, YYYY); outputs never use "
        "today's date.",
        "language": "BCP 47 language tag (default en); goes into <html lang> and Content-Language.",
        "summary": "Neutral 'what is it', in one or two sentences.",
        "takeaway": "The balanced tl;dr verdict, in one or two sentences.",
        "hashtags": "Hashtags without '#'.",
        "link": "The story's canonical web page; captions link here when present.",
        "sources": "The publications the brief relies on (at least one); every output "
        "credits each.",
        "people": "Who says what; experts give caveats, others make claims.",
        "claims": "What people say about the trend; each is answered by a caveat unless an "
        "expert makes it.",
        "caveats": "Warnings that balance the claims; at least one required, from an expert.",
        "stats": "Figures exactly as their sources state them.",
        "verdict": "The verdict in a few words, at most 120 characters, for short captions "
        "(default: the title).",
        "waivers": "Warnings an editor reviewed and accepted: rule, optional field, reason. "
        "Errors cannot be waived.",
    },
    "Source": {
        "id": "This source's id, unique in the brief; `source:` fields name it.",
        "publisher": "Who published it, as readers know them.",
        "title": "The source's own headline.",
        "url": "Its http(s) address.",
        "author": "Who wrote it, one person ('Ginger Wojcik'); or use `authors`.",
        "authors": "Several authors, instead of `author`: names ('Wojcik, Ginger'), "
        "{family, given} or {organization}.",
        "published": "When it was published: YYYY-MM-DD, YYYY-MM or YYYY.",
        "accessed": "When you read it: YYYY-MM-DD, YYYY-MM or YYYY.",
        "kind": "article, newsletter, press-release, study, video, social, report or web-page.",
        "container": "The periodical or site when it differs from the publisher, like JAMA.",
        "doi": "Its DOI, like 10.1001/jama.2023.1234.",
        "pmid": "Its PubMed id (digits).",
        "text": "Path of the source's own text, relative to brief.yaml; every quote and "
        "figure from this source is checked against it.",
    },
    "Person": {
        "id": "This person's id, unique in the brief; `by:` fields name it.",
        "name": "Their name as printed.",
        "credentials": "Letters after the name, like MD.",
        "role": "What makes them worth quoting, like 'dermatologist at …'.",
        "expert": "true for experts, who give caveats; creators and commentators make claims.",
    },
    "Claim": {
        "id": "This claim's id, unique in the brief; `answers:` fields name it.",
        "text": "What proponents say, in your words, in one sentence.",
        "by": "Id of the person who says it; an expert's claim needs no answering caveat.",
        "quote": "Their exact words, verbatim from the source's text (… for omissions).",
        "source": "Id of the source it comes from.",
    },
    "Caveat": {
        "id": "This caveat's id, unique in the brief.",
        "text": "The warning, in one sentence.",
        "short": "At most 40 characters: the form used where space is tight.",
        "by": "Id of the expert who gives it; or a source id, or nothing, when the "
        "publication states it (outputs credit the publisher).",
        "quote": "Their exact words, verbatim from the source's text (… for omissions).",
        "source": "Id of the source it comes from.",
        "answers": "Ids of the claims this caveat balances.",
        "required": "Default true: every output must keep it.",
    },
    "Waiver": {
        "rule": "Id of the warning rule reviewed, like hype.",
        "field": "The brief field the finding points at, like claims[0].text (default: any).",
        "reason": "Why the text stays as it is, and who reviewed it.",
    },
    "PersonName": {
        "family": "Family name, like Wojcik.",
        "given": "Given names, like Ginger.",
    },
    "Organization": {
        "organization": "An organisation as author, like World Health Organization.",
    },
    "Stat": {
        "id": "This figure's id, unique in the brief.",
        "value": "The figure exactly as the source writes it, like '4.3 billion'.",
        "text": "What the figure counts.",
        "source": "Id of the source that states it.",
    },
}

MODELS: dict[str, type[Any]] = {"Brief": Brief} | {m.__name__: m for m in MODEL_OF_LIST.values()}


def _describe(node: dict[str, Any], model: str) -> None:
    for name, prop in node.get("properties", {}).items():
        help_text = FIELD_HELP.get(model, {}).get(name)
        if help_text and "description" not in prop:
            prop["description"] = help_text


def brief_schema() -> dict[str, Any]:
    """The brief format as a JSON Schema (draft 2020-12), with help text on every field."""
    schema: dict[str, Any] = Brief.model_json_schema()
    _describe(schema, "Brief")
    for name, definition in schema.get("$defs", {}).items():
        _describe(definition, name)
    source = schema.get("$defs", {}).get("Source")
    if source is not None:  # a model validator in Source; JSON Schema says it this way
        source["not"] = {"required": ["author", "authors"]}
    return {
        "$schema": SCHEMA_DIALECT,
        "$comment": "Generated by `briefgen schema` from briefgen's models; do not edit.",
        **schema,
        "title": "briefgen brief (format version 2)",
    }


def schema_json() -> str:
    """`brief_schema()` as stable, indented JSON text ending in a newline."""
    return json.dumps(brief_schema(), indent=2, ensure_ascii=False) + "\n"
