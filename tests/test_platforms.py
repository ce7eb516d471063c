"""The platform table and each platform's length rule."""

from __future__ import annotations

import json
import shutil
import subprocess
from types import ModuleType

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from briefgen.rendering.platforms import PLATFORMS, Measure, Platform, count, measure

ORDER = ["x", "bluesky", "mastodon", "threads", "linkedin", "instagram", "tiktok", "facebook"]
UTF16_PLATFORMS = ["linkedin", "instagram", "tiktok", "facebook"]

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # one grapheme, 25 bytes
GRIN = "\U0001f600"  # one code point, 4 UTF-8 bytes, 2 UTF-16 units
LONG_URL = "https://example.com/" + "a" * 200

# Text built from the pieces that the counters treat specially, plus anything at all.
FRAGMENTS = st.sampled_from(
    [
        " ",
        "\n",
        "\r\n",
        "word",
        "日本語",
        GRIN,
        FAMILY,
        "\u200d",
        "\ufe0f",
        "e\u0301",
        "#tag",
        "＃タグ",
        "C#",
        "https://example.com/path?q=1#frag",
        "http://t.co/abc",
        "example.org",
        "www.test.com",
        "@bob",
        "@bob@example.com",
        "@amy@sub.example.co.uk",
        ".",
        "/",
        "=",
    ]
)
TEXT = st.lists(FRAGMENTS | st.text(max_size=8), max_size=30).map("".join)
ANY_TEXT = TEXT | st.text() | st.text(st.characters(exclude_categories=()))


# --- the table -----------------------------------------------------------------


def test_table_has_all_eight_platforms_in_order() -> None:
    assert list(PLATFORMS) == ORDER
    assert [p.label for p in PLATFORMS.values()] == [
        "X",
        "Bluesky",
        "Mastodon",
        "Threads",
        "LinkedIn",
        "Instagram",
        "TikTok",
        "Facebook",
    ]
    assert {name: p.limit for name, p in PLATFORMS.items()} == {
        "x": 280,
        "bluesky": 300,
        "mastodon": 500,
        "threads": 500,
        "linkedin": 3000,
        "instagram": 2200,
        "tiktok": 2200,
        "facebook": 63206,
    }


@pytest.mark.parametrize("name", ORDER)
def test_each_entry_is_keyed_by_name_with_an_https_source(name: str) -> None:
    platform = PLATFORMS[name]
    assert isinstance(platform, Platform)
    assert platform.name == name
    assert platform.unit
    assert platform.source.startswith("https://")
    assert " " not in platform.source


def test_extra_caps_sit_on_the_right_platforms() -> None:
    caps = {name: (p.max_links, p.max_hashtags, p.max_bytes) for name, p in PLATFORMS.items()}
    assert caps.pop("bluesky") == (None, None, 3000)
    assert caps.pop("threads") == (5, None, None)
    assert caps.pop("instagram") == (None, 5, None)
    assert set(caps.values()) == {(None, None, None)}


def test_platform_and_measure_are_frozen() -> None:
    with pytest.raises(AttributeError):
        PLATFORMS["x"].limit = 1000  # type: ignore[misc]
    with pytest.raises(AttributeError):
        measure("x", "hi").count = 0  # type: ignore[misc]


# --- X -------------------------------------------------------------------------


def test_x_counts_any_url_as_23() -> None:
    assert count("x", LONG_URL) == 23
    assert count("x", "https://x.co") == 23
    assert count("x", f"Read {LONG_URL} now") == len("Read ") + 23 + len(" now")


def test_x_weighs_emoji_and_cjk_as_2() -> None:
    assert count("x", GRIN) == 2
    assert count("x", "日本語") == 6
    assert count("x", FAMILY) == 2  # a ZWJ sequence is one emoji
    assert count("x", f"hi {GRIN} 日本") == 3 + 2 + 1 + 4


# The tests comparing with twitter-text (the `twitter_text` fixture) share one test worker
# with tests/test_tweettext.py, which alone imports it.
@pytest.mark.xdist_group("twitter-text")
def test_x_agrees_with_twitter_text(twitter_text: ModuleType) -> None:
    text = f"english text 日本語 {GRIN} https://example.com"
    assert count("x", text) == twitter_text.parse_tweet(text).weightedLength == 46


def test_x_limit_boundary_and_problem_text() -> None:
    assert measure("x", "a" * 280).fits
    over = measure("x", "a" * 312)
    assert not over.fits
    assert over.count == 312
    assert over.limit == 280
    assert over.problems == ("312 weighted characters, over X's limit of 280",)


# --- Bluesky -------------------------------------------------------------------


def test_bluesky_counts_a_zwj_family_as_one_grapheme() -> None:
    assert count("bluesky", FAMILY) == 1
    assert count("bluesky", "e\u0301") == 1
    assert count("bluesky", f"{FAMILY} ok") == 4


def test_bluesky_grapheme_limit() -> None:
    assert measure("bluesky", "a" * 300).fits
    over = measure("bluesky", "a" * 301)
    assert over.problems == ("301 graphemes, over Bluesky's limit of 300",)


def test_bluesky_300_four_byte_emoji_stay_under_the_byte_cap() -> None:
    # 300 graphemes of 4-byte characters is only 1,200 bytes: within both limits.
    assert measure("bluesky", GRIN * 300).fits


def test_bluesky_byte_limit_triggers_on_long_zwj_sequences() -> None:
    assert len((FAMILY * 120).encode("utf-8")) == 3000
    assert measure("bluesky", FAMILY * 120).fits
    over = measure("bluesky", FAMILY * 121)
    assert over.count == 121  # far under 300 graphemes ...
    assert over.problems == ("3,025 UTF-8 bytes, over Bluesky's limit of 3,000",)  # ... but too big


def test_bluesky_reports_both_problems_when_both_limits_break() -> None:
    over = measure("bluesky", FAMILY * 301)
    assert over.problems == (
        "301 graphemes, over Bluesky's limit of 300",
        "7,525 UTF-8 bytes, over Bluesky's limit of 3,000",
    )


# --- Mastodon ------------------------------------------------------------------


def test_mastodon_counts_every_url_as_23() -> None:
    assert count("mastodon", LONG_URL) == 23
    assert count("mastodon", "http://a.co") == 23  # short URLs are padded to 23 too
    assert count("mastodon", f"see {LONG_URL} and {LONG_URL}") == 4 + 23 + 5 + 23


def test_mastodon_bare_domain_counts_as_the_larger_reading() -> None:
    # Newer servers collapse a bare domain to 23, older ones count it as typed.
    assert count("mastodon", "example.org") == 23
    assert count("mastodon", "example.org/" + "a" * 40) == 52


def test_mastodon_counts_code_points_not_utf16_units() -> None:
    assert count("mastodon", GRIN) == 1
    assert count("mastodon", FAMILY) == 7  # never below the server's grapheme count


def test_mastodon_remote_mention_counts_only_the_user_part() -> None:
    assert count("mastodon", "hi @bob@example.com") == len("hi @bob")
    assert count("mastodon", "hi @bob@example.com.") == len("hi @bob.")
    assert count("mastodon", "hi @bob") == len("hi @bob")
    assert count("mastodon", "mail bob@example.com") == len("mail bob@example.com")
    # An implausible or non-ASCII host is left whole: not every version would cut it.
    assert count("mastodon", "@bob@invalid") == len("@bob@invalid")
    assert count("mastodon", "@bob@example.comé") == len("@bob@example.comé")


def test_mastodon_mention_inside_a_url_is_part_of_the_url() -> None:
    assert count("mastodon", "https://example.com/@bob@example.com") == 23


def test_mastodon_server_limit_can_be_configured() -> None:
    text = "a" * 600
    assert not measure("mastodon", text).fits
    wide = measure("mastodon", text, limit=1000)
    assert wide.fits
    assert wide.limit == 1000
    over = measure("mastodon", "a" * 1200, limit=1000)
    assert over.problems == ("1,200 characters, over Mastodon's limit of 1,000",)


# --- Threads -------------------------------------------------------------------


def _links(n: int) -> str:
    return " ".join(f"https://site{i}.example.com/page" for i in range(n))


def test_threads_allows_five_links() -> None:
    assert measure("threads", _links(5)).fits


def test_threads_six_links_fail_with_a_problem_about_links() -> None:
    result = measure("threads", _links(6))
    assert not result.fits
    assert result.problems == ("6 links, Threads allows at most 5",)


def test_threads_counts_unique_links_and_bare_domains() -> None:
    assert measure("threads", " ".join(["https://example.com"] * 6)).fits
    bare = " ".join(f"www.site{i}.com" for i in range(6))
    assert measure("threads", bare).problems == ("6 links, Threads allows at most 5",)


def test_threads_counts_emoji_as_utf8_bytes_and_the_rest_as_utf16() -> None:
    assert count("threads", "abc") == 3
    assert count("threads", "日本") == 2
    assert count("threads", GRIN) == 4
    assert count("threads", FAMILY) == 25
    assert count("threads", "\U0001d400") == 2  # non-emoji astral: 2 UTF-16 units


def test_threads_limit_boundary() -> None:
    assert measure("threads", "a" * 500).fits
    assert measure("threads", "a" * 501).problems == ("501 characters, over Threads' limit of 500",)
    assert not measure("threads", GRIN * 126).fits  # 504 by Meta's emoji rule


# --- Instagram and the other long-form platforms --------------------------------


def test_instagram_six_hashtags_fail() -> None:
    result = measure("instagram", "Sunset #a #b #c #d #e #f")
    assert not result.fits
    assert result.problems == ("6 hashtags, Instagram allows at most 5",)


def test_instagram_five_hashtags_fit() -> None:
    assert measure("instagram", "Sunset #a #b #c #d #e").fits


def test_instagram_hashtag_rules() -> None:
    assert not measure("instagram", "#a#b#c#d#e#f").fits  # glued tags are still six
    assert not measure("instagram", "#日本 #café #tag_1 #x #y #z").fits  # Unicode words
    # Not hashtags: a fragment inside a URL, a language name, a keycap, a bare '#'.
    not_tags = "#a #b #c #d #e https://example.com/#top C# #\ufe0f\u20e3 # ok"
    assert measure("instagram", not_tags).fits


@pytest.mark.parametrize("name", UTF16_PLATFORMS)
def test_long_form_platforms_count_utf16_units(name: str) -> None:
    assert count(name, "abc") == 3
    assert count(name, "日本") == 2
    assert count(name, GRIN) == 2
    assert count(name, FAMILY) == 11
    assert count(name, LONG_URL) == len(LONG_URL)  # no URL shortening


@pytest.mark.parametrize("name", UTF16_PLATFORMS)
def test_long_form_limit_boundary(name: str) -> None:
    limit = PLATFORMS[name].limit
    assert measure(name, "a" * limit).fits
    assert not measure(name, "a" * (limit - 1) + GRIN).fits  # the emoji takes 2


def test_problem_names_count_and_limit_with_separators() -> None:
    result = measure("facebook", "a" * 63207)
    assert result.problems == ("63,207 characters, over Facebook's limit of 63,206",)
    assert (result.count, result.limit) == (63207, 63206)


# --- the interface -------------------------------------------------------------


def test_unknown_platform_raises_key_error_listing_the_known_ones() -> None:
    with pytest.raises(KeyError) as info:
        count("myspace", "hi")
    message = str(info.value)
    assert "myspace" in message
    for name in ORDER:
        assert name in message
    with pytest.raises(KeyError):
        measure("", "hi")


def test_platform_names_are_case_insensitive() -> None:
    assert count(" X ", "hi") == 2
    assert measure("Bluesky", "hi").platform == "bluesky"


def test_limit_override_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        measure("x", "hi", limit=0)


def test_empty_text_counts_zero_and_fits_everywhere() -> None:
    for name in ORDER:
        assert count(name, "") == 0
        assert measure(name, "") == Measure(
            platform=name, count=0, limit=PLATFORMS[name].limit, problems=()
        )


@pytest.mark.parametrize("name", ORDER)
def test_lone_surrogates_do_not_raise(name: str) -> None:
    assert count(name, "a\ud800b\udfff") >= 2
    assert count(name, "\ud83d\ude00") == count(name, GRIN)  # a split pair is rejoined
    assert isinstance(measure(name, "\udc00 #a https://example.com"), Measure)


# --- properties ----------------------------------------------------------------


@given(name=st.sampled_from(ORDER), text=ANY_TEXT)
def test_count_never_raises_and_is_non_negative(name: str, text: str) -> None:
    assert count(name, text) >= 0


@given(name=st.sampled_from(ORDER), text=ANY_TEXT, limit=st.none() | st.integers(1, 10_000))
def test_measure_never_raises_and_fits_means_no_problems(
    name: str, text: str, limit: int | None
) -> None:
    result = measure(name, text, limit)
    assert result.platform == name
    assert result.count == count(name, text)
    assert result.limit == (PLATFORMS[name].limit if limit is None else limit)
    assert result.fits == (not result.problems)
    assert (result.count > result.limit) == any(
        p.startswith(f"{result.count:,} ") for p in result.problems
    )


@given(text=TEXT | st.text())
def test_bluesky_count_is_the_grapheme_length(text: str) -> None:
    assert count("bluesky", text) == len(regex.findall(r"\X", text))


# Bluesky's app counts graphemes with Intl.Segmenter (the RichText class of @atproto/api).
BLUESKY_CORPUS = [
    "क्षि",  # Devanagari conjunct: one grapheme since Unicode 15.1 (grapheme 0.6 said 2)
    "नमस्ते",
    "ஸ்ரீ",  # Tamil: no conjunct rule, 2
    "ক্ষমা",
    "👨‍👩‍👧‍👦",  # ZWJ family
    "🏳️‍🌈",
    "👍🏽",
    "🇩🇪🇫🇷🇯🇵",  # flags: one per pair of regional indicators
    "🇩",  # a lone regional indicator
    "日本語のテキスト",
    "한국어",
    "é e\u0301 ñ",
    "\r\n",
    "שלום مرحبا",
    "Baby Botox ⚠️ may build tolerance",
    "#babybotox https://example.org/a?b=c",
]


def test_bluesky_counts_graphemes_as_intl_segmenter_does() -> None:
    if shutil.which("node") is None:
        pytest.skip("node is needed to compare with Intl.Segmenter (not installed)")
    script = (
        "const s = new Intl.Segmenter(undefined, {granularity: 'grapheme'});"
        "const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(input.map((t) => [...s.segment(t)].length)));"
    )
    corpus = [*BLUESKY_CORPUS, "".join(BLUESKY_CORPUS)]
    result = subprocess.run(
        ["node", "-e", script],
        input=json.dumps(corpus),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert [count("bluesky", t) for t in corpus] == json.loads(result.stdout)
    assert count("bluesky", "क्षि") == 1


@pytest.mark.xdist_group("twitter-text")
@given(text=TEXT | st.text())
def test_x_count_is_twitter_texts_weighted_length(twitter_text: ModuleType, text: str) -> None:
    assert count("x", text) == twitter_text.parse_tweet(text).weightedLength


@given(name=st.sampled_from([*UTF16_PLATFORMS, "threads"]), text=TEXT | st.text())
def test_conservative_counts_are_never_below_code_points(name: str, text: str) -> None:
    assert count(name, text) >= len(text)


@given(name=st.sampled_from([*UTF16_PLATFORMS, "threads"]), head=TEXT, tail=TEXT)
def test_appending_never_decreases_the_count(name: str, head: str, tail: str) -> None:
    assert count(name, head + tail) >= count(name, head)
