"""Cross-cutting request handling."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

SESSION_STARTED_KEY = "session_started_at"


class AbsoluteSessionLimitMiddleware:
    """
    Ends a session a fixed time after it began, however active it has been (OWASP ASVS 3.3.2).

    The idle limit is Django's own (SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST); this is
    the other half. A logged-out request then meets LoginRequiredMiddleware and the login page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and self._expired(request):
            logout(request)
        response = self.get_response(request)
        if request.user.is_authenticated and SESSION_STARTED_KEY not in request.session:
            request.session[SESSION_STARTED_KEY] = timezone.now().timestamp()
        return response

    @staticmethod
    def _expired(request) -> bool:
        started = request.session.get(SESSION_STARTED_KEY)
        if started is None:
            return False
        age = timezone.now().timestamp() - started
        return age > settings.SESSION_ABSOLUTE_LIMIT.total_seconds()


class RequireMFAMiddleware:
    """
    A logged-in user who has not passed the second factor in this session reaches only the
    pages that get them through it (or out): enrolment, verification, logout, language.
    """

    OPEN = frozenset({
        "login", "logout", "set_language", "health",
        "accounts:mfa_setup", "accounts:mfa_verify",
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
        from teams.mfa import has_confirmed_device  # the teams app loads after middleware

        target = "accounts:mfa_verify" if has_confirmed_device(user) else "accounts:mfa_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
