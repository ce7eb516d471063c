"""Format a batch report as text, stable JSON, or GitHub Actions annotations."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from briefgen.errors import InternalError, LocatedError
from briefgen.paths import display_path

if TYPE_CHECKING:  # types only: formatting a report needs neither the guard nor the pipeline
    from collections.abc import Iterable

    from briefgen.guard.checks import Finding
    from briefgen.pipeline import BriefResult, Report, Status

JSON_VERSION = 1
#: The exit code of each status: 0 ok, 1 a guard failed, 2 bad input or usage.
EXIT_CODES: dict[Status, int] = {"passed": 0, "failed": 1, "error": 2}
#: A bug in briefgen (sysexits' EX_SOFTWARE): "report this", not "fix your brief".
EXIT_BUG = 70


def _status(result: BriefResult) -> str:
    return result.status


def result_exit_code(result: BriefResult) -> int:
    """0 passed, 1 the guard failed, 2 a broken brief or template, 70 a bug in briefgen."""
    if isinstance(result.error, InternalError):
        return EXIT_BUG
    return EXIT_CODES[result.status]


def exit_code(report: Report) -> int:
    """The exit code of a batch: that of its worst brief."""
    return max((result_exit_code(r) for r in report.results), default=EXIT_CODES[report.status])


def _counts(findings: Iterable[Finding]) -> str:
    """`2 errors, 3 warnings, 1 waived, 1 note`; empty when there is nothing to count."""
    counts = {"error": 0, "warning": 0, "waived": 0, "info": 0}
    for f in findings:
        counts["waived" if f.waived is not None else f.level] += 1
    if not any(counts.values()):
        return ""
    words = [
        f"{counts['error']} error{'s' if counts['error'] != 1 else ''}",
        f"{counts['warning']} warning{'s' if counts['warning'] != 1 else ''}",
    ]
    if counts["waived"]:
        words.append(f"{counts['waived']} waived")
    if counts["info"]:
        words.append(f"{counts['info']} note{'s' if counts['info'] != 1 else ''}")
    return ", ".join(words)


def _label(f: Finding) -> str:
    return f"{f.level} (waived)" if f.waived is not None else f.level


def summary(report: Report, verb: str) -> str:
    """`3 briefs: 2 passed, 1 failed the guard (seeds/x/brief.yaml); 2 errors, 3 warnings`."""
    counts = {"passed": 0, "failed": 0, "error": 0}
    for result in report.results:
        counts[_status(result)] += 1
    total = len(report.results)
    parts = [f"{counts['passed']} {verb}"]
    if counts["failed"]:
        bad = ", ".join(r.path for r in report.results if _status(r) == "failed")
        parts.append(f"{counts['failed']} failed the guard ({bad})")
    if counts["error"]:
        bad = ", ".join(r.path for r in report.results if _status(r) == "error")
        parts.append(f"{counts['error']} could not be rendered ({bad})")
    counted = _counts(report.findings)
    line = f"{total} brief{'s' if total != 1 else ''}: " + ", ".join(parts)
    return f"{line}; {counted}" if counted else line


def format_text(report: Report, verb: str = "passed") -> str:
    """One line per finding, led by its level (`error:`, `warning:`, `info:`), then a summary."""
    lines: list[str] = []
    for result in report.results:
        if result.error is not None:
            lines.append(f"error: {result.error}")
        for f in result.findings:
            where = f"{f.file}:{f.line}" if f.line else f.file
            line = f"{_label(f)}: {where}: {f.brief} → {f.output}: [{f.rule}] {f.message}."
            if f.waived is not None:
                line += f" Waived: {f.waived}"
            else:
                line += f" Fix: {f.fix}"
            lines.append(line)
        if result.written is not None:
            lines.append(f"{result.path}: wrote {display_path(result.written)}/")
    lines.append(summary(report, verb))
    return "\n".join(lines)


def as_json(report: Report) -> dict[str, object]:
    """The stable JSON document of `check --format json` (version 1; later keys only added)."""
    briefs = []
    for result in report.results:
        error = None
        if result.error is not None:
            error = {
                "message": result.error.message,
                "hint": result.error.hint,
                "file": getattr(result.error, "path", None),
                "line": getattr(result.error, "line", None),
                "column": getattr(result.error, "column", None),
                "kind": type(result.error).__name__,
            }
        briefs.append(
            {
                "brief": result.path,
                "slug": result.slug,
                "status": _status(result),
                "exit_code": result_exit_code(result),
                "error": error,
                "findings": [f.as_dict() for f in result.findings],
                "errors": sum(f.level == "error" for f in result.findings),
                "warnings": sum(f.level == "warning" and f.waived is None for f in result.findings),
                "waived": sum(f.waived is not None for f in result.findings),
            }
        )
    return {
        "version": JSON_VERSION,
        "exit_code": exit_code(report),
        "strict": any(r.strict for r in report.results),
        "briefs": briefs,
    }


def format_json(report: Report) -> str:
    """`as_json` as indented text with sorted keys."""
    return json.dumps(as_json(report), indent=2, sort_keys=True, ensure_ascii=False)


def _escape(value: str, *, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def format_github(report: Report, verb: str = "passed") -> str:
    """GitHub Actions workflow commands (`::error`, `::warning`, `::notice` with file and line),
    then a summary. A waived warning is a notice that says so, with its reason."""
    lines = []
    for result in report.results:
        error = result.error
        if error is not None:
            props = "title=briefgen"
            if isinstance(error, LocatedError):
                props = (
                    f"file={_escape(error.path, prop=True)}"
                    + (f",line={error.line}" if error.line else "")
                    + (f",col={error.column}" if error.column else "")
                    + ",title=briefgen"
                )
            lines.append(f"::error {props}::{_escape(str(error))}")
        for f in result.findings:
            props = f"file={_escape(f.file, prop=True)}" + (f",line={f.line}" if f.line else "")
            props += f",title={_escape('briefgen ' + f.rule, prop=True)}"
            if f.waived is not None:
                command, tail = "notice", f"waived {f.level}: {f.message}. Waived: {f.waived}"
            else:
                command = {"error": "error", "warning": "warning"}.get(f.level, "notice")
                tail = f"{f.message}. Fix: {f.fix}"
            lines.append(f"::{command} {props}::{_escape(f'{f.brief} → {f.output}: {tail}')}")
    lines.append(summary(report, verb))
    return "\n".join(lines)
