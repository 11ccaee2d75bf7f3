"""
The doctor's work (DESIGN.md step 6): what waits for a doctor's assessment, oldest first.

Two kinds of request land on a doctor's worklist:

- **A team meeting's decision that names the doctor** (MeetingDecision.doctor), until an
  assessment answering that meeting is recorded (DoctorAssessment.meeting), and at most for
  the while meetings.due.doctor_questions_open_since gives after the meeting. For that same
  while the named doctor is on the client's team (`named_doctor`, a consents.policy team
  ground): they read what the team asked and what the nurse found, as far as the client's
  consents let their organisation, and they leave the team when their assessment is written.
  The bound keeps a question nobody answers from opening the client to the doctor for good.
- **An unemployed health check marked "doctor's appointment needed"**, until an assessment
  after that check is recorded (DoctorAssessment.health_check) or a newer check replaces it:
  for the doctor named on the check, or if none is named, for every doctor of the organisation
  that did the check. Only doctors of that organisation: the check is its own record, so they
  see it without any new ground, and naming a doctor elsewhere on a check opens nothing to them.

Naming a doctor in the decisions tells them: a notification behind the bell and an e-mail
through the outbox (sent once the decisions commit) that names no client.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import TruncDate
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clients.models import ClientStatus
from consents import reach
from consents.policy import clients_banned_for
from consents.shown import shown_clients
from referrals.models import DoctorAssessment, HealthCheck
from teams.models import Membership, Role, User
from tyokyky.urls_absolute import absolute
from work import outbox
from work.models import Notification, ReminderKind
from work.my_work import panel

from .access import refresh_client_of
from .due import doctor_questions_open_since
from .models import MeetingDecision, MeetingStatus

MEETING, CHECK = "meeting", "check"
PANEL_SIZE = 5  # rows on My work; the worklist has the rest


def waiting_decisions(now=None) -> QuerySet[MeetingDecision]:
    """Decisions naming a doctor that no assessment has answered yet, within the bound."""
    answered = DoctorAssessment.objects.filter(meeting=OuterRef("meeting"))
    return (
        MeetingDecision.objects.filter(
            doctor__isnull=False,
            meeting__ends_at__gte=doctor_questions_open_since(now or timezone.now()))
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .exclude(Exists(answered))
    )


@reach.team_ground
def named_doctor(client_ids, now):
    """The doctor a meeting's decision names is on the client's team from the decision until
    an assessment answering the meeting is recorded — and never longer than
    DOCTOR_QUESTIONS_OPEN_DAYS after the meeting (meetings/due.py), nor for a cancelled one.
    On the team they see what the client's consents open to their organisation, no more.
    (client, doctor, until) rows; a decision or an assessment saved rewrites them."""
    rows = waiting_decisions(now).filter(meeting__client_id__in=client_ids).values_list(
        "meeting__client_id", "doctor_id", "meeting__ends_at")
    return [(client_id, doctor_id, ends_at + (now - doctor_questions_open_since(now)))
            for client_id, doctor_id, ends_at in rows]


@receiver([post_save, post_delete], sender=MeetingDecision, dispatch_uid="reach-decision")
@receiver([post_save, post_delete], sender=DoctorAssessment, dispatch_uid="reach-assessment")
def _doctor_ground_changed(sender, instance, **kwargs):
    refresh_client_of(instance.meeting_id)


def doctor_organisation_ids(user) -> set[int]:
    return set(Membership.objects.active().filter(user=user, role=Role.DOCTOR)
               .values_list("organisation_id", flat=True))


def waiting_checks(user) -> QuerySet[HealthCheck]:
    """Checks of the user's organisations marked for a doctor's appointment, for them."""
    newer = HealthCheck.objects.filter(client=OuterRef("client"),
                                       performed_on__gt=OuterRef("performed_on"))
    return (
        HealthCheck.objects.filter(doctor_appointment_needed=True,
                                   organisation__in=doctor_organisation_ids(user))
        .filter(Q(doctor=user) | Q(doctor__isnull=True))
        .exclude(Exists(DoctorAssessment.objects.filter(health_check=OuterRef("pk"))))
        .exclude(Exists(newer))
    )


def worklist_rows(user) -> QuerySet:
    """The doctor's worklist as one ordered query (kind, item, day, client_pk), so that it
    pages in the database: the decisions naming them, the checks waiting for them, oldest
    first, of their active clients who have not banned disclosing to them."""
    banned = clients_banned_for(user)
    decisions = (
        waiting_decisions().filter(doctor=user, meeting__client__status=ClientStatus.ACTIVE)
        .exclude(meeting__client__in=banned)
        .annotate(kind=Value(MEETING), item=F("meeting_id"),
                  day=TruncDate("meeting__starts_at"), client_pk=F("meeting__client_id"))
        .values_list("kind", "item", "day", "client_pk")
    )
    checks = (
        waiting_checks(user).filter(client__status=ClientStatus.ACTIVE)
        .exclude(client__in=banned)
        .annotate(kind=Value(CHECK), item=F("pk"), day=F("performed_on"),
                  client_pk=F("client_id"))
        .values_list("kind", "item", "day", "client_pk")
    )
    return decisions.union(checks, all=True).order_by("day", "kind", "item")


@dataclass
class WorklistItem:
    kind: str
    day: date
    url: str
    client_id: int
    label: str = ""
    record: object = None  # the decision (its questions as the policy shows them) or the check
    shown_client: object = field(default=None, compare=False)


def worklist_items(user, rows) -> list[WorklistItem]:
    """The rows of one page as items with their clients as the user may see them; a request
    never shows more than its kind, date and client until it is opened."""
    rows = list(rows)
    shown = shown_clients(user, {client_pk for _kind, _item, _day, client_pk in rows})
    items = []
    for kind, item, day, client_pk in rows:
        if kind == MEETING:
            url = reverse("meetings:doctor_assessment", args=[item])
            label = _("Questions from the team meeting of %(date)s") % {
                "date": f"{day.day}.{day.month}.{day.year}"}
        else:
            url = reverse("referrals:assessment_create", args=[client_pk])
            label = _("Doctor's appointment after the health check of %(date)s") % {
                "date": f"{day.day}.{day.month}.{day.year}"}
        items.append(WorklistItem(kind, day, url, client_pk, label,
                                  shown_client=shown.get(client_pk)))
    return items


@panel("doctor_worklist")
def doctor_panel(user) -> list[WorklistItem]:
    """The oldest few on My work, for the doctors; the worklist page has them all."""
    if not user.has_perm("referrals.add_doctorassessment"):
        return []
    return worklist_items(user, worklist_rows(user)[:PANEL_SIZE])


def tell_named_doctor(decision: MeetingDecision, *, doctor_before=None) -> None:
    """
    The decisions name a doctor (anew): they find the client on their bell and get an e-mail
    that names no client and links to their worklist. The e-mail waits in the outbox and
    leaves only after the decisions commit (work/outbox.py).
    """
    if not decision.doctor_id or decision.doctor_id == doctor_before:
        return
    doctor = User.objects.filter(pk=decision.doctor_id, is_active=True).first()
    if doctor is None:
        return
    meeting = decision.meeting
    Notification.objects.create(
        user=doctor, kind=ReminderKind.DOCTOR_ASSESSMENT, client_id=meeting.client_id,
        # The worklist, not the form: the form is gone once the assessment is saved.
        url=reverse("meetings:doctor_worklist"), due_on=timezone.localdate())
    if doctor.email:
        with translation.override(doctor.language):
            message = outbox.from_templates(
                "meetings/email/doctor_named",
                {"url": absolute(reverse("meetings:doctor_worklist"))},
                to=doctor.email, client_id=meeting.client_id)
        outbox.enqueue([message])
