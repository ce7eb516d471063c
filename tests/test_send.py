"""`briefgen send-test` against a real SMTP server on localhost (aiosmtpd)."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from typer.testing import CliRunner

from briefgen.cli import app, exit_code_of
from briefgen.editor.send import send_test
from briefgen.errors import ConfigError, GuardError, SendError, UsageError
from briefgen.settings import Settings, load_settings
from helpers import ROOT, SEEDS

SEED = SEEDS / "baby-botox"
# aiosmtpd warns, in its own thread, that the loopback test server takes AUTH without TLS.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


class Inbox:
    """An aiosmtpd handler keeping what arrived."""

    def __init__(self) -> None:
        self.arrived: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.arrived.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str, auth: Any) -> Any:
    ok = isinstance(auth, LoginPassword) and (auth.login, auth.password) == (b"desk", b"s3cret")
    return AuthResult(success=ok, handled=False)


@contextmanager
def _server(auth: bool) -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    extra: dict[str, Any] = {}
    if auth:
        extra = {
            "authenticator": _authenticate,
            "auth_required": True,
            "auth_require_tls": False,  # a test server on loopback; real servers use STARTTLS
            "auth_exclude_mechanism": ["LOGIN"],  # PLAIN only: one clear answer per attempt
        }
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **extra)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server on 127.0.0.1."""
    with _server(auth=False) as running:
        yield running


@pytest.fixture
def smtp_auth() -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server on 127.0.0.1 that requires the login desk / s3cret."""
    with _server(auth=True) as running:
        yield running


def _settings(port: int, **more: Any) -> Settings:
    return load_settings(ROOT, smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False, **more)


def _received(inbox: Inbox) -> tuple[str, list[str], EmailMessage]:
    assert len(inbox.arrived) == 1
    sender, recipients, raw = inbox.arrived[0]
    message = email.message_from_bytes(raw, _class=EmailMessage, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return sender, recipients, message


def test_sends_the_multipart_email_with_both_parts(smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    sent = send_test(SEED, "editor@example.org", _settings(port))
    sender, recipients, message = _received(inbox)
    assert recipients == ["editor@example.org"] and sender == "editor@example.org"
    assert message.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in message.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    assert "may build a tolerance" in text.get_content()
    assert "Jenny Yu" in html.get_content() and "<html" in html.get_content()
    assert message["Subject"] == "Baby Botox: the TikTok trend, and what doctors want you to know"
    assert message["To"] == "editor@example.org"
    assert message["From"] == "editor@example.org"
    assert message["Content-Language"] == "en"
    assert message["Date"] and message["Message-ID"].endswith("@example.org>")
    assert sent.server == f"127.0.0.1:{port}" and sent.to == "editor@example.org"


def test_parts_are_exactly_the_rendered_ones(smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    send_test(SEED, "editor@example.org", _settings(port))
    _, _, message = _received(inbox)
    rendered = (ROOT / "outputs" / "baby-botox" / "email.eml").read_bytes()
    original = email.message_from_bytes(rendered, _class=EmailMessage, policy=policy.default)
    assert isinstance(original, EmailMessage)
    for kind in ("plain", "html"):
        got, want = message.get_body((kind,)), original.get_body((kind,))
        assert got is not None and want is not None
        assert got.get_content() == want.get_content()


def test_from_comes_from_settings(smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    settings = _settings(port, email_from="Health Desk <desk@example.org>")
    send_test(SEED, "me@example.org", settings)
    sender, _, message = _received(inbox)
    assert sender == "desk@example.org"
    assert message["From"] == "Health Desk <desk@example.org>"


def test_logs_in_with_the_password_from_the_environment(
    smtp_auth: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, port = smtp_auth
    monkeypatch.setenv("BRIEFGEN_SMTP_PASSWORD", "s3cret")
    send_test(SEED, "me@example.org", _settings(port, smtp_user="desk"))
    assert len(inbox.arrived) == 1


def test_wrong_password_is_a_one_line_error(
    smtp_auth: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, port = smtp_auth
    monkeypatch.setenv("BRIEFGEN_SMTP_PASSWORD", "wrong")
    with pytest.raises(SendError, match="refused the login of 'desk'") as caught:
        send_test(SEED, "me@example.org", _settings(port, smtp_user="desk"))
    assert exit_code_of(caught.value) == 2 and "\n" not in str(caught.value)
    assert inbox.arrived == []


def test_user_without_password_variable_is_refused(smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    with pytest.raises(ConfigError, match="BRIEFGEN_SMTP_PASSWORD"):
        send_test(SEED, "me@example.org", _settings(port, smtp_user="desk"))
    assert inbox.arrived == []


def test_starttls_is_required_when_configured(smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    settings = load_settings(ROOT, smtp_host="127.0.0.1", smtp_port=port)
    assert settings.smtp_starttls
    with pytest.raises(SendError, match="does not offer STARTTLS"):
        send_test(SEED, "me@example.org", settings)
    assert inbox.arrived == []


def test_connection_refused_is_a_one_line_error() -> None:
    port = _free_port()  # nothing listens there any more
    with pytest.raises(SendError, match=f"cannot reach SMTP server 127.0.0.1:{port}") as caught:
        send_test(SEED, "me@example.org", _settings(port))
    assert exit_code_of(caught.value) == 2


@pytest.mark.parametrize("address", ["me", "me@example.org\r\nBcc: x@example.org", "@x"])
def test_bad_addresses_are_refused(address: str) -> None:
    with pytest.raises(UsageError):
        send_test(SEED, address, _settings(_free_port()))


def test_a_brief_that_fails_the_guard_is_not_sent(smtp: tuple[Inbox, int], project: Path) -> None:
    inbox, port = smtp
    from briefgen.editor.scaffold import new_brief

    brief = new_brief("draft", project / "seeds", project).brief
    with pytest.raises(GuardError, match="fails the guard") as caught:
        send_test(brief, "me@example.org", _settings(port))
    assert exit_code_of(caught.value) == 1
    assert inbox.arrived == []


def test_cli_prints_what_was_sent(smtp: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch) -> None:
    inbox, port = smtp
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("BRIEFGEN_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("BRIEFGEN_SMTP_PORT", str(port))
    monkeypatch.setenv("BRIEFGEN_SMTP_STARTTLS", "false")
    result = CliRunner().invoke(app, ["send-test", str(SEED), "--to", "me@example.org"])
    assert result.exit_code == 0, result.output
    assert f"to me@example.org via 127.0.0.1:{port}" in result.output
    assert len(inbox.arrived) == 1
