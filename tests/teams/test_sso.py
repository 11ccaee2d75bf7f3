"""
Staff single sign-on through an organisation's own identity provider (teams/sso.py), walked
through a REAL OpenID Connect provider (deploy/dev-oidc-provider.mjs) with a staff client
registered: the person maps to an existing user with an active membership in the provider's
own organisation, or is refused with a page and a log line; the provider's login counts as
the second factor, a password login still asks for TOTP. The attack: organisation A's tenant
administrator hands out any address they like — so the first login takes only addresses in A's
own domains, administrators never sign on, and the provider's mark opens no admin page.
"""

import io
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.urls import reverse

from oma.session import CLIENT_KEY
from teams.mfa import PROVIDER_VERIFIED_KEY
from teams.models import (
    AdministrationLogEntry,
    Membership,
    OrganisationSignOn,
    SignOnDomain,
    SignOnIdentity,
)
from tests.factories import ClientFactory, OrganisationFactory, UserFactory, staff
from tests.mailserver import free_port
from tests.oidc import provider_login, start_provider
from tests.utils import authenticator, log_in, log_in_as_client
from tyokyky import oidc_dev

pytestmark = pytest.mark.django_db

STAFF_CLIENT = "tyokyky-staff-test"
SSO_CALLBACK = "http://testserver/accounts/sso/callback/"
DOMAIN = "hyvinvointi.test"
PASSWORD = "pitka-salasana-2026"


def _staff_account(sub, email):
    return oidc_dev.person(sub, sub, email=email, given_name=sub.title(), family_name="Testi")


STAFF_ACCOUNTS = [
    _staff_account("nina", f"nina@{DOMAIN}"),
    _staff_account("outsider", "kalle@kela.test"),
    _staff_account("nobody", f"nobody@{DOMAIN}"),
    _staff_account("impostor", f"nina@{DOMAIN}"),  # another person carrying Nina's address
    _staff_account("boss", f"boss@{DOMAIN}"),
    oidc_dev.person("unverified", "unverified", email=f"ville@{DOMAIN}", email_verified=False),
    oidc_dev.person("unverified-text", "unverified-text", email=f"ville@{DOMAIN}",
                    email_verified="false"),
    oidc_dev.person("verified", "verified", email=f"ville@{DOMAIN}", email_verified=True),
]


@pytest.fixture(scope="module")
def staff_provider(tmp_path_factory):
    process, provider = start_provider(
        tmp_path_factory.mktemp("sso"), [], more_clients={STAFF_CLIENT: [SSO_CALLBACK]},
        more_accounts=STAFF_ACCOUNTS)
    yield provider
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def sign_on(settings, staff_provider):
    """Organisation A's provider in use for @hyvinvointi.test; our key in the key directory."""
    settings.STAFF_SSO_KEY_DIR = staff_provider.directory
    organisation = OrganisationFactory(name="Hyvinvointialue A")
    sign_on = OrganisationSignOn.objects.create(
        organisation=organisation, is_enabled=True, issuer=staff_provider.issuer,
        client_id=STAFF_CLIENT, private_key_file="client-key.json")
    SignOnDomain.objects.create(sign_on=sign_on, domain=DOMAIN)
    return sign_on


@pytest.fixture
def nina(sign_on):
    user = staff(organisation=sign_on.organisation, email=f"nina@{DOMAIN}", first_name="Nina")
    user.set_password(PASSWORD)
    user.save()
    authenticator(user)  # she has TOTP for password logins
    return user


def single_sign_on(client, email, sub, *, before_callback=None, data=None):
    """As the browser: our form, the provider's page, back to our callback."""
    start = client.post(reverse("sso_login"), {"email": email, **(data or {})})
    assert start.status_code == 302, start.content.decode()[:500]
    back = provider_login(start["Location"], sub, until=SSO_CALLBACK)
    if before_callback:
        before_callback()
    split = urlsplit(back)
    return client.get(f"{split.path}?{split.query}")


def assert_refused(response, caplog, reason, kind="unknown"):
    assert response.status_code == 403
    assert 'id="sso-refused"' in response.content.decode()
    assert f'data-kind="{kind}"' in response.content.decode()
    assert SESSION_KEY not in response.wsgi_request.session
    lines = [r.getMessage() for r in caplog.records if r.name == "tyokyky.security"]
    assert any("identification refused" in line and reason in line for line in lines), lines


def test_staff_member_signs_on_and_reaches_my_work_without_totp(client, nina, sign_on):
    response = single_sign_on(client, f"Nina@{DOMAIN.upper()}", "nina")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert int(client.session[SESSION_KEY]) == nina.pk
    # The provider's strong authentication stands for the second factor: no TOTP page.
    assert client.get(reverse("home")).status_code == 200
    link = SignOnIdentity.objects.get(user=nina)
    assert (link.issuer, link.subject) == (sign_on.issuer, "nina")
    # The link was written to the administration log as made at the login, by nobody.
    entry = AdministrationLogEntry.objects.get(subject="signonidentity")
    assert (entry.actor, entry.target_user, entry.action) == (None, nina, "created")


def test_sign_on_returns_to_the_page_asked_for_but_never_elsewhere(client, nina):
    response = single_sign_on(client, f"nina@{DOMAIN}", "nina", data={"next": "/accounts/"})
    assert response["Location"] == "/accounts/"
    client.logout()
    response = single_sign_on(client, f"nina@{DOMAIN}", "nina",
                              data={"next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_later_logins_find_the_user_by_the_linked_identity_not_the_address(client, nina):
    single_sign_on(client, f"nina@{DOMAIN}", "nina")
    client.logout()
    nina.email = "nina.uusi@muualla.test"
    nina.save()
    response = single_sign_on(client, f"nina@{DOMAIN}", "nina")
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == nina.pk


def test_another_identity_with_a_linked_users_address_is_refused(client, nina, caplog):
    single_sign_on(client, f"nina@{DOMAIN}", "nina")
    client.logout()
    response = single_sign_on(client, f"nina@{DOMAIN}", "impostor")
    assert_refused(response, caplog, "already linked")
    assert SignOnIdentity.objects.filter(user=nina).count() == 1


def test_identity_matching_a_user_of_another_organisation_only_is_refused(client, sign_on,
                                                                         caplog):
    """Organisation A's provider vouches for an address of organisation B's user: no login."""
    kalle = staff(organisation=OrganisationFactory(name="Kela B"), email="kalle@kela.test")
    response = single_sign_on(client, f"someone@{DOMAIN}", "outsider")
    assert_refused(response, caplog, "not in the sign-on's domains")
    assert not SignOnIdentity.objects.filter(user=kalle).exists()


def test_first_login_needs_an_address_in_the_providers_own_domains(client, sign_on, caplog):
    """A's provider vouches for kalle@kela.test, a user of both organisations: A's tenant
    administrator sets any address they like, so A answers only for A's domains. Kalle's
    first login goes through the provider of his own address's domain."""
    kalle = staff(organisation=OrganisationFactory(name="Kela B"), email="kalle@kela.test")
    Membership.objects.create(user=kalle, organisation=sign_on.organisation, role="nurse")
    response = single_sign_on(client, f"someone@{DOMAIN}", "outsider")
    assert_refused(response, caplog, "not in the sign-on's domains")
    assert not SignOnIdentity.objects.filter(user=kalle).exists()


def test_an_identity_already_linked_keeps_working_outside_the_domains(client, sign_on):
    """The domain rule is for the first login's match; a link made earlier still counts."""
    kalle = staff(organisation=OrganisationFactory(name="Kela B"), email="kalle@kela.test")
    Membership.objects.create(user=kalle, organisation=sign_on.organisation, role="nurse")
    SignOnIdentity.objects.create(user=kalle, issuer=sign_on.issuer, subject="outsider")
    response = single_sign_on(client, f"someone@{DOMAIN}", "outsider")
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == kalle.pk


@pytest.mark.parametrize("sub", ["unverified", "unverified-text"])
def test_address_the_provider_says_is_not_verified_is_refused(client, sign_on, caplog, sub):
    """email_verified present and anything but true (false, or the text "false")."""
    ville = staff(organisation=sign_on.organisation, email=f"ville@{DOMAIN}")
    response = single_sign_on(client, f"ville@{DOMAIN}", sub)
    assert_refused(response, caplog, "address not verified")
    assert not SignOnIdentity.objects.filter(user=ville).exists()


def test_address_verified_by_the_provider_or_not_said_is_let_in(client, nina, sign_on):
    """true is accepted; no email_verified at all (Entra ID) is accepted under the domain
    rule — Nina's account sends none."""
    ville = staff(organisation=sign_on.organisation, email=f"ville@{DOMAIN}")
    assert single_sign_on(client, f"ville@{DOMAIN}", "verified").status_code == 302
    assert int(client.session[SESSION_KEY]) == ville.pk
    client.logout()
    assert single_sign_on(client, f"nina@{DOMAIN}", "nina").status_code == 302
    assert int(client.session[SESSION_KEY]) == nina.pk


# --- Administrators never sign on: password and TOTP, and the admin needs TOTP ---------------

def _superuser(organisation):
    return staff(organisation=organisation, email=f"boss@{DOMAIN}", is_superuser=True)


def _django_staff(organisation):
    """is_staff without the admin role (set past teams.roles.sync_user_roles)."""
    return _with_staff_status(staff(organisation=organisation, email=f"boss@{DOMAIN}"))


def _with_staff_status(user):
    type(user).objects.filter(pk=user.pk).update(is_staff=True)
    user.refresh_from_db()
    return user


def _admin_role_only(organisation):
    """The admin role, with is_staff out of step: the role itself is refused."""
    user = staff(organisation=organisation, email=f"boss@{DOMAIN}")
    Membership.objects.create(user=user, organisation=organisation, role="admin")
    type(user).objects.filter(pk=user.pk).update(is_staff=False)
    return user


@pytest.mark.parametrize("make", [_superuser, _django_staff, _admin_role_only])
def test_administrators_are_never_signed_on(client, sign_on, caplog, make):
    """A's tenant administrator gives an identity an administrator's address: no login, no
    link, no admin."""
    boss = make(sign_on.organisation)
    response = single_sign_on(client, f"boss@{DOMAIN}", "boss")
    assert_refused(response, caplog, "password and TOTP only", kind="password_only")
    assert PROVIDER_VERIFIED_KEY not in client.session
    assert not SignOnIdentity.objects.filter(user=boss).exists()
    assert client.get("/admin/").status_code == 302


def test_linked_user_who_became_an_administrator_is_refused(client, nina, sign_on, caplog):
    single_sign_on(client, f"nina@{DOMAIN}", "nina")
    client.logout()
    Membership.objects.create(user=nina, organisation=sign_on.organisation, role="admin")
    response = single_sign_on(client, f"nina@{DOMAIN}", "nina")
    assert_refused(response, caplog, "password and TOTP only", kind="password_only")
    assert client.get("/admin/").status_code == 302


def _signed_on_session(client, user):
    client.force_login(user)
    session = client.session
    session[PROVIDER_VERIFIED_KEY] = user.pk
    session.save()


def test_the_providers_mark_opens_no_admin_page(client, sign_on):
    """Belt and braces: the admin needs our own TOTP in the session, whatever the mark."""
    nurse = staff(organisation=sign_on.organisation)
    _signed_on_session(client, nurse)
    assert client.get(reverse("home")).status_code == 200
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mfa_setup"))


def test_the_providers_mark_does_not_stand_for_an_administrators_second_factor(client,
                                                                               sign_on):
    """A Django staff user holding the mark (an SSO session that became an administrator's)
    is asked for TOTP on every page, and the admin does not open."""
    admin = _with_staff_status(staff(organisation=sign_on.organisation))
    _signed_on_session(client, admin)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mfa_setup"))
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:mfa_setup"))


def test_unknown_address_is_refused_and_no_user_is_made(client, sign_on, caplog):
    users = UserFactory._meta.model.objects.count()
    response = single_sign_on(client, f"nobody@{DOMAIN}", "nobody")
    assert_refused(response, caplog, "no user with this address")
    assert UserFactory._meta.model.objects.count() == users


def test_inactive_membership_is_refused(client, nina, caplog):
    nina.memberships.update(is_active=False)
    response = single_sign_on(client, f"nina@{DOMAIN}", "nina")
    assert_refused(response, caplog, "no active membership")


def test_inactive_user_is_refused(client, nina, caplog):
    nina.is_active = False
    nina.save()
    response = single_sign_on(client, f"nina@{DOMAIN}", "nina")
    assert_refused(response, caplog, "user not active")


def test_disabled_provider_is_not_offered(client, nina, sign_on):
    sign_on.is_enabled = False
    sign_on.save()
    response = client.post(reverse("sso_login"), {"email": f"nina@{DOMAIN}"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert 'id="sso-login"' not in client.get(reverse("login")).content.decode()


def test_provider_disabled_during_the_login_is_refused(client, nina, sign_on, caplog):
    def disable():
        OrganisationSignOn.objects.filter(pk=sign_on.pk).update(is_enabled=False)

    response = single_sign_on(client, f"nina@{DOMAIN}", "nina", before_callback=disable)
    assert_refused(response, caplog, "not in use", kind="unavailable")


def test_answer_without_a_login_in_progress_is_refused(client, sign_on, caplog):
    response = client.get(reverse("sso_callback") + "?code=x&state=y")
    assert_refused(response, caplog, "no single sign-on in progress", kind="failed")


def test_answer_to_another_browsers_login_is_refused(client, nina, caplog):
    """The state binds the answer to the session that asked (login CSRF)."""
    def forget_state():
        session = client.session
        for key in [key for key, _value in session.items() if key.startswith("_state_")]:
            session.pop(key)
        session.save()

    response = single_sign_on(client, f"nina@{DOMAIN}", "nina", before_callback=forget_state)
    assert_refused(response, caplog, "MismatchingState", kind="failed")


def test_cancelled_login_at_the_provider_is_refused(client, nina, caplog):
    client.post(reverse("sso_login"), {"email": f"nina@{DOMAIN}"})
    response = client.get(reverse("sso_callback") + "?error=access_denied&state=x")
    assert_refused(response, caplog, "access_denied", kind="failed")


@pytest.mark.parametrize("key_file", ["missing.json", "../signing-key.json"])
def test_provider_without_our_key_on_the_server_is_refused(client, nina, sign_on, caplog,
                                                           key_file):
    OrganisationSignOn.objects.filter(pk=sign_on.pk).update(private_key_file=key_file)
    response = client.post(reverse("sso_login"), {"email": f"nina@{DOMAIN}"})
    assert_refused(response, caplog, "provider unreachable", kind="unavailable")


def test_password_login_of_the_same_user_still_asks_for_totp(client, nina):
    single_sign_on(client, f"nina@{DOMAIN}", "nina")
    client.logout()
    response = client.post(reverse("login"), {"username": nina.username, "password": PASSWORD})
    assert response.status_code == 302
    assert PROVIDER_VERIFIED_KEY not in client.session
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("accounts:mfa_verify"))


def test_the_providers_mark_counts_only_for_the_user_it_was_given_to(client, nina, sign_on):
    """A session marked for Nina, then holding someone else, asks them for the second factor."""
    other = staff(organisation=sign_on.organisation)
    client.force_login(other)
    session = client.session
    session[PROVIDER_VERIFIED_KEY] = nina.pk
    session.save()
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:mfa_setup"))


def test_staff_sign_on_ends_a_client_session(client, nina):
    log_in_as_client(client, ClientFactory())
    assert CLIENT_KEY in client.session
    single_sign_on(client, f"nina@{DOMAIN}", "nina")
    assert CLIENT_KEY not in client.session
    assert client.get("/oma/")["Location"].startswith(reverse("oma:login"))


def test_login_page_offers_single_sign_on_when_an_organisation_uses_it(client, sign_on):
    page = client.get(reverse("login")).content.decode()
    assert 'id="sso-login"' in page
    assert 'name="email"' in page


def test_address_of_no_providers_domain_gets_a_message(client, sign_on):
    response = client.post(reverse("sso_login"), {"email": "joku@muu.test"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    response = client.post(reverse("sso_login"), {"email": "ei osoite"})
    assert response.context["form"].errors["email"]


# --- The admin: superusers only, every change in the administration log ----------------------

def _admin_form(organisation, issuer, **changes):
    return {"organisation": organisation.pk, "is_enabled": "on", "issuer": issuer,
            "client_id": "tyokyky-staff-x", "private_key_file": "client-key.json",
            "discovery_url": "", "match_claim": "email",
            "domains-TOTAL_FORMS": "1", "domains-INITIAL_FORMS": "0",
            "domains-MIN_NUM_FORMS": "0", "domains-MAX_NUM_FORMS": "1000",
            "domains-0-domain": "Esimerkki.TEST", "_save": "Tallenna", **changes}


def test_superuser_sets_a_provider_in_the_admin_and_it_is_logged(client, settings,
                                                                  staff_provider):
    settings.STAFF_SSO_KEY_DIR = staff_provider.directory
    superuser = UserFactory(is_superuser=True, is_staff=True)
    log_in(client, superuser)
    organisation = OrganisationFactory()
    response = client.post(reverse("admin:teams_organisationsignon_add"),
                           _admin_form(organisation, staff_provider.issuer))
    assert response.status_code == 302, response.context["adminform"].form.errors
    sign_on = OrganisationSignOn.objects.get(organisation=organisation)
    assert list(sign_on.domains.values_list("domain", flat=True)) == ["esimerkki.test"]
    entry = AdministrationLogEntry.objects.get(subject="organisationsignon")
    assert (entry.actor, entry.organisation_id) == (superuser, organisation.pk)
    assert entry.changes["client_id"] == [None, "tyokyky-staff-x"]
    assert AdministrationLogEntry.objects.filter(subject="signondomain",
                                                 organisation_id=organisation.pk).exists()


@pytest.mark.parametrize("key_file", ["../signing-key.json", "missing.json"])
def test_admin_refuses_a_key_outside_the_key_directory_or_missing(client, settings,
                                                                  staff_provider, key_file):
    settings.STAFF_SSO_KEY_DIR = staff_provider.directory
    log_in(client, UserFactory(is_superuser=True, is_staff=True))
    response = client.post(reverse("admin:teams_organisationsignon_add"), _admin_form(
        OrganisationFactory(), staff_provider.issuer, private_key_file=key_file))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["private_key_file"]
    assert not OrganisationSignOn.objects.exists()


def test_the_admin_role_cannot_set_a_provider(client, demo):
    """A provider decides who logs in as whom: an administrator could otherwise take over
    another administrator's account through a provider of their own."""
    log_in(client, demo["admin"])
    assert client.get(reverse("admin:teams_organisationsignon_add")).status_code == 403


# --- make run: the demo's health care signs on at the local provider -------------------------

def test_the_development_provider_signs_on_health_cares_demo_staff(client, db, settings,
                                                                   tmp_path):
    """seed_demo turns single sign-on on for health care; oidc_dev_config registers its client
    and offers the demo users by address; a nurse gets in, the Kela expert (no membership in
    health care) does not."""
    issuer = f"http://127.0.0.1:{free_port()}"
    settings.DEBUG = True
    settings.DEMO_PASSWORD = "demo-password-for-tests"
    settings.VAR_DIR = tmp_path
    settings.STAFF_SSO_KEY_DIR = tmp_path / "sso"
    settings.SITE_URL = "http://testserver"
    settings.OMA_OIDC = {**settings.OMA_OIDC, "issuer": issuer,
                         "private_key_file": str(tmp_path / "oidc" / "client-key.json")}
    call_command("seed_demo", bare=True, stdout=io.StringIO())
    call_command("oidc_dev_config", stdout=io.StringIO())
    process = oidc_dev.start(tmp_path / "oidc" / "provider.json", issuer)
    try:
        nurse = single_sign_on(client, "nurse@tyokyky.invalid", "staff-nurse")
        assert nurse.status_code == 302
        assert client.get(reverse("home")).status_code == 200
        client.logout()
        kela = single_sign_on(client, "kela_expert@tyokyky.invalid", "staff-kela_expert")
        assert kela.status_code == 403
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_an_address_an_administrator_just_put_on_an_account_links_nothing(client, sign_on,
                                                                          caplog):
    """An administrator who controls an identity of the organisation's tenant puts its address
    on a colleague's account: for the cooling week the sign-on does not log in as them."""
    victim = staff(organisation=sign_on.organisation, email="uhri@example.invalid")
    victim.email = f"boss@{DOMAIN}"  # as the admin's user form saves it: logged as a change
    victim.save()
    response = single_sign_on(client, f"boss@{DOMAIN}", "boss")
    assert_refused(response, caplog, "address changed by an administrator recently")
    assert not SignOnIdentity.objects.filter(user=victim).exists()
