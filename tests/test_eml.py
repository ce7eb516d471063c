"""The .eml is byte for byte what the stdlib's EmailMessage writes, without its cost."""

from __future__ import annotations

import datetime as dt
import email
import re
from dataclasses import dataclass
from email import policy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from briefgen.brief.models import Line, PartialDate
from briefgen.options import EmailHeaders
from briefgen.rendering.eml import build_eml, build_eml_stdlib


@dataclass(frozen=True)
class _Brief:
    """What the .eml reads from a brief."""

    title: str
    slug: str
    language: str
    date: PartialDate


#: Lines of a body: long runs that must wrap (with `=` near the cut), trailing blanks, every
#: line end, control characters, NEL and non-ASCII text.
PIECES = st.sampled_from(
    [
        "a" * 70,
        "b" * 77,
        "=" * 30,
        "é" * 30,
        "x=",
        " ",
        "\t",
        "\n",
        "\r\n",
        "\r",
        "\x0c",
        "\x85",
        "\u2028",
        '<td style="a">',
        "🙂",
        ".",
        "From ",
        "",
    ]
)
BODY = st.lists(PIECES | st.text(max_size=8), max_size=40).map("".join)
_LINE: Any = TypeAdapter(Line)


def _is_title(text: str) -> bool:
    """Whether the brief's loader accepts `text` as a title (one line, not blank: a title
    of only a line break once made a message with no body)."""
    try:
        return bool(_LINE.validate_python(text) == text)
    except ValidationError:
        return False


TITLE = st.one_of(
    st.text(min_size=1, max_size=120).filter(_is_title),
    st.lists(st.sampled_from(["Baby", "Botox:", "the", "“trend”", "=?utf-8?q?x?=", "a" * 40]))
    .map(" ".join)
    .filter(bool),
)
DATE = st.builds(
    lambda d, precision: PartialDate.parse(
        d.isoformat()[: {"day": 10, "month": 7, "year": 4}[precision]]
    ),
    st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.sampled_from(["day", "month", "year"]),
)
BRIEF = st.builds(
    _Brief,
    title=TITLE,
    slug=st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?", fullmatch=True),
    language=st.sampled_from(["en", "de-CH", "zh-Hant-TW", "ar", "x" * 40]),
    date=DATE,
)
HEADERS = st.builds(
    EmailHeaders,
    sender=st.sampled_from(["", "Desk <desk@news.example>", "Désk Ünö <desk@news.example>"]),
    to=st.sampled_from(["", "a@b.example, Ç <c@d.example>"]),
    reply_to=st.sampled_from(["", "x@y.example"]),
    list_id=st.sampled_from(["", "Health briefs <health-briefs.news.example>"]),
    list_unsubscribe=st.sampled_from(["", "mailto:x@y.example, https://u.example/x"]),
)


@settings(max_examples=120, deadline=None)
@given(BRIEF, BODY, BODY, HEADERS)
def test_the_eml_is_what_the_stdlib_writes(
    brief: _Brief, text: str, html: str, headers: EmailHeaders
) -> None:
    try:
        expected = build_eml_stdlib(brief, text, html, headers)  # type: ignore[arg-type]
    except ValueError as exc:  # a header the stdlib refuses: refused alike
        with pytest.raises(ValueError, match=re.escape(str(exc))):
            build_eml(brief, text, html, headers)  # type: ignore[arg-type]
        return
    ours = build_eml(brief, text, html, headers)  # type: ignore[arg-type]
    assert ours == expected
    message: Any = email.message_from_bytes(ours, policy=policy.default)
    assert message.defects == []
    plain, rich = message.get_payload()
    assert plain.get_content().replace("\r\n", "\n") == _as_read(text)
    assert rich.get_content().replace("\r\n", "\n") == _as_read(html)


def _as_read(body: str) -> str:
    """The text a mail client reads back: line ends made \\n, one at the end."""
    lines = body.encode().splitlines()
    return (b"\n".join(lines) + b"\n").decode()
