"""Assemble the ready-to-send .eml: multipart/alternative, text then HTML, deterministic."""

from __future__ import annotations

import datetime as dt
import hashlib
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime

from briefgen.options import EmailHeaders
from briefgen.rendering.context import BriefView


def build_eml(brief: BriefView, text: str, html: str, headers: EmailHeaders) -> bytes:
    """The message as bytes with CRLF line ends; the same inputs give the same bytes."""
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = brief.title
    if headers.sender:
        message["From"] = headers.sender
    if headers.to:
        message["To"] = headers.to
    if headers.reply_to:
        message["Reply-To"] = headers.reply_to
    message["Date"] = format_datetime(
        dt.datetime.combine(brief.date.first_day(), dt.time(6, 0), tzinfo=dt.UTC)
    )
    domain = (headers.sender or "").rpartition("@")[2].strip(" >") or "briefgen.invalid"
    message["Message-ID"] = f"<{brief.slug}.{brief.date.isoformat()}@{domain}>"
    if headers.list_unsubscribe:
        message["List-Unsubscribe"] = headers.list_unsubscribe
        if "https://" in headers.list_unsubscribe:
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    digest = hashlib.sha256((text + html).encode()).hexdigest()[:24]
    message.set_boundary(f"briefgen-{digest}")
    message["Content-Language"] = brief.language  # after the parts: they take Content-* headers
    return message.as_bytes()
