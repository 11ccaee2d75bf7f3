"""
Visibility comes from the policy, and nowhere else. The permission matrix checks every template
context it meets (tests/visibility.py: context_problems); this module checks the templates' and
the views' source, and that the checks themselves catch what they are for.
"""

import re
from pathlib import Path

from django.template import Context

from clients.models import Client
from tests.visibility import TEMPLATE_RULES, context_problems, template_problems

ROOT = Path(__file__).resolve().parent.parent
# The modules that build pages, prints and exports: they ask consents.policy.client_for for a
# ShownClient and never decide or log visibility themselves.
PAGE_MODULES = [*ROOT.glob("*/views.py"), *ROOT.glob("*/sections.py"), *ROOT.glob("*/work.py"),
                ROOT / "work" / "my_work.py", ROOT / "meetings" / "summary.py",
                ROOT / "meetings" / "calendar.py", ROOT / "reporting" / "reports.py"]
# What would let a page module decide visibility on its own.
OWN_DECISIONS = re.compile(
    r"identity_visible|client_named|\bvisible_records\(|\bget_client_for_user\(|\baccess_for\("
    r"|\bcan_view\(|\bhidden_record_counts\(|AccessLogEntry\.objects\.create"
)


def test_no_template_decides_or_prints_visibility_on_its_own():
    assert template_problems() == []


def test_no_page_module_decides_visibility_on_its_own():
    found = [f"{path.relative_to(ROOT)}: {match.group(0)}"
             for path in PAGE_MODULES
             for match in OWN_DECISIONS.finditer(path.read_text(encoding="utf-8"))]
    assert found == []


def test_the_template_rules_catch_what_they_are_for():
    written_around_the_policy = [
        "{{ meeting.client.full_name }}",
        "{{ referral.client }}",
        "{{ client.instance.hetu }}",
        "{% if identity_visible %}{{ client.hetu }}{% endif %}",
        "{% with sees_card=True %}{{ client.phone }}{% endwith %}",
    ]
    for text in written_around_the_policy:
        assert any(pattern.search(text) for pattern, _why in TEMPLATE_RULES), text
    assert not any(pattern.search("{{ client.name }} {{ row.shown_client.last_name }}")
                   for pattern, _why in TEMPLATE_RULES)


def test_the_page_module_check_catches_a_flag_of_the_views_own():
    assert OWN_DECISIONS.search('"identity_visible": True')
    assert OWN_DECISIONS.search("visible_records(request.user, client, Meeting.objects)")


def test_the_context_check_catches_a_flag_a_raw_client_and_a_false_row(db):
    raw = Client(pk=1, first_name="Tiina", last_name="Leinonen")

    class Row:
        shown_client = raw

    problems = context_problems([Context({"identity_visible": True, "client": raw,
                                          "rows": [Row()]})])
    assert problems == [
        "client: a raw client instead of the policy's object",
        "identity_visible: a visibility flag of the view's own",
        "rows: shown_client is not the policy's object",
    ]
    assert context_problems([Context({"may_edit": True, "page": 3})]) == []


def test_the_grounds_onto_a_clients_team_are_the_known_ones():
    """A ground registered from anywhere would widen who is on a client's team: only the
    meeting participants' (meetings/access.py) and the doctor a meeting's decisions name, until
    they answer (meetings/doctor.py), are ones."""
    from consents.reach import TEAM_GROUNDS
    from meetings.access import meeting_participants
    from meetings.doctor import named_doctor

    assert [meeting_participants, named_doctor] == TEAM_GROUNDS
