"""The one way a brief is named: its folder, its brief.yaml, or its slug under the briefs folder.

Every command and the API resolve briefs here, so `briefgen check baby-botox`,
`briefgen.load("seeds/baby-botox")` and `briefgen preview seeds/baby-botox/brief.yaml` agree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from briefgen.brief.models import SLUG_PATTERN
from briefgen.errors import UsageError

BRIEF_FILE = "brief.yaml"
DEFAULT_SEEDS = Path("seeds")


def brief_file(target: Path) -> Path:
    """The brief.yaml for a folder or file argument."""
    if target.is_dir():
        target = target / BRIEF_FILE
    if not target.exists():
        raise UsageError(
            f"no brief at {target}",
            hint="pass a brief folder, its brief.yaml or its slug, or run `briefgen new SLUG`",
        )
    return target


def find_briefs(seeds_dir: Path) -> list[Path]:
    """Every brief.yaml one level below `seeds_dir`, sorted by folder name."""
    if not seeds_dir.is_dir():
        raise UsageError(
            f"no briefs folder at {seeds_dir}", hint="name briefs explicitly, or set seeds_dir"
        )
    found = sorted(p / BRIEF_FILE for p in seeds_dir.iterdir() if (p / BRIEF_FILE).is_file())
    if not found:
        raise UsageError(f"no briefs under {seeds_dir}", hint="create one with `briefgen new SLUG`")
    return found


def resolve_target(target: str | Path, seeds_dir: Path = DEFAULT_SEEDS) -> Path:
    """The brief.yaml that `target` names: a folder, a brief.yaml, or a slug under `seeds_dir`.

    A path that exists wins over a slug of the same name.
    """
    path = Path(target)
    named = seeds_dir / str(target) / BRIEF_FILE
    if not path.exists() and re.fullmatch(SLUG_PATTERN, str(target)) and named.is_file():
        return named
    return brief_file(path)


def resolve_targets(targets: Sequence[str | Path], seeds_dir: Path = DEFAULT_SEEDS) -> list[Path]:
    """The brief files `targets` name, or every brief under `seeds_dir` when there are none."""
    if targets:
        return [resolve_target(t, seeds_dir) for t in targets]
    return find_briefs(seeds_dir)


def only_brief(seeds_dir: Path = DEFAULT_SEEDS) -> Path:
    """The one brief under `seeds_dir`; refused when there are several to choose from."""
    briefs = find_briefs(seeds_dir)
    if len(briefs) > 1:
        names = ", ".join(p.parent.name for p in briefs)
        raise UsageError(f"{len(briefs)} briefs under {seeds_dir}", hint=f"name one of: {names}")
    return briefs[0]
