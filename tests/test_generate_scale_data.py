"""The benchmark world: generated clients on top of the demo, shaped like a real service path."""

import io
from collections import defaultdict
from datetime import timedelta
from itertools import pairwise

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from bench.scale.command import Command
from bench.scale.tables import TABLES, Table
from clients.hetu import validate_hetu
from clients.models import CaseManagerAssignment, Client
from consents.models import AccessLogEntry
from meetings.models import Meeting, MeetingParticipant, MeetingStatus
from plans.models import SupportPlan
from referrals.models import CLOSED_STATUSES, Referral

CLIENTS = 300
DEMO_CLIENTS = 6

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {table.label: table.model.objects.count() for table in TABLES}


def generate(**options):
    call_command(Command(), clients=CLIENTS, stdout=io.StringIO(), **options)


@pytest.fixture
def generated(demo, as_owner):
    """The demo world and 300 generated clients; the rows each table had before them. The
    generator loads as the database's owner, as a benchmark does, setting the sequences."""
    before = row_counts()
    generate()
    return before


def test_each_client_comes_with_about_ten_rows(generated):
    added = sum(row_counts().values()) - sum(generated.values())
    assert Client.objects.count() == DEMO_CLIENTS + CLIENTS
    assert 8 <= added / CLIENTS <= 13


def test_every_table_of_the_service_path_gets_rows(generated):
    after = row_counts()
    assert all(after[label] > generated[label] for label in after), after


def test_every_personal_identity_code_is_valid_and_unique(generated):
    codes = list(Client.objects.values_list("hetu", "hetu_ending", "date_of_birth"))
    for hetu, ending, born in codes:
        validate_hetu(hetu)
        assert ending == hetu[-4:]
        assert hetu[:6] == born.strftime("%d%m%y")
    assert len({hetu for hetu, _ending, _born in codes}) == len(codes)


def test_generated_clients_are_born_1950_to_2005_with_temporary_numbers(generated):
    generated_clients = Client.objects.order_by("pk")[DEMO_CLIENTS:]
    assert all(1950 <= client.date_of_birth.year <= 2005 for client in generated_clients)
    assert all(900 <= int(client.hetu[7:10]) <= 999 for client in generated_clients)


def test_the_demo_nurse_has_open_referrals_to_handle(generated, demo):
    nurse_organisation = demo["nurse"].memberships.get().organisation
    open_referrals = Referral.objects.filter(
        recipient=nurse_organisation, client__status="active"
    ).exclude(status__in=CLOSED_STATUSES)
    assert open_referrals.count() >= 3


def test_the_demo_employment_expert_is_case_manager_of_generated_clients(generated, demo):
    managed = CaseManagerAssignment.objects.current().filter(user=demo["te_expert"])
    # seed_demo names them case manager of four workshop clients.
    assert managed.count() > 4


def test_the_demo_coordinators_team_meets_this_week_and_next(generated, demo):
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    meetings = Meeting.objects.filter(participants__user=demo["coordinator"])
    for week in (0, 1):
        start = monday + timedelta(weeks=week)
        assert meetings.filter(starts_at__date__gte=start,
                               starts_at__date__lt=start + timedelta(days=7)).exists()


def test_no_client_has_two_active_plans(generated):
    doubled = (SupportPlan.objects.filter(status="active").values("client")
               .annotate(plans=Count("pk")).filter(plans__gt=1))
    assert SupportPlan.objects.filter(status="active").exists()
    assert not doubled.exists()


def test_no_client_has_two_open_referrals_to_one_health_check(generated):
    doubled = (Referral.objects.exclude(status__in=["acknowledged", "cancelled"])
               .filter(is_self_referral=False).values("client", "recipient")
               .annotate(referrals=Count("pk")).filter(referrals__gt=1))
    assert not doubled.exists()


def test_nobody_is_booked_into_two_meetings_at_once(generated):
    calendars = defaultdict(list)
    for user, starts, ends in MeetingParticipant.objects.filter(blocks_calendar=True).values_list(
            "user", "starts_at", "ends_at"):
        calendars[user].append((starts, ends))
    for periods in calendars.values():
        periods.sort()
        assert all(earlier[1] <= later[0] for earlier, later in pairwise(periods))


def test_active_clients_always_have_a_case_manager(generated):
    without = Client.objects.filter(status="active").exclude(
        case_manager_assignments__ended_on__isnull=True)
    assert not without.exists()


def test_closed_clients_have_a_reason_and_a_date(generated):
    closed = Client.objects.filter(status="closed")
    assert closed.exists()
    assert not closed.filter(closing_reason="").exists()
    assert not closed.filter(closed_on__isnull=True).exists()


def test_access_log_rows_name_a_user_and_an_organisation(generated):
    rows = AccessLogEntry.objects.filter(client__in=Client.objects.order_by("pk")[DEMO_CLIENTS:])
    assert rows.count() >= CLIENTS // 2
    assert not rows.filter(organisation__isnull=True).exists()


def test_a_database_with_generated_clients_needs_append(generated):
    with pytest.raises(CommandError, match="--append"):
        generate()
    generate(append=True)
    assert Client.objects.count() == DEMO_CLIENTS + 2 * CLIENTS


def test_the_demo_world_must_be_there_first(db):
    with pytest.raises(CommandError, match="seed_demo"):
        generate()


def test_a_table_writes_every_column_of_its_model():
    meetings = Table("meetings", Meeting, reserves_ids=True)
    participants = Table("meeting_participants", MeetingParticipant)
    assert meetings.columns == [field.column for field in Meeting._meta.concrete_fields]
    assert participants.columns == [field.column for field in MeetingParticipant._meta
                                    .concrete_fields if not field.primary_key]


def test_a_row_left_without_a_field_gets_the_model_default():
    meetings = Table("meetings", Meeting, reserves_ids=True)
    row = dict(zip(meetings.columns, meetings.row(
        id=1, client_id=2, organisation_id=3, created_by_id=4, created_at="now", team_id=5,
        starts_at="start", ends_at="end", uid="0" * 32), strict=True))
    assert row["status"] == MeetingStatus.SCHEDULED
    assert row["room_id"] is None
    assert row["agenda"] == ""


def test_a_row_must_name_a_field_without_a_default_and_only_the_models_fields():
    meetings = Table("meetings", Meeting, reserves_ids=True)
    # A moment or a key made per row (now, uuid4) must come from the story, not be shared.
    with pytest.raises(TypeError, match="uid"):
        meetings.row(id=1, client_id=2, organisation_id=3, created_by_id=4, created_at="now",
                     team_id=5, starts_at="start", ends_at="end")
    with pytest.raises(TypeError, match="colour"):
        meetings.row(colour="red")
