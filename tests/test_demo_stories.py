"""The full demo tells the workshop clients' paths (demo/stories.py), as the users meet them."""

import io

from django.core.management import call_command
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from pypdf import PdfReader

from clients.models import Client, ClientStatus
from demo.stories import SAARAS_PLAIN_LANGUAGE
from meetings.models import Meeting
from plans.models import PlanAction
from teams.models import User
from tests.utils import log_in, log_in_as_client


def _timeline(client, person) -> list[str]:
    response = client.get(reverse("clients:detail", args=[person.pk]))
    return [event.label for event in response.context["timeline"]]


def test_the_full_demo_tells_the_clients_paths(client, db, settings):
    settings.DEMO_PASSWORD = "x" * 12
    call_command("seed_demo", force=True, stdout=io.StringIO())
    users = {user.username: user for user in User.objects.all()}
    saara, petri, jaakko, nadina = (Client.objects.get(first_name=name) for name in (
        "Saara", "Petri", "Jaakko", "Nadina"))

    # Saara's copy of her plan opens with the plan in plain language.
    log_in(client, users["te_expert"])
    pdf = client.get(reverse("plans:plan_pdf", args=[saara.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert SAARAS_PLAIN_LANGUAGE.splitlines()[0] in text

    # In Oma Työkyky Saara finds an action of her own to mark done.
    log_in_as_client(client, saara)
    page = client.get(reverse("oma:plan")).content.decode()
    assert "Päivitän ansioluetteloni" in page and reverse("oma:action_done", args=[
        PlanAction.objects.get(plan__client=saara, client_responsible=True).pk]) in page
    log_in(client, users["te_expert"])

    # Petri's coordinator has left; the employment coach goes on and has him on My work.
    assert petri.pk in [a.client_id for a in client.get(reverse("home")).context[
        "work"].my_clients]
    assert str(_("%(person)s ended as case manager") % {"person": users["coordinator"]}) in (
        _timeline(client, petri))

    # Jaakko's goal was reached and he was followed up after closing; he came back.
    log_in(client, users["typ_expert"])
    labels = _timeline(client, jaakko)
    assert jaakko.status == ClientStatus.ACTIVE
    assert str(_("Client reopened")) in labels
    closing = Client.history.filter(id=jaakko.pk, status=ClientStatus.CLOSED).get()
    assert closing.closing_reason == "goal_reached"
    assert str(_("Client closed: %(reason)s; followed up until %(date)s") % {
        "reason": _("Goal reached"),
        "date": formats.date_format(closing.follow_up_until, "SHORT_DATE_FORMAT")}) in labels
    assert str(_("Goal reached: %(goal)s") % {
        "goal": "Aloitan työkokeilun metallialan yrityksessä"}) in labels

    # Nadina's meeting: her interpreter need, and the interpreter booked.
    log_in(client, users["coordinator"])
    meeting = Meeting.objects.get(client=nadina)
    page = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert meeting.interpreter_booked and page.context["interpreter_missing"] is False
    assert "arabia" in page.content.decode()
