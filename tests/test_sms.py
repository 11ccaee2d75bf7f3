"""
Text messages through the outbox and the HTTP gateway backend (tyokyky/sms.py), against a real
HTTP server running in the test: what is posted, and what each answer does to the message —
2xx sent, 4xx parked for good, 5xx or no server tried again later.
"""

import json
import logging
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.utils import timezone

from tests.mailserver import free_port
from tyokyky import sms
from work import outbox
from work.models import Channel, MessageState, OutboxMessage

LATER = timedelta(hours=1)  # past any lease and the first backoffs


@dataclass
class Gateway:
    """What the SMS gateway received, and the status codes it answers with, in turn (the last
    one repeats)."""

    answers: list = field(default_factory=lambda: [202])
    requests: list = field(default_factory=list)
    port: int = 0

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/v1/messages"


def _handler(gateway):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            gateway.requests.append({"path": self.path, "headers": dict(self.headers),
                                     "body": body.decode()})
            status = gateway.answers.pop(0) if len(gateway.answers) > 1 else gateway.answers[0]
            self.send_response(status)
            self.end_headers()
            self.wfile.write(b'{"error": "invalid number"}' if status == 400 else b"{}")

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def gateway(settings):
    state = Gateway(port=free_port())
    server = ThreadingHTTPServer(("127.0.0.1", state.port), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "tyokyky.sms.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = state.url
    settings.SMS_GATEWAY_TOKEN = "test-token-123"
    settings.SMS_GATEWAY_FORMAT = "json"
    settings.SMS_SENDER = "Tyokyky"
    settings.SMS_GATEWAY_TIMEOUT = 5
    yield state
    server.shutdown()
    server.server_close()


def queue_text(to="+358401234567", text="Sinulla on tapaaminen."):
    outbox.enqueue([outbox.text_message(to=to, text=text)])
    return OutboxMessage.objects.get(channel=Channel.SMS, to=to)


def test_the_gateway_gets_the_message_as_json_with_the_bearer_token(db, gateway):
    message = queue_text()
    assert outbox.deliver() == 1
    [request] = gateway.requests
    assert request["path"] == "/v1/messages"
    assert request["headers"]["Authorization"] == "Bearer test-token-123"
    assert request["headers"]["Content-Type"] == "application/json"
    assert json.loads(request["body"]) == {"to": "+358401234567",
                                           "text": "Sinulla on tapaaminen.",
                                           "sender": "Tyokyky"}
    message.refresh_from_db()
    assert message.state == MessageState.SENT and message.sent_at is not None
    assert outbox.deliver(now=timezone.now() + LATER) == 0
    assert len(gateway.requests) == 1  # never again


def test_the_gateway_can_take_form_data(db, gateway, settings):
    settings.SMS_GATEWAY_FORMAT = "form"
    queue_text()
    outbox.deliver()
    [request] = gateway.requests
    assert parse_qs(request["body"]) == {"to": ["+358401234567"],
                                         "text": ["Sinulla on tapaaminen."],
                                         "sender": ["Tyokyky"]}


def test_a_server_error_is_tried_again_later_and_then_sent(db, gateway):
    gateway.answers = [500, 200]
    message = queue_text()
    assert outbox.deliver() == 0
    message.refresh_from_db()
    assert message.state == MessageState.PENDING
    assert message.attempts == 1 and message.last_error.startswith("Unavailable: 500")
    assert message.next_attempt_at > timezone.now()
    assert outbox.deliver() == 0  # not before its backoff
    assert len(gateway.requests) == 1
    assert outbox.deliver(now=timezone.now() + LATER) == 1
    message.refresh_from_db()
    assert message.state == MessageState.SENT and len(gateway.requests) == 2


def test_a_refused_message_is_parked_with_the_reason_and_holds_up_nobody(db, gateway):
    gateway.answers = [400, 202]
    refused = queue_text(to="+358400000000")
    other = queue_text(to="+358401111111")
    assert outbox.deliver() == 1
    refused.refresh_from_db()
    other.refresh_from_db()
    assert refused.state == MessageState.PARKED
    assert refused.last_error.startswith("Refused: 400") and "invalid number" in refused.last_error
    assert other.state == MessageState.SENT
    outbox.deliver(now=timezone.now() + timedelta(days=2))
    assert len(gateway.requests) == 2  # the refused one is not tried again


def test_a_gateway_that_does_not_answer_is_tried_again_later(db, settings):
    settings.SMS_BACKEND = "tyokyky.sms.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{free_port()}/"  # nothing listens
    message = queue_text()
    assert outbox.deliver() == 0
    message.refresh_from_db()
    assert message.state == MessageState.PENDING
    assert message.last_error.startswith("Unavailable: ConnectionError")


def test_a_mail_server_that_is_down_holds_up_no_text_message(db, gateway, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    outbox.enqueue([outbox.message(to="someone@example.invalid", subject="s", body="b")])
    text = queue_text()
    assert outbox.deliver() == 1
    text.refresh_from_db()
    assert text.state == MessageState.SENT
    assert OutboxMessage.objects.get(channel=Channel.EMAIL).state == MessageState.PENDING


def test_the_console_backend_only_logs(db, caplog):
    queue_text()
    with caplog.at_level(logging.INFO, logger="tyokyky.sms"):
        assert outbox.deliver() == 1
    assert "•••567" in caplog.text and "Sinulla on tapaaminen." in caplog.text


@pytest.mark.parametrize(("raw", "number"), [
    ("040 123 4567", "+358401234567"),
    ("+358 40-123 4567", "+358401234567"),
    ("00358 (40) 1234567", "+358401234567"),
    ("", None),
    ("ei puhelinta", None),
    ("040", None),
])
def test_phone_numbers_are_written_as_the_gateway_wants_them(raw, number):
    assert sms.phone_number(raw) == number
