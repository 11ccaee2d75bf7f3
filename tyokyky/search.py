"""
Searches kept in the session, so that what a user typed never lands in a URL.

A search term can be a name or part of a personal identity code: put in a query string it would
end up in browser history and every proxy's access log. The search form is POSTed, its data kept
under a random key in the (server-side) session, and the result pages link with that key only.
"""

import secrets

from django.shortcuts import redirect

SESSION_KEY = "searches"
KEPT_SEARCHES = 10


def remember_search(request, data: dict) -> str:
    searches = request.session.get(SESSION_KEY, {})
    key = secrets.token_urlsafe(6)
    searches[key] = data
    # Dicts keep insertion order: drop the oldest beyond the limit.
    request.session[SESSION_KEY] = dict(list(searches.items())[-KEPT_SEARCHES:])
    return key


def recall_search(request, key: str | None) -> dict | None:
    if not key:
        return None
    return request.session.get(SESSION_KEY, {}).get(key)


def bound_search_form(request, form_class):
    """The list's search form, bound to the search kept under ?search=, or to its defaults."""
    data = recall_search(request, request.GET.get("search"))
    return form_class(data or getattr(form_class, "DEFAULTS", {})), bool(data)


def redirect_to_search(request, form, url: str):
    """After a valid POST of the search form: keep it and show the list under its key."""
    key = remember_search(request, {name: request.POST.get(name, "") for name in form.fields})
    return redirect(f"{url}?search={key}")


def search_query(request) -> str:
    """The query string that keeps the current search on the next page's links."""
    key = request.GET.get("search", "")
    return f"search={key}" if key else ""
