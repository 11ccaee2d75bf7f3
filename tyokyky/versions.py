"""
Nothing lost, nothing twice (issue 13): the row lock of a change, and the version an edit form
travels with.

A change locks its row inside its transaction (`lock`): of two changes at once the second waits
for the first, then checks the state it starts from against the first one's result.

An edit form carries the version of the record it was opened on: the id of the record's latest
historical row (django-simple-history writes one on every save), 0 when there was no record yet.
The service compares it with the locked row's (`check_version`). A save over a newer version is
refused with what the other person changed; the form keeps the user's own input and takes the
new version (`VersionedForm`), so that saving again replaces the other's change deliberately —
and the other's change stays in the history.
"""

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

VERSION_FIELD = "version"
MAX_VERSION = 2**31 - 1  # history ids are simple-history's AutoField: 32-bit
EMPTY = "–"
# Whose record it is and who wrote it are not the user's to edit, and the client's name as its
# writer typed it is not everyone's to see: never shown as a change.
BOOKKEEPING = {"client", "organisation", "created_by", "created_at"}


def lock(record):
    """
    Re-read the record's row under a lock, in the caller's transaction; the caller's object
    then holds what the database holds now. FOR NO KEY UPDATE: it waits for another change of
    the row, not for the rows that merely refer to it (a note, an access log entry).
    """
    record.refresh_from_db(
        from_queryset=type(record)._base_manager.select_for_update(no_key=True))
    return record


def version_of(record) -> int:
    """The record's version: the id of its latest historical row; 0 when there is none."""
    if record is None or record.pk is None:
        return 0
    return record.history.order_by("-history_id").values_list(
        "history_id", flat=True).first() or 0


def versions_of(records) -> dict[int, int]:
    """The versions of many records of one model, in one query: for a list of small forms."""
    records = list(records)
    if not records:
        return {}
    pk = records[0]._meta.pk.attname
    rows = (type(records[0]).history.filter(**{f"{pk}__in": [r.pk for r in records]})
            .order_by().values(pk).annotate(version=Max("history_id")))
    return {row[pk]: row["version"] for row in rows}


def check_version(record, version, *, related=()) -> None:
    """
    Refuse to save over a change made after the form's `version`. Call it with the row locked.
    `version` None means the caller is not a form (a task, the demo): nothing to compare.
    `related`: (label, historical rows, current value) of what the form edits beside the
    record's own fields, e.g. the client's case managers.
    """
    if version is None or record is None:
        return
    current = version_of(record)
    if current != version:
        raise EditConflict(record, since=version, current=current, related=related)


class EditConflict(ValidationError):
    """Someone saved the record after the form was opened: what they changed, and the version
    the form takes so that saving again replaces their change on purpose."""

    def __init__(self, record, *, since, current, related=()):
        history = record.history.select_related("history_user")
        latest = history.order_by("-history_id").first()
        old = history.filter(history_id=since).first() if since else None
        self.version = current
        self.changes = _changes(record, latest, old) + [
            (str(label), value()) for label, rows, value in related
            if old is None or rows.filter(history_date__gt=old.history_date).exists()
        ]
        who = {
            "user": latest.history_user or _("Someone else"),
            "time": formats.localize(timezone.localtime(latest.history_date)),
        }
        messages = [
            _("%(user)s saved this at %(time)s, after you opened the form. Their version:")
            % who if self.changes else
            _("%(user)s saved this at %(time)s, after you opened the form.") % who,
            *[_("%(field)s: %(value)s") % {"field": field, "value": value}
              for field, value in self.changes],
            _("Your own input below has not been saved yet. Compare it with theirs and save "
              "again to replace their version with yours."),
        ]
        super().__init__(messages, code="edit_conflict")


def _changes(record, latest, old) -> list[tuple[str, str]]:
    """(label, value now) of each field the user edits that changed after `old`; every field
    with a value when the record did not exist yet."""
    tracked_m2m = {field.name for field in type(record).history.model._history_m2m_fields}
    fields = [field for field in record._meta.get_fields()
              if getattr(field, "editable", False) and not field.auto_created
              and (field.concrete or field.name in tracked_m2m)
              and not field.primary_key and field.name not in BOOKKEEPING]
    if old is None:
        changed = {field.name for field in fields if _shown(record, field) != EMPTY}
    else:
        changed = set(latest.diff_against(old).changed_fields)
    return [(capfirst(str(field.verbose_name)), _shown(record, field))
            for field in fields if field.name in changed]


def _shown(record, field) -> str:
    """The field's value now, as a person reads it."""
    value = getattr(record, field.name)
    if field.many_to_many:
        return ", ".join(str(item) for item in value.all()) or EMPTY
    if value is None or value == "":
        return EMPTY
    if field.choices:
        return str(getattr(record, f"get_{field.name}_display")())
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return str(formats.localize(value))


class VersionedForm:
    """
    Mixin for an edit form: a hidden field carries the version it was opened on — of its
    ModelForm instance unless `version` is given — and a refused save (EditConflict, through
    `add_error`) keeps the user's input and takes the version saved meanwhile.
    """

    def __init__(self, *args, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        if version is None:
            version = version_of(getattr(self, "instance", None))
        self.fields[VERSION_FIELD] = forms.IntegerField(
            widget=forms.HiddenInput, initial=version, required=False, min_value=0,
            max_value=MAX_VERSION)

    def clean(self):
        """The version goes to the service as its own argument, not among the form's data."""
        data = super().clean()
        self._version = data.pop(VERSION_FIELD, None)
        return data

    @property
    def version(self) -> int | None:
        """The version the user's input was made on; None when the request carried none."""
        return getattr(self, "_version", None)

    def add_error(self, field, error):
        if isinstance(error, EditConflict):
            self.data = self.data.copy()
            self.data[self.add_prefix(VERSION_FIELD)] = str(error.version)
        super().add_error(field, error)
