"""The one exception hierarchy of briefgen: what went wrong, where, and a hint to fix it.

Which exit code an error becomes is the command line's business (cli.py), not the error's.
"""

from __future__ import annotations

from pathlib import Path


class BriefgenError(Exception):
    """Raised when briefgen cannot do what it was asked; the base of every error it raises."""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle by state, so errors cross process boundaries (`--jobs`)."""
        return (_restore, (type(self), self.args, self.__dict__))


def _restore(
    cls: type[BriefgenError], args: tuple[object, ...], state: dict[str, object]
) -> object:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class LocatedError(BriefgenError):
    """Raised when a problem can be pinned to a file, and maybe a line and column in it."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str,
        line: int | None = None,
        column: int | None = None,
        hint: str = "",
    ) -> None:
        super().__init__(message, hint=hint)
        self.path = str(path)
        self.line = line
        self.column = column

    @property
    def where(self) -> str:
        """`file:line:col`, or as much of it as is known."""
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        return f"{self.where}: {super().__str__()}"


class BriefError(LocatedError):
    """Raised when a brief cannot be read or breaks the brief format's rules."""


class TemplateError(LocatedError):
    """Raised when a template has a syntax error, uses an undefined name, or breaks the sandbox."""


class ConfigError(BriefgenError):
    """Raised when settings (pyproject, briefgen.toml, BRIEFGEN_* or flags) are invalid."""


class UsageError(BriefgenError):
    """Raised when the command line asks for something that does not exist or cannot be done."""


class OutputError(BriefgenError):
    """Raised when outputs cannot be written (disk full, no permission, a path outside)."""


class SendError(BriefgenError):
    """Raised when a test email cannot be sent through the configured SMTP server."""


class GuardError(BriefgenError):
    """Raised when rendered outputs fail the guard; nothing is written or sent."""


class InternalError(BriefgenError):
    """An unexpected exception: a bug in briefgen. Its traceback is kept in a file to report."""

    #: The file holding the traceback, to attach to a bug report (None: it could not be saved).
    report: str | None = None

    @classmethod
    def from_exception(cls, exc: BaseException, where: str = "") -> InternalError:
        """Save `exc`'s traceback to a file and describe it in one line naming that file."""
        report = save_traceback(exc)
        what = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        prefix = f"{where}: " if where else ""
        hint = f"please report it and attach {report}" if report else "please report it"
        error = cls(f"{prefix}this is a bug in briefgen ({what})", hint=hint)
        error.report = str(report) if report else None
        return error


def save_traceback(exc: BaseException) -> Path | None:
    """Write `exc`'s traceback (and versions) to a new file in the temp folder; its path."""
    import os
    import platform
    import sys
    import tempfile
    import traceback

    from briefgen import __version__

    text = "".join(traceback.format_exception(exc))
    header = f"briefgen {__version__}, Python {sys.version.split()[0]}, {platform.platform()}\n"
    try:
        handle, name = tempfile.mkstemp(prefix="briefgen-bug-", suffix=".txt")
        with os.fdopen(handle, "w", encoding="utf-8", errors="replace") as stream:
            stream.write(header + text)
    except OSError:
        return None
    return Path(name)
