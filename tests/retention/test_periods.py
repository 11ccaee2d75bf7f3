"""Retention periods: the defaults table, a controller's own periods, and the archive samples."""

from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.services import add_note
from clients.models import Client
from retention import records
from retention.defaults import DEFAULTS, CountedFrom, add_years, default_period
from retention.models import DestructionProposal, RetentionPeriod
from retention.rules import period_for
from retention.tasks import propose_and_destroy
from teams.models import Municipality, Role, Sector
from tests.factories import OrganisationFactory, staff
from tests.utils import log_in

from .world import BUILT, EMPLOYMENT_DUE, HELSINKI, close, hetu_born


@pytest.mark.parametrize("sector", [*Sector.values, "a sector added later"])
def test_every_sector_and_record_type_has_a_default_with_a_source(db, sector):
    for key in records.record_type_keys():
        period = default_period(sector, key)
        assert period.source and period.counted_from in CountedFrom.values


def test_every_row_of_the_table_names_its_source():
    assert all(len(str(row[5])) > 40 for row in DEFAULTS)
    assert DEFAULTS[-1][:2] == (None, None)  # a fallback for any controller


def test_health_records_are_kept_120_years_from_birth(db):
    period = default_period(Sector.HEALTH, "referrals.healthcheck")
    assert (period.years, period.counted_from, period.statutory) == (120, "birth", True)
    assert period.due_on(closed_on=date(2026, 1, 15), birth=date(1970, 1, 1)) == date(2090, 1, 1)
    # Nothing before the file is closed, whatever the period is counted from.
    assert period.due_on(closed_on=date(2095, 5, 1), birth=date(1970, 1, 1)) == date(2095, 5, 1)


def test_a_social_welfare_card_is_kept_until_after_death_which_tyokyky_does_not_know(db):
    period = default_period(Sector.SOCIAL, records.CARD)
    assert period.counted_from == CountedFrom.DEATH
    assert period.due_on(closed_on=date(2026, 1, 15), birth=date(1900, 1, 1)) is None
    assert default_period(Sector.SOCIAL, "clients.situationnote").years == 10


def test_29_february_is_never_a_day_early():
    assert add_years(date(2024, 2, 29), 10) == date(2034, 3, 1)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_a_controllers_own_period_overrides_the_default(world):
    assert period_for(world.employment, "clients.situationnote").years == 10
    RetentionPeriod.objects.create(organisation=world.employment,
                                   record_type="clients.situationnote", years=3)
    own = period_for(world.employment, "clients.situationnote")
    assert (own.years, own.is_default) == (3, False)
    assert period_for(world.health, "clients.situationnote").years == 120  # not another's
    with time_machine.travel(datetime(2029, 1, 16, 3, tzinfo=HELSINKI), tick=False):
        propose_and_destroy()
    proposal = DestructionProposal.objects.get()
    assert (proposal.organisation, set(proposal.items)) == (world.employment,
                                                            {"clients.situationnote"})


def test_a_controller_may_keep_for_good(world):
    for key in records.record_type_keys():
        RetentionPeriod.objects.create(organisation=world.employment, record_type=key,
                                       years=None)
    with time_machine.travel(EMPLOYMENT_DUE.replace(year=2300), tick=False):
        propose_and_destroy()
    assert not DestructionProposal.objects.filter(organisation=world.employment).exists()


def test_a_statutory_period_cannot_be_shortened(db):
    health = OrganisationFactory(sector=Sector.HEALTH)
    shorter = RetentionPeriod(organisation=health, record_type="referrals.healthcheck",
                              years=12, counted_from=CountedFrom.FILE_CLOSED)
    with pytest.raises(ValidationError):
        shorter.full_clean()
    RetentionPeriod(organisation=health, record_type="referrals.healthcheck", years=130,
                    counted_from=CountedFrom.BIRTH).full_clean()


def test_an_unverified_default_may_be_shortened(db):
    employment = OrganisationFactory(sector=Sector.EMPLOYMENT)
    RetentionPeriod(organisation=employment, record_type="plans.supportplan", years=5,
                    counted_from=CountedFrom.FILE_CLOSED).full_clean()


def test_an_unknown_record_type_is_refused(db):
    with pytest.raises(ValidationError):
        RetentionPeriod(organisation=OrganisationFactory(), record_type="nothing.here",
                        years=5).full_clean()


@pytest.mark.parametrize("day, proposed", [(17, True), (18, False), (28, False)])
def test_the_archives_birth_date_sample_is_never_proposed(db, day, proposed):
    """Patient documents of people born on the 18th and 28th are kept for good."""
    with time_machine.travel(BUILT, tick=False):
        health = OrganisationFactory(sector=Sector.HEALTH)
        nurse = staff(Role.NURSE, organisation=health)
        client = Client.objects.create(
            first_name="Otos", last_name="Merkki", hetu=hetu_born(day, 5, 1950),
            municipality=Municipality.objects.create(name="Sotkamo", code="765"),
            organisation=health)
        add_note(client=client, by=nurse, organisation=health, category="health", text="-")
        close(client)
    with time_machine.travel(datetime(2071, 1, 1, 3, tzinfo=HELSINKI), tick=False):
        propose_and_destroy()
    assert DestructionProposal.objects.exists() is proposed


def test_the_administrator_sets_periods_in_the_admin_and_sees_the_default(client, db):
    organisation = OrganisationFactory(name="Terveyskeskus", sector=Sector.HEALTH)
    admin = staff(Role.ADMIN)
    log_in(client, admin)
    response = client.post(reverse("admin:retention_retentionperiod_add"), {
        "organisation": organisation.pk, "record_type": "referrals.healthcheck", "years": 130,
        "counted_from": "birth", "basis": "Oma arkistonmuodostussuunnitelma"})
    assert response.status_code == 302, response.content
    period = RetentionPeriod.objects.get()
    assert period.history.get().history_user == admin
    page = client.get(reverse("admin:retention_retentionperiod_change", args=[period.pk]))
    assert "120" in page.content.decode()  # the default beside the controller's own
    refused = client.post(reverse("admin:retention_retentionperiod_add"), {
        "organisation": organisation.pk, "record_type": "referrals.feedback", "years": 5,
        "counted_from": "file_closed", "basis": ""})
    assert refused.status_code == 200 and RetentionPeriod.objects.count() == 1


def test_care_staff_and_leaders_do_not_set_periods(client, db):
    for role in (Role.NURSE, Role.MANAGER):
        log_in(client, staff(role))
        assert client.get(reverse("admin:retention_retentionperiod_changelist")).status_code in (
            302, 403)
