"""
Long PDFs (issue 13): a plan of 500 actions prints, tagged for accessibility; a long plan or
process is rendered in the background while the page polls, and only the user who asked gets
it, and only while the access policy still shows them all that it shows. Expired documents are
deleted; the broker down, or a worker killed mid-render, loses nothing. How fast the long plan
renders is measured in bench/large_plan_pdf.py, not here.
"""

import io
import time
from datetime import timedelta

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from clients.models import Client
from consents.models import AccessLogEntry, Action
from consents.services import record_consent, revoke_consent
from plans.models import PlanAction, SupportPlan
from plans.services import create_plan
from plans.views import plan_document
from teams.models import Organisation, Role, Sector
from tests.factories import staff
from tests.utils import log_in
from tyokyky import documents
from tyokyky.celery import app
from tyokyky.models import DocumentState, RenderedDocument

GOAL = "Työkokeilu metallialalla"


def plan_with_actions(client, author, count):
    """The author's organisation's plan for the client, with `count` actions."""
    organisation = author.memberships.get().organisation
    plan = create_plan(client=client, by=author, organisation=organisation,
                       case_managers=[author], short_term_goals=GOAL,
                       first_follow_up=timezone.localdate() + timedelta(days=28))
    today = timezone.localdate()
    PlanAction.objects.bulk_create(
        PlanAction(plan=plan, what=f"Toimenpide {number}: hae työkokeilupaikkaa",
                   responsible=author if number % 2 else None,
                   responsible_other="" if number % 2 else "Asiakas itse",
                   due_on=today + timedelta(days=number))
        for number in range(1, count + 1))
    return plan


@pytest.fixture
def short_limit(monkeypatch):
    """Anything longer than three rows goes to the background: the tests stay quick."""
    monkeypatch.setattr(documents, "INLINE_ROWS", 3)


@pytest.fixture
def jaakko(demo):
    jaakko = Client.objects.get(first_name="Jaakko")
    plan_with_actions(jaakko, demo["typ_expert"], 5)
    return jaakko


def ask_for_plan(client, user, person, django_capture_on_commit_callbacks, execute=True):
    """The plan's print link followed; returns the document asked for."""
    log_in(client, user)
    with django_capture_on_commit_callbacks(execute=execute):
        response = client.get(reverse("plans:plan_pdf", args=[person.pk]))
    document = RenderedDocument.objects.get(user=user)
    assert response.status_code == 302
    assert response.url == reverse("document", args=[document.pk])
    return document


def poll(client, document, seen):
    return client.get(reverse("document", args=[document.pk]), {"seen": seen},
                      headers={"HX-Request": "true"})


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# --- The long plan itself ------------------------------------------------------------------------


def test_a_plan_of_500_actions_prints_every_action_tagged_for_accessibility(demo):
    jaakko = Client.objects.get(first_name="Jaakko")
    plan_with_actions(jaakko, demo["typ_expert"], 500)
    pdf = documents.render(plan_document(demo["typ_expert"], jaakko.pk))
    reader = PdfReader(io.BytesIO(pdf))
    first = reader.pages[0].extract_text()
    last = "".join(page.extract_text() for page in reader.pages[-2:])
    assert "1. Toimenpide 1: hae työkokeilupaikkaa" in first
    assert "500. Toimenpide 500: hae työkokeilupaikkaa" in last
    # PDF/UA: tagged, in the client's language, the actions a list of items.
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and root["/Lang"] == "fi"
    tags = set()
    stack = [root["/StructTreeRoot"].get_object()]
    while stack:
        element = stack.pop()
        if "/S" in element:
            tags.add(element["/S"])
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict):
                stack.append(kid)
    assert {"/H1", "/H2", "/L", "/LI", "/LBody", "/P", "/Table"} <= tags


# --- Short in the request, long in the background ----------------------------------------------


def test_a_plan_up_to_the_limit_prints_in_the_request(client, demo, jaakko, monkeypatch):
    monkeypatch.setattr(documents, "INLINE_ROWS", 5)
    log_in(client, demo["typ_expert"])
    response = client.get(reverse("plans:plan_pdf", args=[jaakko.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert not RenderedDocument.objects.exists()


def test_a_long_plan_renders_in_the_background_while_the_page_polls(
        client, demo, jaakko, short_limit, django_capture_on_commit_callbacks):
    typ_expert = demo["typ_expert"]
    log_in(client, typ_expert)
    with django_capture_on_commit_callbacks() as nudges:
        asked = client.get(reverse("plans:plan_pdf", args=[jaakko.pk]))
    document = RenderedDocument.objects.get()
    assert asked.url == reverse("document", args=[document.pk])
    assert (document.user, document.kind, document.object_id) == (typ_expert, "plans.plan",
                                                                  jaakko.pk)
    # Nothing of the client in the page's address (a random id), nor on the page while it waits.
    assert asked.url == f"/documents/{document.pk}/" and document.pk.version == 4
    html = client.get(asked.url).content.decode()
    assert "Jaakko" not in html and "Tervo" not in html
    assert 'hx-trigger="every 1s"' in html and f'href="{asked.url}"' in html  # htmx, and not
    assert document.phase == "waiting"
    assert poll(client, document, "waiting").status_code == 204  # nothing new to swap in

    for nudge in nudges:  # the commit: the worker (eager here) renders it
        nudge()
    document.refresh_from_db()
    assert document.state == DocumentState.DONE and document.attempts == 1
    ready = poll(client, document, "waiting")
    assert ready.status_code == 286  # htmx stops polling
    download = reverse("document_download", args=[document.pk])
    assert f'href="{download}"' in ready.content.decode()
    assert "hx-trigger" not in ready.content.decode()
    assert not AccessLogEntry.objects.filter(action=Action.PLAN_PDF).exists()

    response = client.get(download)
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert "Toimenpide 5: hae työkokeilupaikkaa" in pdf_text(response.content)
    # The download is what showed the plan: logged then, as the inline print was.
    logged = AccessLogEntry.objects.get(action=Action.PLAN_PDF)
    assert (logged.user, logged.client_id) == (typ_expert, jaakko.pk)
    assert "employment" in logged.categories


def test_asking_again_while_it_waits_reuses_the_same_document(
        client, demo, jaakko, short_limit, django_capture_on_commit_callbacks):
    first = ask_for_plan(client, demo["typ_expert"], jaakko, django_capture_on_commit_callbacks,
                         execute=False)
    client.get(reverse("plans:plan_pdf", args=[jaakko.pk]))
    assert list(RenderedDocument.objects.all()) == [first]


def test_the_long_process_summary_renders_in_the_background_too(
        client, demo, jaakko, short_limit, django_capture_on_commit_callbacks):
    log_in(client, demo["typ_expert"])
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.get(reverse("plans:process_pdf", args=[jaakko.pk]))
    document = RenderedDocument.objects.get(kind="plans.process")
    assert asked.url == reverse("document", args=[document.pk])
    response = client.get(reverse("document_download", args=[document.pk]))
    assert "Toimenpide 5: hae työkokeilupaikkaa" in pdf_text(response.content)
    assert AccessLogEntry.objects.filter(action=Action.PROCESS_PDF).count() == 1


# --- Only the user who asked, only while the policy lets them ---------------------------------


def test_another_user_of_the_same_organisation_gets_404(
        client, demo, jaakko, short_limit, django_capture_on_commit_callbacks):
    document = ask_for_plan(client, demo["typ_expert"], jaakko,
                            django_capture_on_commit_callbacks)
    colleague = staff(Role.TYP_EXPERT, organisation=Organisation.objects.get(sector=Sector.TYP))
    log_in(client, colleague)
    # The colleague may print the plan themself, but not take this copy.
    assert client.get(reverse("plans:plan", args=[jaakko.pk])).status_code == 200
    for url in (reverse("document", args=[document.pk]),
                reverse("document_download", args=[document.pk])):
        assert client.get(url).status_code == 404
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 404
    assert not AccessLogEntry.objects.filter(user=colleague, action=Action.PLAN_PDF).exists()


def test_a_consent_revoked_before_the_download_refuses_it_and_deletes_the_bytes(
        client, story, short_limit, django_capture_on_commit_callbacks):
    tiina, users = story.tiina, story.users
    plan_with_actions(tiina, users["te_expert"], 5)
    consent = record_consent(client=tiina, by=users["te_expert"],
                             categories=["identity", "employment"], organisations=[story.kela],
                             purpose="Kuntoutus", method="written", valid_from="2026-01-01")
    kela_expert = users["kela_expert"]
    document = ask_for_plan(client, kela_expert, tiina, django_capture_on_commit_callbacks)
    assert RenderedDocument.objects.get().state == DocumentState.DONE

    revoke_consent(consent=consent, by=users["te_expert"], reason="Asiakas perui")
    response = client.get(reverse("document_download", args=[document.pk]))
    assert response.status_code == 404
    assert not RenderedDocument.objects.exists()
    assert not AccessLogEntry.objects.filter(user=kela_expert, action=Action.PLAN_PDF).exists()


def test_a_document_rendered_for_what_the_user_may_no_longer_see_goes_nowhere(
        client, story, short_limit, django_capture_on_commit_callbacks):
    """Revoked while it waited: the worker renders nothing, and says it failed."""
    tiina, users = story.tiina, story.users
    plan_with_actions(tiina, users["te_expert"], 5)
    consent = record_consent(client=tiina, by=users["te_expert"],
                             categories=["identity", "employment"], organisations=[story.kela],
                             purpose="Kuntoutus", method="written", valid_from="2026-01-01")
    document = ask_for_plan(client, users["kela_expert"], tiina,
                            django_capture_on_commit_callbacks, execute=False)
    revoke_consent(consent=consent, by=users["te_expert"], reason="Asiakas perui")
    documents.render_waiting(document.pk)
    document.refresh_from_db()
    assert (document.state, document.content) == (DocumentState.FAILED, b"")
    page = client.get(reverse("document", args=[document.pk])).content.decode()
    assert f'href="{reverse("plans:plan_pdf", args=[tiina.pk])}"' in page  # try again


# --- Kept a short time ---------------------------------------------------------------------------


def test_expired_documents_are_deleted_by_the_sweep(
        client, demo, jaakko, short_limit, django_capture_on_commit_callbacks):
    document = ask_for_plan(client, demo["typ_expert"], jaakko,
                            django_capture_on_commit_callbacks)
    assert documents.sweep() == [] and RenderedDocument.objects.exists()
    later = document.expires_at + timedelta(seconds=1)
    documents.sweep(now=later)
    assert not RenderedDocument.objects.exists()


def test_an_expired_document_is_not_handed_over_before_the_sweep_either(
        client, demo, jaakko, short_limit, django_capture_on_commit_callbacks):
    document = ask_for_plan(client, demo["typ_expert"], jaakko,
                            django_capture_on_commit_callbacks)
    RenderedDocument.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("document_download", args=[document.pk])).status_code == 404


# --- Faults ------------------------------------------------------------------------------------


def test_with_the_broker_down_the_request_renders_the_document_itself(
        client, demo, jaakko, short_limit, broker_down, django_capture_on_commit_callbacks):
    document = ask_for_plan(client, demo["typ_expert"], jaakko,
                            django_capture_on_commit_callbacks)
    document.refresh_from_db()
    assert document.state == DocumentState.DONE
    response = client.get(reverse("document_download", args=[document.pk]))
    assert response["Content-Type"] == "application/pdf"


def test_a_document_whose_worker_was_killed_is_rendered_by_the_sweep(
        client, demo, jaakko, short_limit, django_capture_on_commit_callbacks):
    document = ask_for_plan(client, demo["typ_expert"], jaakko,
                            django_capture_on_commit_callbacks, execute=False)
    now = timezone.now()
    # A worker claims it, and dies before it finishes: the lease says it is still at work.
    assert documents._claim(document.pk, now) is not None
    with time_machine.travel(now + documents.NUDGE_GRACE):
        assert documents.sweep() == []
    with time_machine.travel(now + documents.LEASE + timedelta(seconds=1)):
        assert documents.sweep() == [document.pk]
    document.refresh_from_db()
    assert (document.state, document.attempts) == (DocumentState.DONE, 2)


def test_a_document_that_keeps_failing_is_given_up_after_three_tries(
        client, demo, jaakko, short_limit, monkeypatch, django_capture_on_commit_callbacks):
    def broken(document):
        raise RuntimeError("WeasyPrint fell over")

    monkeypatch.setattr(documents, "render", broken)
    document = ask_for_plan(client, demo["typ_expert"], jaakko,
                            django_capture_on_commit_callbacks)
    now = timezone.now()
    for minute in range(1, 4):
        documents.sweep(now=now + timedelta(minutes=minute))
    document.refresh_from_db()
    assert (document.state, document.attempts) == (DocumentState.FAILED, 3)


# --- Through a real worker ---------------------------------------------------------------------


@pytest.fixture
def real_broker():
    """Tasks through the configured broker: Redis in CI, the tests' queue folder otherwise."""
    app.conf.task_always_eager = False
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge("celery")
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield


def test_a_real_worker_renders_the_long_plan_for_the_page_to_offer(
        client, transactional_db, demo, short_limit, real_broker):
    jaakko = Client.objects.get(first_name="Jaakko")
    plan_with_actions(jaakko, demo["typ_expert"], 5)
    log_in(client, demo["typ_expert"])
    page = client.get(reverse("plans:plan_pdf", args=[jaakko.pk]), follow=True)
    document = RenderedDocument.objects.get()
    deadline = time.monotonic() + 30
    while poll(client, document, "waiting").status_code != 286 and (
            time.monotonic() < deadline):
        time.sleep(0.2)
    assert page.status_code == 200
    response = client.get(reverse("document_download", args=[document.pk]))
    assert GOAL in pdf_text(response.content)
    assert SupportPlan.objects.count() == 1


def test_the_waiting_page_stops_asking_once_the_document_has_expired(
        client, demo, jaakko, short_limit, django_capture_on_commit_callbacks):
    document = ask_for_plan(client, demo["typ_expert"], jaakko,
                            django_capture_on_commit_callbacks, execute=False)
    RenderedDocument.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = poll(client, document, "waiting")
    assert response.status_code == 286  # htmx stops polling
    assert "PDF-tiedostoa ei enää säilytetä" in response.content.decode()
