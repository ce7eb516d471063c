"""Render every output of one brief in memory (nothing is written here)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from briefgen.brief.loader import LoadedBrief
from briefgen.errors import TemplateError
from briefgen.rendering import locales
from briefgen.rendering.captions import Caption, render_caption
from briefgen.rendering.context import BriefView, build_context
from briefgen.rendering.eml import build_eml
from briefgen.rendering.platforms import PLATFORMS
from briefgen.rendering.templating import template_errors
from briefgen.settings import Settings

#: Which template makes which output (captions: social/<platform>.txt.j2).
TEMPLATES = {
    "email.mjml": "email.mjml.j2",
    "email.html": "email.mjml.j2",
    "email.txt": "email.txt.j2",
    "citations.md": "citations.md.j2",
    "citations.html": "citations.html.j2",
}


@dataclass
class RenderedBrief:
    """All outputs of one brief, as text, before the guard and before writing."""

    loaded: LoadedBrief
    context: BriefView
    mjml: str
    html: str
    text: str
    eml: bytes
    citations_md: str
    citations_html: str
    captions: list[Caption] = field(default_factory=list)
    template_files: dict[str, str] = field(default_factory=dict)
    #: What rendering noticed for the report, as (rule id, message): `no-catalog` when the
    #: brief's language has no translations and the template words fell back to English.
    notices: list[tuple[str, str]] = field(default_factory=list)
    #: The tl;dr heading of `text`, in the brief's language (the guard finds the section by it).
    tldr_heading: str = "TL;DR"

    @property
    def slug(self) -> str:
        """The brief's slug, naming its output folder."""
        return self.context.slug

    def social_exports(self) -> dict[str, bytes]:
        """`social.csv` and `social.json` for schedulers' bulk importers."""
        rows = [
            {
                "platform": c.platform,
                "text": c.text.rstrip("\n"),
                "link": self.context.caption_link,
                "count": c.count,
                "limit": c.limit,
            }
            for c in self.captions
        ]
        buffer = io.StringIO()
        writer = csv.DictWriter(
            buffer, fieldnames=["platform", "text", "link", "count", "limit"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
        posts = {
            "posts": [
                {"platform": r["platform"], "text": r["text"], "link": r["link"]} for r in rows
            ]
        }
        return {
            "social.csv": buffer.getvalue().encode(),
            "social.json": (json.dumps(posts, ensure_ascii=False, indent=2) + "\n").encode(),
        }

    def files(self) -> dict[str, bytes]:
        """Every output file by its path in the brief's output folder, manifest included."""
        out: dict[str, bytes] = {
            "email.mjml": self.mjml.encode(),
            "email.html": self.html.encode(),
            "email.txt": self.text.encode(),
            "email.eml": self.eml,
            "citations.md": self.citations_md.encode(),
            "citations.html": self.citations_html.encode(),
        }
        for caption in self.captions:
            out[f"social/{caption.platform}.txt"] = caption.text.encode()
        if self.captions:
            out.update(self.social_exports())
        out["manifest.json"] = self.manifest(out)
        return dict(sorted(out.items()))

    def manifest(self, files: dict[str, bytes]) -> bytes:
        """What was written, each file's sha256, and each caption's measure."""
        data = {
            "brief": self.slug,
            "date": self.context.date.isoformat(),
            "files": {
                path: {"sha256": hashlib.sha256(body).hexdigest(), "bytes": len(body)}
                for path, body in sorted(files.items())
            },
            "captions": {
                c.platform: {
                    "variant": c.variant,
                    "count": c.count,
                    "limit": c.limit,
                    "unit": c.unit,
                }
                for c in self.captions
            },
        }
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()


def _render(env: jinja2.Environment, name: str, brief: BriefView) -> str:
    with template_errors(env, name):
        return env.get_template(name).render(brief=brief)


def compile_mjml(mjml_source: str, template_file: str) -> str:
    """MJML → responsive HTML with mjml-python (MRML)."""
    import mjml

    try:
        html: str = mjml.mjml2html(mjml_source)
    except (ValueError, RuntimeError) as exc:
        raise TemplateError(
            f"MJML does not compile: {exc}",
            path=template_file,
            hint="check the MJML tags in the email template",
        ) from None
    return html if html.endswith("\n") else html + "\n"


def render_brief(loaded: LoadedBrief, env: jinja2.Environment, settings: Settings) -> RenderedBrief:
    """Render all outputs of `loaded` with `env`, in the brief's language.

    Template words come from the catalog of the brief's language (its region first: de-CH,
    then de) in the template folders; without one they stay English and `notices` says so.
    Raises `TemplateError` on a broken template.
    """
    folders = [Path(p) for p in getattr(env.loader, "searchpath", [])]
    active = locales.resolve(loaded.brief.language, folders)
    with locales.activated(active):
        brief = build_context(loaded)
        rendered = _render_all(loaded, brief, env, settings)
    if locales.needs_catalog(active):
        rendered.notices.append(
            (
                "no-catalog",
                f"no translations for language '{brief.language}': template words are in "
                f"English (add templates/locale/{locales.language_of(brief.language)}/"
                "LC_MESSAGES/messages.po; see templates/README.md)",
            )
        )
    return rendered


def _render_all(
    loaded: LoadedBrief, brief: BriefView, env: jinja2.Environment, settings: Settings
) -> RenderedBrief:
    files = {}
    for output, name in TEMPLATES.items():
        with template_errors(env, name):
            files[output] = env.get_template(name).filename or name
    mjml_source = _render(env, "email.mjml.j2", brief)
    text = _render(env, "email.txt.j2", brief)
    if brief.dir == "rtl":
        text = locales.mark_rtl_lines(text)
    html = compile_mjml(mjml_source, files["email.mjml"])
    captions = [
        render_caption(env, platform, brief, settings.platform_limits.get(platform))
        for platform in settings.platform_names(list(PLATFORMS))
    ]
    for caption in captions:
        files[f"social/{caption.platform}.txt"] = caption.template
    return RenderedBrief(
        loaded=loaded,
        context=brief,
        mjml=mjml_source,
        html=html,
        text=text,
        eml=build_eml(brief, text, html, settings),
        citations_md=_render(env, "citations.md.j2", brief),
        citations_html=_render(env, "citations.html.j2", brief),
        captions=captions,
        template_files=files,
        tldr_heading=locales.gettext_("TL;DR"),
    )
