"""
Retention periods per controller, proposals to destroy the records whose period has passed,
and the tombstones that remain of what was destroyed.

Glossary: retention period = säilytysaika; controller = rekisterinpitäjä; destruction =
hävittäminen; tombstone = hävittämisen merkintä (what is left to say that records existed).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tyokyky.append_only import AppendOnlyModel

from . import records
from .defaults import CountedFrom, default_period


class RetentionPeriod(models.Model):
    """
    A controller's own retention period for one record type, set by the administrator in the
    admin. Without a row the default of retention/defaults.py applies. A statutory default is
    a minimum: a shorter period, or one counted from something else, is refused.
    """

    organisation = models.ForeignKey(
        "teams.Organisation", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("controller"),
    )
    record_type = models.CharField(_("record type"), max_length=100)
    years = models.PositiveSmallIntegerField(
        _("years"), null=True, blank=True,
        help_text=_("Leave empty to keep the records for good."),
    )
    counted_from = models.CharField(_("counted from"), max_length=20,
                                    choices=CountedFrom.choices,
                                    default=CountedFrom.FILE_CLOSED)
    basis = models.TextField(
        _("basis"), blank=True,
        help_text=_("The law, decision or archive plan the period comes from."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")
        ordering = ["organisation__name", "record_type"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "record_type"],
                                    name="one_period_per_controller_and_type"),
        ]

    def __str__(self):
        return f"{self.organisation}: {records.label(self.record_type)}"

    def clean(self):
        if self.record_type not in records.record_type_keys():
            raise ValidationError({"record_type": _("Choose a record type from the list.")})
        if not self.organisation_id:
            return
        default = default_period(self.organisation.sector, self.record_type)
        if not default.statutory or default.years is None or self.years is None:
            return
        if self.counted_from != default.counted_from or self.years < default.years:
            raise ValidationError(_(
                "The law keeps these records at least %(years)s years from %(start)s. "
                "A controller may keep them longer, not shorter.") % {
                "years": default.years, "start": CountedFrom(default.counted_from).label})


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for a decision")
    APPROVED = "approved", _("Approved: destroyed tonight")
    DESTROYED = "destroyed", _("Destroyed")
    REJECTED = "rejected", _("Kept: destruction rejected")
    # The file was reopened, or the approver no longer leads the organisation (checked again
    # at destruction): proposed again when due.
    VOID = "void", _("Void: the file was reopened or the approver is no longer the leader")


OPEN_STATES = [ProposalState.PROPOSED, ProposalState.APPROVED]


class RejectionReason(models.TextChoices):
    """Why the controller keeps records past their period: chosen, never free text, so that
    no client information lands here."""

    STILL_NEEDED = "still_needed", _("Still needed for the client's service or care")
    CLAIM = "claim", _("A complaint, claim or legal proceeding is pending")
    REVIEW = "review", _("The records must first be reviewed or archived")


class DestructionProposal(models.Model):
    """
    The nightly task found that a controller's records of a client have passed their
    retention period: the controller's leader approves or rejects destroying them. Nothing is
    destroyed without approval. One open proposal per controller and client.

    `items` holds, per record type, how many records would be destroyed, how many are kept
    while another controller holds them (destroyed with its records, under this approval),
    and the day their period ended:
    {"referrals.referral": {"count": 2, "kept": 1, "due_on": "2031-05-04"}}.
    """

    organisation = models.ForeignKey(
        "teams.Organisation", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("controller"),
    )
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("client"))
    closed_on = models.DateField(_("file closed"))
    due_on = models.DateField(_("retention ended"))
    items = models.JSONField(_("records"), default=dict)
    state = models.CharField(_("state"), max_length=20, choices=ProposalState.choices,
                             default=ProposalState.PROPOSED, db_index=True)
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason for keeping"), max_length=20,
                                        choices=RejectionReason.choices, blank=True)
    destroyed_at = models.DateTimeField(_("destroyed"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("destruction proposal")
        verbose_name_plural = _("destruction proposals")
        ordering = ["due_on", "pk"]
        permissions = [("approve_destruction",
                        _("Can approve destroying the records whose retention has passed"))]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "client"],
                condition=Q(state__in=["proposed", "approved"]),
                name="one_open_proposal_per_controller_and_client",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["proposed", "void"]) | Q(decided_by__isnull=False),
                name="a_decision_names_who_decided",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "state", "due_on"],
                         name="proposal_list_idx"),
        ]

    def __str__(self):
        return str(_("Proposal %(reference)s") % {"reference": self.reference})

    @property
    def reference(self) -> str:
        """The number the leader and the staff talk about: no name, no code."""
        return f"H-{self.pk:06d}"

    @property
    def approved_by(self):
        return self.decided_by if self.state in (ProposalState.APPROVED,
                                                 ProposalState.DESTROYED) else None

    @property
    def record_types(self) -> list[str]:
        return list(self.items)

    @property
    def total(self) -> int:
        return sum(item["count"] for item in self.items.values())

    @property
    def rows(self) -> list[tuple[str, int, int]]:
        """(record type as read, how many go now, how many later) for the page."""
        return [(records.label(key), item["count"], item.get("kept", 0))
                for key, item in self.items.items()]


class Tombstone(AppendOnlyModel):
    """
    What is left of a controller's destroyed records of a client, for good: whose records, of
    which types and how many, kept for another controller, when, and approved by whom. The
    client's row stays (the access and disclosure logs point at it) with only what the logs
    need to stay answerable — the personal identity code — once nobody keeps the card.

    Append-only: the migration adds the database guards (tyokyky.append_only).
    """

    organisation = models.ForeignKey(
        "teams.Organisation", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("controller"),
    )
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("client"))
    proposal = models.ForeignKey(DestructionProposal, on_delete=models.PROTECT,
                                 related_name="tombstones", verbose_name=_("proposal"))
    closed_on = models.DateField(_("file closed"))
    # The record types in the approved proposal: a record of these types written before
    # `destroyed_at` is no longer this controller's to keep.
    record_types = models.JSONField(_("record types"), default=list)
    destroyed = models.JSONField(_("destroyed"), default=dict)
    # Records the controller wrote but another controller still keeps: sent to it (its copy),
    # or pointed at by its records. Destroyed with the last of them.
    kept_for_others = models.JSONField(_("kept for other controllers"), default=dict)
    card_destroyed = models.BooleanField(_("the client's card destroyed"), default=False)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved"))
    destroyed_at = models.DateTimeField(_("destroyed"), default=timezone.now)

    class Meta:
        verbose_name = _("tombstone")
        verbose_name_plural = _("tombstones")
        ordering = ["-destroyed_at", "-pk"]
        indexes = [models.Index(fields=["client", "organisation"], name="tombstone_client_idx")]

    def __str__(self):
        return f"{self.destroyed_at:%Y-%m-%d} {self.organisation_id}/{self.client_id}"
