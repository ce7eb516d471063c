"""Assemble the ready-to-send .eml: multipart/alternative, text then HTML, deterministic.

RFC 5322 requires a From. When `email_from` is not set the .eml says it comes from
`PLACEHOLDER_FROM`, an address under `.invalid`, a name RFC 2606 reserves so that it can never
reach anyone: the file stays valid and previews in every client, nobody's address is guessed
or spoofed, and a message sent as it is bounces rather than reaching a stranger. `render`
warns about it (see `settings_warnings`); `send-test` replaces it with the sender it uses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime

from briefgen.errors import ConfigError
from briefgen.options import EmailHeaders
from briefgen.rendering.context import BriefView

PLACEHOLDER_ADDRESS = "noreply@briefgen.invalid"
PLACEHOLDER_FROM = f"briefgen <{PLACEHOLDER_ADDRESS}>"
_UNSUBSCRIBE_ENTRY = re.compile(r"<?\s*((?:mailto:|https://)[^<>\s,]+)\s*>?", re.IGNORECASE)
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LIST_ID = re.compile(rf"(?P<phrase>[^<>]*?)\s*<?(?P<id>{_ATOM}(?:\.{_ATOM})+)>?")


def list_unsubscribe(value: str) -> tuple[str, bool]:
    """The List-Unsubscribe header for `value` (RFC 2369: each URI in `<…>`; a bare one is
    wrapped) and whether it offers one-click unsubscribe (an https URI, RFC 8058).

    Only `mailto:` and `https://` URIs are accepted: anything else is a `ConfigError`.
    """
    entries = []
    for raw in (part.strip() for part in value.split(",")):
        match = _UNSUBSCRIBE_ENTRY.fullmatch(raw)
        if match is None:
            raise ConfigError(
                f"list_unsubscribe entry '{raw}' is not a mailto: or https:// address",
                hint="like <mailto:leave@example.org>, <https://example.org/unsubscribe?id=1>",
            )
        entries.append(f"<{match.group(1)}>")
    one_click = any(entry.lower().startswith("<https://") for entry in entries)
    return ", ".join(entries), one_click


def list_id(value: str) -> str:
    """The List-Id header for `value` (RFC 2919: an optional name, then `<label.domain>`)."""
    match = _LIST_ID.fullmatch(value.strip())
    if match is None:
        raise ConfigError(
            f"list_id '{value}' is not a list identifier",
            hint="like: Health briefs <health-briefs.example.org>",
        )
    phrase = match.group("phrase").strip()
    return f"{phrase} <{match.group('id')}>" if phrase else f"<{match.group('id')}>"


def check_headers(headers: EmailHeaders) -> None:
    """Refuse headers that would make an invalid .eml, before any brief is rendered."""
    if headers.list_unsubscribe:
        list_unsubscribe(headers.list_unsubscribe)
    if headers.list_id:
        list_id(headers.list_id)


def header_warnings(headers: EmailHeaders) -> list[str]:
    """What the user should know about the .eml these headers make."""
    if headers.sender:
        return []
    return [
        f"email_from is not set: email.eml says From: {PLACEHOLDER_FROM} "
        "(an address that reaches no one); set email_from before sending it"
    ]


def build_eml(brief: BriefView, text: str, html: str, headers: EmailHeaders) -> bytes:
    """The message as bytes with CRLF line ends; the same inputs give the same bytes."""
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = brief.title
    message["From"] = headers.sender or PLACEHOLDER_FROM
    if headers.to:
        message["To"] = headers.to
    if headers.reply_to:
        message["Reply-To"] = headers.reply_to
    message["Date"] = format_datetime(
        dt.datetime.combine(brief.date.first_day(), dt.time(6, 0), tzinfo=dt.UTC)
    )
    domain = (headers.sender or "").rpartition("@")[2].strip(" >") or "briefgen.invalid"
    message["Message-ID"] = f"<{brief.slug}.{brief.date.isoformat()}@{domain}>"
    if headers.list_id:
        message["List-Id"] = list_id(headers.list_id)
    if headers.list_unsubscribe:
        header, one_click = list_unsubscribe(headers.list_unsubscribe)
        message["List-Unsubscribe"] = header
        if one_click:
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    digest = hashlib.sha256((text + html).encode()).hexdigest()[:24]
    message.set_boundary(f"briefgen-{digest}")
    message["Content-Language"] = brief.language  # after the parts: they take Content-* headers
    return message.as_bytes()
