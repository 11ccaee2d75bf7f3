"""The security baseline: login everywhere, lockout, session limits, headers, deploy checks."""

import contextlib
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from teams.models import Role
from tests.factories import PASSWORD, staff
from tests.utils import current_code

ROOT = Path(__file__).resolve().parent.parent
LOGIN = reverse("login")


def log_in(client, username, password):
    """The first factor only, through the login form."""
    return client.post(LOGIN, {"username": username, "password": password})


def log_in_fully(client, user):
    """Password, then the authenticator code, through the real pages."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    log_in(client, user.username, PASSWORD)
    response = client.post(reverse("accounts:mfa_verify"), {"token": current_code(device)})
    assert response.status_code == 302, response.content


def test_pages_need_login(client, db):
    response = client.get(reverse("clients:list"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_the_login_page_is_open_and_finnish(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert "Kirjaudu sisään" in response.content.decode()


def test_a_user_logs_in_and_reaches_the_client_list(client, db):
    nurse = staff(Role.NURSE)
    log_in_fully(client, nurse)
    assert client.get(reverse("clients:list")).status_code == 200


def test_five_failed_logins_lock_the_account_even_against_the_right_password(client, db):
    nurse = staff(Role.NURSE)
    for _attempt in range(5):
        log_in(client, nurse.username, "wrong password")
    response = log_in(client, nurse.username, PASSWORD)
    assert response.status_code == 429
    assert "lukittu" in response.content.decode()
    assert client.get(reverse("clients:list")).status_code == 302


def test_the_lockout_is_per_account_not_per_office(client, db):
    nurse, colleague = staff(Role.NURSE), staff(Role.NURSE)
    for _attempt in range(5):
        log_in(client, nurse.username, "wrong password")
    assert log_in(client, colleague.username, PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, db):
    nurse = staff(Role.NURSE)
    for _attempt in range(5):
        log_in(client, nurse.username, "wrong password")
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert log_in(client, nurse.username, PASSWORD).status_code == 302


def test_the_session_ends_after_30_minutes_idle(client, db):
    nurse = staff(Role.NURSE)
    log_in_fully(client, nurse)
    with time_machine.travel(timezone.now() + timedelta(minutes=29)):
        assert client.get(reverse("clients:list")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=29 + 31)):
        assert client.get(reverse("clients:list")).status_code == 302


def test_activity_keeps_the_session_but_not_beyond_12_hours(client, db):
    nurse = staff(Role.NURSE)
    start = timezone.now()
    log_in_fully(client, nurse)
    client.get(reverse("clients:list"))
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            assert client.get(reverse("clients:list")).status_code == 200, minutes
    with time_machine.travel(start + timedelta(hours=12, minutes=5)):
        assert client.get(reverse("clients:list")).status_code == 302


def test_health_reports_database_and_broker_without_login(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_health_says_503_when_the_broker_is_unreachable(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["broker"] == "unavailable"


def test_pages_carry_a_content_security_policy_without_inline_scripts(client, db):
    policy = client.get(LOGIN).headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_templates_have_no_inline_scripts_or_styles():
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        assert "<script>" not in text and "<style" not in text, template
        assert " style=" not in text and " onclick=" not in text, template


def run_manage(*args, **env):
    clean = {k: v for k, v in os.environ.items()
             if k not in {"SECRET_KEY", "HTTPS", "STATIC_MANIFEST", "DEBUG",
                          "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True,
        env={**clean, **env}, timeout=120,
    )


PRODUCTION = {
    "SECRET_KEY": "x" * 60 + "production-like-secret-for-the-check",
    "ALLOWED_HOSTS": "tyokyky.example.fi",
    "DEBUG": "False",
}


def test_check_deploy_is_clean_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_missing_secret_key_outside_development_is_a_clear_start_up_error():
    result = run_manage("check", DEBUG="False")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_boolean_variable_accepts_only_true_or_false():
    result = run_manage("check", **{**PRODUCTION, "HTTPS": "yes"})
    assert result.returncode != 0
    assert "HTTPS must be True or False" in result.stderr


@pytest.mark.parametrize(
    ("view", "field"),
    [("client_create", "hetu"), ("client_edit", "hetu"), ("client_list", "q")],
)
def test_views_mark_codes_and_search_terms_sensitive_for_error_reports(rf, view, field):
    from django.contrib.auth.models import AnonymousUser

    from cases import views

    request = rf.post("/", {field: "131052-308T"})
    request.user = AnonymousUser()
    with contextlib.suppress(Exception):  # only the marking matters here
        getattr(views, view)(request, **({"pk": 1} if view == "client_edit" else {}))
    assert field in request.sensitive_post_parameters


def test_authentication_events_are_logged_without_names_or_passwords(client, db, caplog):
    nurse = staff(Role.NURSE, username="nina.korhonen")
    with caplog.at_level("INFO", logger="tyokyky.security"):
        log_in(client, nurse.username, "wrong password")
        log_in(client, nurse.username, PASSWORD)
    messages = [record.getMessage() for record in caplog.records]
    assert any(m.startswith("login failed") for m in messages)
    assert f"login user={nurse.pk} ip=127.0.0.1" in messages
    assert not any("nina" in m or "wrong password" in m for m in messages)
