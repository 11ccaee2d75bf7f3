"""The client (asiakas) and who is responsible for them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from consents.models import ClientRecord, DataCategory

from .hetu import birth_date, mask_hetu, normalise_hetu, validate_hetu


class ClientStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class ClosingReason(models.TextChoices):
    """Where the client went when the team's work ended (DESIGN.md step 9)."""

    EMPLOYED = "employed", _("Employed")
    STUDYING = "studying", _("Studying")
    REHABILITATION = "rehabilitation", _("Rehabilitation")
    PENSION = "pension", _("Pension")
    MOVED = "moved", _("Moved away")
    OTHER = "other", _("Other")


class Client(models.Model):
    """
    A person with partial work ability served by the team.

    `organisations` are the organisations the client is a client of (asiakkuus): they wrote the
    client in, or took them on. The access policy (consents/policy.py) reads it.
    """

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    hetu = models.CharField(
        _("personal identity code"), max_length=11, unique=True, validators=[validate_hetu],
        error_messages={"unique": _("A client with this personal identity code is already in "
                                    "Työkyky.")},
    )
    # Derived on save: the ending is what lists show and search matches, with an index.
    hetu_ending = models.CharField(max_length=4, editable=False, db_index=True)
    date_of_birth = models.DateField(_("date of birth"), editable=False)
    municipality = models.ForeignKey(
        "teams.Municipality", on_delete=models.PROTECT, related_name="clients",
        verbose_name=_("municipality"),
    )
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
    status = models.CharField(
        _("status"), max_length=10, choices=ClientStatus.choices, default=ClientStatus.ACTIVE,
        db_index=True,
    )
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    closing_reason = models.CharField(_("reason for closing"), max_length=20,
                                      choices=ClosingReason.choices, blank=True)
    own_nurse = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="own_nurse_clients", verbose_name=_("own nurse"),
    )
    organisations = models.ManyToManyField(
        "teams.Organisation", related_name="clients", verbose_name=_("client of"), blank=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[organisations])

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["last_name", "first_name", "pk"]
        indexes = [models.Index(fields=["last_name", "first_name"], name="client_name_idx")]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.hetu = normalise_hetu(self.hetu)
        self.date_of_birth = birth_date(self.hetu)
        self.hetu_ending = self.hetu[-4:]
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def masked_hetu(self) -> str:
        return mask_hetu(self.hetu)


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
