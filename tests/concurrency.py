"""
Two people at the same moment, for the tests of issue 13 ("nothing lost, nothing twice").

`race` runs each attempt in its own thread — each with its own database connection, as two web
workers have — started together by a barrier. `meet_at` makes the race certain rather than
likely: both attempts wait for each other just before they write, so without a row lock both
have read the state they start from before either writes. With the lock the second attempt
waits for the first one's commit instead, and the first goes on after `PATIENCE`.
"""

import pkgutil
import threading
from contextlib import contextmanager, suppress
from unittest import mock

from django.db import connections
from django.forms import CheckboxInput
from django.test import Client

from tests.utils import log_in

PATIENCE = 2  # seconds the first attempt waits for a second one held back by a lock


def race(*attempts) -> list:
    """Run the attempts at once; what each returned, or the exception it raised."""
    start = threading.Barrier(len(attempts))
    results = [None] * len(attempts)

    def run(index, attempt):
        try:
            start.wait()
            results[index] = attempt()
        except Exception as error:  # a 500 is an outcome the test looks at
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, attempt))
               for index, attempt in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@contextmanager
def meet_at(target: str, parties: int = 2):
    """Patch the function at the dotted path `target` so that the racing attempts meet there
    before going on into it."""
    barrier = threading.Barrier(parties, timeout=PATIENCE)
    original = pkgutil.resolve_name(target)

    def waiting(*args, **kwargs):
        # Broken when the other attempt is held back by a lock: then go on alone.
        with suppress(threading.BrokenBarrierError):
            barrier.wait()
        return original(*args, **kwargs)

    with mock.patch(target, waiting):
        yield


def logged_in(user) -> Client:
    """A browser of its own for each person: a test client with the user logged in."""
    browser = Client()
    log_in(browser, user)
    return browser


def posting(browser, url, data=None):
    """An attempt for `race`: the person presses save."""
    return lambda: browser.post(url, data or {})


def messages_of(response) -> list[str]:
    """The messages a redirect carries to the next page."""
    return [str(message) for message in response.wsgi_request._messages]


def as_posted(form, **changes) -> dict:
    """What the browser sends back from the form as it was shown, with the user's `changes`:
    the version it was opened on among them."""
    data = {}
    for field in form:
        if field.field.disabled:
            continue
        formatted = field.field.widget.format_value(field.value())
        if isinstance(field.field.widget, CheckboxInput):
            if field.value():
                data[field.html_name] = "on"
        elif formatted is not None:
            data[field.html_name] = formatted
    data.update(changes)
    return data


def opened(browser, url) -> dict:
    """The person opens the edit form: what saving it unchanged would send."""
    response = browser.get(url)
    assert response.status_code == 200, response.status_code
    return as_posted(response.context["form"])


def refused(response) -> list[str]:
    """The messages of a save refused because someone else saved first."""
    assert response.status_code == 200, response.status_code
    return [str(error) for error in response.context["form"].non_field_errors()]
