"""`briefgen send-test`: send a brief's guarded email to one address through the SMTP server."""

from __future__ import annotations

import email
import os
import smtplib
import ssl
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, localtime, make_msgid, parseaddr
from pathlib import Path

from briefgen.errors import ConfigError, GuardError, SendError, UsageError
from briefgen.options import SmtpOptions
from briefgen.settings import Settings, smtp_options

PASSWORD_VARIABLE = "BRIEFGEN_SMTP_PASSWORD"
TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class Sent:
    """What was sent, to whom, through which server."""

    subject: str
    sender: str
    to: str
    server: str
    message: bytes


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply


def _address(value: str, what: str) -> str:
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise UsageError(f"{what} must be one address without line breaks")
    _, address = parseaddr(value)
    if "@" not in address or " " in address or address.startswith("@"):
        raise UsageError(f"'{value}' is not an email address", hint="like you@example.org")
    return address


def addressed_copy(eml: bytes, to: str, sender: str) -> EmailMessage:
    """The rendered .eml addressed to `to`, with a fresh Date and Message-ID.

    Everything else (subject, both parts, Content-Language, List-Unsubscribe) is exactly what
    readers get; the fresh Message-ID keeps mail clients from hiding a repeated test.
    """
    message = email.message_from_bytes(eml, _class=EmailMessage, policy=policy.SMTP)
    assert isinstance(message, EmailMessage)
    for header, value in (
        ("To", to),
        ("Date", format_datetime(localtime())),
        ("Message-ID", make_msgid(domain=sender.rpartition("@")[2])),
    ):
        del message[header]
        message[header] = value
    if message["From"] is None:
        message["From"] = sender
    return message


def _render(target: Path, settings: Settings) -> bytes:
    from briefgen import api
    from briefgen.guard.levels import blocking
    from briefgen.settings import guard_options, render_options

    loaded = api.load(target, seeds_dir=settings.path(settings.seeds_dir))
    rendered = api.render(loaded, options=render_options(settings))
    findings = api.check(rendered, options=guard_options(settings))
    if blocking(findings, settings.strict):
        raise GuardError(
            f"{loaded.path} fails the guard ({len(findings)} finding(s)); not sending it",
            hint="run `briefgen check` or `briefgen preview` to see what to fix",
        )
    return rendered.eml


def deliver(message: EmailMessage, sender: str, to: str, options: SmtpOptions) -> str:
    """Hand `message` to the SMTP server of `options`; returns `host:port`."""
    server = f"{options.host}:{options.port}"
    password = os.environ.get(PASSWORD_VARIABLE)
    if options.user and not password:
        raise ConfigError(
            f"smtp_user is set but {PASSWORD_VARIABLE} is not",
            hint=f"export {PASSWORD_VARIABLE}; the password is read from nowhere else",
        )
    try:
        with smtplib.SMTP(options.host, options.port, timeout=TIMEOUT_SECONDS) as smtp:
            smtp.ehlo()
            if options.starttls:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if options.user and password:
                smtp.login(options.user, password)
            smtp.send_message(message, from_addr=sender, to_addrs=[to])
    except smtplib.SMTPNotSupportedError:
        raise SendError(
            f"SMTP server {server} does not offer STARTTLS",
            hint="use a server that does; set smtp_starttls = false only for a local test server",
        ) from None
    except smtplib.SMTPAuthenticationError as exc:
        raise SendError(
            f"SMTP server {server} refused the login of '{options.user}': "
            f"{exc.smtp_code} {_text(exc.smtp_error)}",
            hint=f"check smtp_user and {PASSWORD_VARIABLE}",
        ) from None
    except smtplib.SMTPRecipientsRefused as exc:
        code, reason = next(iter(exc.recipients.values()))
        raise SendError(f"SMTP server {server} refused {to}: {code} {_text(reason)}") from None
    except smtplib.SMTPResponseException as exc:
        raise SendError(
            f"SMTP server {server} said {exc.smtp_code} {_text(exc.smtp_error)}"
        ) from None
    except (smtplib.SMTPException, ssl.SSLError) as exc:
        raise SendError(f"sending through {server} failed: {exc}") from None
    except OSError as exc:
        raise SendError(
            f"cannot reach SMTP server {server}: {exc.strerror or exc}",
            hint="check smtp_host and smtp_port in [tool.briefgen] or briefgen.toml",
        ) from None
    return server


def send_test(target: Path, to: str, settings: Settings) -> Sent:
    """Render `target` in memory, refuse it if the guard fails, and send it to `to` only."""
    recipient = _address(to, "the recipient")
    eml = _render(target, settings)
    configured = settings.email_from or settings.smtp_user or ""
    sender = _address(configured, "email_from") if "@" in configured else recipient
    message = addressed_copy(eml, recipient, sender)
    server = deliver(message, sender, recipient, smtp_options(settings))
    return Sent(
        subject=str(message["Subject"]),
        sender=sender,
        to=recipient,
        server=server,
        message=message.as_bytes(),
    )
