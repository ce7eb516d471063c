"""briefgen.rendering.tweettext agrees with twitter-text, and its data is what twitter-text builds.

After upgrading twitter-text-parser, regenerate the data with
`.venv/bin/python tests/test_tweettext.py` and run the tests again.

twitter-text compiles its patterns on import (0.5 to 1.5 s), so the tests take it from the
`twitter_text` fixture instead of importing it when pytest collects this module, and they
share one test worker.
"""

from __future__ import annotations

import json
import re
import sys
from importlib.metadata import version
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefgen.rendering import tweettext

pytestmark = pytest.mark.xdist_group("twitter-text")


def build_data() -> dict[str, Any]:
    """The data briefgen.rendering.tweettext needs, taken from the installed twitter_text."""
    from twitter_text.regexp import emoji as emoji_module
    from twitter_text.regexp.extract_url import extract_url
    from twitter_text.regexp.invalid_url_without_protocol_preceding_chars import (
        invalid_url_without_protocol_preceding_chars,
    )
    from twitter_text.regexp.valid_ascii_domain import valid_ascii_domain
    from twitter_text.regexp.valid_tco_url import valid_tco_url

    pattern = emoji_module.emoji
    alternation = pattern.pattern.rsplit("|[", 1)[0].split("|")
    sequences = [
        "".join(chr(int(code, 16)) for code in item.split("\\U")[1:]) for item in alternation
    ]
    # The class of single-code-point emoji: items `\\Uxxxxxxxx` or `\\Uxxxxxxxx-\\Uxxxxxxxx`.
    items = re.findall(
        r"\\U([0-9a-f]{8})(?:-\\U([0-9a-f]{8}))?", pattern.pattern.rsplit("|[", 1)[1]
    )
    singles: list[list[int]] = []
    for start, end in sorted((int(a, 16), int(b or a, 16)) for a, b in items):
        if singles and start <= singles[-1][1] + 1:
            singles[-1][1] = max(singles[-1][1], end)
        else:
            singles.append([start, end])
    return {
        "about": "Generated from twitter-text-parser by tests/test_tweettext.py; do not edit.",
        "twitter_text_version": version("twitter-text-parser"),
        "extract_url": [extract_url.pattern, extract_url.flags],
        "valid_ascii_domain": [valid_ascii_domain.pattern, valid_ascii_domain.flags],
        "valid_tco_url": [valid_tco_url.pattern, valid_tco_url.flags],
        "invalid_url_without_protocol_preceding_chars": [
            invalid_url_without_protocol_preceding_chars.pattern,
            invalid_url_without_protocol_preceding_chars.flags,
        ],
        "emoji_sequences": sequences,
        "emoji_singles": singles,
    }


def write_data() -> None:
    text = json.dumps(build_data(), ensure_ascii=True, indent=0) + "\n"
    tweettext.DATA_FILE.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def built() -> dict[str, Any]:
    return build_data()


def test_data_is_what_the_installed_twitter_text_builds(built: dict[str, Any]) -> None:
    assert tweettext._data() == built, "run `.venv/bin/python tests/test_tweettext.py`"


def test_every_emoji_is_found_as_twitter_text_finds_it(
    built: dict[str, Any], twitter_text: ModuleType
) -> None:
    sequences = built["emoji_sequences"]
    singles = [chr(start) for start, _ in built["emoji_singles"]]
    singles += [chr(end) for _, end in built["emoji_singles"]]
    for piece in sequences + singles:
        for text in (piece, f"a{piece}b", piece + piece, f"{piece}\u200d{piece}"):
            ours = tweettext.extract_emojis_with_indices(text)
            assert ours == twitter_text.extract_emojis_with_indices(text), text


EMOJI = [
    "\U0001f600",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466",
    "\U0001f44d\U0001f3fd",
    "\u26a0\ufe0f",
    "\u26a0",
    "#\ufe0f\u20e3",
    "#\u20e3",
    "1\ufe0f\u20e3",
    "\U0001f1fa\U0001f1f8",
    "\U0001f1fa",
    "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
    "\u00a9",
    "\u00a9\ufe0f",
    "\ufe0f",
    "\u200d",
    "\U0001f3fd",
]
#: Where a TLD set lookup could part from twitter-text's alternation: unknown TLDs after a
#: dot, TLDs that are prefixes of others, case, letters whose lower case differs in length or
#: that match ASCII only ignoring case (U+0130, U+017F, U+212A), punycode, nested domains.
TLD_CASES = [
    "e.g.",
    "i.e. ",
    "U.S.A",
    "file.txt",
    "EXAMPLE.COM",
    "example.Рф",
    ".嘉里大酒店",
    ".嘉里",
    "大酒店",
    "x.嘉里大酒店x",
    ".İo",
    "ſtore.com",
    "a.\u212aom",
    ".ſ",
    "foo.xn--p1ai",
    ".XN--P1AI",
    "www.example.co.uk",
    "example.comé",
    "x.com-y",
    "a.b.notatld.com",
    "site.org.txt",
    "foo@bar.com",
    ".москва",
    ".香港",
    ".世界",
    "\u0915\u0949\u092e",
    ".भारतम्",
    ".com",
    ".co",
    ".c",
]
FRAGMENTS = st.sampled_from(
    [
        *EMOJI,
        " ",
        "\n",
        "\r\n",
        "\r",
        "word",
        "日本語",
        "e\u0301",
        "#tag",
        "https://example.com/path?q=1#frag",
        "http://t.co/abc",
        "https://t.co/" + "a" * 41,
        "example.org",
        "www.test.com",
        "xn--wgv71a119e.jp",
        "日本語.jp",
        "a.b.c.d.museum",
        "@bob@example.com",
        "sub.example.co.uk/path",
        "-example.com",
        "_x.com",
        "http://",
        ".",
        "/",
        "=",
        "(",
        ")",
        *TLD_CASES,
    ]
)
TEXT = st.lists(FRAGMENTS | st.text(max_size=6), max_size=25).map("".join)


@given(TEXT)
def test_urls_agree(twitter_text: ModuleType, text: str) -> None:
    assert tweettext.extract_urls_with_indices(text) == twitter_text.extract_urls_with_indices(text)
    assert tweettext.extract_urls(text, False) == twitter_text.extract_urls(text, False)


@given(TEXT)
def test_emoji_agree(twitter_text: ModuleType, text: str) -> None:
    assert tweettext.extract_emojis_with_indices(text) == (
        twitter_text.extract_emojis_with_indices(text)
    )


def test_every_tld_is_listed_before_its_prefixes() -> None:
    """What lets the shaped pattern (longest run of TLD letters) stand for the alternation
    (first listed TLD that fits): a TLD that fits is never preceded by a shorter one."""
    pattern = tweettext._data()["extract_url"][0]
    order = [n for names in tweettext._TLD_ALTERNATION.findall(pattern) for n in names.split("|")]
    assert len(order) > 1500
    rank = {name: index for index, name in reversed(list(enumerate(order)))}
    assert set(rank) == tweettext._tlds()
    for name in order:
        for size in range(1, len(name)):
            prefix = name[:size]
            assert rank.get(prefix, len(order)) > rank[name], (prefix, name)


@pytest.mark.parametrize("name, group", [("extract_url", 5), ("valid_ascii_domain", 0)])
@given(text=st.lists(st.sampled_from(TLD_CASES) | FRAGMENTS | st.text(max_size=4)).map("".join))
def test_the_shaped_pattern_finds_what_the_exact_one_does(name: str, group: int, text: str) -> None:
    assert tweettext._shaped(name) is not None
    exact = [(m.span(), m.groups()) for m in tweettext._pattern(name).finditer(text)]
    fast = [(m.span(), m.groups()) for m in tweettext._finditer(name, text, group)]
    assert fast == exact


@pytest.mark.parametrize("text", TLD_CASES)
def test_tld_cases_agree(twitter_text: ModuleType, text: str) -> None:
    for wrapped in (text, f"see {text} now", f"{text}/path?q=1", f"https://{text}"):
        ours = tweettext.extract_urls_with_indices(wrapped)
        assert ours == twitter_text.extract_urls_with_indices(wrapped), wrapped


@given(TEXT | st.text())
def test_weighted_length_agrees(twitter_text: ModuleType, text: str) -> None:
    assert tweettext.weighted_length(text) == twitter_text.parse_tweet(text).weightedLength


if __name__ == "__main__":
    write_data()
    print(f"wrote {tweettext.DATA_FILE}", file=sys.stderr)
