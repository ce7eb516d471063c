"""Language lint: per-language rules (data) for hype and absolutes in a brief's own voice.

A term only counts when the brief says it: not inside quotation marks of any script, a URL, an
e-mail address, a #hashtag or an @handle; not negated before it within its clause (NegEx-style
cues: "not a miracle cure", "nicht ohne Nebenwirkungen"); not qualified ("safe for most people
when…", "generally"); not framed as someone else's claim ("sold as a cure-all", "angeblich");
not asked as a question. The cues are data too, one table per language (data/rules/<lang>.toml).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, cast

from briefgen.diskcache import memo
from briefgen.errors import ConfigError

BUILTIN_RULES = Path(__file__).parent.parent / "data" / "rules"
Level = Literal["error", "warning", "info"]
LEVELS: tuple[Level, ...] = ("error", "warning", "info")

#: One word in a phrase's `*` (letters or digits, with inner apostrophes or hyphens).
_WORD = r"[^\W_]+(?:['’ʼ-][^\W_]+)*"
_APOSTROPHE = "['’ʼ]"
_SPACE = r"[\s\-‐‑]+"  # a space in a phrase also matches a hyphen ("game changer", "game-changer")

#: Quotation marks of every script, each opener with its closers. A single quote only opens
#: before a word and after a non-word (so "it's", "l'eau", "fans’" never open a quote) and only
#: closes after text and before a non-word. Every branch starts with its literal character, so
#: the regex engine skips straight to the next candidate.
_QUOTES = (
    r"„[^“”„\n]*[“”]",
    r"“[^”\n]*”",
    r"”[^”\n]*”",  # Swedish/Finnish ”…”
    r"«[^»]*»",
    r"»[^«»]*[«»]",
    r"‹[^›\n]*›",
    r"›[^‹›\n]*[‹›]",
    r"「[^」]*」",
    r"『[^』]*』",
    r"\"[^\"\n]*\"",
    r"‚[^‘’\n]*[‘’]",
    r"‘(?<!\w‘)(?=\S)(?:[^‘’\n]|’(?=\w))*’(?!\w)",
    r"'(?<!\w')(?=\S)(?:[^'\n]|'(?=\w))*'(?!\w)",
)
#: Never linted: what is not the brief's own prose.
_PROTECTED = re.compile(
    "|".join(
        (
            *_QUOTES,
            r"(?:https?://|ftp://|www\.)\S+",
            r"@(?<![\w@]@)\w+(?:\.\w+)*",  # @handle
            r"#(?<![\w#&]#)\w+",  # hashtag
        )
    ),
    re.IGNORECASE,
)
_MARKS = re.compile("[\"'“”„«»‹›「」『』‚‘’@#]|https?:|ftp:|www\\.", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DOMAIN_PATH = re.compile(r"(?<![\w@/.])(?:[\w-]+\.)+[a-z]{2,}/\S*", re.IGNORECASE)


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` is not the brief's own prose: quotations, URLs, e-mails, #tags, @handles."""
    spans = [m.span() for m in _PROTECTED.finditer(text)] if _MARKS.search(text) else []
    if "@" in text:
        spans += [m.span() for m in _EMAIL.finditer(text)]
    if "/" in text:
        spans += [m.span() for m in _DOMAIN_PATH.finditer(text)]
    return spans


_SENTENCE_END = re.compile(r"[!?\n]|\.(?!\d)|…")
_EXCERPT = 40


def phrase(text: str) -> str:
    """The regular expression of a phrase written for editors.

    Words match case-insensitively, as whole words. A space also matches a hyphen, a hyphen
    also matches a space or nothing ("cure-all", "cure all", "cureall"), an apostrophe matches
    ' ’ ʼ, "%" may follow a space ("100 %"). A lone `*` is any one word, `…` is up to three
    words, and `*` inside a word is any letters ("angeblich*", "*n't").
    """
    parts: list[str] = []
    for index, token in enumerate(text.split()):
        if token == "…":  # "sold … as": "sold as", "sold online as", "sold to fans as"
            parts += [_SPACE] if index else []
            parts.append(rf"(?:{_WORD}\s+){{0,3}}")
            continue
        if token == "*":
            piece = _WORD
        else:
            piece = ""
            for char in token:
                if char == "*":
                    piece += r"\w*"
                elif char in "'’ʼ":
                    piece += _APOSTROPHE
                elif char == "-":
                    piece += r"[\s\-‐‑]*"
                elif char == "%":
                    piece += r"\s*%"
                else:
                    piece += re.escape(char)
        if index and not (parts and parts[-1].endswith("{0,3}")):
            parts.append(_SPACE)
        parts.append(piece)
    body = "".join(parts)
    first, last = text.strip()[:1], text.strip()[-1:]
    head = r"(?<!\w)" if first.isalnum() or first in "*%" else ""
    tail = r"(?!\w)" if last.isalnum() or last in "*%" else ""
    return f"{head}{body}{tail}"


def _runs(text: str) -> set[str]:
    """The literal runs of letters or digits of a phrase, lowercase (not wildcard words)."""
    return {
        run.lower()
        for token in text.split()
        if token != "*"
        for run in re.split(r"\W|_", token.split("*")[0] if token.endswith("*") else token)
        if run
    }


def triggers_of(terms: Iterable[str]) -> tuple[str, ...] | None:
    """Few lowercase strings, one of which is in any text a term matches (None: cannot tell).

    Picked greedily: the run shared by most terms first ("miracle" for every "miracle …"),
    longer runs on ties, so a text without any of them skips the rule's regex.
    """
    runs = [_runs(t) for t in terms]
    if not runs or not all(runs):
        return None
    # Which terms each run is found in (inside one of their runs), worked out once, not again
    # for every pick; runs hold no NUL, so searching them joined by NULs finds the same.
    joined = ["\0".join(rs) for rs in runs]
    covers = {
        c: frozenset(i for i, text in enumerate(joined) if c in text)
        for c in {r for rs in runs for r in rs}
    }
    left = set(range(len(runs)))
    chosen: list[str] = []
    while left:
        candidates = {r for i in left for r in runs[i]}

        def score(c: str, left: set[int] = left) -> tuple[int, int, str]:
            return (len(covers[c] & left) * min(len(c), 6), len(c), c)

        best = max(candidates, key=score)
        chosen.append(best)
        left -= covers[best]
    return tuple(sorted(chosen))


_HEAD = r"(?<!\w)"


def _lead(source: str) -> str:
    """Move a leading look-behind after the first letter ("m(?<!\\wm)iracle"), so the regex
    engine only tries a branch where its first letter is."""
    first = source[len(_HEAD) : len(_HEAD) + 1]
    if source.startswith(_HEAD) and first.isalnum():
        return f"{first}(?<!\\w{first}){source[len(_HEAD) + 1 :]}"
    return source


@functools.lru_cache(maxsize=1024)
def _compile(phrases: tuple[str, ...], fold: bool = False) -> re.Pattern[str] | None:
    """One regex for phrases, matched in lowercased text (or case-insensitively, `fold`)."""
    sources = [_lead(phrase(p.lower())) for p in phrases if p.strip()]
    if not sources:
        return None
    return re.compile("|".join(sources), re.IGNORECASE if fold else 0)


@functools.lru_cache(maxsize=256)
def _compile_patterns(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_CUE_KEYS = (
    "negation_before",
    "pseudo_negation",
    "negation_after",
    "qualifier_before",
    "qualifier_after",
    "framing_before",
    "framing_after",
    "boundary_words",
    "comma_continues",
    "attribution_lead",
    "qualifier_lead",
)


@dataclass(frozen=True, eq=False)
class Cues:
    """A language's context cues: what negates, qualifies or frames a term, and ends a clause."""

    negation_before: tuple[str, ...] = ()
    pseudo_negation: tuple[str, ...] = ()  # "not only", "no doubt": look like negation, are not
    negation_after: tuple[str, ...] = ()
    qualifier_before: tuple[str, ...] = ()
    qualifier_after: tuple[str, ...] = ()
    framing_before: tuple[str, ...] = ()
    framing_after: tuple[str, ...] = ()
    boundary_words: tuple[str, ...] = ()
    comma_continues: tuple[str, ...] = ()  # a comma before these does not end the clause
    attribution_lead: tuple[str, ...] = ()  # a sentence starting so is reported ("According to…,")
    qualifier_lead: tuple[str, ...] = ()  # a sentence starting so is qualified ("If …, it is…")
    window_before: int = 8
    window_after: int = 8
    _compiled: dict[str, re.Pattern[str] | None] = field(
        init=False, repr=False, default_factory=dict
    )
    #: The rules of the language (set when its table is read): their claims scope negation.
    members: list[Rule] = field(init=False, repr=False, default_factory=list)

    @functools.cached_property
    def boundary(self) -> re.Pattern[str]:
        """Where a clause ends: punctuation, a dash, a comma, a word like "but" (lowercase)."""
        comma = ","
        if self.comma_continues:
            words = "|".join(re.escape(w.lower()) for w in self.comma_continues)
            comma = rf",(?!\s*(?:{words})(?!\w))"
        words = "|".join(_lead(phrase(w.lower())) for w in self.boundary_words)
        return re.compile(rf"[.;:!?()\[\]{{}}—–\n]|\s-\s|{comma}" + (f"|{words}" if words else ""))

    def compiled(self, key: str) -> re.Pattern[str] | None:
        """The one regex of a cue list, compiled on first use (only languages in use pay)."""
        if key not in self._compiled:
            self._compiled[key] = _compile(cast(tuple[str, ...], getattr(self, key)))
        return self._compiled[key]


NO_CUES = Cues()


@dataclass(frozen=True, eq=False)
class Rule:
    """One language rule: terms (phrases) or patterns (regexes) an editor should look at."""

    id: str
    message: str
    fix: str
    level: Level = "warning"
    terms: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    #: Lowercase strings, one of which is in any text a pattern can match (skips the regex).
    triggers: tuple[str, ...] = ()
    cues: Cues = NO_CUES
    unless_before: tuple[str, ...] = ()
    unless_after: tuple[str, ...] = ()
    #: False for hype that no qualifier softens ("I'm obsessed … when I wake up").
    qualifiable: bool = True

    @functools.cached_property
    def regex(self) -> re.Pattern[str] | None:
        """The terms, matched in lowercased text; compiled on first use, then kept."""
        return _compile(self.terms)

    @functools.cached_property
    def pattern(self) -> re.Pattern[str] | None:
        """The patterns, matched in any case; compiled on first use, then kept."""
        return _compile_patterns(self.patterns)

    @functools.cached_property
    def anchors(self) -> tuple[str, ...] | None:
        """Text a match contains: the terms' triggers and the patterns' (None: search it all)."""
        found = triggers_of(self.terms) if self.terms else ()
        if found is not None and self.patterns:  # a pattern without triggers: always run it
            found = tuple(sorted({*found, *(t.lower() for t in self.triggers)}))
            found = found if self.triggers else None
        return found


@dataclass(frozen=True)
class Hit:
    """A rule matched in a text: where (character offsets) and the words around it."""

    rule: Rule
    start: int
    end: int
    excerpt: str


@dataclass(frozen=True)
class RuleBook:
    """The rules of every language, by lowercase language tag ("en", "de", "de-ch")."""

    rules: Mapping[str, tuple[Rule, ...]]
    source: Path | None = None

    @property
    def languages(self) -> list[str]:
        """The language tags that have rules, sorted."""
        return sorted(self.rules)

    def for_language(self, tag: str) -> tuple[str, list[Rule]] | None:
        """The rules for a BCP 47 tag, falling back by subtags (de-CH → de); None: no rules."""
        parts = tag.replace("_", "-").lower().split("-")
        while parts:
            key = "-".join(parts)
            if key in self.rules:
                return key, list(self.rules[key])
            parts.pop()
        return None


# -- matching ---------------------------------------------------------------------------------
def lint(text: str, rules: list[Rule]) -> list[Hit]:
    """Every hit of `rules` in `text` the editor should look at, in text order."""
    return [hit for hit, why in explain(text, rules) if why is None]


def explain(text: str, rules: Iterable[Rule]) -> list[tuple[Hit, str | None]]:
    """Every match of `rules` in `text` with why it is not a hit (None: it is one)."""
    lowered = text.lower()
    rules = list(rules)
    spans = [(rule, start, end) for rule in rules for start, end in _spans(rule, text, lowered)]
    if not spans:
        return []
    protected = protected_spans(text)
    claims = [(start, end) for _, start, end in spans]
    asked = set(map(id, rules))
    family = {id(m): m for rule in rules for m in rule.cues.members if id(m) not in asked}
    claims += [span for member in family.values() for span in _spans(member, text, lowered)]
    found: list[tuple[Hit, str | None]] = []
    for rule, start, end in spans:
        why = (
            "not prose"
            if _overlaps(protected, start, end)
            else _context(rule, text, start, end, claims)
        )
        found.append((Hit(rule, start, end, _excerpt(text, start, end)), why))
    found.sort(key=lambda item: (item[0].start, item[0].end))
    return found


def _spans(rule: Rule, text: str, lowered: str) -> list[tuple[int, int]]:
    """Where `rule` matches `text` (`lowered` is its lowercase form), overlaps merged.

    Only the stretches around its triggers are searched: a match contains one of them.
    """
    anchors = rule.anchors
    if anchors is None:
        windows = [(0, len(text))]
    else:
        windows = _windows(lowered, anchors)
        if not windows:
            return []
    same = len(lowered) == len(text)  # lowercasing keeps offsets (not so for "İ")
    terms = rule.regex if same else _compile(rule.terms, fold=True)
    found: list[tuple[int, int]] = []
    for start, end in windows:
        if terms is not None:
            found += [m.span() for m in terms.finditer(lowered if same else text, start, end)]
        if rule.pattern is not None:
            found += [m.span() for m in rule.pattern.finditer(text, start, end)]
    return _merged(found)


_REACH = 120  # characters a match may extend on either side of its trigger


def _windows(lowered: str, anchors: tuple[str, ...]) -> list[tuple[int, int]]:
    """The stretches of `lowered` around each occurrence of an anchor, merged."""
    spans: list[tuple[int, int]] = []
    for anchor in anchors:
        at = lowered.find(anchor)
        while at >= 0:
            spans.append((max(0, at - _REACH), min(len(lowered), at + len(anchor) + _REACH)))
            at = lowered.find(anchor, at + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """One span for matches of a rule that overlap ("clinically proven" + "proven to reverse")."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if s[0] < s[1]):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _excerpt(text: str, start: int, end: int) -> str:
    return " ".join(text[max(0, start - _EXCERPT) : end + _EXCERPT].split())


def _context(
    rule: Rule, text: str, start: int, end: int, claims: list[tuple[int, int]]
) -> str | None:
    """Why the match is not the brief's own claim (negated, qualified, framed, asked), or None.

    Other claims before it are blanked first: the "no" of "no side effects and a miracle cure"
    belongs to its own claim and negates nothing else.
    """
    cues = rule.cues
    offset = max(0, start - 160)
    before = text[offset:start].lower()
    for s, e in claims:
        if s < start and e > offset:
            a, b = max(s, offset) - offset, min(e, start) - offset
            before = before[:a] + " " * (b - a) + before[b:]
    bounds = list(cues.boundary.finditer(before))
    clause = before[bounds[-1].end() :] if bounds else before
    window = " " + " ".join(clause.split()[-cues.window_before :]) + " "
    pseudo = cues.compiled("pseudo_negation")
    unpseudo = pseudo.sub(" ", window) if pseudo else window
    if _found(cues.compiled("negation_before"), unpseudo):
        return "negated"
    if _found(cues.compiled("framing_before"), window):
        return "framed"
    if rule.qualifiable and _found(cues.compiled("qualifier_before"), window):
        return "qualified"
    if rule.unless_before and _found(_compile(rule.unless_before), window):
        return "excepted"

    after = text[end : end + 200].lower()
    stop = cues.boundary.search(after)
    rest = after[: stop.start()] if stop else after
    window = " " + " ".join(rest.split()[: cues.window_after]) + " "
    follow = ""
    if stop and stop.group() == ",":  # "100% safe, according to…", "a miracle cure, fans say"
        tail = after[stop.end() :]
        again = cues.boundary.search(tail)
        follow = " " + " ".join((tail[: again.start()] if again else tail).split()[:4]) + " "
    if _found(cues.compiled("negation_after"), window + follow):
        return "negated"
    if _found(cues.compiled("framing_after"), window + follow):
        return "framed"
    if rule.qualifiable and _found(cues.compiled("qualifier_after"), window + follow):
        return "qualified"
    if rule.unless_after and _found(_compile(rule.unless_after), window):
        return "excepted"

    sentence = before[max((m.end() for m in _SENTENCE_END.finditer(before)), default=0) :]
    sentence = sentence.lstrip(" \t\"'“„«»‘‚¿¡(")
    for key, why in (("attribution_lead", "framed"), ("qualifier_lead", "qualified")):
        lead = cues.compiled(key)
        if lead is not None and lead.match(sentence) and (why == "framed" or rule.qualifiable):
            return why

    end_of_sentence = _SENTENCE_END.search(text, end, end + 400)
    if end_of_sentence and end_of_sentence.group() == "?":
        return "asked"
    opening = before.rfind("¿")
    if opening >= 0 and not _SENTENCE_END.search(before, opening):
        return "asked"
    return None


def _found(pattern: re.Pattern[str] | None, text: str) -> bool:
    return pattern is not None and pattern.search(text) is not None


# -- loading ----------------------------------------------------------------------------------
_RULE_KEYS = {
    "id",
    "message",
    "fix",
    "level",
    "terms",
    "patterns",
    "pattern",
    "triggers",
    "unless_before",
    "unless_after",
    "qualifiable",
    "window",
}
_TAG = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_FORMAT = (
    "see docs/language-rules.md: a table per language ([en], [de-CH]) with [[<lang>.rule]] "
    "entries (id, message, fix, terms or patterns) and an optional [<lang>.cues] table"
)


def load_rules(path: Path | None = None) -> RuleBook:
    """The built-in rules, or those of a user TOML file (settings `lint_rules`).

    A user file replaces the built-in rules, unless it says `extend = true`: then its languages
    are added and its rules replace built-in rules of the same id.
    """
    builtin, builtin_cues = _builtin()
    if path is None:
        return builtin
    data = _read(path)
    extend = data.pop("extend", False)
    if not isinstance(extend, bool):
        raise ConfigError(f"{path}: 'extend' must be true or false", hint=_FORMAT)
    tables: dict[str, object] = {}
    if "rule" in data:  # the first format: one list of English rules
        tables["en"] = {"rule": data.pop("rule")}
    for key, value in data.items():
        if not _TAG.match(key.lower()) or not isinstance(value, dict):
            raise ConfigError(
                f"{path}: '{key}' is not a language table (like [en] or [de-CH])", hint=_FORMAT
            )
        tables[key.lower()] = value
    book = dict(builtin.rules) if extend else {}
    for lang, table in tables.items():
        cues = next((builtin_cues[t] for t in (lang, *_parents(lang)) if t in builtin_cues), {})
        rules = _language(lang, table, path, cues)
        if extend and lang in book:
            ids = {r.id for r in rules}
            rules = [r for r in book[lang] if r.id not in ids] + rules
        book[lang] = tuple(rules)
    for lang in sorted(book, key=len):  # regional rules add to their language's ("de-ch" + "de")
        parent = next((p for p in _parents(lang) if p in book), None)
        if parent is not None:
            ids = {r.id for r in book[lang]}
            book[lang] = tuple(r for r in book[parent] if r.id not in ids) + book[lang]
    return RuleBook(book, path)


def _parents(tag: str) -> list[str]:
    """The parent tags, longest first: zh-hant-tw → zh-hant, zh."""
    parts = tag.split("-")
    return ["-".join(parts[:n]) for n in range(len(parts) - 1, 0, -1)]


def _read(path: Path) -> dict[str, object]:
    """A rule file's tables. tomllib is pure Python: the four built-in files took ~10 ms to
    parse on every start, so what a file's bytes parse to is kept (`diskcache.memo`)."""
    try:
        data = path.read_bytes()
        return memo("rules", (data,), lambda: _parse(data))
    except (OSError, ValueError) as exc:  # ValueError: TOMLDecodeError, UnicodeDecodeError
        raise ConfigError(
            f"cannot read language rules {path}: {exc}", hint="fix the file or unset lint_rules"
        ) from None


def _parse(data: bytes) -> dict[str, object]:
    """The tables of a rule file's bytes, read as `Path.read_text` reads (universal newlines)."""
    import tomllib

    return tomllib.loads(data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n"))


@functools.cache
def _builtin() -> tuple[RuleBook, dict[str, dict[str, object]]]:
    """The built-in rule book, and each language's raw cues (a user file's defaults)."""
    book: dict[str, tuple[Rule, ...]] = {}
    cues: dict[str, dict[str, object]] = {}
    for file in sorted(BUILTIN_RULES.glob("*.toml")):
        data = _read(file)
        lang = file.stem.lower()
        cues[lang] = _table(f"{file}: cues", data.get("cues", {}))
        book[lang] = tuple(_language(lang, data, file, {}, trusted=True))
    return RuleBook(book, None), cues


def _language(
    lang: str,
    table: object,
    source: Path,
    inherited: Mapping[str, object],
    trusted: bool = False,
) -> list[Rule]:
    """The rules of one language table; its cues default to the built-in ones of the language.

    `trusted` (the built-in files) skips compiling each pattern to check it: every start
    loads every built-in language, and a test compiles their patterns instead."""
    where = f"{source}: [{lang}]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table", hint=_FORMAT)
    unknown = set(table) - {"cues", "rule", "language"}
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}", hint=_FORMAT)
    cues = _cues(where, {**inherited, **_table(where, table.get("cues", {}))})
    raw_rules = table.get("rule", [])
    if not isinstance(raw_rules, list):
        raise ConfigError(f"{where}: 'rule' must be an array of tables", hint=_FORMAT)
    rules: list[Rule] = []
    for index, raw in enumerate(raw_rules, start=1):
        rule = _rule(f"{where} rule #{index}", _table(f"{where} rule #{index}", raw), cues, trusted)
        if any(r.id == rule.id for r in rules):
            raise ConfigError(f"{where}: rule id '{rule.id}' is used twice", hint=_FORMAT)
        rules.append(rule)
    cues.members.extend(rules)
    return rules


def _table(where: str, value: object) -> dict[str, object]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table", hint=_FORMAT)
    return cast(dict[str, object], value)


def _strings(where: str, key: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of non-empty strings", hint=_FORMAT)
    return tuple(cast(list[str], value))


def _cues(where: str, raw: Mapping[str, object]) -> Cues:
    unknown = set(raw) - {*_CUE_KEYS, "window_before", "window_after"}
    if unknown:
        raise ConfigError(
            f"{where} cues: unknown key(s) {', '.join(sorted(unknown))}",
            hint="cue lists are " + ", ".join(_CUE_KEYS),
        )
    lists = {k: _strings(f"{where} cues", k, raw[k]) for k in _CUE_KEYS if k in raw}
    windows: dict[str, int] = {}
    for key in ("window_before", "window_after"):
        if key in raw:
            value = raw[key]
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 50:
                raise ConfigError(f"{where} cues: '{key}' must be a whole number 0..50")
            windows[key] = value
    return Cues(**lists, **windows)  # type: ignore[arg-type]


def _rule(where: str, raw: dict[str, object], cues: Cues, trusted: bool = False) -> Rule:
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise ConfigError(
            f"{where}: unknown key(s) {', '.join(sorted(unknown))}",
            hint="a rule has " + ", ".join(sorted(_RULE_KEYS - {"pattern", "window"})),
        )
    for key in ("id", "message"):
        if not isinstance(raw.get(key), str) or not str(raw[key]).strip():
            raise ConfigError(f"{where}: '{key}' is required (a string)", hint=_FORMAT)
    rule_id = str(raw["id"])
    where = f"{where} '{rule_id}'"
    if not _ID.match(rule_id):
        raise ConfigError(f"{where}: an id is lowercase letters, digits and hyphens")
    level = raw.get("level", "warning")
    if level not in LEVELS:
        raise ConfigError(f"{where}: 'level' must be one of {', '.join(LEVELS)}")
    fix = raw.get("fix", "")
    qualifiable = raw.get("qualifiable", True)
    if not isinstance(fix, str) or not isinstance(qualifiable, bool):
        raise ConfigError(f"{where}: 'fix' is a string and 'qualifiable' true or false")
    lists = {
        key: _strings(where, key, raw[key])
        for key in ("terms", "patterns", "triggers", "unless_before", "unless_after")
        if key in raw
    }
    if "pattern" in raw:
        lists["patterns"] = lists.get("patterns", ()) + _strings(where, "pattern", raw["pattern"])
    if not lists.get("terms") and not lists.get("patterns"):
        raise ConfigError(f"{where}: give 'terms' (phrases) or 'patterns' (regexes)", hint=_FORMAT)
    for pattern in () if trusted else lists.get("patterns", ()):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(
                f"{where}: pattern {pattern!r} is not a valid regular expression: {exc}"
            ) from None
    return Rule(
        id=rule_id,
        message=str(raw["message"]),
        fix=fix,
        level=level,
        cues=cues,
        qualifiable=qualifiable,
        **lists,
    )
