"""Small option objects: what each part of briefgen needs to know, and nothing more.

Their defaults are the project's defaults: settings.py and the guard read them from here.

`Settings` (settings.py) is what a project configures, read from pyproject.toml, briefgen.toml,
the environment and flags. The core never sees it: settings.py builds these objects from it,
one function per object, and the API takes them (or keyword arguments) directly. Rendering
never sees SMTP options; sending never sees template folders.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal


def has_control_characters(value: str) -> bool:
    """Whether an e-mail header's value holds a line break or another control character
    (which would end the headers early, or add one: header injection)."""
    return any(ord(ch) < 32 or ord(ch) == 127 for ch in value)


@dataclass(frozen=True)
class EmailHeaders:
    """Headers of the rendered .eml; a header left None is left out."""

    sender: str | None = None
    to: str | None = None
    reply_to: str | None = None
    list_unsubscribe: str | None = None
    list_id: str | None = None


@dataclass(frozen=True)
class RenderOptions:
    """How to render: templates, platforms to caption, their limits and the e-mail headers."""

    #: Your template folder, searched before the built-in one.
    templates_dir: Path | None = None
    #: Platforms to caption, in any order (None: every platform).
    platforms: tuple[str, ...] | None = None
    #: Per-platform limit overrides, e.g. {"mastodon": 1000}.
    platform_limits: Mapping[str, int] = field(default_factory=dict, hash=False)
    email: EmailHeaders = field(default_factory=EmailHeaders)
    #: Style of the source lists: "ama" (AMA 11th edition, the medical default) or "apa".
    citation_style: Literal["ama", "apa"] = "ama"
    #: Seconds one brief's templates may run before they are stopped (a runaway loop).
    timeout: float = 10.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "platform_limits", dict(self.platform_limits))  # a copy
        if self.platforms is not None:
            object.__setattr__(self, "platforms", tuple(self.platforms))


@dataclass(frozen=True)
class GuardOptions:
    """How to guard: the language rules, each rule's level, and whether warnings fail."""

    #: A TOML file of language rules replacing (or extending) the built-in ones (None: built-in).
    lint_rules: Path | None = None
    #: The least share of caveats in the words of claims and caveats (a warning below it).
    caveat_share_floor: float = 0.25
    #: Rule id → "error", "warning" or "off", over the defaults (invariants stay errors).
    rules: Mapping[str, str] = field(default_factory=dict, hash=False)
    #: Warnings fail too (exit 1), as `check --strict`.
    strict: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "rules", dict(self.rules))  # a copy


@dataclass(frozen=True)
class SmtpOptions:
    """Where `send-test` hands its message; the password is read from the environment only."""

    host: str = "localhost"
    port: int = 587
    starttls: bool = True
    user: str | None = None
    #: Seconds the whole SMTP session may take (a server trickling bytes is cut off).
    timeout: float = 30.0
