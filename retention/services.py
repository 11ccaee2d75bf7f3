"""
Proposing, deciding and destroying: the operations the nightly task and the leader's page
share.

The rule: a controller's records of a client are destroyed only after the controller's leader
has approved a proposal naming them, only once their retention period has passed — checked
again at the moment of destruction, since the file may have been reopened — and each destruction
leaves a Tombstone. Nothing is destroyed without approval.
"""

import logging
from datetime import date

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Client
from teams.models import Membership, Role

from .defaults import REVIEW_AFTER_REJECTION_YEARS, add_years
from .destruction import carry_out, plan_destruction
from .models import OPEN_STATES, DestructionProposal, ProposalState, Tombstone
from .rules import Periods, candidate_clients, file_of, files_of

logger = logging.getLogger(__name__)

PERMISSION = ("retention", "approve_destruction")
BATCH = 500


# --- Who decides --------------------------------------------------------------------------------

def deciding_organisation_ids(user) -> set[int]:
    """The organisations whose proposals the user decides: those where the user is the
    leader (an active membership with the role `Role.MANAGER`), while the leader's role holds
    the permission (teams/roles.py). No other role decides, whatever permissions an
    administrator gives its group; a permission given to the user alone names no
    organisation, so it decides nothing either."""
    if not user.is_authenticated:
        return set()
    if not Group.objects.filter(name=Role.MANAGER, permissions__content_type__app_label=(
            PERMISSION[0]), permissions__codename=PERMISSION[1]).exists():
        return set()
    return set(Membership.objects.active().filter(user=user, role=Role.MANAGER)
               .values_list("organisation_id", flat=True))


def proposals_for(user):
    """The proposals the user may see: their own organisations' only."""
    return DestructionProposal.objects.filter(organisation_id__in=deciding_organisation_ids(user))


# --- Proposing ----------------------------------------------------------------------------------

def _proposable(file, open_or_recent) -> bool:
    key = (file.organisation.pk, file.client.pk)
    return bool(file.due) and key not in open_or_recent


def _blocked(client_ids, today) -> set[tuple[int, int]]:
    """Controllers and clients with an open proposal, or one rejected less than the review
    interval ago: nothing new is proposed for them."""
    since = add_years(today, -REVIEW_AFTER_REJECTION_YEARS)
    rows = DestructionProposal.objects.filter(client_id__in=client_ids).filter(
        state__in=[*OPEN_STATES, ProposalState.REJECTED]).values_list(
        "organisation_id", "client_id", "state", "decided_at")
    return {(organisation_id, client_id) for organisation_id, client_id, state, decided
            in rows if state in OPEN_STATES or timezone.localdate(decided) > since}


def _nothing_new(file, tombstones) -> bool:
    """The controller destroyed these types after its last record of the client: what is
    left of them is kept for another controller, and goes with that one's destruction."""
    last = max((t for t in tombstones if t.organisation_id == file.organisation.pk),
               key=lambda t: t.destroyed_at, default=None)
    return last is not None and set(file.due) <= set(last.record_types) and (
        timezone.localdate(last.destroyed_at) >= file.closed_on)


def propose(file, *, now=None) -> DestructionProposal | None:
    """A proposal for the due record types of one controller's file, with what destroying them
    would delete; none when nothing would be (all kept for others) or one is open already."""
    plan = plan_destruction(organisation=file.organisation, client=file.client,
                            record_types=set(file.due))
    # A type whose records are all kept for another controller is named too: approving it
    # lets them go with that controller's destruction, with no second approval.
    items = {key: {"count": plan.destroyed[key], "kept": plan.kept[key],
                   "due_on": file.due[key].isoformat()}
             for key in sorted(file.due) if plan.destroyed[key] or plan.kept[key]}
    if not any(item["count"] for item in items.values()):
        return None
    proposal = DestructionProposal(
        organisation=file.organisation, client=file.client, closed_on=file.closed_on,
        due_on=max(date.fromisoformat(item["due_on"]) for item in items.values()),
        items=items, proposed_at=now or timezone.now(),
    )
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError:  # another run proposed the same file a moment ago
        return None
    return proposal


def propose_due(*, today=None, now=None) -> dict:
    """
    The nightly proposals: every controller's file whose records have passed their period,
    once — one open proposal per controller and client, none again for a rejected file until
    the review interval has passed. Proposals of files reopened meanwhile become void.
    """
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    voided = void_stale(today=today)
    periods = Periods()
    created = 0
    clients = candidate_clients(periods=periods, today=today)
    last = 0
    while True:
        batch = list(clients.filter(pk__gt=last)[:BATCH])
        if not batch:
            break
        last = batch[-1].pk
        ids = [client.pk for client in batch]
        blocked = _blocked(ids, today)
        tombstones = {}
        for tombstone in Tombstone.objects.filter(client_id__in=ids):
            tombstones.setdefault(tombstone.client_id, []).append(tombstone)
        for file in files_of(batch, periods=periods, today=today):
            if not _proposable(file, blocked):
                continue
            if _nothing_new(file, tombstones.get(file.client.pk, [])):
                continue
            if propose(file, now=now) is not None:
                created += 1
    return {"proposed": created, "void_waiting": voided}


def void_stale(*, today) -> int:
    """Waiting proposals whose file was reopened, or whose records are no longer due: checked
    a batch of clients at a time, as the proposals are made."""
    voided = 0
    periods = Periods()
    waiting = DestructionProposal.objects.filter(state=ProposalState.PROPOSED).order_by("pk")
    last = 0
    while True:
        batch = list(waiting.filter(pk__gt=last).values_list("pk", "organisation_id",
                                                              "client_id", "items")[:BATCH])
        if not batch:
            break
        last = batch[-1][0]
        clients = Client.objects.in_bulk({client_id for _pk, _o, client_id, _i in batch})
        files = {(file.organisation.pk, file.client.pk): file
                 for file in files_of(list(clients.values()), periods=periods, today=today)}
        for pk, organisation_id, client_id, items in batch:
            file = files.get((organisation_id, client_id))
            if file is not None and file.closed_on is not None and set(items) <= set(file.due):
                continue
            with transaction.atomic():
                proposal = (DestructionProposal.objects.select_for_update(skip_locked=True)
                            .filter(pk=pk, state=ProposalState.PROPOSED).first())
                if proposal is None:
                    continue
                proposal.state = ProposalState.VOID
                proposal.save()
                voided += 1
    return voided


def _still_due(proposal, *, today, periods) -> bool:
    file = file_of(proposal.client, proposal.organisation, today=today, periods=periods)
    return file.closed_on is not None and set(proposal.record_types) <= set(file.due)


# --- Deciding -----------------------------------------------------------------------------------

def _decide(proposal, *, by, state, reason=""):
    if proposal.organisation_id not in deciding_organisation_ids(by):
        raise ValidationError(_("Only the controller's leader decides on its records."))
    with transaction.atomic():
        locked = DestructionProposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.state != ProposalState.PROPOSED:
            raise ValidationError(_("This proposal has already been decided."))
        locked.state, locked.decided_by, locked.decided_at = state, by, timezone.now()
        locked.rejection_reason = reason
        locked._history_user = by
        locked.full_clean()
        locked.save()
    return locked


def approve(*, proposal, by) -> DestructionProposal:
    """The leader approves: the records are destroyed by the next night's run."""
    return _decide(proposal, by=by, state=ProposalState.APPROVED)


def reject(*, proposal, by, reason) -> DestructionProposal:
    """The leader keeps the records, for a reason chosen from a list; asked again after the
    review interval (retention/defaults.py)."""
    if not reason:
        raise ValidationError({"reason": _("Choose why the records are kept.")})
    return _decide(proposal, by=by, state=ProposalState.REJECTED, reason=reason)


# --- Destroying ---------------------------------------------------------------------------------

# Serialization failure and deadlock: the attempt is undone as a whole and tried again.
RETRY_SQLSTATES = {"40001", "40P01"}
ATTEMPTS = 3


def destroy(proposal_id, *, now=None) -> str:
    """
    Destroy one approved proposal's records, in one transaction: all of it or, if the worker
    dies or anything fails, none of it. The proposal is claimed with a skipping lock (two
    workers never take the same one) and the client's row locked (closing and reopening wait).
    Whether the approval still stands and the records are still due is checked again now: an
    approver who no longer leads the organisation, or a file reopened since, voids the proposal
    and nothing is destroyed. Returns the proposal's new state, or "" if another worker had it
    or it was not approved.

    Isolation. The client row's lock (FOR NO KEY UPDATE, so that the access log's rows and
    other readers are not held up) does not stop a row pointing at the client from being
    inserted meanwhile: a serve() by referral or invitation, a new record. At READ COMMITTED
    each query sees what has been committed by then, so such a row, committed after the check
    and before the planning queries, would be planned and deleted with the rest, unchecked.
    Checking again after the deletion cannot see it either: by then it is one of the deleted.
    So the transaction runs at REPEATABLE READ: the check, the plan and the deletion all read
    one snapshot, taken at its first query, and only rows of that snapshot are deleted — what
    was checked is what goes. A row committed after the snapshot is not seen and survives; it
    reopens the file for the next night's rules. A concurrent change of a row being deleted or
    locked, or a new row pointing at one (PostgreSQL's foreign-key check at REPEATABLE READ),
    fails the transaction with a serialization error: it is undone and tried again on a new
    snapshot, up to ATTEMPTS times, then left approved for the next night. Inside a caller's
    transaction (a test's, another task's) the isolation is the caller's, and there is no retry.
    """
    now = now or timezone.now()
    outermost = not transaction.get_connection().in_atomic_block
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with transaction.atomic():
                if outermost and connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                return _destroy(proposal_id, now)
        except OperationalError as error:
            retry = outermost and attempt < ATTEMPTS and _sqlstate(error) in RETRY_SQLSTATES
            if not retry:
                raise
    return ""  # not reached


def _sqlstate(error) -> str | None:
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)


def _void(proposal) -> str:
    proposal.state = ProposalState.VOID
    proposal._history_user = proposal.decided_by
    proposal.save()
    return proposal.state


def _destroy(proposal_id, now) -> str:
    proposal = (DestructionProposal.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk=proposal_id, state=ProposalState.APPROVED)
                .select_related("organisation", "decided_by").first())
    if proposal is None:
        return ""
    # The approval is the leader's: one who has since left the organisation, or is no longer
    # its leader, no longer decides for it. The proposal is void; the records, still due, are
    # proposed again to the leader of today.
    if proposal.organisation_id not in deciding_organisation_ids(proposal.decided_by):
        return _void(proposal)
    # FOR NO KEY UPDATE: closing and reopening wait; a log row pointing at the client
    # does not (the snapshot above keeps new rows out of the destruction).
    client = Client.objects.select_for_update(no_key=True).get(pk=proposal.client_id)
    proposal.client = client
    if not _still_due(proposal, today=timezone.localdate(now), periods=Periods()):
        return _void(proposal)
    plan = plan_destruction(organisation=proposal.organisation, client=client,
                            record_types=set(proposal.record_types))
    carry_out(plan, proposal=proposal, by=proposal.decided_by)
    proposal.state, proposal.destroyed_at = ProposalState.DESTROYED, now
    proposal._history_user = proposal.decided_by
    proposal.save()
    return proposal.state


def destroy_approved(*, now=None) -> dict:
    """Every approved proposal, each in a transaction of its own (a savepoint inside a
    caller's): one that fails is undone alone, stays approved for the next night, and is
    logged by its number only — an error's text may quote client data — while the others go
    on."""
    outcome = {ProposalState.DESTROYED.value: 0, ProposalState.VOID.value: 0, "failed": 0}
    for pk in DestructionProposal.objects.filter(state=ProposalState.APPROVED).order_by(
            "decided_at", "pk").values_list("pk", flat=True):
        try:
            state = destroy(pk, now=now)
        except Exception as error:  # one proposal must not stop the night
            logger.error("retention: destroying proposal %s failed (%s); left approved",
                         pk, type(error).__name__)
            outcome["failed"] += 1
            continue
        if state:
            outcome[state] += 1
    return outcome
