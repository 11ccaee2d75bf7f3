"""
Service path step 5: the multi-professional team meeting about one client — rooms, the meeting
and its participants, the decisions, and each user's private calendar feed.

The tables keep the names they had when these models lived in the teams app (`teams_meeting`
…): the move changed where the code lives, not the data (migration 0001).
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clients.records import ClientRecord, DataCategory
from teams.models import Municipality, Team


class KeptTableHistory(HistoricalRecords):
    """Change history in the tables it had in the teams app, many-to-many history included."""

    def __init__(self, model_name, **options):
        super().__init__(table_name=f"teams_historical{model_name}", **options)

    def get_meta_options_m2m(self, through_model):
        name = self.get_history_model_name(through_model).lower()
        return {**super().get_meta_options_m2m(through_model), "db_table": f"teams_{name}"}


class Room(models.Model):
    """A meeting room that can be booked for a team meeting held in person."""

    name = models.CharField(_("name"), max_length=200)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT,
                                     related_name="rooms", verbose_name=_("municipality"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = KeptTableHistory("room")

    class Meta:
        db_table = "teams_room"
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["municipality__name", "name"]

    def __str__(self):
        return f"{self.name}, {self.municipality}"


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("By video")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class EntryCriteria(models.Model):
    """The entry criteria of DESIGN.md, step 5: checked when a meeting is booked, and as the
    requester sees them on a request for one."""

    CRITERIA = ("needs_support", "wants_to_work", "not_solved_by_basic_services",
                "client_motivated")

    needs_support = models.BooleanField(_("the client needs work-ability support"),
                                        default=False)
    wants_to_work = models.BooleanField(_("the client wants to enter or stay in working life"),
                                        default=False)
    not_solved_by_basic_services = models.BooleanField(
        _("basic services have not solved the situation"), default=False
    )
    client_motivated = models.BooleanField(_("the client is motivated to attend"),
                                           default=False)

    class Meta:
        abstract = True

    def criteria(self) -> dict:
        return {name: getattr(self, name) for name in self.CRITERIA}

    @property
    def criteria_met(self) -> bool:
        return all(self.criteria().values())


class Meeting(ClientRecord, EntryCriteria):
    """
    A multi-professional network meeting (monialainen verkostotapaaminen) about one client:
    when and how, who is invited, the entry criteria checked at booking, the minutes.

    Participants see it, and while it is coming or until 30 days after it they are on the
    client's team (consents.policy). Nobody — user, room, the client or a person from outside
    — is booked twice at once: on PostgreSQL exclusion constraints refuse it (migrations 0003
    and 0005), elsewhere the booking service checks inside its transaction.
    """

    CATEGORY = DataCategory.EMPLOYMENT
    # What the meeting says of the client is shown by its own category (consents.shown): the
    # time, place and video link are for everyone invited; the rest only as consents allow.
    FIELD_CATEGORIES = {
        "agenda": DataCategory.EMPLOYMENT,
        "minutes": DataCategory.HEALTH,
        "phone_details": DataCategory.IDENTITY,
        "needs_support": DataCategory.EMPLOYMENT,
        "wants_to_work": DataCategory.EMPLOYMENT,
        "not_solved_by_basic_services": DataCategory.EMPLOYMENT,
        "client_motivated": DataCategory.EMPLOYMENT,
        "criteria_met": DataCategory.EMPLOYMENT,
        # Whether an interpreter is booked tells that the client needs one: card data.
        "interpreter_booked": DataCategory.IDENTITY,
        # Whether the client came: of the meeting's content, not its time and place.
        "client_attendance": DataCategory.EMPLOYMENT,
        "client_missed": DataCategory.EMPLOYMENT,
        "needs_rebooking": DataCategory.EMPLOYMENT,
    }
    # How long after a meeting its participants stay on the client's team.
    PARTICIPATION_DAYS = 30

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="meetings",
                             verbose_name=_("team"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    mode = models.CharField(_("held"), max_length=20, choices=MeetingMode.choices,
                            default=MeetingMode.IN_PERSON)
    room = models.ForeignKey(Room, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="meetings", verbose_name=_("room"))
    video_link = models.URLField(_("video link"), blank=True)
    phone_details = models.CharField(_("phone details"), max_length=200, blank=True,
                                     help_text=_("Who calls whom, or the number to call."))
    agenda = models.TextField(_("agenda"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=MeetingStatus.choices,
                              default=MeetingStatus.SCHEDULED, db_index=True)
    minutes = models.TextField(_("minutes"), blank=True)
    # Booked by the coordinator when the client's card says an interpreter is needed.
    interpreter_booked = models.BooleanField(_("an interpreter is booked"), default=False)
    # Calendar invitations: one UID for the meeting, its SEQUENCE bumped on every change.
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    sequence = models.PositiveIntegerField(default=0, editable=False)

    history = KeptTableHistory("meeting")

    class Meta:
        db_table = "teams_meeting"
        verbose_name = _("team meeting")
        verbose_name_plural = _("team meetings")
        ordering = ["starts_at", "pk"]
        permissions = [("book_meeting", _("Can book team meetings"))]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                   name="meeting_ends_after_it_starts"),
        ]
        indexes = [
            models.Index(fields=["team", "starts_at"], name="meeting_team_time_idx"),
            models.Index(fields=["client", "starts_at"], name="meeting_client_time_idx"),
        ]

    def __str__(self):
        return _("Meeting %(number)s") % {"number": self.pk}

    @classmethod
    def shared_with(cls, user_id) -> Q:
        """Participants see the meeting they are invited to."""
        return Q(Exists(MeetingParticipant.objects.filter(meeting=OuterRef("pk"),
                                                          user_id=user_id)))

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @classmethod
    def missed_by_client(cls) -> Q:
        """The meetings the client did not arrive at (ei saapunut), in SQL: the same rule as
        `client_missed`, for lists and the rebooking prompt."""
        return Q(Exists(MeetingParticipant.objects.filter(
            meeting=OuterRef("pk"), kind=ParticipantKind.CLIENT,
            attendance=Attendance.DID_NOT_ATTEND)))

    @classmethod
    def to_rebook(cls) -> Q:
        """
        The client did not arrive and no later meeting of theirs is booked: the coordinator is
        prompted to book a new one (My work, the bell, the meeting page). Booking any meeting
        that starts after the missed one ends the prompt; a cancelled one does not.
        """
        later = Meeting.objects.filter(client=OuterRef("client"),
                                       starts_at__gt=OuterRef("starts_at")).exclude(
            status=MeetingStatus.CANCELLED)
        return cls.missed_by_client() & ~Q(status=MeetingStatus.CANCELLED) & ~Q(Exists(later))

    @property
    def client_participant(self):
        """The client's own row among the participants (prefetched ones are used)."""
        return next((p for p in self.participants.all() if p.kind == ParticipantKind.CLIENT),
                    None)

    @property
    def client_attendance(self) -> str:
        """Did the client come: content of the meeting, shown as its category allows."""
        participant = self.client_participant
        return participant.attendance if participant else Attendance.UNKNOWN

    @property
    def client_missed(self) -> bool:
        """The meeting is marked "the client did not arrive" (ei saapunut)."""
        return self.client_attendance == Attendance.DID_NOT_ATTEND

    @property
    def needs_rebooking(self) -> bool:
        return Meeting.objects.filter(Meeting.to_rebook(), pk=self.pk).exists()

    def attendance_open(self, now=None) -> bool:
        """May attendance be recorded? Like decisions, from the start on — and not for a
        cancelled meeting, which nobody attended."""
        return not self.is_cancelled and self.decisions_open(now)

    def decisions_open(self, now=None) -> bool:
        """
        May the minutes and decisions be recorded? Only from the meeting's start on: the
        meeting decides, not its booking (issue 16). The one rule for the view, the meeting
        page and wherever decisions are offered. Times are aware (Europe/Helsinki shown).
        """
        return (now or timezone.now()) >= self.starts_at


class Answer(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class ParticipantKind(models.TextChoices):
    STAFF = "staff", _("Staff")
    CLIENT = "client", _("The client")
    SUPPORT_PERSON = "support_person", _("Support person")
    EXTERNAL = "external", _("Other participant from outside")


class Attendance(models.TextChoices):
    UNKNOWN = "unknown", _("Not recorded")
    ATTENDED = "attended", _("Attended")
    DID_NOT_ATTEND = "did_not_attend", _("Did not arrive")


class MeetingParticipant(models.Model):
    """
    Someone invited to a meeting: a user, the client, or an external person (the client's
    support person, an occupational therapist) with their name, organisation, role and e-mail.

    The client's row carries no name nor address: who the client is comes from the client's
    card as the viewer may see it (consents.shown). Their attendance is recorded from the
    meeting's start (`attendance`; ei saapunut = did not arrive).

    The meeting's times are copied here so that PostgreSQL can refuse double bookings per
    person with an exclusion constraint; `blocks_calendar` is off for a declined invitation and
    a cancelled meeting.
    """

    # Who came is the meeting's content, like its agenda (consents.shown): the names, the
    # answers and the time are for everyone invited.
    FIELD_CATEGORIES = {
        "attendance": DataCategory.EMPLOYMENT,
        "get_attendance_display": DataCategory.EMPLOYMENT,
    }

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants",
                                verbose_name=_("meeting"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                             blank=True, related_name="meeting_participations",
                             verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    answer = models.CharField(_("answer"), max_length=20, choices=Answer.choices,
                              default=Answer.INVITED)
    kind = models.CharField(_("participates as"), max_length=20, choices=ParticipantKind.choices,
                            default=ParticipantKind.STAFF)
    attendance = models.CharField(_("attendance"), max_length=20, choices=Attendance.choices,
                                  default=Attendance.UNKNOWN)
    starts_at = models.DateTimeField(editable=False)
    ends_at = models.DateTimeField(editable=False)
    blocks_calendar = models.BooleanField(default=True, editable=False)

    history = KeptTableHistory("meetingparticipant")

    class Meta:
        db_table = "teams_meetingparticipant"
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name="") | Q(kind=ParticipantKind.CLIENT),
                name="participant_is_a_user_or_named",
            ),
            # Staff are users; the client and people from outside are not.
            models.CheckConstraint(
                condition=Q(kind=ParticipantKind.STAFF, user__isnull=False)
                | (~Q(kind=ParticipantKind.STAFF) & Q(user__isnull=True)),
                name="participant_kind_matches_user",
            ),
            # The client's row never copies the card: no name, no address.
            models.CheckConstraint(
                condition=~Q(kind=ParticipantKind.CLIENT) | Q(name="", email=""),
                name="client_participant_carries_no_name",
            ),
            models.UniqueConstraint(fields=["meeting", "user"], name="invited_once"),
            models.UniqueConstraint(fields=["meeting"], condition=Q(kind=ParticipantKind.CLIENT),
                                    name="client_participates_once"),
        ]
        indexes = [
            models.Index(fields=["user", "starts_at"], name="participant_calendar_idx"),
            # The rebooking prompt starts from the few meetings the client missed.
            models.Index(fields=["meeting"], condition=Q(attendance=Attendance.DID_NOT_ATTEND),
                         name="participant_no_show_idx"),
        ]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        # Staff are users: someone named without a kind is from outside (the constraint
        # participant_kind_matches_user holds whatever the caller forgot).
        if self.user_id is None and self.kind == ParticipantKind.STAFF:
            self.kind = ParticipantKind.EXTERNAL
        super().save(*args, **kwargs)

    @property
    def is_client(self) -> bool:
        return self.kind == ParticipantKind.CLIENT

    @property
    def display_name(self) -> str:
        """Never the client's name: a page shows it from the card, as the policy allows."""
        if self.is_client:
            return str(_("The client"))
        return str(self.user) if self.user_id else self.name


class MeetingDecision(models.Model):
    """
    What the meeting decided (DESIGN.md step 5): the realistic goal, the support, what goes to
    the doctor, who holds the feedback discussion and who follows up, the case managers.
    Saving it updates the client's case managers. The meeting's organisation wrote it; each
    field of content is shown to others only under a consent for its category.
    """

    FIELD_CATEGORIES = {
        "realistic_goal": DataCategory.EMPLOYMENT,
        "support": DataCategory.EMPLOYMENT,
        "follow_up": DataCategory.EMPLOYMENT,
        "financial_support": DataCategory.BENEFITS,
        "information_for_doctor": DataCategory.HEALTH,
        "questions_for_doctor": DataCategory.HEALTH,
        "statement_possible_now": DataCategory.HEALTH,
        "doctor_appointment": DataCategory.HEALTH,
        "case_manager_attends_appointment": DataCategory.HEALTH,
    }

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="decision",
                                   verbose_name=_("meeting"))
    realistic_goal = models.TextField(_("the realistic goal"))
    support = models.TextField(_("support to pursue"), blank=True)
    financial_support = models.TextField(_("financial support"), blank=True)
    information_for_doctor = models.TextField(
        _("information for the doctor"), blank=True,
        help_text=_("Only what is essential for the doctor's assessment."),
    )
    questions_for_doctor = models.TextField(_("questions for the doctor"), blank=True)
    doctor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+", verbose_name=_("doctor"))
    statement_possible_now = models.BooleanField(
        _("the doctor's statement can be written already"), default=False
    )
    doctor_appointment = models.CharField(_("doctor's appointment"), max_length=200,
                                          blank=True)
    case_manager_attends_appointment = models.BooleanField(
        _("the case manager comes to the appointment"), default=False
    )
    feedback_discussion_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("holds the feedback discussion"),
    )
    feedback_discussion_at = models.DateTimeField(_("feedback discussion agreed for"),
                                                  null=True, blank=True)
    follow_up = models.TextField(_("how the situation is followed up"), blank=True)
    follow_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("follows up"),
    )
    case_managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="meeting_decisions_as_case_manager",
        verbose_name=_("case managers"),
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("recorded by"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = KeptTableHistory("meetingdecision", m2m_fields=[case_managers])

    class Meta:
        db_table = "teams_meetingdecision"
        verbose_name = _("meeting decisions")
        verbose_name_plural = _("meeting decisions")

    def __str__(self):
        return str(self.meeting)


def _new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """
    A private ICS address for a user's own calendar app. The token is the only secret;
    a new one revokes the old. The feed names meetings by number and the client's initials.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=_new_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "teams_calendarfeed"

    def __str__(self):
        return str(self.user)

    def renew(self):
        self.token = _new_feed_token()
        self.save(update_fields=["token", "created_at"])


class RequestState(models.TextChoices):
    OPEN = "open", _("Waiting for booking")
    BOOKED = "booked", _("Meeting booked")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MeetingRequest(ClientRecord, EntryCriteria):
    """
    A request for a team meeting about one client (issue 16, "getting to the team"): from any
    service that serves the client — or from a health check marked "needs a multi-professional
    assessment" — to the coordinator of the team of the client's municipality. Open requests
    are the coordinator's intake queue (meetings/work.py); booking from one marks it booked.

    Like a referral it is sent: it is the requesting organisation's data, addressed to the
    coordinator's organisation (`recipient`), which sees it as the disclosure logged when it
    was sent. Others see it only under a consent for its category. A request made from a
    health check copies nothing of the check: the check is health data and is shown, by its
    own category, where the coordinator may see it.
    """

    CATEGORY = DataCategory.EMPLOYMENT
    ADDRESSED_TO = "recipient"

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="meeting_requests",
                             verbose_name=_("team"))
    recipient = models.ForeignKey("teams.Organisation", on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("sent to organisation"))
    reason = models.TextField(_("reason"), blank=True)
    urgency = models.CharField(_("urgency"), max_length=10,
                               choices=[("normal", _("Normal")), ("urgent", _("Urgent"))],
                               default="normal")
    state = models.CharField(_("state"), max_length=20, choices=RequestState.choices,
                             default=RequestState.OPEN, db_index=True)
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="requests", verbose_name=_("meeting"))
    health_check = models.ForeignKey("referrals.HealthCheck", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("health check"))
    closed_at = models.DateTimeField(_("booked or withdrawn"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("team meeting request")
        verbose_name_plural = _("team meeting requests")
        ordering = ["created_at", "pk"]
        constraints = [
            # One request waits per client and team: a second one would only queue twice.
            models.UniqueConstraint(fields=["client", "team"], condition=Q(state="open"),
                                    name="one_open_meeting_request"),
        ]
        indexes = [
            models.Index(fields=["team", "state", "created_at"], name="meeting_request_queue_idx"),
        ]

    def __str__(self):
        return _("Meeting request %(number)s") % {"number": self.pk}

    @property
    def requested_by(self):
        return self.created_by

    @property
    def is_open(self) -> bool:
        return self.state == RequestState.OPEN

    @property
    def from_health_check(self) -> bool:
        return self.health_check_id is not None



class FeedbackScale(models.IntegerChoices):
    """The answers of the client's feedback after a meeting, 1-5, in plain words."""

    NOT_AT_ALL = 1, _("1 – Not at all")
    A_LITTLE = 2, _("2 – A little")
    PARTLY = 3, _("3 – Partly")
    MOSTLY = 4, _("4 – Mostly")
    FULLY = 5, _("5 – Fully")


# The questions of the client's feedback after a meeting: (field, the question as the client
# reads it). The one list of them, for the model, the form, the client's page and the dashboard.
FEEDBACK_QUESTIONS = [
    ("heard", _("Was I heard in the meeting?")),
    ("knows_next_steps", _("Do I know what happens next?")),
    ("useful", _("Was the meeting useful for me?")),
]


def _answer_field(question):
    return models.PositiveSmallIntegerField(question, choices=FeedbackScale.choices)


class MeetingFeedback(models.Model):
    """
    The client's short feedback after a team meeting they took part in, given in Oma Työkyky:
    three questions on a scale of 1-5 and optional words of their own. One answer per client
    and meeting (a constraint).

    Not a record of the client's case: no staff member reads one client's answers. Staff see
    only the aggregates on the dashboard (reporting/feedback.py), and never the free text; the
    client sees their own answers. It lives and goes with its meeting.
    """

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE,
                               related_name="meeting_feedback", verbose_name=_("client"))
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="client_feedback",
                                verbose_name=_("meeting"))
    heard = _answer_field(FEEDBACK_QUESTIONS[0][1])
    knows_next_steps = _answer_field(FEEDBACK_QUESTIONS[1][1])
    useful = _answer_field(FEEDBACK_QUESTIONS[2][1])
    comment = models.TextField(_("in your own words"), blank=True)
    submitted_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("client's feedback on a meeting")
        verbose_name_plural = _("clients' feedback on meetings")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["client", "meeting"],
                                    name="one_feedback_per_client_and_meeting"),
            models.CheckConstraint(
                condition=Q(heard__gte=1, heard__lte=5, knows_next_steps__gte=1,
                            knows_next_steps__lte=5, useful__gte=1, useful__lte=5),
                name="meeting_feedback_answers_1_to_5"),
        ]

    def __str__(self):
        return _("Feedback on meeting %(number)s") % {"number": self.meeting_id}

    @property
    def answers(self) -> list[tuple[str, int]]:
        """(question, answer) in the order of FEEDBACK_QUESTIONS."""
        return [(question, getattr(self, name)) for name, question in FEEDBACK_QUESTIONS]
