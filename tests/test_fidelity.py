"""Tests for briefgen.guard.fidelity: verbatim quote matching and stat-value lookup.

The properties with the most examples run a share of them locally; their `..._thoroughly`
twins, marked slow (CI runs them), run the full count. The hostile quotes against 1 MB
sources are slow too, and a local run keeps four of the nine adversarial 1 MB inputs.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from briefgen.guard import fidelity
from briefgen.guard.fidelity import QuoteMatch, contains_value, match_quote, normalise

SOURCES = Path(__file__).parent.parent / "seeds/baby-botox/sources"
HEALTHLINE = (SOURCES / "healthline.txt").read_text(encoding="utf-8")
MMM = (SOURCES / "mmm-online.txt").read_text(encoding="utf-8")
SEEDS = {"healthline": HEALTHLINE, "mmm": MMM}
# The properties draw from the real-story sources too (six languages), not only the seed's.
REAL = Path(__file__).parent / "fixtures/real"
CORPUS = {
    **SEEDS,
    **{
        f"{path.parent.parent.name}/{path.stem}": path.read_text(encoding="utf-8")
        for path in sorted(REAL.glob("*/sources/*.txt"))
    },
}

# --------------------------------------------------------------------------- normalise


def test_normalise_folds_quotes_dashes_and_whitespace() -> None:
    raw = (
        "  \u201cIt\u2019s\u00a0a \u2018test\u2019 \u2013 ok\u2014yes \u2212 "
        "\u00abno\u00bb\n\tdone\u201d  "
    )
    assert normalise(raw) == '"It\'s a \'test\' - ok-yes - "no" done"'


def test_normalise_applies_nfc_and_keeps_case() -> None:
    assert normalise("Cafe\u0301") == "Caf\u00e9"
    assert normalise("Botox") != normalise("botox")


# --------------------------------------------------------------------------- found verbatim


@pytest.mark.parametrize(
    ("source", "quote"),
    [
        (
            "healthline",
            "you may not see any benefits from Botox because you've built up a tolerance",
        ),
        (
            "healthline",
            "If you increase your frequency of use and dosings, "
            "it can cause the muscles to atrophy",
        ),
        ("mmm", "it's essentially designed to prevent them from getting resting lines over time"),
        ("mmm", "your duration will be significantly less"),
        (
            "mmm",
            "While this may allow you to have a little more animation [in your face], you also "
            "have to understand that with this type of treatment, your duration will be "
            "significantly less",
        ),
        ("mmm", "I think it's so messed up that [Baby Botox] is a thing now"),
        (
            "mmm",
            "We've always prioritized youth as a society… but in the last few years it's "
            "[gotten worse]",
        ),
    ],
)
def test_seed_quotes_are_found(source: str, quote: str) -> None:
    result = match_quote(quote, SEEDS[source])
    assert result == QuoteMatch(found=True, closest=result.closest, score=1.0)
    assert result.closest in SEEDS[source]


def test_found_passage_is_original_text() -> None:
    result = match_quote(
        "you may not see any benefits from Botox because you've built up a tolerance", HEALTHLINE
    )
    assert result.closest == (
        "you may not see any benefits from Botox because you\u2019ve built up a tolerance"
    )


def test_source_brackets_are_kept_in_found_passage() -> None:
    result = match_quote(
        "We've always prioritized youth as a society… but in the last few years it's "
        "[gotten worse]",
        MMM,
    )
    assert result.found
    assert result.closest.endswith("it\u2019s [gotten worse]")


@pytest.mark.parametrize(
    "quote",
    [
        "\u201cyou may not see any benefits from Botox because you\u2019ve built up a "
        "tolerance,\u201d",
        '"you may not see any benefits from Botox"',
        "'you may not see any benefits from Botox'",
        "…you may not see any benefits from Botox...",
        "... you may not see any benefits from Botox because you've built up a tolerance.",
        "[…] you may not see any benefits",
        "you  may\nnot\tsee\u00a0any benefits",
    ],
)
def test_outer_quotes_ellipses_and_whitespace_are_ignored(quote: str) -> None:
    assert match_quote(quote, HEALTHLINE).found


@pytest.mark.parametrize(
    "quote",
    [
        "If you increase your frequency … the muscles to atrophy",
        "If you increase your frequency ... the muscles to atrophy",
        "If you increase your frequency . . . the muscles to atrophy",
        "If you increase your frequency [...] the muscles to atrophy",
        "If you increase your frequency […] the muscles to atrophy",
        "For me … it does have consequences",
    ],
)
def test_omissions_skip_source_text(quote: str) -> None:
    assert match_quote(quote, HEALTHLINE).found


@pytest.mark.parametrize(
    "quote",
    [
        "I think it's so messed up that [baby Botox] is a thing now",  # paraphrased insertion
        "I think it's so messed up that [the trend] is a thing now",
        "it can cause [her patients'] muscles to atrophy",  # insertion where the source has none
        "[T]hat can totally change the appearance",  # changed capital
        "[Baby Botox] is a thing now",
    ],
)
def test_bracketed_insertions_stand_for_other_wording(quote: str) -> None:
    source = HEALTHLINE if "atrophy" in quote or "appearance" in quote else MMM
    assert match_quote(quote, source).found


def test_leading_insertion_widens_passage_to_the_whole_word() -> None:
    assert match_quote("[T]hat can totally change", HEALTHLINE).closest.startswith("That can")


def test_literal_edge_brackets_are_part_of_the_passage() -> None:
    assert match_quote("[Baby Botox] is a thing now", MMM).closest == "[Baby Botox] is a thing now"
    assert match_quote("[Baby Botox] is a thing", MMM).found
    assert match_quote("messed up that [Baby Botox]", MMM).closest == (
        "messed up that [Baby Botox]"
    )


def test_a_quote_of_only_bracketed_text_must_be_in_the_source_as_written() -> None:
    # Found by Hypothesis in CI: the source's own "[in your face]," quoted on its own.
    assert match_quote("[in your face],", MMM) == QuoteMatch(True, "[in your face]", 1.0)
    assert match_quote("“[in your face]”", MMM).found
    # With nothing literal around it, an insertion cannot stand for other wording.
    assert not match_quote("[in your faces]", MMM).found
    assert not match_quote("[in your face] [...] [not in the source]", MMM).found


def test_an_omission_may_cut_through_the_sources_own_brackets() -> None:
    # Found by Hypothesis: "[in … expression]" is not one insertion but two cut brackets.
    quote = "animation [in … expression], I"
    result = match_quote(quote, MMM)
    assert result.found
    assert result.closest.startswith("animation [in your face]")
    assert result.closest.endswith("[making this facial expression], I")
    # An insertion that holds an ellipsis is still read as an insertion when that fits.
    assert match_quote("so messed up that [baby … Botox] is a thing now", MMM).found
    # Either way, the pieces must be in the source.
    assert not match_quote("animation [in … expressions], I", MMM).found


def test_matching_works_across_source_lines_and_maps_back() -> None:
    source = "Intro.\r\n\u201cSpread over\n   two\u00a0lines,\u201d she said."
    result = match_quote('"Spread over two lines"', source)
    assert result.found
    assert result.closest == "Spread over\n   two\u00a0lines"


def test_decomposed_source_maps_back_to_original_slice() -> None:
    source = "Le cafe\u0301 au lait est bon."
    result = match_quote("caf\u00e9 au lait", source)
    assert result.found
    assert result.closest == "cafe\u0301 au lait"


# --------------------------------------------------------------------------- not found


@pytest.mark.parametrize(
    ("quote", "source", "real"),
    [
        (
            "you will not see any benefits from Botox",
            HEALTHLINE,
            "you may not see any benefits from Botox",
        ),
        (
            "If you increase your frequency of use and dosage, it can cause the muscles to atrophy",
            HEALTHLINE,
            "frequency of use and dosings",
        ),
        (
            "it's essentially designed to stop them from getting resting lines over time",
            MMM,
            "designed to prevent them from getting resting lines",
        ),
    ],
)
def test_misquote_is_not_found_and_closest_shows_real_wording(
    quote: str, source: str, real: str
) -> None:
    result = match_quote(quote, source)
    assert not result.found
    assert real in normalise(result.closest)
    assert 0.8 < result.score < 1.0
    assert result.closest in source
    assert len(result.closest) <= 300


def test_closest_window_adapts_to_dropped_words() -> None:
    result = match_quote("it can cause muscles to atrophy", HEALTHLINE)
    assert not result.found
    # word-based window: the real wording plus at most its attached punctuation
    assert normalise(result.closest).startswith("it can cause the muscles to atrophy")
    assert len(result.closest) <= len("it can cause the muscles to atrophy") + 2


@pytest.mark.parametrize(
    "quote",
    [
        # omission parts in the wrong order
        "your duration will be significantly less … it's essentially designed to prevent them",
        "the muscles to atrophy … If you increase your frequency",
        # word added, case changed, punctuation changed, partial word
        "you may not see any real benefits from Botox",
        "You may not see any benefits from Botox",
        "you may not see any benefits from Botox, because you've built up a tolerance",
        "ou may not see any benefits",
        "you may not see any benefit",
        # an insertion stands for at most ~80 characters (83 are skipped here)
        "It's a nonmedical term [for it] The term is big on TikTok",
    ],
)
def test_altered_quotes_are_not_found(quote: str) -> None:
    assert not match_quote(quote, HEALTHLINE).found


def test_quote_from_other_source_is_not_found() -> None:
    healthline_quote = "If you increase your frequency of use and dosings, it can cause the muscles"
    mmm_quote = "I think it's so messed up that [Baby Botox] is a thing now"
    assert not match_quote(healthline_quote, MMM).found
    assert not match_quote(mmm_quote, HEALTHLINE).found


def test_omission_is_bounded() -> None:
    source = "alpha beta " + "filler " * 280 + "gamma delta"  # 1,960 chars skipped
    assert match_quote("alpha beta … gamma delta", source).found
    far = "alpha beta " + "filler " * 2000 + "gamma delta"
    assert not match_quote("alpha beta … gamma delta", far).found


def test_insertion_is_bounded_and_respects_word_boundaries() -> None:
    assert match_quote("that [it] is a thing", "that is a thing").found
    assert not match_quote("that [it] is a thing", "thatis a thing").found
    assert match_quote("that [it] is", "that " + "x" * 78 + " is").found
    assert not match_quote("that [it] is", "that " + "x" * 90 + " is").found
    # a bracket longer than the wildcard still matches itself literally
    long_insert = "[" + "y" * 120 + "]"
    assert match_quote(f"a {long_insert} b", f"a {long_insert} b").found


def test_quote_must_start_and_end_on_word_boundaries() -> None:
    assert not match_quote("is a thing now", "this a thing now").found
    assert not match_quote("a thing no", "a thing now").found


@pytest.mark.parametrize("quote", ["", "   ", "…", '""', "[...]"])
def test_empty_quote_is_not_found(quote: str) -> None:
    assert match_quote(quote, HEALTHLINE) == QuoteMatch(found=False, closest="", score=0.0)


@pytest.mark.parametrize("quote", ["anything", ""])
def test_empty_source_gives_empty_closest(quote: str) -> None:
    assert match_quote(quote, " \n ") == QuoteMatch(found=False, closest="", score=0.0)


def test_closest_is_limited_for_long_quotes() -> None:
    quote = " ".join(HEALTHLINE.split()[:150]) + " NOT IN SOURCE"
    result = match_quote(quote, HEALTHLINE)
    assert not result.found
    assert 0 < len(result.closest) <= 300
    assert result.closest.startswith("How does the internet feel")


# --------------------------------------------------------------------------- speed


def _timed(quote: str, source: str) -> tuple[QuoteMatch, float]:
    """The match and the CPU time it took: the search is single-threaded pure Python, so this
    is its wall time on an idle machine, without the noise of other processes (such as the
    other test workers) competing for the cores."""
    start = time.process_time()
    result = match_quote(quote, source)
    return result, time.process_time() - start


BIG = (HEALTHLINE + "\n" + MMM + "\n") * 145  # ~1 MB of real prose
REPETITIVE = "a " * 500_000
SLOW = pytest.mark.slow


@pytest.mark.parametrize(
    ("quote", "source", "found"),
    [
        ("a … " * 49 + "b", REPETITIVE + "b", True),
        ("a [x] " * 30 + "b", REPETITIVE + "b", True),
        pytest.param("a [x] " * 30 + "b", REPETITIVE + "c" * 100 + " b", False, marks=SLOW),
        pytest.param("a … a [x] " * 20 + "b", REPETITIVE + "c b", True, marks=SLOW),
        pytest.param("a … " * 49 + "b", "a" * 999_999 + " b", False, marks=SLOW),
        pytest.param("[a] " * 50 + "b", REPETITIVE, False, marks=SLOW),
        ("[[[[" * 50, "[" * 1_000_000, True),
        pytest.param(
            "you may … not see … any benefits … from … Botox [x] " * 4, BIG, False, marks=SLOW
        ),
        (
            "you may not see any benefits from Botox because you have built up a tolerance",
            BIG,
            False,
        ),
    ],
)
def test_adversarial_inputs_answer_quickly(quote: str, source: str, found: bool) -> None:
    result, elapsed = _timed(quote, source + "#")  # fresh source: index build is included
    assert result.found is found
    assert elapsed < 2.0


def test_closest_on_200kb_source_is_fast() -> None:
    source = BIG[:200_000]
    result, elapsed = _timed("you will not see any benefits from Botox", source + "!")
    assert not result.found
    assert "you may not see any benefits from Botox" in result.closest
    assert elapsed < 0.5


# --------------------------------------------------------------------------- contains_value


@pytest.mark.parametrize(
    ("value", "text", "expected"),
    [
        ("4.3 billion", HEALTHLINE, True),
        ("4.3 Billion", HEALTHLINE, True),
        ("58%", MMM, True),
        ("58 percent", MMM, True),
        ("58 per cent", MMM, True),
        ("5.3 billion", HEALTHLINE, False),
        ("8%", MMM, False),
        ("58%", HEALTHLINE, False),
        ("58%", "a 58 percent rise", True),
        ("58%", "a 58 per cent rise", True),
        ("58%", "a 58\u00a0per\ncent rise", True),
        ("58 percent", "up 58% on 2021", True),
        ("58%", "up 158% on 2021", False),
        ("58%", "up 1.58% on 2021", False),
        ("58%", "up 58.5% on 2021", False),
        ("58%", "58 percentage points", False),
        ("4.3 billion", "4.35 billion views", False),
        ("4.3 billion", "14.3 billion views", False),
        ("4.3 billion", "a 4.3-billion-view trend", True),
        ("4,300", "about 4300 people", True),
        ("4300", "about 4,300 people", True),
        ("1,000,000", "1000000 doses", True),
        ("21", "at age 21 after", True),
        ("21", "at age 210", False),
        ("21", "at age 2.21", False),
        ("20", "look 20 to 29", True),
        ("$4.3 billion", "a $4.3 billion market", True),
        ("", "anything", False),
        ("58%", "", False),
    ],
)
def test_contains_value(value: str, text: str, expected: bool) -> None:
    assert contains_value(value, text) is expected


@given(st.integers(min_value=0, max_value=10**7), st.integers(min_value=1, max_value=9))
def test_percent_spellings_are_interchangeable_and_bounded(number: int, digit: int) -> None:
    for spelling in ("%", " percent", " per cent"):
        assert contains_value(f"{number}%", f"rose {number}{spelling} in a year")
        assert contains_value(f"{number}{spelling}", f"rose {number}% in a year")
    assert not contains_value(f"{number}%", f"rose {digit}{number}% in a year")
    assert not contains_value(f"{number}%", f"rose {number}{digit}% in a year")
    assert not contains_value(f"{number}%", f"rose {number}.{digit}% in a year")


# --------------------------------------------------------------------------- properties

_SEED_WORDS = {name: text.split() for name, text in CORPUS.items()}
_APOSTROPHES = ["'", "\u2019", "\u2018", "\u2032"]
_DOUBLE = ['"', "\u201c", "\u201d", "\u201e", "\u00ab", "\u00bb"]
_DASHES = ["-", "\u2013", "\u2014", "\u2212"]
_SPACES = [" ", "  ", "\n", "\t", "\u00a0", " \r\n "]


@st.composite
def _restyled(draw: st.DrawFn, words: list[str]) -> str:
    """Join words with arbitrary whitespace and swap quote/dash styles at random."""
    out: list[str] = []
    for n, word in enumerate(words):
        if n:
            out.append(draw(st.sampled_from(_SPACES)))
        for char in word:
            if char in _APOSTROPHES:
                char = draw(st.sampled_from(_APOSTROPHES))
            elif char in _DOUBLE:
                char = draw(st.sampled_from(_DOUBLE))
            elif char in _DASHES:
                char = draw(st.sampled_from(_DASHES))
            out.append(char)
    return "".join(out)


@st.composite
def _seed_span(draw: st.DrawFn, min_words: int = 3) -> tuple[str, int, int]:
    name = draw(st.sampled_from(sorted(CORPUS)))
    words = _SEED_WORDS[name]
    start = draw(st.integers(0, len(words) - min_words))
    stop = draw(st.integers(start + min_words, min(len(words), start + 60)))
    return name, start, stop


@settings(max_examples=25, deadline=None)
@given(st.data(), _seed_span())
def test_any_restyled_source_substring_is_found(
    data: st.DataObject, span: tuple[str, int, int]
) -> None:
    name, start, stop = span
    quote = data.draw(_restyled(_SEED_WORDS[name][start:stop]))
    result = match_quote(quote, CORPUS[name])
    assert result.found, quote
    assert result.score == 1.0
    assert result.closest in CORPUS[name]


@SLOW
@settings(max_examples=150, deadline=None)
@given(st.data(), _seed_span())
def test_any_restyled_source_substring_is_found_thoroughly(
    data: st.DataObject, span: tuple[str, int, int]
) -> None:
    test_any_restyled_source_substring_is_found.hypothesis.inner_test(data, span)


@settings(max_examples=25, deadline=None)
@given(st.data(), _seed_span(min_words=2), st.integers(2, 6), st.integers(0, 80))
def test_two_in_order_substrings_joined_by_ellipsis_are_found(
    data: st.DataObject, span: tuple[str, int, int], second_len: int, skip: int
) -> None:
    name, start, stop = span
    words = _SEED_WORDS[name]
    second_start = stop + skip
    assume(second_start + second_len <= len(words))
    first_part = data.draw(_restyled(words[start:stop]))
    second_part = data.draw(_restyled(words[second_start : second_start + second_len]))
    ellipsis = data.draw(st.sampled_from([" … ", "…", " ... ", " [...] ", " . . . "]))
    quote = first_part + ellipsis + second_part
    assert match_quote(quote, CORPUS[name]).found, quote


@SLOW
@settings(max_examples=150, deadline=None)
@given(st.data(), _seed_span(min_words=2), st.integers(2, 6), st.integers(0, 80))
def test_two_in_order_substrings_joined_by_ellipsis_are_found_thoroughly(
    data: st.DataObject, span: tuple[str, int, int], second_len: int, skip: int
) -> None:
    test_two_in_order_substrings_joined_by_ellipsis_are_found.hypothesis.inner_test(
        data, span, second_len, skip
    )


def _core(text: str) -> str:
    return normalise(text).strip(" .,;:…\"'")


@settings(max_examples=25, deadline=None)
@given(_seed_span(min_words=2), st.integers(2, 6), st.integers(0, 40))
def test_reordered_parts_are_not_found(
    span: tuple[str, int, int], second_len: int, skip: int
) -> None:
    name, start, stop = span
    words = _SEED_WORDS[name]
    second_start = stop + skip
    assume(second_start + second_len <= len(words))
    first = " ".join(words[start:stop])
    second = " ".join(words[second_start : second_start + second_len])
    assume(not re.search(r"[\[\]…]", first + second))
    text = normalise(CORPUS[name])
    # each part occurs exactly once, so only the original order can match
    assume(text.count(_core(first)) == 1 and text.count(_core(second)) == 1)
    assert match_quote(f"{first} … {second}", CORPUS[name]).found
    assert not match_quote(f"{second} … {first}", CORPUS[name]).found


@SLOW
@settings(max_examples=100, deadline=None)
@given(_seed_span(min_words=2), st.integers(2, 6), st.integers(0, 40))
def test_reordered_parts_are_not_found_thoroughly(
    span: tuple[str, int, int], second_len: int, skip: int
) -> None:
    test_reordered_parts_are_not_found.hypothesis.inner_test(span, second_len, skip)


_HOSTILE = (
    st.lists(
        st.sampled_from(["a", "b", " ", "…", "...", ". ", "[", "]", "[x]", "[…]", '"', "'"]),
        max_size=100,
    )
    .map("".join)
    .map(lambda quote: quote[:200])
)


@SLOW
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_HOSTILE)
def test_hostile_quotes_against_1mb_source_are_fast(quote: str) -> None:
    for source in (REPETITIVE, "a" * 1_000_000, "ab a[b] " * 125_000):
        result, elapsed = _timed(quote, source)
        assert elapsed < 2.0, (quote, source[:20])
        assert 0.0 <= result.score <= 1.0


_ANY_TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=300)


@settings(max_examples=60, deadline=None)
@given(_ANY_TEXT, _ANY_TEXT)
def test_match_quote_never_raises_and_keeps_invariants(quote: str, source: str) -> None:
    result = match_quote(quote, source)
    assert 0.0 <= result.score <= 1.0
    assert result.closest in source
    if result.found:
        assert result.score == 1.0
    else:
        assert len(result.closest) <= 300
    assert isinstance(contains_value(quote, source), bool)


@SLOW
@settings(max_examples=300, deadline=None)
@given(_ANY_TEXT, _ANY_TEXT)
def test_match_quote_never_raises_and_keeps_invariants_thoroughly(quote: str, source: str) -> None:
    test_match_quote_never_raises_and_keeps_invariants.hypothesis.inner_test(quote, source)


@settings(max_examples=200, deadline=None)
@given(_ANY_TEXT)
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert "  " not in once and once == once.strip()


@settings(max_examples=200, deadline=None)
@given(_ANY_TEXT)
def test_text_is_found_in_itself(text: str) -> None:
    # Any quote without omission/insertion syntax that is a whole source is found in it.
    core = normalise(text).strip(" .,;:…\"'")
    assume(core and not re.search(r"[\[\]…]|\.\s?\.\s?\.", core))
    assert match_quote(core, text).found


# --------------------------------------------------------------------------- search oracle

_ALPHA = "ab"


def _boundary() -> str:
    return r"(?:(?<![ab])|(?![ab]))"


@st.composite
def _pieced_quote(draw: st.DrawFn) -> tuple[str, str]:
    """A quote of literal pieces joined by omissions/insertions, with an equivalent regex."""
    words = st.text(alphabet=_ALPHA, min_size=1, max_size=3)
    count = draw(st.integers(1, 4))
    pieces = [" ".join(draw(st.lists(words, min_size=1, max_size=2))) for _ in range(count)]
    quote = pieces[0]
    regex = _boundary() + re.escape(pieces[0])
    for piece in pieces[1:]:
        joiner = draw(st.sampled_from([" … ", " [x] ", "[x]", " [x]", "[x] "]))
        if "…" in joiner:
            regex += ".{0,2002}"
        else:
            regex += (_boundary() if joiner.startswith(" ") else "") + ".{0,82}"
            regex += _boundary() if joiner.endswith(" ") else ""
        quote += joiner + piece
        regex += re.escape(piece)
    return quote, regex + _boundary()


@contextmanager
def _search_strategy(strategy: str) -> Iterator[None]:
    """Force the range sweep (optionally without anchoring) instead of depth-first search."""
    saved = fidelity._DEPTH_FIRST_BUDGET, fidelity._ANCHOR_MAX
    try:
        if strategy != "default":
            fidelity._DEPTH_FIRST_BUDGET = 0
        if strategy == "sweep-unanchored":
            fidelity._ANCHOR_MAX = 0
        yield
    finally:
        fidelity._DEPTH_FIRST_BUDGET, fidelity._ANCHOR_MAX = saved


STRATEGIES = ["default", "sweep", "sweep-unanchored"]


@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize(
    ("quote", "source", "found"),
    [
        ("b … b … b", "bbb", True),
        ("b … b … b", "bb", False),
        ("a [x] b", "a b", True),
        ("a [x] b", "ab", False),
        ("a[x]b", "ab", True),
        ("ab … ab", "aab ab", False),  # the quote must start on a word boundary
        ("ab … ab", "ab aab", True),  # but an omission may end mid-word
        ("a b … b a", "a b a", False),
    ],
)
def test_search_strategies_agree(strategy: str, quote: str, source: str, found: bool) -> None:
    with _search_strategy(strategy):
        assert match_quote(quote, source).found is found


@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=50, deadline=None)
@given(_pieced_quote(), st.text(alphabet="ab .", max_size=260))
def test_search_agrees_with_regex_oracle(
    strategy: str, quote_and_regex: tuple[str, str], source: str
) -> None:
    quote, regex = quote_and_regex
    text = normalise(source)
    expected = re.search(regex, text, re.DOTALL) is not None
    with _search_strategy(strategy):
        result = match_quote(quote, source)
    assert result.found is expected, (quote, text)
    if result.found:
        assert re.search(regex, normalise(result.closest), re.DOTALL), result.closest


@SLOW
@pytest.mark.parametrize("strategy", STRATEGIES)
@settings(max_examples=300, deadline=None)
@given(_pieced_quote(), st.text(alphabet="ab .", max_size=260))
def test_search_agrees_with_regex_oracle_thoroughly(
    strategy: str, quote_and_regex: tuple[str, str], source: str
) -> None:
    test_search_agrees_with_regex_oracle.hypothesis.inner_test(strategy, quote_and_regex, source)
