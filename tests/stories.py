"""The stories the tests tell, from the workshop cases of DESIGN.md."""

from types import SimpleNamespace

from cases.services import add_note
from clients.models import Client
from clients.records import DataCategory
from consents.services import add_to_team
from teams.models import Organisation, Sector

# Marker strings, each written by one organisation into one field of Tiina's data, so that a
# page, a print, an e-mail or a feed that shows one can be caught doing so.
BACK_PAIN = "Selkäkipu rajoittaa nostamista"  # health care's note (health)
JOB_SEARCH = "Hakee töitä graafiselta alalta"  # employment services' note (employment)
FOR_THE_DOCTOR = "Verenpainelääkitys tarkistettava ennen arviota"  # meeting decision (health)
MINUTES = "Muistio: uniongelmat haittaavat keskittymistä"  # meeting minutes (health)
MEETING_GOAL = "Tavoitteena kuvankäsittelijän työkokeilu"  # meeting decision (employment)
AGENDA = "Asialistalla uravalmennuksen jatko"  # meeting agenda (employment)
PHONE_DETAILS = "Soita asiakkaalle numeroon 040 765 4321"  # meeting phone details (identity)
VIDEO_LINK = "https://video.example.invalid/tiina-leinonen-7421"  # a link that names her
PLAN_GOAL = "Oppisopimus painotaloon"  # employment services' support plan (employment)
DISCUSSION = "Palautekeskustelussa sovittiin työkokeilusta"  # its discussion (employment)
GOAL_NOTE = "Välitavoite: työkokeilusopimus allekirjoitettu"  # the plan's goal note (employment)
SERVICES_SUMMARY = "Kooste: uravalmennus jatkuu syksyyn"  # the referral (employment)
REFERRAL_GOAL = "Tavoite: graafisen alan täydennyskoulutus"  # the referral's goal (employment)
REFERRAL_MOTIVATION = "Motivaatio: haluaa takaisin töihin"  # and motivation (employment)
REQUEST_REASON = "Pyyntö: ura ja työkyky yhdessä arvioitava"  # a meeting request (employment)
ASSESSMENT = "Lääkärin perustelu: toimintakyky riittää"  # the doctor's assessment (health)
SOCIAL_NOTE = "Toimeentulotuen tarve selvitettävä"  # mental-health services' note (social)

HEALTH_MARKERS = [BACK_PAIN, FOR_THE_DOCTOR, MINUTES, ASSESSMENT, SOCIAL_NOTE]
EMPLOYMENT_MARKERS = [JOB_SEARCH, MEETING_GOAL, AGENDA, PLAN_GOAL, DISCUSSION,
                      SERVICES_SUMMARY, GOAL_NOTE, REQUEST_REASON, REFERRAL_GOAL,
                      REFERRAL_MOTIVATION]
ALL_MARKERS = [*HEALTH_MARKERS, *EMPLOYMENT_MARKERS, PHONE_DETAILS]


def tiina_story(demo):
    """
    Tiina's case: the nurse has written health information, the TE expert employment
    information, and the coordinator has put the Kela expert on Tiina's team for a meeting.
    """
    tiina = Client.objects.get(first_name="Tiina")
    health = Organisation.objects.get(sector=Sector.HEALTH)
    employment = Organisation.objects.get(sector=Sector.EMPLOYMENT)
    kela = Organisation.objects.get(sector=Sector.KELA)
    add_note(client=tiina, by=demo["nurse"], organisation=health,
             category=DataCategory.HEALTH, text=BACK_PAIN)
    add_note(client=tiina, by=demo["te_expert"], organisation=employment,
             category=DataCategory.EMPLOYMENT, text=JOB_SEARCH)
    add_to_team(client=tiina, user=demo["kela_expert"], by=demo["coordinator"])
    return SimpleNamespace(
        tiina=tiina, health=health, employment=employment, kela=kela, users=demo
    )
