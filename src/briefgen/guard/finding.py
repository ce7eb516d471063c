"""A guard finding: the one record every rule, report format and cache entry shares.

Kept apart from the checks so a report of briefs kept from an earlier run (`incremental`)
reads without importing the guard and what it renders with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefgen.guard.levels import Level


@dataclass(frozen=True)
class Finding:
    """One guard finding: where, which rule at which level, what is wrong and how to fix it.

    `field` is the brief field it points at (`claims[2].text`), when it is about one;
    `waived` is the reason an editor recorded for letting a warning stand.
    """

    brief: str
    output: str
    rule: str
    message: str
    fix: str
    file: str
    line: int | None = None
    level: Level = "error"
    field: str | None = None
    waived: str | None = None

    def as_dict(self) -> dict[str, object]:
        """The stable JSON form (see README, `check --format json`)."""
        return {
            "brief": self.brief,
            "output": self.output,
            "rule": self.rule,
            "level": self.level,
            "message": self.message,
            "fix": self.fix,
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "waived": self.waived,
        }


#: A finding before levels and waivers, with the index of the rule check that found it: the
#: report lists findings by check, then by unit, whichever run found them.
RawFinding = tuple[int, Finding]
