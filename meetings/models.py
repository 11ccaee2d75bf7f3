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


class Meeting(ClientRecord):
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
    # The entry criteria of DESIGN.md, step 5, checked when booking.
    needs_support = models.BooleanField(_("the client needs work-ability support"),
                                        default=False)
    wants_to_work = models.BooleanField(_("the client wants to enter or stay in working life"),
                                        default=False)
    not_solved_by_basic_services = models.BooleanField(
        _("basic services have not solved the situation"), default=False
    )
    client_motivated = models.BooleanField(_("the client is motivated to attend"),
                                           default=False)
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

    def decisions_open(self, now=None) -> bool:
        """
        May the minutes and decisions be recorded? Only from the meeting's start on: the
        meeting decides, not its booking (issue 16). The one rule for the view, the meeting
        page and wherever decisions are offered. Times are aware (Europe/Helsinki shown).
        """
        return (now or timezone.now()) >= self.starts_at

    @property
    def criteria_met(self) -> bool:
        return all([self.needs_support, self.wants_to_work, self.not_solved_by_basic_services,
                    self.client_motivated])


class Answer(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class MeetingParticipant(models.Model):
    """
    Someone invited to a meeting: a user, or an external person (the client's support person,
    an occupational therapist) with their name, organisation, role and e-mail.

    The meeting's times are copied here so that PostgreSQL can refuse double bookings per
    person with an exclusion constraint; `blocks_calendar` is off for a declined invitation and
    a cancelled meeting.
    """

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
                condition=Q(user__isnull=False) | ~Q(name=""),
                name="participant_is_a_user_or_named",
            ),
            models.UniqueConstraint(fields=["meeting", "user"], name="invited_once"),
        ]
        indexes = [
            models.Index(fields=["user", "starts_at"], name="participant_calendar_idx"),
        ]

    def __str__(self):
        return str(self.user) if self.user_id else self.name

    @property
    def display_name(self) -> str:
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
