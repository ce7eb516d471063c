"""The one way a brief is named: its folder, its brief.yaml, or its slug under the briefs folder.

Every command and the API resolve briefs here, so `briefgen check baby-botox`,
`briefgen.load("seeds/baby-botox")` and `briefgen preview seeds/baby-botox/brief.yaml` agree.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from briefgen.errors import UsageError
from briefgen.paths import display_path

BRIEF_FILE = "brief.yaml"
#: A brief's slug, as the brief format defines it (`Brief.slug`): defined here, where names
#: are resolved, so that resolving one does not import the models (pydantic).
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
DEFAULT_SEEDS = Path("seeds")


def path_kind(path: Path) -> Literal["file", "folder", "other", "missing", "denied"]:
    """What is at `path`; "denied" when a folder on the way cannot be searched.

    `Path.is_file()` and `exists()` raise PermissionError there (Python 3.11) or answer
    False; this tells "missing" apart from "cannot be read" without raising.
    """
    try:
        mode = path.stat().st_mode
    except PermissionError:
        return "denied"
    except (OSError, ValueError):  # ENOENT, ENOTDIR, ELOOP, a name too long, a NUL in it
        return "missing"
    return "folder" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "other"


def _readable_folder(path: Path) -> bool:
    return os.access(path, os.R_OK | os.X_OK)


def blocking_folder(path: Path) -> Path:
    """The first folder on the way to `path` that cannot be read or searched."""
    for folder in reversed(path.parents):
        if path_kind(folder) == "folder" and not _readable_folder(folder):
            return folder
    return path.parent


def _permission_error(path: Path, what: str) -> UsageError:
    return UsageError(
        f"cannot read {what} {display_path(path)}: permission denied",
        hint="give yourself read permission (chmod u+rx on folders, u+r on files)",
    )


def brief_file(target: Path) -> Path:
    """The brief.yaml for a folder or file argument."""
    kind = path_kind(target)
    if kind == "folder":
        if not _readable_folder(target):
            raise _permission_error(target, "the brief folder")
        target = target / BRIEF_FILE
        kind = path_kind(target)
    if kind == "denied":
        raise _permission_error(blocking_folder(target), "the folder")
    if kind == "missing":
        raise UsageError(
            f"no brief at {target}",
            hint="pass a brief folder, its brief.yaml or its slug, or run `briefgen new SLUG`",
        )
    return target


def find_briefs(seeds_dir: Path) -> list[Path]:
    """Every brief.yaml one level below `seeds_dir`, sorted by folder name.

    A brief folder that cannot be read is listed too, so that loading it reports it
    instead of the batch silently leaving it out.
    """
    kind = path_kind(seeds_dir)
    if kind == "denied":
        raise _permission_error(blocking_folder(seeds_dir), "the folder")
    if kind != "folder":
        raise UsageError(
            f"no briefs folder at {seeds_dir}", hint="name briefs explicitly, or set seeds_dir"
        )
    try:
        children = list(seeds_dir.iterdir())
    except PermissionError:
        raise _permission_error(seeds_dir, "the briefs folder") from None
    except OSError as exc:
        raise UsageError(f"cannot read the briefs folder {seeds_dir}: {exc.strerror}") from None
    found = sorted(
        p / BRIEF_FILE for p in children if path_kind(p / BRIEF_FILE) in ("file", "denied")
    )
    if not found:
        raise UsageError(f"no briefs under {seeds_dir}", hint="create one with `briefgen new SLUG`")
    return found


def resolve_target(target: str | Path, seeds_dir: Path = DEFAULT_SEEDS) -> Path:
    """The brief.yaml that `target` names: a folder, a brief.yaml, or a slug under `seeds_dir`.

    A path that exists wins over a slug of the same name.
    """
    path = Path(target)
    named = seeds_dir / str(target) / BRIEF_FILE
    slug = re.fullmatch(SLUG_PATTERN, str(target))
    if slug and path_kind(path) == "missing" and path_kind(named) == "file":
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
