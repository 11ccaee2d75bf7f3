"""
The client's process events in time order (referral sent, check done, feedback, assessment…).

Each app that records steps of the service path registers a source here in its AppConfig.ready;
a source gets the client as the user may see them (consents.shown.ShownClient) and returns the
events of the records it hands out, so the timeline shows nothing the policy hides and the
access log records what it showed.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

_sources = []


@dataclass(frozen=True)
class Event:
    at: datetime
    label: str
    url: str
    record: object  # the ClientRecord the event comes from, for the access log
    dated_only: bool = False  # a day without a time: shown as a date


def day_event(day: date, label: str, url: str, record) -> Event:
    """An event known by its day only, placed at the start of that day."""
    at = timezone.make_aware(datetime.combine(day, time.min))
    return Event(at=at, label=label, url=url, record=record, dated_only=True)


def register(source):
    """A source is a function (shown client) -> list[Event]."""
    _sources.append(source)
    return source


def events_for(client) -> list[Event]:
    events = [event for source in _sources for event in source(client)]
    return sorted(events, key=lambda event: event.at, reverse=True)
