"""
One client's story, drawn from the seeded random generator along the service path of
DESIGN.md: who noticed the need, case managers, then health_checks.py, team_work.py and
closing.py as far as time has come by today.
"""

import math
from bisect import bisect_left
from datetime import date, timedelta

from consents.models import Action
from teams.models import Role, Sector
from tyokyky.workdays import is_working_day

from .calendar import HISTORY_DAYS
from .closing import draw_access_log, draw_notifications, maybe_close
from .draws import Weights, between, last_name, one_of, weighted
from .health_checks import draw_referrals
from .stories import IDENTITY, CaseManagerStory, ClientStory, Drawing
from .team_work import draw_meeting, maybe_discussion, maybe_meeting, maybe_plan
from .words import FIRST_NAMES, INTERPRETER_LANGUAGES, STREETS
from .world import Area
from .world_plan import ascii_name

# Which service notices the need first (DESIGN.md, step 1), as weights.
ENTRY_SECTORS = Weights({
    Sector.EMPLOYMENT: 50, Sector.SOCIAL: 14, Sector.HEALTH: 12, Sector.TYP: 10,
    Sector.MENTAL_HEALTH: 6, Sector.KELA: 4, Sector.THIRD_SECTOR: 3, Sector.REHABILITATION: 1,
})
# How likely each entering sector refers the client to the unemployed health check.
REFERRAL_SHARE = {
    Sector.EMPLOYMENT: 0.9, Sector.TYP: 0.85, Sector.SOCIAL: 0.7, Sector.MENTAL_HEALTH: 0.6,
    Sector.KELA: 0.6, Sector.THIRD_SECTOR: 0.7, Sector.REHABILITATION: 0.5,
    Sector.HEALTH: 0.8,  # self-referrals: the client came to the health check by themself
}
# Who of each sector's staff may be named case manager.
CASE_MANAGER_ROLE = {
    Sector.HEALTH: Role.COORDINATOR, Sector.SOCIAL: Role.SOCIAL_WORKER,
    Sector.MENTAL_HEALTH: Role.MENTAL_HEALTH_WORKER, Sector.EMPLOYMENT: Role.EMPLOYMENT_EXPERT,
    Sector.KELA: Role.KELA_EXPERT, Sector.TYP: Role.TYP_EXPERT,
    Sector.REHABILITATION: Role.COORDINATOR, Sector.THIRD_SECTOR: Role.EMPLOYMENT_EXPERT,
}
# The minute of the day a client's last change is written at: 16:30.
LAST_UPDATE_MINUTE = 990


class ClientDrawer:
    """Draws client stories one after another, each consistent with the service path.
    `demo_share` of them live in the demo's Kainuu; the first of those fill the demo team's
    meetings of this week and the next."""

    def __init__(self, drawing: Drawing, *, demo_share: float):
        self.drawing = drawing
        self.demo_share = demo_share
        self.demo_meetings_due = _demo_meeting_days(drawing.today)

    def draw(self, hetu: str) -> ClientStory:
        drawing, rng = self.drawing, self.drawing.rng
        demo = rng.random() < self.demo_share
        area = drawing.world.demo_area if demo else self._area()
        municipality = area.municipalities[
            bisect_left(area.cum_weights, rng.random() * area.cum_weights[-1])]
        forced_meeting = self.demo_meetings_due.pop() if demo and self.demo_meetings_due else None
        story = self._newcomer(hetu, area, municipality, self._entry_day(forced_meeting))
        self._second_case_manager(story)
        if rng.random() < REFERRAL_SHARE[story.entry_sector]:
            draw_referrals(drawing, story)
        self._team_work(story, forced_meeting)
        if not forced_meeting:
            maybe_close(drawing, story)
        draw_notifications(drawing, story)
        draw_access_log(drawing, story)
        last = min(story.last_day, drawing.today)
        story.updated_at = max(min(drawing.calendar.at(last, LAST_UPDATE_MINUTE), drawing.now),
                               story.created_at)
        return story

    def _area(self) -> Area:
        world = self.drawing.world
        return world.areas[bisect_left(world.area_cum_weights,
                                       self.drawing.rng.random() * world.area_cum_weights[-1])]

    def _entry_day(self, forced_meeting: date | None) -> date:
        """More clients recently than two years ago: the service has grown. A client for one
        of the demo team's meetings came a month or two ago."""
        drawing, rng = self.drawing, self.drawing.rng
        fraction = rng.random() if rng.random() < 0.5 else 1 - math.sqrt(rng.random())
        days_ago = 1 + int(HISTORY_DAYS * fraction)
        if forced_meeting:
            days_ago = between(rng, 20, 60)
        return drawing.calendar.on_or_before(drawing.today - timedelta(days=days_ago))

    def _newcomer(self, hetu: str, area: Area, municipality: int, entered: date) -> ClientStory:
        """The client as the first service met them: its worker writes the card and becomes
        case manager."""
        drawing, rng = self.drawing, self.drawing.rng
        sector = weighted(rng, ENTRY_SECTORS)
        organisation = area.organisation(rng, sector)
        manager = drawing.world.pick(rng, organisation, CASE_MANAGER_ROLE[sector])
        story = ClientStory(
            hetu=hetu, first_name=one_of(rng, FIRST_NAMES), last_name=last_name(rng),
            area=area, municipality=municipality, entered_on=entered,
            created_at=drawing.moment(entered), organisations={organisation: "visit"},
            case_managers=[CaseManagerStory(manager, organisation, entered)],
            entry_sector=sector,
        )
        _contact_details(rng, story)
        story.happened(entered)
        story.touches.append((story.created_at, manager, Action.CLIENT_PAGE, IDENTITY))
        return story

    def _second_case_manager(self, story: ClientStory) -> None:
        """Some clients get a second case manager from another sector later, like Petri."""
        drawing, rng = self.drawing, self.drawing.rng
        if rng.random() >= 0.15:
            return
        started = drawing.calendar.add(story.entered_on, between(rng, 15, 150))
        if started > drawing.today:
            return
        sector = story.entry_sector
        other = Sector.SOCIAL if sector == Sector.EMPLOYMENT else Sector.EMPLOYMENT
        if rng.random() < 0.4:
            other = Sector.HEALTH if sector != Sector.HEALTH else Sector.TYP
        organisation = story.area.organisation(rng, other)
        user = drawing.world.pick(rng, organisation, CASE_MANAGER_ROLE[other])
        if user == story.case_managers[0].user:
            return
        story.case_managers.append(CaseManagerStory(user, organisation, started))
        story.organisations.setdefault(organisation, "visit")
        story.happened(started)

    def _team_work(self, story: ClientStory, forced_meeting: date | None) -> None:
        if forced_meeting:
            draw_meeting(self.drawing, story, forced_meeting, search_days=3)
        else:
            maybe_meeting(self.drawing, story)
        maybe_plan(self.drawing, story)
        maybe_discussion(self.drawing, story)


def _demo_meeting_days(today: date) -> list[date]:
    """Two a day over the current and the next week, for the demo coordinator's team."""
    monday = today - timedelta(days=today.weekday())
    days = [monday + timedelta(days=n) for n in range(14)]
    return [day for day in days if is_working_day(day)] * 2


def _contact_details(rng, story: ClientStory) -> None:
    roll = rng.random()
    story.language = "fi" if roll < 0.92 else "sv" if roll < 0.98 else "en"
    if rng.random() < 0.04:
        story.interpreter = one_of(rng, INTERPRETER_LANGUAGES)
    if rng.random() < 0.85:
        story.phone = (f"04{between(rng, 0, 6)} {between(rng, 100, 999)} "
                       f"{between(rng, 0, 9999):04d}")
    if rng.random() < 0.3:
        story.email = (f"{ascii_name(story.first_name)}.{ascii_name(story.last_name)}"
                       f"{between(rng, 1, 99)}@asiakas.invalid")
    if rng.random() < 0.9:
        story.address = f"{one_of(rng, STREETS)} {between(rng, 1, 60)}"
        base = story.area.postal_codes[story.municipality]
        story.postal_code = f"{base + 10 * between(rng, 0, 19):05d}"
        story.post_office = story.area.municipality_names[story.municipality]
