"""
Team meetings and the calendar, for coordinators first (service path step 5).

A meeting is client data: it is loaded through consents.policy like every record — the client
first (404 for outsiders), then the meeting among what the user may see; its participants see
its time and place, and its content as far as consents allow (Meeting.FIELD_CATEGORIES).
Booking, moving, cancelling and recording decisions belong to the team's coordinators of the
organisation that booked it. Calendars show others' meetings only as busy times.
"""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from icalendar import Calendar

from clients.models import CaseManagerAssignment, ContactKind, SituationNote, SupportContact
from clients.timeline import events_for
from consents.audit import log_shown, render_rows, render_shown
from consents.models import Action
from consents.policy import (
    client_for,
    clients_banned_for,
    get_record_for_user,
    organisation_of,
)
from referrals.models import HealthCheck
from teams.models import Membership, Role, Team, User
from tyokyky.forms import BoundedDateTimeField
from tyokyky.pdf import pdf_response
from tyokyky.views import report_rule_broken

from . import calendar as cal
from . import intake, services
from .forms import (
    AttendanceForm,
    BookingForm,
    CalendarForm,
    DecisionForm,
    ExternalFormSet,
    MeetingRequestForm,
    MeetingTimeForm,
    WeekChoiceForm,
)
from .invitations import calendar_event, meeting_title
from .models import (
    Answer,
    CalendarFeed,
    Meeting,
    MeetingParticipant,
    MeetingRequest,
    MeetingStatus,
    ParticipantKind,
    Room,
)
from .summary import build_doctor_summary, log_sent_to_doctor
from .work import queue_rows

# --- Loading, with the policy -------------------------------------------------------------------


def _meeting_for_user(request, pk) -> Meeting:
    """The meeting, if the user may see it; 404 otherwise, whether or not it exists.
    `meeting.shown` is its client as the user may see them."""
    return get_record_for_user(request.user, Meeting.objects.select_related(
        "team", "room", "organisation", "created_by"), pk)


def _my_teams(user):
    return Team.objects.filter(is_active=True, members__user=user).distinct()


def _is_organiser(request, meeting) -> bool:
    """The team's coordinators (and whoever booked it) run the meeting — of the organisation
    that booked it: only the writing organisation edits its records."""
    organiser = meeting.created_by_id == request.user.pk or _my_teams(request.user).filter(
        pk=meeting.team_id
    ).exists()
    return organiser and request.user.has_perm("meetings.book_meeting") and (
        meeting.shown.may_edit(meeting)) and meeting.shown.access.may_know_of_others


def _as_organiser(request, meeting):
    if not _is_organiser(request, meeting):
        raise PermissionDenied


def _case_managers(client):
    """The client's current case managers the user may know of."""
    return client.known(CaseManagerAssignment.objects.current().filter(client=client.instance))


def _people_for(client, teams, also=()):
    """Who can be invited: the teams' members, and the client's case managers and own nurse as
    far as the user may know of them (and `also`: the nurse of the client's last check)."""
    own_nurse = client.instance.own_nurse_id if client.sees_card else None
    return (
        User.objects.filter(
            Q(team_memberships__team__in=teams)
            | Q(pk__in=_case_managers(client).values("user_id"))
            | Q(pk=own_nurse or 0) | Q(pk__in=list(also)),
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


def _rooms_for(teams):
    return Room.objects.filter(is_active=True, municipality__teams__in=teams).distinct()


# --- Booking ------------------------------------------------------------------------------------


def _week_overview(people, room, day: date, duration: int):
    """Everyone chosen and the room: their meetings in the week of `day`, and free slots."""
    days = cal.week_of(day)
    start, end = cal.day_bounds(days[0], days[-1])
    overlapping = Q(starts_at__lt=end, ends_at__gt=start)
    participations = list(
        MeetingParticipant.objects.filter(overlapping, user__in=people, blocks_calendar=True)
        .select_related("user").order_by("starts_at")
    )
    room_meetings = list(
        Meeting.objects.filter(overlapping, room=room).exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at")
    ) if room else []
    rows = [
        {"name": str(person), "days": [
            [p for p in participations if p.user_id == person.pk
             and timezone.localtime(p.starts_at).date() == d] for d in days
        ]}
        for person in people
    ]
    if room:
        rows.append({"name": str(room), "days": [
            [m for m in room_meetings if timezone.localtime(m.starts_at).date() == d]
            for d in days
        ]})
    busy = [(p.starts_at, p.ends_at) for p in participations] + [
        (m.starts_at, m.ends_at) for m in room_meetings
    ]
    slots = cal.free_slots(days=days, duration=timedelta(minutes=duration), busy=busy)
    return {"days": days, "rows": rows, "slots": slots,
            "previous_week": days[0] - timedelta(days=7), "next_week": days[0] + timedelta(days=7)}


@permission_required("meetings.book_meeting", raise_exception=True)
@require_http_methods(["GET", "POST"])
def book(request, client_pk):
    """
    The booking page: choose the time and the people, see their week and the free slots,
    book. Without JavaScript a chosen free slot fills the time and shows the page again.
    """
    client = client_for(request.user, client_pk)
    teams = _my_teams(request.user)
    # A meeting puts its participants on the client's team: booked only by a coordinator who
    # sees the client's card (and no ban), never on a card of one's own organisation.
    if not teams or not client.access.may_know_of_others:
        raise PermissionDenied
    meeting_request = _request_to_book(request, client)
    nurse = _nurse_of_last_check(client)
    people = _people_for(client, teams, also=[nurse] if nurse else [])
    booking = request.method == "POST" and request.POST.get("action") == "book"
    form, externals, choice = _booking_forms(request, client, teams, people, bound=booking,
                                             prefill=_prefill(meeting_request, nurse))
    contacts = _support_network(client, form)
    if booking and form.is_valid() and externals.is_valid():
        starts_at, ends_at = form.period
        values = form.cleaned_data
        try:
            meeting = services.book_meeting(
                client=client.instance, team=values["team"], by=request.user,
                organisation=organisation_of(request.user),
                starts_at=starts_at, ends_at=ends_at, mode=values["mode"], room=values["room"],
                video_link=values["video_link"], phone_details=values["phone_details"],
                agenda=values["agenda"], users=list(values["participants"]),
                externals=_with_contacts([row for row in externals.cleaned_data
                                          if row.get("name")], values["support_contacts"]),
                needs_support=values["needs_support"], wants_to_work=values["wants_to_work"],
                not_solved_by_basic_services=values["not_solved_by_basic_services"],
                client_motivated=values["client_motivated"],
                interpreter_booked=values["interpreter_booked"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Meeting booked. The invitations are on their way."))
            return redirect("meetings:detail", pk=meeting.pk)
    chosen = choice["participants"]
    return render_shown(request, "meetings/book.html", {
        "form": form, "externals": externals, "support_contacts": contacts,
        "meeting_request": meeting_request,
        "overview": _week_overview(chosen, choice["room"], choice["date"], choice["duration"]),
        "without_consent": services.organisations_without_consent(client.instance, chosen),
    }, client=client, action=Action.MEETING_FORM)


def _support_network(client, form) -> list:
    """The client's support network as the user may see it (consents.shown: social
    information, the access log records it), offered to the form to invite."""
    contacts = client.records(SupportContact.objects.order_by("name", "pk"))
    form.fields["support_contacts"].queryset = SupportContact.objects.filter(
        pk__in=[contact.pk for contact in contacts]).order_by("name", "pk")
    return contacts


def _with_contacts(externals: list[dict], contacts) -> list[dict]:
    """The people typed in, and the support network's people ticked, as external participants
    (name, organisation, role, e-mail) — each address once."""
    emails = {row.get("email") for row in externals if row.get("email")}
    for contact in contacts:
        if contact.email and contact.email in emails:
            continue
        emails.add(contact.email)
        externals.append({"name": contact.name, "organisation_name": contact.organisation_name,
                          "role": contact.role_text, "email": contact.email,
                          "kind": _participant_kind(contact)})
    return externals


def _participant_kind(contact) -> str:
    """A close person or support person of the network comes as the client's support person;
    a professional (occupational therapist, employer, third sector) as another outsider."""
    supporting = {ContactKind.SUPPORT_PERSON, ContactKind.RELATIVE}
    return (ParticipantKind.SUPPORT_PERSON if contact.kind in supporting
            else ParticipantKind.EXTERNAL)


def _booking_forms(request, client, teams, people, *, bound, prefill=None):
    """
    The booking form and the outsiders' formset. Only pressing "book" validates them; showing
    the week or choosing a free slot keeps what was typed as the form's initial values, so no
    error messages appear before the person has tried to book.
    """
    post = request.POST
    if request.method == "POST":
        values = {**post.dict(), "participants": post.getlist("participants"),
                  "support_contacts": post.getlist("support_contacts")}
        slot = _slot(post)
        if slot is not None:
            slot = timezone.localtime(slot)
            values["date"], values["start"] = slot.date().isoformat(), slot.strftime("%H:%M")
    else:
        values = {
            "date": request.GET.get("week") or timezone.localdate().isoformat(),
            "participants": [str(pk) for pk in _case_managers(client)
                             .values_list("user_id", flat=True)],
        }
        prefill = dict(prefill or {})
        values["participants"] += [pk for pk in prefill.pop("participants", [])
                                   if pk not in values["participants"]]
        values.update(prefill)
    arguments = {"teams": teams, "people": people, "rooms": _rooms_for(teams)}
    if bound:
        form = BookingForm(post, **arguments)
        externals = ExternalFormSet(post, prefix="externals")
    else:
        form = BookingForm(initial=values, **arguments)
        externals = ExternalFormSet(prefix="externals", initial=_external_rows(post))
    # Whose week to show and for how long a meeting: from what the form holds now.
    choice = WeekChoiceForm(values, people=people, rooms=arguments["rooms"]).choice()
    return form, externals, choice


def _request_to_book(request, client):
    """The request in the user's intake queue that the booking answers (`request` in the
    address or the form), if it is theirs to book; anything else books without one."""
    try:
        pk = int(request.POST.get("request") or request.GET.get("request") or 0)
    except ValueError:
        return None
    if not 0 < pk < 2**63:
        return None
    return client.first(intake.intake_queue(request.user).filter(pk=pk, client=client.instance))


def _nurse_of_last_check(client):
    """The nurse who did the client's last health check the user may see: offered, and invited
    at first (issue 16). Only the person, not the check's content, reaches the page."""
    return client.visible(HealthCheck.objects.all()).values_list("nurse_id", flat=True).first()


def _prefill(meeting_request, nurse) -> dict:
    """The booking form's first values from the request: its team, criteria and reason."""
    values = {"participants": [str(nurse)] if nurse else []}
    if meeting_request is not None:
        values.update(team=meeting_request.team_id, agenda=meeting_request.reason,
                      **meeting_request.criteria())
    return values


def _slot(post):
    """The free time chosen on the page (its button's value), if it reads as one."""
    try:
        return BoundedDateTimeField(required=False).clean(post.get("slot"))
    except ValidationError:
        return None


def _external_rows(post) -> list[dict]:
    """The outsiders typed so far, to show again: as many rows as the formset takes, however
    many the management form claims."""
    rows = []
    for form in ExternalFormSet(post, prefix="externals").forms:
        row = {name: form[name].value() or "" for name in form.fields}
        if any(row.values()):
            rows.append(row)
    return rows


# --- The meeting --------------------------------------------------------------------------------


@require_GET
def detail(request, pk):
    """The meeting, and for preparation the client's situation as far as the policy allows."""
    meeting = _meeting_for_user(request, pk)
    client = meeting.shown
    # On the meeting itself, so that whether the client came is read from these rows.
    prefetch_related_objects([meeting], Prefetch(
        "participants", queryset=MeetingParticipant.objects.select_related("user")
        .prefetch_related(Prefetch(
            "user__memberships", to_attr="care_memberships",
            queryset=Membership.objects.active().care().select_related("organisation")))))
    participants = list(meeting.participants.all())
    me = next((p for p in participants if p.user_id == request.user.pk), None)
    organiser = _is_organiser(request, meeting)
    return render_shown(request, "meetings/meeting_detail.html", {
        "meeting": client.fields(meeting),
        "decision": client.fields(getattr(meeting, "decision", None),
                                  source_id=meeting.organisation_id),
        # Each row's attendance shows as the meeting's content does (consents.shown).
        "participants": [client.fields(p, source_id=meeting.organisation_id)
                         for p in participants], "me": me, "organiser": organiser,
        "decisions_open": meeting.decisions_open(),
        "attendance_open": meeting.attendance_open(),
        "interpreter_missing": _interpreter_missing(client, meeting),
        "notes": client.records(SituationNote.objects.select_related("organisation",
                                                                     "created_by")),
        "timeline": events_for(client),
        # Which organisations lack a consent is for the organiser, not every participant.
        "without_consent": services.organisations_without_consent(
            client.instance, [p.user for p in participants if p.user_id]
        ) if organiser else [],
    }, client=client, action=Action.MEETING)


def _interpreter_missing(client, meeting) -> bool:
    """The client's card, as the user may see it, asks for an interpreter and the meeting has
    none booked: "Tulkki puuttuu". Without the card the page says nothing of it."""
    return bool(client.interpreter_language) and not meeting.interpreter_booked


@require_POST
def answer(request, pk):
    meeting = _meeting_for_user(request, pk)
    choice = request.POST.get("answer")
    if choice not in (Answer.ACCEPTED, Answer.DECLINED):
        messages.error(request, _("Choose whether you will attend."))
        return redirect("meetings:detail", pk=meeting.pk)
    try:
        services.answer_invitation(meeting=meeting, user=request.user, answer=choice)
    except ValidationError as error:
        report_rule_broken(request, error)
    else:
        messages.success(request, _("Your answer was saved."))
    return redirect("meetings:detail", pk=meeting.pk)


@require_http_methods(["GET", "POST"])
def reschedule(request, pk):
    meeting = _meeting_for_user(request, pk)
    _as_organiser(request, meeting)
    meeting.shown.for_editing(meeting)
    local = timezone.localtime(meeting.starts_at)
    initial = {"date": local.date(), "start": local.time(), "mode": meeting.mode,
               "duration": int((meeting.ends_at - meeting.starts_at).total_seconds() // 60),
               "room": meeting.room, "video_link": meeting.video_link,
               "phone_details": meeting.phone_details,
               "interpreter_booked": meeting.interpreter_booked}
    form = MeetingTimeForm(request.POST or None, initial=initial,
                           rooms=_rooms_for(Team.objects.filter(pk=meeting.team_id)))
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.period
        try:
            services.reschedule_meeting(
                meeting=meeting, by=request.user, starts_at=starts_at, ends_at=ends_at,
                mode=form.cleaned_data["mode"], room=form.cleaned_data["room"],
                video_link=form.cleaned_data["video_link"],
                phone_details=form.cleaned_data["phone_details"],
                interpreter_booked=form.cleaned_data["interpreter_booked"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Meeting moved. The participants are told."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render_shown(request, "meetings/reschedule.html", {"form": form, "meeting": meeting},
                        client=meeting.shown, action=Action.MEETING)


@require_http_methods(["GET", "POST"])
def cancel(request, pk):
    """Cancelling asks first; the participants get a cancellation for their calendars."""
    meeting = _meeting_for_user(request, pk)
    _as_organiser(request, meeting)
    if request.method == "POST":
        try:
            services.cancel_meeting(meeting=meeting, by=request.user)
        except ValidationError as error:
            report_rule_broken(request, error)
        else:
            messages.success(request, _("Meeting cancelled. The participants are told."))
        return redirect("meetings:detail", pk=meeting.pk)
    return render_shown(request, "meetings/cancel.html", {"meeting": meeting},
                        client=meeting.shown, action=Action.MEETING)


def _doctors(meeting):
    """The doctors the decisions may name. Naming one puts them on the client's team
    (meetings/doctor.py), so the choice is no wider than whom the meeting could invite: the
    team's members, the meeting's participants, the doctors of the meeting's organisation —
    and the one named already."""
    named = getattr(getattr(meeting, "decision", None), "doctor_id", None)
    return User.objects.filter(
        Q(team_memberships__team_id=meeting.team_id)
        | Q(meeting_participations__meeting=meeting)
        | Q(memberships__organisation_id=meeting.organisation_id) | Q(pk=named or 0),
        is_active=True,
    ).filter(memberships__role=Role.DOCTOR, memberships__is_active=True).distinct().order_by(
        "last_name", "first_name")


@require_http_methods(["GET", "POST"])
def decisions(request, pk):
    """The minutes and decisions; the named case managers become the client's."""
    meeting = _meeting_for_user(request, pk)
    _as_organiser(request, meeting)
    if not meeting.decisions_open():
        # Not before the meeting has begun: the page says when instead of the form, and a
        # POST saves nothing.
        return render_shown(request, "meetings/decisions.html", {
            "meeting": meeting, "not_yet": _decisions_not_yet(meeting),
        }, client=meeting.shown, action=Action.MEETING_DECISIONS)
    decision = getattr(meeting, "decision", None)
    people = _people_for(meeting.shown, Team.objects.filter(pk=meeting.team_id))
    form = DecisionForm(request.POST or None, instance=decision, people=people,
                        doctors=_doctors(meeting), initial={"minutes": meeting.minutes})
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            services.record_decisions(
                meeting=meeting, by=request.user, minutes=values.pop("minutes"),
                case_managers=list(values.pop("case_managers")), **values,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Decisions saved. The client's case managers are "
                                        "updated."))
            return redirect("meetings:detail", pk=meeting.pk)
    if decision is not None:  # the form shows all of it, to the organisation that wrote it
        meeting.shown.for_editing(decision, source_id=meeting.organisation_id)
    return render_shown(request, "meetings/decisions.html", {"form": form, "meeting": meeting},
                        client=meeting.shown, action=Action.MEETING_DECISIONS)


@require_http_methods(["GET", "POST"])
def attendance(request, pk):
    """
    Who came, recorded by those who record the decisions, from the meeting's start. If the
    client did not arrive (ei saapunut) the meeting page prompts to book a new meeting.
    """
    meeting = _meeting_for_user(request, pk)
    _as_organiser(request, meeting)
    if not meeting.attendance_open():
        # Not before the meeting has begun, nor for a cancelled one: the page says why, and a
        # POST saves nothing.
        return render_shown(request, "meetings/attendance.html", {
            "meeting": meeting, "not_yet": _attendance_not_yet(meeting),
        }, client=meeting.shown, action=Action.MEETING)
    meeting.shown.for_editing(meeting)  # the form shows whether the client came
    participants = list(meeting.participants.select_related("user"))
    form = AttendanceForm(request.POST or None, participants=participants,
                          names={p.pk: _attendance_label(meeting.shown, p)
                                 for p in participants})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_attendance(meeting=meeting, by=request.user,
                                       attendance=form.attendance)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Attendance saved."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render_shown(request, "meetings/attendance.html", {"form": form, "meeting": meeting},
                        client=meeting.shown, action=Action.MEETING)


def _attendance_label(client, participant) -> str:
    if participant.is_client:
        return _("%(name)s (the client)") % {"name": client.name}
    if participant.role:
        return f"{participant.display_name}, {participant.role}"
    return participant.display_name


def _attendance_not_yet(meeting) -> str:
    if meeting.is_cancelled:
        return _("The meeting was cancelled: there is no attendance to record.")
    return _("Attendance can be recorded from the start of the meeting, %(date)s at "
             "%(time)s.") % _start_of(meeting)


def _decisions_not_yet(meeting) -> str:
    return _("The minutes and decisions can be recorded from the start of the meeting, "
             "%(date)s at %(time)s.") % _start_of(meeting)


def _start_of(meeting) -> dict:
    """The meeting's start as the pages say it, in Finnish time: d.m.yyyy and HH.MM."""
    starts_at = timezone.localtime(meeting.starts_at)
    return {"date": f"{starts_at.day}.{starts_at.month}.{starts_at.year}",
            "time": starts_at.strftime("%H.%M")}


# --- The doctor's summary -----------------------------------------------------------------------


@require_GET
def doctor_summary_pdf(request, pk):
    """One click from the meeting: the summary for the doctor (meetings/summary.py)."""
    meeting = _meeting_for_user(request, pk)
    summary = build_doctor_summary(request, meeting)
    log_shown(request, summary.document, Action.DOCTOR_SUMMARY_PDF)
    log_sent_to_doctor(request, summary.document)
    return pdf_response(summary.pdf, f"yhteenveto-laakarille-{meeting.pk}.pdf")


# --- The calendar -------------------------------------------------------------------------------


def _calendar_meetings(user, scope, start, end):
    meetings = Meeting.objects.filter(starts_at__lt=end, ends_at__gt=start).exclude(
        status=MeetingStatus.CANCELLED
    )
    if scope == "team":
        meetings = meetings.filter(team__in=_my_teams(user))
    else:
        meetings = meetings.filter(participants__user=user)
    return list(meetings.distinct().select_related("room").order_by("starts_at"))


@permission_required("meetings.view_meeting", raise_exception=True)
@require_GET
def calendar_view(request):
    """Week and month views of my meetings or my teams', keyboard-navigable links."""
    choice = CalendarForm(request.GET).choice()
    view, scope, day = choice["view"], choice["scope"], choice["day"]
    weeks = cal.month_weeks(day) if view == "month" else [cal.week_of(day)]
    start, end = cal.day_bounds(weeks[0][0], weeks[-1][-1])
    meetings = cal.as_seen_by(request.user, _calendar_meetings(request.user, scope, start, end))
    by_day = {}
    for meeting in meetings:
        by_day.setdefault(timezone.localtime(meeting.starts_at).date(), []).append(meeting)
    step = timedelta(days=7) if view == "week" else None
    previous = day - step if step else (weeks[0][0] - timedelta(days=1))
    following = day + step if step else (weeks[-1][-1] + timedelta(days=1))
    return render_rows(request, "meetings/calendar.html", {
        "view": view, "scope": scope, "day": day, "today": timezone.localdate(),
        "weeks": [[{"date": d, "meetings": by_day.get(d, []), "in_month": d.month == day.month}
                   for d in week] for week in weeks],
        "previous": previous, "following": following,
    }, rows=[m.shown_client for m in meetings if m.shown_client], action=Action.CALENDAR)


@permission_required("meetings.view_meeting", raise_exception=True)
@require_http_methods(["GET", "POST"])
def feed_settings(request):
    """The user's private calendar address; a new one makes the old one stop working."""
    feed, _created = CalendarFeed.objects.get_or_create(user=request.user)
    if request.method == "POST":
        feed.renew()
        messages.success(request, _("New calendar address made. The old one no longer works."))
        return redirect("meetings:feed_settings")
    url = request.build_absolute_uri(reverse("meetings:feed", args=[feed.token]))
    return render(request, "meetings/feed_settings.html", {"feed_url": url})


@login_not_required
@require_GET
def feed(request, token):
    """
    The ICS feed for a calendar app. The token is the key, so the feed says nothing about the
    client: meetings are named by number only.
    """
    user_feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    if not user_feed.user.is_active:
        raise Http404
    since = timezone.now() - timedelta(days=30)
    meetings = Meeting.objects.filter(participants__user=user_feed.user, ends_at__gte=since)
    meetings = meetings.exclude(client__in=clients_banned_for(user_feed.user))
    meetings = meetings.select_related("room").distinct()
    calendar = Calendar()
    calendar.add("prodid", "-//Työkyky//Team meetings//FI")
    calendar.add("version", "2.0")
    with translation.override(user_feed.user.language):
        for meeting in meetings:
            method = "CANCEL" if meeting.status == MeetingStatus.CANCELLED else "REQUEST"
            calendar.add_component(calendar_event(meeting, meeting_title(meeting),
                                                  method=method))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


# --- Requests for a team meeting and the intake queue -------------------------------------------


@require_http_methods(["GET", "POST"])
def request_meeting(request, client_pk):
    """Ask the client's team for a meeting, with the reason and the entry criteria: it goes to
    the coordinator's intake queue (meetings/intake.py)."""
    client = client_for(request.user, client_pk)
    if not intake.may_request(request.user, client):
        raise PermissionDenied
    teams = intake.teams_for(client)
    form = MeetingRequestForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            intake.request_meeting(
                client=client.instance, by=request.user,
                organisation=organisation_of(request.user), team=values["team"],
                reason=values["reason"], urgency=values["urgency"], **form.criteria(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Request sent. The team's coordinator books the "
                                        "meeting."))
            return redirect("clients:detail", pk=client.pk)
    return render_shown(request, "meetings/request_form.html", {"form": form, "teams": teams},
                        client=client, action=Action.MEETING_FORM)


@require_http_methods(["GET", "POST"])
def request_withdraw(request, pk):
    """The requesting organisation takes its request back, after a confirmation."""
    meeting_request = get_record_for_user(
        request.user, MeetingRequest.objects.select_related("team", "organisation"), pk)
    if not meeting_request.shown.may_edit(meeting_request):
        raise PermissionDenied
    client = meeting_request.shown
    if request.method == "POST":
        try:
            intake.withdraw_request(meeting_request=meeting_request, by=request.user)
        except ValidationError as error:
            report_rule_broken(request, error)
        else:
            messages.success(request, _("Request withdrawn."))
        return redirect("clients:detail", pk=client.pk)
    return render_shown(request, "meetings/request_withdraw.html",
                        {"meeting_request": meeting_request}, client=client,
                        action=Action.MEETING_FORM)


@permission_required("meetings.book_meeting", raise_exception=True)
@require_GET
def intake_queue(request):
    """The coordinator's whole intake queue, oldest first, a page at a time."""
    page = Paginator(intake.intake_queue(request.user), 25).get_page(request.GET.get("page"))
    rows = queue_rows(request.user, page.object_list)
    return render_rows(request, "meetings/intake.html", {"page": page, "rows": rows},
                       rows=[row.shown_client for row in rows if row.shown_client],
                       action=Action.MY_WORK)
