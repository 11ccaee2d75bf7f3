"""
Text messages (SMS) leave Työkyky through a pluggable backend, like e-mail through Django's
EMAIL_BACKEND: `settings.SMS_BACKEND` names the class by its dotted path.

- `ConsoleBackend` (the default, for `make run` and development) writes the message to the log.
- `HttpGatewayBackend` POSTs each message to the operator's SMS gateway (`SMS_GATEWAY_URL`,
  with the bearer token `SMS_GATEWAY_TOKEN`), as JSON `{"to", "text", "sender"}` or as form
  data (`SMS_GATEWAY_FORMAT`). A 2xx answer means accepted; a 4xx means this message is refused
  for good (a bad number, a text the gateway will not take); a 5xx, a timeout or no connection
  means try again later.

Nothing here queues or retries: the outbox (work/outbox.py) sends each SMS from its row and
decides from the error raised whether to park the message or try again later. So a backend only
says what happened: it returns on success, raises `Refused` or `Unavailable` otherwise.
"""

import logging
import re

import requests
from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


class SmsError(Exception):
    """The message was not accepted."""


class Refused(SmsError):
    """The gateway's final word on this message (4xx): sending it again will not help."""


class Unavailable(SmsError):
    """The gateway could not be reached or failed (5xx, timeout): try again later."""


def get_backend():
    """The backend `settings.SMS_BACKEND` names, made anew (cheap: no connection is kept)."""
    return import_string(settings.SMS_BACKEND)()


def phone_number(raw: str) -> str | None:
    """A client's phone number as the gateway wants it (+358401234567), or None when it is not
    a mobile number we can send to. Finnish numbers may be written with a leading 0, spaces,
    dashes or brackets."""
    number = re.sub(r"[\s\-().]", "", raw or "")
    if number.startswith("00"):
        number = "+" + number[2:]
    elif number.startswith("0"):
        number = "+358" + number[1:]
    return number if re.fullmatch(r"\+[1-9]\d{6,14}", number) else None


class ConsoleBackend:
    """Development: the message goes to the log (stdout under `make run`), nowhere else."""

    def send(self, *, to: str, text: str) -> None:
        # The number is the client's: only its last digits reach the log.
        log.info("SMS to •••%s from %s: %s", to[-3:], settings.SMS_SENDER, text)


class HttpGatewayBackend:
    """An HTTP SMS gateway: one POST a message, answered by its status code."""

    def send(self, *, to: str, text: str) -> None:
        payload = {"to": to, "text": text, "sender": settings.SMS_SENDER}
        try:
            response = requests.post(
                settings.SMS_GATEWAY_URL, timeout=settings.SMS_GATEWAY_TIMEOUT,
                headers={"Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"},
                **({"json": payload} if settings.SMS_GATEWAY_FORMAT == "json"
                   else {"data": payload}),
            )
        except requests.RequestException as error:
            raise Unavailable(f"{type(error).__name__}: {error}") from error
        _check(response)


def _check(response) -> None:
    """2xx accepted; 4xx refused for good, but for "too many requests" and "timeout" (429,
    408), which pass; anything else (5xx, a redirect) temporary."""
    if 200 <= response.status_code < 300:
        return
    reason = f"{response.status_code} {response.text[:200]}".strip()
    if 400 <= response.status_code < 500 and response.status_code not in (408, 429):
        raise Refused(reason)
    raise Unavailable(reason)
