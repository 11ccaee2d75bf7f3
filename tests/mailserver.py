"""
A real SMTP server in the test (aiosmtpd on a free local port): the outbox talks SMTP to it over
TCP, exactly as to the organisation's mail relay. It records what it accepted and can refuse
chosen recipients, for good (5xx) or for now (4xx).
"""

import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    to: list[str]
    subject: str
    message_id: str
    body: str


@dataclass
class MailServer:
    """The handler aiosmtpd calls; `refuse` maps an address to the reply its RCPT gets."""

    received: list[Received] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    # Called with the number of messages accepted so far, before "250" is answered.
    on_accept: object = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.received.append(Received(
                to=list(envelope.rcpt_tos), subject=str(parsed["Subject"]),
                message_id=str(parsed["Message-ID"]),
                body=parsed.get_body(preferencelist=("plain",)).get_content(),
            ))
            count = len(self.received)
        if self.on_accept:
            self.on_accept(count)
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        return [message.message_id for message in self.received]

    def to(self, address) -> list[Received]:
        return [message for message in self.received if address in message.to]


@pytest.fixture
def smtp_server(settings):
    """The app's e-mail goes over SMTP to a server running in this test."""
    server = MailServer(port=free_port())
    controller = Controller(server, hostname="127.0.0.1", port=server.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    yield server
    controller.stop()
