"""
The kinds of records a controller keeps of a client, each with its own retention period.

Every concrete subclass of `clients.records.ClientRecord` is a record type of its own, found
from the app registry — a new kind of record is covered the day it is added, with no list here
to forget (tests/retention/test_record_types.py fails if the destruction misses one). One more
type is not a ClientRecord: the client relationship and the identity card (`CARD`), which is
the organisation's card of the client, the bases on which it served them, the case managers it
named, the team grants it gave and the consents it recorded.

A record type is named by a stable key, the model's label ("referrals.healthcheck"): it is what
`RetentionPeriod.record_type` stores, and it does not change when a model is moved, as content
type ids may between databases.
"""

from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from clients.records import ClientRecord

CARD = "clients.client"
CARD_LABEL = _("Client relationship and identity card")


def record_models() -> list[type[ClientRecord]]:
    """Every concrete ClientRecord model, in the app registry's order."""
    return [model for model in apps.get_models() if issubclass(model, ClientRecord)]


def key_of(model) -> str:
    return model._meta.label_lower


def model_for(key: str):
    """The ClientRecord model of a record type, or None for the card and unknown keys."""
    return next((model for model in record_models() if key_of(model) == key), None)


def record_type_keys() -> list[str]:
    return [CARD, *(key_of(model) for model in record_models())]


def label(key: str) -> str:
    """The record type as the user reads it: the model's plural name."""
    if key == CARD:
        return str(CARD_LABEL)
    model = model_for(key)
    return capfirst(model._meta.verbose_name_plural) if model else key


def record_type_choices() -> list[tuple[str, str]]:
    return [(key, label(key)) for key in record_type_keys()]


def addressed_to(model) -> str | None:
    """The field naming the organisation a record is sent to (its copy is that organisation's
    too), or None."""
    return getattr(model, "ADDRESSED_TO", None)
