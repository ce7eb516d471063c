"""Read a YAML file safely into plain data, remembering where every key and item stood."""

from __future__ import annotations

import datetime as dt
import importlib
import re
import warnings
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from briefgen import diskcache
from briefgen.errors import BriefError

MAX_BRIEF_BYTES = 1024 * 1024
BOM = b"\xef\xbb\xbf"

PathKey = tuple[str | int, ...]


def nearest_position(
    positions: dict[PathKey, tuple[int, int]], loc: PathKey
) -> tuple[int, int] | None:
    """The (line, column) of `loc`, or of its nearest parent that has one."""
    probe = tuple(loc)
    while probe:
        if probe in positions:
            return positions[probe]
        probe = probe[:-1]
    return None


@dataclass
class YamlDocument:
    """A parsed YAML mapping and the 1-based (line, column) of each path in it."""

    path: Path
    data: dict[str, Any]
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def locate(self, loc: PathKey) -> tuple[int | None, int | None]:
        """The position of `loc`, or of its nearest parent that has one."""
        return nearest_position(self.positions, loc) or (1, 1)

    def error(self, loc: PathKey, message: str, hint: str = "") -> BriefError:
        """A `BriefError` pointing at `loc` in this file."""
        line, column = self.locate(loc)
        return BriefError(message, path=self.path, line=line, column=column, hint=hint)


def _line_col(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    column = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


def read_text(path: Path, *, limit: int, what: str) -> str:
    """Read a UTF-8 file (a leading BOM allowed) with size and encoding errors made clear."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise BriefError(f"{what} not found", path=path, hint="check the path") from None
    except OSError as exc:
        raise BriefError(f"cannot read {what}: {exc.strerror}", path=path) from None
    if size > limit:
        raise BriefError(
            f"{what} is {size:,} bytes, more than the {limit:,} briefgen reads",
            path=path,
            hint="a brief is a short structured file; keep long texts in sources/",
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BriefError(f"cannot read {what}: {exc.strerror}", path=path) from None
    if raw.startswith(BOM):
        raw = raw[len(BOM) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _line_col(raw, exc.start)
        raise BriefError(
            f"{what} is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            path=path,
            line=line,
            column=column,
            hint="save the file as UTF-8",
        ) from None


def _plain(node: Any, loc: PathKey, doc: YamlDocument) -> Any:
    """Turn ruamel's round-trip nodes into plain Python data, recording positions.

    Aliases never get here (the composer refuses them), so the data is a tree.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        if node.merge:
            raise doc.error(
                loc,
                "YAML merge keys (<<) are not allowed in a brief",
                hint="write the keys out in full",
            )
        result: dict[str, Any] = {}
        for key in node:
            line, col = node.lc.key(key)
            child = (*loc, str(key))
            doc.positions[child] = (line + 1, col + 1)
            if not isinstance(key, str):
                raise doc.error(child, f"key {key!r} is not text", hint="write keys as plain words")
            result[key] = _plain(node[key], child, doc)
        return result
    if isinstance(node, CommentedSeq):
        items = []
        for index, item in enumerate(node):
            line, col = node.lc.item(index)
            child = (*loc, index)
            doc.positions[child] = (line + 1, col + 1)
            items.append(_plain(item, child, doc))
        return items
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, str):
        if _SURROGATE.search(node):
            raise doc.error(
                loc,
                "text contains a lone surrogate (an escape like \\ud800)",
                hint="write the character itself, or remove the escape",
            )
        return str(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, dt.datetime):
        return node if (node.hour, node.minute, node.second) != (0, 0, 0) else node.date()
    if isinstance(node, dt.date):
        return node
    return str(node)


_SURROGATE = re.compile("[\ud800-\udfff]")
_TAG = re.compile(r"![^\s,\[\]{}]*")
#: A comment that starts right after a plain value, with a word: `title: Why #babybotox …`.
_HASHTAG_COMMENT = re.compile(r"[ \t]+#\w")


@cache
def _strict_composer() -> type[Any]:
    """A ruamel composer that refuses what a brief never needs and what can mislead.

    Anchors and aliases (`&a`, `*a`), explicit tags (`!!int`, `!!omap`, `!foo` …) and a plain
    value cut short by ` #word` (YAML reads the rest as a comment) are refused where they
    occur, with their position, before any value is built from them.
    """
    from ruamel.yaml.composer import Composer
    from ruamel.yaml.error import MarkedYAMLError
    from ruamel.yaml.events import AliasEvent, ScalarEvent

    class Refused(MarkedYAMLError):
        """A YAML feature briefs do not allow, with the hint to give."""

        def __init__(self, problem: str, mark: Any, hint: str) -> None:
            super().__init__(problem=problem, problem_mark=mark)
            self.hint = hint

    class StrictComposer(Composer):
        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.parser.peek_event()
            if isinstance(event, AliasEvent) or event.anchor is not None:
                raise Refused(
                    "YAML anchors and aliases (& and *) are not allowed in a brief",
                    event.start_mark,
                    "write the value out in full",
                )
            if getattr(event, "ctag", None) is not None:
                source: list[str] = getattr(self.loader, "briefgen_lines", [])
                mark = event.start_mark
                written = (
                    _TAG.match(source[mark.line], mark.column) if mark.line < len(source) else None
                )
                raise Refused(
                    f"YAML tag {written.group(0) if written else event.ctag!s} is not allowed "
                    "in a brief",
                    event.start_mark,
                    "remove the tag; quote the value if it must stay text",
                )
            if isinstance(event, ScalarEvent) and event.style is None:
                lines: list[str] = getattr(self.loader, "briefgen_lines", [])
                end = event.end_mark
                if end.line < len(lines) and _HASHTAG_COMMENT.match(lines[end.line], end.column):
                    column = lines[end.line].index("#", end.column)
                    cut = "cut short" if event.value else "empty"
                    raise Refused(
                        f"this value is {cut}: ' #' starts a YAML comment, so the rest of "
                        "the line is dropped",
                        _Mark(end.line, column),
                        'quote the value, like "Why #babybotox is trending"',
                    )
            return super().compose_node(parent, index)

    return StrictComposer


@dataclass(frozen=True)
class _Mark:
    """A 0-based position, as ruamel's marks give it."""

    line: int
    column: int


@cache
def _dates_as_text_constructor() -> type[Any]:
    """A round-trip constructor that leaves `2026-02-30` and `2022-11-02` as text.

    The models judge dates (and say where a bad one is); ruamel would raise a bare
    ValueError on an impossible one.
    """
    from ruamel.yaml.constructor import RoundTripConstructor

    class Constructor(RoundTripConstructor):
        pass

    Constructor.add_constructor(
        "tag:yaml.org,2002:timestamp", lambda self, node: self.construct_scalar(node)
    )
    return Constructor


MAX_DEPTH = 40
_BLOCK_ITEMS = re.compile(r"^[ \t]*((?:[-?][ \t]+)+)")


def _too_deep(text: str) -> int | None:
    """The line where nesting passes MAX_DEPTH (flow brackets or `- - -` runs), if any.

    Checked before parsing, because the YAML parser slows down badly on deep nesting.
    """
    depth = 0
    quote = ""
    for number, line in enumerate(text.splitlines(), start=1):
        items = _BLOCK_ITEMS.match(line)
        if items and items.group(1).count("-") + items.group(1).count("?") > MAX_DEPTH:
            return number
        for index, char in enumerate(line):
            if quote:
                if char == quote:
                    quote = ""
            elif char in "\"'" and (index == 0 or line[index - 1] in " \t[{,:"):
                quote = char
            elif char == "#" and (index == 0 or line[index - 1] in " \t"):
                break
            elif char in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    return number
            elif char in "]}":
                depth = max(0, depth - 1)
    return None


def load_yaml_mapping(path: Path) -> YamlDocument:
    """Parse `path` as a YAML mapping; raise `BriefError` with line and column on any problem.

    What a parse gave is kept on disk (`diskcache`), so an unchanged brief is not parsed again
    by the next process; only files that parse without error are kept.
    """
    text = read_text(path, limit=MAX_BRIEF_BYTES, what="brief")
    if not text.strip():
        raise BriefError(
            "brief is empty", path=path, line=1, column=1, hint="start from `briefgen new SLUG`"
        )
    deep = _too_deep(text)
    if deep is not None:
        raise BriefError(
            f"YAML is nested more than {MAX_DEPTH} levels deep",
            path=path,
            line=deep,
            hint="a brief needs only a few levels; check the brackets",
        )
    cached = diskcache.load_parsed(path, text)
    if cached is not None:
        data, positions = cached
        return YamlDocument(path=path, data=data, positions=positions)
    fast = parse_with_libyaml(text)
    if fast is not None:
        data, positions = fast
        diskcache.store_parsed(path, text, data, positions)
        return YamlDocument(path=path, data=data, positions=positions)
    return _load_with_ruamel(path, text)


def _load_with_ruamel(path: Path, text: str) -> YamlDocument:
    """The reference parse (ruamel, YAML 1.2): every error and refusal is worded here."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    yaml.Composer = _strict_composer()
    yaml.Constructor = _dates_as_text_constructor()
    yaml.briefgen_lines = text.splitlines()  # type: ignore[attr-defined]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ruamel warns on stderr (duplicate anchors …)
            node = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        problem = (exc.problem or exc.context or "invalid YAML").strip().splitlines()[0]
        hint = getattr(exc, "hint", "") or "fix the YAML syntax here"
        if getattr(exc, "hint", ""):
            raise BriefError(problem, path=path, line=line, column=column, hint=hint) from None
        if "duplicate" in str(exc).lower():
            problem = "duplicate key: " + problem
        raise BriefError(
            f"YAML: {problem}", path=path, line=line, column=column, hint=hint
        ) from None
    except YAMLError as exc:
        position = getattr(exc, "position", None)
        line = column = None
        if isinstance(position, int):
            line = text.count("\n", 0, position) + 1
            column = position - (text.rfind("\n", 0, position) + 1) + 1
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "invalid YAML"
        raise BriefError(
            f"YAML: {first}",
            path=path,
            line=line,
            column=column,
            hint="remove the character or fix the YAML syntax",
        ) from None
    except RecursionError:
        raise BriefError("YAML is nested too deeply", path=path) from None
    except (ValueError, TypeError, AttributeError, KeyError, OverflowError) as exc:
        # A value ruamel could not build (a corner its constructors do not cover): one line.
        first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise BriefError(
            f"YAML: cannot read a value: {first}",
            path=path,
            line=1,
            hint="simplify the YAML; quote values that must stay text",
        ) from None
    doc = YamlDocument(path=path, data={})
    from ruamel.yaml.comments import CommentedMap

    if not isinstance(node, CommentedMap):
        kind = "a list" if isinstance(node, list) else f"a {type(node).__name__}"
        raise BriefError(
            f"brief must be a YAML mapping of fields, not {kind}",
            path=path,
            line=1,
            column=1,
            hint="start from `briefgen new SLUG`",
        )
    doc.data = _plain(node, (), doc)
    diskcache.store_parsed(path, text, doc.data, doc.positions)
    return doc


class _Unsure(Exception):
    """The fast parse met something only the reference parse may judge."""


#: Characters YAML 1.1 (libyaml) and 1.2 (ruamel) treat differently (line breaks), or that
#: make indentation subtle: a text holding one is left to ruamel.
_UNSURE_CHARS = re.compile("[\t\r\x85\u2028\u2029\ufeff]")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False}
_BOOLS["FALSE"] = False
_INT = re.compile(r"0|-?[1-9][0-9]*")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?")
#: Plain scalars that may resolve to something other than text (numbers, dates, YAML 1.1
#: booleans, infinities, merge keys): ruamel decides.
_MAYBE_TYPED = re.compile(r"[-+.0-9]|(?:y|n|yes|no|on|off|<<)$", re.IGNORECASE)


def parse_with_libyaml(text: str) -> tuple[dict[str, Any], dict[PathKey, tuple[int, int]]] | None:
    """The mapping and positions `load_yaml_mapping` gives, parsed with libyaml (PyYAML's C
    parser, ~30x faster than ruamel's pure-Python one); None when the text holds anything the
    two might read differently or that briefgen refuses (errors, anchors, tags, duplicate or
    non-text keys, numbers in other notations, a ` #` cutting a value short...): then
    ruamel parses it, and says what is wrong.

    Only libyaml's events are used (no PyYAML resolving, which is YAML 1.1): scalars are
    resolved here as ruamel resolves YAML 1.2 (and dates stay text).
    """
    if _UNSURE_CHARS.search(text):
        return None
    try:
        yaml = _yaml()
        loader = yaml.CSafeLoader(text)
    except (ImportError, AttributeError):  # PyYAML without libyaml
        return None
    try:
        events = iter(_events(loader))
        start = next(events)
        if not isinstance(start, yaml.DocumentStartEvent) or start.version or start.tags:
            return None
        positions: dict[PathKey, tuple[int, int]] = {}
        lines = text.splitlines()
        root = _node(next(events), events, (), positions, lines)
        if not isinstance(root, dict) or not isinstance(next(events), yaml.DocumentEndEvent):
            return None
        if not isinstance(next(events), yaml.StreamEndEvent):
            return None
    except (_Unsure, yaml.YAMLError, StopIteration, RecursionError, ValueError):
        return None
    finally:
        loader.dispose()
    return root, positions


@cache
def _yaml() -> Any:
    """PyYAML, imported only on a parse-cache miss (it has no type stubs)."""
    return importlib.import_module("yaml")


def _events(loader: Any) -> Any:
    yaml = _yaml()
    first = loader.get_event()
    if not isinstance(first, yaml.StreamStartEvent):
        raise _Unsure
    while loader.check_event():
        yield loader.get_event()


def _node(
    event: Any,
    events: Any,
    loc: PathKey,
    positions: dict[PathKey, tuple[int, int]],
    lines: list[str],
) -> Any:
    yaml = _yaml()
    if getattr(event, "anchor", None) is not None or getattr(event, "tag", None) is not None:
        raise _Unsure
    if isinstance(event, yaml.ScalarEvent):
        return _scalar(event, lines)
    if isinstance(event, yaml.MappingStartEvent):
        mapping: dict[str, Any] = {}
        for key_event in events:
            if isinstance(key_event, yaml.MappingEndEvent):
                return mapping
            if not isinstance(key_event, yaml.ScalarEvent) or key_event.anchor or key_event.tag:
                raise _Unsure
            key = _scalar(key_event, lines)
            if not isinstance(key, str) or key in mapping or key == "<<":
                raise _Unsure
            child = (*loc, key)
            mark = key_event.start_mark
            positions[child] = (mark.line + 1, mark.column + 1)
            mapping[key] = _node(next(events), events, child, positions, lines)
        raise _Unsure
    if isinstance(event, yaml.SequenceStartEvent):
        items: list[Any] = []
        for item_event in events:
            if isinstance(item_event, yaml.SequenceEndEvent):
                return items
            child = (*loc, len(items))
            mark = item_event.start_mark
            positions[child] = (mark.line + 1, mark.column + 1)
            items.append(_node(item_event, events, child, positions, lines))
        raise _Unsure
    raise _Unsure  # an alias, or an event out of place


def _scalar(event: Any, lines: list[str]) -> Any:
    value: str = event.value
    if _SURROGATE.search(value):
        raise _Unsure
    if event.style:  # quoted or block (libyaml gives plain as ""): text
        return value
    end = event.end_mark
    if end.line < len(lines) and _HASHTAG_COMMENT.match(lines[end.line], end.column):
        raise _Unsure
    if value in _NULLS:
        return None
    if value in _BOOLS:
        return _BOOLS[value]
    if _MAYBE_TYPED.match(value):
        if _INT.fullmatch(value):
            return int(value)
        if _FLOAT.fullmatch(value):
            return float(value)
        if _DATE_TEXT.fullmatch(value) or _ruamel_tag(value) == "tag:yaml.org,2002:str":
            return value  # `30%`, `5 g`, `12:30` (text in YAML 1.2)...
        raise _Unsure
    return value


@cache
def _resolver() -> Any:
    from ruamel.yaml.resolver import VersionedResolver

    return VersionedResolver()


def _ruamel_tag(value: str) -> str:
    """The tag ruamel's YAML 1.2 resolver gives a plain scalar."""
    from ruamel.yaml.nodes import ScalarNode

    tag = _resolver().resolve(ScalarNode, value, (True, False))
    return str(tag)
