"""`briefgen new`: scaffold a brief with every field of the format, commented, ready to fill in."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from briefgen.brief.loader import BRIEF_FILE
from briefgen.brief.schema import FIELD_HELP, SCHEMA_PATH, schema_json
from briefgen.errors import OutputError, UsageError
from briefgen.paths import display_path
from briefgen.targets import SLUG_PATTERN

SOURCE_TEXT = "sources/source-one.txt"
_SOURCE_PLACEHOLDER = (
    "Paste the full text of the source here, replacing these lines.\n"
    "briefgen checks every quote and figure that cites this source against this text,\n"
    "so the guard fails until the quotes in brief.yaml are copied from it verbatim.\n"
)
#: Line where end-of-line comments start, unless the value runs past it.
_COMMENT_COLUMN = 34

Scalar = str | bool | dt.date | list[str]
#: A mapping as ordered (key, value, commented out) entries; lists of them are YAML sequences.
Entries = list[tuple[str, "Scalar | list[Entries]", bool]]


@dataclass(frozen=True)
class Scaffold:
    """What `new` wrote."""

    brief: Path
    files: tuple[Path, ...]


def _entries(slug: str, date: dt.date) -> Entries:
    source: Entries = [
        ("id", "source-one", False),
        ("publisher", "Publisher Name", False),
        ("title", "The source's own headline", False),
        ("url", "https://example.org/the-source-article", False),
        ("author", "Author Name", False),
        ("authors", ["Family, Given", "Another Author"], True),
        ("published", date, False),
        ("accessed", date, False),
        ("kind", "article", False),
        ("container", "Periodical Name", True),
        ("doi", "10.1234/example.2026.1", True),
        ("pmid", "12345678", True),
        ("text", SOURCE_TEXT, False),
    ]
    expert: Entries = [
        ("id", "expert-one", False),
        ("name", "Expert Name", False),
        ("credentials", "MD", False),
        ("role", "what makes them an expert, e.g. dermatologist", False),
        ("expert", True, False),
    ]
    proponent: Entries = [
        ("id", "proponent-one", False),
        ("name", "Proponent Name", False),
        ("role", "who they are, e.g. creator on TikTok", False),
        ("expert", False, False),
    ]
    claim: Entries = [
        ("id", "claim-one", False),
        ("text", "What proponents say the trend does, in one sentence.", False),
        ("by", "proponent-one", False),
        ("quote", "the proponent's exact words, copied from the source", False),
        ("source", "source-one", False),
    ]
    caveat: Entries = [
        ("id", "caveat-one", False),
        ("text", "What the expert warns about, in one sentence.", False),
        ("short", "the warning in a few words", False),
        ("by", "expert-one", False),
        ("quote", "the expert's exact words, copied from the source", False),
        ("source", "source-one", False),
        ("answers", ["claim-one"], False),
        ("required", True, False),
    ]
    stat: Entries = [
        ("id", "stat-one", False),
        ("value", "1 in 3", False),
        ("text", "of the people surveyed did something, as the source says", False),
        ("source", "source-one", False),
    ]
    waiver: Entries = [
        ("rule", "hype", False),
        ("field", "claims[0].text", False),
        ("reason", "why the wording stays, and who reviewed it", False),
    ]
    return [
        ("slug", slug, False),
        ("title", "Headline: the trend, and what experts want you to know", False),
        ("topic", "the trend", False),
        ("date", date, False),
        ("language", "en", False),
        ("summary", "What the trend is, neutrally, in one or two sentences.", False),
        ("takeaway", "The balanced verdict: what experts say about it, and why.", False),
        ("hashtags", ["thetrend"], False),
        ("link", "https://example.org/your-story", True),
        ("verdict", "The verdict in a few words", True),
        ("sources", [source], False),
        ("people", [expert, proponent], False),
        ("claims", [claim], False),
        ("caveats", [caveat], False),
        ("stats", [stat], False),
        ("waivers", [waiver], True),
    ]


_MODEL_OF_KEY = {
    "sources": "Source",
    "people": "Person",
    "claims": "Claim",
    "caveats": "Caveat",
    "stats": "Stat",
    "waivers": "Waiver",
}


def _scalar(value: Scalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(json.dumps(v) if "," in v else _scalar(v) for v in value) + "]"
    plain = re.fullmatch(r"[A-Za-z][\w .,'()/-]*", value) and not value.endswith((" ", ":"))
    return (
        value
        if plain and value.lower() not in ("yes", "no", "on", "off", "null")
        else (json.dumps(value, ensure_ascii=False))
    )


def _line(indent: str, key: str, value: str, help_text: str, commented: bool) -> str:
    body = f"{indent}{'# ' if commented else ''}{key}:{' ' + value if value else ''}"
    pad = max(_COMMENT_COLUMN - len(body), 2)
    return f"{body}{' ' * pad}# {help_text}" if help_text else body


def _emit(entries: Entries, model: str, indent: str, first_prefix: str = "") -> list[str]:
    lines: list[str] = []
    for index, (key, value, commented) in enumerate(entries):
        lead = first_prefix if index == 0 and first_prefix else indent
        help_text = FIELD_HELP[model].get(key, "")
        if isinstance(value, list) and value and isinstance(value[0], list):
            block = [_line(lead, key, "", help_text, False)]
            for item in value:
                assert isinstance(item, list)
                block += _emit(item, _MODEL_OF_KEY[key], indent + "    ", indent + "  - ")
            # a commented-out list stays valid YAML once its "# " marks are removed
            lines += [f"# {line}" for line in block] if commented else block
        else:
            lines.append(_line(lead, key, _scalar(value), help_text, commented))  # type: ignore[arg-type]
    return lines


def scaffold_text(slug: str, date: dt.date, schema_ref: str) -> str:
    """The commented brief.yaml that `new` writes."""
    head = [
        f"# yaml-language-server: $schema={schema_ref}",
        "# A new brief: replace every placeholder, paste the source's text into",
        f"# {SOURCE_TEXT}, then run `briefgen preview --watch {slug}`.",
        "# The format: docs/brief-format.md; `briefgen schema` prints it for editors.",
        "",
    ]
    body = _emit(_entries(slug, date), "Brief", "")
    spaced = []
    for line in body:
        if not line.startswith(" ") and line.removeprefix("# ").split(":")[0] in _MODEL_OF_KEY:
            spaced.append("")
        spaced.append(line)
    return "\n".join(head + spaced) + "\n"


def check_slug(slug: str) -> None:
    """Refuse a slug the brief format would refuse, before anything is written."""
    if len(slug) > 64 or not re.fullmatch(SLUG_PATTERN, slug):
        raise UsageError(
            f"'{slug}' is not a valid slug",
            hint="use lowercase letters, digits and single hyphens, at most 64, like cold-plunges",
        )


def new_brief(
    slug: str, seeds_dir: Path, project_root: Path, date: dt.date | None = None
) -> Scaffold:
    """Write `seeds_dir/slug/brief.yaml` (never over an existing one) and its source stub.

    The project's `schema/brief.schema.json` is written too when it is missing, so editors
    complete and validate the new brief at once.
    """
    check_slug(slug)
    folder = seeds_dir / slug
    brief = folder / BRIEF_FILE
    if brief.exists():
        raise UsageError(
            f"{display_path(brief)} already exists",
            hint="pick another slug, or edit the brief that is there",
        )
    schema = project_root / SCHEMA_PATH
    reference = Path(os.path.relpath(schema.resolve(), folder.resolve()))
    text = scaffold_text(slug, date or dt.date.today(), reference.as_posix())
    written: list[Path] = []
    try:
        (folder / SOURCE_TEXT).parent.mkdir(parents=True, exist_ok=True)
        with open(brief, "x", encoding="utf-8") as handle:
            handle.write(text)
        written.append(brief)
        if not (folder / SOURCE_TEXT).exists():
            (folder / SOURCE_TEXT).write_text(_SOURCE_PLACEHOLDER, encoding="utf-8")
            written.append(folder / SOURCE_TEXT)
        if not schema.exists():
            schema.parent.mkdir(parents=True, exist_ok=True)
            schema.write_text(schema_json(), encoding="utf-8")
            written.append(schema)
    except FileExistsError:
        raise UsageError(
            f"{display_path(brief)} already exists", hint="pick another slug"
        ) from None
    except OSError as exc:
        raise OutputError(f"cannot write {folder}: {exc.strerror or exc}") from None
    return Scaffold(brief=brief, files=tuple(written))
