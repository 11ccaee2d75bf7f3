"""
The demo clients' paths through the service (DESIGN.md, "Demo clients"), written through the
same services the pages use. Each story runs once: a second seed finds it told.

Saara reads best in plain language (selkokieli): her plan has a plain-language part, printed
first on her copy. Petri had two case managers; the work-ability coordinator leaves and the
employment coach goes on. Jaakko was a client before: his goal, a work trial, was reached and
he was followed for six months after closing; he came back and was reopened with that history.
Nadina needs an Arabic interpreter: her coming team meeting has one booked.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from cases.services import hand_over
from clients.models import CaseManagerAssignment, Client, ClosingReason
from meetings.models import Meeting, MeetingMode, Room
from meetings.services import book_meeting
from plans.due import DEFAULT_FOLLOW_UP_PERIOD_MONTHS
from plans.models import GoalProgress, SupportPlan
from plans.services import (
    add_action,
    add_goal,
    close_client,
    create_plan,
    follow_goal,
    reopen_client,
)
from teams.models import Team

SAARAS_PLAIN_LANGUAGE = (
    "Sinä haluat töihin kiinteistöhuoltoon.\n"
    "Ensin menet työkokeiluun. Työkokeilu kestää kolme kuukautta.\n"
    "Työvalmentaja Jukka auttaa sinua työpaikalla.\n"
    "Tapaamme kerran kuukaudessa. Silloin katsomme yhdessä, miten sinulla menee.\n"
    "Jos sinulla on kysyttävää, soita Tuomakselle."
)


def _on(day, hour=12):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def saaras_plan(employment, users):
    """Saara's plan, written with her by her employment services case manager: the goals in
    her own words, and the plan in plain language for her copy."""
    saara = Client.objects.get(first_name="Saara")
    if SupportPlan.objects.filter(client=saara).exists():
        return
    expert = users["te_expert"]
    today = timezone.localdate()
    plan = create_plan(
        client=saara, by=expert, organisation=employment, case_managers=[expert],
        short_term_goals="Haluan työkokeiluun kiinteistöhuoltoon.",
        long_term_goals="Haluan oikean työpaikan, jossa saan palkkaa.",
        plain_language=SAARAS_PLAIN_LANGUAGE, follow_up_weeks=4,
        first_follow_up=today + timedelta(days=21),
    )
    trial = add_goal(plan=plan, by=expert,
                     text="Löydän työkokeilupaikan kiinteistöhuollosta")
    follow_goal(goal=trial, by=expert, progress=GoalProgress.ON_THE_WAY,
                text="Kaksi paikkaa kysytty; Jukka käy Saaran kanssa tutustumassa.",
                written_on=today - timedelta(days=7))
    add_goal(plan=plan, by=expert, text="Opettelen kulkemaan bussilla työpaikalle")
    add_action(plan=plan, by=expert, what="Etsitään työkokeilupaikka yhdessä Saaran kanssa",
               responsible_other="Jukka Heikkinen, Työpaja Kainuu ry",
               due_on=today + timedelta(days=14))
    # Hers to do, and to mark done in Oma Työkyky.
    add_action(plan=plan, by=expert, what="Päivitän ansioluetteloni ja tuon sen tapaamiseen",
               client_responsible=True, due_on=today + timedelta(days=7))


def petris_coordinator_leaves(users):
    """Petri's case was shared at first by the work-ability coordinator and the employment
    coach; the coordinator's part is done and she leaves, the coach continues."""
    petri = Client.objects.get(first_name="Petri")
    coordinator = users["coordinator"]
    current = petri.case_manager_assignments.current()
    if not current.filter(user=coordinator).exists() or current.count() < 2:
        return
    current.update(started_on=timezone.localdate() - timedelta(days=90))
    hand_over(client=petri, leaving=coordinator, successor=None, by=coordinator)


def jaakkos_earlier_round(typ, users):
    """Jaakko's first round with TYP: a plan with a work trial as the goal, reached; closed
    as goal reached with six months' follow-up; the follow-up ended, and he came back and
    was reopened. The dates are moved into the past the way they happened."""
    jaakko = Client.objects.get(first_name="Jaakko")
    if SupportPlan.objects.filter(client=jaakko).exists():
        return
    expert = users["typ_expert"]
    today = timezone.localdate()
    began, closed_on = today - timedelta(days=500), today - timedelta(days=330)
    reopened_on = today - timedelta(days=120)
    jaakko.case_manager_assignments.current().update(started_on=began)
    plan = create_plan(client=jaakko, by=expert, organisation=typ, case_managers=[expert],
                       short_term_goals="Työkokeilu metallialan yrityksessä",
                       long_term_goals="Palkkatyö metallialalla", follow_up_weeks=4)
    goal = add_goal(plan=plan, by=expert, text="Aloitan työkokeilun metallialan yrityksessä")
    follow_goal(goal=goal, by=expert, progress=GoalProgress.ON_THE_WAY,
                text="Kaksi yritystä kysytty; Jaakko kävi tutustumassa.",
                written_on=began + timedelta(days=60))
    follow_goal(goal=goal, by=expert, progress=GoalProgress.REACHED,
                text="Työkokeilu alkoi Kuhmon konepajassa.",
                written_on=closed_on - timedelta(days=20))
    close_client(client=jaakko, by=expert, organisation=typ,
                 reason=ClosingReason.GOAL_REACHED, closed_on=closed_on,
                 follow_up_months=DEFAULT_FOLLOW_UP_PERIOD_MONTHS,
                 final_discussion={"holder": expert, "client_present": True,
                                   "others_present": "",
                                   "reviewed": "Tavoite saavutettu: työkokeilu alkoi. "
                                               "Seurataan puoli vuotta."})
    reopen_client(client=jaakko, by=expert, case_managers=[expert])
    # When it happened: the plan and its versions, the closing and the reopening.
    SupportPlan.objects.filter(pk=plan.pk).update(created_at=_on(began + timedelta(days=14)))
    versions = list(SupportPlan.history.filter(id=plan.pk).order_by("history_date"))
    for version, day in zip(versions, [began + timedelta(days=14), closed_on], strict=False):
        SupportPlan.history.filter(pk=version.pk).update(history_date=_on(day))
    changes = list(Client.history.filter(id=jaakko.pk).order_by("-history_date")[:2])
    for version, day in zip(changes, [reopened_on, closed_on], strict=True):
        Client.history.filter(pk=version.pk).update(history_date=_on(day))
    CaseManagerAssignment.objects.filter(client=jaakko, ended_on__isnull=True).update(
        started_on=reopened_on)


def nadinas_meeting_with_an_interpreter(health, users):
    """Nadina's team meeting next week: her card says she needs an Arabic interpreter, and
    the coordinator has booked one."""
    nadina = Client.objects.get(first_name="Nadina")
    if Meeting.objects.filter(client=nadina).exists():
        return
    day = timezone.localdate() + timedelta(days=7)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    start = _on(day, 13)  # Tiina's meeting the same day is at 10 (seed_demo._intake)
    book_meeting(
        client=nadina, team=Team.objects.get(), by=users["coordinator"], organisation=health,
        starts_at=start, ends_at=start + timedelta(hours=1), mode=MeetingMode.IN_PERSON,
        room=Room.objects.order_by("pk").first(),
        agenda="Kielikoulutus ja osaamisen kartoitus; migreenin hoito",
        users=[users["te_expert"], users["nurse"]], needs_support=True, wants_to_work=True,
        not_solved_by_basic_services=True, client_motivated=True, interpreter_booked=True,
    )
