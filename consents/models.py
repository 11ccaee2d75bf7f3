"""
Consents, disclosure bans and the logs of who saw what.

DESIGN.md, "Consent and data categories": data crosses organisations only with the client's
consent; the organisation that wrote a record always sees it; a disclosure ban (luovutuskielto)
overrides every consent; every read is logged, and disclosures between organisations beside it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from clients.records import DataCategory
from teams.choices import Role, Sector
from tyokyky.append_only import AppendOnlyModel

from .due import is_warned_of


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("In writing")
    ELECTRONIC = "electronic", _("Electronically")
    VERBAL = "verbal", _("Verbally")


class ConsentQuerySet(models.QuerySet):
    def valid_on(self, day):
        """Consents in force on the day: begun, not ended, not revoked."""
        return self.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
            valid_from__lte=day,
            revoked_at__isnull=True,
        )


class Consent(models.Model):
    """
    The client's consent to share categories of their data with organisations or sectors.

    A consent opens an organisation's data only when that organisation — the controller of the
    data — recorded it or confirmed it (ConsentConfirmation), or when the client confirmed it
    themself. Until then it is pending for that organisation's data. A verbal consent records
    who heard it. Revocation takes effect at once: the policy reads consents on every request.
    """

    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="consents",
        verbose_name=_("client"),
    )
    recipient_organisations = models.ManyToManyField(
        "teams.Organisation", blank=True, related_name="+",
        verbose_name=_("recipient organisations"),
    )
    purpose = models.TextField(_("purpose"))
    method = models.CharField(_("given"), max_length=10, choices=ConsentMethod.choices)
    heard_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("heard by"),
        help_text=_("For a verbal consent: the staff member who heard the client give it."),
    )
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # Staff record a consent the client gave them; in Oma Työkyky the client gives it themself
    # (`given_by_client`, no staff user): exactly one of the two (a constraint).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("recorded by"),
    )
    given_by_client = models.BooleanField(_("given by the client themself"), default=False)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    recorded_by_organisation = models.ForeignKey(
        "teams.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by organisation"),
    )
    # A consent the client narrowed in their own service replaces the one they revoked for it.
    replaces = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    # The client's own confirmation (in their own service): opens every organisation's data.
    confirmed_by_client_at = models.DateTimeField(_("confirmed by the client"), null=True,
                                                  blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("revoked by"),
    )
    revoked_by_client = models.BooleanField(_("revoked by the client themself"), default=False)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    objects = ConsentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-valid_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="consent_ends_after_it_begins",
            ),
            models.CheckConstraint(
                condition=~Q(method="verbal") | Q(heard_by__isnull=False),
                name="verbal_consent_names_who_heard_it",
            ),
            models.CheckConstraint(
                condition=Q(given_by_client=True, recorded_by__isnull=True, method="electronic",
                            confirmed_by_client_at__isnull=False)
                | Q(given_by_client=False, recorded_by__isnull=False),
                name="consent_recorded_by_staff_or_given_by_the_client",
            ),
            models.CheckConstraint(
                condition=Q(revoked_by_client=False) | Q(revoked_by__isnull=True,
                                                         revoked_at__isnull=False),
                name="consent_revoked_by_staff_or_the_client",
            ),
        ]

    def __str__(self):
        return _("Consent %(number)s") % {"number": self.pk}

    def clean(self):
        if self.method == ConsentMethod.VERBAL and not self.heard_by_id:
            raise ValidationError(
                {"heard_by": _("Name the staff member who heard the verbal consent.")}
            )
        if self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError(
                {"valid_until": _("The consent cannot end before it begins.")}
            )

    @property
    def categories(self) -> list[DataCategory]:
        chosen = {row.category for row in self.category_rows.all()}
        return [category for category in DataCategory if category in chosen]

    @property
    def recipient_sectors(self) -> list[Sector]:
        chosen = {row.sector for row in self.sector_rows.all()}
        return [sector for sector in Sector if sector in chosen]

    def is_valid_on(self, day) -> bool:
        return (
            self.revoked_at is None
            and self.valid_from <= day
            and (self.valid_until is None or day <= self.valid_until)
        )

    def is_expiring(self, today) -> bool:
        """In force today, and the warning of its end has come (consents/due.py)."""
        return (
            self.is_valid_on(today)
            and self.valid_until is not None
            and is_warned_of(self, today)
        )


class ConsentConfirmation(models.Model):
    """An organisation, as the controller of its data about the client, confirms a consent that
    another organisation recorded: from now on the consent opens its data too."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="confirmations")
    organisation = models.ForeignKey(
        "teams.Organisation", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("organisation"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consent confirmation")
        verbose_name_plural = _("consent confirmations")
        ordering = ["confirmed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["consent", "organisation"],
                                    name="confirmed_once_per_organisation")
        ]

    def __str__(self):
        return str(self.organisation)


class ConsentCategory(models.Model):
    """One data category a consent covers (rows, so the policy can ask in SQL)."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="category_rows")
    category = models.CharField(_("category"), max_length=20, choices=DataCategory.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consent", "category"], name="unique_consent_category")
        ]

    def __str__(self):
        return self.get_category_display()


class ConsentSector(models.Model):
    """A whole sector a consent covers, e.g. every Kela office."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="sector_rows")
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consent", "sector"], name="unique_consent_sector")
        ]

    def __str__(self):
        return self.get_sector_display()


class DisclosureBanQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(lifted_at__isnull=True)


class DisclosureBan(models.Model):
    """
    The client forbids disclosing their data to an organisation or a whole sector
    (luovutuskielto, Act 703/2023). Overrides every consent until lifted.
    """

    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="disclosure_bans",
        verbose_name=_("client"),
    )
    organisation = models.ForeignKey(
        "teams.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("organisation"),
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    reason = models.TextField(_("notes"), blank=True)
    # Recorded by staff for the client, or by the client themself in Oma Työkyky: exactly one.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("recorded by"),
    )
    recorded_by_client = models.BooleanField(_("recorded by the client themself"),
                                             default=False)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    recorded_by_organisation = models.ForeignKey(
        "teams.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by organisation"),
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("lifted by"),
    )
    lifted_by_client = models.BooleanField(_("lifted by the client themself"), default=False)

    objects = DisclosureBanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disclosure ban")
        verbose_name_plural = _("disclosure bans")
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False) & Q(sector=""))
                | (Q(organisation__isnull=True) & ~Q(sector="")),
                name="disclosure_ban_names_organisation_or_sector",
            ),
            models.CheckConstraint(
                condition=Q(recorded_by_client=True, recorded_by__isnull=True)
                | Q(recorded_by_client=False, recorded_by__isnull=False),
                name="disclosure_ban_recorded_by_staff_or_the_client",
            ),
            models.CheckConstraint(
                condition=Q(lifted_by_client=False) | Q(lifted_by__isnull=True,
                                                        lifted_at__isnull=False),
                name="disclosure_ban_lifted_by_staff_or_the_client",
            ),
        ]

    def __str__(self):
        return str(self.organisation or self.get_sector_display())

    def clean(self):
        if bool(self.organisation_id) == bool(self.sector):
            raise ValidationError(_("Choose either an organisation or a sector."))


class Action(models.TextChoices):
    """What a log row's user did: the page, print or export that showed the data."""

    CLIENT_LIST = "client_list", _("Client list")
    CLIENT_PAGE = "client_page", _("Client page")
    # The client's own service (oma/): the client reading their own data.
    OWN_SERVICE = "own_service", _("The client's own service")
    CLIENT_EDIT = "client_edit", _("Client details form")
    NOTE_FORM = "note_form", _("Note form")
    SUMMARY_PDF = "summary_pdf", _("Client summary (PDF)")
    NOTES_CSV = "notes_csv", _("Notes (CSV)")
    CONSENT_FORM = "consent_form", _("Consent form")
    CONSENT = "consent", _("Consent")
    CONSENT_REVOKE_FORM = "consent_revoke_form", _("Revoking a consent")
    CONSENT_PDF = "consent_pdf", _("Consent (PDF)")
    DISCLOSURE_BAN_FORM = "disclosure_ban_form", _("Disclosure ban form")
    DISCLOSURE_BAN_LIFT_FORM = "disclosure_ban_lift_form", _("Lifting a disclosure ban")
    TEAM = "team", _("Client's team")
    ACCESS_LOG = "access_log", _("Access log")
    ACCESS_LOG_CSV = "access_log_csv", _("Access log (CSV)")
    REFERRAL_SENT = "referral_sent", _("Referral sent")
    REFERRAL = "referral", _("Referral")
    REFERRAL_FORM = "referral_form", _("Referral form")
    REFERRAL_WORKLIST = "referral_worklist", _("Health check worklist")
    SENT_REFERRALS = "sent_referrals", _("Referrals sent")
    HEALTH_CHECK_FORM = "health_check_form", _("Health check form")
    FEEDBACK_SENT = "feedback_sent", _("Feedback sent")
    FEEDBACK_FORM = "feedback_form", _("Feedback form")
    ASSESSMENT = "assessment", _("Doctor's assessment")
    ASSESSMENT_FORM = "assessment_form", _("Doctor's assessment form")
    MEETING_FORM = "meeting_form", _("Meeting booking")
    MEETING = "meeting", _("Team meeting")
    MEETING_DECISIONS = "meeting_decisions", _("Meeting decisions")
    DOCTOR_SUMMARY_PDF = "doctor_summary_pdf", _("Doctor's summary (PDF)")
    DOCTOR_WORKLIST = "doctor_worklist", _("Doctor's worklist")
    CALENDAR = "calendar", _("Calendar")
    MY_WORK = "my_work", _("My work")
    PLAN = "plan", _("Support plan")
    PLAN_PDF = "plan_pdf", _("Support plan (PDF)")
    FEEDBACK_DISCUSSION = "feedback_discussion", _("Feedback discussion")
    CLOSE_CLIENT = "close_client", _("Closing the client")
    PROCESS_PDF = "process_pdf", _("The client's process (PDF)")
    HANDOVER = "handover", _("Handing over")
    EMPLOYMENT_FORM = "employment_form", _("Employment situation form")
    SUPPORT_CONTACT_FORM = "support_contact_form", _("Support network form")
    # The client's right of access (GDPR art. 15, Act 703/2023): the request, and each copy.
    DATA_PACKAGE_REQUEST = "data_package_request", _("The client's data package requested")
    DATA_PACKAGE_PDF = "data_package_pdf", _("The client's data package (PDF)")
    DATA_PACKAGE_JSON = "data_package_json", _("The client's data package (JSON)")


class LegalBasis(models.TextChoices):
    """Why data could cross from one organisation to another."""

    CONSENT = "consent", _("The client's consent")
    REFERRAL = "referral", _("Referral and its feedback")
    INVITATION = "invitation", _("Invitation to a team meeting")


class LogEntry(AppendOnlyModel):
    """What both logs record: when, who, whose data, which categories, through what."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("user"),
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="+", verbose_name=_("client")
    )
    categories = models.JSONField(_("categories"), default=list)
    action = models.CharField(_("what"), max_length=60, choices=Action.choices)

    class Meta:
        abstract = True
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"

    @property
    def category_labels(self) -> list[str]:
        return [str(DataCategory(value).label) for value in self.categories]


class AccessLogEntry(LogEntry):
    """One read of a client's data: who, as which organisation and role, what, when, from where.
    The client reading their own data in their own service is a row too, with no user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
        verbose_name=_("user"),
    )
    by_client = models.BooleanField(_("the client themself"), default=False)
    organisation = models.ForeignKey(
        "teams.Organisation", on_delete=models.PROTECT, null=True, related_name="+",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=30, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True)

    class Meta(LogEntry.Meta):
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [models.Index(fields=["client", "-at"], name="access_log_client_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(by_client=True, user__isnull=True)
                | Q(by_client=False, user__isnull=False),
                name="access_log_names_staff_user_or_the_client",
            ),
        ]

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role in Role.values else self.role


class DisclosureLogEntry(LogEntry):
    """Data of one organisation shown to, sent to or printed for another, and on what basis."""

    source_organisation = models.ForeignKey(
        "teams.Organisation", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("from organisation"),
    )
    recipient_organisation = models.ForeignKey(
        "teams.Organisation", on_delete=models.PROTECT, null=True, related_name="+",
        verbose_name=_("to organisation"),
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=20, choices=LegalBasis.choices, default=LegalBasis.CONSENT
    )
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, related_name="+",
        verbose_name=_("consent"),
    )

    class Meta(LogEntry.Meta):
        verbose_name = _("disclosure log entry")
        verbose_name_plural = _("disclosure log")
        indexes = [models.Index(fields=["client", "-at"], name="disclosure_log_client_idx")]


# The permission a per-client grant gives: it puts the person on the client's team.
GRANT_CODENAME = "view_client"


class ClientUserObjectPermission(UserObjectPermissionBase):
    """A per-client grant to one user: adds them to the client's team (guardian, direct FK)."""

    content_object = models.ForeignKey("clients.Client", on_delete=models.CASCADE)
    # Only a grant by an organisation that keeps the client's card puts the person on the team
    # that consents open data to (consents.policy); others are the organisation's own list.
    granted_by_organisation = models.ForeignKey(
        "teams.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("granted by organisation"),
    )

    # Who put whom on the team, and when: the grants themselves are the record of access.
    history = HistoricalRecords()

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("client permission of a user")
        verbose_name_plural = _("client permissions of users")


class ClientGroupObjectPermission(GroupObjectPermissionBase):
    """A per-client grant to a group, e.g. a whole team."""

    content_object = models.ForeignKey("clients.Client", on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("client permission of a group")
        verbose_name_plural = _("client permissions of groups")


class ReachKind(models.TextChoices):
    """What the access rules conclude about one client for an organisation, sector, group or
    person (consents/reach.py works them out; consents/policy.py reads them)."""

    SERVED = "served"  # the organisation serves the client on a recorded basis
    CARD_SENT = "card_sent"  # a referral or feedback to the organisation carried the card
    TYPED_CARD = "typed_card"  # the organisation typed a card of its own at a visit
    OWN_CARD = "own_card"  # the organisation has a card of its own (typed or carried)
    BANNED = "banned"  # the client forbade disclosing to the organisation or sector
    IDENTITY_CONSENT = "identity_consent"  # an identity consent the card's writer confirmed
    TEAM = "team"  # the person (or group) is on the client's team


class TeamGround(models.TextChoices):
    """Why a person is on the client's team."""

    OWN_NURSE = "own_nurse"
    CASE_MANAGER = "case_manager"
    GRANT = "grant"
    MEETING = "meeting"


class ReachQuerySet(models.QuerySet):
    def in_force(self, now=None):
        now = now or timezone.now()
        return self.filter(Q(since__isnull=True) | Q(since__lte=now),
                           Q(until__isnull=True) | Q(until__gte=now))


class Reach(models.Model):
    """
    One conclusion of the access rules about a client, kept as a row so that a list asks one
    indexed question instead of evaluating every rule for every client.

    Derived data: consents/reach.py rewrites a client's rows in the same transaction as every
    change of what the rules read (relationships, consents, bans, case managers, grants, the
    own nurse, meetings), and the rows carry their own window (`since`, `until`) so that what
    ends by date (a consent, a relationship, a meeting's thirty days) ends in the query. No
    history: the sources keep theirs.
    """

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ReachKind.choices)
    # Who the conclusion is about: one of organisation, sector, user, group.
    organisation = models.ForeignKey("teams.Organisation", on_delete=models.CASCADE, null=True,
                                     related_name="+")
    sector = models.CharField(max_length=20, choices=Sector.choices, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True,
                             related_name="+")
    group = models.ForeignKey("auth.Group", on_delete=models.CASCADE, null=True,
                              related_name="+")
    ground = models.CharField(max_length=20, choices=TeamGround.choices, blank=True)
    since = models.DateTimeField(null=True)
    until = models.DateTimeField(null=True)

    objects = ReachQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "kind", "client"], name="reach_organisation_idx",
                         condition=Q(organisation__isnull=False)),
            models.Index(fields=["user", "kind", "client"], name="reach_user_idx",
                         condition=Q(user__isnull=False)),
            models.Index(fields=["sector", "kind", "client"], name="reach_sector_idx",
                         condition=~Q(sector="")),
            models.Index(fields=["group", "kind", "client"], name="reach_group_idx",
                         condition=Q(group__isnull=False)),
            models.Index(fields=["client", "kind"], name="reach_client_idx"),
        ]

    def __str__(self):
        return f"{self.kind} {self.client_id}"
