"""
The client's data package: the right of access (GDPR art. 15) and the right to know who has
used or been disclosed one's data (Act 703/2023 on the processing of client data in social
and health care). A staff member of an organisation that serves the client produces it when
the client asks; the organisation answers for what it holds.

What the package holds is what the requesting user's organisation may see of the client, by
the one access policy (consents.policy) — nothing is decided here:

- The client's card under the identity rule (`ShownClient`): the card the organisation wrote
  or was sent, or one a consent opens, or the card it typed itself at the client's visit.
- Every record about the client: every concrete subclass of `clients.records.ClientRecord`
  installed (`record_models`, read from the app registry, so that a new kind of record is in
  the package the day its app adds it), each through `ShownClient.records` — the policy's
  `visible_records`: the organisation's own records, records addressed to it, and other
  organisations' records that a valid consent opens and no disclosure ban closes. Each field
  of a record that has a category of its own (a meeting's minutes are health data) is read
  through `ShownClient.fields`, so it shows only under a consent for that category. The parts
  that live and die with a record (deleted with it: a plan's actions and follow-ups, a
  meeting's participants and decisions, a referral's services) go with it.
- The case as the client page shows it (`known_to`): the organisations serving the client,
  case managers, consents and disclosure bans.
- The logs of the organisation's part: its users' views of the client's data, and the
  disclosures it made or received.

Each record names its controller: the organisation that wrote it. The package is built in the
client's language (as the user may know it), whatever the staff member's own.

JSON shape (`SCHEMA`, version `SCHEMA_VERSION`; keys are stable, labels and choice values are
in the package's language, times ISO 8601 in Finnish time):

    {"schema": "tyokyky.data-package", "schema_version": 1, "language": "fi",
     "generated_at": "…", "requested_by": {"user": "…", "organisation": ORG},
     "client": {"id": 1, "identity": null | {"controller": ORG, "category": "identity",
                "category_label": "…", "source": "written|sent|consent|own_card",
                "fields": {name: value}, "field_labels": {name: label}}},
     "records": [{"type": "app_label.model", "label": "…", "field_labels": {name: label},
                  "records": [{"id": 1, "title": "…", "controller": ORG, "category": "health",
                               "category_label": "…", "created_at": "…", "created_by": "…",
                               "fields": {name: value}, "withheld": [name],
                               "parts": {name: {"label": "…", "field_labels": {…},
                                                "rows": [{"fields": {…}, "withheld": […]}]}}}]}],
     "case": {"relationships" | "case_managers" | "consents" | "disclosure_bans":
              {"label": "…", "field_labels": {…}, "rows": [{"fields": {…}, "withheld": []}]}},
     "logs": {"access": [{"at", "user", "organisation": ORG, "role", "role_label",
                          "categories": [code], "category_labels": […], "action",
                          "action_label"}],
              "disclosures": [{"at", "user", "source_organisation": ORG,
                               "recipient_organisation": ORG, "legal_basis",
                               "legal_basis_label", "categories", "category_labels", "action",
                               "action_label", "consent"}]}}

    ORG = {"id": 1, "name": "…"} or null. Every record type installed is listed, with no
    records when there are none. A field the policy withholds is left out of "fields" and
    named in "withheld". A field naming another record gives {"type", "id"} when that record
    is in the package, else null. A disclosure's "user" is null unless the user is (or
    was) a member of the requesting organisation: another organisation's staff are in its log.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.template.defaultfilters import yesno
from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from clients.models import CaseManagerAssignment, Client, ClientRelationship
from clients.records import ClientRecord, DataCategory
from consents.models import (
    AccessLogEntry,
    Consent,
    DisclosureBan,
    DisclosureLogEntry,
)
from consents.policy import IdentitySource, organisation_of
from consents.shown import WITHHELD, ShownClient, record_category
from teams.models import Membership

SCHEMA = "tyokyky.data-package"
SCHEMA_VERSION = 1

# Every record has these; the package gives them as the record's own keys, not among its fields.
RECORD_METADATA = frozenset({"client", "organisation", "created_by", "created_at"})
# The client's card, as the identity rule hands it out (consents.shown.CARD_ATTRIBUTES and the
# code); where the case stands only with the client's card itself.
CARD_FIELDS = ["first_name", "last_name", "hetu", "date_of_birth", "municipality", "phone",
               "email", "street_address", "postal_code", "post_office", "language",
               "interpreter_language", "own_nurse"]
CASE_FIELDS = ["status", "closed_on", "closing_reason"]
CHOICE_FIELDS = {"language", "status", "closing_reason"}
# Headings of the case's columns that are no model field's name.
NUMBER = _("Number")
CATEGORIES = _("Categories")
SECTORS = _("Recipient sectors")
CONFIRMED_BY = _("Confirmed by organisations")
FORBIDDEN_TO = _("Disclosure forbidden to")
# A record the client wrote themself in Oma Työkyky (a self-assessment) has no staff writer.
BY_THE_CLIENT = _("The client themself")


def _written_by(record) -> str:
    return str(record.created_by) if record.created_by_id else str(BY_THE_CLIENT)


def record_models() -> list[type[ClientRecord]]:
    """Every concrete kind of client record installed, in the apps' order (the service path)."""
    return [model for model in apps.get_models()
            if issubclass(model, ClientRecord) and not model._meta.proxy]


def package_language(client: ShownClient) -> str:
    """The client's language of service as the user may know it; else the default."""
    language = client.language if client.identity else ""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


# --- Values -------------------------------------------------------------------------------------

@dataclass
class Value:
    """One field as the package gives it: its JSON value and its printed text."""

    name: str
    label: str
    value: object
    text: str

    @property
    def empty(self) -> bool:
        """Nothing recorded (the print leaves it out; the JSON gives it as empty)."""
        return self.value is None or self.value == "" or self.value == []


def _json(raw):
    if isinstance(raw, datetime.datetime):
        return timezone.localtime(raw).isoformat()
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    if isinstance(raw, Decimal):
        return str(raw)
    return raw


def _text(raw) -> str:
    if raw is None or raw == "" or raw == []:
        return "–"
    if isinstance(raw, bool):
        return capfirst(yesno(raw))
    if isinstance(raw, datetime.datetime):
        return formats.date_format(timezone.localtime(raw), "SHORT_DATETIME_FORMAT")
    if isinstance(raw, datetime.date):
        return formats.date_format(raw, "SHORT_DATE_FORMAT")
    if isinstance(raw, (list, tuple)):
        return ", ".join(str(item) for item in raw)
    return str(raw)


def _plain(name, label, raw) -> Value:
    return Value(name, str(label), _json(raw), _text(raw))


def _organisation(organisation) -> dict | None:
    return {"id": organisation.pk, "name": organisation.name} if organisation else None


# --- Records ------------------------------------------------------------------------------------

def _links_record(model_field) -> bool:
    return model_field.is_relation and issubclass(model_field.related_model, ClientRecord)


def content_fields(model, *, skip=frozenset()) -> list:
    """The fields of a record, or of a part of one, that say something about the client: not
    its id, not the metadata every record has, not what the code keeps for itself
    (editable=False: a meeting's calendar id), never the client again."""
    skip = set(skip) | (RECORD_METADATA if issubclass(model, ClientRecord) else set())
    return [
        model_field for model_field in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if not model_field.primary_key and model_field.editable and model_field.name not in skip
        and not (model_field.is_relation and model_field.related_model is Client)
    ]


def parts_of(model) -> list:
    """The rows that are parts of a record: no records of their own, deleted with it."""
    return [relation for relation in model._meta.related_objects
            if (relation.one_to_many or relation.one_to_one)
            and relation.on_delete is models.CASCADE
            and not issubclass(relation.related_model, ClientRecord)]


def _related_names(fields) -> list[str]:
    """Foreign keys to print by name (a user, an organisation), fetched with the rows."""
    return [f.name for f in fields if (f.many_to_one or f.one_to_one) and not _links_record(f)]


def _queryset(model):
    """The model's rows with what the package prints of them, in a few queries a type."""
    fields = content_fields(model)
    prefetch = [f.name for f in fields if f.many_to_many]
    for relation in parts_of(model):
        part_fields = content_fields(relation.related_model, skip={relation.field.name})
        accessor = relation.get_accessor_name()
        prefetch.append(Prefetch(accessor, queryset=relation.related_model._default_manager
                                 .select_related(*_related_names(part_fields))))
        prefetch += [f"{accessor}__{f.name}" for f in part_fields if f.many_to_many]
    return (model._default_manager.select_related("organisation", "created_by",
                                                  *_related_names(fields))
            .prefetch_related(*prefetch))


def _field_value(shown, row, model_field, references) -> Value | None:
    """One field of a record or a part, or None when the policy withholds it."""
    name, label = model_field.name, capfirst(model_field.verbose_name)
    if name in getattr(row, "FIELD_CATEGORIES", {}) and getattr(shown, name) is WITHHELD:
        return None
    if model_field.many_to_many:
        items = [str(item) for item in getattr(row, name).all()]
        return Value(name, str(label), items, _text(items))
    if model_field.is_relation:
        pk = getattr(row, model_field.attname)
        if pk is not None and _links_record(model_field):
            # Another record: named only when it is in the package too.
            key = (model_field.related_model._meta.label_lower, pk)
            title = references.get(key)
            return Value(name, str(label), {"type": key[0], "id": pk} if title else None,
                         title or "–")
        related = getattr(row, name) if pk is not None else None
        return _plain(name, label, str(related) if related is not None else None)
    raw = model_field.value_from_object(row)
    if model_field.choices and raw not in (None, ""):
        raw = str(dict(model_field.flatchoices).get(raw, raw))
    return _plain(name, label, raw)


@dataclass
class Row:
    """A record's part (an action of a plan), or a line of the case (a consent)."""

    values: list[Value]
    withheld: list[str] = field(default_factory=list)
    # A line of the case: the row it shows ("app_label.model:pk"), kept with a PDF rendered in
    # the background so that the download refuses it once the row is hidden (a ban since).
    key: str | None = None

    def as_json(self) -> dict:
        return {"fields": {value.name: value.value for value in self.values},
                "withheld": self.withheld}


@dataclass
class Table:
    """Rows of one kind: a record's parts of one relation, or a section of the case."""

    key: str
    label: str
    labels: dict[str, str]
    rows: list[Row]

    def as_json(self) -> dict:
        return {"label": self.label, "field_labels": self.labels,
                "rows": [row.as_json() for row in self.rows]}


@dataclass
class PackageRecord:
    """One record with its controller, its category and its fields as the policy shows them."""

    type: str
    id: int
    title: str
    controller: object
    category: str
    category_label: str
    created_at: datetime.datetime
    created_by: str
    values: list[Value]
    withheld: list[str]
    withheld_labels: list[str]
    parts: list[Table]

    def as_json(self) -> dict:
        return {
            "id": self.id, "title": self.title, "controller": _organisation(self.controller),
            "category": self.category, "category_label": self.category_label,
            "created_at": _json(self.created_at), "created_by": self.created_by,
            "fields": {value.name: value.value for value in self.values},
            "withheld": self.withheld,
            "parts": {part.key: part.as_json() for part in self.parts},
        }


@dataclass
class RecordGroup:
    """The records of one kind (all of a type installed, even with none to show)."""

    type: str
    label: str
    labels: dict[str, str]
    records: list[PackageRecord]

    def as_json(self) -> dict:
        return {"type": self.type, "label": self.label, "field_labels": self.labels,
                "records": [record.as_json() for record in self.records]}


def _read(shown, row, fields, references, source_id):
    """The fields of a record or part as the policy lets the user see them (a field with a
    category of its own through ShownRecord, which hands it out for the access log)."""
    through = shown.fields(row, source_id=source_id)
    values, withheld = [], []
    for model_field in fields:
        value = _field_value(through, row, model_field, references)
        if value is None:
            withheld.append(model_field)
        else:
            values.append(value)
    return values, withheld


def _parts(shown, record, references) -> list[Table]:
    tables = []
    for relation in parts_of(type(record)):
        part_model = relation.related_model
        fields = content_fields(part_model, skip={relation.field.name})
        accessor = relation.get_accessor_name()
        if relation.one_to_one:
            part = getattr(record, accessor, None)
            members = [part] if part is not None else []
        else:
            members = list(getattr(record, accessor).all())
        rows = []
        for part in members:
            values, withheld = _read(shown, part, fields, references, record.organisation_id)
            rows.append(Row(values, [f.name for f in withheld]))
        tables.append(Table(accessor, capfirst(str(part_model._meta.verbose_name_plural)),
                            {f.name: str(capfirst(f.verbose_name)) for f in fields}, rows))
    return tables


def _records(shown: ShownClient) -> list[RecordGroup]:
    """Every kind of record, each through the policy (ShownClient.records hands them out)."""
    found = [(model, shown.records(_queryset(model))) for model in record_models()]
    references = {(record._meta.label_lower, record.pk): str(record)
                  for _model, records in found for record in records}
    groups = []
    for model, records in found:
        fields = content_fields(model)
        items = []
        for record in records:
            values, withheld = _read(shown, record, fields, references, record.organisation_id)
            category = record_category(record)
            items.append(PackageRecord(
                type=model._meta.label_lower, id=record.pk, title=str(record),
                controller=record.organisation, category=str(category),
                category_label=str(DataCategory(category).label),
                created_at=record.created_at, created_by=_written_by(record),
                values=values, withheld=[f.name for f in withheld],
                withheld_labels=[str(capfirst(f.verbose_name)) for f in withheld],
                parts=_parts(shown, record, references),
            ))
        groups.append(RecordGroup(model._meta.label_lower,
                                  str(capfirst(model._meta.verbose_name_plural)),
                                  {f.name: str(capfirst(f.verbose_name)) for f in fields},
                                  items))
    return groups


# --- The card -----------------------------------------------------------------------------------

@dataclass
class Identity:
    controller: object
    source: str
    values: list[Value]

    def as_json(self) -> dict:
        return {"controller": _organisation(self.controller),
                "category": DataCategory.IDENTITY.value,
                "category_label": str(DataCategory.IDENTITY.label), "source": self.source,
                "fields": {value.name: value.value for value in self.values},
                "field_labels": {value.name: value.label for value in self.values}}


def _identity(shown: ShownClient) -> Identity | None:
    """The card the identity rule shows the user — and whose card it is."""
    source = shown.identity_source
    if source is None:
        return None
    if source == IdentitySource.OWN_CARD:
        controller = shown.access.own_card.organisation
    else:
        controller = shown.instance.organisation
    names = CARD_FIELDS + (CASE_FIELDS if shown.sees_card else [])
    values = []
    for name in names:
        label = capfirst(Client._meta.get_field(name).verbose_name)
        raw = getattr(shown, f"get_{name}_display")() if name in CHOICE_FIELDS else (
            getattr(shown, name))
        if isinstance(raw, models.Model):
            raw = str(raw)
        values.append(_plain(name, label, raw))
    return Identity(controller, source, values)


# --- The case -----------------------------------------------------------------------------------

def _label(model, name):
    return model._meta.get_field(name).verbose_name


def _row_key(row) -> str:
    return f"{row._meta.label_lower}:{row.pk}"


def _table(key, label, columns, rows) -> Table:
    """A section of the case: `columns` of (name, label), `rows` of (model row, raw values in
    that order)."""
    return Table(key, str(capfirst(label)), {name: str(capfirst(title)) for name, title in columns},
                 [Row([_plain(name, capfirst(title), raw)
                       for (name, title), raw in zip(columns, cells, strict=True)],
                      key=_row_key(row))
                  for row, cells in rows])


def _name(value):
    return str(value) if value is not None else None


def _case(shown: ShownClient) -> list[Table]:
    """Who serves the client, case managers, consents and bans — as far as the user may know of
    them (consents.policy.known_to): all of it with the client's card, else their own part."""
    instance = shown.instance
    assignments = shown.known(CaseManagerAssignment.objects.filter(client=instance)
                              .select_related("user", "organisation")
                              .order_by("started_on", "pk"))
    consents = shown.known(
        Consent.objects.filter(client=instance).select_related("recorded_by_organisation")
        .prefetch_related("category_rows", "sector_rows", "recipient_organisations",
                          "confirmations__organisation").order_by("valid_from", "pk"),
        "recorded_by_organisation")
    bans = shown.known(DisclosureBan.objects.filter(client=instance)
                       .select_related("organisation", "recorded_by_organisation")
                       .order_by("recorded_at", "pk"), "recorded_by_organisation")
    relationship, assignment = ClientRelationship, CaseManagerAssignment
    return [
        _table("relationships", _label(Client, "organisations"), [
            ("organisation", _label(relationship, "organisation")),
            ("basis", _label(relationship, "basis")),
            ("started_at", _label(relationship, "started_at")),
            ("ends_at", _label(relationship, "ends_at")),
        ], [(r, [_name(r.organisation), r.get_basis_display(), r.started_at, r.ends_at])
            for r in shown.relationships()]),
        _table("case_managers", assignment._meta.verbose_name_plural, [
            ("user", _label(assignment, "user")),
            ("organisation", _label(assignment, "organisation")),
            ("started_on", _label(assignment, "started_on")),
            ("ended_on", _label(assignment, "ended_on")),
        ], [(a, [_name(a.user), _name(a.organisation), a.started_on, a.ended_on])
            for a in assignments]),
        _table("consents", Consent._meta.verbose_name_plural, [
            ("number", NUMBER),
            ("recorded_by_organisation", _label(Consent, "recorded_by_organisation")),
            ("categories", CATEGORIES),
            ("recipient_organisations", _label(Consent, "recipient_organisations")),
            ("recipient_sectors", SECTORS),
            ("purpose", _label(Consent, "purpose")),
            ("method", _label(Consent, "method")),
            ("valid_from", _label(Consent, "valid_from")),
            ("valid_until", _label(Consent, "valid_until")),
            ("confirmed_by", CONFIRMED_BY),
            ("confirmed_by_client_at", _label(Consent, "confirmed_by_client_at")),
            ("revoked_at", _label(Consent, "revoked_at")),
        ], [(c, [c.pk, _name(c.recorded_by_organisation),
             [str(category.label) for category in c.categories],
             [str(o) for o in c.recipient_organisations.all()],
             [str(sector.label) for sector in c.recipient_sectors], c.purpose,
             c.get_method_display(), c.valid_from, c.valid_until,
             [str(row.organisation) for row in c.confirmations.all()],
             c.confirmed_by_client_at, c.revoked_at])
            for c in consents]),
        _table("disclosure_bans", DisclosureBan._meta.verbose_name_plural, [
            ("forbidden_to", FORBIDDEN_TO),
            ("recorded_by_organisation", _label(DisclosureBan, "recorded_by_organisation")),
            ("recorded_at", _label(DisclosureBan, "recorded_at")),
            ("lifted_at", _label(DisclosureBan, "lifted_at")),
        ], [(b, [str(b), _name(b.recorded_by_organisation), b.recorded_at, b.lifted_at])
            for b in bans]),
    ]


# --- Logs ---------------------------------------------------------------------------------------

def _access_row(entry: AccessLogEntry) -> dict:
    return {
        "at": _json(entry.at), "user": str(entry.user) if entry.user else None,
        "by_client": entry.by_client,
        "organisation": _organisation(entry.organisation),
        "role": entry.role, "role_label": str(entry.role_label),
        "categories": list(entry.categories), "category_labels": entry.category_labels,
        "action": entry.action, "action_label": str(entry.get_action_display()),
    }


def _disclosure_row(entry: DisclosureLogEntry) -> dict:
    return {
        "at": _json(entry.at), "user": str(entry.user) if entry.names_user else None,
        "source_organisation": _organisation(entry.source_organisation),
        "recipient_organisation": _organisation(entry.recipient_organisation),
        "legal_basis": entry.legal_basis,
        "legal_basis_label": str(entry.get_legal_basis_display()),
        "categories": list(entry.categories), "category_labels": entry.category_labels,
        "action": entry.action, "action_label": str(entry.get_action_display()),
        "consent": entry.consent_id,
    }


def organisation_logs(shown: ShownClient):
    """The logs of the organisation's part (each controller answers for its own): its users'
    views of the client's data, and what it disclosed or was disclosed of the client.

    A disclosure names its user only when they are (or were) the organisation's own staff
    (`names_user`): the client gets the recipient organisation and the legal basis from the
    discloser (Act 703/2023), while who read the data in the recipient organisation is in that
    organisation's own log, not in this one."""
    mine = shown.access.own_organisation_ids
    accesses = (AccessLogEntry.objects.filter(client=shown.instance, organisation_id__in=mine)
                .select_related("user", "organisation").order_by("at", "pk"))
    disclosures = (
        DisclosureLogEntry.objects.filter(client=shown.instance)
        .filter(Q(source_organisation_id__in=mine) | Q(recipient_organisation_id__in=mine))
        .annotate(names_user=Exists(Membership.objects.filter(
            user_id=OuterRef("user_id"), organisation_id__in=mine)))
        .select_related("user", "source_organisation", "recipient_organisation")
        .order_by("at", "pk")
    )
    return list(accesses), list(disclosures)


# --- The package --------------------------------------------------------------------------------

@dataclass
class DataPackage:
    """Everything the requesting organisation holds or was disclosed of the client."""

    client: ShownClient
    language: str
    requested_by: object
    organisation: object
    generated_at: datetime.datetime
    identity: Identity | None
    groups: list[RecordGroup]
    case: list[Table]
    accesses: list
    disclosures: list

    @property
    def case_keys(self) -> list[str]:
        """The rows of the case the package shows (who serves the client, case managers,
        consents, bans): kept with a PDF rendered in the background, for the download."""
        return sorted(row.key for table in self.case for row in table.rows if row.key)

    @property
    def rows(self) -> int:
        """How long the printed package is (what decides whether it renders in the
        background, tyokyky.documents)."""
        records = sum(1 + sum(len(part.rows) for part in record.parts)
                      for group in self.groups for record in group.records)
        return (records + sum(len(table.rows) for table in self.case) + len(self.accesses)
                + len(self.disclosures))

    def as_json(self) -> dict:
        """The package as JSON (the shape in the module's docstring), in its language."""
        with translation.override(self.language):
            return {
                "schema": SCHEMA, "schema_version": SCHEMA_VERSION, "language": self.language,
                "generated_at": _json(self.generated_at),
                "requested_by": {"user": str(self.requested_by),
                                 "organisation": _organisation(self.organisation)},
                "client": {"id": self.client.pk,
                           "identity": self.identity.as_json() if self.identity else None},
                "records": [group.as_json() for group in self.groups],
                "case": {table.key: table.as_json() for table in self.case},
                "logs": {"access": [_access_row(entry) for entry in self.accesses],
                         "disclosures": [_disclosure_row(entry) for entry in self.disclosures]},
            }


def build_package(user, shown: ShownClient) -> DataPackage:
    """The client's package for the user's organisation, built in the client's language; what
    it shows is handed out on `shown` for the access and disclosure logs."""
    language = package_language(shown)
    with translation.override(language):
        identity = _identity(shown)
        groups = _records(shown)
        case = _case(shown)
    accesses, disclosures = organisation_logs(shown)
    return DataPackage(
        client=shown, language=language, requested_by=user,
        organisation=organisation_of(user), generated_at=timezone.now(), identity=identity,
        groups=groups, case=case, accesses=accesses, disclosures=disclosures,
    )
