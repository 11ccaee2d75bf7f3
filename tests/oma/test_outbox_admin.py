"""A reminder to a client is client data: the administrator's view of the outbox does not show
whom it went to, nor lets a search tell whether someone is a client."""

import logging

import pytest

from clients.models import Client
from tests.utils import log_in
from tyokyky.sms import ConsoleBackend
from work.models import OutboxMessage
from work.outbox import message, text_message

pytestmark = pytest.mark.django_db

NUMBER = "+358401112233"
ADDRESS = "tiina.oma@example.invalid"


def test_the_admin_sees_no_clients_number_or_address(client, demo):
    tiina = Client.objects.get(first_name="Tiina")
    OutboxMessage.objects.bulk_create([
        text_message(to=NUMBER, text="Muistutus", client_id=tiina.pk, to_client=True),
        message(to=ADDRESS, subject="Muistutus", body="…", client_id=tiina.pk, to_client=True),
        # To staff, about the client: the staff address is shown as before.
        message(to="hoitaja@example.invalid", subject="Kutsu", body="…", client_id=tiina.pk),
    ])
    OutboxMessage.objects.filter(to=NUMBER).update(
        state="parked", last_error=f"400 invalid number {NUMBER}")
    log_in(client, demo["admin"])
    page = client.get("/admin/work/outboxmessage/").content.decode()
    assert "hoitaja@example.invalid" in page  # staff messages as before
    for secret in (NUMBER, "401112233", ADDRESS, "tiina.oma"):
        assert secret not in page, secret
    assert "•••33" in page
    found = client.get("/admin/work/outboxmessage/", {"q": "+35840"}).content.decode()
    assert "•••33" not in found and NUMBER not in found
    row = OutboxMessage.objects.get(to=NUMBER)
    detail = client.get(f"/admin/work/outboxmessage/{row.pk}/change/").content.decode()
    assert NUMBER not in detail and "401112233" not in detail


def test_the_console_backend_logs_no_whole_number(caplog):
    with caplog.at_level(logging.INFO):
        ConsoleBackend().send(to=NUMBER, text="Sinulla on tapaaminen")
    assert "Sinulla on tapaaminen" in caplog.text
    assert NUMBER not in caplog.text and "•••233" in caplog.text


@pytest.mark.parametrize("query", [{"to": NUMBER}, {"to__startswith": "+35840"},
                                   {"to_client": "1", "to__contains": "tiina"},
                                   {"key__contains": "health_check"},
                                   {"last_error__icontains": "4011"}, {"client": "1"}])
def test_no_filter_in_the_address_bar_finds_a_clients_reminder(client, demo, query):
    tiina = Client.objects.get(first_name="Tiina")
    OutboxMessage.objects.bulk_create([
        text_message(to=NUMBER, text="Muistutus", client_id=tiina.pk, to_client=True),
        message(to=ADDRESS, subject="Muistutus", body="…", client_id=tiina.pk, to_client=True)])
    log_in(client, demo["admin"])
    response = client.get("/admin/work/outboxmessage/", query)
    # Django refuses a lookup the admin does not allow (and says nothing of the rows).
    assert response.status_code in (302, 400)
    assert "•••33" not in response.content.decode()


def test_the_lists_own_filters_still_work(client, demo):
    log_in(client, demo["admin"])
    assert client.get("/admin/work/outboxmessage/", {"state__exact": "parked"}).status_code == 200
    assert client.get("/admin/work/outboxmessage/", {"channel__exact": "sms"}).status_code == 200
