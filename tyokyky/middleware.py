"""Cross-cutting request handling."""

from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import BadRequest
from django.urls import get_resolver
from django.utils import timezone

SESSION_STARTED_KEY = "session_started_at"
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class RefuseMalformedTextMiddleware:
    """
    Answers 400 Bad Request to a request whose path, query string or form data holds a NUL
    character or bytes that are not UTF-8 (a lone surrogate among them), before any view.

    No person types these, PostgreSQL refuses to store a NUL, and Django would quietly turn
    broken UTF-8 into replacement characters: refused here, once, they never reach a form, a
    query or a token lookup (the calendar feed's token is in its path, open without login).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._well_formed(request):
            # The project's 400 page, in development too (not a debug page); Django logs the
            # 400 like any other, without a traceback.
            refused = BadRequest("NUL or malformed UTF-8 in the request")
            return get_resolver().resolve_error_handler(400)(request, refused)
        return self.get_response(request)

    @classmethod
    def _well_formed(cls, request) -> bool:
        # Django has decoded the path already, broken UTF-8 percent-encoded again.
        if "\x00" in request.path_info:
            return False
        query = request.META.get("QUERY_STRING", "")
        try:  # WSGI hands over the raw bytes as ISO-8859-1
            raw_query = query.encode("iso-8859-1")
        except UnicodeEncodeError:
            raw_query = query.encode("utf-8")
        if not cls._text(unquote_to_bytes(raw_query.replace(b"+", b" "))):
            return False
        content_type = request.content_type or ""
        if request.method != "POST" or content_type not in FORM_CONTENT_TYPES:
            return True
        if content_type == FORM_CONTENT_TYPES[0]:
            return cls._text(unquote_to_bytes(request.body.replace(b"+", b" ")))
        # multipart/form-data: Django has decoded each part, broken bytes as U+FFFD.
        return not any("\x00" in key or any("\x00" in value for value in values)
                       for key, values in request.POST.lists())

    @staticmethod
    def _text(raw: bytes) -> bool:
        if b"\x00" in raw:
            return False
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True


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
