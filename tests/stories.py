"""The stories the tests tell, from the workshop cases of DESIGN.md."""

from types import SimpleNamespace

from clients.models import Client
from clients.services import add_note
from consents.models import DataCategory
from consents.services import add_to_team
from teams.models import Organisation, Sector

BACK_PAIN = "Selkäkipu rajoittaa nostamista"
JOB_SEARCH = "Hakee töitä graafiselta alalta"


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
