"""
Demo data: the Kainuu municipalities, an organisation per sector, one user per role and the six
workshop clients of DESIGN.md. Safe to run again: it only adds what is missing.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.client_data import add_support_contact, save_employment_situation
from cases.services import add_client, serve
from clients.hetu import check_character
from clients.models import Client, RelationshipBasis
from consents.models import AccessLogEntry, Action, Consent
from consents.services import add_to_team, confirm_consent, record_consent
from demo.no_shows import maris_missed_health_check, maris_missed_meeting
from demo.stories import (
    jaakkos_earlier_round,
    nadinas_meeting_with_an_interpreter,
    petris_coordinator_leaves,
    saaras_plan,
)
from meetings.intake import answer_requests, request_meeting
from meetings.models import Meeting, MeetingParticipant, Room
from meetings.services import record_decisions
from oversight import flags
from referrals.services import record_health_check, send_referral
from teams.models import (
    Membership,
    Municipality,
    Organisation,
    OrganisationSignOn,
    Role,
    Sector,
    SignOnDomain,
    Team,
    TeamMember,
    TeamMemberKind,
    User,
)

DEVELOPMENT_PASSWORD = "tyokyky-demo"  # noqa: S105 (printed for development only)
# RFC 6238's test key, "12345678901234567890": the demo users' authenticator in development.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"
DEMO_TOTP_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
# Health care's single sign-on in development, at the local OIDC provider (teams/sso.py).
DEMO_SSO_CLIENT_ID = "tyokyky-staff-health"
DEMO_SSO_DOMAIN = "tyokyky.invalid"

MUNICIPALITIES = [
    ("Kajaani", "205"), ("Kuhmo", "290"), ("Sotkamo", "765"), ("Suomussalmi", "777"),
    ("Hyrynsalmi", "105"), ("Puolanka", "620"), ("Ristijärvi", "697"), ("Paltamo", "578"),
]

HEALTH = "Kainuun hyvinvointialue, terveyspalvelut"
SOCIAL = "Kainuun hyvinvointialue, aikuissosiaalityö"
MENTAL = "Kainuun hyvinvointialue, mielenterveys- ja päihdepalvelut"
EMPLOYMENT = "Kainuun työllisyysalue"
KELA = "Kela, Kainuun palvelut"
TYP = "TYP Kainuu"
REHABILITATION = "Kuntoutuskeskus Kainuu"
THIRD_SECTOR = "Työpaja Kainuu ry"

ORGANISATIONS = [
    (HEALTH, Sector.HEALTH), (SOCIAL, Sector.SOCIAL), (MENTAL, Sector.MENTAL_HEALTH),
    (EMPLOYMENT, Sector.EMPLOYMENT), (KELA, Sector.KELA), (TYP, Sector.TYP),
    (REHABILITATION, Sector.REHABILITATION), (THIRD_SECTOR, Sector.THIRD_SECTOR),
]

# username: first name, last name, role, organisation
USERS = {
    "coordinator": ("Katja", "Heikkinen", Role.COORDINATOR, HEALTH),
    "nurse": ("Nina", "Korhonen", Role.NURSE, HEALTH),
    "doctor": ("Lauri", "Kemppainen", Role.DOCTOR, HEALTH),
    "te_expert": ("Tuomas", "Huttunen", Role.EMPLOYMENT_EXPERT, EMPLOYMENT),
    "kela_expert": ("Kirsi", "Pulkkinen", Role.KELA_EXPERT, KELA),
    "typ_expert": ("Ville", "Karppinen", Role.TYP_EXPERT, TYP),
    "social_worker": ("Sanna", "Väisänen", Role.SOCIAL_WORKER, SOCIAL),
    "admin": ("Aino", "Mäkelä", Role.ADMIN, HEALTH),
    "manager": ("Marjatta", "Rytkönen", Role.MANAGER, HEALTH),
    "tietosuoja": ("Helena", "Partanen", Role.DATA_PROTECTION_OFFICER, HEALTH),
}


TEAM = {
    "coordinator": TeamMemberKind.COORDINATOR,
    "nurse": TeamMemberKind.STANDING,
    "te_expert": TeamMemberKind.STANDING,
    "doctor": TeamMemberKind.STANDING,
    "kela_expert": TeamMemberKind.EXPERT,
    "typ_expert": TeamMemberKind.EXPERT,
    "social_worker": TeamMemberKind.EXPERT,
}

ROOMS = [
    ("Neuvotteluhuone Kaukametsä", "Kajaani", "Kauppakatu 1, Kajaani"),
    ("Sotkamon terveysaseman kokoushuone", "Sotkamo", "Kainuuntie 2, Sotkamo"),
]


def demo_hetu(ddmmyy: str, sign: str, individual: str) -> str:
    """A valid code in the temporary range 900–999, which no permanent code uses."""
    return f"{ddmmyy}{sign}{individual}{check_character(ddmmyy, individual)}"


# The six workshop cases (DESIGN.md, "Demo clients"); ages as of 2026.
CLIENTS = [
    {
        "first_name": "Saara", "last_name": "Kinnunen", "hetu": demo_hetu("140303", "A", "902"),
        "municipality": "Kajaani", "organisations": [EMPLOYMENT], "case_managers": ["te_expert"],
    },
    {
        "first_name": "Petri", "last_name": "Moilanen", "hetu": demo_hetu("020673", "-", "913"),
        "municipality": "Sotkamo", "organisations": [EMPLOYMENT, HEALTH],
        "case_managers": ["coordinator", "te_expert"],
    },
    {
        "first_name": "Mari", "last_name": "Komulainen", "hetu": demo_hetu("250906", "A", "924"),
        "municipality": "Kajaani", "organisations": [SOCIAL], "case_managers": ["social_worker"],
    },
    {
        "first_name": "Jaakko", "last_name": "Tervo", "hetu": demo_hetu("110381", "Y", "935"),
        "municipality": "Kuhmo", "organisations": [TYP], "case_managers": ["typ_expert"],
    },
    {
        "first_name": "Tiina", "last_name": "Leinonen", "hetu": demo_hetu("300471", "-", "946"),
        "municipality": "Suomussalmi", "organisations": [EMPLOYMENT, HEALTH],
        "case_managers": ["te_expert"], "own_nurse": "nurse",
    },
    {
        "first_name": "Nadina", "last_name": "Haddad", "hetu": demo_hetu("070891", "-", "957"),
        "municipality": "Kajaani", "organisations": [EMPLOYMENT, HEALTH],
        "case_managers": ["te_expert", "coordinator"], "interpreter_language": "arabia",
    },
]


# The employment situation and the support network of each workshop client (issue 16): who
# records it, the jobseeker status and for how many days, the income, the employment plan.
DEMO_WRITERS = {"te_expert": EMPLOYMENT, "social_worker": SOCIAL, "typ_expert": TYP}
DEMO_CLIENT_DATA = [
    ("Saara", "te_expert", "unemployed", 200, "labour_market_subsidy", True, [
        {"name": "Anne Kinnunen", "kind": "relative", "phone": "040 111 2233",
         "note": "Saaran äiti, auttaa asioinnissa"},
        {"name": "Jukka Heikkinen", "kind": "third_sector", "organisation_name": THIRD_SECTOR,
         "phone": "044 222 3344", "email": "jukka.heikkinen@tyopaja.invalid",
         "note": "Työvalmentaja, tuettu työllistyminen"},
    ]),
    ("Petri", "te_expert", "unemployed", 120, "labour_market_subsidy", True, [
        {"name": "Sari Moilanen", "kind": "relative", "phone": "040 333 4455",
         "note": "Puoliso; auttaa lomakkeiden kanssa"},
        {"name": "Laura Kemppainen", "kind": "occupational_therapist",
         "organisation_name": "Kainuun hyvinvointialue", "email":
         "laura.kemppainen@hyvinvointialue.invalid", "note": "Alanvaihdon arvio"},
    ]),
    ("Mari", "social_worker", "not_registered", 60, "social_assistance", False, [
        {"name": "Outi Pulkkinen", "kind": "support_person",
         "organisation_name": "Kajaanin etsivä nuorisotyö", "phone": "044 555 6677",
         "email": "outi.pulkkinen@nuorisotyo.invalid",
         "note": "Marin tukihenkilö; tapaa viikoittain, tulee mukaan tapaamisiin"},
    ]),
    ("Jaakko", "typ_expert", "unemployed", 900, "labour_market_subsidy", True, [
        {"name": "Veli Tervo", "kind": "relative", "phone": "050 777 8899",
         "note": "Jaakon veli"},
    ]),
    ("Tiina", "te_expert", "unemployed", 150, "unemployment_benefit", True, []),
    ("Nadina", "te_expert", "unemployed", 400, "labour_market_subsidy", True, [
        {"name": "Samir Haddad", "kind": "relative", "phone": "046 888 9900",
         "note": "Puoliso; puhuu suomea"},
        {"name": "Leena Karppinen", "kind": "third_sector",
         "organisation_name": "Kainuun monikulttuurinen yhdistys ry",
         "email": "leena.karppinen@yhdistys.invalid", "note": "Suomen kielen opintopiiri"},
    ]),
]


class Command(BaseCommand):
    help = "Adds the demo municipalities, organisations, users and clients (development only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (a demo server)."
        )
        parser.add_argument(
            "--bare", action="store_true",
            help="Only the people and clients, no referral or meeting in progress.",
        )

    def handle(self, *args, force=False, bare=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo adds users with known passwords: it runs only with "
                               "DEBUG=True, or with --force on a demo server.")
        password = settings.DEMO_PASSWORD or (DEVELOPMENT_PASSWORD if settings.DEBUG else "")
        if not password:
            raise CommandError("Set DEMO_PASSWORD: outside development there is no default.")
        with transaction.atomic():
            municipalities = self._municipalities()
            organisations = self._organisations(municipalities)
            users = self._users(organisations, password)
            self._clients(municipalities, organisations, users)
            self._team(municipalities, users)
            if not bare:
                # Before the work in progress: Jaakko's earlier round ends before his meeting.
                self._lifecycle_stories(organisations, users)
                self._work_in_progress(organisations, users)
                self._consents(organisations, users)
                self._intake(organisations, users)
                self._employment_and_networks(organisations, users)
                # Mari did not arrive, at the health check nor at her first meeting: rebooked.
                maris_missed_health_check(organisations[SOCIAL], organisations[HEALTH], users)
                maris_missed_meeting(organisations[HEALTH], users)
                self._unusual_access(organisations, users)
            if settings.DEBUG:
                self._authenticators(users.values())
                self._staff_sign_on(organisations[HEALTH])
        self._print_logins(password if settings.DEBUG else None)

    def _municipalities(self):
        return {
            name: Municipality.objects.get_or_create(name=name, defaults={"code": code})[0]
            for name, code in MUNICIPALITIES
        }

    def _organisations(self, municipalities):
        organisations = {}
        for name, sector in ORGANISATIONS:
            organisation, created = Organisation.objects.get_or_create(
                name=name, defaults={"sector": sector}
            )
            if created:
                organisation.municipalities.set(municipalities.values())
            organisations[name] = organisation
        return organisations

    def _users(self, organisations, password):
        users = {}
        for username, (first_name, last_name, role, organisation) in USERS.items():
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first_name, "last_name": last_name,
                          "email": f"{username}@tyokyky.invalid"},
            )
            if created:
                user.set_password(password)
                user.save()
            Membership.objects.get_or_create(
                user=user, organisation=organisations[organisation], role=role
            )
            users[username] = user
        return users

    def _clients(self, municipalities, organisations, users):
        for spec in CLIENTS:
            if Client.objects.filter(hetu=spec["hetu"]).exists():
                continue
            spec = dict(spec)
            first, *others = [organisations[name] for name in spec.pop("organisations")]
            client = add_client(
                by=None,
                organisation=first,
                case_managers=[users[name] for name in spec.pop("case_managers")],
                municipality=municipalities[spec.pop("municipality")],
                own_nurse=users.get(spec.pop("own_nurse", None)),
                **spec,
            )
            # The others were sent the client by the first — a referral with the card, as
            # employment services refer their clients to health care's check.
            for organisation in others:
                serve(client=client, organisation=organisation,
                      basis=RelationshipBasis.REFERRAL, by=None, carries_card=True)

    def _team(self, municipalities, users):
        """Kainuu's work-ability support team and two rooms to meet in."""
        team, created = Team.objects.get_or_create(name="Kainuun työkyvyn tuen tiimi")
        if created:
            team.municipalities.set(municipalities.values())
        for username, kind in TEAM.items():
            TeamMember.objects.get_or_create(team=team, user=users[username],
                                             defaults={"kind": kind})
        for name, municipality, address in ROOMS:
            Room.objects.get_or_create(name=name, municipality=municipalities[municipality],
                                       defaults={"address": address})

    def _work_in_progress(self, organisations, users):
        """Something for My work on the first login: Tiina's referral waits at the health
        check; Jaakko's team meeting three weeks ago still has no feedback discussion."""
        tiina = Client.objects.get(first_name="Tiina")
        if not tiina.referral_set.exists():
            send_referral(client=tiina, by=users["te_expert"], organisation=organisations[
                EMPLOYMENT], recipient=organisations[HEALTH], reason="year_since_check",
                urgency="normal", services_summary="Uravalmennus, työnhaku graafiselle alalle",
                services=[{"service": "Uravalmennus", "organisation_name": EMPLOYMENT,
                           "contact_person": "Tuomas Huttunen"}])
        jaakko = Client.objects.get(first_name="Jaakko")
        # TYP, who wrote Jaakko in, asked the coordinator to gather his team.
        add_to_team(client=jaakko, user=users["coordinator"], by=users["typ_expert"])
        if not jaakko.meeting_set.exists():
            start = (timezone.now() - timedelta(days=21)).replace(hour=9, minute=0, second=0,
                                                                   microsecond=0)
            # Written straight in: the booking service rightly refuses times in the past.
            meeting = Meeting.objects.create(
                client=jaakko, team=Team.objects.get(), created_by=users["coordinator"],
                organisation=organisations[HEALTH], starts_at=start,
                ends_at=start + timedelta(hours=1), mode="phone",
                needs_support=True, wants_to_work=True, not_solved_by_basic_services=True,
                client_motivated=True,
            )
            for name in ("coordinator", "typ_expert", "nurse", "doctor"):
                MeetingParticipant.objects.create(
                    meeting=meeting, user=users[name], answer="accepted",
                    starts_at=meeting.starts_at, ends_at=meeting.ends_at,
                )
            # Jaakko took part too (as booking adds the client: a row without his name).
            MeetingParticipant.objects.create(
                meeting=meeting, kind="client",
                starts_at=meeting.starts_at, ends_at=meeting.ends_at,
            )
            serve(client=jaakko, organisation=organisations[HEALTH],
                  basis=RelationshipBasis.INVITATION, by=users["coordinator"])
            record_decisions(meeting=meeting, by=users["coordinator"],
                             minutes="Jaakon tilanne käytiin läpi.",
                             case_managers=[users["typ_expert"]],
                             realistic_goal="Työkokeilu metallialalla syksyllä",
                             support="Kelan ammatillinen kuntoutusselvitys",
                             # The doctor's worklist (meetings/doctor.py): the team asks.
                             doctor=users["doctor"],
                             questions_for_doctor="Puoltaako terveydentila ammatillista "
                                                  "kuntoutusselvitystä? Tarvitaanko "
                                                  "B-lausunto Kelalle?",
                             information_for_doctor="Olkapää kipeytyy nostoissa.")

    def _lifecycle_stories(self, organisations, users):
        """The clients' paths through the service (DESIGN.md, demo clients): Saara's plan in
        plain language, Petri's coordinator leaving while his employment coach goes on,
        Jaakko's earlier round — goal reached, six months' follow-up, back again — and
        Nadina's coming meeting with an interpreter booked."""
        saaras_plan(organisations[EMPLOYMENT], users)
        petris_coordinator_leaves(users)
        jaakkos_earlier_round(organisations[TYP], users)
        nadinas_meeting_with_an_interpreter(organisations[HEALTH], users)

    def _consents(self, organisations, users):
        """
        The clients the demo's employment services and health care share have consented to
        sharing between the two; Jaakko to TYP sharing with health care for his meeting. Each
        consent is recorded by one organisation and confirmed by the other, as the controller
        of its own information. Kela has no consent yet: the demo shows it being asked.
        """
        employment, health = organisations[EMPLOYMENT], organisations[HEALTH]
        shared = {
            "Tiina": (users["te_expert"], users["nurse"], [employment, health]),
            "Petri": (users["te_expert"], users["coordinator"], [employment, health]),
            "Nadina": (users["te_expert"], users["coordinator"], [employment, health]),
            # Only TYP's own information goes to health care: nothing to confirm.
            "Jaakko": (users["typ_expert"], None, [health]),
        }
        for first_name, (recorder, confirmer, recipients) in shared.items():
            client = Client.objects.get(first_name=first_name)
            if Consent.objects.filter(client=client).exists():
                continue
            consent = record_consent(
                client=client, by=recorder, categories=["identity", "employment", "health"],
                organisations=recipients, purpose="Työkyvyn tuen suunnittelu ja seuranta",
                method="written", valid_from=timezone.localdate() - timedelta(days=30),
            )
            if confirmer is not None:
                confirm_consent(consent=consent, by=confirmer,
                                organisation=confirmer.memberships.get().organisation)

    def _employment_and_networks(self, organisations, users):
        """Each client's employment situation as their case manager's organisation records
        it, and the support networks DESIGN.md tells of: Mari's outreach youth worker is her
        one support person; Petri's wife and the occupational therapist for his career change;
        Saara's mother and her job coach; Jaakko's brother; Nadina's husband and her
        association. Tiina's network is still to be asked."""
        today = timezone.localdate()
        for first_name, writer, status, since_days, income, plan, contacts in DEMO_CLIENT_DATA:
            client = Client.objects.get(first_name=first_name)
            if client.employmentsituation_set.exists():
                continue
            by, organisation = users[writer], organisations[DEMO_WRITERS[writer]]
            save_employment_situation(
                client=client, organisation=organisation, by=by, jobseeker_status=status,
                jobseeker_since=today - timedelta(days=since_days), income_source=income,
                employment_plan_in_force=plan)
            for contact in contacts:
                add_support_contact(client=client, organisation=organisation, by=by, **contact)

    def _intake(self, organisations, users):
        """
        The coordinator's intake queue (issue 16). Tiina's health check found that she needs a
        multi-professional assessment: it landed in the queue, the coordinator booked her team
        meeting from it with the nurse who did the check invited, the meeting was held
        yesterday and its decisions named the team's doctor with questions — she is on the
        doctor's worklist at the first login (meetings/doctor.py). Saara's employment services
        case manager asks for a meeting too: that request still waits in the queue.
        """
        tiina = Client.objects.get(first_name="Tiina")
        referral = tiina.referral_set.first()
        nurse, coordinator = users["nurse"], users["coordinator"]
        health, employment = organisations[HEALTH], organisations[EMPLOYMENT]
        if referral is not None and not hasattr(referral, "health_check"):
            record_health_check(
                referral=referral, by=nurse, organisation=health, nurse=nurse,
                performed_on=timezone.localdate() - timedelta(days=2), work_ability=5,
                physical_capacity=4, limited_musculoskeletal=True, nurse_view="unclear",
                limitations="Liikkumisen rajoitteet, elintapasairaudet",
                needs_multiprofessional_assessment=True,
                multiprofessional_reason="Työkyky ja uudelle alalle suuntautuminen selvitettävä "
                                         "yhdessä",
                next_steps="Monialainen verkostotapaaminen, elintapaohjaus",
            )
            request = tiina.meetingrequest_set.filter(state="open").first()
            if request is not None:
                meeting = self._held_yesterday(tiina, request, coordinator, health, users)
                record_decisions(
                    meeting=meeting, by=coordinator, minutes="Tiina kertoi tilanteestaan.",
                    case_managers=[users["te_expert"]],
                    realistic_goal="Uudelle alalle suuntautuminen, ensin työkokeilu",
                    support="Uravalmennus, elintapaohjaus",
                    information_for_doctor="Liikkumisen rajoitteet, elintapasairaudet",
                    questions_for_doctor="Mihin työhön Tiinan työkyky riittää nyt? "
                                         "Tarvitaanko B-lausunto Kelalle?",
                    doctor=users["doctor"],
                )
        saara = Client.objects.get(first_name="Saara")
        if not saara.meetingrequest_set.exists():
            request_meeting(
                client=saara, by=users["te_expert"], organisation=employment,
                reason="Työkyvyn arvio ja tuetun työllistymisen mahdollisuudet selvitettävä "
                       "yhdessä vammaispalvelujen ja Kelan kanssa.",
                needs_support=True, wants_to_work=True, not_solved_by_basic_services=True,
                client_motivated=True,
            )

    @staticmethod
    def _held_yesterday(client, request, coordinator, health, users):
        """The meeting booked from the request and held on the last working day: written
        straight in, as the booking service rightly refuses times in the past; everyone
        came."""
        day = timezone.localdate() - timedelta(days=1)
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        starts_at = timezone.make_aware(datetime.combine(day, time(10)))
        meeting = Meeting.objects.create(
            client=client, team=request.team, created_by=coordinator, organisation=health,
            starts_at=starts_at, ends_at=starts_at + timedelta(hours=1), mode="video",
            video_link="https://video.tyokyky.invalid/tiimi",
            agenda="Työkyvyn arvio, uravalmennus ja uusi ala", needs_support=True,
            wants_to_work=True, not_solved_by_basic_services=True, client_motivated=True,
        )
        for name in ("coordinator", "nurse", "te_expert", "doctor"):
            MeetingParticipant.objects.create(
                meeting=meeting, user=users[name], answer="accepted", attendance="attended",
                starts_at=meeting.starts_at, ends_at=meeting.ends_at)
        MeetingParticipant.objects.create(
            meeting=meeting, kind="client", attendance="attended",
            starts_at=meeting.starts_at, ends_at=meeting.ends_at)
        answer_requests(meeting=meeting, by=coordinator)
        return meeting

    def _unusual_access(self, organisations, users):
        """Something for the data protection officer: the doctor printed a dozen summaries in
        a few minutes yesterday afternoon, and the nurse read Tiina's page last night. Written
        straight into the access log at those times, then checked as the hourly task would."""
        doctor, nurse = users["doctor"], users["nurse"]
        if AccessLogEntry.objects.filter(user=doctor, action=Action.SUMMARY_PDF).exists():
            return
        health = organisations[HEALTH]
        clients = list(Client.objects.filter(first_name__in=["Tiina", "Petri", "Nadina"]))
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        burst = today - timedelta(hours=10)  # yesterday at 14.00
        night = today - timedelta(hours=2)  # last night at 22.00
        AccessLogEntry.objects.bulk_create([
            *(AccessLogEntry(user=doctor, organisation=health, role=Role.DOCTOR,
                             client=clients[n % len(clients)], action=Action.SUMMARY_PDF,
                             categories=["identity", "health"],
                             at=burst + timedelta(minutes=n))
              for n in range(12)),
            *(AccessLogEntry(user=nurse, organisation=health, role=Role.NURSE,
                             client=clients[0], action=Action.CLIENT_PAGE,
                             categories=["identity", "health"],
                             at=night + timedelta(minutes=minutes))
              for minutes in (10, 25)),
        ])
        flags.check(burst - timedelta(hours=1), timezone.now())

    def _authenticators(self, users):
        """A known second factor, in development only: a demo server's users enrol their own."""
        for user in users:
            TOTPDevice.objects.get_or_create(
                user=user, name="demo authenticator",
                defaults={"key": DEMO_TOTP_KEY, "confirmed": True},
            )

    def _staff_sign_on(self, health):
        """Health care's staff may also log in through their "own" identity provider: the
        local one of make run (oidc_dev_config registers this client and offers the demo users'
        addresses). Every demo address is @tyokyky.invalid, so the other organisations' users
        are refused there — as they would be."""
        sign_on, _created = OrganisationSignOn.objects.get_or_create(
            organisation=health, defaults={
                "is_enabled": True, "issuer": settings.OMA_OIDC["issuer"],
                "client_id": DEMO_SSO_CLIENT_ID, "private_key_file": f"{DEMO_SSO_CLIENT_ID}.json"})
        SignOnDomain.objects.get_or_create(domain=DEMO_SSO_DOMAIN, defaults={"sign_on": sign_on})

    def _print_logins(self, password):
        self.stdout.write(self.style.SUCCESS("Demo data is in place. Logins:"))
        for username, (_first, _last, role, organisation) in USERS.items():
            self.stdout.write(f"  {username:<14} {role.label} – {organisation}")
        if password:
            self.stdout.write(f"  Password for all: {password}")
            self.stdout.write(
                f"  Two-step login: the code for all is printed by `make mfa-code`, or add the\n"
                f"  key {DEMO_TOTP_BASE32} to an authenticator app. To skip two-step login in\n"
                f"  development, start with MFA_REQUIRED=False make run."
            )
            self.stdout.write(
                f"  Health care's staff may also log in with their organisation's account:\n"
                f"  type e.g. nurse@{DEMO_SSO_DOMAIN} and choose the person at the test provider.")
