"""The second factor, enforced on every page; the deadlines read once a request."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .deadlines import one_reading
from .mfa import has_confirmed_device, verified_by_provider


class RequireMFAMiddleware:
    """
    A logged-in user who has not passed the second factor in this session reaches only the
    pages that get them through it (or out): enrolment, verification, logout, language.
    A session that the organisation's own identity provider logged in has passed it there
    (teams/sso.py) — except for the Django admin, which always needs our own TOTP in this
    session: the provider never logs in an administrator (teams.mfa.password_and_totp_only),
    and should one slip through, its mark still opens no admin page.
    """

    OPEN = frozenset({
        "login", "logout", "set_language", "health", "sso_login", "sso_callback",
        "accounts:mfa_setup", "accounts:mfa_verify",
        "privacy_notice", "accessibility_statement",  # public pages (tyokyky/views.py)
    })

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not settings.MFA_REQUIRED or not user.is_authenticated or user.is_verified():
            return None
        if request.resolver_match.view_name in self.OPEN:
            return None
        if verified_by_provider(request) and not self._is_admin_page(request):
            return None
        target = "accounts:mfa_verify" if has_confirmed_device(user) else "accounts:mfa_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")

    @staticmethod
    def _is_admin_page(request) -> bool:
        return "admin" in request.resolver_match.namespaces


class DeadlineScopeMiddleware:
    """One reading of the deadlines a request (teams/deadlines.py): a worklist's flags cost
    one query, not one a row."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with one_reading():
            return self.get_response(request)
