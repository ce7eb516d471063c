"""Rule levels and waivers: which findings block a render, which are judgment, which are notes.

Errors are the invariants (a caveat, a source or a quote lost, a caption over its limit): they
block `render` and make `check` exit 1, and no waiver lifts them. Warnings are judgment (the
language rules, the caveat share): they are reported and the outputs are still written, unless
the project is `strict`. Info findings only say what the guard did not do.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, cast

from briefgen.errors import ConfigError
from briefgen.options import GuardOptions

if TYPE_CHECKING:
    from briefgen.guard.checks import Finding

Level = Literal["error", "warning", "info"]
#: What a project may set a rule to in `[tool.briefgen.rules]`.
Setting = Literal["error", "warning", "off"]
SETTINGS: tuple[Setting, ...] = ("error", "warning", "off")


@dataclass(frozen=True)
class RuleInfo:
    """A guard rule's default level, whether a project may lower it, and what it checks."""

    level: Level
    about: str
    locked: bool = False


#: The one table of guard rules. Language rules come from the rule data (guard/lint.py) and are
#: warnings unless their data says otherwise.
RULES: dict[str, RuleInfo] = {
    "caveats-kept": RuleInfo(
        "error", "each required caveat, with its expert, in every output", True
    ),
    "sources-kept": RuleInfo("error", "every source cited, with a working link", True),
    "fidelity": RuleInfo("error", "quotes and figures as the source states them", True),
    "balance": RuleInfo(
        "error", "claims answered in their section; the tl;dr states required caveats", True
    ),
    "fits": RuleInfo("error", "each caption within its platform's limit", True),
    "email-size": RuleInfo("error", "the HTML email under 100 KB (Gmail clips at about 102 KB)"),
    "caveat-share": RuleInfo("warning", "caveats get a fair share of the claims' words"),
    "unused-waiver": RuleInfo("warning", "every waiver in a brief matches a finding"),
    "no-catalog": RuleInfo("warning", "the brief's language has template translations"),
    "not-linted": RuleInfo("info", "the brief's language has language rules"),
    "dropped-hashtags": RuleInfo("info", "a caption cut to fit keeps every hashtag"),
}
LANGUAGE_LEVEL: Level = "warning"


@dataclass(frozen=True)
class Policy:
    """The effective level of every rule for one project, and whether warnings fail."""

    levels: Mapping[str, Level | None]
    strict: bool = False
    caveat_share_floor: float = GuardOptions.caveat_share_floor

    def level(self, rule: str) -> Level | None:
        """The rule's level (None: switched off); an unknown id counts as a warning."""
        return self.levels.get(rule, LANGUAGE_LEVEL)


def make_policy(
    overrides: Mapping[str, str],
    language_rules: Mapping[str, Level],
    *,
    strict: bool = False,
    caveat_share_floor: float = GuardOptions.caveat_share_floor,
) -> Policy:
    """The policy of a project: the defaults, language rule levels, then `[tool.briefgen.rules]`.

    Raises `ConfigError` for an unknown rule id, an unknown level, or an invariant set below error.
    """
    levels: dict[str, Level | None] = {rule: info.level for rule, info in RULES.items()}
    for rule, level in language_rules.items():
        levels.setdefault(rule, level)
    hint = "check [tool.briefgen.rules] in pyproject.toml or briefgen.toml"
    for rule, value in sorted(overrides.items()):
        if rule not in levels:
            raise ConfigError(
                f"setting rules.{rule}: unknown rule id '{rule}'",
                hint=f"known rules: {', '.join(sorted(levels))}",
            )
        if value not in SETTINGS:
            raise ConfigError(
                f"setting rules.{rule}: unknown level '{value}' (use error, warning or off)",
                hint=hint,
            )
        info = RULES.get(rule)
        if info is not None and info.locked and value != "error":
            raise ConfigError(
                f"setting rules.{rule}: '{rule}' is an invariant and stays an error",
                hint="errors are what must never ship; only warnings can be lowered or waived",
            )
        levels[rule] = None if value == "off" else cast(Level, value)
    return Policy(levels, strict, caveat_share_floor)


DEFAULT_POLICY = make_policy({}, {})


@dataclass(frozen=True)
class WaiverSpec:
    """A brief's record that an editor reviewed a warning (`waivers:` in brief.yaml)."""

    index: int
    rule: str
    field: str | None
    reason: str


def brief_waivers(brief: object) -> list[WaiverSpec]:
    """The brief's waivers, read defensively: briefs from before `waivers:` existed have none."""
    found = []
    for index, raw in enumerate(getattr(brief, "waivers", None) or []):
        get = raw.get if isinstance(raw, Mapping) else lambda key, r=raw: getattr(r, key, None)
        rule, field, reason = get("rule"), get("field"), get("reason")
        found.append(
            WaiverSpec(
                index,
                str(rule or ""),
                str(field) if field else None,
                str(reason or "").strip(),
            )
        )
    return found


@dataclass(frozen=True)
class Waiving:
    """Findings with levels and waivers applied, plus the problems of the waivers themselves."""

    findings: list[Finding]
    unused: list[tuple[WaiverSpec, str]]


def settle(findings: Iterable[Finding], policy: Policy, waivers: Sequence[WaiverSpec]) -> Waiving:
    """Give each finding its level, drop switched-off rules, and apply the brief's waivers.

    A waiver lifts every warning of its rule (in its field, when it names one). One that names
    an error rule, or matches nothing, is returned in `unused` with the reason why.
    """
    used: set[int] = set()
    settled: list[Finding] = []
    for finding in findings:
        level = policy.level(finding.rule)
        if level is None:
            continue
        waived = None
        if level == "warning":
            for waiver in waivers:
                if (
                    waiver.rule == finding.rule
                    and waiver.reason
                    and (waiver.field is None or waiver.field == finding.field)
                ):
                    waived = waiver.reason
                    used.add(waiver.index)
                    break
        settled.append(dataclasses.replace(finding, level=level, waived=waived))
    unused = []
    for waiver in waivers:
        if waiver.index in used:
            continue
        level = policy.level(waiver.rule) if waiver.rule in policy.levels else None
        if not waiver.reason:
            why = "has no reason; say who reviewed the warning and why it stands"
        elif level == "error":
            why = f"cannot apply: '{waiver.rule}' is an error, and errors cannot be waived"
        elif level == "info":
            why = f"cannot apply: '{waiver.rule}' is a note, not a warning"
        elif waiver.rule not in policy.levels:
            why = f"names no known rule '{waiver.rule}'"
        else:
            where = f" in {waiver.field}" if waiver.field else ""
            why = f"matches no '{waiver.rule}' finding{where}"
        unused.append((waiver, why))
    return Waiving(settled, unused)


def blocking(findings: Iterable[Finding], strict: bool) -> bool:
    """Whether these findings fail the brief: any error, or under `strict` any open warning."""
    return any(
        f.level == "error" or (strict and f.level == "warning" and f.waived is None)
        for f in findings
    )
