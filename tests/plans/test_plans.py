"""The support plan, handover, feedback discussions, closing a client and My work."""

import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from clients.models import Client, ClientStatus
from plans.models import FeedbackDiscussion, PlanAction, SupportPlan
from referrals.models import Referral
from referrals.services import send_referral
from tests.factories import ClientFactory
from tests.utils import log_in

from .story import discussion_url, jaakkos_meeting


def write_plan(client, demo, person, **overrides):
    log_in(client, demo["typ_expert"])
    data = {"short_term_goals": "Työkokeilu metallialalla", "long_term_goals": "Vakituinen työ",
            "follow_up_weeks": "4", "case_managers": [demo["typ_expert"].pk],
            "first_follow_up": (timezone.localdate() + timedelta(days=28)).isoformat(),
            **overrides}
    return client.post(reverse("plans:plan_edit", args=[person.pk]), data)


def test_the_plan_is_written_with_goals_actions_and_follow_up(client, demo):
    jaakko = Client.objects.get(first_name="Jaakko")
    assert write_plan(client, demo, jaakko).url == reverse("plans:plan", args=[jaakko.pk])
    plan = SupportPlan.objects.get()
    assert plan.follow_ups.get().due_on == timezone.localdate() + timedelta(days=28)
    client.post(reverse("plans:action_add", args=[jaakko.pk]), {
        "what": "Hae työkokeilupaikka", "responsible": "", "responsible_other": "Jaakko itse",
        "due_on": (timezone.localdate() + timedelta(days=14)).isoformat(),
    })
    action = PlanAction.objects.get()
    assert action.who == "Jaakko itse"
    client.post(reverse("plans:action_status", args=[action.pk]), {"status": "done"})
    action.refresh_from_db()
    assert action.status == "done" and action.done_on == timezone.localdate()
    page = client.get(reverse("plans:plan", args=[jaakko.pk])).content.decode()
    assert "Työkokeilu metallialalla" in page and "Hae työkokeilupaikka" in page


def test_an_action_needs_someone_to_do_it(client, demo):
    jaakko = Client.objects.get(first_name="Jaakko")
    write_plan(client, demo, jaakko)
    response = client.post(reverse("plans:action_add", args=[jaakko.pk]),
                           {"what": "Jotain", "responsible": "", "responsible_other": ""},
                           follow=True)
    assert "Kerro, kuka tekee: käyttäjä tai joku muu." in response.content.decode()
    assert not PlanAction.objects.exists()


def test_every_change_of_the_plan_is_kept_as_a_version(client, demo):
    jaakko = Client.objects.get(first_name="Jaakko")
    write_plan(client, demo, jaakko)
    write_plan(client, demo, jaakko, short_term_goals="Työkokeilu ja kuntoutuskurssi")
    plan = SupportPlan.objects.get()
    goals = [version.short_term_goals for version in plan.history.all()]
    assert list(dict.fromkeys(goals)) == ["Työkokeilu ja kuntoutuskurssi",
                                          "Työkokeilu metallialalla"]
    assert plan.history.first().history_user == demo["typ_expert"]
    page = client.get(reverse("plans:plan", args=[jaakko.pk])).content.decode()
    assert "Suunnitelman versiot" in page


def test_a_completed_follow_up_sets_the_next_by_the_interval(client, demo):
    jaakko = Client.objects.get(first_name="Jaakko")
    write_plan(client, demo, jaakko)
    follow_up = SupportPlan.objects.get().follow_ups.get()
    client.post(reverse("plans:follow_up_done", args=[follow_up.pk]), {"notes": "Hyvin"})
    dates = list(SupportPlan.objects.get().follow_ups.values_list("due_on", flat=True))
    assert dates[-1] == timezone.localdate() + timedelta(weeks=4)


def test_the_plan_prints_in_the_clients_language(client, demo):
    jaakko = Client.objects.get(first_name="Jaakko")
    jaakko.language = "sv"
    jaakko.save()
    write_plan(client, demo, jaakko)
    response = client.get(reverse("plans:plan_pdf", args=[jaakko.pk]))
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Plan för stöd av arbetsförmågan" in text
    assert "Työkokeilu metallialalla" in text
    assert reader.trailer["/Root"]["/Lang"] == "sv"


def test_a_handover_that_would_leave_no_case_manager_is_refused(client, demo):
    jaakko = Client.objects.get(first_name="Jaakko")
    log_in(client, demo["typ_expert"])
    response = client.post(reverse("clients:handover", args=[jaakko.pk]), {"successor": ""})
    assert ("Avoimella asiakkaalla on aina oltava vastuuhenkilö. Nimeä seuraaja ennen kuin "
            "viimeinen vastuuhenkilö luopuu tehtävästä.") in response.content.decode()
    assert [a.user for a in jaakko.case_manager_assignments.current()] == [demo["typ_expert"]]


def test_a_handover_names_the_successor(client, demo):
    jaakko = Client.objects.get(first_name="Jaakko")
    log_in(client, demo["typ_expert"])
    response = client.post(reverse("clients:handover", args=[jaakko.pk]),
                           {"successor": demo["te_expert"].pk})
    assert response.url == reverse("home")
    assert [a.user for a in jaakko.case_manager_assignments.current()] == [demo["te_expert"]]
    ended = jaakko.case_manager_assignments.get(user=demo["typ_expert"])
    assert ended.ended_on == timezone.localdate()
    successor = jaakko.case_manager_assignments.get(user=demo["te_expert"])
    assert successor.sector == "Työllisyyspalvelut (TE / kunta)"


def test_a_feedback_discussion_is_booked_then_recorded_held(client, demo):
    meeting = jaakkos_meeting(demo)
    log_in(client, demo["typ_expert"])
    url = reverse("plans:discussion_create", args=[meeting.client_id])
    client.post(url, {"meeting": meeting.pk, "holder": demo["typ_expert"].pk,
                      "scheduled_for": (timezone.localtime() + timedelta(days=2))
                      .strftime("%Y-%m-%dT%H:%M"), "client_present": "on"})
    discussion = FeedbackDiscussion.objects.get()
    assert discussion.held_on is None and discussion.scheduled_for is not None
    client.post(url, {"meeting": meeting.pk, "holder": demo["typ_expert"].pk,
                      "held_on": timezone.localdate().isoformat(), "client_present": "on",
                      "others_present": "Veli Tervo, veli", "reviewed": "Tavoite sovittu",
                      "follows_own_affairs": "partly", "support_network": "on"})
    discussion = FeedbackDiscussion.objects.get()
    assert discussion.held_on == timezone.localdate()
    assert discussion.follows_own_affairs == "partly"


def test_a_discussion_needs_a_date_or_a_booking(client, demo):
    meeting = jaakkos_meeting(demo)
    log_in(client, demo["typ_expert"])
    response = client.post(reverse("plans:discussion_create", args=[meeting.client_id]),
                           {"meeting": meeting.pk, "holder": demo["typ_expert"].pk})
    assert "Anna pitopäivä tai varaa aika." in response.content.decode()


def close(client, demo, person, **overrides):
    log_in(client, demo["typ_expert"])
    data = {"reason": "employed", "closed_on": timezone.localdate().isoformat(),
            "holder": demo["typ_expert"].pk, "client_present": "on", "others_present": "",
            "reviewed": "Työpaikka löytyi", **overrides}
    return client.post(reverse("plans:close_client", args=[person.pk]), data)


def test_closing_records_the_final_discussion_and_leaves_every_list(client, demo):
    jaakko = Client.objects.get(first_name="Jaakko")
    jaakkos_meeting(demo)
    write_plan(client, demo, jaakko)
    response = close(client, demo, jaakko)
    assert response.url == reverse("clients:detail", args=[jaakko.pk])
    jaakko.refresh_from_db()
    assert jaakko.status == ClientStatus.CLOSED and jaakko.closing_reason == "employed"
    assert FeedbackDiscussion.objects.get(is_final=True).reviewed == "Työpaikka löytyi"
    assert SupportPlan.objects.get().status == "ended"
    assert not jaakko.case_manager_assignments.current().exists()
    assert jaakko not in client.get(reverse("clients:list")).context["page"]
    assert "Tervo" not in client.get(reverse("home")).content.decode()
    health = demo["nurse"].memberships.get().organisation
    send_referral(client=jaakko, by=demo["typ_expert"],
                  organisation=demo["typ_expert"].memberships.get().organisation,
                  recipient=health, reason="other", urgency="normal")
    log_in(client, demo["nurse"])
    assert list(client.get(reverse("referrals:worklist")).context["page"]) == []


def test_closing_asks_for_the_reason_and_the_final_discussion(client, demo):
    jaakko = Client.objects.get(first_name="Jaakko")
    response = close(client, demo, jaakko, reason="", reviewed="")
    assert response.content.decode().count("Tämä kenttä vaaditaan.") >= 2
    jaakko.refresh_from_db()
    assert jaakko.status == ClientStatus.ACTIVE


def test_the_process_prints_for_the_next_service(client, demo):
    jaakko = Client.objects.get(first_name="Jaakko")
    jaakkos_meeting(demo)
    write_plan(client, demo, jaakko)
    close(client, demo, jaakko)
    response = client.get(reverse("plans:process_pdf", args=[jaakko.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    for expected in ("Yhteenveto työkyvyn tuesta", "Työkokeilu metallialalla",
                     "Verkostotapaaminen", "Työpaikka löytyi", "Työllistynyt"):
        assert expected in text, expected


def test_my_work_shows_what_is_due_one_click_from_its_record(client, demo):
    meeting = jaakkos_meeting(demo)
    log_in(client, demo["typ_expert"])
    page = client.get(reverse("home"))
    overdue = page.context["work"].overdue
    assert [(item.label, item.url) for item in overdue] == [
        ("Palautekeskustelu on ajankohtainen", discussion_url(meeting))]
    assert overdue[0].shown_client.name == "Jaakko Tervo"
    assert "Jaakko Tervo" in page.content.decode()  # his case manager's own client


def test_my_work_keeps_a_constant_query_count(client, demo, count_queries):
    tiina = Client.objects.get(first_name="Tiina")
    employment = demo["te_expert"].memberships.get().organisation
    health = demo["nurse"].memberships.get().organisation
    log_in(client, demo["nurse"])

    def refer(count):
        first = Referral.objects.count()
        people = ClientFactory.create_batch(count, organisations=[employment],
                                            municipality=tiina.municipality)
        for number, person in enumerate(people, start=first):
            send_referral(client=person, by=demo["te_expert"], organisation=employment,
                          recipient=health, reason="other", urgency="urgent")
            jaakkos_meeting(demo, ended_days_ago=15 + number)

    refer(3)
    with_few = count_queries(client, reverse("home"))
    refer(20)
    assert count_queries(client, reverse("home")) == with_few
