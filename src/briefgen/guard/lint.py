"""Language lint: data-driven rules for unbalanced health language, outside quotations."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from briefgen.errors import ConfigError

BUILTIN_RULES = Path(__file__).parent.parent / "data" / "language_rules.toml"
_QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*\"|‘[^’]*’(?!\w)")
_WORD = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class Rule:
    """One language rule, read from TOML."""

    id: str
    pattern: re.Pattern[str]
    message: str
    fix: str
    unless_before: tuple[str, ...] = ()
    window: int = 4


@dataclass(frozen=True)
class Hit:
    """A rule matched in a text."""

    rule: Rule
    excerpt: str


def load_rules(path: Path | None = None) -> list[Rule]:
    """Rules from `path` (default: the built-in set)."""
    source = path or BUILTIN_RULES
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"cannot read language rules {source}: {exc}", hint="fix the file or unset lint_rules"
        ) from None
    rules = []
    for index, raw in enumerate(data.get("rule", [])):
        try:
            rules.append(
                Rule(
                    id=str(raw["id"]),
                    pattern=re.compile(str(raw["pattern"]), re.IGNORECASE),
                    message=str(raw["message"]),
                    fix=str(raw.get("fix", "")),
                    unless_before=tuple(str(w).lower() for w in raw.get("unless_before", [])),
                    window=int(raw.get("window", 4)),
                )
            )
        except (KeyError, re.error, TypeError, ValueError) as exc:
            raise ConfigError(
                f"language rule #{index + 1} in {source} is invalid: {exc}",
                hint="each [[rule]] needs id, pattern and message",
            ) from None
    return rules


def unquoted(text: str) -> str:
    """`text` with quoted passages blanked out (a quote may say what the brief may not)."""
    return _QUOTED.sub(lambda m: " " * len(m.group()), text)


def _qualified(rule: Rule, before: str) -> bool:
    words = _WORD.findall(before.lower())[-rule.window :] if rule.window else []
    tail = f" {' '.join(words)} "
    return any(f" {qualifier} " in tail for qualifier in rule.unless_before)


def lint(text: str, rules: list[Rule]) -> list[Hit]:
    """Every unqualified match of `rules` in `text`, outside quotations."""
    plain = unquoted(text)
    hits = []
    for rule in rules:
        for match in rule.pattern.finditer(plain):
            if _qualified(rule, plain[max(0, match.start() - 200) : match.start()]):
                continue
            start, end = max(0, match.start() - 40), min(len(plain), match.end() + 40)
            hits.append(Hit(rule, " ".join(text[start:end].split())))
    return hits
