"""Load and validate a brief: YAML → models → cross-references → source texts."""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pydantic
from pydantic import ValidationError

from briefgen.brief import models
from briefgen.brief.models import AUTHOR_TAGS, DATE_HINT, MODEL_OF_LIST, Brief
from briefgen.brief.refs import check_references
from briefgen.brief.yamlsource import YamlDocument, load_yaml_mapping, nearest_position, read_text
from briefgen.diskcache import MAX_ENTRIES, memo
from briefgen.errors import BriefError
from briefgen.paths import display_path
from briefgen.targets import BRIEF_FILE, blocking_folder, brief_file, find_briefs, path_kind

__all__ = ["BRIEF_FILE", "LoadedBrief", "brief_file", "find_briefs", "load_brief"]
MAX_SOURCE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class LoadedBrief:
    """A valid brief, where it came from, and the texts of its sources."""

    brief: Brief
    path: Path
    source_texts: dict[str, str] = field(default_factory=dict)
    positions: dict[tuple[str | int, ...], tuple[int, int]] = field(default_factory=dict)
    #: What later steps work out from the brief alone, by name (the guard's list of the
    #: brief's own strings): made once, and kept with the brief in the action cache, so a
    #: template edit does not work it out again for every brief.
    derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, *loc: str | int) -> int | None:
        """The line in brief.yaml of a field path, or of its nearest parent."""
        found = nearest_position(self.positions, loc)
        return found[0] if found else None

    @property
    def folder(self) -> Path:
        """The brief's folder."""
        return self.path.parent


def _known_keys(loc: tuple[Any, ...]) -> list[str]:
    model: type[Any] = Brief
    if len(loc) >= 2 and loc[0] in MODEL_OF_LIST and isinstance(loc[1], int):
        model = MODEL_OF_LIST[str(loc[0])]
    return list(model.model_fields)


def _friendly(doc: YamlDocument, exc: ValidationError) -> BriefError:
    errors = exc.errors(include_url=False)
    first = errors[0]
    loc = tuple(p for p in first["loc"] if p not in AUTHOR_TAGS)  # union tags are no keys
    dotted = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc).replace(".[", "[")
    kind = first["type"]
    hint = ""
    if kind == "extra_forbidden":
        message = f"unknown key '{loc[-1] if loc else ''}'"
        hint = "known keys here: " + ", ".join(_known_keys(loc[:-1]))
    elif kind == "missing":
        message = f"missing required key '{dotted}'"
        hint = "add it (see docs/brief-format.md or `briefgen new`)"
    elif kind == "string_pattern_mismatch" and loc and loc[-1] in ("slug", "id", "by", "source"):
        message = f"{dotted}: {str(first['input'])!r} is not a valid id"
        hint = "use lowercase letters, digits and single hyphens, like baby-botox"
    else:
        message = f"{dotted}: {first['msg'].removeprefix('Value error, ')}"
        if message.endswith(DATE_HINT):
            message = message.removesuffix(DATE_HINT).rstrip("; ")
            hint = DATE_HINT
        elif kind == "string_type":
            hint = "quote the value to make it text"
    if len(errors) > 1:
        hint = f"{hint}; {len(errors) - 1} more problem(s) after this one".lstrip("; ")
    return doc.error(loc, message, hint)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def _source_texts(doc: YamlDocument, brief: Brief, folder: Path) -> dict[str, str]:
    texts: dict[str, str] = {}
    real_folder = folder.resolve()
    for index, source in enumerate(brief.sources):
        if source.text is None:
            continue
        loc = ("sources", index, "text")
        relative = Path(source.text)
        if relative.is_absolute() or ".." in relative.parts:
            raise doc.error(
                loc,
                f"source text path '{source.text}' leaves the brief's folder",
                "give a path inside the brief folder, like sources/name.txt",
            )
        target = folder / relative
        if not _inside(target.resolve(), real_folder):
            raise doc.error(
                loc,
                f"source text '{source.text}' links outside the brief's folder",
                "copy the text into the brief folder instead of linking to it",
            )
        kind = path_kind(target)
        if kind == "denied":
            raise doc.error(
                loc,
                f"cannot read source text '{source.text}': the folder "
                f"{display_path(blocking_folder(target))} is not readable (permission denied)",
                "give yourself read permission (chmod u+rx)",
            )
        if kind != "file":
            raise doc.error(
                loc,
                f"source text '{source.text}' not found",
                f"create {display_path(target)} or remove `text:`",
            )
        try:
            texts[source.id] = read_text(target, limit=MAX_SOURCE_BYTES, what="source text")
        except BriefError as exc:
            raise doc.error(loc, f"source text '{source.text}': {exc.message}", exc.hint) from None
    return texts


@cache
def _models_version() -> bytes:
    """What validation depends on besides the data: the models' code and pydantic's version."""
    import pydantic_core

    code = Path(models.__file__).read_bytes()
    return code + f"\0{pydantic.VERSION}\0{pydantic_core.__version__}".encode()


def _validated(data: Any) -> Brief:
    """`Brief.model_validate(data)`, kept between processes for exactly this data
    (`diskcache.memo`): building pydantic's validator for the brief format costs more than
    a whole cached render, and an unchanged brief needs neither it nor validating again.
    Only valid briefs are kept; an invalid one raises `ValidationError` every time."""
    try:
        key = pickle.dumps(data, pickle.HIGHEST_PROTOCOL)
    except Exception:  # not plain data (a caller's own objects): just validate
        return Brief.model_validate(data)
    return memo(
        "models", (key, _models_version()), lambda: Brief.model_validate(data), keep=MAX_ENTRIES
    )


def load_brief(target: Path) -> LoadedBrief:
    """Load the brief at `target` (a folder or its brief.yaml) or raise `BriefError`.

    `path` is kept as given: showing it relative to somewhere is the caller's business.
    """
    path = brief_file(Path(target))
    doc = load_yaml_mapping(path)
    try:
        brief = _validated(doc.data)
    except ValidationError as exc:
        raise _friendly(doc, exc) from None
    problems = check_references(brief)
    if problems:
        first = problems[0]
        hint = first.hint
        if len(problems) > 1:
            hint += f"; {len(problems) - 1} more problem(s) after this one"
        raise doc.error(first.loc, first.message, hint)
    texts = _source_texts(doc, brief, Path(os.path.normpath(path.parent)))
    return LoadedBrief(brief=brief, path=path, source_texts=texts, positions=doc.positions)
