"""The one table of a brief's outputs: file name, the template that makes it, kind, guarded.

Render, guard, manifest and preview all name outputs through this table, so adding or renaming
an output is one row here. Caption outputs are derived from the platform table: one
`social/<platform>.txt` per platform, made by `social/<platform>.txt.j2`.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    #: The platform of a caption output.
    platform: str | None = None


EMAIL_MJML = Output("email.mjml", "email.mjml.j2", "email", guarded=False)
EMAIL_HTML = Output("email.html", "email.mjml.j2", "email", guarded=True)
EMAIL_TEXT = Output("email.txt", "email.txt.j2", "email", guarded=True)
EMAIL_EML = Output("email.eml", None, "email", guarded=False)  # text + HTML, as sent
CITATIONS_MD = Output("citations.md", "citations.md.j2", "citations", guarded=True)
CITATIONS_HTML = Output("citations.html", "citations.html.j2", "citations", guarded=True)
#: The sources as CSL-JSON, which Zotero and other reference managers import.
CITATIONS_JSON = Output("citations.json", None, "citations", guarded=False)
SOCIAL_CSV = Output("social.csv", None, "export", guarded=False)  # schedulers' bulk import
SOCIAL_JSON = Output("social.json", None, "export", guarded=False)
MANIFEST = Output("manifest.json", None, "manifest", guarded=False)

#: The outputs that hold the whole brief (every caveat with its expert, every source).
FULL_OUTPUTS: tuple[Output, ...] = (EMAIL_HTML, EMAIL_TEXT, CITATIONS_MD, CITATIONS_HTML)


def caption_output(platform: str) -> Output:
    """The caption output of `platform` (`social/<platform>.txt`)."""
    return Output(
        f"social/{platform}.txt",
        f"social/{platform}.txt.j2",
        "caption",
        guarded=True,
        platform=platform,
    )


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
