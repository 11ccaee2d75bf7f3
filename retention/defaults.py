"""
The default retention periods: one table, a source on every row.

A controller (an organisation) that has set no period of its own for a record type in the
admin (`RetentionPeriod`) gets the first row here matching its sector and the record type,
the most specific first. What the law says depends on whose document it is — a health care
unit's records are patient documents, a social welfare unit's are social welfare client
documents — so the rows are by the controller's sector, with a record type only where the law
names one.

How sure each row is, is said on the row (`statutory`): True where the period was found in a
published summary of the law (the sources named), False where it is a choice made here for want
of a verified source — the controller must confirm those in the admin. The README lists the
uncertainty in words (its "Retention" section).

Periods run from the day the controller's file of the client was closed (`FILE_CLOSED`), from
the client's birth (`BIRTH`) or from their death (`DEATH`). Työkyky does not record deaths, so
a period counted from death never ends here: such records are never proposed for destruction.
"""

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from teams.choices import Sector

from .records import CARD


class CountedFrom(models.TextChoices):
    FILE_CLOSED = "file_closed", _("the day the client's file was closed")
    BIRTH = "birth", _("the client's birth")
    DEATH = "death", _("the client's death (not recorded in Työkyky: never ends)")


@dataclass(frozen=True)
class Period:
    """How long a record type is kept: `years` after `counted_from`; None years: for good."""

    years: int | None
    counted_from: str
    source: str
    statutory: bool = False
    is_default: bool = True

    def due_on(self, *, closed_on: date, birth: date) -> date | None:
        """The first day the records may be destroyed, or None: never. Nothing is destroyed
        before the file is closed, whatever the period is counted from."""
        if self.years is None or self.counted_from == CountedFrom.DEATH:
            return None
        if self.counted_from == CountedFrom.BIRTH:
            return max(closed_on, add_years(birth, self.years))
        return add_years(closed_on, self.years)


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 1 March, never a day early."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


PATIENT_DOCUMENTS = _(
    "Patient documents: 12 years after the patient's death or, when the death is not known, "
    "120 years after birth (Act 703/2023, annex on retention periods, carrying over the annex "
    "of the Ministry of Social Affairs and Health decree on patient documents 94/2022; as "
    "summarised by Minilex, 'Potilasasiakirjojen säilytysajat', and Tietosuoja-lehti 4/2011). "
    "Työkyky does not record deaths, so the birth rule applies."
)

# (sector or None for any, record type or None for any, years, counted from, statutory, source)
DEFAULTS: list[tuple[str | None, str | None, int | None, str, bool, str]] = [
    (Sector.HEALTH, None, 120, CountedFrom.BIRTH, True, PATIENT_DOCUMENTS),
    (Sector.MENTAL_HEALTH, None, 120, CountedFrom.BIRTH, False,
     _("Mental health services are health care: patient documents (see the health row). "
      "Substance-abuse work done as social welfare would be 10 years after the matter was "
      "closed (703/2023 annex, 'päihdehuollon palvelutehtävä'); the longer period is chosen "
      "because the sector holds both. Not verified against the annex text.")),
    (Sector.REHABILITATION, None, 120, CountedFrom.BIRTH, False,
     _("Medical rehabilitation is health care: patient documents (see the health row). "
      "Vocational rehabilitation by Kela or pension providers has rules of its own, not "
      "verified here.")),
    (Sector.SOCIAL, CARD, 2, CountedFrom.DEATH, True,
     _("Social welfare: the client relationship document and the client's basic data, 2 years "
      "after the client's death (Act 703/2023, annex; Kansallisarkisto, 'Sosiaalihuollon "
      "asiakirjojen säilytysaikojen määrittely'). Never proposed in Työkyky, which does not "
      "record deaths.")),
    (Sector.SOCIAL, None, 10, CountedFrom.FILE_CLOSED, True,
     _("Social welfare services for people of working age: 10 years after the matter was "
      "closed (Act 703/2023, annex; Kansallisarkisto's table of the periods in force since "
      "1 January 2024, which also apply to documents written before). The earlier Act "
      "254/2015 had 12 years after the client relationship ended for many documents.")),
    (Sector.EMPLOYMENT, None, 10, CountedFrom.FILE_CLOSED, False,
     _("Employment services' records fall under their own law (Act 380/2023 on organising "
      "employment services; earlier Act 916/2012, chapter 13, on the client information "
      "system), not under 703/2023. No period was verified here: 10 years is a placeholder "
      "the controller must confirm. (One municipality's register description, Nurmijärvi's, "
      "keeps its employment-service client data 5 years after the relationship ends.)")),
    (Sector.TYP, None, 10, CountedFrom.FILE_CLOSED, False,
     _("TYP joint service (Act 1369/2014): each partner keeps its records under its own law. "
      "Not verified: a placeholder the controller must confirm.")),
    (Sector.KELA, None, 10, CountedFrom.FILE_CLOSED, False,
     _("Kela's records follow Kela's own archive formation plan. Not verified: a placeholder "
      "the controller must confirm.")),
    (Sector.THIRD_SECTOR, None, 10, CountedFrom.FILE_CLOSED, False,
     _("A third-sector organisation sets its own periods (GDPR art. 5(1)(e)); producing "
      "services for a wellbeing services county, it follows the county's. A placeholder the "
      "controller must confirm.")),
    (None, None, 12, CountedFrom.FILE_CLOSED, False,
     _("Any other controller: 12 years after the file was closed, the longest file-based "
      "period above. A placeholder the controller must confirm.")),
]

# Records of people born on these days of a month are kept for good: the archive authority's
# birth-date samples, kept for research. Health care: Arkistolaitos decision of 16 February 2009
# (AL/14372/07.01.01.03.01/2008), the 18th and 28th; social welfare: Kansallisarkisto's
# decision of 1 December 2014 (AL/20064/07.01.01.03.01/2014), the 8th, 18th and 28th
# (Tietosuoja-lehti 4/2011 describes both). Which social welfare service tasks the 2014
# decision covers was not verified: the sample is applied to all of them, which keeps more
# rather than less. Not overridable in the admin: an archive decision binds the controller.
PERMANENT_BIRTH_DAYS: dict[str, frozenset[int]] = {
    Sector.HEALTH: frozenset({18, 28}),
    Sector.MENTAL_HEALTH: frozenset({18, 28}),
    Sector.REHABILITATION: frozenset({18, 28}),
    Sector.SOCIAL: frozenset({8, 18, 28}),
}

# A controller that rejects a proposal (the records are still needed) is asked again after
# this many years: patient documents kept past their period for a need must be re-assessed at
# least every five years (decree 94/2022 on patient documents, as summarised by Minilex). The
# same interval is used for every sector.
REVIEW_AFTER_REJECTION_YEARS = 5

# The access and disclosure logs are not destroyed with the records: the law keeps them, and
# the app's database role cannot delete them anyway (consents/management/commands/
# grant_app_role.py). Their own period, 12 years from the entry (as commonly cited for the
# social and health care access logs; not verified here), needs a job run by the tables' owner.
LOG_RETENTION_YEARS = 12


def default_period(sector: str, record_type: str) -> Period:
    """The default of the first matching row, the most specific first."""
    def matches(row):
        row_sector, row_type = row[0], row[1]
        return row_sector in (sector, None) and row_type in (record_type, None)

    def specificity(row):
        return (row[0] is not None) * 2 + (row[1] is not None)

    row = max((row for row in DEFAULTS if matches(row)), key=specificity)
    _sector, _type, years, counted_from, statutory, source = row
    return Period(years=years, counted_from=counted_from, source=source, statutory=statutory)


def kept_for_good(sector: str, birth: date) -> bool:
    """Is the client in the archive authority's birth-date sample of this sector's records?"""
    return birth.day in PERMANENT_BIRTH_DAYS.get(sector, frozenset())
