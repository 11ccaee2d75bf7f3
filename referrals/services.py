"""
The referral loop as operations: send, receive, book, check, feedback, acknowledge, assess.

Each checks the state it starts from and says in Finnish what is wrong, so a view, a task or a
test calling it cannot skip a step of the service path. Each locks the referral's row first
(tyokyky.versions.lock): of two people taking the same step at once, the second waits for the
first and is then told the step has been taken — never an error page.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from cases.services import CARD_FIELDS, serve
from clients.models import RelationshipBasis
from clients.records import DataCategory
from consents.audit import record_disclosure
from consents.models import Action, LegalBasis
from consents.policy import (
    banned,
    care_organisation_ids,
    consent_for_sending,
    keeps_card,
    municipality_known_to,
    own_card,
)
from teams.models import Organisation, Sector
from tyokyky.versions import check_version, lock

from .models import (
    AWAITING_CHECK,
    CLOSED_STATUSES,
    DoctorAssessment,
    Feedback,
    HealthCheck,
    MissedAppointment,
    Referral,
    ReferralReason,
    ReferralStatus,
    ServiceInUse,
)


class DisclosureBanned(ValidationError):
    """The client has forbidden disclosing their data to the organisation (luovutuskielto)."""

    def __init__(self, field=None):
        message = _("The client has forbidden disclosing their information to this "
                    "organisation.")
        super().__init__({field: message} if field else message, code="disclosure_banned")


class OpenReferralExists(ValidationError):
    """A second open referral for the same client and organisation: offer the existing one."""

    def __init__(self, referral):
        super().__init__(
            _("The client already has an open referral to this health check. Continue with "
              "the existing one instead."),
            code="open_referral_exists",
        )
        self.referral = referral


def _save(record, by):
    record._history_user = by
    record.full_clean()
    record.save()
    return record


def _set_status(referral, status, by, **fields):
    for name, value in fields.items():
        setattr(referral, name, value)
    referral.status = status
    referral._history_user = by
    referral.save()


def open_referral(client, recipient, organisation) -> Referral | None:
    """The referring organisation's own open referral of the client to this health check."""
    return (
        Referral.objects.filter(client=client, recipient=recipient, organisation=organisation,
                                is_self_referral=False)
        .exclude(status__in=CLOSED_STATUSES)
        .first()
    )


def serve_with_card(*, client, sender, recipient, basis, by) -> bool:
    """
    The recipient serves the client on the referral's or feedback's basis, and gets the card
    the sender may pass on: the client's card if the sender wrote it (one received is not the
    receiver's to pass on), else the sender's own card of the client — never more than the
    sender knows. Returns whether a card went with it.
    """
    if client.organisation_id == sender.pk and keeps_card(client, sender):
        serve(client=client, organisation=recipient, basis=basis, by=by, carries_card=True)
        return True
    typed = own_card(client, sender)
    card = {name: getattr(typed, name) for name in CARD_FIELDS} if typed else None
    serve(client=client, organisation=recipient, basis=basis, by=by, card=card)
    return card is not None


def send_referral(*, client, by, organisation, recipient, reason, urgency, reason_details="",
                  services_summary="", responsible_persons="", goal="", motivation="",
                  services=()) -> Referral:
    """
    Step 2: employment services (or another service) refer the client to the unemployed health
    check, with a summary of the services the client is in now. The referral makes the health
    organisation one that serves the client on its basis, and is logged as disclosed to it —
    unless the client has forbidden disclosing to it.
    """
    if recipient.sector != Sector.HEALTH:
        raise ValidationError(_("Referrals go to the health check of a health organisation."))
    if banned(client, recipient):
        raise DisclosureBanned("recipient")
    if recipient == organisation:
        raise ValidationError({"recipient": _(
            "Refer to another organisation's health check. A client who came to your own "
            "health check is recorded as having come by themself.")})
    existing = open_referral(client, recipient, organisation)
    if existing is not None:
        raise OpenReferralExists(existing)
    referral = Referral(
        client=client, organisation=organisation, created_by=by, recipient=recipient,
        reason=reason, urgency=urgency, reason_details=reason_details,
        services_summary=services_summary, responsible_persons=responsible_persons,
        goal=goal, motivation=motivation,
    )
    try:
        with transaction.atomic():
            _save(referral, by)
            bulk_create_with_history(
                [ServiceInUse(referral=referral, **service) for service in services],
                ServiceInUse, default_user=by,
            )
            serve_with_card(client=client, sender=organisation, recipient=recipient,
                            basis=RelationshipBasis.REFERRAL, by=by)
            record_disclosure(
                user=by, client=client, source=organisation, recipient=recipient,
                categories=[DataCategory.IDENTITY, DataCategory.EMPLOYMENT],
                action=Action.REFERRAL_SENT, legal_basis=LegalBasis.REFERRAL,
            )
    except IntegrityError:
        # Another referral won the race for the same client and organisation.
        raise OpenReferralExists(open_referral(client, recipient, organisation)) from None
    return referral


@transaction.atomic
def start_self_referral(*, client, by, organisation, booked_for=None) -> Referral:
    """The client came to the health check by themself: no referrer, but the same loop."""
    referral = Referral(
        client=client, organisation=organisation, created_by=by, recipient=organisation,
        is_self_referral=True, reason=ReferralReason.OTHER,
        status=ReferralStatus.BOOKED if booked_for else ReferralStatus.RECEIVED,
        received_at=timezone.now(), received_by=by, booked_for=booked_for,
    )
    _save(referral, by)
    serve(client=client, organisation=organisation, basis=RelationshipBasis.VISIT, by=by)
    return referral


def _require(referral, statuses, message):
    if referral.status not in statuses:
        raise ValidationError(message)


@transaction.atomic
def receive_referral(*, referral, by) -> Referral:
    lock(referral)
    _require(referral, [ReferralStatus.SENT], _("The referral has already been received."))
    _set_status(referral, ReferralStatus.RECEIVED, by, received_at=timezone.now(),
                received_by=by)
    return referral


@transaction.atomic
def book_health_check(*, referral, by, when, version=None) -> Referral:
    """A time for the check, or a new time: not over one booked after the form's `version`."""
    lock(referral)
    _require(referral, AWAITING_CHECK,
             _("A health check can be booked only for a referral that is waiting for one."))
    check_version(referral, version)
    if when < timezone.now():
        raise ValidationError(_("The time is in the past. Choose a coming time."))
    fields = {"booked_for": when}
    if referral.received_at is None:
        fields.update(received_at=timezone.now(), received_by=by)
    _set_status(referral, ReferralStatus.BOOKED, by, **fields)
    return referral


@transaction.atomic
def record_no_show(*, referral, by, version=None, note="") -> MissedAppointment:
    """
    The client did not arrive at the booked health check (ei saapunut): recorded by the health
    check for the booked time, from that time on. The no-show is kept (MissedAppointment: the
    referral's history and the client's timeline) and the referral goes back to waiting for a
    time, so that the nurse's worklist and My work prompt to book a new one.
    """
    lock(referral)
    _require(referral, [ReferralStatus.BOOKED],
             _("Only a booked health check can be recorded as missed."))
    check_version(referral, version)  # not for a time changed after the page was opened
    if not referral.no_show_open():
        raise ValidationError(_("The client can be recorded as not arrived from the booked "
                                "time on."))
    missed = _save(MissedAppointment(client=referral.client, organisation=referral.recipient,
                                     created_by=by, referral=referral,
                                     booked_for=referral.booked_for, note=note), by)
    _set_status(referral, ReferralStatus.RECEIVED, by, booked_for=None)
    return missed


@transaction.atomic
def cancel_referral(*, referral, by, reason) -> Referral:
    lock(referral)
    _require(referral, AWAITING_CHECK,
             _("Only a referral still waiting for its health check can be cancelled."))
    _set_status(referral, ReferralStatus.CANCELLED, by, cancelled_at=timezone.now(),
                cancelled_by=by, cancellation_reason=reason)
    return referral


@transaction.atomic
def record_health_check(*, referral, by, organisation, version=None, **fields) -> HealthCheck:
    """
    Step 3: the nurse records the unemployed health check; the referral is then done. From the
    form (`version`: of the check it was opened on, 0 when there was none yet) the organisation
    that recorded the check corrects it — not over a version saved after the form's, which the
    nurse sees first: of two nurses recording the same check at once, the second is shown the
    first one's and chooses whether to replace it.
    """
    lock(referral)
    check = HealthCheck.objects.filter(referral=referral).first()
    if check is None or version is None:
        _require(referral, AWAITING_CHECK,
                 _("This referral is not waiting for a health check."))
    elif check.organisation_id != organisation.pk:
        raise ValidationError(_("Only the organisation that recorded the health check can "
                                "change it."))
    if fields["performed_on"] > timezone.localdate():
        raise ValidationError({"performed_on": _("The check cannot be dated in the future.")})
    if check is not None:
        check_version(check, version)
        for name, value in fields.items():
            setattr(check, name, value)
        return _save(check, by)
    check = HealthCheck(client=referral.client, referral=referral, organisation=organisation,
                        created_by=by, **fields)
    _save(check, by)
    _set_status(referral, ReferralStatus.DONE, by)
    return check


def feedback_recipients(referral):
    """
    Who may receive the feedback: the referrer; for a self-referral, the employment services
    that serve the client's municipality (as the health check knows it).
    """
    if not referral.is_self_referral:
        return [referral.organisation]
    municipality = municipality_known_to(referral.client, referral.recipient)
    return list(
        Organisation.objects.filter(sector=Sector.EMPLOYMENT, is_active=True,
                                    municipalities=municipality)
    )


@transaction.atomic
def send_feedback(*, referral, by, organisation, recipient=None, **fields) -> Feedback:
    """
    Step 4: feedback from the health check closes the loop with the referrer. For a
    self-referral it goes to the client, and to employment services only under the client's
    consent for health information (DESIGN.md, step 2).
    """
    lock(referral)
    if referral.status in AWAITING_CHECK:
        raise ValidationError(_("Record the health check before its feedback."))
    _require(referral, [ReferralStatus.DONE], _("Feedback has already been given."))
    check = referral.health_check
    given_on = fields["given_on"]
    if given_on < check.performed_on:
        raise ValidationError({"given_on": _("Feedback cannot be given before the check.")})
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("The date cannot be in the future.")})
    legal_basis, consent = LegalBasis.REFERRAL, None
    if referral.is_self_referral:
        if recipient is not None and recipient not in feedback_recipients(referral):
            raise ValidationError({"recipient": _("Choose the employment services of the "
                                                  "client's municipality.")})
        if recipient is not None:
            consent = consent_for_sending(referral.client, recipient, DataCategory.HEALTH,
                                          source=organisation)
            if consent is None:
                raise ValidationError({"recipient": _(
                    "The client has not consented to sending health information to this "
                    "organisation. Record the consent first, or give the feedback to the "
                    "client only."
                )})
            legal_basis = LegalBasis.CONSENT
    else:
        recipient = referral.organisation
        if banned(referral.client, recipient):
            raise DisclosureBanned()
    feedback = Feedback(client=referral.client, referral=referral, organisation=organisation,
                        created_by=by, recipient=recipient, **fields)
    _save(feedback, by)
    _set_status(referral, ReferralStatus.FEEDBACK_SENT if recipient else
                ReferralStatus.GIVEN_TO_CLIENT, by)
    if recipient is not None:
        _serve_with_feedback(referral, organisation, recipient, by, legal_basis, consent)
    return feedback


def _serve_with_feedback(referral, organisation, recipient, by, legal_basis, consent):
    """The recipient serves the client on the feedback's basis (a referrer already did). After
    a self-referral the card goes with it only under a consent for identity too."""
    client = referral.client
    if referral.is_self_referral and consent_for_sending(
            client, recipient, DataCategory.IDENTITY, source=organisation) is None:
        serve(client=client, organisation=recipient, basis=RelationshipBasis.FEEDBACK, by=by)
        carried = False
    else:
        carried = serve_with_card(client=client, sender=organisation, recipient=recipient,
                                  basis=RelationshipBasis.FEEDBACK, by=by)
    record_disclosure(
        user=by, client=client, source=organisation, recipient=recipient,
        categories=[DataCategory.HEALTH, *([DataCategory.IDENTITY] if carried else [])],
        action=Action.FEEDBACK_SENT, legal_basis=legal_basis, consent=consent,
    )


@transaction.atomic
def acknowledge_feedback(*, feedback, by) -> Feedback:
    """The referrer confirms the feedback reached them: the loop is closed."""
    lock(feedback)
    if feedback.recipient_id not in care_organisation_ids(by):
        raise ValidationError(
            _("Only the organisation the feedback was sent to can acknowledge it.")
        )
    if feedback.acknowledged_at is not None:
        raise ValidationError(_("The feedback has already been acknowledged."))
    feedback.acknowledged_at = timezone.now()
    feedback.acknowledged_by = by
    _save(feedback, by)
    _set_status(feedback.referral, ReferralStatus.ACKNOWLEDGED, by)
    return feedback


def record_assessment(*, client, by, organisation, **fields) -> DoctorAssessment:
    """Step 6: the doctor decides unemployed or sick and what happens next."""
    if fields["assessed_on"] > timezone.localdate():
        raise ValidationError({"assessed_on": _("The assessment cannot be dated in the future.")})
    assessment = DoctorAssessment(client=client, organisation=organisation, created_by=by,
                                  **fields)
    return _save(assessment, by)


@transaction.atomic
def update_assessment(*, assessment, by, version=None, **fields) -> DoctorAssessment:
    """The doctor corrects the assessment: not over a version saved after the form's, which
    the doctor sees first. The earlier versions stay in its history."""
    if fields["assessed_on"] > timezone.localdate():
        raise ValidationError({"assessed_on": _("The assessment cannot be dated in the future.")})
    lock(assessment)
    check_version(assessment, version)
    for name, value in fields.items():
        setattr(assessment, name, value)
    return _save(assessment, by)

