"""Recording consents, disclosure bans and team grants: the writes behind the policy."""

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tyokyky.versions import check_version, lock

from . import reach
from .models import (
    GRANT_CODENAME,
    ClientUserObjectPermission,
    Consent,
    ConsentCategory,
    ConsentConfirmation,
    ConsentMethod,
    ConsentSector,
    DisclosureBan,
)
from .policy import keeps_card, organisation_of
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
    reach.refresh(client.pk)  # the categories and sectors, saved in bulk
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


# --- The client's own changes, in Oma Työkyky ---------------------------------------------------
# The client is no staff user: these take the client and record "the client themself" in place
# of a user. A consent the client gives or confirms opens every organisation's data at once
# (consents.policy._confirmed_by); a ban the client records hides their data at once.

def _check_consent_scope(*, categories, organisations, sectors, valid_from, valid_until):
    if not categories:
        raise ValidationError({"categories": _("Choose at least one category of information.")})
    if not organisations and not sectors:
        raise ValidationError({"recipient_organisations": _(
            "Choose at least one recipient organisation or sector.")})
    if any(not organisation.is_active for organisation in organisations):
        raise ValidationError({"recipient_organisations": _(
            "The organisation no longer works here.")})
    if valid_until and valid_until < valid_from:
        raise ValidationError({"valid_until": _("The consent cannot end before it begins.")})
    if valid_until and valid_until < timezone.localdate():
        raise ValidationError({"valid_until": _("The end date has already passed.")})


def _client_consent(*, client, categories, organisations, sectors, purpose, valid_from,
                    valid_until, replaces=None) -> Consent:
    now = timezone.now()
    consent = Consent(
        client=client, purpose=purpose, method=ConsentMethod.ELECTRONIC, given_by_client=True,
        recorded_by=None, recorded_at=now, confirmed_by_client_at=now, valid_from=valid_from,
        valid_until=valid_until, replaces=replaces,
    )
    consent.full_clean()
    consent.save()
    consent.recipient_organisations.set(organisations)
    ConsentCategory.objects.bulk_create(
        ConsentCategory(consent=consent, category=category) for category in categories)
    ConsentSector.objects.bulk_create(
        ConsentSector(consent=consent, sector=sector) for sector in sectors)
    reach.refresh(client.pk)  # the categories and sectors, saved in bulk
    return consent


@transaction.atomic
def give_consent_as_client(*, client, categories, organisations=(), sectors=(), purpose,
                           valid_from, valid_until=None) -> Consent:
    """
    The client gives a consent themself, identified strongly in Oma Työkyky (issue 17):
    electronic, given and confirmed by the client at once, so that it opens every
    organisation's data of its categories to the recipients from the next request.
    """
    _check_consent_scope(categories=categories, organisations=organisations, sectors=sectors,
                         valid_from=valid_from, valid_until=valid_until)
    return _client_consent(client=client, categories=categories, organisations=organisations,
                           sectors=sectors, purpose=purpose, valid_from=valid_from,
                           valid_until=valid_until)


def _own_consent(consent, client) -> Consent:
    consent = lock(consent)
    if consent.client_id != client.pk:  # the views 404 first; this guards every other caller
        raise ValidationError(_("This is not your consent."))
    return consent


@transaction.atomic
def confirm_consent_as_client(*, consent, client) -> Consent:
    """
    The client confirms a consent staff recorded for them: from now on it opens every
    organisation's data it names (not only the recording organisation's), as a consent the
    client gave themself does.
    """
    consent = _own_consent(consent, client)
    if consent.revoked_at is not None or (
            consent.valid_until and consent.valid_until < timezone.localdate()):
        raise ValidationError(_("The consent is not in force."))
    if consent.confirmed_by_client_at is not None:
        raise ValidationError(_("You have already confirmed this consent."))
    consent.confirmed_by_client_at = timezone.now()
    consent.save(update_fields=["confirmed_by_client_at"])
    return consent


def _revoke_by_client(consent, reason) -> None:
    if consent.revoked_at is not None:
        raise ValidationError(_("The consent has already been revoked."))
    consent.revoked_at = timezone.now()
    consent.revoked_by = None
    consent.revoked_by_client = True
    consent.revocation_reason = reason
    consent.save()


@transaction.atomic
def revoke_consent_as_client(*, consent, client, reason="") -> Consent:
    """The client revokes their consent, whoever recorded it: at once, like staff's
    revocation (the policy reads consents on every request)."""
    consent = _own_consent(consent, client)
    _revoke_by_client(consent, reason)
    return consent


def may_narrow_as_client(consent) -> bool:
    """
    Only a consent of the client's own word — given or already confirmed by them — can be
    narrowed. The narrower consent is the client's own, and a consent the client confirmed
    opens every organisation's data (consents.policy._confirmed_by): from a staff consent the
    client has not confirmed, which opens only the data of the organisations that recorded
    or confirmed it, "narrowing" would open more, not less. The client confirms it first, or
    revokes it.
    """
    return consent.confirmed_by_client_at is not None


def check_narrowable_by_client(consent) -> None:
    """The refusal the client reads when `may_narrow_as_client` says no."""
    if not may_narrow_as_client(consent):
        raise ValidationError(_(
            "You can narrow only a consent you gave or confirmed. Confirm this consent first, "
            "or revoke it and give a new one."))


@transaction.atomic
def narrow_consent_as_client(*, consent, client, categories, organisations=(), sectors=(),
                             valid_until=None) -> Consent:
    """
    The client narrows a consent: fewer categories, organisations or sectors, or an earlier
    end. A consent is never edited — the disclosure log names the consent each disclosure was
    made under, and its history must keep saying what was allowed then — so the old consent is
    revoked and the narrower one recorded in its place, in one transaction, as the client's own.
    Only a consent the client gave or confirmed (`may_narrow_as_client`).
    """
    consent = _own_consent(consent, client)
    check_narrowable_by_client(consent)
    today = timezone.localdate()
    if not consent.is_valid_on(today) and not (
            consent.revoked_at is None and consent.valid_from > today):
        raise ValidationError(_("The consent is not in force."))
    old_organisations = set(consent.recipient_organisations.all())
    widens = (not set(categories) <= set(consent.categories)
              or not set(organisations) <= old_organisations
              or not set(sectors) <= set(consent.recipient_sectors)
              or (consent.valid_until and (valid_until is None
                                           or valid_until > consent.valid_until)))
    if widens:
        raise ValidationError(_("Narrowing can only remove information, recipients or time. "
                                "Give a new consent to add something."))
    valid_from = max(consent.valid_from, today)
    _check_consent_scope(categories=categories, organisations=organisations, sectors=sectors,
                         valid_from=valid_from, valid_until=valid_until)
    unchanged = (set(categories) == set(consent.categories)
                 and set(organisations) == old_organisations
                 and set(sectors) == set(consent.recipient_sectors)
                 and valid_until == consent.valid_until)
    if unchanged:
        raise ValidationError(_("You did not change anything."))
    _revoke_by_client(consent, _("Narrowed by the client."))
    return _client_consent(client=client, categories=categories, organisations=organisations,
                           sectors=sectors, purpose=consent.purpose, valid_from=valid_from,
                           valid_until=valid_until, replaces=consent)


@transaction.atomic
def record_disclosure_ban_as_client(*, client, organisation=None, sector="") -> DisclosureBan:
    """The client forbids disclosing their data to an organisation or a sector themself
    (luovutuskielto, Act 703/2023): in force at once, over every consent. The client's row is
    locked first, so that a double submit finds the first ban and records no second one."""
    type(client).objects.select_for_update().filter(pk=client.pk).first()
    bans = DisclosureBan.objects.in_force().filter(client=client)
    if bans.filter(organisation=organisation, sector=sector).exists():
        raise ValidationError(_("You have already forbidden this."))
    ban = DisclosureBan(client=client, organisation=organisation, sector=sector,
                        recorded_by=None, recorded_by_client=True)
    ban.full_clean()
    ban.save()
    ban_recorded.send(sender=DisclosureBan, ban=ban)
    return ban


@transaction.atomic
def lift_disclosure_ban_as_client(*, ban, client) -> DisclosureBan:
    """The client lifts a ban they recorded themself. A ban staff recorded for them is lifted
    by that organisation (`lift_disclosure_ban`), where the client asks for it."""
    ban = lock(ban)
    if ban.client_id != client.pk or not ban.recorded_by_client:
        raise ValidationError(_("You can lift only a disclosure ban you recorded yourself."))
    if ban.lifted_at is not None:
        raise ValidationError(_("The disclosure ban has already been lifted."))
    ban.lifted_at = timezone.now()
    ban.lifted_by = None
    ban.lifted_by_client = True
    ban.save()
    return ban
