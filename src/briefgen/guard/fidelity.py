"""Quote and figure fidelity: is a quote verbatim in its source, does a stat value appear in it.

Matching happens on :func:`normalise`-d text.  Inside a quote, ``…``/``...``/``. . .`` and
``[...]``/``[…]`` are omissions (up to 2,000 source characters between the parts) and
``[bracketed text]`` is an editorial insertion that stands for the literal bracketed text or
for up to 80 source characters (or the bracket's own length, if longer), including none.
A quote may read more than one way (brackets around an ellipsis can be the source's own, cut
by an omission; a quote of nothing but brackets can only be the source's own text): it is
found when any reading is.
Everything works without backtracking regexes and with a bounded amount of work, so hostile
quotes and sources cannot stall the guard.
"""

from __future__ import annotations

import bisect
import contextlib
import heapq
import re
import string
import unicodedata
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cached_property, lru_cache
from itertools import accumulate

__all__ = ["QuoteMatch", "contains_value", "match_quote", "normalise"]

# Characters folded by normalise(): single quotes/primes/backtick-likes, double quotes, dashes.
_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u2035\u0060\u00b4\u02bc\u2039\u203a\uff07"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb\uff02"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_FOLD = str.maketrans(
    {
        **dict.fromkeys(_SINGLE_QUOTES, "'"),
        **dict.fromkeys(_DOUBLE_QUOTES, '"'),
        **dict.fromkeys(_DASHES, "-"),
    }
)
_WHITESPACE = re.compile(r"\s+")

_OMISSION_MAX_CHARS = 2000  # source characters an omission may skip
_INSERTION_MAX_CHARS = 80  # source characters an insertion may replace (or the bracket's length)
_CLOSEST_MAX_CHARS = 300
_WINDOW_MAX_WORDS = 200
_CANDIDATE_WINDOWS = 25
_MAX_HITS = 50_000
_REFINE_WORDS = 3
_DEPTH_FIRST_BUDGET = 30_000  # find() calls before switching to the sweep
_SEARCH_BUDGET = 200_000
_ANCHOR_MAX = 5_000  # most occurrences of the rarest piece used to narrow the search
_VALUE_MAX_CHARS = 256

_ELLIPSIS = r"(?:…+|\.(?: ?\.){2,})"
_OMISSION = rf"(?:\[ ?{_ELLIPSIS} ?\]|{_ELLIPSIS})"
# The ways a quote is read, in order.  First, an ellipsis always omits, so "[in … face]" is two
# pieces of the source's own brackets (the fixed-width look-ahead keeps this linear).
_QUOTE_TOKEN = re.compile(rf"(?P<omit>{_OMISSION})|(?P<insert>\[(?:(?!…|\. ?\. ?\.)[^\[\]])*\])")
# Then an insertion may hold an ellipsis ("[he … said]").
_LOOSE_TOKEN = re.compile(rf"(?P<omit>{_OMISSION})|(?P<insert>\[[^\[\]]*\])")
# Last, brackets stand only for themselves: a quote of nothing but "[insertions]" needs this.
_OMISSION_TOKEN = re.compile(rf"(?P<omit>{_OMISSION})|(?P<insert>(?!))")
_READINGS = (_QUOTE_TOKEN, _LOOSE_TOKEN, _OMISSION_TOKEN)
_LEADING_JUNK = re.compile(rf"(?:[ \"]|{_OMISSION})*")
# Matched against the reversed quote: spaces, quotes, . , ; : … and "[...]" at its end.
_TRAILING_JUNK_REVERSED = re.compile(rf"(?:[ \".,;:…]|\] ?{_ELLIPSIS} ?\[)*")
_DROP_PUNCT = str.maketrans("", "", string.punctuation + "…¡¿")


@dataclass(frozen=True)
class QuoteMatch:
    """Outcome of :func:`match_quote`.

    ``closest`` is the matched passage of the original source when ``found``; otherwise the
    original-text passage most similar to the quote (trimmed, at most ~300 chars), or ``""`` for
    an empty source.  ``score`` is its similarity to the quote in 0..1 (1.0 when found).
    """

    found: bool
    closest: str
    score: float


def normalise(text: str) -> str:
    """NFC; fold curly quotes, primes and dashes to ASCII; collapse whitespace runs; strip."""
    folded = unicodedata.normalize("NFC", text).translate(_FOLD)
    return _WHITESPACE.sub(" ", folded).strip()


# --------------------------------------------------------------------------- source index


class _Index:
    """A source normalised word by word; original word offsets are worked out on demand."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._original_words = source.split()  # same whitespace as the \s of normalise()
        # NFC never composes across whitespace, so normalising word by word equals normalise().
        if unicodedata.is_normalized("NFC", source):
            self.words = source.translate(_FOLD).split()
        else:
            self.words = [
                unicodedata.normalize("NFC", w).translate(_FOLD) for w in self._original_words
            ]
        self.text = " ".join(self.words)

    @cached_property
    def keys(self) -> list[str]:
        """Per word: lower-cased, punctuation removed (may be empty)."""
        return [] if not self.text else _key(self.text).split(" ")

    @cached_property
    def norm_starts(self) -> list[int]:
        """Offset of each word in ``text``."""
        return list(accumulate((len(w) + 1 for w in self.words[:-1]), initial=0))

    @cached_property
    def orig_starts(self) -> list[int]:
        """Offset of each word in the original source."""
        runs = _WHITESPACE.findall(self.source)
        leading = len(runs.pop(0)) if self.source[:1].isspace() else 0
        steps = (len(w) + len(r) for w, r in zip(self._original_words, runs, strict=False))
        return list(accumulate(steps, initial=leading))[: len(self.words)]

    def orig_end(self, word: int) -> int:
        """End offset of a word in the original source."""
        return self.orig_starts[word] + len(self._original_words[word])

    def to_original(self, pos: int, *, end: bool) -> int:
        """Map a start (or exclusive end) offset in ``text`` to the original source."""
        word = max(0, bisect.bisect_right(self.norm_starts, pos - 1 if end else pos) - 1)
        offset = pos - self.norm_starts[word]
        norm_len = len(self.words[word])
        start, stop = self.orig_starts[word], self.orig_end(word)
        if offset >= norm_len:
            return stop
        if norm_len == stop - start:
            return start + offset
        return start + round(offset * (stop - start) / norm_len)


def _key(text: str) -> str:
    return text.lower().translate(_DROP_PUNCT)


@lru_cache(maxsize=4)
def _index(source: str) -> _Index:
    return _Index(source)


# --------------------------------------------------------------------------- quote pattern


@dataclass(frozen=True)
class _Gap:
    max_len: int
    left_boundary: bool  # the piece before must end on a word boundary
    right_boundary: bool  # the piece after must start on a word boundary


@dataclass(frozen=True)
class _Pattern:
    pieces: tuple[str, ...]
    gaps: tuple[_Gap, ...]
    start_boundary: bool
    end_boundary: bool
    lead: str = ""  # a leading [insertion] (with its space), shown in the passage if literal
    trail: str = ""  # likewise for a trailing [insertion]


def _strip_outer(quote: str) -> str:
    """Drop surrounding quotation marks, leading/trailing ellipses and trailing ``. , ; :``."""
    for _ in range(4):
        previous = quote
        lead = _LEADING_JUNK.match(quote)
        quote = quote[lead.end() if lead else 0 :]
        tail = _TRAILING_JUNK_REVERSED.match(quote[::-1])
        quote = quote[: len(quote) - (tail.end() if tail else 0)]
        if len(quote) >= 2 and quote[0] == quote[-1] == "'":
            quote = quote[1:-1]
        if quote == previous:
            break
    return quote


def _parse(quote: str, tokens_re: re.Pattern[str] = _QUOTE_TOKEN) -> tuple[_Pattern | None, str]:
    """Split a quote into literal pieces and gaps; also return its plain wording."""
    text = _strip_outer(normalise(quote))
    core = _WHITESPACE.sub(" ", tokens_re.sub(lambda m: m.group("insert") or " ", text))
    pieces: list[str] = []
    gaps: list[_Gap] = []
    start_boundary = end_boundary = True
    gap_open = gap_omits = gap_left = space_after_piece = False
    gap_len = position = last_end = 0
    lead = ""
    tokens = [*tokens_re.finditer(text), None]
    for token in tokens:
        literal = text[position : token.start() if token else len(text)]
        core_literal = literal.strip(" ")
        if core_literal:
            space_before = literal.startswith(" ")
            if gap_open:
                right = space_before and not gap_omits
                if pieces:
                    gaps.append(_Gap(gap_len + 2, gap_left and not gap_omits, right))
                else:
                    start_boundary = right
                    lead = (
                        "" if gap_omits else text[: position + len(literal) - len(literal.lstrip())]
                    )
                gap_open = False
            pieces.append(core_literal)
            space_after_piece = literal.endswith(" ")
            last_end = position + len(literal.rstrip())
        elif gap_open:
            gap_len += len(literal)
        if token is None:
            break
        if not gap_open:
            gap_open, gap_omits, gap_len = True, False, 0
            gap_left = bool(pieces) and space_after_piece
        if token.group("omit"):
            gap_omits = True
            gap_len += _OMISSION_MAX_CHARS
        else:
            gap_len += max(_INSERTION_MAX_CHARS, len(token.group()))
        position = token.end()
    trail = ""
    if gap_open and pieces:
        end_boundary = gap_left and not gap_omits
        trail = "" if gap_omits else text[last_end:]
    if not pieces:
        return None, core.strip()
    pattern = _Pattern(tuple(pieces), tuple(gaps), start_boundary, end_boundary, lead, trail)
    return pattern, core.strip()


def _widen(text: str, start: int, end: int, pattern: _Pattern) -> tuple[int, int]:
    """Extend a match over leading/trailing insertions found literally, or over a split word."""
    if pattern.lead and text.startswith(pattern.lead, start - len(pattern.lead)):
        start -= len(pattern.lead)
    elif pattern.lead and not pattern.start_boundary:
        stop = max(0, start - _INSERTION_MAX_CHARS)
        while start > stop and text[start - 1].isalnum():
            start -= 1
    if pattern.trail and text.startswith(pattern.trail, end):
        end += len(pattern.trail)
    elif pattern.trail and not pattern.end_boundary:
        stop = min(len(text), end + _INSERTION_MAX_CHARS)
        while end < stop and text[end].isalnum():
            end += 1
    return start, end


def _is_boundary(text: str, pos: int) -> bool:
    return pos <= 0 or pos >= len(text) or not (text[pos - 1].isalnum() and text[pos].isalnum())


class _BudgetExceeded(Exception):
    """The search did too much work; the quote is reported as not found."""


class _Search:
    """Ordered search for a quote's pieces with bounded gaps, in time roughly linear in the text.

    ``allowed[i]`` holds sorted, disjoint inclusive ranges of start offsets at which piece ``i``
    can be placed with every earlier piece placed validly.  Each range set is built from the
    previous one by sweeping the valid occurrences of a piece once, so repeated or overlapping
    pieces never cause exponential (or quadratic) backtracking.
    """

    def __init__(self, text: str, pattern: _Pattern) -> None:
        self.text = text
        self.pattern = pattern
        self.budget = 0

    def _valid(self, i: int, start: int) -> bool:
        """Word-boundary requirements at both ends of piece ``i`` placed at ``start``."""
        pattern, text = self.pattern, self.text
        last = len(pattern.pieces) - 1
        need_start = pattern.start_boundary if i == 0 else pattern.gaps[i - 1].right_boundary
        need_end = pattern.end_boundary if i == last else pattern.gaps[i].left_boundary
        if need_start and not _is_boundary(text, start):
            return False
        return not need_end or _is_boundary(text, start + len(pattern.pieces[i]))

    def _spend(self) -> None:
        self.budget -= 1
        if self.budget < 0:
            raise _BudgetExceeded

    def find(self, i: int, lo: int, hi: int) -> int:
        """First valid start of piece ``i`` in ``[lo, hi]``, or -1."""
        piece = self.pattern.pieces[i]
        while lo <= hi:
            self._spend()
            at = self.text.find(piece, lo, hi + len(piece))
            if at < 0 or self._valid(i, at):
                return at
            lo = at + 1
        return -1

    def rfind(self, i: int, lo: int, hi: int) -> int:
        """Last valid start of piece ``i`` in ``[lo, hi]``, or -1."""
        piece = self.pattern.pieces[i]
        while lo <= hi:
            self._spend()
            at = self.text.rfind(piece, lo, hi + len(piece))
            if at < 0 or self._valid(i, at):
                return at
            hi = at - 1
        return -1

    def _advance(self, i: int, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Allowed starts of piece ``i + 1`` given the allowed starts of piece ``i``."""
        length, reach = len(self.pattern.pieces[i]), self.pattern.gaps[i].max_len
        out: list[tuple[int, int]] = []
        for lo, hi in ranges:
            pos = lo
            while pos <= hi:
                at = self.find(i, pos, hi)
                if at < 0:
                    break
                cover_lo, cover_hi, scanned = at + length, at + length + reach, at
                while True:  # extend the window with the last occurrence it reaches
                    bound = min(hi, cover_hi + 1 - length)
                    if bound <= scanned:
                        break
                    further = self.rfind(i, scanned + 1, bound)
                    scanned = bound
                    if further < 0:
                        break
                    cover_hi = further + length + reach
                if out and cover_lo <= out[-1][1] + 1:
                    out[-1] = (out[-1][0], max(out[-1][1], cover_hi))
                else:
                    out.append((cover_lo, cover_hi))
                pos = scanned + 1
        return out

    def run(self) -> tuple[int, int] | None:
        """Span ``(start, end)`` of a match in ``text``, or None (also when out of budget)."""
        counts = {piece: self.text.count(piece) for piece in set(self.pattern.pieces)}
        if not all(counts.values()):
            return None
        single = len(self.pattern.pieces) == 1
        starts = [(0, len(self.text) - len(self.pattern.pieces[0]))]
        if not single:
            self.budget = _ANCHOR_MAX
            with contextlib.suppress(_BudgetExceeded):  # too many anchors: search everywhere
                starts = self._anchored_starts(counts)
        self.budget = _SEARCH_BUDGET if single else _DEPTH_FIRST_BUDGET
        try:  # depth-first is quickest when matches are easy to confirm or rule out ...
            return self._depth_first(starts)
        except _BudgetExceeded:
            if single:
                return None
        self.budget = _SEARCH_BUDGET
        try:  # ... the sweep bounds the work when they are not
            return self._sweep(starts)
        except _BudgetExceeded:
            return None

    def _anchored_starts(self, counts: dict[str, int]) -> list[tuple[int, int]]:
        """Ranges where piece 0 may start, judged from each occurrence of the rarest piece."""
        pieces, gaps = self.pattern.pieces, self.pattern.gaps
        rare = min(range(len(pieces)), key=lambda i: counts[pieces[i]])
        if counts[pieces[rare]] > _ANCHOR_MAX:
            raise _BudgetExceeded
        most = sum(len(pieces[j]) + gaps[j].max_len for j in range(rare))
        least = sum(len(pieces[j]) for j in range(rare))
        ranges: list[tuple[int, int]] = []
        at = self.find(rare, 0, len(self.text) - len(pieces[rare]))
        while at >= 0:
            lo, hi = max(0, at - most), at - least
            if ranges and lo <= ranges[-1][1] + 1:
                ranges[-1] = (ranges[-1][0], hi)
            elif hi >= lo:
                ranges.append((lo, hi))
            at = self.find(rare, at + 1, len(self.text) - len(pieces[rare]))
        return ranges

    def _depth_first(self, starts: list[tuple[int, int]]) -> tuple[int, int] | None:
        """Greedy depth-first placement, remembering placements that lead nowhere."""
        failed: set[tuple[int, int]] = set()
        for lo, hi in starts:
            first = self.find(0, lo, hi)
            while first >= 0:
                found = self._place_from(first, failed)
                if found is not None:
                    return first, found
                first = self.find(0, first + 1, hi)
        return None

    def _place_from(self, first: int, failed: set[tuple[int, int]]) -> int | None:
        """End of a full placement with piece 0 at ``first``, or None."""
        pieces, gaps = self.pattern.pieces, self.pattern.gaps
        last = len(pieces) - 1
        stack = [[0, first, first + len(pieces[0])]]  # piece, start, search cursor
        while stack:
            frame = stack[-1]
            i, start, cursor = frame
            end = start + len(pieces[i])
            if i == last:
                return end
            nxt = self.find(i + 1, cursor, end + gaps[i].max_len)
            if nxt < 0:
                failed.add((i, start))
                stack.pop()
                continue
            frame[2] = nxt + 1
            if (i + 1, nxt) not in failed:
                stack.append([i + 1, nxt, nxt + len(pieces[i + 1])])
        return None

    def _sweep(self, starts: list[tuple[int, int]]) -> tuple[int, int] | None:
        """Forward sweep of allowed ranges, then walk back to recover one placement."""
        pieces, gaps = self.pattern.pieces, self.pattern.gaps
        allowed = [starts]
        for i in range(len(pieces) - 1):
            allowed.append(self._advance(i, allowed[i]))
        last = len(pieces) - 1
        at = -1
        for lo, hi in allowed[last]:
            at = self.find(last, lo, hi)
            if at >= 0:
                break
        if at < 0:
            return None
        end = at + len(pieces[last])
        for i in range(last - 1, -1, -1):  # walk back choosing the latest valid placement
            lo = at - len(pieces[i]) - gaps[i].max_len
            hi = at - len(pieces[i])
            ranges = allowed[i]
            k = bisect.bisect_right(ranges, (hi + 1, -1))  # ranges starting at or before hi
            found = -1
            while found < 0 and k > 0:
                k -= 1
                r_lo, r_hi = ranges[k]
                if r_hi < lo:
                    break
                found = self.rfind(i, max(lo, r_lo), min(hi, r_hi))
            if found < 0:  # cannot happen: every allowed start has a predecessor
                return None
            at = found
        return at, end


# --------------------------------------------------------------------------- closest passage


def _candidate_starts(keys: list[str], quote_keys: list[str], width: int) -> list[int]:
    """Window starts sharing the most words with the quote (windows start on a shared word).

    Quote words so common in the source that they would make the scan slow are ignored,
    rarest first kept, and at most ``_MAX_HITS`` occurrences are scanned.
    """
    need = Counter(k for k in quote_keys if k)
    hits = [i for i, k in enumerate(keys) if k in need]
    if len(hits) > _MAX_HITS:
        frequency = Counter(keys[i] for i in hits)
        kept: dict[str, int] = {}
        total = 0
        for word, count in sorted(frequency.items(), key=lambda item: item[1]):
            total += count
            if kept and total > _MAX_HITS:
                break
            kept[word] = need[word]
        need = Counter(kept)
        hits = [i for i in hits if keys[i] in need][:_MAX_HITS]
    if not hits:
        return [0]
    counts: dict[str, int] = dict.fromkeys(need, 0)
    shared = hi = 0
    scored: list[tuple[int, int]] = []
    for lo, start in enumerate(hits):
        if lo:
            gone = keys[hits[lo - 1]]
            counts[gone] -= 1
            if counts[gone] < need[gone]:
                shared -= 1
        while hi < len(hits) and hits[hi] < start + width:
            added = keys[hits[hi]]
            if counts[added] < need[added]:
                shared += 1
            counts[added] += 1
            hi += 1
        scored.append((shared, -start))
    top = heapq.nlargest(_CANDIDATE_WINDOWS, scored)
    return list(dict.fromkeys(min(-neg, len(keys) - width) for _, neg in top))


def _closest(index: _Index, core: str) -> tuple[str, float]:
    """Most similar word window of the source to the quote's wording, and its score."""
    keys = index.keys
    quote_keys = _key(core).split(" ")[:_WINDOW_MAX_WORDS]
    width = min(len(quote_keys), len(keys))
    starts = [0] if width == len(keys) else _candidate_starts(keys, quote_keys, width)
    matcher: SequenceMatcher[str] = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(quote_keys)

    def similarity(a: int, b: int) -> float:
        matcher.set_seq1(keys[a:b])
        return matcher.ratio()

    best = max(starts, key=lambda a: similarity(a, a + width))
    lo, hi, best_ratio = best, best + width, similarity(best, best + width)
    for a in range(max(0, best - _REFINE_WORDS), best + _REFINE_WORDS + 1):
        b_from = max(a + 1, best + width - _REFINE_WORDS)
        for b in range(b_from, min(len(keys), best + width + _REFINE_WORDS) + 1):
            ratio = similarity(a, b)
            if ratio > best_ratio:
                lo, hi, best_ratio = a, b, ratio
    origin = index.orig_starts[lo]
    stop = index.orig_end(lo)
    for w in range(lo + 1, hi):
        if index.orig_end(w) - origin > _CLOSEST_MAX_CHARS:
            break
        stop = index.orig_end(w)
    passage = index.source[origin : min(stop, origin + _CLOSEST_MAX_CHARS)].strip()
    score = SequenceMatcher(
        None, core[: 2 * _CLOSEST_MAX_CHARS], normalise(passage), autojunk=False
    ).ratio()
    return passage, score


def match_quote(quote: str, source_text: str) -> QuoteMatch:
    """Check that ``quote`` appears verbatim (after :func:`normalise`) in ``source_text``.

    Case-sensitive.  Quotation marks around the whole quote, leading/trailing ellipses and a
    trailing ``. , ; :`` are ignored.  The quote must start and end on word boundaries of the
    source (``"is a thing"`` is not in ``"this a thing"``), as must words next to a spaced
    ``[insertion]``; omissions may cut anywhere.  The search is work-bounded: if an
    adversarial input exhausts the budget the quote is reported as not found.
    """
    index = _index(source_text)
    if not index.text:
        return QuoteMatch(found=False, closest="", score=0.0)
    core = ""
    tried: list[_Pattern] = []
    for reading in _READINGS if "[" in quote else _READINGS[:1]:  # the others differ at "["
        pattern, wording = _parse(quote, reading)
        core = core or wording
        if pattern is None or pattern in tried:
            continue
        tried.append(pattern)
        span = _Search(index.text, pattern).run()
        if span is not None:
            first, last = _widen(index.text, *span, pattern)
            start = index.to_original(first, end=False)
            stop = index.to_original(last, end=True)
            return QuoteMatch(found=True, closest=source_text[start:stop].strip(), score=1.0)
    if not core:
        return QuoteMatch(found=False, closest="", score=0.0)
    passage, score = _closest(index, core)
    return QuoteMatch(found=False, closest=passage, score=score)


# --------------------------------------------------------------------------- stat values

_VALUE_TOKEN = re.compile(
    r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)"
    r"|(?P<pct> ?(?:%|per ?cent\b|per-cent\b|pct\b|pc\b))"
    r"|(?P<ws> )"
    r"|(?P<other>.)",
    re.IGNORECASE | re.DOTALL,
)
_PERCENT = r"(?:[ -]?%|[ -]?(?:per ?cent|per-cent|pct|pc)(?!\w))"


def _number_pattern(number: str) -> str:
    """Digits with optional thousands separators, e.g. ``4300`` -> ``4,?300``."""
    integer, _, decimals = number.partition(".")
    digits = integer.replace(",", "")
    head = len(digits) % 3 or 3
    groups = [digits[:head], *(digits[i : i + 3] for i in range(head, len(digits), 3))]
    return ",?".join(groups) + (r"\." + decimals if decimals else "")


def contains_value(value: str, source_text: str) -> bool:
    """Whether a stat value such as ``4.3 billion`` or ``58%`` appears in the source.

    Both sides are normalised; letters compare case-insensitively; ``%``, ``percent``,
    ``per cent``, ``pct`` and ``pc`` are interchangeable; thousands commas are optional; a
    space may be a hyphen; numbers must not continue into digits (``58%`` is not in ``158%``).
    """
    wanted, text = normalise(value), normalise(source_text)
    if not wanted:
        return False
    if len(wanted) > _VALUE_MAX_CHARS:
        return wanted in text
    tokens = list(_VALUE_TOKEN.finditer(wanted))
    parts: list[str] = []
    for token in tokens:
        kind = token.lastgroup
        if kind == "num":
            parts.append(_number_pattern(token.group()))
        elif kind == "pct":
            parts.append(_PERCENT)
        elif kind == "ws":
            parts.append("[ -]")
        else:
            parts.append(re.escape(token.group()))
    prefix = suffix = ""
    if wanted[0].isalnum():
        prefix = r"(?<!\w)"
        if tokens[0].lastgroup == "num":
            prefix += r"(?<!\d[.,])"
    if wanted[-1].isalnum():
        suffix = r"(?!\w)"
        if tokens[-1].lastgroup == "num":
            suffix += r"(?![.,]\d)"
    pattern = re.compile(prefix + "".join(parts) + suffix, re.IGNORECASE)
    return pattern.search(text) is not None
