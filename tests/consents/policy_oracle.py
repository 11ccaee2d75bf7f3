"""
The access rules evaluated straight from the sources, viewer by viewer, as consents/policy.py
did before it read maintained rows (consents/reach.py): the oracle of the property test. Each
rule is an SQL set of client ids over relationships, consents, bans, case managers, grants,
the own nurse and meetings, with nothing derived in between.
"""

from datetime import timedelta

from django.db.models import Case, CharField, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone

from clients.models import CaseManagerAssignment, Client, ClientRelationship, RelationshipBasis
from clients.records import DataCategory
from consents.models import (
    ClientGroupObjectPermission,
    ClientUserObjectPermission,
    Consent,
    DisclosureBan,
)
from consents.policy import IdentitySource, Viewer
from meetings.due import doctor_questions_open_since
from meetings.models import Answer, Meeting, MeetingDecision, MeetingParticipant, MeetingStatus
from referrals.models import DoctorAssessment


def _among(rows, client_field="client_id") -> Q:
    return Q(pk__in=rows.values(client_field))


def _relationship(viewer, **filters) -> Q:
    return _among(ClientRelationship.objects.in_force().filter(
        organisation_id__in=viewer.organisation_ids, **filters))


def served(viewer) -> Q:
    return _relationship(viewer)


def card_sent(viewer) -> Q:
    return _relationship(viewer, carries_card=True)


def own_card(viewer) -> Q:
    typed = _relationship(viewer, last_name__gt="", basis=RelationshipBasis.VISIT)
    carried = _relationship(viewer, last_name__gt="")
    return typed | (carried & ~banned(viewer))


def _kept_by(relation, client) -> Q:
    organisation = f"{relation}_id"
    keeps = Q(**{organisation: F(f"{client}__organisation_id")}) | Q(Exists(
        ClientRelationship.objects.in_force().filter(
            client_id=OuterRef(f"{client}_id"), organisation_id=OuterRef(organisation),
            carries_card=True)))
    is_banned = Exists(DisclosureBan.objects.in_force().filter(
        Q(organisation_id=OuterRef(organisation)) | Q(sector=OuterRef(f"{relation}__sector")),
        client_id=OuterRef(f"{client}_id")))
    return keeps & ~Q(is_banned)


def team_case_managers():
    return CaseManagerAssignment.objects.current().filter(
        _kept_by("assigned_by_organisation", "client"))


def _meeting_participants(user):
    since = timezone.now() - timedelta(days=Meeting.PARTICIPATION_DAYS)
    return (MeetingParticipant.objects.filter(user=user, meeting__ends_at__gte=since)
            .exclude(meeting__status=MeetingStatus.CANCELLED).exclude(answer=Answer.DECLINED))


def _named_doctor(user):
    answered = DoctorAssessment.objects.filter(meeting=OuterRef("meeting"))
    return (MeetingDecision.objects.filter(
        doctor=user, meeting__ends_at__gte=doctor_questions_open_since(timezone.now()))
        .exclude(meeting__status=MeetingStatus.CANCELLED).exclude(Exists(answered)))


def on_the_team(viewer) -> Q:
    if viewer.user is None:
        return Q(pk__isnull=False)
    grants = ClientUserObjectPermission.objects.filter(
        _kept_by("granted_by_organisation", "content_object"),
        user=viewer.user, permission__codename="view_client")
    group_grants = ClientGroupObjectPermission.objects.filter(
        group__user=viewer.user, permission__codename="view_client")
    return (
        Q(own_nurse_id=viewer.user.pk)
        | _among(_meeting_participants(viewer.user), "meeting__client_id")
        | _among(_named_doctor(viewer.user), "meeting__client_id")
        | _among(grants, "content_object_id") | _among(group_grants, "content_object_id")
        | _among(team_case_managers().filter(user=viewer.user))
    )


def _addressed_to(viewer) -> Q:
    return Q(recipient_organisations__in=viewer.organisation_ids) | Q(
        sector_rows__sector__in=viewer.sectors)


def identity_consented(viewer) -> Q:
    source = F("client__organisation_id")
    confirmed = (Q(recorded_by_organisation=source) | Q(confirmations__organisation=source)
                 | Q(confirmed_by_client_at__isnull=False))
    return _among(Consent.objects.valid_on(timezone.localdate()).filter(
        _addressed_to(viewer), confirmed, category_rows__category=DataCategory.IDENTITY))


def banned(viewer) -> Q:
    return _among(DisclosureBan.objects.in_force().filter(
        Q(organisation_id__in=viewer.organisation_ids) | Q(sector__in=viewer.sectors)))


def identity_source(viewer) -> Case:
    not_banned = ~banned(viewer)
    consented = on_the_team(viewer) & identity_consented(viewer)
    return Case(
        When(Q(organisation_id__in=viewer.organisation_ids), then=Value(IdentitySource.WRITTEN)),
        When(card_sent(viewer) & not_banned, then=Value(IdentitySource.SENT)),
        When(consented & not_banned, then=Value(IdentitySource.CONSENT)),
        When(own_card(viewer), then=Value(IdentitySource.OWN_CARD)),
        default=Value(None), output_field=CharField(),
    )


def flags(viewer: Viewer) -> dict[int, tuple]:
    """Every client the viewer may know of: (identity source, served, card sent, own card,
    on the team, banned) by client id."""
    if not viewer.is_care_staff:
        return {}
    rules = {"served": served(viewer), "card_sent": card_sent(viewer),
             "own_card": own_card(viewer), "on_team": on_the_team(viewer),
             "banned": banned(viewer)}
    rows = (Client.objects.filter(served(viewer) | on_the_team(viewer))
            .annotate(source=identity_source(viewer),
                      **{name: Case(When(rule, then=Value(True)), default=False)
                         for name, rule in rules.items()})
            .values_list("pk", "source", *rules))
    return {pk: tuple(rest) for pk, *rest in rows}
