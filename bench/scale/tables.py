"""
The tables the generator writes, in the order it writes them (parents before the rows that
name them). Their columns are read from the models: every concrete field, in the model's
order. A row names its values by field (`client_id=…`); a field it leaves out gets the value
`Model()` would give it, so a new field with a default or null=True needs no edit here.
"""

from dataclasses import dataclass
from functools import cached_property

from clients.models import CaseManagerAssignment, Client, ClientRelationship, SituationNote
from consents.models import (
    AccessLogEntry,
    Consent,
    ConsentCategory,
    ConsentConfirmation,
    ConsentSector,
    DisclosureBan,
)
from meetings.models import Meeting, MeetingDecision, MeetingParticipant
from plans.models import FeedbackDiscussion, FollowUp, PlanAction, SupportPlan
from referrals.models import DoctorAssessment, Feedback, HealthCheck, Referral
from work.models import Notification

REQUIRED = object()


@dataclass(frozen=True)
class Table:
    """A table as COPY and INSERT name it. `key` names the method of rows.Rows that makes its
    rows; a table that `reserves_ids` writes its primary keys, reserved in advance so that
    child rows can name them, and the others leave theirs to the database."""

    key: str
    model: type
    reserves_ids: bool = False

    @property
    def label(self) -> str:
        return self.key.replace("_", " ")

    @property
    def name(self) -> str:
        return self.model._meta.db_table

    @cached_property
    def fields(self) -> list:
        return [field for field in self.model._meta.concrete_fields
                if self.reserves_ids or not field.primary_key]

    @cached_property
    def columns(self) -> list[str]:
        return [field.column for field in self.fields]

    @cached_property
    def row(self):
        """`row(client_id=…, …)`: the values in the order of `columns`, as a tuple."""
        return _row_function(f"{self.key}_row", self.fields)


def _default(field):
    """What a row that leaves the field out writes: the model's default, null or the empty
    string, as Model() gives. A default made per row (now, uuid4) is not taken once for all
    the rows, and a NOT NULL field without any default cannot be left out: both are REQUIRED."""
    if field.has_default() and callable(field.default):
        return REQUIRED
    value = field.get_default()
    return REQUIRED if value is None and not field.null else value


def _row_function(name: str, fields) -> object:
    """
    A function with a keyword-only parameter per field that returns the values as a tuple,
    built from source as namedtuple and dataclasses build theirs. A call costs about 1 µs
    with twenty fields; a dict per row merged with the defaults, 1.7 µs, and a namedtuple
    (whose defaults must all come last), 1.8 µs: there are ten rows per client. A REQUIRED
    field left out, or a field the model does not have, fails the first row with Python's own
    TypeError, which names it.
    """
    defaults = {field.attname: _default(field) for field in fields}
    parameters = ", ".join(attname if default is REQUIRED else f"{attname}=_defaults[{attname!r}]"
                           for attname, default in defaults.items())
    source = f"def {name}(*, {parameters}):\n    return ({', '.join(defaults)},)\n"
    namespace = {"_defaults": defaults}
    exec(source, namespace)  # noqa: S102 (the source is made of the model's field names only)
    return namespace[name]


TABLES = [
    Table("clients", Client, reserves_ids=True),
    Table("client_organisations", ClientRelationship),
    Table("case_managers", CaseManagerAssignment),
    Table("referrals", Referral, reserves_ids=True),
    Table("health_checks", HealthCheck, reserves_ids=True),
    Table("feedback", Feedback),
    Table("doctors_assessments", DoctorAssessment),
    Table("meetings", Meeting, reserves_ids=True),
    Table("meeting_participants", MeetingParticipant),
    Table("support_plans", SupportPlan, reserves_ids=True),
    Table("plan_case_managers", SupportPlan.case_managers.through),
    Table("plan_actions", PlanAction),
    Table("follow_ups", FollowUp),
    Table("feedback_discussions", FeedbackDiscussion),
    Table("notifications", Notification),
    Table("access_log", AccessLogEntry),
]
# The extras (extras.py), written in a full run after the tables above and alone in the
# add-on pass (extras_only.py) over clients generated without them.
EXTRA_TABLES = [
    Table("consents", Consent, reserves_ids=True),
    Table("consent_categories", ConsentCategory),
    Table("consent_sectors", ConsentSector),
    Table("consent_recipients", Consent.recipient_organisations.through),
    Table("consent_confirmations", ConsentConfirmation),
    Table("disclosure_bans", DisclosureBan),
    Table("situation_notes", SituationNote),
    Table("meeting_decisions", MeetingDecision, reserves_ids=True),
    Table("decision_case_managers", MeetingDecision.case_managers.through),
]
ALL_TABLES = [*TABLES, *EXTRA_TABLES]
