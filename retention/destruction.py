"""
Destroying a controller's records of a client, once its leader has approved it.

What goes (for the record types approved):
- every ClientRecord row the controller holds of the client — iterated from the app registry,
  not a list (retention/records.py) — with its children (a referral's services, a meeting's
  participants and decisions, a plan's actions and follow-ups: their foreign keys cascade);
- every django-simple-history row of those records and children, the rows of records deleted
  earlier included: otherwise the data would live on in the history;
- for the client relationship and identity card: the controller's relationships (its own card
  typed at a visit is kept on them), the case managers it named, the team grants it gave, the
  consents it recorded that no disclosure-log row names, its confirmations of others' consents,
  its staff's reminders and notifications about the client (never those of a person with an
  active membership in an organisation that still holds the client); and the client's card
  itself once no organisation keeps it any more (below).

What stays, and why:
- The access and disclosure logs: the law keeps them (retention/defaults.py), they are
  append-only, and they point at the client's row with PROTECT. So the client's row stays,
  with what the logs need to remain answerable when the client asks who saw their data: the
  personal identity code (and what is derived of it), the municipality (the column cannot be
  empty) and the status and closing day (the retention rules read them). Its name, contact
  details, own nurse and closing reason are emptied, and its history purged, when the client
  is closed and neither the card's writer, nor an organisation the card was sent with a
  referral (`carries_card`), nor any organisation still serving the client (a relationship in
  force) keeps it any more; until then it is the copy those organisations were sent. Never for
  a client that is not closed.
- A consent that a disclosure-log row names: it is the legal basis the log records.
- A disclosure ban: it protects the client while any of their data exists anywhere.
- A record that is also another controller's: one sent to it (a referral to the health check,
  feedback to the referrer: the recipient's copy is part of its records — "received from
  elsewhere", decree 94/2022 §2), or one its records point at with a protected foreign key (a
  health check of the referral, a feedback discussion of the meeting). Such a record is
  destroyed with the last controller that holds it: every destruction of the client's records
  also takes what earlier destructions had to leave and nobody holds any more. An earlier
  destruction counts only while its controller has not served the client since: a controller
  that took the client on again holds what it had left for others again, until its own next
  destruction.
- A Tombstone (append-only) saying whose records of which types, how many, kept for whom,
  when and approved by whom.

All of one proposal happens in one transaction: a worker killed half-way leaves everything as
it was, and the proposal approved, for the next night.
"""

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import models, router
from django.db.models import Q
from django.db.models.deletion import Collector
from django.utils import timezone
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_model_for_model

from clients.models import CaseManagerAssignment, ClientRelationship, ClientStatus
from consents.models import (
    ClientUserObjectPermission,
    Consent,
    ConsentConfirmation,
    DisclosureLogEntry,
)
from teams.models import Membership
from work.models import Notification, OutboxMessage, Reminder

from . import records
from .models import Tombstone

logger = logging.getLogger(__name__)

# The client's card: emptied once nobody keeps it. The code, and what the logs and the rules
# need, stay (module docstring).
CARD_FIELDS = {
    "first_name": "", "last_name": "", "phone": "", "email": "", "street_address": "",
    "postal_code": "", "post_office": "", "interpreter_language": "", "own_nurse": None,
    "closing_reason": "",
}


@dataclass
class Plan:
    """What destroying a controller's records of these types would delete and keep."""

    organisation: object
    client: object
    record_types: set[str]
    delete: dict[type, set] = field(default_factory=lambda: defaultdict(set))
    destroyed: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)
    # Rows other controllers could not destroy earlier, destroyed now: {organisation: types}.
    completed: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))
    orphan_history: dict[type, set] = field(default_factory=lambda: defaultdict(set))
    card: dict[type, list] = field(default_factory=dict)
    writes_card: bool = False
    card_goes: bool = False

    @property
    def counts(self) -> dict[str, int]:
        return {key: n for key, n in self.destroyed.items() if n}


def _holders(organisation_id, recipient_id) -> set[int]:
    return {holder for holder in (organisation_id, recipient_id) if holder is not None}


class _Done:
    """Has a controller given up its hold of a record type of the client: in this destruction,
    or in an earlier one after the record was written — and not served the client again
    since?"""

    def __init__(self, plan, tombstones, relationships, now):
        self.plan, self.tombstones = plan, tombstones
        self.relationships, self.now = relationships, now

    def __call__(self, holder, key, written) -> bool:
        if holder == self.plan.organisation.pk and key in self.plan.record_types:
            return True
        return self.by_tombstone(holder, key, written) is not None

    def by_tombstone(self, holder, key, written):
        return next((t for t in self.tombstones if t.organisation_id == holder
                     and key in t.record_types and t.destroyed_at >= written
                     and not self.served_since(holder, t.destroyed_at)), None)

    def served_since(self, holder, moment) -> bool:
        """The organisation took the client on again after its destruction (a relationship
        started since), or serves them now (a relationship in force while the client is not
        closed): its file is open again, the records it left for others are in it again, and
        another controller's approval does not reach them. Its own next destruction does."""
        serving_now = self.plan.client.status != ClientStatus.CLOSED
        return any(
            r.organisation_id == holder and (
                r.started_at > moment
                or (serving_now and (r.ends_at is None or r.ends_at >= self.now)))
            for r in self.relationships)


def _protected_references(model):
    """Relations through which other rows point at `model` with on_delete=PROTECT."""
    return [
        relation for relation in model._meta.get_fields(include_hidden=True)
        if relation.auto_created and not relation.concrete
        and (relation.one_to_many or relation.one_to_one)
        and relation.on_delete is models.PROTECT
    ]


def plan_destruction(*, organisation, client, record_types) -> Plan:
    """
    What destroying `organisation`'s records of `client` of `record_types` would do, without
    doing it: the proposal's counts and the destruction come from the same plan.
    """
    plan = Plan(organisation, client, set(record_types))
    done = _Done(plan, list(Tombstone.objects.filter(client=client)),
                 list(ClientRelationship.objects.filter(client=client).order_by()),
                 timezone.now())
    rows = {}
    for model in records.record_models():
        key, to = records.key_of(model), records.addressed_to(model)
        fields = ["pk", "organisation_id", "created_at", f"{to}_id" if to else "pk"]
        for pk, writer, written, recipient in model._base_manager.filter(
                client=client).values_list(*fields):
            holders = _holders(writer, recipient if to else None)
            mine = organisation.pk in holders and key in plan.record_types
            if all(done(holder, key, written) for holder in holders):
                plan.delete[model].add(pk)
                rows[(model, pk)] = (key, writer, holders, written, mine)
            elif mine:
                plan.kept[key] += 1
        _orphan_history(plan, model, key, to, done)
    _keep_what_others_point_at(plan, rows)
    for (model, pk), (key, writer, holders, written, mine) in rows.items():
        if pk not in plan.delete[model]:
            continue
        if mine:
            plan.destroyed[key] += 1
        else:
            holder = writer if done.by_tombstone(writer, key, written) else min(holders)
            plan.completed[holder][key] += 1
    if records.CARD in plan.record_types:
        _plan_card(plan)
    return plan


def _orphan_history(plan, model, key, to, done):
    """History of the controller's records of the type that the app deleted before: their
    history rows are all that is left of them."""
    try:
        history = get_history_model_for_model(model)
    except NotHistoricalModelError:
        return
    pk_name = model._meta.pk.attname
    live = model._base_manager.filter(client=plan.client).values(pk_name)
    fields = [pk_name, "organisation_id", "created_at", f"{to}_id" if to else pk_name]
    for pk, writer, written, recipient in (
            history.objects.filter(client_id=plan.client.pk).exclude(**{f"{pk_name}__in": live})
            .values_list(*fields).distinct()):
        holders = _holders(writer, recipient if to else None)
        if plan.organisation.pk in holders and all(done(h, key, written) for h in holders):
            plan.orphan_history[model].add(pk)


def _keep_what_others_point_at(plan, rows):
    """A row that a row staying points at with PROTECT stays too, and so on, until nothing
    changes: the other controller's record keeps what it refers to."""
    changed = True
    while changed:
        changed = False
        for model, pks in list(plan.delete.items()):
            for relation in _protected_references(model):
                leaving = plan.delete.get(relation.related_model, set())
                pointing = list(relation.related_model._base_manager.filter(
                    **{f"{relation.field.name}__in": list(pks)}).values_list(
                    "pk", relation.field.attname))
                for pk, target in pointing:
                    if pk not in leaving and target in pks:
                        pks.discard(target)
                        key, _writer, _holders, _written, mine = rows[(model, target)]
                        if mine:
                            plan.kept[key] += 1
                        changed = True


def _plan_card(plan):
    """The client relationship and identity card of the controller (module docstring)."""
    organisation, client = plan.organisation, plan.client
    plan.writes_card = client.organisation_id == organisation.pk
    named = Q(assigned_by_organisation=organisation)
    if plan.writes_card:
        named |= Q(assigned_by_organisation__isnull=True)
    logged = DisclosureLogEntry.objects.filter(consent__client=client).values("consent_id")
    consents = Consent.objects.filter(client=client, recorded_by_organisation=organisation)
    plan.card = {
        ClientRelationship: list(ClientRelationship.objects.filter(
            client=client, organisation=organisation)),
        CaseManagerAssignment: list(CaseManagerAssignment.objects.filter(named, client=client)),
        ClientUserObjectPermission: list(ClientUserObjectPermission.objects.filter(
            content_object=client, granted_by_organisation=organisation)),
        Consent: list(consents.exclude(pk__in=logged)),
        ConsentConfirmation: list(ConsentConfirmation.objects.filter(
            consent__client=client, organisation=organisation).exclude(
            consent__recorded_by_organisation=organisation)),
    }
    # A consent the disclosure log names stays as the log's legal basis: not the controller's
    # to destroy, and not kept for another controller either, so not counted.
    others = ClientRelationship.objects.filter(client=client).exclude(organisation=organisation)
    # The card goes only with the last of those who need it: its writer gone, no organisation
    # keeping the copy a referral or feedback carried, none serving the client still (a
    # relationship in force), and never while the client is not closed — a client set back
    # to active is served by someone, whose card it is.
    writer_gone = plan.writes_card or client.organisation_id is None
    plan.card_goes = (client.status == ClientStatus.CLOSED and writer_gone
                      and not others.filter(carries_card=True).exists()
                      and not others.in_force().exists())
    plan.destroyed[records.CARD] += sum(len(rows) for rows in plan.card.values()) + (
        plan.writes_card)


# --- Doing it -----------------------------------------------------------------------------------

def _deletion_order(models_):
    """Models ordered so that a row pointing at another with PROTECT goes first."""
    ordered, remaining = [], list(models_)
    while remaining:
        for model in remaining:
            pointing = {relation.related_model for relation in _protected_references(model)}
            if not pointing & (set(remaining) - {model}):
                ordered.append(model)
                remaining.remove(model)
                break
        else:  # a cycle: let the database say so, and the transaction undo it
            ordered += remaining
            break
    return ordered


def _delete(instances):
    if not instances:
        return
    using = router.db_for_write(type(instances[0]))
    collector = Collector(using=using)
    collector.collect(instances)
    collector.delete()


def purge_history(model, pks) -> int:
    """Delete the history rows of these rows of `model`, the many-to-many history rows that
    hang on them, and, following the foreign keys that cascade, the history of their children
    — also of children deleted long ago, found through their own history."""
    pks = set(pks)
    if not pks:
        return 0
    purged = 0
    for relation in model._meta.get_fields(include_hidden=True):
        if (relation.auto_created and not relation.concrete and relation.on_delete is
                models.CASCADE and (relation.one_to_many or relation.one_to_one)):
            child = relation.related_model
            try:
                child_history = get_history_model_for_model(child)
            except NotHistoricalModelError:
                continue
            child_pks = set(child_history.objects.filter(
                **{f"{relation.field.attname}__in": pks}).values_list(
                child._meta.pk.attname, flat=True))
            purged += purge_history(child, child_pks)
    try:
        history = get_history_model_for_model(model)
    except NotHistoricalModelError:
        return purged
    rows = history.objects.filter(**{f"{model._meta.pk.attname}__in": pks})
    history_ids = list(rows.values_list("history_id", flat=True))
    for relation in history._meta.get_fields(include_hidden=True):
        if relation.auto_created and not relation.concrete and relation.one_to_many:
            relation.related_model.objects.filter(
                **{f"{relation.field.attname}__in": history_ids}).delete()
    purged += history.objects.filter(history_id__in=history_ids).delete()[0]
    return purged


def carry_out(plan, *, proposal, by) -> Tombstone:
    """Delete what the plan says, purge the history, write the tombstones. The caller holds
    the transaction and the client's row lock."""
    client, organisation = plan.client, plan.organisation
    instances = {model: list(model._base_manager.filter(pk__in=pks))
                 for model, pks in plan.delete.items() if pks}
    for model in _deletion_order(instances):
        _delete(instances[model])
    for model, pks in plan.delete.items():
        purge_history(model, pks)
    for model, pks in plan.orphan_history.items():
        purge_history(model, pks)
    if plan.card:
        _carry_out_card(plan, by)
    tombstone = Tombstone.objects.create(
        organisation=organisation, client=client, proposal=proposal,
        closed_on=proposal.closed_on, record_types=sorted(plan.record_types),
        destroyed=plan.counts, kept_for_others={k: n for k, n in plan.kept.items() if n},
        card_destroyed=plan.card_goes, approved_by=proposal.decided_by,
        approved_at=proposal.decided_at,
    )
    _complete_earlier(plan)
    logger.info("retention: proposal %s destroyed %s, kept %s", proposal.pk,
                tombstone.destroyed, tombstone.kept_for_others)
    return tombstone


def _complete_earlier(plan):
    """Rows an earlier destruction had to leave and destroyed now: a tombstone of their own,
    under the approval they were destroyed by."""
    for holder, counts in plan.completed.items():
        earlier = next((t for t in Tombstone.objects.filter(
            client=plan.client, organisation_id=holder).order_by("-destroyed_at", "-pk")
            if set(counts) & set(t.record_types)), None)
        if earlier is None:
            continue
        Tombstone.objects.create(
            organisation_id=holder, client=plan.client, proposal=earlier.proposal,
            closed_on=earlier.closed_on, record_types=sorted(counts),
            destroyed=dict(counts), approved_by=earlier.approved_by,
            approved_at=earlier.approved_at,
        )


def _carry_out_card(plan, by):
    client, organisation = plan.client, plan.organisation
    for model in (ClientUserObjectPermission, CaseManagerAssignment, ConsentConfirmation,
                  Consent, ClientRelationship):
        rows = plan.card.get(model, [])
        pks = [row.pk for row in rows]
        _delete(rows)
        purge_history(model, pks)
    # Rows deleted before, whose history is all that is left of them.
    purge_history(ClientRelationship, ClientRelationship.history.filter(
        client_id=client.pk, organisation_id=organisation.pk).values_list("id", flat=True))
    named = Q(assigned_by_organisation_id=organisation.pk)
    if plan.writes_card:
        named |= Q(assigned_by_organisation_id__isnull=True)
    purge_history(CaseManagerAssignment, CaseManagerAssignment.history.filter(
        named, client_id=client.pk).values_list("id", flat=True))
    if plan.writes_card:
        client.organisation = None
    _forget_staff_items(plan)
    if not (plan.writes_card or plan.card_goes):
        return
    if plan.card_goes:
        for name, value in CARD_FIELDS.items():
            setattr(client, name, value)
        client.history.all().delete()
    client._history_user = by
    client.save()


def _forget_staff_items(plan):
    """
    The reminders and notifications about the client of the controller's staff go with its
    relationship; when the card goes, every reminder, notification and e-mail about the client
    goes. Never those of a person who still serves the client: one with an active membership
    in an organisation that still holds them (a relationship, or the card), whatever other
    memberships they have or had — a nurse who once worked for employment services keeps her
    health care's notifications when employment services' records go.
    """
    client, organisation = plan.client, plan.organisation
    holders = set(ClientRelationship.objects.filter(client=client).exclude(
        organisation=organisation).values_list("organisation_id", flat=True))
    if client.organisation_id and client.organisation_id != organisation.pk:
        holders.add(client.organisation_id)
    serving = Membership.objects.active().filter(organisation_id__in=holders).values("user_id")
    reminders = Reminder.objects.filter(client=client).exclude(user__in=serving)
    notifications = Notification.objects.filter(client=client).exclude(user__in=serving)
    if not plan.card_goes:
        staff = Membership.objects.filter(organisation=organisation).values("user_id")
        reminders, notifications = (reminders.filter(user__in=staff),
                                    notifications.filter(user__in=staff))
    reminders.delete()
    notifications.delete()
    if plan.card_goes:
        addresses = {address.lower() for address in get_user_model().objects.filter(
            pk__in=serving).exclude(email="").values_list("email", flat=True)}
        messages = OutboxMessage.objects.filter(client=client)
        kept = [pk for pk, to in messages.values_list("pk", "to") if to.lower() in addresses]
        messages.exclude(pk__in=kept).delete()
