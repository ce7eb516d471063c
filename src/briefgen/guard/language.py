"""The guard's one door to the language rules (guard/lint.py), whichever shape they have.

guard/lint.py is moving to per-language rule books (`RuleBook.for_language`); until then it
reads one English rule list. Everything the guard needs from it goes through `Linter`, so the
switch is made here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.guard import lint as _lint
from briefgen.guard.levels import LANGUAGE_LEVEL, Level

#: The language of the rule data of a one-list rule set (the built-in rules before rule books).
_LIST_LANGUAGE = "en"


@dataclass(frozen=True)
class LintHit:
    """One language-rule match in a text."""

    rule: str
    message: str
    fix: str
    excerpt: str
    level: Level


@dataclass(frozen=True)
class LanguageRules:
    """The rules for one brief language: the language they were found under, and the rules."""

    language: str
    rules: list[Any]


def _primary(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].casefold()


def _level(rule: Any) -> Level:
    level = getattr(rule, "level", LANGUAGE_LEVEL)
    return level if level in ("error", "warning", "info") else LANGUAGE_LEVEL


class Linter:
    """Language rules loaded once per batch: which languages they cover, and lint."""

    def __init__(self, path: Path | None = None) -> None:
        self.book: Any = _lint.load_rules(path)

    def _all_rules(self) -> list[Any]:
        if hasattr(self.book, "for_language"):
            rules: list[Any] = []
            for attr in ("rules", "by_language", "languages"):
                value = getattr(self.book, attr, None)
                if isinstance(value, dict):
                    for item in value.values():
                        rules.extend(item if isinstance(item, list | tuple) else [item])
                    return [r for r in rules if hasattr(r, "id")]
            return rules
        return list(self.book)

    def levels(self) -> dict[str, Level]:
        """Each language rule id with its level from the rule data."""
        return {rule.id: _level(rule) for rule in self._all_rules()}

    def for_language(self, tag: str) -> LanguageRules | None:
        """The rules for a brief language (`de-CH` falls back to `de`); None: none exist."""
        if hasattr(self.book, "for_language"):
            found = self.book.for_language(tag)
            return LanguageRules(found[0], list(found[1])) if found else None
        if _primary(tag) == _LIST_LANGUAGE:
            return LanguageRules(_LIST_LANGUAGE, list(self.book))
        return None

    def lint(self, text: str, rules: LanguageRules) -> list[LintHit]:
        """Every hit of `rules` in `text`."""
        by_id = {rule.id: rule for rule in rules.rules}
        hits = []
        for hit in _lint.lint(text, rules.rules):
            rule = hit.rule if not isinstance(hit.rule, str) else by_id[hit.rule]
            hits.append(
                LintHit(
                    rule.id,
                    str(rule.message),
                    str(getattr(rule, "fix", "") or ""),
                    " ".join(str(hit.excerpt).split()),
                    _level(rule),
                )
            )
        return hits
