"""
Referrals, unemployed health checks, feedback and doctor's assessments (service path steps
1-4 and 6 of DESIGN.md).

Glossary: referral = lähete; summary of services = kooste; unemployed health check = työttömän
terveystarkastus; feedback = palaute; doctor's assessment = lääkärin arvio; unemployed or sick =
työtön vai sairas; continuation plan = jatkosuunnitelma; B-statement = B-lausunto (Kela SV 7).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clients.records import ClientRecord, DataCategory
from teams.deadlines import deadlines_for_record

from .due import booking_due_on, feedback_due_on, next_check_due_on


class ReferralReason(models.TextChoices):
    YEAR_SINCE_CHECK = "year_since_check", _("A year has passed since the last health check")
    HEALTH_CONCERN = "health_concern", _("Something in the client's health needs looking at")
    OTHER = "other", _("Other reason")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    BOOKED = "booked", _("Health check booked")
    DONE = "done", _("Health check done")
    FEEDBACK_SENT = "feedback_sent", _("Feedback sent")
    ACKNOWLEDGED = "acknowledged", _("Feedback acknowledged")
    GIVEN_TO_CLIENT = "given_to_client", _("Feedback given to the client")
    CANCELLED = "cancelled", _("Cancelled")


CLOSED_STATUSES = [
    ReferralStatus.ACKNOWLEDGED, ReferralStatus.GIVEN_TO_CLIENT, ReferralStatus.CANCELLED
]
AWAITING_CHECK = [ReferralStatus.SENT, ReferralStatus.RECEIVED, ReferralStatus.BOOKED]


class Referral(ClientRecord):
    """
    A referral to the unemployed health check (step 2), or a self-referral: the client came
    to the health check by themself and there is no referrer (`is_self_referral`).

    Written by the referrer's organisation; addressed to the health organisation, which sees it.
    The summary of the services the client is in now belongs to it as ServiceInUse rows.
    """

    CATEGORY = DataCategory.EMPLOYMENT
    ADDRESSED_TO = "recipient"

    recipient = models.ForeignKey(
        "teams.Organisation", on_delete=models.PROTECT, related_name="incoming_referrals",
        verbose_name=_("to the health check of"),
    )
    is_self_referral = models.BooleanField(_("self-referral"), default=False)
    reason = models.CharField(_("reason"), max_length=20, choices=ReferralReason.choices)
    reason_details = models.TextField(_("more about the reason"), blank=True)
    services_summary = models.TextField(
        _("summary of services, in words"), blank=True,
        help_text=_("What the client is doing now and what has been tried."),
    )
    responsible_persons = models.CharField(
        _("existing case manager or own nurse"), max_length=200, blank=True,
    )
    # The goal and the client's motivation are defined with the referral (the service path's
    # documents), so that the health check starts from where the client wants to go.
    goal = models.TextField(
        _("the client's goal"), blank=True,
        help_text=_("Work, studies, rehabilitation… as the client puts it."),
    )
    motivation = models.TextField(
        _("the client's motivation"), blank=True,
        help_text=_("How the client sees the referral and their own part in it."),
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT,
        db_index=True,
    )
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("received by"),
    )
    booked_for = models.DateTimeField(_("health check booked for"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("cancelled by"),
    )
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["created_at", "pk"]
        permissions = [("handle_referral", _("Can handle referrals to the health check"))]
        constraints = [
            # One open referral per client, health organisation and referrer: a second one is
            # refused and the existing one offered instead. Per referrer, so that nobody learns
            # of another organisation's referral by being refused.
            models.UniqueConstraint(
                fields=["client", "recipient", "organisation"],
                condition=~Q(status__in=["acknowledged", "cancelled"]) & Q(is_self_referral=False),
                name="one_open_referral_per_referrer",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "status", "created_at"],
                         name="referral_worklist_idx"),
            models.Index(fields=["organisation", "status", "created_at"],
                         name="referral_sent_idx"),
        ]

    def __str__(self):
        return _("Referral %(number)s") % {"number": self.pk}

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    @property
    def deadlines(self):
        """Its client's deadlines (teams/deadlines.py), for the flags and their labels."""
        return deadlines_for_record(self)

    @property
    def booking_working_days(self) -> int:
        return self.deadlines.booking_working_days_for(self.urgency)

    def booking_overdue(self, today=None) -> bool:
        """Sent or received, and its booking day for its urgency has passed (referrals/due.py:
        the same day My work lists it on)."""
        today = today or timezone.localdate()
        return (self.status in (ReferralStatus.SENT, ReferralStatus.RECEIVED)
                and today > booking_due_on(self, self.deadlines))

    def no_show_open(self, now=None) -> bool:
        """May the health check record that the client did not arrive (ei saapunut)? For a
        booked time, from that time on: not before the client could have come."""
        now = now or timezone.now()
        return (self.status == ReferralStatus.BOOKED and self.booked_for is not None
                and self.booked_for <= now)

    def feedback_overdue(self, today=None) -> bool:
        """The check is done but no feedback has gone by its due day (referrals/due.py: the day
        the nurse is reminded on); flagged on both lists."""
        today = today or timezone.localdate()
        check = getattr(self, "health_check", None)
        return (
            self.status == ReferralStatus.DONE
            and check is not None
            and today > feedback_due_on(check, self.deadlines)
        )


class MissedAppointment(ClientRecord):
    """
    The client did not arrive at the booked health check (ei saapunut). The health check
    records it for the booked time; the referral goes back to waiting for a time, and the
    no-show stays here, in the referral's history and on the client's timeline. Health data:
    an appointment in health care, the health organisation's record.
    """

    CATEGORY = DataCategory.HEALTH

    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="missed_appointments",
        verbose_name=_("referral"),
    )
    booked_for = models.DateTimeField(_("the time the client did not arrive at"))
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("missed appointment")
        verbose_name_plural = _("missed appointments")
        ordering = ["booked_for", "pk"]

    def __str__(self):
        return _("Did not arrive %(time)s") % {
            "time": timezone.localtime(self.booked_for).strftime("%d.%m.%Y %H.%M")}


class ServiceInUse(models.Model):
    """One line of the referral's summary of services: what, where, who to contact."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="services")
    service = models.CharField(_("service"), max_length=200)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service in use")
        verbose_name_plural = _("services in use")
        ordering = ["pk"]

    def __str__(self):
        return self.service


class NurseView(models.TextChoices):
    """Is the client unemployed or sick, as the nurse sees it (työtön vai sairas)."""

    UNEMPLOYED = "unemployed", _("Unemployed: able to work or to be rehabilitated")
    SICK = "sick", _("Sick: needs treatment or a doctor's assessment first")
    UNCLEAR = "unclear", _("Unclear: needs a doctor's assessment")


def score_field(label, *, required=False, **kwargs):
    """A 0-10 score as in Kykyviisari; the five area scores are optional."""
    return models.PositiveSmallIntegerField(
        label, validators=[MaxValueValidator(10)], null=not required, blank=not required,
        **kwargs,
    )


# The five areas of Kykyviisari (DESIGN.md, "Work ability in the health check"), in the order
# the forms and pages show them: the one list of them, for the nurse's health check and the
# client's own self-assessment alike (WorkAbilityScores below).
WORK_ABILITY_AREAS = ["mental_wellbeing", "social_participation", "physical_capacity", "skills",
                      "daily_life"]
WORK_ABILITY_SCORES = ["work_ability", *WORK_ABILITY_AREAS]


class WorkAbilityScores(models.Model):
    """
    Work ability scored 0-10 overall and in the five areas of the Finnish Institute of
    Occupational Health's Kykyviisari self-assessment: the same scale wherever it is asked, so
    that the nurse's view and the client's own can be read side by side.
    """

    work_ability = score_field(
        _("work ability, 0-10"), required=True,
        help_text=_("0 = cannot work at all, 10 = work ability at its best."),
    )
    mental_wellbeing = score_field(_("mental wellbeing, 0-10"))
    social_participation = score_field(_("social participation, 0-10"))
    physical_capacity = score_field(_("physical capacity, 0-10"))
    skills = score_field(_("skills, 0-10"))
    daily_life = score_field(_("daily life, 0-10"))

    class Meta:
        abstract = True

    @property
    def area_scores(self) -> list[tuple[str, int | None]]:
        """(the area's name, its score or None), in the order of WORK_ABILITY_AREAS."""
        return [(area, getattr(self, area)) for area in WORK_ABILITY_AREAS]


class HealthCheck(ClientRecord, WorkAbilityScores):
    """
    The unemployed health check (step 3), by the nurse and a doctor when needed. Health data.

    Work ability is scored 0-10 overall and in the five areas of the Finnish Institute of
    Occupational Health's Kykyviisari self-assessment.
    """

    CATEGORY = DataCategory.HEALTH

    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, related_name="health_check",
        verbose_name=_("referral"),
    )
    performed_on = models.DateField(_("date of the check"))
    nurse = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("nurse"),
    )
    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("doctor involved"),
    )
    # The scores, 0-10 overall and in the five areas: WorkAbilityScores.
    limited_musculoskeletal = models.BooleanField(_("musculoskeletal"), default=False)
    limited_mental_health = models.BooleanField(_("mental health"), default=False)
    limited_substance_use = models.BooleanField(_("substance use"), default=False)
    limited_cognitive = models.BooleanField(_("cognitive"), default=False)
    limited_other = models.BooleanField(_("other"), default=False)
    limitations = models.TextField(_("main limitations, in words"), blank=True)
    nurse_view = models.CharField(
        _("unemployed or sick, as the nurse sees it"), max_length=20, choices=NurseView.choices
    )
    needs_multiprofessional_assessment = models.BooleanField(
        _("needs a multi-professional assessment"), default=False
    )
    multiprofessional_reason = models.TextField(_("why"), blank=True)
    doctor_appointment_needed = models.BooleanField(_("doctor's appointment needed"),
                                                    default=False)
    direct_physiotherapy = models.BooleanField(
        _("direct physiotherapy suggested"), default=False,
        help_text=_("For musculoskeletal complaints no referral is needed."),
    )
    next_steps = models.TextField(_("agreed next steps"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unemployed health check")
        verbose_name_plural = _("unemployed health checks")
        ordering = ["-performed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(work_ability__lte=10), name="work_ability_is_0_to_10"
            ),
        ]
        indexes = [
            models.Index(fields=["client", "-performed_on"], name="check_client_idx"),
            # The checks whose year has come since the last reminder sweep (check_proposals).
            models.Index(fields=["performed_on"], name="check_performed_idx"),
        ]

    def __str__(self):
        return _("Health check %(date)s") % {"date": self.performed_on}

    @property
    def next_due(self):
        """When the next check is due: the day its reminder comes (referrals/due.py)."""
        return next_check_due_on(self)

    @property
    def limitation_labels(self) -> list[str]:
        areas = ["musculoskeletal", "mental_health", "substance_use", "cognitive", "other"]
        return [
            str(self._meta.get_field(f"limited_{area}").verbose_name)
            for area in areas if getattr(self, f"limited_{area}")
        ]


def _scores_within_scale() -> Q:
    """Every score 0-10 (PositiveSmallIntegerField keeps them at 0 and above); a blank area
    is allowed."""
    condition = Q(work_ability__lte=10)
    for area in WORK_ABILITY_AREAS:
        condition &= Q(**{f"{area}__isnull": True}) | Q(**{f"{area}__lte": 10})
    return condition


class SelfAssessment(ClientRecord, WorkAbilityScores):
    """
    The client's own view of their work ability before the health check, filled in by the
    client in Oma Työkyky: 0-10 and the five areas of Kykyviisari, as the nurse scores them,
    and what the client would like the nurse to know. Health data.

    The client writes it to the health organisation the referral is addressed to: that
    organisation is its controller (`organisation`, the referral's recipient), so the staff
    policy (consents.policy) decides who sees it like any of that organisation's health
    records — its own staff (the nurse, beside the check), and others only under a consent
    the health organisation recorded or confirmed. No staff member wrote it: `created_by` is
    empty, meaning the client themself. The client changes it until the check is recorded
    (referrals/self_assessment.py).
    """

    CATEGORY = DataCategory.HEALTH

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
        blank=True, verbose_name=_("written by"),
        help_text=_("Empty: the client wrote it themself."),
    )
    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, related_name="self_assessment",
        verbose_name=_("before the health check of the referral"),
    )
    for_the_nurse = models.TextField(_("what the client would like the nurse to know"),
                                     blank=True)
    submitted_at = models.DateTimeField(_("sent"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("work-ability self-assessment")
        verbose_name_plural = _("work-ability self-assessments")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=_scores_within_scale(),
                                   name="self_assessment_scores_0_to_10"),
        ]

    def __str__(self):
        return _("Self-assessment %(date)s") % {
            "date": timezone.localtime(self.submitted_at).strftime("%d.%m.%Y")}


class FeedbackChannel(models.TextChoices):
    IN_PERSON = "in_person", _("In person at the check")
    LETTER = "letter", _("By letter")
    PHONE = "phone", _("By phone")
    NOT_GIVEN = "not_given", _("Not given to the client")  # only on feedback from before


# How the client may have got the feedback: every new feedback says one of these.
CLIENT_GOT_FEEDBACK = [FeedbackChannel.IN_PERSON, FeedbackChannel.LETTER, FeedbackChannel.PHONE]
CLIENT_FEEDBACK_MISSING = _(
    "The client always gets the feedback of the health check. Record how it was given to "
    "them: at the check, by letter or by phone."
)


class Feedback(ClientRecord):
    """
    Feedback from the health check (step 4): what matters for employment and what next.

    To the referrer's organisation, which acknowledges it; for a self-referral to the client,
    and to employment services only under the client's consent. Health data: the recipient
    sees it because it was sent to them (logged as a disclosure when sent).
    """

    CATEGORY = DataCategory.HEALTH
    ADDRESSED_TO = "recipient"

    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, related_name="feedback", verbose_name=_("referral")
    )
    recipient = models.ForeignKey(
        "teams.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="received_feedback", verbose_name=_("sent to"),
    )
    given_on = models.DateField(_("feedback given on"), default=timezone.localdate)
    to_client = models.CharField(
        _("feedback to the client"), max_length=20, choices=FeedbackChannel.choices,
        default=FeedbackChannel.IN_PERSON,
    )
    findings = models.TextField(_("what was found that matters for employment"))
    recommendations = models.TextField(_("recommended next steps"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("acknowledged by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-given_on", "-pk"]

    def __str__(self):
        return _("Feedback %(date)s") % {"date": self.given_on}

    def clean(self):
        super().clean()
        self.require_client_feedback()

    def require_client_feedback(self):
        """
        The client always gets the feedback (DESIGN.md step 2; KainOTE: "lähetettä ei ole
        mutta terveystarkastuksen tekevän on annettava palaute asiakkaalle"): new feedback
        says how (`to_client`) and when (`given_on`) the client got it. It is what closes a
        self-referral, which has no referrer, and it goes with every feedback to a referrer.
        Run by full_clean, so by every path that saves feedback. Feedback saved before the
        rule keeps validating as it was.
        """
        if self._state.adding and self.to_client not in CLIENT_GOT_FEEDBACK:
            raise ValidationError({"to_client": CLIENT_FEEDBACK_MISSING},
                                  code="client_feedback_missing")


class Conclusion(models.TextChoices):
    UNEMPLOYED = "unemployed", _("Unemployed: able to work, with or without support")
    SICK = "sick", _("Sick: treatment, sick leave or rehabilitation first")


class StatementPurpose(models.TextChoices):
    """What Kela's B-statement (SV 7) is for."""

    SICKNESS_ALLOWANCE = "sickness_allowance", _("Sickness allowance after 60 paid days")
    REHABILITATION_ALLOWANCE = "rehabilitation_allowance", _("Rehabilitation allowance")
    DISABILITY_PENSION = "disability_pension", _("Disability pension")
    VOCATIONAL_REHABILITATION = "vocational_rehabilitation", _("Vocational rehabilitation")


class DoctorAssessment(ClientRecord):
    """
    The doctor's assessment (step 6): unemployed or sick, and what happens next. The
    B-statement itself lives in the patient record system; here only that it was written,
    when and for what.
    """

    CATEGORY = DataCategory.HEALTH

    health_check = models.ForeignKey(
        HealthCheck, on_delete=models.PROTECT, null=True, blank=True,
        related_name="assessments", verbose_name=_("after the health check"),
    )
    # The team meeting whose questions it answers: named by a string, as referrals sit below
    # meetings (README, "Layout"); it takes the assessment off the named doctor's worklist
    # (meetings/doctor.py). A meeting destroyed later leaves the assessment standing.
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="doctor_assessments", verbose_name=_("answers the team meeting"),
    )
    assessed_on = models.DateField(_("date of the assessment"), default=timezone.localdate)
    conclusion = models.CharField(_("unemployed or sick"), max_length=20,
                                  choices=Conclusion.choices)
    justification = models.TextField(_("justification"))
    examinations = models.TextField(_("examinations and referrals made"), blank=True)
    b_statement_written = models.BooleanField(_("B-statement written for Kela"), default=False)
    b_statement_on = models.DateField(_("B-statement written on"), null=True, blank=True)
    b_statement_purpose = models.CharField(
        _("B-statement for"), max_length=30, choices=StatementPurpose.choices, blank=True
    )
    sick_leave_until = models.DateField(_("sick leave until"), null=True, blank=True)
    continuation_plan = models.TextField(_("continuation plan"))
    client_knows_next_steps = models.BooleanField(
        _("the client knows what happens next"), default=False
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("doctor's assessment")
        verbose_name_plural = _("doctor's assessments")
        ordering = ["-assessed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(b_statement_written=False)
                | (Q(b_statement_on__isnull=False) & ~Q(b_statement_purpose="")),
                name="b_statement_has_date_and_purpose",
            ),
        ]

    def __str__(self):
        return _("Doctor's assessment %(date)s") % {"date": self.assessed_on}
