"""Operations on clients that change several records; views and tasks call these."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.hetu import normalise_hetu
from clients.models import (
    CaseManagerAssignment,
    Client,
    ClientRelationship,
    ClientStatus,
    RelationshipBasis,
    SituationNote,
)
from clients.signals import relationship_started
from consents.policy import keeps_card, organisation_of, team_case_managers
from tyokyky.versions import check_version, lock

# What the staff member types of the client as the client gives it: the card.
CARD_FIELDS = ["first_name", "last_name", "municipality", "language", "interpreter_language",
               "phone", "email", "street_address", "postal_code", "post_office", "own_nurse"]
NULLABLE_CARD_FIELDS = {"municipality", "own_nurse"}


def add_client(*, by, organisation, hetu, case_managers=(), own_nurse=None, **card) -> Client:
    """
    Service path step 1: whichever service notices the need writes the client in, with the
    details the client gives at a visit or in an application.

    The answer is the same whether or not the code is already in Työkyky, so that nobody can
    ask whether a person is someone's client. A new code makes a new client whose card this
    organisation wrote. A code already there makes this organisation one that serves the
    client on the basis of the visit, with what was typed as its own card — which is all it
    sees of the client's identity — and tells the organisations already serving.
    """
    hetu = normalise_hetu(hetu)
    try:
        with transaction.atomic():
            client = _new_client(by=by, organisation=organisation, hetu=hetu,
                                 case_managers=case_managers, own_nurse=own_nurse, card=card)
    except IntegrityError:  # someone wrote the same code in a moment ago: take that client on
        client = None
    if client is not None:
        return client
    with transaction.atomic():
        client = Client.objects.select_for_update().get(hetu=hetu)
        serve(client=client, organisation=organisation, basis=RelationshipBasis.VISIT, by=by,
              card={**card, "own_nurse": own_nurse})
        # The organisation's own case managers for its own work: they do not join the
        # client's team, which only an organisation keeping the card puts people on.
        add_case_managers(client=client, users=case_managers, by=by, named_by=organisation)
    return client


def _new_client(*, by, organisation, hetu, case_managers, own_nurse, card) -> Client | None:
    if Client.objects.filter(hetu=hetu).exists():
        return None
    client = Client(hetu=hetu, organisation=organisation, own_nurse=own_nurse, **card)
    client._history_user = by
    client.full_clean(validate_unique=False)
    client.save()
    serve(client=client, organisation=organisation, basis=RelationshipBasis.VISIT, by=by)
    set_case_managers(client=client, users=case_managers, by=by)
    return client


def serve(*, client, organisation, basis, by, card=None, until=None,
          carries_card=False) -> ClientRelationship:
    """
    The organisation serves the client from now on, on this basis (once per basis), `until` a
    time or for good. The row is the record of the basis: who, when, why. A card typed at a
    visit, or carried by a referral from an organisation that knew the client only by its own
    card, is kept with it; a referral or feedback from an organisation that keeps the client's
    card `carries_card`. The card's writer keeps no card here: its card is the client's own.
    """
    new_to_client = not client.relationships.in_force().filter(organisation=organisation).exists()
    relationship, created = ClientRelationship.objects.get_or_create(
        client=client, organisation=organisation, basis=basis,
        defaults={"recorded_by": by, "ends_at": until, "carries_card": carries_card},
    )
    changed = []
    if not created and relationship.ends_at and (until is None or until > relationship.ends_at):
        relationship.ends_at = until
        changed.append("ends_at")
    if carries_card and not relationship.carries_card:
        relationship.carries_card = True
        changed.append("carries_card")
    if changed:
        relationship._history_user = by
        relationship.save(update_fields=changed)
    # A card typed at a visit is updated by the next visit; one carried by a referral stays
    # as it came, and never over the client's own card.
    if card and organisation.pk != client.organisation_id and not relationship.carries_card and (
            created or basis == RelationshipBasis.VISIT or not relationship.has_card):
        update_card(relationship=relationship, by=by, **card)
    # A visit is the organisation's own word; a referral, feedback or invitation is an act of
    # the organisations already serving, which they know of. Data loaded by nobody (the demo)
    # tells nobody.
    if new_to_client and basis == RelationshipBasis.VISIT and by is not None and (
            client.relationships.in_force().exclude(organisation=organisation).exists()):
        transaction.on_commit(lambda: relationship_started.send(
            sender=ClientRelationship, relationship=relationship))
    return relationship


@transaction.atomic
def update_card(*, relationship, by, version=None, **card) -> ClientRelationship:
    """An organisation's own card of the client, typed at a visit (or corrected since); from
    its edit form, not over a change saved after the form's `version`."""
    if version is not None:
        lock(relationship)
        check_version(relationship, version)
    for name in CARD_FIELDS:
        setattr(relationship, name, card.get(name) or (
            None if name in NULLABLE_CARD_FIELDS else ""))
    relationship._history_user = by
    relationship.full_clean(validate_unique=False)
    relationship.save()
    return relationship


def add_case_managers(*, client, users, by, named_by) -> None:
    """Start the periods of these case managers beside the current ones, named by `named_by`."""
    known = set(client.case_manager_assignments.current().values_list("user_id", flat=True))
    for user in users:
        if user.pk not in known:
            _start_case_manager(client=client, user=user, by=by, named_by=named_by)


def _start_case_manager(*, client, user, by, named_by, today=None):
    membership = user.memberships.active().care().order_by("pk").first()
    assignment = CaseManagerAssignment(
        client=client, user=user, started_on=today or timezone.localdate(),
        organisation=membership.organisation if membership else None,
        assigned_by_organisation=named_by,
    )
    assignment._history_user = by
    assignment.save()
    return assignment


@transaction.atomic
def update_client(*, client, by, case_managers, version=None, **fields) -> Client:
    """The card's writer edits the client's card and names the case managers; from the edit
    form, not over a change saved after the form's `version` (tyokyky.versions)."""
    lock(client)
    check_version(client, version, related=[(
        _("Case managers"), CaseManagerAssignment.history.filter(client=client),
        lambda: ", ".join(str(a.user) for a in client.case_manager_assignments.current()
                          .select_related("user")) or "–",
    )])
    for name, value in fields.items():
        setattr(client, name, value)
    client._history_user = by
    client.full_clean()
    client.save()
    set_case_managers(client=client, users=case_managers, by=by)
    return client


class NoCaseManager(ValidationError):
    """An open client must always have a case manager (DESIGN.md, step 5)."""

    def __init__(self):
        super().__init__(
            _("An open client must always have a case manager. Name the successor before "
              "the last case manager leaves."),
            code="no_case_manager",
        )


def set_case_managers(*, client, users, by, today=None) -> None:
    """
    Make `users` the client's current case managers: end the others' periods today, start new.
    An open client is never left without one. Past periods stay, so the client page shows who
    was responsible when.

    An organisation that keeps the client's card names the client's case managers; any other
    changes only the ones it named itself (only the writing organisation edits its records).
    """
    named_by = organisation_of(by) or client.organisation
    keeps = by is None or keeps_card(client, named_by)
    if not users and keeps and client.status == ClientStatus.ACTIVE:
        raise NoCaseManager
    today = today or timezone.localdate()
    current = {a.user_id: a for a in client.case_manager_assignments.current()}
    wanted = {user.pk: user for user in users}
    # A keeper manages the team's case managers (named by keepers); anyone their own.
    team = set(team_case_managers().filter(client=client).values_list("pk", flat=True))
    for user_id, assignment in current.items():
        own = assignment.assigned_by_organisation_id == (named_by and named_by.pk)
        if user_id not in wanted and (own or (keeps and assignment.pk in team)):
            assignment.ended_on = today
            assignment._history_user = by
            assignment.save(update_fields=["ended_on"])
    for user_id, user in wanted.items():
        if user_id not in current:
            _start_case_manager(client=client, user=user, by=by, named_by=named_by, today=today)


@transaction.atomic
def hand_over(*, client, leaving, successor, by) -> None:
    """
    A case manager who cannot go on names their successor; the successor's period starts the
    day the leaver's ends, in the leaver's place — as named by whoever named the leaver.
    Without a successor the last case manager cannot leave.
    """
    current = list(client.case_manager_assignments.current().select_related("user"))
    leaver = next((a for a in current if a.user_id == leaving.pk), None)
    if leaver is None:
        raise ValidationError(_("Only a current case manager can hand over."))
    if successor is None and len(current) == 1:
        raise NoCaseManager
    leaver.ended_on = timezone.localdate()
    leaver._history_user = by
    leaver.save(update_fields=["ended_on"])
    if successor is not None and successor.pk not in {a.user_id for a in current}:
        _start_case_manager(client=client, user=successor, by=by,
                            named_by=leaver.assigned_by_organisation)


def add_note(*, client, by, organisation, category, text) -> SituationNote:
    """
    Add to the team's shared picture of the client. The note belongs to the writer's
    organisation, which always sees it; others see it under a consent for its category.
    """
    note = SituationNote(
        client=client, organisation=organisation, created_by=by, category=category, text=text
    )
    note._history_user = by
    note.full_clean()
    note.save()
    return note

