"""Render every output of one brief in memory (nothing is written here).

Which template makes which file is the outputs table's business (briefgen.outputs); this module
only fills it in.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.errors import ConfigError, TemplateError
from briefgen.options import RenderOptions
from briefgen.outputs import (
    CITATIONS,
    CITATIONS_HTML,
    CITATIONS_JSON,
    CITATIONS_MD,
    EMAIL,
    EMAIL_EML,
    EMAIL_HTML,
    EMAIL_MJML,
    EMAIL_TEXT,
    MANIFEST,
    SOCIAL_CSV,
    SOCIAL_JSON,
    TEMPLATED,
    Output,
    caption_output,
    caption_unit,
)
from briefgen.rendering import locales
from briefgen.rendering.platforms import PLATFORMS
from briefgen.rendering.templating import make_environment, render_deadline, template_errors

if TYPE_CHECKING:  # imported where a brief is rendered: a batch of unchanged briefs does not
    import jinja2

    from briefgen.brief.loader import LoadedBrief
    from briefgen.rendering.captions import Caption
    from briefgen.rendering.context import BriefView


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
    citations_json: str = ""
    captions: list[Caption] = field(default_factory=list)
    template_files: dict[str, str] = field(default_factory=dict)
    #: Warnings an editor waived (set by the guard), recorded in manifest.json with their reasons.
    waived: list[dict[str, object]] = field(default_factory=list)
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
                "text": c.text.rstrip("\n"),  # count is of this text, without the newline
                "link": self.context.caption_link,
                "count": c.count,
                "limit": c.limit,
                "unit": c.unit,
            }
            for c in self.captions
        ]
        buffer = io.StringIO()
        writer = csv.DictWriter(
            buffer,
            fieldnames=["platform", "text", "link", "count", "limit"],
            lineterminator="\n",
            extrasaction="ignore",
        )
        writer.writeheader()
        writer.writerows(rows)
        posts = {"posts": rows}
        return {
            SOCIAL_CSV.name: buffer.getvalue().encode(),
            SOCIAL_JSON.name: (json.dumps(posts, ensure_ascii=False, indent=2) + "\n").encode(),
        }

    def text_of(self, output: Output) -> str:
        """The rendered text of a text output (email, citations or a caption)."""
        if output.platform is not None:
            for caption in self.captions:
                if caption.platform == output.platform:
                    return caption.text
            raise KeyError(output.name)
        texts = {
            EMAIL_MJML.name: self.mjml,
            EMAIL_HTML.name: self.html,
            EMAIL_TEXT.name: self.text,
            CITATIONS_MD.name: self.citations_md,
            CITATIONS_HTML.name: self.citations_html,
        }
        return texts[output.name]

    @cached_property
    def files(self) -> dict[str, bytes]:
        """Every output file by its path in the brief's output folder, manifest included."""
        out: dict[str, bytes] = {o.name: self.text_of(o).encode() for o in TEMPLATED}
        out[EMAIL_EML.name] = self.eml
        out[CITATIONS_JSON.name] = self.citations_json.encode()
        for caption in self.captions:
            out[caption_output(caption.platform).name] = caption.text.encode()
        if self.captions:
            out.update(self.social_exports())
        out[MANIFEST.name] = self.manifest(out)
        return dict(sorted(out.items()))

    def manifest(self, files: dict[str, bytes]) -> bytes:
        """What was written, each file's sha256, and each caption's measure."""
        data: dict[str, object] = {
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
                    **(
                        {
                            "dropped_hashtags": list(c.dropped_hashtags),
                            "note": "hashtags not carried: "
                            + " ".join(f"#{t}" for t in c.dropped_hashtags),
                        }
                        if c.dropped_hashtags
                        else {}
                    ),
                }
                for c in self.captions
            },
        }
        if self.waived:
            data["waived"] = self.waived
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()


@dataclass(frozen=True)
class EmailPart:
    """What rendering the email unit produced."""

    mjml: str
    html: str
    text: str
    eml: bytes
    tldr_heading: str


@dataclass(frozen=True)
class CitationsPart:
    """What rendering the citations unit produced."""

    md: str
    html: str
    json: str


if TYPE_CHECKING:
    #: What rendering one unit (`briefgen.outputs`) produced: the incremental cache keeps these.
    Part = EmailPart | CitationsPart | Caption


def part_of(rendered: RenderedBrief, unit: str) -> Part:
    """The part of `rendered` that `unit` produced."""
    if unit == EMAIL:
        return EmailPart(
            rendered.mjml, rendered.html, rendered.text, rendered.eml, rendered.tldr_heading
        )
    if unit == CITATIONS:
        return CitationsPart(
            rendered.citations_md, rendered.citations_html, rendered.citations_json
        )
    for caption in rendered.captions:
        if caption_unit(caption.platform) == unit:
            return caption
    raise KeyError(unit)


def _render(env: jinja2.Environment, output: Output, brief: BriefView) -> str:
    name = output.template or output.name
    with template_errors(env, name):
        return locales.close_up_active(env.get_template(name).render(brief=brief))


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


def enabled_platforms(wanted: Sequence[str] | None) -> list[str]:
    """The platforms to caption, in table order (None: all); unknown names are refused."""
    known = list(PLATFORMS)
    if wanted is None:
        return known
    unknown = sorted(set(wanted) - set(known))
    if unknown:
        raise ConfigError(
            f"unknown platform {', '.join(unknown)}", hint=f"known: {', '.join(known)}"
        )
    return [name for name in known if name in wanted]


def render_brief(
    loaded: LoadedBrief,
    env: jinja2.Environment,
    options: RenderOptions,
    reuse: Mapping[str, Part] | None = None,
    context: BriefView | None = None,
) -> RenderedBrief:
    """Render all outputs of `loaded` with `env`, in the brief's language.

    Template words come from the catalog of the brief's language (its region first: de-CH,
    then de) in the template folders; without one they stay English and `notices` says so.
    The units in `reuse` are not rendered: their parts, from an earlier run with the same
    inputs, are taken as they are; `context`, the render context an earlier run built of this
    brief with these options, is used rather than built again. Raises `TemplateError` on a
    broken template.
    """
    from briefgen.rendering.citations import attach_cites
    from briefgen.rendering.context import build_context

    folders = [Path(p) for p in getattr(env.loader, "searchpath", [])]
    active = locales.resolve(loaded.brief.language, folders)
    with locales.activated(active):
        brief = context
        if brief is None:
            brief = build_context(loaded)
            # Every template may cite a source (claims, caveats, stats refer to them).
            attach_cites(brief.sources, options.citation_style, brief.language)
        rendered = _render_all(loaded, brief, env, options, reuse or {})
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


def _render_email(
    env: jinja2.Environment, brief: BriefView, options: RenderOptions, mjml_file: str
) -> EmailPart:
    from briefgen.rendering.eml import build_eml

    mjml_source = _render(env, EMAIL_MJML, brief)
    text = _render(env, EMAIL_TEXT, brief)
    if brief.dir == "rtl":
        text = locales.mark_rtl_lines(text)
    html = compile_mjml(mjml_source, mjml_file)
    eml = build_eml(brief, text, html, options.email)
    return EmailPart(mjml_source, html, text, eml, locales.gettext_("TL;DR"))


def _render_all(
    loaded: LoadedBrief,
    brief: BriefView,
    env: jinja2.Environment,
    options: RenderOptions,
    reuse: Mapping[str, Part],
) -> RenderedBrief:
    from briefgen.rendering.captions import Caption, render_caption
    from briefgen.rendering.citations import csl_json

    files = {}
    for output in TEMPLATED:
        assert output.template is not None
        with template_errors(env, output.template):
            files[output.name] = env.get_template(output.template).filename or output.template
    email = reuse.get(EMAIL)
    if not isinstance(email, EmailPart):
        email = _render_email(env, brief, options, files[EMAIL_MJML.name])
    citations = reuse.get(CITATIONS)
    if not isinstance(citations, CitationsPart):
        citations = CitationsPart(
            _render(env, CITATIONS_MD, brief),
            _render(env, CITATIONS_HTML, brief),
            csl_json(brief.sources),
        )
    captions = []
    for platform in enabled_platforms(options.platforms):
        caption = reuse.get(caption_unit(platform))
        if not isinstance(caption, Caption):
            caption = render_caption(env, platform, brief, options.platform_limits.get(platform))
        captions.append(caption)
        files[caption_output(caption.platform).name] = caption.template
    return RenderedBrief(
        loaded=loaded,
        context=brief,
        mjml=email.mjml,
        html=email.html,
        text=email.text,
        eml=email.eml,
        citations_md=citations.md,
        citations_html=citations.html,
        citations_json=citations.json,
        captions=captions,
        template_files=files,
        tldr_heading=email.tldr_heading,
    )


class Renderer:
    """One template environment and platform set, reused for every brief rendered with it.

    Making the environment reads the template folders once; rendering many briefs through one
    `Renderer` is the fast way (`briefgen.render` makes a new one each call).
    """

    def __init__(self, options: RenderOptions | None = None) -> None:
        self.options = options if options is not None else RenderOptions()
        from briefgen.rendering.eml import check_headers

        enabled_platforms(self.options.platforms)  # refuse unknown platform names up front
        check_headers(self.options.email)  # and e-mail headers that would make a bad .eml
        self.env = make_environment(self.options.templates_dir)

    def render(
        self,
        loaded: LoadedBrief,
        reuse: Mapping[str, Part] | None = None,
        context: BriefView | None = None,
    ) -> RenderedBrief:
        """Every output of `loaded`, in memory; `TemplateError` when a template is broken or
        runs longer than the options' timeout. The units in `reuse` and the `context` (see
        `render_brief`) are taken as they are rather than made again."""
        with render_deadline(self.options.timeout):
            return render_brief(loaded, self.env, self.options, reuse, context)
