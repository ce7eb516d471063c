"""Render each platform's caption, picking the richest variant that fits the platform's rule."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import jinja2

from briefgen.outputs import caption_output
from briefgen.rendering.context import BriefView
from briefgen.rendering.locales import close_up_active
from briefgen.rendering.platforms import PLATFORMS, measure
from briefgen.rendering.templating import template_errors

_BLANK_RUNS = re.compile(r"\n{3,}")
_INNER_SPACES = re.compile(r"(?<=\S)[ \t]{2,}")


@dataclass(frozen=True)
class Caption:
    """A platform's caption and how it measured; `variant` is None when no variant fits."""

    platform: str
    text: str
    variant: str | None
    count: int
    limit: int
    unit: str
    problems: tuple[str, ...]
    template: str
    variants: tuple[tuple[str, str], ...] = ()  # every variant (name, text), richest first
    dropped_hashtags: tuple[str, ...] = ()  # the brief's hashtags this caption does not carry

    @property
    def fits(self) -> bool:
        """Whether a variant fits the platform's rule."""
        return self.variant is not None


def tidy(text: str) -> str:
    """Trim each line, fold runs of spaces and of blank lines, trim the whole; no space after
    full-width punctuation in a language written without spaces (`locales.close_up`)."""
    lines = [_INNER_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return close_up_active(_BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()) + "\n"


def template_name(platform: str) -> str:
    """The caption template of `platform`."""
    template = caption_output(platform).template
    assert template is not None
    return template


def render_variants(
    env: jinja2.Environment,
    platform: str,
    brief: BriefView,
    template: jinja2.Template | None = None,
) -> list[tuple[str, str]]:
    """Every variant of the platform's template, richest first, as (name, text).

    The variant blocks share one context: a block's own assignments and imports are local
    to it (Jinja compiles each block into a function), so no block sees another's.
    """
    name = template_name(platform)
    with template_errors(env, name):
        if template is None:
            template = env.get_template(name)
        if not template.blocks:
            return [("default", tidy(template.render(brief=brief, platform=PLATFORMS[platform])))]
        context = template.new_context({"brief": brief, "platform": PLATFORMS[platform]})
        return [
            (block, tidy("".join(render(context)))) for block, render in template.blocks.items()
        ]


def credit_groups(caveats: Iterable[Any]) -> list[tuple[list[str], list[str]]]:
    """Who states which caveats, for `s.warning`: the experts together, then each caveat
    stated by its publication credited to its publisher (`credit`)."""
    people = [c for c in caveats if c.by]
    groups: list[tuple[list[str], list[str]]] = []
    if people:
        names = list(dict.fromkeys(c.credit for c in people))
        groups.append((names, [c.short for c in people]))
    for caveat in caveats:
        if not caveat.by:
            groups.append(([caveat.credit or caveat.source.publisher], [caveat.short]))
    return groups


_TAG = re.compile(r"[#＃](\w+)")


def dropped_hashtags(brief: BriefView, text: str) -> tuple[str, ...]:
    """The brief's hashtags missing from `text` (e.g. beyond Instagram's 5), in brief order."""
    carried = {tag.casefold() for tag in _TAG.findall(text)}
    return tuple(tag for tag in brief.hashtags if tag.casefold() not in carried)


def render_caption(
    env: jinja2.Environment, platform: str, brief: BriefView, limit: int | None = None
) -> Caption:
    """The first variant of `platform` that fits; else the tightest, marked as not fitting."""
    rule = PLATFORMS[platform]
    name = template_name(platform)
    with template_errors(env, name):
        template = env.get_template(name)
    variants = render_variants(env, platform, brief, template)
    source = template.filename or name
    # The count is of the text a user pastes: the file's trailing newline is not part of it.
    for variant, text in variants:
        result = measure(platform, text.rstrip("\n"), limit)
        if result.fits:
            return Caption(
                platform,
                text,
                variant,
                result.count,
                result.limit,
                rule.unit,
                (),
                source,
                tuple(variants),
                dropped_hashtags(brief, text),
            )
    _, text = variants[-1]
    result = measure(platform, text.rstrip("\n"), limit)
    return Caption(
        platform,
        text,
        None,
        result.count,
        result.limit,
        rule.unit,
        result.problems,
        source,
        tuple(variants),
        dropped_hashtags(brief, text),
    )
