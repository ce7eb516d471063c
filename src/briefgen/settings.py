"""Settings: `[tool.briefgen]` in pyproject.toml < briefgen.toml < BRIEFGEN_* env < flags.

`Settings` is flat, as users write it; the core never sees it. The functions at the end build
the small option objects (options.py) the API takes, one function per object.

pydantic-settings reads the files and the environment, but importing it costs about 60 ms, a
fifth of a cold `briefgen render`. A project without config files (no briefgen.toml, no
`[tool.briefgen]` table) needs only the flags, the defaults and the `BRIEFGEN_*` variables;
a variable of a plain setting (text, a number, a switch, a path) is passed to validation as
its text, exactly as pydantic-settings passes it, so `load_settings` validates those directly
(as CI jobs set `BRIEFGEN_CACHE=false`). pydantic-settings is imported only when there is a
file to read or a variable holding JSON (a list or a table). Both ways give the same
`Settings`.
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from briefgen.errors import ConfigError
from briefgen.options import (
    EmailHeaders,
    GuardOptions,
    RenderOptions,
    SmtpOptions,
    has_control_characters,
)

if TYPE_CHECKING:
    from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

_ROOT: ContextVar[Path] = ContextVar("briefgen_settings_root")

_HEADER_FIELDS = ("email_from", "email_to", "list_unsubscribe", "reply_to", "list_id")
ENV_PREFIX = "BRIEFGEN_"


class Settings(BaseModel):
    """Everything configurable about a briefgen project."""

    model_config = ConfigDict(extra="forbid", validate_default=True)

    root: Path = Field(default=Path("."), description="Project folder; relative paths start here.")
    seeds_dir: Path = Field(default=Path("seeds"), description="Where `render` finds briefs.")
    out_dir: Path = Field(default=Path("outputs"), description="Where outputs are written.")
    templates_dir: Path | None = Field(
        default=None, description="Your template folder, searched before the built-in one."
    )
    platforms: list[str] | None = Field(
        default=None, description="Platforms to write captions for (default: all)."
    )
    disabled_platforms: list[str] = Field(default_factory=list, description="Platforms to skip.")
    platform_limits: dict[str, int] = Field(
        default_factory=dict, description="Per-platform limit overrides, e.g. {mastodon = 1000}."
    )
    email_from: str | None = Field(default=None, description="From: of the .eml.")
    email_to: str | None = Field(default=None, description="To: of the .eml.")
    reply_to: str | None = Field(default=None, description="Reply-To: of the .eml.")
    list_unsubscribe: str | None = Field(
        default=None, description="List-Unsubscribe: of the .eml, e.g. <mailto:leave@example.org>."
    )
    list_id: str | None = Field(
        default=None, description="List-Id: of the .eml, e.g. Health briefs <health.example.org>."
    )
    render_timeout: float = Field(
        default=RenderOptions.timeout,
        gt=0,
        description="Seconds one brief's templates may run before it fails.",
    )
    caveat_share_floor: float = Field(
        default=GuardOptions.caveat_share_floor,
        ge=0.0,
        le=1.0,
        description="Least share of the words of claims and caveats in the email body given to "
        "caveats; below it the guard warns (rule caveat-share).",
    )
    rules: dict[str, str] = Field(
        default_factory=dict,
        description='Guard rule levels by rule id: "error", "warning" or "off", '
        'e.g. {caveat-share = "off"} (invariants stay errors).',
    )
    strict: bool = Field(default=False, description="Warnings fail the guard too (exit 1).")
    citation_style: Literal["ama", "apa"] = Field(
        default=RenderOptions.citation_style,
        description="Style of the source lists: ama (AMA 11th edition) or apa (APA 7th edition).",
    )
    lint_rules: Path | None = Field(
        default=None, description="A TOML file of language rules replacing the built-in ones."
    )
    smtp_host: str = Field(default="localhost", description="SMTP server for send-test.")
    smtp_port: int = Field(default=587, ge=1, le=65535, description="SMTP port.")
    smtp_starttls: bool = Field(
        default=True, description="Upgrade the SMTP connection with STARTTLS."
    )
    smtp_user: str | None = Field(
        default=None, description="SMTP user; the password comes only from BRIEFGEN_SMTP_PASSWORD."
    )
    smtp_timeout: float = Field(
        default=SmtpOptions.timeout,
        gt=0,
        description="Seconds send-test may take in all, connecting included.",
    )
    jobs: int | None = Field(
        default=None, ge=1, description="Parallel workers (default: all cores)."
    )
    cache: bool = Field(
        default=True,
        description="Reuse the results of briefs unchanged since they last passed "
        "(in the user's private cache folder; safe to delete).",
    )

    @field_validator(*_HEADER_FIELDS)
    @classmethod
    def _no_header_injection(cls, value: str | None) -> str | None:
        if value is not None and has_control_characters(value):
            raise ValueError("must not contain line breaks or control characters")
        return value

    def path(self, value: Path) -> Path:
        """A settings path made absolute against the project root."""
        return value if value.is_absolute() else (self.root / value)

    def platform_names(self, known: list[str]) -> list[str]:
        """The enabled platforms, in table order, with unknown names refused."""
        wanted = self.platforms if self.platforms is not None else known
        unknown = sorted((set(wanted) | set(self.disabled_platforms)) - set(known))
        if unknown:
            raise ConfigError(
                f"unknown platform {', '.join(unknown)}", hint=f"known: {', '.join(known)}"
            )
        return [name for name in known if name in wanted and name not in self.disabled_platforms]


@cache
def _from_sources() -> type[Settings]:
    """`Settings` that also reads the environment, briefgen.toml and pyproject.toml."""
    from pydantic_settings import (
        BaseSettings,
        PyprojectTomlConfigSettingsSource,
        SettingsConfigDict,
        TomlConfigSettingsSource,
    )

    class SettingsFromSources(BaseSettings, Settings):
        model_config = SettingsConfigDict(
            env_prefix=ENV_PREFIX,
            extra="forbid",
            pyproject_toml_table_header=("tool", "briefgen"),
        )

        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            root = _ROOT.get(Path("."))
            return (
                init_settings,
                env_settings,
                TomlConfigSettingsSource(settings_cls, toml_file=root / "briefgen.toml"),
                PyprojectTomlConfigSettingsSource(settings_cls, toml_file=root / "pyproject.toml"),
            )

    return SettingsFromSources


def _is_container(annotation: object) -> bool:
    """Whether a setting's type is (or may be) a list or a table: pydantic-settings reads the
    variable of such a setting as JSON, and the text of any other one as it is."""
    if get_origin(annotation) in (list, dict):
        return True
    return any(_is_container(arg) for arg in get_args(annotation))


#: The settings whose `BRIEFGEN_*` variable is plain text (not JSON).
_TEXT_SETTINGS = frozenset(
    name for name, field in Settings.model_fields.items() if not _is_container(field.annotation)
)


def _environment() -> dict[str, str] | None:
    """The settings `BRIEFGEN_*` variables give, as text, by setting name (in any case, as
    pydantic-settings matches them; other variables, like BRIEFGEN_SMTP_PASSWORD, are no
    settings); None when one holds JSON, for pydantic-settings to decode."""
    found: dict[str, str] = {}
    prefix = ENV_PREFIX.lower()
    for variable, value in os.environ.items():
        name = variable.lower()
        if not name.startswith(prefix) or name[len(prefix) :] not in Settings.model_fields:
            continue
        if name[len(prefix) :] not in _TEXT_SETTINGS:
            return None
        found[name[len(prefix) :]] = value
    return found


def has_files(root: Path) -> bool:
    """Whether a config file may set a setting: briefgen.toml or `[tool.briefgen]`."""
    if (root / "briefgen.toml").exists():
        return True
    try:
        with open(root / "pyproject.toml", "rb") as handle:
            import tomllib  # only when there is a pyproject.toml to read

            pyproject = tomllib.load(handle)
    except FileNotFoundError:
        return False
    except (OSError, ValueError):
        return True  # let pydantic-settings read it and report the problem, as it always has
    tool = pyproject.get("tool", {})
    return not isinstance(tool, dict) or "briefgen" in tool


def load_settings(root: Path | None = None, **overrides: Any) -> Settings:
    """Read settings for the project at `root` (default: the current folder); flags override all."""
    base = (root or Path(".")).resolve()
    flags = {key: value for key, value in overrides.items() if value is not None}
    token = _ROOT.set(base)
    try:
        environment = None if has_files(base) else _environment()
        if environment is None:
            read = _from_sources()(**flags)
            settings = Settings(**{name: getattr(read, name) for name in read.model_fields_set})
        else:
            settings = Settings(**(environment | flags))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "settings"
        raise ConfigError(
            f"setting {where}: {first['msg']}",
            hint="check [tool.briefgen] in pyproject.toml, briefgen.toml and BRIEFGEN_* variables",
        ) from exc
    finally:
        _ROOT.reset(token)
    settings.root = base
    return settings


# -- option objects, built at the edge -------------------------------------------------------


def email_headers(settings: Settings) -> EmailHeaders:
    """The .eml headers configured for the project."""
    return EmailHeaders(
        sender=settings.email_from,
        to=settings.email_to,
        reply_to=settings.reply_to,
        list_unsubscribe=settings.list_unsubscribe,
        list_id=settings.list_id,
    )


def template_folder(settings: Settings) -> Path | None:
    """The project's own template folder, absolute, if it has one."""
    return settings.path(settings.templates_dir) if settings.templates_dir else None


def render_options(settings: Settings) -> RenderOptions:
    """What rendering needs: template folder, enabled platforms, limits, e-mail headers."""
    from briefgen.rendering.platforms import PLATFORMS

    return RenderOptions(
        templates_dir=template_folder(settings),
        platforms=tuple(settings.platform_names(list(PLATFORMS))),
        platform_limits=settings.platform_limits,
        email=email_headers(settings),
        timeout=settings.render_timeout,
        citation_style=settings.citation_style,
    )


def guard_options(settings: Settings) -> GuardOptions:
    """What the guard needs: the language rules, each rule's level, strictness."""
    return GuardOptions(
        lint_rules=settings.path(settings.lint_rules) if settings.lint_rules else None,
        caveat_share_floor=settings.caveat_share_floor,
        rules=settings.rules,
        strict=settings.strict,
    )


def smtp_options(settings: Settings) -> SmtpOptions:
    """Where send-test hands its message."""
    return SmtpOptions(
        host=settings.smtp_host,
        port=settings.smtp_port,
        starttls=settings.smtp_starttls,
        user=settings.smtp_user,
        timeout=settings.smtp_timeout,
    )
