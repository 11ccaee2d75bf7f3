"""
A client's session in Oma Työkyky: separate from staff logins.

A client is not a Django user: the session holds the identified client's id, and nothing else
of the login. Staff URLs see an anonymous visitor and send them to the staff login; client URLs
(`client_required`) see no staff user. Logging in either way ends the other. The session ends
after OMA_IDLE_SECONDS (15 minutes) without a request, and the cookie with it.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from clients.models import Client
from consents.own import own_client

CLIENT_KEY = "oma_client"
SEEN_KEY = "oma_seen"
STARTED_KEY = "oma_started"


def sign_in(request, client) -> None:
    """The client was identified: a new session that holds only them, and a new CSRF token
    (one planted before the login does not carry over, as with Django's own login)."""
    if request.user.is_authenticated:
        logout(request)  # flushes the staff session
    else:
        request.session.flush()
    rotate_token(request)
    request.session[CLIENT_KEY] = client.pk
    request.session[STARTED_KEY] = timezone.now().timestamp()
    _touch(request)


def sign_out(request) -> None:
    request.session.flush()


def _touch(request) -> None:
    request.session[SEEN_KEY] = timezone.now().timestamp()
    request.session.set_expiry(settings.OMA_IDLE_SECONDS)


def _expired(request) -> bool:
    """Idle too long, or older than the absolute limit staff sessions have too."""
    now = timezone.now().timestamp()
    seen, started = request.session.get(SEEN_KEY), request.session.get(STARTED_KEY)
    return (seen is None or started is None or now - seen > settings.OMA_IDLE_SECONDS
            or now - started > settings.SESSION_ABSOLUTE_LIMIT.total_seconds())


def client_required(view):
    """A page of the client's own service: `request.client` is the identified client."""

    @login_not_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if CLIENT_KEY not in request.session:
            return redirect("oma:login")
        if _expired(request):
            sign_out(request)
            messages.info(request, _("You were logged out after 15 minutes without activity. "
                                     "Please log in again."))
            return redirect("oma:login")
        try:
            request.client = own_client(request.session[CLIENT_KEY])
        except Client.DoesNotExist:  # the client's data was destroyed meanwhile
            sign_out(request)
            return redirect("oma:login")
        _touch(request)
        response = view(request, *args, **kwargs)
        # Not kept by the browser: Back after logging out on a shared computer shows nothing.
        add_never_cache_headers(response)
        return response

    return wrapper


@receiver(user_logged_in, dispatch_uid="oma_staff_login_ends_client_session")
def _staff_login_ends_client_session(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session.pop(CLIENT_KEY, None)
        request.session.pop(SEEN_KEY, None)
