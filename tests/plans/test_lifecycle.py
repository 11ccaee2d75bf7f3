"""The client's path over time: goals followed with dated notes, the plan in plain language,
closing with a follow-up period and its reminders, reopening with the history intact, and every
step on the client's timeline (issue 16)."""

import io
from datetime import date, timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PdfReader

from cases.services import add_case_managers
from clients.models import CaseManagerAssignment, Client, ClientStatus
from consents import reach
from consents.services import add_to_team, record_consent, record_disclosure_ban
from plans.due import follow_up_period_notice_on, follow_up_period_until
from plans.models import FeedbackDiscussion, Goal, GoalNote, SupportPlan
from plans.services import add_goal, create_plan, follow_goal
from teams.models import Organisation, Role, Sector
from tests.factories import staff
from tests.utils import log_in
from work.models import Notification, ReminderKind
from work.reminders import sweep

from .story import jaakkos_meeting
from .test_plans import close, write_plan

MY_WORDS = "Haluan oppia ajamaan trukkia"  # a goal, in Jaakko's own words
PLAIN = "Sinä menet työkokeiluun. Työkokeilu kestää kolme kuukautta."
# Employment services' goal and its note in Tiina's plan: employment data of theirs.
SECRET_GOAL = "Tavoite: trukkikortti ennen kesää"
SECRET_NOTE = "Seurannassa todettu: trukkikurssi kesken"


def _text_of_pdf(response) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def _jaakko():
    return Client.objects.get(first_name="Jaakko")


def _labels(client, person) -> list[str]:
    return [event.label for event in client.get(
        reverse("clients:detail", args=[person.pk])).context["timeline"]]


# --- Goals with progress and dated notes -------------------------------------------------------


def test_a_goal_is_followed_with_the_client_in_dated_notes(client, demo):
    jaakko = _jaakko()
    write_plan(client, demo, jaakko)
    client.post(reverse("plans:goal_add", args=[jaakko.pk]), {"text": MY_WORDS})
    goal = Goal.objects.get()
    assert goal.progress == "not_started"
    last_week = timezone.localdate() - timedelta(days=7)
    response = client.post(reverse("plans:goal_follow", args=[goal.pk]), {
        "progress": "on_the_way", "written_on": last_week.isoformat(),
        "text": "Kurssi alkaa kuun lopussa"})
    assert response.url == reverse("plans:plan", args=[jaakko.pk])
    client.post(reverse("plans:goal_follow", args=[goal.pk]), {
        "progress": "reached", "written_on": timezone.localdate().isoformat(),
        "text": "Trukkikortti saatu"})
    goal.refresh_from_db()
    assert goal.progress == "reached" and goal.reached_on == timezone.localdate()
    assert [(n.written_on, n.progress) for n in goal.notes.all()] == [
        (timezone.localdate(), "reached"), (last_week, "on_the_way")]
    page = client.get(reverse("plans:plan", args=[jaakko.pk])).content.decode()
    for shown in (MY_WORDS, "Kurssi alkaa kuun lopussa", "Trukkikortti saatu",
                  str(_("Reached"))):
        assert shown in page, shown


def test_a_goal_note_cannot_be_dated_in_the_future(client, demo):
    jaakko = _jaakko()
    write_plan(client, demo, jaakko)
    client.post(reverse("plans:goal_add", args=[jaakko.pk]), {"text": MY_WORDS})
    goal = Goal.objects.get()
    response = client.post(reverse("plans:goal_follow", args=[goal.pk]), {
        "progress": "reached", "text": "Kesken",
        "written_on": (timezone.localdate() + timedelta(days=3)).isoformat()})
    assert response.status_code == 200
    assert "Kesken" in response.content.decode()  # what was typed stays on the form
    assert not GoalNote.objects.exists()
    assert Goal.objects.get().progress == "not_started"


def test_the_plan_pdf_shows_the_goals_with_their_progress(client, demo):
    jaakko = _jaakko()
    write_plan(client, demo, jaakko)
    client.post(reverse("plans:goal_add", args=[jaakko.pk]), {"text": MY_WORDS})
    client.post(reverse("plans:goal_follow", args=[Goal.objects.get().pk]), {
        "progress": "on_the_way", "written_on": timezone.localdate().isoformat(),
        "text": "Kurssi varattu"})
    text = _text_of_pdf(client.get(reverse("plans:plan_pdf", args=[jaakko.pk])))
    assert MY_WORDS in text and "Kurssi varattu" in text
    assert str(_("On the way")) in text


def test_the_process_summary_lists_the_goals_reached(client, demo):
    jaakko = _jaakko()
    write_plan(client, demo, jaakko)
    client.post(reverse("plans:goal_add", args=[jaakko.pk]), {"text": MY_WORDS})
    client.post(reverse("plans:goal_follow", args=[Goal.objects.get().pk]), {
        "progress": "reached", "written_on": timezone.localdate().isoformat()})
    close(client, demo, jaakko, reason="goal_reached")
    text = _text_of_pdf(client.get(reverse("plans:process_pdf", args=[jaakko.pk])))
    assert f"{MY_WORDS} – {_('Reached')}" in text


# --- The plan in plain language ----------------------------------------------------------------


def test_the_plan_in_plain_language_is_printed_first_for_the_client(client, demo):
    jaakko = _jaakko()
    write_plan(client, demo, jaakko, plain_language=PLAIN)
    assert SupportPlan.objects.get().plain_language == PLAIN
    assert PLAIN in client.get(reverse("plans:plan", args=[jaakko.pk])).content.decode()
    text = _text_of_pdf(client.get(reverse("plans:plan_pdf", args=[jaakko.pk])))
    assert text.index("Sinä menet työkokeiluun") < text.index("Työkokeilu metallialalla")


def test_a_change_of_the_plain_language_part_is_a_version_of_its_own(client, demo):
    jaakko = _jaakko()
    write_plan(client, demo, jaakko, plain_language=PLAIN)
    write_plan(client, demo, jaakko, plain_language="Sinä menet kurssille.")
    page = client.get(reverse("plans:plan", args=[jaakko.pk])).context
    assert [v.plain_language for v in page["versions"]] == ["Sinä menet kurssille.", PLAIN]


# --- Closing with a follow-up period -----------------------------------------------------------


def test_closing_as_goal_reached_keeps_a_follow_up_period(client, demo):
    jaakko = _jaakko()
    write_plan(client, demo, jaakko)
    response = close(client, demo, jaakko, reason="goal_reached", follow_up_months="6")
    assert response.url == reverse("clients:detail", args=[jaakko.pk])
    jaakko.refresh_from_db()
    until = follow_up_period_until(timezone.localdate(), 6)
    assert jaakko.closing_reason == "goal_reached" and jaakko.follow_up_until == until
    page = client.get(reverse("clients:detail", args=[jaakko.pk])).content.decode()
    assert until.strftime("%-d.%-m.%Y") in page


def test_a_follow_up_period_is_only_for_work_or_a_reached_goal(client, demo):
    jaakko = _jaakko()
    response = close(client, demo, jaakko, reason="pension", follow_up_months="6")
    assert response.status_code == 200
    jaakko.refresh_from_db()
    assert jaakko.status == ClientStatus.ACTIVE and jaakko.follow_up_until is None


def test_a_follow_up_period_ends_on_the_same_day_of_the_month_or_the_months_last():
    assert follow_up_period_until(date(2026, 3, 15), 6) == date(2026, 9, 15)
    assert follow_up_period_until(date(2026, 8, 31), 6) == date(2027, 2, 28)


def test_the_case_managers_are_reminded_near_the_end_and_at_the_end(client, demo):
    jaakko = _jaakko()
    close(client, demo, jaakko, reason="employed", follow_up_months="3")
    until = _jaakko().follow_up_until
    sweep(today=follow_up_period_notice_on(until) - timedelta(days=1))
    assert not Notification.objects.filter(kind=ReminderKind.FOLLOW_UP_PERIOD).exists()
    sweep(today=follow_up_period_notice_on(until))
    sweep(today=until)
    sweep(today=until + timedelta(days=1))  # finally closed: nothing more
    reminded = Notification.objects.filter(kind__in=[
        ReminderKind.FOLLOW_UP_PERIOD, ReminderKind.FOLLOW_UP_PERIOD_ENDED])
    assert [(n.user, n.kind, n.due_on) for n in reminded.order_by("pk")] == [
        (demo["typ_expert"], ReminderKind.FOLLOW_UP_PERIOD, until),
        (demo["typ_expert"], ReminderKind.FOLLOW_UP_PERIOD_ENDED, until)]
    assert {n.url for n in reminded} == {reverse("clients:detail", args=[jaakko.pk])}


def test_my_work_shows_the_follow_up_period_ending_this_week(client, demo):
    jaakko = _jaakko()
    close(client, demo, jaakko, reason="employed", follow_up_months="3")
    until = _jaakko().follow_up_until
    with time_machine.travel(until - timedelta(days=1)):
        log_in(client, demo["typ_expert"])
        work = client.get(reverse("home")).context["work"]
    items = [*work.today, *work.week]
    assert [(i.label, i.url) for i in items] == [
        (str(ReminderKind.FOLLOW_UP_PERIOD.label), reverse("clients:detail", args=[jaakko.pk]))]


# --- Reopening ---------------------------------------------------------------------------------


def reopen(client, demo, person, users=("typ_expert",)):
    log_in(client, demo["typ_expert"])
    return client.post(reverse("plans:reopen_client", args=[person.pk]),
                       {"case_managers": [demo[name].pk for name in users]})


def test_a_client_who_comes_back_is_reopened_with_the_history_intact(client, demo):
    jaakko = _jaakko()
    jaakkos_meeting(demo)
    write_plan(client, demo, jaakko)
    close(client, demo, jaakko, reason="goal_reached", follow_up_months="6")
    page = client.get(reverse("clients:detail", args=[jaakko.pk]))
    assert reverse("plans:reopen_client", args=[jaakko.pk]) in page.content.decode()
    assert client.get(reverse("plans:reopen_client", args=[jaakko.pk])).status_code == 200
    response = reopen(client, demo, jaakko)
    assert response.url == reverse("clients:detail", args=[jaakko.pk])
    jaakko.refresh_from_db()
    assert jaakko.status == ClientStatus.ACTIVE
    assert jaakko.closed_on is None and jaakko.follow_up_until is None
    # The earlier round stays: the ended plan, the final discussion, the ended period.
    assert SupportPlan.objects.get(client=jaakko).status == "ended"
    assert FeedbackDiscussion.objects.get(is_final=True).reviewed == "Työpaikka löytyi"
    periods = list(jaakko.case_manager_assignments.order_by("pk").values_list(
        "user__username", "ended_on"))
    assert periods == [("typ_expert", timezone.localdate()), ("typ_expert", None)]
    assert jaakko.pk in [row.pk for row in client.get(reverse("clients:list")).context["page"]]
    # A new plan is written for the new round.
    assert write_plan(client, demo, jaakko).status_code == 302
    assert SupportPlan.objects.filter(client=jaakko).count() == 2


def test_reopening_asks_for_the_case_managers(client, demo):
    jaakko = _jaakko()
    close(client, demo, jaakko)
    response = reopen(client, demo, jaakko, users=())
    assert response.status_code == 200
    assert _("Name the case managers.") in response.content.decode()
    assert _jaakko().status == ClientStatus.CLOSED


def test_only_whoever_may_close_the_client_reopens_them(client, demo):
    jaakko = _jaakko()
    close(client, demo, jaakko)
    url = reverse("plans:reopen_client", args=[jaakko.pk])
    # The coordinator is on Jaakko's team (health care, not the card's writer); the others
    # have no relationship with him; the admin reads no client data.
    add_to_team(client=jaakko, user=demo["coordinator"], by=demo["typ_expert"])
    for name, refused in (("coordinator", 403), ("te_expert", 404), ("kela_expert", 404),
                          ("admin", 403)):
        log_in(client, demo[name])
        assert client.get(url).status_code == refused, name
        assert client.post(url, {"case_managers": [demo[name].pk]}).status_code == refused
    assert _jaakko().status == ClientStatus.CLOSED


def test_closing_again_after_reopening_reminds_again(client, demo):
    jaakko = _jaakko()
    close(client, demo, jaakko, reason="employed", follow_up_months="3")
    sweep(today=_jaakko().follow_up_until)
    reopen(client, demo, jaakko)
    close(client, demo, jaakko, reason="goal_reached", follow_up_months="6")
    until = _jaakko().follow_up_until
    sweep(today=until)
    # Near the end and at the end, again.
    assert Notification.objects.filter(due_on=until, kind__in=[
        ReminderKind.FOLLOW_UP_PERIOD, ReminderKind.FOLLOW_UP_PERIOD_ENDED]).count() == 2


# --- The timeline ------------------------------------------------------------------------------


def test_the_timeline_shows_every_step_of_the_process(client, demo):
    jaakko = _jaakko()
    jaakkos_meeting(demo)
    write_plan(client, demo, jaakko)
    write_plan(client, demo, jaakko, short_term_goals="Työkokeilu ja kurssi")
    client.post(reverse("plans:goal_add", args=[jaakko.pk]), {"text": MY_WORDS})
    client.post(reverse("plans:goal_follow", args=[Goal.objects.get().pk]), {
        "progress": "reached", "written_on": timezone.localdate().isoformat()})
    close(client, demo, jaakko, reason="goal_reached", follow_up_months="6")
    reopen(client, demo, jaakko)
    labels = _labels(client, jaakko)
    until = follow_up_period_until(timezone.localdate(), 6).strftime("%-d.%-m.%Y")
    for expected in (
        _("Support plan written"), _("Support plan updated (new version)"),
        _("Support plan ended"), _("Goal reached: %(goal)s") % {"goal": MY_WORDS},
        _("Final feedback discussion held"),
        _("%(person)s became case manager") % {"person": demo["typ_expert"]},
        _("%(person)s ended as case manager") % {"person": demo["typ_expert"]},
        _("Client closed: %(reason)s; followed up until %(date)s") % {
            "reason": _("Goal reached"), "date": until},
        _("Client reopened"),
    ):
        assert str(expected) in labels, expected


def test_petris_coordinator_leaves_and_his_employment_coach_goes_on(client, demo):
    """Petri's case was shared by the work-ability coordinator and the employment coach: the
    coordinator hands over to nobody, the coach continues and still has him on My work."""
    petri = Client.objects.get(first_name="Petri")
    log_in(client, demo["coordinator"])
    response = client.post(reverse("clients:handover", args=[petri.pk]), {"successor": ""})
    assert response.url == reverse("home")
    log_in(client, demo["te_expert"])
    work = client.get(reverse("home")).context["work"]
    assert petri.pk in [a.client_id for a in work.my_clients]
    labels = _labels(client, petri)
    assert str(_("%(person)s ended as case manager") % {"person": demo["coordinator"]}) in labels
    assert str(_("%(person)s became case manager") % {"person": demo["te_expert"]}) in labels


# --- What others may not see -------------------------------------------------------------------


def _tiinas_goal(story):
    """Employment services' plan for Tiina, with a goal reached and a note on it."""
    expert = story.users["te_expert"]
    plan = create_plan(client=story.tiina, by=expert, organisation=story.employment,
                       case_managers=[expert], short_term_goals="Työkokeilu")
    goal = add_goal(plan=plan, by=expert, text=SECRET_GOAL)
    follow_goal(goal=goal, by=expert, progress="reached", text=SECRET_NOTE)
    return goal


def _pages_about(client, goal):
    tiina = goal.plan.client
    for url in (reverse("clients:detail", args=[tiina.pk]),
                reverse("plans:plan", args=[tiina.pk]),
                reverse("plans:goal_follow", args=[goal.pk]),
                reverse("plans:plan_pdf", args=[tiina.pk]),
                reverse("plans:process_pdf", args=[tiina.pk])):
        response = client.get(url)
        body = (_text_of_pdf(response) if response.get("Content-Type") == "application/pdf"
                else response.content.decode())
        yield url, response.status_code, body


def test_the_plans_organisation_sees_its_goal_notes(client, story):
    goal = _tiinas_goal(story)
    log_in(client, story.users["te_expert"])
    pages = {url: body for url, _status, body in _pages_about(client, goal)}
    assert SECRET_NOTE in pages[reverse("plans:plan", args=[story.tiina.pk])]
    assert SECRET_GOAL in pages[reverse("clients:detail", args=[story.tiina.pk])]  # timeline


def _not_shown_to(client, user, goal):
    log_in(client, user)
    for url, status, body in _pages_about(client, goal):
        assert SECRET_NOTE not in body and SECRET_GOAL not in body, (user, url, status)


def test_goal_notes_are_not_shown_without_the_employment_consent(client, story):
    """The Kela expert on Tiina's team has no consent for employment data; TYP has no
    relationship with her; the admin reads no client data."""
    goal = _tiinas_goal(story)
    for name in ("kela_expert", "typ_expert", "admin"):
        _not_shown_to(client, story.users[name], goal)


def test_goal_notes_are_not_shown_under_a_disclosure_ban(client, story):
    """Health care sees them under Tiina's consent, and no longer once she bans it."""
    goal = _tiinas_goal(story)
    record_consent(client=story.tiina, by=story.users["te_expert"],
                   categories=["identity", "employment"], organisations=[story.health],
                   purpose="Työkyvyn tuki", method="written",
                   valid_from=timezone.localdate() - timedelta(days=1))
    log_in(client, story.users["nurse"])
    page = client.get(reverse("plans:plan", args=[story.tiina.pk])).content.decode()
    assert SECRET_NOTE in page
    record_disclosure_ban(client=story.tiina, by=story.users["te_expert"], sector="health")
    _not_shown_to(client, story.users["nurse"], goal)


def test_reopening_names_again_only_the_case_managers_the_user_may_know_of(client, story):
    """Another organisation's case manager at the closing is that organisation's data: under a
    disclosure ban on the card's writer it is neither shown nor ticked on the reopening page."""
    tiina = story.tiina
    mental = Organisation.objects.get(sector=Sector.MENTAL_HEALTH)
    secret = staff(Role.MENTAL_HEALTH_WORKER, organisation=mental, username="mhcm",
                   first_name="Salainen", last_name="Mielenterveystyöntekijä")
    add_case_managers(client=tiina, users=[secret], by=secret, named_by=mental)
    record_disclosure_ban(client=tiina, by=story.users["nurse"], organisation=story.employment)
    today = timezone.localdate()
    CaseManagerAssignment.objects.filter(client=tiina, ended_on__isnull=True).update(
        ended_on=today)
    Client.objects.filter(pk=tiina.pk).update(status=ClientStatus.CLOSED, closed_on=today)
    reach.refresh(tiina.pk)  # the updates above went past the signals that keep the rows
    log_in(client, story.users["te_expert"])
    response = client.get(reverse("plans:reopen_client", args=[tiina.pk]))
    assert response.status_code == 200
    assert secret.pk not in response.context["form"].initial["case_managers"]
    # Anyone may be named (the picker searches all care staff), but not offered as one who was.
    assert "Salainen" not in response.content.decode()
