"""The one table of a brief's outputs: file name, the template that makes it, kind, guarded,
and the unit that renders it.

Render, guard, manifest, preview and the incremental cache all name outputs through this table,
so adding or renaming an output is one row here. Caption outputs are derived from the platform
table: one `social/<platform>.txt` per platform, made by `social/<platform>.txt.j2`.

A *unit* is what is rendered and guarded together, and cached as one: the email (its MJML,
HTML, text and .eml come from the email templates), the citation block, and each platform's
caption. After a template edit only the units whose templates changed are rendered again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Literal

from briefgen.rendering.platforms import PLATFORMS

Kind = Literal["email", "citations", "caption", "export", "manifest"]


@dataclass(frozen=True)
class Output:
    """One file in a brief's output folder."""

    #: Path inside `outputs/<slug>/`, with `/` separators.
    name: str
    #: The template that makes it, or None when it is assembled from other outputs.
    template: str | None
    kind: Kind
    #: Whether the guard reads it (what readers see must keep every caveat and source).
    guarded: bool
    #: The unit that renders it (see above); None for files assembled from every unit's
    #: results (the social exports, the manifest).
    unit: str | None = None
    #: The platform of a caption output.
    platform: str | None = None


EMAIL = "email"
CITATIONS = "citations"
#: The unit of the guard's findings about the brief itself (quotes and figures against the
#: source texts, the wording of its fields, its catalog): no template changes them.
BRIEF = "brief"
EMAIL_MJML = Output("email.mjml", "email.mjml.j2", "email", guarded=False, unit=EMAIL)
EMAIL_HTML = Output("email.html", "email.mjml.j2", "email", guarded=True, unit=EMAIL)
EMAIL_TEXT = Output("email.txt", "email.txt.j2", "email", guarded=True, unit=EMAIL)
#: Text and HTML, as sent.
EMAIL_EML = Output("email.eml", None, "email", guarded=False, unit=EMAIL)
CITATIONS_MD = Output("citations.md", "citations.md.j2", "citations", guarded=True, unit=CITATIONS)
CITATIONS_HTML = Output(
    "citations.html", "citations.html.j2", "citations", guarded=True, unit=CITATIONS
)
#: The sources as CSL-JSON, which Zotero and other reference managers import.
CITATIONS_JSON = Output("citations.json", None, "citations", guarded=False, unit=CITATIONS)
SOCIAL_CSV = Output("social.csv", None, "export", guarded=False)  # schedulers' bulk import
SOCIAL_JSON = Output("social.json", None, "export", guarded=False)
MANIFEST = Output("manifest.json", None, "manifest", guarded=False)

#: The outputs that hold the whole brief (every caveat with its expert, every source).
FULL_OUTPUTS: tuple[Output, ...] = (EMAIL_HTML, EMAIL_TEXT, CITATIONS_MD, CITATIONS_HTML)


@cache
def caption_output(platform: str) -> Output:
    """The caption output of `platform` (`social/<platform>.txt`)."""
    return Output(
        f"social/{platform}.txt",
        f"social/{platform}.txt.j2",
        "caption",
        guarded=True,
        unit=caption_unit(platform),
        platform=platform,
    )


def caption_unit(platform: str) -> str:
    """The unit of `platform`'s caption."""
    return f"social/{platform}"


def units(platforms: Iterable[str]) -> list[str]:
    """The units of a brief with captions for `platforms`, in the order they are rendered."""
    return [EMAIL, CITATIONS, *(caption_unit(p) for p in platforms)]


def templates_of(unit: str) -> list[str]:
    """The templates that render `unit`'s outputs (their includes and imports aside)."""
    return sorted({o.template for o in OUTPUTS if o.unit == unit and o.template is not None})


@cache
def unit_of(name: str) -> str | None:
    """The unit that renders the output file `name` (None: assembled, or not an output)."""
    return next((o.unit for o in OUTPUTS if o.name == name), None)


#: Every output, in the order a brief's folder lists them; captions for every known platform.
OUTPUTS: tuple[Output, ...] = (
    EMAIL_MJML,
    EMAIL_HTML,
    EMAIL_TEXT,
    EMAIL_EML,
    CITATIONS_MD,
    CITATIONS_HTML,
    CITATIONS_JSON,
    *(caption_output(platform) for platform in PLATFORMS),
    SOCIAL_CSV,
    SOCIAL_JSON,
    MANIFEST,
)

#: Outputs rendered straight from a template, by name (captions aside: one per platform).
TEMPLATED: tuple[Output, ...] = tuple(
    o for o in OUTPUTS if o.template is not None and o.kind != "caption"
)
