"""
Staff single sign-on through an organisation's own identity provider (e.g. Entra ID), with
OpenID Connect through the same library as the clients' login (tyokyky/oidc.py): the code flow
with PKCE, `private_key_jwt`, the ID token checked against the provider's keys, nonce and state.

Optional per organisation (teams.OrganisationSignOn, set in the admin). The person types their
work address; its domain names the provider. The provider's answer maps to an EXISTING, active
user with an active membership in THAT provider's organisation — an identity from organisation
A's provider never logs in someone who works only for organisation B, and no user is ever
created here. The first login links the provider's identifier (issuer + sub) to the user
(SignOnIdentity); later logins find the user by it, not by the address.

Whoever administers organisation A's tenant decides what its tokens say (for Entra ID, whoever
can set a user's `mail`), so the first login trusts the address claim only this far:

- the address must be in one of THIS sign-on's domains (SignOnDomain). A's provider answers for
  A's domains, never for kela.test: a user of two organisations makes the first login through
  the provider of their own address's domain (or with a password and TOTP). An identity
  already linked keeps working whatever the address is now.
- `email_verified` (when matching by `email`): present and anything but true → refused. Absent
  (Entra ID never sends it) → accepted, because of the domain rule: an address in the
  organisation's own domain is one its provider hands out, not one a user typed in.
- superusers, Django staff users and holders of the admin role are never logged in here, linked
  or not (teams.mfa.password_and_totp_only): their accounts decide who may do what, and they
  log in with a password and our TOTP.

The second factor: the organisation's provider is responsible for strong authentication (its
own MFA and conditional access), so a session it logged in counts as verified for
RequireMFAMiddleware (teams/mfa.py: `verified_by_provider`) — but never for the Django admin,
which always needs our own TOTP in the session. A password login still asks for TOTP.

The lockout (django-axes) is not counted here: it guards our passwords against guessing, and
nobody guesses anything at our callback — the provider has already authenticated the person,
and throttles its own logins. Every refusal is logged by tyokyky.oidc.refuse.
"""

import logging

from django import forms
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from tyokyky import oidc

from .admin_log import address_changed_recently
from .mfa import mark_verified_by_provider, password_and_totp_only
from .models import Membership, OrganisationSignOn, SignOnDomain, SignOnIdentity, User

log = logging.getLogger("tyokyky.security")

PENDING_KEY = "sso_pending"  # which organisation's provider we sent the browser to, and next
BACKEND = "django.contrib.auth.backends.ModelBackend"


class Refused(Exception):
    """The provider vouched for someone we do not let in; `reason` is safe to log, `kind`
    chooses what the refusal page tells the person."""

    def __init__(self, reason: str, kind: str = "unknown"):
        super().__init__(reason)
        self.reason = reason
        self.kind = kind


def relying_party(sign_on: OrganisationSignOn) -> oidc.RelyingParty:
    """Our registration at the organisation's provider. A key file named outside the key
    directory (past the admin's check) is read as no key at all."""
    try:
        key_file = str(sign_on.key_path())
    except ValueError:
        key_file = ""
    return oidc.RelyingParty(
        name=f"staff-{sign_on.pk}", issuer=sign_on.issuer, client_id=sign_on.client_id,
        private_key_file=key_file, scope=settings.STAFF_SSO_SCOPE,
        discovery_url=sign_on.discovery_url)


def in_use():
    return OrganisationSignOn.objects.filter(is_enabled=True, organisation__is_active=True)


def any_in_use() -> bool:
    """Whether the login page offers single sign-on at all."""
    return in_use().exists()


def provider_for_address(address: str) -> OrganisationSignOn | None:
    """The provider in use for the address's domain, if any organisation has one."""
    domain = address.rpartition("@")[2].strip().lower()
    found = SignOnDomain.objects.filter(
        domain=domain, sign_on__in=in_use()).select_related("sign_on__organisation").first()
    return found.sign_on if found else None


class SignOnForm(forms.Form):
    email = forms.EmailField(
        label=_("Your work e-mail address"), max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def clean_email(self):
        address = self.cleaned_data["email"]
        self.sign_on = provider_for_address(address)
        if self.sign_on is None:
            raise forms.ValidationError(_(
                "Your organisation does not use single sign-on for this address. "
                "Log in with your user name and password."))
        return address


def user_for(sign_on: OrganisationSignOn, claims: dict) -> User:
    """The user the provider's verified claims name, or Refused. By the linked identifier
    first; on the first login by the chosen claim, which must match one user's address."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise Refused("no sub claim")
    link = SignOnIdentity.objects.filter(issuer=sign_on.issuer, subject=subject).select_related(
        "user").first()
    user = link.user if link else _user_by_claim(sign_on, claims)
    if not user.is_active:
        raise Refused("user not active")
    if password_and_totp_only(user):
        raise Refused("administrator: password and TOTP only", kind="password_only")
    if not Membership.objects.active().filter(user=user,
                                              organisation=sign_on.organisation).exists():
        raise Refused("no active membership in the provider's organisation")
    if link:
        SignOnIdentity.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
    else:
        _link(sign_on, user, subject)
    return user


def _user_by_claim(sign_on, claims) -> User:
    """The first login: the claim's address, in this sign-on's own domains (module docstring)."""
    if sign_on.match_claim == OrganisationSignOn.MatchClaim.EMAIL and (
            "email_verified" in claims and claims["email_verified"] is not True):
        raise Refused("address not verified by the provider")
    value = str(claims.get(sign_on.match_claim) or "").strip()
    if not value:
        raise Refused(f"no {sign_on.match_claim} claim")
    local, at, domain = value.rpartition("@")
    if not (local and at and sign_on.domains.filter(domain=domain.lower()).exists()):
        raise Refused("address not in the sign-on's domains")
    user = User.objects.filter(email__iexact=value).first()
    if user is None:
        raise Refused("no user with this address")
    if address_changed_recently(user):
        # An administrator who put an address of their own on someone's account would log in
        # as them through the sign-on: the address opens no first link for a while.
        raise Refused("address changed by an administrator recently")
    return user


def _link(sign_on, user, subject) -> None:
    """Remember the provider's identifier for this user. A user already linked to another
    identity at the same provider is refused: someone else now carries their address."""
    if SignOnIdentity.objects.filter(issuer=sign_on.issuer, user=user).exists():
        raise Refused("user already linked to another identity at this provider")
    try:
        with transaction.atomic():
            SignOnIdentity.objects.create(user=user, issuer=sign_on.issuer, subject=subject)
    except IntegrityError as error:  # the same identity linked at the same moment
        raise Refused("identity linked concurrently") from error


def _next_url(request, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


@login_not_required
@require_http_methods(["GET", "POST"])
def sign_on_login(request):
    """Ask for the work address; send the browser to its organisation's provider."""
    if request.user.is_authenticated and request.method == "GET":
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignOnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        party = relying_party(form.sign_on)
        request.session[PENDING_KEY] = {
            "sign_on": form.sign_on.pk,
            "next": _next_url(request, request.POST.get("next", ""))}
        callback = request.build_absolute_uri(reverse("sso_callback"))
        try:
            return oidc.begin(request, party, callback, login_hint=form.cleaned_data["email"],
                              ui_locales=get_language())
        except oidc.IdentificationFailed as failure:
            return _refused(request, failure.reason, party, kind="unavailable")
    return render(request, "registration/sso_login.html", {
        "form": form, "next": request.GET.get("next", "")})


@login_not_required
@require_http_methods(["GET"])
def callback(request):
    """The provider's answer: verified claims → an existing user of that organisation."""
    pending = request.session.pop(PENDING_KEY, None) or {}
    sign_on = OrganisationSignOn.objects.select_related("organisation").filter(
        pk=pending.get("sign_on") if isinstance(pending, dict) else None).first()
    if sign_on is None:
        return _refused(request, "no single sign-on in progress", None, kind="failed")
    party = relying_party(sign_on)
    if not sign_on.is_enabled or not sign_on.organisation.is_active:
        return _refused(request, "single sign-on not in use", party, kind="unavailable")
    try:
        user = user_for(sign_on, oidc.finish(request, party))
    except oidc.IdentificationFailed as failure:
        return _refused(request, failure.reason, party, kind="failed")
    except Refused as refusal:
        return _refused(request, refusal.reason, party, kind=refusal.kind)
    login(request, user, backend=BACKEND)
    mark_verified_by_provider(request, user)
    log.info("staff signed on: provider=%s user=%s", party.name, user.pk)
    return redirect(pending.get("next") or settings.LOGIN_REDIRECT_URL)


def _refused(request, reason, party, *, kind):
    if party is not None:
        oidc.refuse(party, reason, request)
    else:
        log.warning("identification refused: provider=staff reason=%s address=%s",
                    reason, request.META.get("REMOTE_ADDR", ""))
    return render(request, "registration/sso_refused.html", {"kind": kind}, status=403)
