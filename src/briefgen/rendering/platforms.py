r"""The one table of social platforms and how each one counts a caption's length.

Every count errs on the side of the platform refusing: when it is unclear how a
platform counts, the larger reading is used, so a caption that "fits" here should
fit there. Per platform:

* X: twitter-text v3 weighted length (URLs 23, CJK and emoji 2), as
  ``twitter_text.parse_tweet`` counts it (ported in ``briefgen.rendering.tweettext``, which
  loads twitter-text's patterns only when a caption is measured).
* Bluesky: extended grapheme clusters, as the app counts them with ``Intl.Segmenter``
  (here the ``regex`` module's ``\X``, which follows current Unicode, Indic conjuncts
  included), plus the lexicon's UTF-8 byte cap.
* Mastodon: code points, as the compose counter does after it replaces every
  ``http(s)://`` URL with 23 characters and cuts ``@user@domain`` to ``@user``.
  A bare ``example.com`` counts as 23 on newer servers and literally on older
  ones, so it counts as the larger of the two. Code points are never fewer than
  the graphemes the server validator counts.
* Threads: Meta documents that emoji count as their UTF-8 bytes; everything else
  counts in UTF-16 code units (never fewer than code points). At most 5 unique
  links.
* LinkedIn, Instagram, TikTok, Facebook: UTF-16 code units (their clients and
  APIs are JavaScript/Java; TikTok documents "UTF-16 runes"), which is never
  fewer than code points.

Lone surrogates (which no platform can receive) are paired up or replaced by
U+FFFD before counting, so no ``str`` makes these functions raise.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from briefgen.rendering import tweettext


@dataclass(frozen=True)
class Platform:
    """A social platform's caption rules."""

    name: str
    label: str
    limit: int
    unit: str
    source: str
    max_links: int | None = None
    max_hashtags: int | None = None
    max_bytes: int | None = None


PLATFORMS: dict[str, Platform] = {
    p.name: p
    for p in (
        Platform(
            name="x",
            label="X",
            limit=280,
            unit="weighted characters",
            source="https://github.com/twitter/twitter-text/tree/master/config",
        ),
        Platform(
            name="bluesky",
            label="Bluesky",
            limit=300,
            unit="graphemes",
            source=(
                "https://github.com/bluesky-social/atproto/blob/main/"
                "lexicons/app/bsky/feed/post.json"
            ),
            max_bytes=3000,
        ),
        Platform(
            name="mastodon",
            label="Mastodon",
            limit=500,
            unit="characters",
            source="https://docs.joinmastodon.org/user/posting/",
        ),
        Platform(
            name="threads",
            label="Threads",
            limit=500,
            unit="characters",
            source="https://developers.facebook.com/docs/threads/posts",
            max_links=5,
        ),
        Platform(
            name="linkedin",
            label="LinkedIn",
            limit=3000,
            unit="characters",
            source=(
                "https://learn.microsoft.com/en-us/linkedin/marketing/"
                "community-management/shares/posts-api"
            ),
        ),
        Platform(
            name="instagram",
            label="Instagram",
            limit=2200,
            unit="characters",
            source=(
                "https://developers.facebook.com/docs/instagram-platform/"
                "instagram-graph-api/reference/ig-user/media"
            ),
            max_hashtags=5,
        ),
        Platform(
            name="tiktok",
            label="TikTok",
            limit=2200,
            unit="characters",
            source="https://developers.tiktok.com/doc/content-posting-api-reference-direct-post",
        ),
        Platform(
            name="facebook",
            label="Facebook",
            limit=63206,
            unit="characters",
            source="https://developers.facebook.com/docs/graph-api/reference/page/feed/",
        ),
    )
}


@dataclass(frozen=True)
class Measure:
    """One caption measured against one platform; ``problems`` is empty when it fits."""

    platform: str
    count: int
    limit: int
    problems: tuple[str, ...]

    @property
    def fits(self) -> bool:
        """True when no rule of the platform is broken."""
        return not self.problems


_SURROGATE = re.compile("[\ud800-\udfff]")
_SCHEME = re.compile(r"https?://", re.IGNORECASE)
# Mastodon's remote mention ``@user@domain`` counts as ``@user``. Only an ASCII
# host with a dot and a known top-level domain, not followed by more host-like
# text, is cut: every Mastodon version (old and new web client, server) agrees on
# that much, so the count is never below what any of them reports.
_LABEL = r"[A-Za-z0-9]+(?:-+[A-Za-z0-9]+)*"
_REMOTE_MENTION = re.compile(rf"(?<![=/\w])(@[A-Za-z0-9_]+)@({_LABEL}(?:\.{_LABEL})+)(?![.-]*\w)")
_MAX_HOST = 253  # longest DNS name
# A run of hashtags: starts after a non-word character, ``#a#b`` is two.
_HASHTAG_RUN = re.compile(r"(?<!\w)(?:[#＃]\w+)+")
_HASHTAG = re.compile(r"[#＃]\w+")
_MASTODON_URL_LENGTH = 23


def _well_formed(text: str) -> str:
    """Join surrogate pairs and replace lone surrogates with U+FFFD."""
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _url_spans(text: str) -> list[tuple[int, int]]:
    """Code-point spans of the URLs twitter-text finds (with or without a scheme)."""
    spans: list[tuple[int, int]] = []
    end = 0
    for entity in tweettext.extract_urls_with_indices(text):
        start, stop = (int(i) for i in entity["indices"])
        if start >= end and stop > start:
            spans.append((start, stop))
            end = stop
    return spans


def _links(text: str) -> list[str]:
    return [text[start:stop] for start, stop in _url_spans(text)]


def _hashtags(text: str) -> int:
    """Count ``#word`` tokens that are not part of a URL."""
    spans = _url_spans(text)
    total = 0
    for run in _HASHTAG_RUN.finditer(text):
        for tag in _HASHTAG.finditer(text, run.start(), run.end()):
            if not any(start <= tag.start() < stop for start, stop in spans):
                total += 1
    return total


def _count_x(text: str) -> int:
    return tweettext.weighted_length(text)


def _count_bluesky(text: str) -> int:
    import regex  # only when a Bluesky caption is measured

    return len(regex.findall(r"\X", text))


def _count_mastodon(text: str) -> int:
    parts: list[str] = []
    pos = 0
    for start, stop in _url_spans(text):
        url = text[start:stop]
        length = _MASTODON_URL_LENGTH
        if not _SCHEME.match(url):
            length = max(length, len(url))
        parts += [text[pos:start], "x" * length]
        pos = stop
    parts.append(text[pos:])
    return len(_REMOTE_MENTION.sub(_local_part, "".join(parts)))


def _local_part(mention: re.Match[str]) -> str:
    """``@user@host`` -> ``@user`` when twitter-text accepts ``host`` as a domain."""
    host = mention.group(2)
    if len(host) <= _MAX_HOST and tweettext.extract_urls(host) == [host]:
        return mention.group(1)
    return mention.group(0)


def _count_threads(text: str) -> int:
    total = 0
    pos = 0
    for entity in tweettext.extract_emojis_with_indices(text):
        start, stop = (int(i) for i in entity["indices"])
        if start < pos:
            continue
        total += _utf16_units(text[pos:start]) + len(text[start:stop].encode("utf-8"))
        pos = stop
    return total + _utf16_units(text[pos:])


_COUNTERS: dict[str, Callable[[str], int]] = {
    "x": _count_x,
    "bluesky": _count_bluesky,
    "mastodon": _count_mastodon,
    "threads": _count_threads,
    "linkedin": _utf16_units,
    "instagram": _utf16_units,
    "tiktok": _utf16_units,
    "facebook": _utf16_units,
}


def _platform(name: str) -> Platform:
    try:
        return PLATFORMS[name.strip().lower()]
    except (AttributeError, KeyError):
        known = ", ".join(PLATFORMS)
        raise KeyError(f"unknown platform {name!r}; known platforms: {known}") from None


def _possessive(label: str) -> str:
    return f"{label}'" if label.endswith("s") else f"{label}'s"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def count(platform: str, text: str) -> int:
    """Length of ``text`` as ``platform`` counts it (see the module docstring).

    Raises KeyError for an unknown platform, naming the known ones.
    """
    p = _platform(platform)
    return _COUNTERS[p.name](_well_formed(text))


def measure(platform: str, text: str, limit: int | None = None) -> Measure:
    """Check ``text`` against every rule of ``platform``.

    ``limit`` replaces the platform's default length limit (e.g. a Mastodon
    server allowing 1,000); link, hashtag and byte caps are unaffected.
    Raises KeyError for an unknown platform and ValueError for a limit below 1.
    """
    p = _platform(platform)
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be a positive integer, got {limit!r}")
    cap = p.limit if limit is None else limit
    text = _well_formed(text)
    n = _COUNTERS[p.name](text)
    problems: list[str] = []
    if n > cap:
        problems.append(f"{n:,} {p.unit}, over {_possessive(p.label)} limit of {cap:,}")
    if p.max_bytes is not None:
        size = len(text.encode("utf-8"))
        if size > p.max_bytes:
            problems.append(
                f"{size:,} UTF-8 bytes, over {_possessive(p.label)} limit of {p.max_bytes:,}"
            )
    if p.max_links is not None:
        links = len(set(_links(text)))
        if links > p.max_links:
            problems.append(f"{_plural(links, 'link')}, {p.label} allows at most {p.max_links:,}")
    if p.max_hashtags is not None:
        tags = _hashtags(text)
        if tags > p.max_hashtags:
            problems.append(
                f"{_plural(tags, 'hashtag')}, {p.label} allows at most {p.max_hashtags:,}"
            )
    return Measure(platform=p.name, count=n, limit=cap, problems=tuple(problems))
