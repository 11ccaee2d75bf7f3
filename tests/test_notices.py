"""
The privacy notice and the accessibility statement: open to anyone in Finnish, Swedish and
English, linked from every page's footer, edited by the administrators only, and their text
never rendered as HTML.
"""

import importlib

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils.translation import gettext as _

from teams.models import Role
from tests.factories import staff
from tests.utils import log_in
from tyokyky.models import Notice

write_first_texts = importlib.import_module("tyokyky.migrations.0004_notices").write_first_texts

PAGES = {"privacy": "privacy_notice", "accessibility": "accessibility_statement"}
TITLES = {
    ("privacy", "fi"): "Tietosuojaseloste",
    ("privacy", "sv"): "Dataskyddsbeskrivning",
    ("privacy", "en"): "Privacy notice",
    ("accessibility", "fi"): "Saavutettavuusseloste",
    ("accessibility", "sv"): "Tillgänglighetsutlåtande",
    ("accessibility", "en"): "Accessibility statement",
}
MARKER = '<script>alert("notice")</script>'


@pytest.fixture
def notices(db):
    """The six notices as the migration writes them (a transactional test elsewhere may have
    emptied the table the migration filled)."""
    Notice.objects.all().delete()
    Notice.history.all().delete()
    state = MigrationLoader(connection).project_state(("tyokyky", "0004_notices"))
    write_first_texts(state.apps, None)
    return {(notice.kind, notice.language): notice for notice in Notice.objects.all()}


def page(client, kind, language="fi"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse(PAGES[kind]))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_migration_writes_both_notices_in_three_languages_with_their_history(notices):
    assert set(notices) == set(TITLES)
    for key, notice in notices.items():
        assert notice.title == TITLES[key]
        assert [h.history_type for h in notice.history.all()] == ["+"]


def test_one_notice_per_kind_and_language(notices):
    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.create(kind="privacy", language="fi", title="Toinen", body="Toinen")


@pytest.mark.parametrize(("kind", "language"), sorted(TITLES))
def test_anyone_reads_the_notice_without_logging_in(client, notices, kind, language):
    content = page(client, kind, language)
    assert f'<html lang="{language}">' in content
    assert f"<h1>{TITLES[kind, language]}</h1>" in content
    assert f"<title>{TITLES[kind, language]} – Työkyky</title>" in content
    assert '<time datetime="' in content  # the date it was last updated


def test_a_language_without_its_text_falls_back_to_finnish(client, notices):
    notices["privacy", "sv"].delete()
    content = page(client, "privacy", "sv")
    assert '<html lang="sv">' in content
    assert '<article class="narrow notice" lang="fi">' in content
    assert "<h1>Tietosuojaseloste</h1>" in content


def test_the_text_is_shown_as_headings_lists_paragraphs_and_links(client, notices):
    content = page(client, "privacy")
    assert "<h2>Rekisterinpitäjät</h2>" in content
    assert "<li>laki työllistymistä edistävästä monialaisesta yhteispalvelusta (1369/2014)</li>" \
        in content
    assert '<a href="mailto:tietosuoja@om.fi">tietosuoja@om.fi</a>' in content
    # An address keeps its lines.
    assert "Tietosuojavaltuutetun toimisto<br>PL 800, 00531 Helsinki<br>" in content


def test_the_footer_links_both_notices_for_staff_and_on_the_login_page(client, notices):
    links = [f'href="{reverse(name)}"' for name in PAGES.values()]
    login_page = client.get(reverse("login")).content.decode()
    log_in(client, staff(Role.NURSE))
    clients_page = client.get(reverse("clients:list")).content.decode()
    not_found = client.get("/ei-ole-olemassa/")
    assert not_found.status_code == 404
    for content in (login_page, clients_page, not_found.content.decode()):
        footer = content[content.index('<footer class="site-footer">'):]
        assert all(link in footer for link in links), footer
        assert f"{_('Privacy notice')}</a>" in footer, footer
        assert f"{_('Accessibility statement')}</a>" in footer, footer


def test_the_accessibility_statement_says_what_the_act_requires(client, notices):
    """Act 306/2019, section 15: how accessible the service is and what is not, the feedback
    channel, and the supervisory authority with how to reach it; and when it was prepared."""
    expected = {
        "fi": ["täyttää osittain WCAG 2.1", "Sisällöt, jotka eivät ole saavutettavia",
               "Palaute ja yhteystiedot", "Saavutettavuuden valvonta",
               "Liikenne- ja viestintävirasto Traficom", "Seloste on laadittu 1.12.2026",
               "axe-core"],
        "sv": ["uppfyller delvis tillgänglighetskraven", "Innehåll som inte är tillgängligt",
               "Respons och kontaktuppgifter", "Tillsyn över tillgängligheten",
               "Transport- och kommunikationsverket Traficom",
               "Utlåtandet har upprättats den 1.12.2026", "axe-core"],
        "en": ["partially conforms to the level A and AA requirements of WCAG 2.1",
               "Content that is not accessible", "Feedback and contact information",
               "Enforcement procedure", "Finnish Transport and Communications Agency Traficom",
               "This statement was prepared on 1 December 2026", "axe-core"],
    }
    for language, texts in expected.items():
        content = page(client, "accessibility", language)
        for text in texts:
            assert text in content, (language, text)
        assert '<a href="mailto:saavutettavuus@traficom.fi">' in content, language


def test_the_privacy_notice_names_the_grounds_the_rights_and_the_ombudsman(client, notices):
    content = page(client, "privacy")
    for text in ["703/2023", "1369/2014", "6 artiklan 1 kohdan", "9 artiklan 2 kohdan h",
                 "luovutuskielto", "Oikeus tarkastaa tiedot", "lokitiedoista",
                 "Oikeus tietojen oikaisemiseen", "Oikeus käsittelyn rajoittamiseen",
                 "Tietosuojavaltuutetun toimisto", "Tietosuojavastaavan yhteystiedot",
                 "Säilytysajat"]:
        assert text in content, text


def test_the_administrator_edits_the_text_and_html_in_it_is_shown_as_text(client, notices):
    admin = staff(Role.ADMIN)
    log_in(client, admin)
    notice = notices["accessibility", "fi"]
    url = reverse("admin:tyokyky_notice_change", args=[notice.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "title": "Saavutettavuusseloste",
        "body": f"Uusi johdanto.\n\n## Uusi otsikko\n\n- kohta {MARKER}\n\nKappale {MARKER}",
    })
    assert response.status_code == 302
    content = page(client, "accessibility")
    assert "<h2>Uusi otsikko</h2>" in content
    assert MARKER not in content
    assert "&lt;script&gt;alert(&quot;notice&quot;)&lt;/script&gt;" in content
    notice.refresh_from_db()
    assert [(h.history_type, h.history_user) for h in notice.history.all()] == [
        ("~", admin), ("+", None)]


def test_the_administrator_neither_adds_nor_deletes_a_notice(client, notices):
    log_in(client, staff(Role.ADMIN))
    notice = notices["privacy", "fi"]
    assert client.get(reverse("admin:tyokyky_notice_add")).status_code == 403
    assert client.get(reverse("admin:tyokyky_notice_delete", args=[notice.pk])
                      ).status_code == 403
    assert client.post(reverse("admin:tyokyky_notice_changelist"), {
        "action": "delete_selected", "_selected_action": [notice.pk], "post": "yes",
    }).status_code in (200, 302)
    assert Notice.objects.filter(pk=notice.pk).exists()


def test_staff_without_the_admin_role_cannot_edit_a_notice(client, notices):
    nurse = staff(Role.NURSE)
    nurse.is_staff = True  # through the admin's door, still without the admin's permissions
    nurse.save()
    log_in(client, nurse)
    notice = notices["privacy", "fi"]
    url = reverse("admin:tyokyky_notice_change", args=[notice.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "Muutettu", "body": MARKER}).status_code == 403
    notice.refresh_from_db()
    assert notice.title == "Tietosuojaseloste" and MARKER not in notice.body
    assert "Muutettu" not in page(client, "privacy")
