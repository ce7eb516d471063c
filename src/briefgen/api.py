"""The Python API: load a brief, render it in memory, check it, write it.

    import briefgen
    brief = briefgen.load("seeds/baby-botox")
    rendered = briefgen.render(brief)
    findings = briefgen.check(rendered)
    briefgen.write(rendered, "outputs")

Options go in as keyword arguments or as option objects (briefgen.options), never as the
project's whole settings. `Renderer` and `Checker` keep their templates and rules between
briefs, for batches; the functions make new ones each call.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.guard.language import Linter
from briefgen.guard.levels import Policy, make_policy
from briefgen.options import EmailHeaders, GuardOptions, RenderOptions
from briefgen.targets import DEFAULT_SEEDS, resolve_target

if TYPE_CHECKING:  # imported where they are used: a batch of unchanged briefs needs none
    from briefgen.brief.loader import LoadedBrief
    from briefgen.guard.finding import Finding, RawFinding
    from briefgen.rendering.renderer import RenderedBrief

StrPath = str | os.PathLike[str]


def load(target: StrPath, *, seeds_dir: StrPath = DEFAULT_SEEDS) -> LoadedBrief:
    """Load and validate the brief `target` names: its folder, its brief.yaml, or its slug
    under `seeds_dir`. Raises `BriefError` (or `UsageError` when there is no such brief)."""
    from briefgen.brief.loader import load_brief

    return load_brief(resolve_target(Path(target), Path(seeds_dir)))


def _render_options(
    options: RenderOptions | None,
    templates: StrPath | None,
    platforms: Sequence[str] | None,
    platform_limits: Mapping[str, int] | None,
    email: EmailHeaders | None,
) -> RenderOptions:
    base = options if options is not None else RenderOptions()
    changes: dict[str, object] = {}
    if templates is not None:
        changes["templates_dir"] = Path(templates)
    if platforms is not None:
        changes["platforms"] = tuple(platforms)
    if platform_limits is not None:
        changes["platform_limits"] = dict(platform_limits)
    if email is not None:
        changes["email"] = email
    return dataclasses.replace(base, **changes) if changes else base  # type: ignore[arg-type]


def render(
    brief: LoadedBrief | StrPath,
    *,
    options: RenderOptions | None = None,
    templates: StrPath | None = None,
    platforms: Sequence[str] | None = None,
    platform_limits: Mapping[str, int] | None = None,
    email: EmailHeaders | None = None,
) -> RenderedBrief:
    """Render every output of `brief` in memory (`rendered.files` maps file names to bytes).

    Keyword arguments override the matching field of `options`. Raises `TemplateError` when a
    template is broken, `ConfigError` for an unknown platform. Nothing is guarded or written.
    """
    from briefgen.brief.loader import LoadedBrief
    from briefgen.rendering.renderer import Renderer

    loaded = brief if isinstance(brief, LoadedBrief) else load(brief)
    chosen = _render_options(options, templates, platforms, platform_limits, email)
    return Renderer(chosen).render(loaded)


class Checker:
    """The guard with its language rules read once, for checking many rendered briefs."""

    def __init__(self, options: GuardOptions | None = None) -> None:
        self.options = options if options is not None else GuardOptions()
        self.linter = Linter(self.options.lint_rules)
        self.policy: Policy = make_policy(
            self.options.rules,
            self.linter.levels(),
            strict=self.options.strict,
            caveat_share_floor=self.options.caveat_share_floor,
        )

    def check(self, rendered: RenderedBrief) -> list[Finding]:
        """Every guard finding on `rendered`, each with its level; waived warnings are kept
        (marked `waived`) and recorded in the rendered brief's manifest."""
        return self.settle(rendered, self.raw_findings(rendered))

    def raw_findings(
        self, rendered: RenderedBrief, known: Mapping[str, Sequence[RawFinding]] | None = None
    ) -> dict[str, list[RawFinding]]:
        """Each unit's findings (`briefgen.outputs`), before levels and waivers; the units in
        `known` (kept from an earlier run with the same inputs) are taken as they are."""
        from briefgen.guard.checks import Guard

        guard = Guard(rendered, self.linter, self.policy)
        known = known or {}
        return {
            unit: list(known[unit]) if unit in known else guard.raw(unit) for unit in guard.units()
        }

    def settle(
        self, rendered: RenderedBrief, raw: Mapping[str, Sequence[RawFinding]]
    ) -> list[Finding]:
        """The brief's findings from its units' (`raw_findings`), with levels and waivers;
        the waived ones are recorded in the rendered brief's manifest."""
        from briefgen.guard.checks import settle_findings

        findings = settle_findings(rendered.loaded, raw, self.policy)
        rendered.waived = [f.as_dict() for f in findings if f.waived is not None]
        return findings


def check(
    rendered: RenderedBrief,
    *,
    options: GuardOptions | None = None,
    lint_rules: StrPath | None = None,
    caveat_share_floor: float | None = None,
    rules: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Run the guard on `rendered`: every lost caveat or source, misquote, unbalanced word or
    overflowing caption, as `Finding`s with a `level` ("error" blocks publishing, "warning"
    asks for a look, "info" says what was not checked). Keyword arguments override the
    fields of `options`; `rules` sets levels by rule id, e.g. {"caveat-share": "off"}."""
    chosen = options if options is not None else GuardOptions()
    if rules is not None:
        chosen = dataclasses.replace(chosen, rules=dict(rules))
    if lint_rules is not None:
        chosen = dataclasses.replace(chosen, lint_rules=Path(lint_rules))
    if caveat_share_floor is not None:
        chosen = dataclasses.replace(chosen, caveat_share_floor=caveat_share_floor)
    return Checker(chosen).check(rendered)


def write(rendered: RenderedBrief, out_dir: StrPath) -> Path:
    """Write `rendered.files` atomically into `out_dir/<slug>/`, replacing what was there;
    returns that folder. It does not guard: call `check` first. Raises `OutputError`."""
    from briefgen.writer import write_outputs

    return write_outputs(Path(out_dir), rendered.slug, rendered.files)
