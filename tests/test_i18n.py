"""Finnish by default, Swedish and English on request; every string translated."""

import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from teams.models import Role
from tests.factories import staff
from tests.utils import log_in

ROOT = Path(__file__).resolve().parent.parent


def test_finnish_is_the_default(client, db):
    log_in(client, staff(Role.NURSE))
    content = client.get(reverse("clients:list")).content.decode()
    assert '<html lang="fi">' in content
    assert "Asiakkaat" in content


def test_the_language_switch_changes_the_interface_and_remembers_the_choice(client, db):
    nurse = staff(Role.NURSE)
    log_in(client, nurse)
    response = client.post(reverse("set_language"),
                           {"language": "sv", "next": reverse("clients:list")})
    assert response.url == reverse("clients:list")
    content = client.get(reverse("clients:list")).content.decode()
    assert '<html lang="sv">' in content
    assert "Klienter" in content
    nurse.refresh_from_db()
    assert nurse.language == "sv"


def test_the_language_switch_works_on_the_login_page(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert "Log in" in client.get(reverse("login")).content.decode()


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_string_is_translated(language):
    catalogue = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(  # noqa: S603
        ["msgfmt", "--statistics", "-o", "/dev/null", str(catalogue)],  # noqa: S607
        capture_output=True, text=True, check=True,
    )
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
