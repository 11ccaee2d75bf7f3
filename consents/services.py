"""Recording consents, disclosure bans and team grants: the writes behind the policy."""

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tyokyky.versions import check_version, lock

from .models import (
    ClientUserObjectPermission,
    Consent,
    ConsentCategory,
    ConsentConfirmation,
    ConsentSector,
    DisclosureBan,
)
from .policy import GRANT_CODENAME, keeps_card, organisation_of
from .signals import ban_recorded


@transaction.atomic
def record_consent(
    *, client, by, categories, organisations=(), sectors=(), purpose, method, heard_by=None,
    valid_from, valid_until=None, organisation=None,
) -> Consent:
    """
    Record the client's consent to share `categories` with `organisations` and/or `sectors`.

    DESIGN.md: data crosses organisations only with the client's consent. It opens the data of
    the recording organisation at once; each other organisation's data only when that
    organisation confirms it (`confirm_consent`) or the client does.
    """
    if not categories:
        raise ValidationError(_("Choose at least one category of information."))
    if not organisations and not sectors:
        raise ValidationError(_("Choose at least one recipient organisation or sector."))
    consent = Consent(
        client=client, purpose=purpose, method=method, heard_by=heard_by,
        valid_from=valid_from, valid_until=valid_until, recorded_by=by,
        recorded_by_organisation=organisation or organisation_of(by),
    )
    consent._history_user = by
    consent.full_clean()
    consent.save()
    consent.recipient_organisations.set(organisations)
    ConsentCategory.objects.bulk_create(
        ConsentCategory(consent=consent, category=category) for category in categories
    )
    ConsentSector.objects.bulk_create(
        ConsentSector(consent=consent, sector=sector) for sector in sectors
    )
    return consent


@transaction.atomic
def confirm_consent(*, consent, organisation, by) -> ConsentConfirmation:
    """
    The organisation, as the controller of its own data about the client, confirms a consent
    another organisation recorded: one click, and the consent opens its data too.
    """
    consent = lock(consent)
    if not consent.is_valid_on(timezone.localdate()):
        raise ValidationError(_("The consent is not in force."))
    if consent.recorded_by_organisation_id == organisation.pk:
        raise ValidationError(_("Your organisation recorded this consent: it needs no "
                                "confirmation from you."))
    if not consent.client.relationships.in_force().filter(organisation=organisation).exists():
        raise ValidationError(_("Your organisation does not serve this client."))
    confirmation, created = ConsentConfirmation.objects.get_or_create(
        consent=consent, organisation=organisation,
        defaults={"confirmed_by": by},
    )
    if not created:
        raise ValidationError(_("Your organisation has already confirmed this consent."))
    return confirmation


@transaction.atomic
def confirm_by_client(*, consent) -> Consent:
    """The client confirms the consent themself (in their own service): it opens the data of
    every organisation it names as a source."""
    consent = lock(consent)
    if consent.confirmed_by_client_at is None:
        consent.confirmed_by_client_at = timezone.now()
        consent.save(update_fields=["confirmed_by_client_at"])
    return consent


@transaction.atomic
def revoke_consent(*, consent, by, reason, version=None) -> Consent:
    """Revoke at once: the next request already goes without it. Once: of two revoking at the
    same moment the second is told it is done; and not over a change (the client's own
    confirmation) saved after the form's `version`, which the user sees first."""
    lock(consent)
    if consent.revoked_at is not None:
        raise ValidationError(_("The consent has already been revoked."))
    check_version(consent, version)
    consent.revoked_at = timezone.now()
    consent.revoked_by = by
    consent.revocation_reason = reason
    consent._history_user = by
    consent.save()
    return consent


@transaction.atomic
def record_disclosure_ban(*, client, by, organisation=None, sector="", reason="") -> DisclosureBan:
    """The client forbids disclosure to an organisation or sector (luovutuskielto)."""
    ban = DisclosureBan(
        client=client, organisation=organisation, sector=sector, reason=reason, recorded_by=by,
        recorded_by_organisation=organisation_of(by),
    )
    ban._history_user = by
    ban.full_clean()
    ban.save()
    # In this transaction: what is still waiting to be sent to them is withheld with the ban.
    ban_recorded.send(sender=DisclosureBan, ban=ban)
    return ban


@transaction.atomic
def lift_disclosure_ban(*, ban, by) -> DisclosureBan:
    """Only the organisation that recorded the client's wish lifts it: nobody lifts a ban on
    their own organisation by recording the client anew."""
    ban = lock(ban)
    organisation = organisation_of(by)
    if organisation is None or ban.recorded_by_organisation_id != organisation.pk:
        raise ValidationError(_("Only the organisation that recorded the disclosure ban can "
                                "lift it."))
    if ban.lifted_at is not None:
        raise ValidationError(_("The disclosure ban has already been lifted."))
    ban.lifted_at = timezone.now()
    ban.lifted_by = by
    ban._history_user = by
    ban.save()
    return ban


def _grant_permission() -> Permission:
    return Permission.objects.get(content_type__app_label="clients", codename=GRANT_CODENAME)


def add_to_team(*, client, user, by) -> None:
    """
    Put a user on the client's team, e.g. the Kela expert a meeting needs. They then see the
    categories a consent covers for their organisation; nothing without one.
    """
    permission = _grant_permission()
    granted_by = organisation_of(by) or client.organisation
    grant = ClientUserObjectPermission.objects.filter(
        content_object=client, user=user, permission=permission
    ).first()
    if grant is None:
        grant = ClientUserObjectPermission(content_object=client, user=user,
                                           permission=permission)
    elif not keeps_card(client, granted_by) or keeps_card(client,
                                                           grant.granted_by_organisation):
        return  # already there, and a keeper's grant is not replaced by another's
    grant.granted_by_organisation = granted_by
    grant._history_user = by
    grant.save()


def remove_from_team(*, client, user, by) -> None:
    for grant in ClientUserObjectPermission.objects.filter(
        content_object=client, user=user, permission__codename=GRANT_CODENAME
    ):
        grant._history_user = by
        grant.delete()
