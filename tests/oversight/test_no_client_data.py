"""The data protection officer reads logs, never a client: the client page, the client search
and every print and export of client data answer as if the client did not exist. The policy
gives no client to a role that is no care role (consents/policy.py); this proves it for the
officer, in the permission matrix's world (Tiina with her consents, meeting, plan, documents)."""

from django.urls import reverse

from clients.models import Client
from tests.test_permission_matrix import (
    MATRIX,
    NOBODY_ELSE,
    _nothing_there,
    world,  # noqa: F401 - the matrix's world, whole
)
from tests.utils import log_in

# Every print and export of one client's data for staff, and the background PDFs. (The
# client's own copy in Oma Työkyky needs the client's session: the matrix sends staff away.)
PRINTS = sorted(name for name in MATRIX if not name.startswith("oma:") and (
    "pdf" in name or name in ("clients:notes_csv", "document", "document_download")))


def test_there_are_prints_to_check():
    assert {"clients:summary_pdf", "consents:pdf", "meetings:doctor_summary_pdf",
            "plans:plan_pdf", "plans:process_pdf"} <= set(PRINTS)


# Refused by permission before the object is looked up — as for the admin and the leader — so
# the answer is the same for any id: nothing is learnt of what exists.
REFUSED_BY_PERMISSION = {"consents:pdf"}


def test_the_officer_gets_404_on_the_client_page_and_every_print(client, request):
    the_world = request.getfixturevalue("world")
    log_in(client, the_world["users"]["tietosuoja"])
    for name in ["clients:detail", *PRINTS]:
        _method, arguments, _outcomes = MATRIX[name]
        response = client.get(reverse(name, kwargs=the_world[arguments]))
        expected = 403 if name in REFUSED_BY_PERMISSION else 404
        assert response.status_code == expected, (name, response.status_code)
        made_up = _nothing_there(the_world[arguments])
        if made_up != the_world[arguments] and not name.startswith("document"):  # uuids there
            assert client.get(reverse(name, kwargs=made_up)).status_code == expected, name


def test_the_officers_client_search_finds_nobody(client, request):
    the_world = request.getfixturevalue("world")
    log_in(client, the_world["users"]["tietosuoja"])
    tiina = Client.objects.get(pk=the_world["tiina"]["pk"])
    by_code = client.post(reverse("clients:list"), {"q": tiina.hetu}, follow=True)
    assert reverse("clients:detail", args=[tiina.pk]) not in [
        url for url, _status in by_code.redirect_chain]
    for marker in NOBODY_ELSE:
        assert marker not in by_code.content.decode()
    by_name = client.post(reverse("clients:list"), {"q": "Leinonen"}, follow=True)
    assert by_name.status_code == 200
    assert list(by_name.context["rows"]) == []
    listed = client.get(reverse("clients:list"))
    assert list(listed.context["rows"]) == []
