"""
Checks that visibility comes from the policy: what a view hands its templates, and what the
templates are written to show. Used by the permission matrix on every page it opens, and by
tests/test_visibility_checks.py on the templates' source.
"""

import io
import re
from pathlib import Path

from django.conf import settings
from django.core.paginator import Page
from pypdf import PdfReader

from clients.models import Client
from consents.shown import ShownClient, ShownRecord

# A context key that carries a decision about what may be shown.
VISIBILITY_KEY = re.compile(r"visible|identity|named|consented|shares|can_view|sees_")

# The client's card as templates could print it.
IDENTITY_ATTRIBUTES = ("name", "full_name", "first_name", "last_name", "hetu", "masked_hetu",
                       "hetu_ending", "date_of_birth", "phone", "email", "street_address",
                       "postal_code", "post_office", "interpreter_language", "own_nurse")
# In a template, the client's card is printed only from the policy's object: the context's
# `client` or a row's `shown_client` — never through a record's foreign key (`x.client.…`),
# never from the raw model behind it (`.instance`), never by a flag of the view's own.
_CARD = "|".join(IDENTITY_ATTRIBUTES)
TEMPLATE_RULES = [
    (re.compile(rf"\b\w+\.client\.(?:{_CARD})\b"),
     "prints the client's card through a record's foreign key"),
    (re.compile(r"\.client\s*(?:\}\}|\|)"), "prints a record's client (its name) directly"),
    (re.compile(r"\.instance\b"), "reaches the raw client behind the policy's object"),
    (re.compile(r"identity_visible|client_named|client_name\b"),
     "uses a visibility flag of the view's own"),
    (re.compile(r"\{%\s*with\b[^%]*\b(?:identity|visible|sees_card)\w*\s*="),
     "sets visibility in the template"),
]


def _members(value):
    yield value
    if isinstance(value, (list, tuple, set, frozenset, Page)):
        yield from value
    elif isinstance(value, dict):
        yield from value.values()


def _raw_client(item) -> bool:
    if isinstance(item, Client):
        return True
    cache = getattr(getattr(item, "_state", None), "fields_cache", {})
    return isinstance(cache.get("client"), Client)


def context_problems(contexts) -> list[str]:
    """What in the templates' contexts did not come from the policy: a visibility flag set by
    a view, a raw client (whose card a template could print without asking), or a row whose
    `shown_client` is something else than the policy's ShownClient."""
    problems = []
    for context in contexts or []:
        values = context.flatten() if hasattr(context, "flatten") else dict(context)
        for key, value in values.items():
            if isinstance(value, bool) and VISIBILITY_KEY.search(str(key)):
                problems.append(f"{key}: a visibility flag of the view's own")
            for item in _members(value):
                if _raw_client(item):
                    problems.append(f"{key}: a raw client instead of the policy's object")
                shown = getattr(item, "shown_client", None) if not isinstance(
                    item, (ShownClient, ShownRecord)) else None
                if shown is not None and not isinstance(shown, ShownClient):
                    problems.append(f"{key}: shown_client is not the policy's object")
    return sorted(set(problems))


def template_problems() -> list[str]:
    """The template rules above, over every template of the project."""
    problems = []
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(directory).rglob("*.*")):
            text = path.read_text(encoding="utf-8")
            for pattern, why in TEMPLATE_RULES:
                for match in pattern.finditer(text):
                    problems.append(f"{path.name}: {why}: {match.group(0)}")
    return problems


def text_of(response) -> str:
    """What a response shows a person: the page, the CSV, or the text of the PDF."""
    if response.get("Content-Type", "").startswith("application/pdf"):
        reader = PdfReader(io.BytesIO(response.content))
        return "\n".join(page.extract_text() for page in reader.pages)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig", errors="replace")
