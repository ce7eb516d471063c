"""`briefgen send-test`: send a brief's guarded email to one address through the SMTP server."""

from __future__ import annotations

import contextlib
import email
import os
import smtplib
import socket
import ssl
import threading
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, localtime, make_msgid, parseaddr
from pathlib import Path

from briefgen.errors import ConfigError, GuardError, SendError, UsageError
from briefgen.options import SmtpOptions
from briefgen.rendering.eml import PLACEHOLDER_ADDRESS
from briefgen.settings import Settings, smtp_options

PASSWORD_VARIABLE = "BRIEFGEN_SMTP_PASSWORD"
#: The longest a reply of the server is quoted in a message.
MAX_QUOTED = 200


@dataclass(frozen=True)
class Sent:
    """What was sent, to whom, through which server."""

    subject: str
    sender: str
    to: str
    server: str
    message: bytes


def _text(reply: bytes | str) -> str:
    """A server's reply as it may be shown: control bytes escaped, cut at `MAX_QUOTED`."""
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
    shown = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text[:MAX_QUOTED])
    return shown + ("…" if len(text) > MAX_QUOTED else "")


def _address(value: str, what: str) -> str:
    if any(not ch.isprintable() for ch in value):
        raise UsageError(
            f"{what} must be one address without line breaks or control characters",
            hint="like you@example.org",
        )
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
    if message["From"] is None or PLACEHOLDER_ADDRESS in str(message["From"]):
        del message["From"]
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


class _Deadline:
    """Ends an SMTP session that is still running after `seconds` in all: the socket's own
    timeout covers one read, and a server sending a byte every few seconds never trips it."""

    def __init__(self, smtp: smtplib.SMTP, seconds: float) -> None:
        self.smtp = smtp
        self.seconds = seconds
        self.expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def _expire(self) -> None:
        self.expired = True
        sock = self.smtp.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked read: it sees the end

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()


def _login_secret(user: str | None, password: str | None) -> None:
    """SMTP login (AUTH PLAIN / LOGIN) sends the user and password as ASCII."""
    if user is not None and not user.isascii():
        raise ConfigError("smtp_user has characters other than ASCII, which SMTP login cannot send")
    if password is not None and not password.isascii():
        raise ConfigError(
            f"the SMTP password in {PASSWORD_VARIABLE} has characters other than ASCII, "
            "which SMTP login cannot send",
            hint="use an ASCII password (or an app password) for this server",
        )


def deliver(message: EmailMessage, sender: str, to: str, options: SmtpOptions) -> str:
    """Hand `message` to the SMTP server of `options`; returns `host:port`.

    The whole session, connecting included, may take `smtp_timeout` seconds.
    """
    server = f"{options.host}:{options.port}"
    password = os.environ.get(PASSWORD_VARIABLE)
    if options.user and not password:
        raise ConfigError(
            f"smtp_user is set but {PASSWORD_VARIABLE} is not",
            hint=f"export {PASSWORD_VARIABLE}; the password is read from nowhere else",
        )
    _login_secret(options.user, password)
    international = not (sender.isascii() and to.isascii())
    smtp = smtplib.SMTP(timeout=options.timeout)
    deadline = _Deadline(smtp, options.timeout)
    try:
        with deadline, smtp:
            smtp.connect(options.host, options.port)
            smtp.ehlo()
            if options.starttls:
                if not smtp.has_extn("starttls"):
                    raise SendError(
                        f"SMTP server {server} does not offer STARTTLS",
                        hint="use a server that does; set smtp_starttls = false only for a "
                        "local test server",
                    )
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if options.user and password:
                smtp.login(options.user, password)
            if international and not smtp.has_extn("smtputf8"):
                raise SendError(
                    f"SMTP server {server} does not accept international addresses (SMTPUTF8)",
                    hint="send the test to an address in ASCII",
                )
            smtp.send_message(message, from_addr=sender, to_addrs=[to])
    except SendError:
        raise
    except Exception as exc:
        if deadline.expired:
            raise SendError(
                f"SMTP server {server} did not finish within {options.timeout:g} s",
                hint="check the server, or raise the smtp_timeout setting",
            ) from None
        raise _send_error(exc, server, to, options) from None
    return server


def _send_error(exc: Exception, server: str, to: str, options: SmtpOptions) -> Exception:
    """What went wrong talking to `server`, as one line (the password is never in it)."""
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return SendError(
            f"SMTP server {server} refused the login of '{options.user}': "
            f"{exc.smtp_code} {_text(exc.smtp_error)}",
            hint=f"check smtp_user and {PASSWORD_VARIABLE}",
        )
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, reason = next(iter(exc.recipients.values()))
        return SendError(f"SMTP server {server} refused {to}: {code} {_text(reason)}")
    if isinstance(exc, smtplib.SMTPResponseException):
        return SendError(f"SMTP server {server} said {exc.smtp_code} {_text(exc.smtp_error)}")
    if isinstance(exc, smtplib.SMTPException | ssl.SSLError):
        return SendError(f"sending through {server} failed: {_text(str(exc))}")
    if isinstance(exc, OSError):
        return SendError(
            f"cannot reach SMTP server {server}: {exc.strerror or _text(str(exc))}",
            hint="check smtp_host and smtp_port in [tool.briefgen] or briefgen.toml",
        )
    if isinstance(exc, UnicodeError):  # never the message: it may quote the password
        return SendError(f"sending through {server} failed: text that is not ASCII")
    return exc


def send_test(target: Path, to: str, settings: Settings) -> Sent:
    """Render `target` in memory, refuse it if the guard fails, and send it to `to` only."""
    recipient = _address(to, "the recipient address")
    eml = _render(target, settings)
    configured = settings.email_from or settings.smtp_user or ""
    sender = (
        _address(configured, "the sender address (email_from)") if "@" in configured else recipient
    )
    message = addressed_copy(eml, recipient, sender)
    server = deliver(message, sender, recipient, smtp_options(settings))
    return Sent(
        subject=str(message["Subject"]),
        sender=sender,
        to=recipient,
        server=server,
        message=message.as_bytes(),
    )
