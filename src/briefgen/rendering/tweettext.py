"""twitter-text's URL, emoji and weighted-length rules, loaded only when a caption is measured.

The `twitter_text` package (twitter-text-parser) costs about 0.3 s to import: it imports
`pkg_resources`, parses Unicode's `emoji-test.txt` and compiles dozens of intermediate regular
expressions. briefgen needs only three of its functions, so this module ports them line by
line and takes their data from `data/twitter_text.json`: the final URL patterns exactly as
twitter-text builds them, and its emoji list (matched with a dictionary instead of a 90 kB
regular expression). The patterns are compiled on first use, once per process; the URL
patterns' 1,574 TLD alternatives are replaced by the shape of a TLD and a set lookup
(`_finditer`), which compiles and runs about three times faster, and the exact pattern is
compiled only for a text where that lookup finds an unknown TLD.

`tests/test_tweettext.py` checks that the data is what the installed twitter-text builds
(run it as a script to regenerate the file after upgrading twitter-text) and that these
functions agree with twitter-text's own on generated texts.
"""

from __future__ import annotations

import bisect
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).parent.parent / "data" / "twitter_text.json"

# twitter-text's config "defaults" (version 3).
_SCALE = 100
_DEFAULT_WEIGHT = 200
_URL_LENGTH = 23
_RANGES = ((0, 4351, 100), (8192, 8205, 100), (8208, 8223, 100), (8242, 8247, 100))
_DEFAULT_PROTOCOL = "https://"
_MAX_URL_LENGTH = 4096
_MAX_TCO_SLUG_LENGTH = 40
_LINE_ENDINGS = re.compile(r"\r\n|\r|\n")


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return data


@cache
def _pattern(name: str) -> re.Pattern[str]:
    pattern, flags = _data()[name]
    return re.compile(pattern, flags)


#: twitter-text's alternations of top-level domains (generic, then country codes), each
#: followed by the same lookahead: 1,574 names tried one after another at every dot.
_TLD_ALTERNATION = re.compile(r"\(\?:\(\?:([^()]+)\)\(\?=\[\^0-9a-zA-Z@\+-\]\|\$\)\)")


@cache
def _tlds() -> frozenset[str]:
    """Every top-level domain twitter-text knows, lower case."""
    pattern = _data()["extract_url"][0]
    return frozenset(
        name for names in _TLD_ALTERNATION.findall(pattern) for name in names.split("|")
    )


@cache
def _shaped(name: str) -> re.Pattern[str] | None:
    """Pattern `name` with its TLD alternations replaced by the shape of any TLD (a run of
    the letters TLDs are made of), or None if the pattern is not as expected.

    It matches wherever the exact pattern does, and compiles and runs several times faster;
    `_finditer` checks each TLD it found against `_tlds()`.
    """
    pattern, flags = _data()[name]
    lists = _TLD_ALTERNATION.findall(pattern)
    if len(lists) != 2:
        return None
    generic, country = (f"(?:{names})" for names in lists)
    letters = "".join(re.escape(char) for char in sorted(set("".join(lists)) - {"|"}))
    shaped = pattern.replace(generic, f"[{letters}]+", 1)
    shaped = shaped.replace(f"(?:{country}(?=[^0-9a-zA-Z@+-]|$))|", "", 1)
    if shaped.count("[" + letters + "]+") != 1 or len(shaped) > len(pattern) - len(country):
        return None
    return re.compile(shaped, flags)


def _known_tld(domain: str) -> bool:
    """Whether the TLD ending `domain` is one the exact pattern would have matched there.

    Lower-casing keeps the length for everything but a few letters (U+0130), which are left to
    the exact pattern; `xn--` TLDs come from the branch both patterns share.
    """
    tld = domain[domain.rfind(".") + 1 :]
    lowered = tld.lower()
    return len(lowered) == len(tld) and (lowered in _tlds() or lowered.startswith("xn--"))


def _finditer(name: str, text: str, domain_group: int) -> Iterator[re.Match[str]]:
    """`_pattern(name).finditer(text)`, mostly through the faster `_shaped(name)`.

    The shaped pattern finds the same match wherever the TLD it took is a known one (its run of
    letters is the longest that the lookahead allows, and twitter-text lists every TLD before
    its own prefixes, so the exact pattern picks that same TLD: the tests check both). Where it
    took an unknown one (`e.g.`, `file.txt`), the exact pattern, compiled then, takes over
    from the same position.
    """
    shaped = _shaped(name)
    if shaped is None:
        yield from _pattern(name).finditer(text)
        return
    position = 0
    while True:
        match = shaped.search(text, position)
        if match is None:
            return
        if not _known_tld(match.group(domain_group)):
            match = _pattern(name).search(text, position)
            if match is None:
                return
        yield match
        position = match.end()


@dataclass(frozen=True)
class _Emoji:
    by_first: dict[str, tuple[str, ...]]  # multi-code-point emoji by first character
    single_starts: list[int]  # sorted, disjoint ranges of single-code-point emoji
    single_ends: list[int]
    starts: re.Pattern[str]  # any character an emoji can start with


@cache
def _emoji() -> _Emoji:
    data = _data()
    by_first: dict[str, list[str]] = {}
    for sequence in data["emoji_sequences"]:  # twitter-text's alternation order: longest first
        by_first.setdefault(sequence[0], []).append(sequence)
    ranges = data["emoji_singles"]
    return _Emoji(
        {first: tuple(seqs) for first, seqs in by_first.items()},
        [start for start, _ in ranges],
        [end for _, end in ranges],
        _starts_pattern(
            [(ord(first), ord(first)) for first in by_first] + [(a, b) for a, b in ranges]
        ),
    )


def _starts_pattern(spans: list[tuple[int, int]], gap: int = 16) -> re.Pattern[str]:
    """A character class holding every code point of `spans` (and, to stay short, the gaps
    under `gap` between them): a few dozen ranges, quick to test, where the exact class
    would have hundreds."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + gap:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    items = "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in merged)
    return re.compile(f"[{items}]")


def _is_single_emoji(char: str, table: _Emoji) -> bool:
    code = ord(char)
    index = bisect.bisect_right(table.single_starts, code) - 1
    return index >= 0 and code <= table.single_ends[index]


def extract_emojis_with_indices(text: str) -> list[dict[str, Any]]:
    """Emoji in `text` with their code-point indices, as `twitter_text`'s function gives them.

    Its regular expression tries every multi-code-point emoji, longest first, then one
    single-code-point emoji; the dictionary lookup below makes the same choice at each position.
    """
    table = _emoji()
    found: list[dict[str, Any]] = []
    index, size = 0, len(text)
    search = table.starts.search
    while index < size:
        candidate = search(text, index)  # skip at once what cannot start an emoji
        if candidate is None:
            break
        index = candidate.start()
        char = text[index]
        match = None
        for sequence in table.by_first.get(char, ()):
            if text.startswith(sequence, index):
                match = sequence
                break
        if match is None and _is_single_emoji(char, table):
            match = char
        if match is None:
            index += 1
            continue
        found.append({"emoji": match, "indices": [index, index + len(match)]})
        index += len(match)
    return found


def _idna_to_ascii(domain: str) -> str | None:
    try:
        return domain.encode("idna").decode("ascii")
    except Exception:
        return None


def _is_valid_url(url: str, protocol: str, domain: str) -> bool:
    puny = _idna_to_ascii(domain)
    if not puny:
        return False
    return len(protocol) + len(url) + len(puny) - len(domain) <= _MAX_URL_LENGTH


def extract_urls_with_indices(
    text: str, extract_urls_without_protocol: bool = True
) -> list[dict[str, Any]]:
    """URLs in `text` with their code-point indices, as `twitter_text`'s function gives them."""
    if text == "" or ("." not in text if extract_urls_without_protocol else ":" not in text):
        return []
    urls: list[dict[str, Any]] = []
    for url_match in _finditer("extract_url", text, 5):
        _, before, url, protocol, domain, _, path, _ = url_match.groups()
        end_position = url_match.end()
        start_position = end_position - len(url)
        if not _is_valid_url(url, protocol or _DEFAULT_PROTOCOL, domain):
            continue
        if protocol is None:
            if not extract_urls_without_protocol or _pattern(
                "invalid_url_without_protocol_preceding_chars"
            ).match(before):
                continue
            last_url: dict[str, Any] | None = None
            for ascii_match in _finditer("valid_ascii_domain", domain, 0):
                last_url = {
                    "url": ascii_match.group(0),
                    "indices": [
                        start_position + ascii_match.start(),
                        start_position + ascii_match.end(),
                    ],
                }
                urls.append(last_url)
            if last_url is None:
                continue
            if path:
                last_url["url"] = url.replace(domain, last_url["url"])
                last_url["indices"][1] = end_position
        else:
            tco_match = _pattern("valid_tco_url").search(url)
            if tco_match:
                slug = tco_match.group(1)
                if slug and len(slug) > _MAX_TCO_SLUG_LENGTH:
                    continue
                url = tco_match.group(0)
                end_position = start_position + len(url)
            urls.append({"url": url, "indices": [start_position, end_position]})
    return urls


def extract_urls(text: str, extract_urls_without_protocol: bool = True) -> list[str]:
    """The URLs in `text`, as `twitter_text.extract_urls` gives them."""
    return [u["url"] for u in extract_urls_with_indices(text, extract_urls_without_protocol)]


def _weight(char: str) -> int:
    code = ord(char)
    for start, end, weight in _RANGES:
        if start <= code <= end:
            return weight
    return _DEFAULT_WEIGHT


def weighted_length(text: str) -> int:
    """`twitter_text.parse_tweet(text).weightedLength`: URLs 23, emoji 2, CJK 2, most others 1."""
    normalized = _LINE_ENDINGS.sub("\n", unicodedata.normalize("NFC", text))
    urls = {u["indices"][0]: u for u in extract_urls_with_indices(normalized)}
    emojis = {e["indices"][0]: e for e in extract_emojis_with_indices(normalized)}
    total = 0
    index = 0
    while index < len(normalized):
        if index in urls:
            total += _URL_LENGTH * _SCALE
            index += len(urls[index]["url"]) - 1
        elif index in emojis:
            total += _DEFAULT_WEIGHT
            index += len(emojis[index]["emoji"]) - 1
        else:
            total += _weight(normalized[index])
        index += 1
    return int(total / _SCALE)
