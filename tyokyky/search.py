"""
Searches kept in the session, so that what a user typed never lands in a URL.

A search term can be a name or part of a personal identity code: put in a query string it would
end up in browser history and every proxy's access log. The search form is POSTed, its data kept
under a random key in the (server-side) session, and the result pages link with that key only.
"""

import secrets

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
