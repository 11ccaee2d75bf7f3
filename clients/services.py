"""Operations on clients that change several records; views and tasks call these."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import CaseManagerAssignment, Client, ClientStatus, SituationNote


@transaction.atomic
def create_client(*, by, organisation, case_managers=(), **fields) -> Client:
    """
    Write a new client in, as a client of the organisation of the staff member who does it.

    Service path step 1: whichever service notices the need starts the client's record.
    """
    client = Client(**fields)
    client._history_user = by
    client.full_clean()
    client.save()
    client.organisations.add(organisation)
    set_case_managers(client=client, users=case_managers, by=by)
    return client


@transaction.atomic
def update_client(*, client, by, case_managers, **fields) -> Client:
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
    """
    if not users and client.status == ClientStatus.ACTIVE:
        raise NoCaseManager
    today = today or timezone.localdate()
    current = {a.user_id: a for a in client.case_manager_assignments.current()}
    wanted = {user.pk: user for user in users}
    for user_id, assignment in current.items():
        if user_id not in wanted:
            assignment.ended_on = today
            assignment._history_user = by
            assignment.save(update_fields=["ended_on"])
    for user_id, user in wanted.items():
        if user_id not in current:
            membership = user.memberships.active().care().order_by("pk").first()
            assignment = CaseManagerAssignment(
                client=client, user=user, started_on=today,
                organisation=membership.organisation if membership else None,
            )
            assignment._history_user = by
            assignment.save()


@transaction.atomic
def hand_over(*, client, leaving, successor, by) -> None:
    """
    A case manager who cannot go on names their successor; the successor's period starts the
    day the leaver's ends. Without a successor the last case manager cannot leave.
    """
    current = [a.user for a in client.case_manager_assignments.current().select_related("user")]
    if leaving not in current:
        raise ValidationError(_("Only a current case manager can hand over."))
    if successor is None:
        if len(current) == 1:
            raise NoCaseManager
        set_case_managers(client=client, users=[u for u in current if u != leaving], by=by)
        return
    remaining = [u for u in current if u != leaving]
    set_case_managers(client=client, users=[*remaining, successor], by=by)


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


@transaction.atomic
def take_on_client(*, hetu, organisation, by) -> Client:
    """
    A client already in Työkyky comes to my organisation — Mari walks into the health check
    although adult social work wrote her in. Knowing her code from her, the staff member makes
    her a client of their organisation too, and then sees what that organisation may see.
    """
    client = Client.objects.select_for_update().get(hetu=hetu)
    client._history_user = by
    client.organisations.add(organisation)
    return client
