"""The client list at national scale: pages by keyset (no COUNT, no OFFSET) in the order of the
names shown, cursors that tell nothing and open nothing, names found by their start."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import ngettext

from cases.services import serve
from cases.views import LIST_CURSOR
from clients.models import Client, RelationshipBasis
from consents.policy import in_shown_order, visible_clients
from teams.models import Role, Sector
from tests.factories import ClientFactory, OrganisationFactory, staff
from tests.utils import log_in
from tyokyky import keyset

LIST = reverse("clients:list")
HIDDEN = "Piilomerkki"  # the surname of a client the user may know of but not by name
PAGE = 3


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr("cases.views.PAGE_SIZE", PAGE)


@pytest.fixture
def world(db):
    """A nurse of one health organisation with three kinds of rows: clients her organisation
    wrote (the card: by name), clients another organisation wrote that her organisation typed
    a card of its own for (by number), and clients another organisation wrote that hers serves
    without a card (placeholders, by number) — one of them named HIDDEN, which would sort first
    if its name were used."""
    own = OrganisationFactory(name="Oma terveysasema")
    other = OrganisationFactory(name="Toinen", sector=Sector.EMPLOYMENT)
    nurse = staff(Role.NURSE, organisation=own)
    for last, first in [("Virta", "Anna"), ("Aho", "Ville"), ("Aho", "Aino"), ("Aho", "Aino"),
                        ("Korhonen", "Matti"), ("Mäkinen", "Matti")]:
        ClientFactory(organisations=[own], last_name=last, first_name=first)
    typed = [ClientFactory(organisations=[other, own], last_name="Omakortti", first_name="Oona")
             for _n in range(2)]
    # The card the other organisation keeps has since been corrected: hers is her own.
    Client.objects.filter(pk__in=[c.pk for c in typed]).update(last_name="Todellinen",
                                                                first_name="Tuntematon")
    placeholders = [ClientFactory(organisations=[other], last_name=name, first_name="Salainen")
                    for name in (HIDDEN, "Zetterberg", "Aaltonen")]
    for client in placeholders:
        serve(client=client, organisation=own, basis=RelationshipBasis.REFERRAL, by=None)
    stranger = staff(Role.NURSE, organisation=OrganisationFactory(name="Vieras"))
    return {"nurse": nurse, "typed": typed, "placeholders": placeholders, "stranger": stranger,
            "hidden": placeholders[0]}


def walk(client, url, direction="next_url"):
    """The pages from url on, following one link: each page's response."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        pages.append(response)
        url = response.context[direction]
    return pages


def row_pks(response):
    return [row.pk for row in response.context["rows"]]


def test_the_pages_list_every_visible_client_once_in_the_shown_order(client, world,
                                                                     small_pages):
    log_in(client, world["nurse"])
    pages = walk(client, LIST + "?search=")
    shown = [pk for page in pages for pk in row_pks(page)]
    expected = list(in_shown_order(visible_clients(world["nurse"])).values_list("pk", flat=True))
    assert len(pages) == 4 and len(expected) == 11
    assert shown == expected
    # Named rows first by last name, first name and number; the rest by number.
    names = [(c.last_name, c.first_name, c.pk) for c in Client.objects.filter(pk__in=shown[:6])]
    assert [pk for *_name, pk in sorted(names)] == shown[:6]
    assert shown[6:] == sorted(shown[6:])
    for page in pages:
        assert HIDDEN not in page.content.decode() and "Salainen" not in page.content.decode()
        assert "Todellinen" not in page.content.decode()


def test_the_previous_links_go_back_through_the_same_pages(client, world, small_pages):
    log_in(client, world["nurse"])
    forwards = walk(client, LIST)
    backwards = walk(client, forwards[-1].context["previous_url"], "previous_url")
    assert [row_pks(page) for page in backwards] == [row_pks(page) for page in forwards[-2::-1]]
    assert backwards[-1].context["first_url"] is None  # back at the first page
    assert forwards[-1].context["first_url"] == LIST


def test_the_first_page_says_more_without_counting_them(client, world, small_pages):
    log_in(client, world["nurse"])
    first = client.get(LIST)
    more = ngettext("%(counter)s+ client", "%(counter)s+ clients", PAGE) % {"counter": PAGE}
    assert more in first.content.decode()
    second = client.get(first.context["next_url"])
    assert 'class="result-count"' not in second.content.decode()  # it would need a count


def test_a_cursor_carries_the_row_number_signed_and_no_name(client, world, small_pages):
    log_in(client, world["nurse"])
    first = client.get(LIST)
    next_url = first.context["next_url"]
    last = first.context["rows"][-1]
    assert f"after={keyset.cursor(last.pk, salt=LIST_CURSOR)}".replace(":", "%3A") in next_url
    assert last.last_name not in next_url and last.first_name not in next_url


def test_a_page_after_a_placeholder_tells_nothing_of_its_hidden_name(client, world,
                                                                    small_pages):
    """The cursor of a placeholder row is its number: the page after it holds the rows after
    it by number, not those after its hidden surname."""
    log_in(client, world["nurse"])
    expected = list(in_shown_order(visible_clients(world["nurse"])).values_list("pk", flat=True))
    hidden = world["hidden"].pk
    after = client.get(LIST + f"?after={keyset.cursor(hidden, salt=LIST_CURSOR)}")
    position = expected.index(hidden)
    assert row_pks(after) == expected[position + 1:position + 1 + PAGE]
    assert HIDDEN not in after.content.decode()


def test_another_organisations_cursor_of_a_hidden_client_shows_nothing_of_it(client, world,
                                                                             small_pages):
    """An organisation with no relationship to the client gives a validly signed cursor of
    the client's number: it gets its own first page, the same as without a cursor."""
    log_in(client, world["stranger"])
    for parameter in ("after", "before"):
        url = LIST + f"?{parameter}={keyset.cursor(world['hidden'].pk, salt=LIST_CURSOR)}"
        response = client.get(url)
        assert response.status_code == 200
        assert row_pks(response) == [] and response.context["first_url"] is None
        assert HIDDEN not in response.content.decode()
        assert "Salainen" not in response.content.decode()


def test_a_forged_cursor_gives_the_first_page(client, world, small_pages):
    log_in(client, world["nurse"])
    first = row_pks(client.get(LIST))
    for forged in (f"{world['typed'][0].pk}", f"{world['typed'][0].pk}:forged", "x:y", "💥"):
        response = client.get(LIST, {"after": forged})
        assert row_pks(response) == first
        assert response.context["first_url"] is None


def _list_sql(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [query["sql"] for query in queries.captured_queries]


def test_no_page_counts_its_matches_and_the_queries_do_not_grow(client, db, small_pages):
    nurse = staff(Role.NURSE)
    organisation = nurse.memberships.get().organisation
    case_manager = staff(Role.EMPLOYMENT_EXPERT)
    log_in(client, nurse)

    def add(n):
        for new in ClientFactory.create_batch(n, organisations=[organisation]):
            new.case_manager_assignments.create(user=case_manager)

    def counted():
        first, first_sql = _list_sql(client, LIST)
        _second, second_sql = _list_sql(client, first.context["next_url"])
        assert not any("COUNT(" in sql.upper() and "clients_client" in sql
                       for sql in first_sql + second_sql)
        assert "OFFSET" not in " ".join(first_sql + second_sql).upper()
        return len(first_sql), len(second_sql)

    add(10)
    with_10 = counted()
    add(90)
    assert counted() == with_10
    assert with_10[1] == with_10[0] + 1  # a later page looks its cursor's row up once


# --- Names by their start -------------------------------------------------------------------


def search(client, q):
    response = client.post(LIST, {"q": q, "municipality": "", "case_manager": "",
                                  "status": "all"})
    assert response.status_code == 302
    return {row.pk for row in client.get(response.url).context["rows"]}


def test_a_name_is_found_by_its_start_and_every_word_must_match(client, db):
    nurse = staff(Role.NURSE)
    organisation = nurse.memberships.get().organisation
    matti = ClientFactory(organisations=[organisation], first_name="Matti", last_name="Korhonen")
    other_matti = ClientFactory(organisations=[organisation], first_name="Matti",
                                last_name="Virtanen")
    kaisa = ClientFactory(organisations=[organisation], first_name="Kaisa", last_name="Korhonen")
    log_in(client, nurse)
    assert search(client, "korh") == {matti.pk, kaisa.pk}
    assert search(client, "Matti Korhonen") == {matti.pk}
    assert search(client, "korhonen matt") == {matti.pk}
    assert search(client, "MATTI") == {matti.pk, other_matti.pk}


def test_a_typed_card_is_found_by_its_own_name_never_by_the_hidden_one(client, world):
    """The nurse's organisation typed "Oona Omakortti" for clients whose card another
    organisation keeps as "Tuntematon Todellinen": the start of the name she typed finds them,
    the start of the card's she may not see does not; placeholders are found by nothing."""
    log_in(client, world["nurse"])
    typed = {c.pk for c in world["typed"]}
    assert search(client, "Omakor") == typed
    assert search(client, "Oona Oma") == typed
    assert search(client, "Todel") == set()
    assert search(client, "Tuntematon") == set()
    assert search(client, HIDDEN[:5]) == set()
    assert search(client, "Salai") == set()
