"""How paths are shown in messages."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=64)
def _resolved(folder: str) -> Path:
    return Path(folder).resolve()


def display_path(path: Path) -> Path:
    """`path` relative to the current folder when it is below it, for messages.

    A relative path without `..` is below it already and is shown as the user gave it; an
    absolute one is compared with the current folder as it is, then with the folder it is in
    resolved (remembered: a batch's paths share a few folders; a link in its last part is not
    followed). Only paths with `..` are resolved whole: a batch shows a thousand paths, and
    resolving each cost a quarter of a millisecond.
    """
    text = os.fspath(path)
    here = _resolved(os.getcwd())
    if "/.." not in text and not text.startswith(".."):
        if not os.path.isabs(text):
            return path
        below = _below(text, here)
        if below is None:  # the folder it is in may be a link to one below here
            head, name = os.path.split(text)
            below = _below(os.path.join(_resolved(head), name), here)
        return path if below is None else Path(below)
    try:
        return path.resolve().relative_to(here)
    except ValueError:
        return path


def _below(text: str, folder: Path) -> str | None:
    """`text` relative to `folder` if it is below it (or is it), else None."""
    prefix = os.path.join(folder, "")
    if text.startswith(prefix):
        return text[len(prefix) :] or "."
    return "." if text == os.fspath(folder) else None
