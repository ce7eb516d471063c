"""How paths are shown in messages."""

from __future__ import annotations

from pathlib import Path


def display_path(path: Path) -> Path:
    """`path` relative to the current folder when it is below it, for messages."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path
