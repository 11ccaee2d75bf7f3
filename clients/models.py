"""The client (asiakas) and who is responsible for them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .hetu import birth_date, mask_hetu, normalise_hetu, validate_hetu
from .records import ClientRecord, DataCategory


class ClientStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class ClosingReason(models.TextChoices):
    """Where the client went when the team's work ended (DESIGN.md step 9)."""

    EMPLOYED = "employed", _("Employed")
    GOAL_REACHED = "goal_reached", _("Goal reached")
    STUDYING = "studying", _("Studying")
    REHABILITATION = "rehabilitation", _("Rehabilitation")
    PENSION = "pension", _("Pension")
    MOVED = "moved", _("Moved away")
    OTHER = "other", _("Other")


class ClientCard(models.Model):
    """Who the client is and how to reach them: the client's card, whoever's card it is."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    post_office = models.CharField(_("post office"), max_length=100, blank=True)
    language = models.CharField(
        _("language of service"), max_length=2, choices=settings.LANGUAGES, default="fi"
    )
    interpreter_language = models.CharField(
        _("interpreter needed for"), max_length=100, blank=True,
        help_text=_("Leave empty if no interpreter is needed."),
    )

    class Meta:
        abstract = True

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Client(ClientCard):
    """
    A person with partial work ability served by the team.

    The row is the client's card — name, personal identity code, contact details — written by
    one organisation (`organisation`), which controls it like any record it writes. The
    organisations that serve the client, and on what basis, are `relationships`; the access
    policy (consents/policy.py) reads both.
    """

    hetu = models.CharField(
        _("personal identity code"), max_length=11, unique=True, validators=[validate_hetu],
    )
    # Derived on save: the ending is what lists show and search matches, with an index.
    hetu_ending = models.CharField(max_length=4, editable=False, db_index=True)
    date_of_birth = models.DateField(_("date of birth"), editable=False)
    municipality = models.ForeignKey(
        "teams.Municipality", on_delete=models.PROTECT, related_name="clients",
        verbose_name=_("municipality"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ClientStatus.choices, default=ClientStatus.ACTIVE,
        db_index=True,
    )
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    closing_reason = models.CharField(_("reason for closing"), max_length=20,
                                      choices=ClosingReason.choices, blank=True)
    # A client closed as employed or with the goal reached may be followed for a while before
    # the file is finally closed (plans/due.py); the case managers are reminded near its end.
    follow_up_until = models.DateField(_("followed up until"), null=True, blank=True)
    own_nurse = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="own_nurse_clients", verbose_name=_("own nurse"),
    )
    organisation = models.ForeignKey(
        "teams.Organisation", on_delete=models.PROTECT, null=True, related_name="+",
        verbose_name=_("card written by"),
    )
    organisations = models.ManyToManyField(
        "teams.Organisation", through="ClientRelationship", related_name="clients",
        verbose_name=_("client of"), blank=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["last_name", "first_name", "pk"]
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="client_name_idx"),
            # The reminder sweep's follow-up periods ending (plans/work.py): closed clients only.
            models.Index(fields=["follow_up_until"], condition=Q(follow_up_until__isnull=False),
                         name="client_follow_up_until_idx"),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.hetu = normalise_hetu(self.hetu)
        self.date_of_birth = birth_date(self.hetu)
        self.hetu_ending = self.hetu[-4:]
        super().save(*args, **kwargs)

    @property
    def masked_hetu(self) -> str:
        return mask_hetu(self.hetu)


class RelationshipBasis(models.TextChoices):
    """
    Why an organisation serves the client (DESIGN.md, "Consent and data categories"). Each is a
    recorded act; none by itself opens another organisation's data.
    """

    VISIT = "visit", _("The client's own visit or application")
    REFERRAL = "referral", _("A referral addressed to the organisation")
    FEEDBACK = "feedback", _("Health check feedback sent to the organisation")
    INVITATION = "invitation", _("An invitation to the client's team meeting")


class RelationshipQuerySet(models.QuerySet):
    def in_force(self, now=None):
        return self.filter(Q(ends_at__isnull=True) | Q(ends_at__gte=now or timezone.now()))


class ClientRelationship(ClientCard):
    """
    An organisation serves the client (asiakkuus) on a recorded basis: who recorded it, when, why.

    At a visit the staff member types the client's name and code as the client gives them; when
    the client was already in Työkyky under another organisation's card, what they typed is kept
    here as this organisation's own card, and it is all they see of the client's identity.
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="relationships",
                               verbose_name=_("client"))
    organisation = models.ForeignKey(
        "teams.Organisation", on_delete=models.PROTECT, related_name="client_relationships",
        verbose_name=_("organisation"),
    )
    basis = models.CharField(_("basis"), max_length=20, choices=RelationshipBasis.choices)
    started_at = models.DateTimeField(_("since"), default=timezone.now)
    # An invitation serves while its participants are on the client's team (30 days after the
    # meeting); the other bases until the client is closed.
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)
    # A referral or feedback from an organisation that keeps the client's card carries the card
    # with it (disclosed, and logged, when sent); from one that knows the client only by a card
    # of its own, it carries that card, kept in the fields below.
    carries_card = models.BooleanField(_("carries the client's card"), default=False)
    ended_reason = models.CharField(_("reason for closing"), max_length=20,
                                    choices=ClosingReason.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("recorded by"),
    )
    # The organisation's own card, typed at a visit; empty for the card's writer and others.
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        "teams.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("municipality"),
    )
    language = models.CharField(
        _("language of service"), max_length=2, choices=settings.LANGUAGES, blank=True
    )
    own_nurse = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("own nurse"),
    )

    objects = RelationshipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("client relationship")
        verbose_name_plural = _("client relationships")
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["client", "organisation", "basis"],
                                    name="one_relationship_per_basis"),
        ]
        indexes = [
            models.Index(fields=["organisation", "client"], name="relationship_org_client_idx"),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_basis_display()})"

    @property
    def has_card(self) -> bool:
        return bool(self.last_name)


class CaseManagerQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_on__isnull=True)


class CaseManagerAssignment(models.Model):
    """
    A user named as the client's case manager (vastuuhenkilö, VH) for a period.

    The case manager coordinates the client's whole situation, holds the feedback discussion and
    follows up (DESIGN.md, step 5). A client may have several at once, e.g. Petri's
    work-ability coordinator and employment coach.
    """

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="case_manager_assignments",
        verbose_name=_("client"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
        related_name="case_manager_assignments", verbose_name=_("case manager"),
    )
    # The case manager's organisation when named: the sector the responsibility sits in.
    organisation = models.ForeignKey(
        "teams.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("organisation"),
    )
    # Who named them: only an organisation that keeps the client's card puts people on the
    # client's team (consents.policy); an organisation's own case manager for its own work
    # counts for that work only.
    assigned_by_organisation = models.ForeignKey(
        "teams.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("named by organisation"),
    )
    started_on = models.DateField(_("started"), default=timezone.localdate)
    ended_on = models.DateField(_("ended"), null=True, blank=True)

    objects = CaseManagerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case manager")
        verbose_name_plural = _("case managers")
        ordering = ["started_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "user"], condition=Q(ended_on__isnull=True),
                name="one_current_assignment_per_case_manager",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="case_manager_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(
                fields=["user", "client"], condition=Q(ended_on__isnull=True),
                name="current_case_manager_idx",
            ),
            # The reminder sweep's case managers named since its last run (work/reminders.py).
            models.Index(fields=["started_on"], condition=Q(ended_on__isnull=True),
                         name="current_case_manager_start_idx"),
        ]

    def __str__(self):
        return f"{self.user} → {self.client}"

    @property
    def sector(self):
        return self.organisation.get_sector_display() if self.organisation_id else ""


class SituationNote(ClientRecord):
    """
    An entry in the team's shared picture of the client's situation (tilannekuva), in one data
    category: what the employment expert knows of the job search, what the nurse may share of
    health. Other organisations see it only under a consent for its category.
    """

    category = models.CharField(_("category"), max_length=20, choices=DataCategory.choices)
    text = models.TextField(_("note"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("situation note")
        verbose_name_plural = _("situation notes")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["client", "category"], name="note_client_category_idx")]

    def __str__(self):
        return f"{self.get_category_display()} {self.created_at:%Y-%m-%d}"


# --- The employment situation and the support network (issue 16) -------------------------------

class JobseekerStatus(models.TextChoices):
    """The client's status at employment services (työnhakijan tila)."""

    UNEMPLOYED = "unemployed", _("Unemployed jobseeker")
    LAID_OFF = "laid_off", _("Laid off")
    PART_TIME = "part_time", _("Jobseeker working part-time")
    IN_SERVICES = "in_services", _("In employment-promoting services")
    EMPLOYED = "employed", _("Employed jobseeker")
    NOT_REGISTERED = "not_registered", _("Not a registered jobseeker")


class IncomeSource(models.TextChoices):
    """What the client lives on now: it tells which benefit path (Kela, social work) is open."""

    UNEMPLOYMENT_BENEFIT = "unemployment_benefit", _("Unemployment benefit")
    LABOUR_MARKET_SUBSIDY = "labour_market_subsidy", _("Labour market subsidy")
    SICKNESS_ALLOWANCE = "sickness_allowance", _("Sickness allowance")
    REHABILITATION_ALLOWANCE = "rehabilitation_allowance", _("Rehabilitation allowance")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance")
    SALARY = "salary", _("Salary")
    NONE = "none", _("No income")


class EmploymentSituation(ClientRecord):
    """
    The client's employment situation as one organisation knows it now (DESIGN.md, step 1:
    "is the client unemployed or sick?"): the jobseeker status and since when, the source of
    income, and whether an employment plan is in force.

    One current row per client and organisation; the past is its history. The status and the
    plan are employment information; the source of income tells the benefit (Kela, social
    assistance), so it is shown only under the benefits category too (FIELD_CATEGORIES).
    """

    CATEGORY = DataCategory.EMPLOYMENT
    FIELD_CATEGORIES = {
        "income_source": DataCategory.BENEFITS,
        "get_income_source_display": DataCategory.BENEFITS,
    }

    jobseeker_status = models.CharField(_("jobseeker status"), max_length=20,
                                        choices=JobseekerStatus.choices)
    jobseeker_since = models.DateField(_("since"), null=True, blank=True)
    income_source = models.CharField(_("current source of income"), max_length=30,
                                     choices=IncomeSource.choices, blank=True)
    employment_plan_in_force = models.BooleanField(_("an employment plan is in force"),
                                                   default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("employment situation")
        verbose_name_plural = _("employment situations")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["client", "organisation"],
                                    name="one_employment_situation_per_organisation"),
        ]

    def __str__(self):
        return str(self.get_jobseeker_status_display())


class ContactKind(models.TextChoices):
    """Who a person of the client's support network is to the client."""

    RELATIVE = "relative", _("Relative or close person")
    SUPPORT_PERSON = "support_person", _("Support person")
    OCCUPATIONAL_THERAPIST = "occupational_therapist", _("Occupational therapist")
    EMPLOYER = "employer", _("Employer")
    THIRD_SECTOR = "third_sector", _("Third-sector worker")
    OTHER = "other", _("Other")


class SupportContact(ClientRecord):
    """
    A person of the client's support network (tukiverkosto) — a relative, a support person,
    an occupational therapist, an employer, a third-sector worker — with how to reach them:
    invited to team meetings and feedback discussions (DESIGN.md, steps 5 and 7).

    Social information, not identity: who stands by the client (a relative, a substance
    service's peer worker, an employer) says something of the client's life and situation,
    and a consent for the client's own identity and contact details must not open it.
    """

    CATEGORY = DataCategory.SOCIAL

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("who they are to the client"), max_length=30,
                            choices=ContactKind.choices)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True,
                              help_text=_("Meeting invitations are sent here."))
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("support network contact")
        verbose_name_plural = _("support network contacts")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["client", "organisation"],
                                name="support_contact_client_idx")]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def role_text(self) -> str:
        """The contact's role as a meeting's participant list says it."""
        return str(self.get_kind_display())
