"""
The first texts of the public notices (tyokyky.models.Notice), which the data migration
tyokyky/migrations/0004_notices.py writes: the privacy notice and the accessibility statement
in Finnish, Swedish and English. They are content that administrators edit in the admin from
then on, not interface strings, so they are not in the gettext catalogues.

Sources: the EU General Data Protection Regulation (2016/679) articles 6, 9 and 12–21; the
Act on the Processing of Client Data in Healthcare and Social Welfare (703/2023), section 11
(the client's right to the log data); the Act on Multisectoral Joint Service Promoting
Employment (1369/2014); the Act on the Provision of Digital Services (306/2019), sections 15–17
(the accessibility statement, feedback, supervision). The supervision of accessibility moved
from the Regional State Administrative Agency for Southern Finland to the Finnish Transport and
Communications Agency Traficom (government proposal HE 71/2024, in force 1.1.2025). The known
gaps of the accessibility statement are this code's own: the session limits of
tyokyky/settings.py (SESSION_COOKIE_AGE, SESSION_ABSOLUTE_LIMIT), Django's admin (Django ticket
#36511: a change list's filters come after its table in the keyboard order, fixed after
Django 5.2), the PDFs (tyokyky/pdf.py, PDF/UA not verified) and the browser tests
(tests/e2e/conftest.py: axe-core, WCAG 2.1 A and AA rules, in Finnish only).

Format (tyokyky.models.Notice.blocks): a blank line between paragraphs, "## " a heading,
"### " a subheading, "- " a list item. Here a line indented by two spaces continues the line
before it, so that the source keeps to the line length; `_text` joins them.
"""

import textwrap

PREPARED_ON = {"fi": "1.12.2026", "sv": "1.12.2026", "en": "1 December 2026"}


def _text(source: str) -> str:
    """The body as stored: dedented, each indented continuation joined to its line."""
    lines: list[str] = []
    for line in textwrap.dedent(source).strip().splitlines():
        if line.startswith("  ") and lines:
            lines[-1] = f"{lines[-1]} {line.strip()}"
        else:
            lines.append(line.rstrip())
    return "\n".join(lines)


PRIVACY_FI = _text("""
    Tässä tietosuojaselosteessa kerrotaan, miten Työkyky-palvelussa käsitellään henkilötietoja.
      Työkyky on työkyvyn tuen tiimien asiakastyön järjestelmä, jossa työllisyyspalvelut,
      sosiaali- ja terveydenhuolto, Kela, työllistymistä edistävä monialainen yhteispalvelu (TYP)
      ja muut palvelut työskentelevät yhdessä työttömän asiakkaan kanssa. Seloste on laadittu
      EU:n yleisen tietosuoja-asetuksen (2016/679) 13 ja 14 artiklan mukaisesti.

    ## Rekisterinpitäjät

    Työkykyä käyttää usea organisaatio. Jokainen organisaatio on rekisterinpitäjä niiden
      asiakastietojen osalta, jotka sen työntekijät kirjaavat palveluun. Esimerkiksi
      hyvinvointialue on rekisterinpitäjä terveystarkastuksen ja lääkärin arvion tiedoille ja
      kunnan työllisyyspalvelut kirjaamilleen työllisyystilanteen tiedoille. Tiedon kirjannut
      organisaatio vastaa siitä, että tieto on oikein ja että sitä säilytetään oikean ajan, ja
      vain se voi muuttaa tietoa. Palvelussa näkyy jokaisen tiedon kohdalla, mikä organisaatio
      sen on kirjannut.

    Työllistymistä edistävässä monialaisessa yhteispalvelussa (TYP) työllisyysviranomainen
      (1.1.2025 alkaen kunta tai työllisyysalue), hyvinvointialue ja Kela arvioivat ja
      suunnittelevat asiakkaan palvelut yhdessä. Myös TYP-yhteistyössä kukin osapuoli on
      rekisterinpitäjä itse kirjaamiensa tietojen osalta. TYP:n asiakastietojen käsittelystä
      säädetään laissa työllistymistä edistävästä monialaisesta yhteispalvelusta (1369/2014).

    Henkilökunnan käyttäjätietojen rekisterinpitäjä on käyttäjän oma organisaatio.

    ## Käsittelyn tarkoitukset

    - työttömän asiakkaan työkyvyn tuen palvelupolun järjestäminen: palvelutarpeen
      tunnistaminen, lähete työttömän terveystarkastukseen, terveystarkastus ja palaute
      lähettäjälle, monialainen verkostotapaaminen, lääkärin arvio, palautekeskustelu,
      työkyvyn tuen suunnitelma ja seuranta
    - asiakkaan asioiden yhteensovittaminen ja vastuuhenkilöiden nimeäminen
    - asiakkaan suostumusten ja luovutuskieltojen kirjaaminen ja noudattaminen
    - tietojen käytön ja luovutusten valvonta lokitietojen avulla sekä tietoturvan
      varmistaminen
    - palvelun johtaminen ja kehittäminen tilastoilla, joista yksittäistä asiakasta ei voi
      tunnistaa

    ## Käsittelyn oikeusperusteet

    Henkilötietojen käsittely perustuu rekisterinpitäjän lakisääteisiin velvoitteisiin ja
      yleistä etua koskevien tehtävien hoitamiseen (tietosuoja-asetuksen 6 artiklan 1 kohdan
      c ja e alakohta). Terveystietojen ja muiden erityisiin henkilötietoryhmiin kuuluvien
      tietojen käsittely perustuu tietosuoja-asetuksen 9 artiklan 2 kohdan h alakohtaan
      (terveyden- ja sosiaalihuolto sekä työkyvyn arviointi) ja tietosuojalakiin (1050/2018).

    Keskeiset lait:

    - laki sosiaali- ja terveydenhuollon asiakastietojen käsittelystä (703/2023)
    - laki työllistymistä edistävästä monialaisesta yhteispalvelusta (1369/2014)
    - laki työvoimapalvelujen järjestämisestä (380/2023)
    - terveydenhuoltolaki (1326/2010) ja sosiaalihuoltolaki (1301/2014)
    - laki julkisen hallinnon tiedonhallinnasta (906/2019)

    ## Käsiteltävät tiedot

    Asiakkaasta:

    - henkilöllisyys- ja yhteystiedot: nimi, henkilötunnus, yhteystiedot ja asiointikieli
    - työllisyystilanne ja palvelut, joissa asiakas on
    - terveystiedot: terveystarkastuksen havainnot, työkyvyn arvio, lääkärin arvio sekä tieto
      kirjoitetuista lausunnoista (itse lausunnot ovat potilastietojärjestelmässä)
    - sosiaalinen tilanne
    - etuudet ja kuntoutus (Kela)
    - verkostotapaamiset ja niiden päätökset, palautekeskustelut, työkyvyn tuen suunnitelma,
      sen toimenpiteet ja seuranta sekä vastuuhenkilöt
    - suostumukset, niiden peruutukset ja luovutuskiellot
    - käyttö- ja luovutuslokit: kuka on katsonut tietojasi tai kenelle niitä on luovutettu,
      milloin ja millä perusteella

    Henkilökunnasta: nimi, käyttäjätunnus, organisaatio ja rooli, sähköpostiosoite, kieli,
      kirjautumiset, toisen tunnistautumisvaiheen laitteet sekä lokitiedot palvelun käytöstä.

    ## Mistä tiedot saadaan

    Tiedot saadaan sinulta itseltäsi ja sinua palvelevien organisaatioiden työntekijöiltä,
      jotka kirjaavat ne työnsä yhteydessä, esimerkiksi lähetteestä, terveystarkastuksesta tai
      verkostotapaamisesta.

    ## Tietojen luovutukset ja vastaanottajat

    Tiedot näkyvät vain niille sinua palvelevien organisaatioiden työntekijöille, jotka
      tarvitsevat niitä tehtävässään. Toisen organisaation kirjaamat tiedot näkyvät vain, jos
      olet antanut siihen suostumuksesi. Suostumus koskee nimettyjä tietoryhmiä ja
      organisaatioita tai sektoreita, sillä on tarkoitus ja voimassaoloaika, ja voit peruuttaa
      sen milloin tahansa. Peruutus ei vaikuta luovutuksiin, jotka on tehty ennen sitä.

    Voit myös kieltää tietojesi luovuttamisen (luovutuskielto). Kielto ohittaa kaikki
      suostumukset siihen asti, kunnes perut sen.

    Tietoja ei luovuteta muille kuin sinua palveleville organisaatioille, paitsi jos laki
      siihen velvoittaa (esimerkiksi valvontaviranomaisille). Tietoja ei siirretä EU:n tai
      ETA:n ulkopuolelle.

    Palvelun teknisestä ylläpidosta voi huolehtia rekisterinpitäjien lukuun toimiva
      henkilötietojen käsittelijä, joka käsittelee tietoja vain sopimuksen ja
      rekisterinpitäjien ohjeiden mukaisesti.

    ## Säilytysajat

    Kukin rekisterinpitäjä päättää omien tietojensa säilytysajoista sitä koskevan
      lainsäädännön perusteella. Esimerkiksi sosiaali- ja terveydenhuollon asiakasasiakirjojen
      säilytysajoista säädetään asiakastietolain (703/2023) liitteessä. Rekisterinpitäjien
      säilytysajat on kirjattu palvelun säilytysasetuksiin. Kun säilytysaika päättyy, tiedot
      hävitetään rekisterinpitäjän hyväksynnällä, ja hävittämisestä jää pysyvä merkintä siitä,
      milloin ja kenen hyväksynnällä se tehtiin. Lokitietoja säilytetään niin kauan kuin laki
      edellyttää.

    ## Rekisteröidyn oikeudet

    - Oikeus tarkastaa tiedot (tietosuoja-asetuksen 15 artikla): voit pyytää kopion itseäsi
      koskevista tiedoista. Pyynnön voi tehdä mille tahansa sinua palvelevalle organisaatiolle,
      ja siihen vastataan viimeistään kuukauden kuluessa.
    - Oikeus saada tieto lokitiedoista (asiakastietolaki 703/2023, 11 §): voit saada tietää,
      kuka on käyttänyt tietojasi tai kenelle niitä on luovutettu ja millä perusteella. Tiedot
      annetaan yleensä kahden vuoden ajalta; vanhempia tietoja voi pyytää erityisestä syystä.
    - Oikeus tietojen oikaisemiseen (16 artikla): jos tieto on virheellinen, voit pyytää
      tiedon kirjannutta organisaatiota korjaamaan sen.
    - Oikeus käsittelyn rajoittamiseen (18 artikla), esimerkiksi sillä aikaa, kun tiedon
      oikeellisuutta selvitetään.
    - Oikeus vastustaa käsittelyä (21 artikla) erityiseen tilanteeseesi liittyvällä
      perusteella, kun käsittely perustuu yleistä etua koskevaan tehtävään.
    - Oikeus peruuttaa suostumus ja asettaa luovutuskielto milloin tahansa.
    - Oikeutta tietojen poistamiseen (17 artikla) tai siirtämiseen järjestelmästä toiseen
      (20 artikla) ei yleensä ole, koska käsittely perustuu lakiin ja tiedot on säilytettävä
      lain edellyttämän ajan.

    Palvelussa ei tehdä automaattisia päätöksiä eikä profilointia.

    ## Valitus valvontaviranomaiselle

    Jos katsot, että henkilötietojesi käsittely rikkoo tietosuojasäännöksiä, voit tehdä
      valituksen tietosuojavaltuutetulle:

    Tietosuojavaltuutetun toimisto
    PL 800, 00531 Helsinki
    Käyntiosoite: Lintulahdenkuja 4, 00530 Helsinki
    Sähköposti: tietosuoja@om.fi
    Puhelin (vaihde): 029 566 6700
    https://tietosuoja.fi

    ## Tietosuojavastaavan yhteystiedot

    Jokaisella rekisterinpitäjällä on oma tietosuojavastaava. Ota yhteyttä sen organisaation
      tietosuojavastaavaan, joka on kirjannut sinua koskevat tiedot. Yhteystiedot ovat
      organisaation verkkosivuilla, ja saat ne myös organisaation kirjaamosta tai keneltä
      tahansa sinua palvelevalta työntekijältä. Tätä selostetta ja koko palvelua koskevat
      kysymykset voit osoittaa palvelun käyttöön ottaneen organisaation tietosuojavastaavalle.

    ## Selosteen päivittäminen

    Selostetta päivitetään, kun henkilötietojen käsittely tai lainsäädäntö muuttuu. Sivun
      alussa näkyy, milloin selostetta on viimeksi päivitetty.
""")

PRIVACY_SV = _text("""
    I denna dataskyddsbeskrivning berättar vi hur personuppgifter behandlas i tjänsten Työkyky.
      Työkyky är ett system för klientarbetet i team för stöd för arbetsförmågan, där
      sysselsättningstjänsterna, social- och hälsovården, FPA, den sektorsövergripande
      samservicen som främjar sysselsättningen (TYP) och andra tjänster arbetar tillsammans med
      en arbetslös klient. Beskrivningen har upprättats enligt artiklarna 13 och 14 i EU:s
      allmänna dataskyddsförordning (2016/679).

    ## Personuppgiftsansvariga

    Flera organisationer använder Työkyky. Varje organisation är personuppgiftsansvarig för de
      klientuppgifter som dess anställda registrerar i tjänsten. Välfärdsområdet är till
      exempel personuppgiftsansvarigt för uppgifterna från hälsoundersökningen och läkarens
      bedömning, och kommunens sysselsättningstjänster för de uppgifter om
      sysselsättningssituationen som de har registrerat. Den organisation som har registrerat en
      uppgift svarar för att uppgiften är korrekt och bevaras rätt tid, och endast den kan
      ändra uppgiften. I tjänsten syns vid varje uppgift vilken organisation som har
      registrerat den.

    I den sektorsövergripande samservicen som främjar sysselsättningen (TYP) bedömer och
      planerar arbetskraftsmyndigheten (från och med 1.1.2025 kommunen eller
      sysselsättningsområdet), välfärdsområdet och FPA klientens tjänster tillsammans. Också i
      TYP-samarbetet är varje part personuppgiftsansvarig för de uppgifter den själv har
      registrerat. Om behandlingen av klientuppgifter inom TYP föreskrivs i lagen om
      sektorsövergripande samservice som främjar sysselsättningen (1369/2014).

    Personuppgiftsansvarig för personalens användaruppgifter är användarens egen organisation.

    ## Ändamålen med behandlingen

    - att ordna servicestigen för stöd för arbetsförmågan för en arbetslös klient: att
      identifiera servicebehovet, remiss till hälsoundersökning för arbetslösa,
      hälsoundersökning och respons till remittenten, sektorsövergripande nätverksmöte,
      läkarens bedömning, responssamtal, plan för stöd för arbetsförmågan och uppföljning
    - att samordna klientens ärenden och utse ansvarspersoner
    - att registrera och följa klientens samtycken och utlämningsförbud
    - att övervaka användningen och utlämnandet av uppgifter med hjälp av loggar och att
      säkerställa informationssäkerheten
    - att leda och utveckla tjänsten med statistik där enskilda klienter inte kan identifieras

    ## Rättslig grund för behandlingen

    Behandlingen av personuppgifter grundar sig på den personuppgiftsansvariges rättsliga
      förpliktelser och på utförandet av uppgifter av allmänt intresse (artikel 6.1 c och e i
      dataskyddsförordningen). Behandlingen av hälsouppgifter och andra särskilda kategorier av
      personuppgifter grundar sig på artikel 9.2 h i dataskyddsförordningen (hälso- och
      sjukvård, socialvård och bedömning av arbetsförmågan) och på dataskyddslagen
      (1050/2018).

    De viktigaste lagarna:

    - lagen om behandling av kunduppgifter inom social- och hälsovården (703/2023)
    - lagen om sektorsövergripande samservice som främjar sysselsättningen (1369/2014)
    - lagen om ordnande av arbetskraftsservice (380/2023)
    - hälso- och sjukvårdslagen (1326/2010) och socialvårdslagen (1301/2014)
    - lagen om informationshantering inom den offentliga förvaltningen (906/2019)

    ## Uppgifter som behandlas

    Om klienten:

    - identitets- och kontaktuppgifter: namn, personbeteckning, kontaktuppgifter och språk
    - sysselsättningssituationen och de tjänster klienten deltar i
    - hälsouppgifter: iakttagelser vid hälsoundersökningen, bedömning av arbetsförmågan,
      läkarens bedömning och uppgift om skrivna utlåtanden (själva utlåtandena finns i
      patientdatasystemet)
    - social situation
    - förmåner och rehabilitering (FPA)
    - nätverksmöten och besluten vid dem, responssamtal, planen för stöd för arbetsförmågan,
      dess åtgärder och uppföljning samt ansvarspersoner
    - samtycken, återkallade samtycken och utlämningsförbud
    - användnings- och utlämnandeloggar: vem som har sett dina uppgifter eller till vem de har
      lämnats ut, när och på vilken grund

    Om personalen: namn, användarnamn, organisation och roll, e-postadress, språk,
      inloggningar, enheter för det andra autentiseringssteget samt loggar över användningen
      av tjänsten.

    ## Varifrån uppgifterna fås

    Uppgifterna fås av dig själv och av de anställda vid de organisationer som betjänar dig,
      som registrerar dem i sitt arbete, till exempel utifrån en remiss, en hälsoundersökning
      eller ett nätverksmöte.

    ## Utlämnande av uppgifter och mottagare

    Uppgifterna syns endast för de anställda vid de organisationer som betjänar dig som behöver
      dem i sitt arbete. Uppgifter som en annan organisation har registrerat syns endast om du
      har gett ditt samtycke till det. Samtycket gäller namngivna kategorier av uppgifter och
      namngivna organisationer eller sektorer, har ett ändamål och en giltighetstid, och du kan
      återkalla det när som helst. Återkallelsen påverkar inte utlämnanden som gjorts före den.

    Du kan också förbjuda att dina uppgifter lämnas ut (utlämningsförbud). Förbudet går före
      alla samtycken tills du återkallar det.

    Uppgifter lämnas inte ut till andra än de organisationer som betjänar dig, utom när lagen
      kräver det (till exempel till tillsynsmyndigheter). Uppgifter överförs inte utanför EU
      eller EES.

    Tjänstens tekniska underhåll kan skötas av ett personuppgiftsbiträde som agerar för de
      personuppgiftsansvarigas räkning och behandlar uppgifterna endast enligt avtal och de
      personuppgiftsansvarigas instruktioner.

    ## Lagringstider

    Varje personuppgiftsansvarig bestämmer lagringstiderna för sina egna uppgifter enligt den
      lagstiftning som gäller den. Om lagringstiderna för klienthandlingar inom social- och
      hälsovården föreskrivs till exempel i bilagan till lagen om behandling av kunduppgifter
      inom social- och hälsovården (703/2023). De personuppgiftsansvarigas lagringstider är
      registrerade i tjänstens inställningar för lagring. När lagringstiden har gått ut förstörs
      uppgifterna med den personuppgiftsansvariges godkännande, och en bestående anteckning
      visar när och med vems godkännande de förstördes. Loggarna bevaras så länge som lagen
      kräver.

    ## Den registrerades rättigheter

    - Rätt att få tillgång till uppgifterna (artikel 15 i dataskyddsförordningen): du kan
      begära en kopia av uppgifterna om dig. Du kan rikta begäran till vilken organisation som
      helst som betjänar dig, och den besvaras inom en månad.
    - Rätt att få uppgifter ur loggarna (11 § i lagen 703/2023): du kan få veta vem som har
      använt dina uppgifter eller till vem de har lämnats ut och på vilken grund. Uppgifterna
      ges i regel för två år; äldre uppgifter kan begäras av särskilda skäl.
    - Rätt till rättelse (artikel 16): om en uppgift är felaktig kan du be den organisation som
      har registrerat uppgiften att rätta den.
    - Rätt till begränsning av behandlingen (artikel 18), till exempel medan det utreds om en
      uppgift är korrekt.
    - Rätt att invända mot behandlingen (artikel 21) av skäl som hänför sig till din specifika
      situation, när behandlingen grundar sig på en uppgift av allmänt intresse.
    - Rätt att när som helst återkalla ett samtycke och meddela utlämningsförbud.
    - Rätten till radering (artikel 17) och rätten att flytta uppgifter till ett annat system
      (artikel 20) gäller i regel inte, eftersom behandlingen grundar sig på lag och uppgifterna
      ska bevaras den tid som lagen kräver.

    I tjänsten fattas inga automatiserade beslut och ingen profilering förekommer.

    ## Klagomål till tillsynsmyndigheten

    Om du anser att behandlingen av dina personuppgifter strider mot dataskyddsbestämmelserna
      kan du lämna in ett klagomål till dataombudsmannen:

    Dataombudsmannens byrå
    PB 800, 00531 Helsingfors
    E-post: tietosuoja@om.fi
    Telefon (växel): 029 566 6700
    https://tietosuoja.fi

    ## Dataskyddsombudets kontaktuppgifter

    Varje personuppgiftsansvarig har ett eget dataskyddsombud. Kontakta dataskyddsombudet vid
      den organisation som har registrerat uppgifterna om dig. Kontaktuppgifterna finns på
      organisationens webbplats, och du får dem också från organisationens registratorskontor
      eller av vilken anställd som helst som betjänar dig. Frågor om denna beskrivning och om
      hela tjänsten kan du rikta till dataskyddsombudet vid den organisation som har tagit
      tjänsten i bruk.

    ## Uppdatering av beskrivningen

    Beskrivningen uppdateras när behandlingen av personuppgifter eller lagstiftningen ändras.
      I början av sidan syns när beskrivningen senast uppdaterades.
""")

PRIVACY_EN = _text("""
    This privacy notice explains how personal data is processed in the Työkyky service.
      Työkyky is the case-management system of work-ability support teams, in which employment
      services, health and social services, Kela, the multisectoral joint service promoting
      employment (TYP) and other services work together with an unemployed client. The notice
      is given under Articles 13 and 14 of the EU General Data Protection Regulation
      (2016/679).

    ## Controllers

    Several organisations use Työkyky. Each organisation is the controller of the client data
      that its staff record in the service. For example, the wellbeing services county is the
      controller of the findings of the health check and the doctor's assessment, and the
      municipality's employment services of the information on the employment situation that
      they have recorded. The organisation that recorded a piece of data answers for its
      accuracy and for keeping it for the right time, and only it can change the data. The
      service shows, for each piece of data, which organisation recorded it.

    In the multisectoral joint service promoting employment (TYP), the employment authority
      (since 1 January 2025 the municipality or employment area), the wellbeing services county
      and Kela assess and plan the client's services together. In TYP too, each party is the
      controller of the data it has recorded itself. The processing of TYP client data is
      governed by the Act on Multisectoral Joint Service Promoting Employment (1369/2014).

    The controller of the staff's user data is the user's own organisation.

    ## Purposes of the processing

    - organising the unemployed client's work-ability support path: identifying the need for
      services, the referral to the unemployed health check, the health check and its feedback
      to the referrer, the multi-professional network meeting, the doctor's assessment, the
      feedback discussion, the work-ability support plan and the follow-up
    - coordinating the client's affairs and naming case managers
    - recording and respecting the client's consents and bans on disclosure
    - monitoring the use and disclosure of data with log data, and information security
    - managing and developing the service with statistics in which no individual client can be
      identified

    ## Legal basis

    The processing is based on the controllers' legal obligations and on tasks carried out in
      the public interest (GDPR Article 6(1)(c) and (e)). Health data and other special
      categories of personal data are processed under GDPR Article 9(2)(h) (health care, social
      care and the assessment of working capacity) and the Data Protection Act (1050/2018).

    The main acts:

    - Act on the Processing of Client Data in Healthcare and Social Welfare (703/2023)
    - Act on Multisectoral Joint Service Promoting Employment (1369/2014)
    - Act on the Organisation of Employment Services (380/2023)
    - Health Care Act (1326/2010) and Social Welfare Act (1301/2014)
    - Act on Information Management in Public Administration (906/2019)

    ## Data processed

    About the client:

    - identity and contact details: name, personal identity code, contact details and language
    - employment situation and the services the client takes part in
    - health data: findings of the health check, the assessment of work ability, the doctor's
      assessment, and whether statements were written (the statements themselves are kept in
      the patient record system)
    - social situation
    - benefits and rehabilitation (Kela)
    - network meetings and their decisions, feedback discussions, the work-ability support
      plan, its actions and follow-up, and the case managers
    - consents, their withdrawals and bans on disclosure
    - access and disclosure logs: who has viewed your data or to whom it was disclosed, when,
      and on what grounds

    About the staff: name, username, organisation and role, e-mail address, language, logins,
      the devices of the second authentication step, and log data of their use of the service.

    ## Where the data comes from

    From you and from the staff of the organisations that serve you, who record it in the
      course of their work, for example from a referral, a health check or a network meeting.

    ## Disclosures and recipients

    The data is shown only to those staff of the organisations serving you who need it in
      their work. Data recorded by another organisation is shown only with your consent. A
      consent covers named categories of data and named organisations or sectors, has a purpose
      and a period of validity, and you may withdraw it at any time. Withdrawing it does not
      affect disclosures made before.

    You may also forbid the disclosure of your data (a ban on disclosure). The ban overrides
      every consent until you lift it.

    Data is not disclosed to anyone other than the organisations serving you, except where the
      law requires it (for example to supervisory authorities). Data is not transferred outside
      the EU or the EEA.

    The technical operation of the service may be carried out by a processor acting on behalf
      of the controllers, who processes the data only under a contract and the controllers'
      instructions.

    ## Retention

    Each controller decides the retention periods of its own data under the laws that bind
      it. For example, the retention periods of client documents in health and social care are
      laid down in the appendix of the Act on the Processing of Client Data in Healthcare and
      Social Welfare (703/2023). The controllers' retention periods are recorded in the
      service's retention settings. When a period ends, the data is destroyed with the
      controller's approval, and a permanent entry shows when and with whose approval it was
      destroyed. Log data is kept as long as the law requires.

    ## Your rights

    - Right of access (GDPR Article 15): you may ask for a copy of the data about you. You
      may ask any organisation that serves you, and the request is answered within one month.
    - Right to the log data (Act 703/2023, section 11): you may find out who has used your
      data or to whom it was disclosed, and on what grounds. The log data is normally given
      for the past two years; older data may be asked for with a special reason.
    - Right to rectification (Article 16): if data is wrong, you may ask the organisation that
      recorded it to correct it.
    - Right to restriction of processing (Article 18), for example while the accuracy of the
      data is being checked.
    - Right to object (Article 21) on grounds relating to your particular situation, where the
      processing is based on a task carried out in the public interest.
    - Right to withdraw a consent and to set a ban on disclosure at any time.
    - The right to erasure (Article 17) and the right to data portability (Article 20) do not
      usually apply, as the processing is based on law and the data must be kept for the time
      the law requires.

    The service makes no automated decisions and does no profiling.

    ## Complaints to the supervisory authority

    If you consider that the processing of your personal data infringes data protection law,
      you may lodge a complaint with the Data Protection Ombudsman:

    Office of the Data Protection Ombudsman
    P.O. Box 800, FI-00531 Helsinki, Finland
    Visiting address: Lintulahdenkuja 4, 00530 Helsinki
    E-mail: tietosuoja@om.fi
    Telephone (switchboard): +358 29 566 6700
    https://tietosuoja.fi/en

    ## Contact details of the data protection officer

    Each controller has its own data protection officer. Contact the data protection officer
      of the organisation that recorded the data about you. The contact details are on the
      organisation's website, and you can also get them from its registry office or from any
      member of staff who serves you. Questions about this notice and about the service as a
      whole may be sent to the data protection officer of the organisation that deployed the
      service.

    ## Updates to this notice

    The notice is updated when the processing of personal data or the law changes. The top of
      this page shows when it was last updated.
""")

ACCESSIBILITY_FI = _text(f"""
    Tämä saavutettavuusseloste koskee Työkyky-palvelua, työkyvyn tuen tiimien asiakastyön
      verkkopalvelua. Palvelua koskee laki digitaalisten palvelujen tarjoamisesta (306/2019),
      jonka mukaan julkisten verkkopalvelujen on oltava saavutettavia eli kaikkien on voitava
      käyttää niitä yhdenvertaisesti.

    ## Saavutettavuuden tila

    Työkyky täyttää osittain WCAG 2.1 -ohjeiston A- ja AA-tason saavutettavuusvaatimukset.
      Alla kuvatut puutteet ovat tiedossamme, ja korjaamme niitä palvelun kehittämisen
      yhteydessä.

    ## Sisällöt, jotka eivät ole saavutettavia

    ### Istunnon aikaraja

    - Istunto päättyy, kun palvelua ei ole käytetty 30 minuuttiin, ja viimeistään 12 tunnin
      kuluttua kirjautumisesta. Palvelu ei varoita istunnon päättymisestä etukäteen, eikä
      aikaa voi pidentää. Aikaraja suojaa asiakastietoja, mutta tallentamattomat muutokset
      voivat kadota. (WCAG 2.1: 2.2.1, aikarajojen säätäminen)

    ### Ylläpidon sivut

    - Ylläpitäjien käyttämät ylläpitosivut perustuvat Django-kehyksen valmiiseen
      ylläpitonäkymään, jonka ulkoasu poikkeaa muusta palvelusta ja jota on tarkistettu vain
      osittain.
    - Ylläpidon luettelosivuilla suodattimiin pääsee näppäimistöllä vasta koko taulukon
      jälkeen. Puute on korjattu Djangon uudemmassa versiossa, ja korjaus tulee käyttöön, kun
      palvelu päivitetään siihen. (WCAG 2.1: 2.4.3 Kohdistusjärjestys)

    ### PDF-asiakirjat

    - Palvelun tuottamat PDF-asiakirjat, kuten suostumus, asiakkaan yhteenveto, yhteenveto
      lääkärille ja työkyvyn tuen suunnitelma, tehdään PDF/UA-muotoon, mutta niiden
      saavutettavuutta ei ole tarkistettu erillisellä PDF-tarkistimella. Samat tiedot voi
      lukea palvelun sivuilta.

    ### Kieliversiot

    - Automaattiset tarkistukset tehdään suomenkielisellä käyttöliittymällä. Ruotsin- ja
      englanninkielistä versiota ei ole tarkistettu erikseen.
    - Käyttäjien kirjoittamien tekstien kieltä ei merkitä, joten ruudunlukija lukee
      esimerkiksi ruotsiksi kirjoitetun muistiinpanon käyttöliittymän kielellä.
      (WCAG 2.1: 3.1.2 Osien kieli)

    Emme ole vedonneet kohtuuttomaan rasitteeseen minkään sisällön osalta.

    ## Miten saavutettavuus on arvioitu

    Saavutettavuus on arvioitu itsearviointina. Palvelun selaintestit kulkevat keskeiset
      käyttäjäpolut (kirjautuminen, asiakkaan haku, lähete ja terveystarkastus,
      verkostotapaamisen varaaminen, palautekeskustelu ja suunnitelma sekä ylläpito) ja
      tarkistavat jokaisen avautuvan sivun automaattisesti axe-core-työkalulla WCAG 2.1 -ohjeiston
      A- ja AA-tason sääntöjä vasten. Testi epäonnistuu, jos sivulta löytyy yksikin virhe. Osa
      testeistä käyttää palvelua pelkällä näppäimistöllä. Lisäksi sivut on tarkistettu käsin:
      otsikot, lomakekenttien nimet, näppäimistökohdistus ja toiminta ilman JavaScriptiä.
      Automaattiset työkalut löytävät vain osan saavutettavuuspuutteista; käsin tehdyn
      tarkistuksen havainnot on kuvattu yllä.

    ## Palaute ja yhteystiedot

    Huomasitko saavutettavuuspuutteen? Kerro siitä meille, niin teemme parhaamme puutteen
      korjaamiseksi. Voit myös pyytää tietoa, jota ei ole saavutettavassa muodossa: sinulla on
      perustellusta syystä oikeus saada saavutettavassa muodossa ne tiedot, joita tarvitset
      etujesi, oikeuksiesi tai velvollisuuksiesi selvittämiseen.

    Anna palautetta sähköpostilla palvelun käyttöön ottaneen organisaation kirjaamoon.
      Kirjaamon sähköpostiosoite on organisaation verkkosivuilla. Palvelun käyttäjät voivat
      antaa palautetta myös oman organisaationsa pääkäyttäjälle. Vastaamme palautteeseen
      kahden viikon kuluessa.

    ## Saavutettavuuden valvonta

    Jos huomaat saavutettavuuspuutteita, anna ensin palautetta meille. Jos et ole tyytyväinen
      saamaasi vastaukseen tai et saa vastausta kahden viikon kuluessa, voit tehdä ilmoituksen
      valvontaviranomaiselle. Saavutettavuusvaatimusten toteutumista valvoo Liikenne- ja
      viestintävirasto Traficom. Sen verkkosivuilla kerrotaan, miten ilmoituksen voi tehdä ja
      miten asia käsitellään.

    Valvontaviranomaisen yhteystiedot:

    Liikenne- ja viestintävirasto Traficom
    Digitaalisen esteettömyyden ja saavutettavuuden valvontayksikkö
    https://www.saavutettavuusvaatimukset.fi
    Sähköposti: saavutettavuus@traficom.fi
    Puhelin (vaihde): 029 534 5000

    ## Selosteen tiedot

    Seloste on laadittu {PREPARED_ON['fi']}, ja se perustuu itsearvioon. Selostetta
      päivitetään aina, kun palveluun tehdään saavutettavuuteen vaikuttavia muutoksia. Sivun
      alussa näkyy, milloin selostetta on viimeksi päivitetty.
""")

ACCESSIBILITY_SV = _text(f"""
    Detta tillgänglighetsutlåtande gäller tjänsten Työkyky, en webbtjänst för klientarbetet i
      team för stöd för arbetsförmågan. Tjänsten omfattas av lagen om tillhandahållande av
      digitala tjänster (306/2019), enligt vilken offentliga webbtjänster ska vara tillgängliga,
      det vill säga att alla ska kunna använda dem på lika villkor.

    ## Tjänstens tillgänglighetsstatus

    Työkyky uppfyller delvis tillgänglighetskraven på nivå A och AA i WCAG 2.1. Bristerna
      nedan är kända för oss, och vi rättar dem i samband med att tjänsten utvecklas.

    ## Innehåll som inte är tillgängligt

    ### Sessionens tidsgräns

    - Sessionen avslutas när tjänsten inte har använts på 30 minuter och senast 12 timmar
      efter inloggningen. Tjänsten varnar inte i förväg, och tiden kan inte förlängas.
      Tidsgränsen skyddar klientuppgifterna, men ändringar som inte har sparats kan gå
      förlorade. (WCAG 2.1: 2.2.1 Justerbar tidsgräns)

    ### Administrationssidorna

    - Administratörernas administrationssidor bygger på Django-ramverkets färdiga
      administrationsvy, som ser annorlunda ut än resten av tjänsten och som bara delvis har
      granskats.
    - På administrationens listsidor når man filtren med tangentbordet först efter hela
      tabellen. Bristen är åtgärdad i en nyare version av Django, och rättelsen tas i bruk när
      tjänsten uppdateras till den. (WCAG 2.1: 2.4.3 Fokusordning)

    ### PDF-dokument

    - PDF-dokumenten som tjänsten skapar, till exempel samtycket, klientens sammanfattning,
      sammanfattningen för läkaren och planen för stöd för arbetsförmågan, görs i formatet
      PDF/UA, men deras tillgänglighet har inte kontrollerats med ett separat PDF-verktyg.
      Samma uppgifter kan läsas på tjänstens sidor.

    ### Språkversionerna

    - De automatiska kontrollerna görs i det finskspråkiga gränssnittet. Den svensk- och den
      engelskspråkiga versionen har inte kontrollerats separat.
    - Språket i texter som användarna skriver anges inte, så en skärmläsare läser till exempel
      en anteckning som skrivits på svenska med gränssnittets språk.
      (WCAG 2.1: 3.1.2 Språk för del av sida)

    Vi har inte åberopat oskälig börda för något innehåll.

    ## Hur tillgängligheten har bedömts

    Tillgängligheten har bedömts genom självbedömning. Tjänstens webbläsartester går igenom de
      centrala användarflödena (inloggning, sökning av klient, remiss och hälsoundersökning,
      bokning av nätverksmöte, responssamtal och plan samt administration) och kontrollerar
      automatiskt varje sida som öppnas med verktyget axe-core mot reglerna på nivå A och AA i
      WCAG 2.1. Testet misslyckas om ett enda fel hittas. En del av testerna
      använder tjänsten enbart med tangentbordet. Dessutom har sidorna granskats manuellt:
      rubriker, namnen på formulärfälten, tangentbordsfokus och funktion utan JavaScript.
      Automatiska verktyg hittar bara en del av bristerna i tillgängligheten; det som den
      manuella granskningen visade beskrivs ovan.

    ## Respons och kontaktuppgifter

    Märkte du en brist i tillgängligheten? Berätta om den för oss, så gör vi vårt bästa för
      att rätta den. Du kan också begära information som inte finns i tillgänglig form: du har
      av motiverade skäl rätt att i tillgänglig form få de uppgifter som du behöver för att
      utreda dina intressen, rättigheter eller skyldigheter.

    Ge respons per e-post till registratorskontoret vid den organisation som har tagit
      tjänsten i bruk. E-postadressen finns på organisationens webbplats. Tjänstens användare
      kan också ge respons till sin egen organisations huvudanvändare. Vi svarar på responsen
      inom två veckor.

    ## Tillsyn över tillgängligheten

    Om du märker brister i tillgängligheten, ge först respons till oss. Om du inte är nöjd med
      svaret eller inte får något svar inom två veckor kan du göra en anmälan till
      tillsynsmyndigheten. Transport- och kommunikationsverket Traficom övervakar att
      tillgänglighetskraven uppfylls. På dess webbplats berättas hur du gör en anmälan och hur
      ärendet behandlas.

    Tillsynsmyndighetens kontaktuppgifter:

    Transport- och kommunikationsverket Traficom
    Enheten för tillsyn över digital tillgänglighet
    https://www.tillganglighetskrav.fi
    E-post: saavutettavuus@traficom.fi
    Telefon (växel): 029 534 5000

    ## Information om utlåtandet

    Utlåtandet har upprättats den {PREPARED_ON['sv']} och grundar sig på en självbedömning.
      Utlåtandet uppdateras alltid när ändringar som påverkar tillgängligheten görs i tjänsten.
      I början av sidan syns när utlåtandet senast uppdaterades.
""")

ACCESSIBILITY_EN = _text(f"""
    This accessibility statement applies to Työkyky, the web service for the case management
      of work-ability support teams. The service is subject to the Act on the Provision of
      Digital Services (306/2019), under which public web services must be accessible, so that
      everyone can use them on equal terms.

    ## Compliance status

    Työkyky partially conforms to the level A and AA requirements of WCAG 2.1. We know of the
      gaps described below and correct them as the service is developed.

    ## Content that is not accessible

    ### Session time limit

    - The session ends after 30 minutes without use, and at the latest 12 hours after logging
      in. The service gives no warning before the session ends, and the time cannot be
      extended. The limit protects client data, but unsaved changes may be lost.
      (WCAG 2.1: 2.2.1 Timing Adjustable)

    ### Administration pages

    - The administration pages used by administrators are Django's ready-made admin, which
      looks different from the rest of the service and has been checked only in part.
    - On the admin's list pages the filters are reached with the keyboard only after the whole
      table. This is fixed in a newer version of Django, and the fix takes effect when the
      service is upgraded to it. (WCAG 2.1: 2.4.3 Focus Order)

    ### PDF documents

    - The PDF documents the service produces, such as the consent, the client summary, the
      summary for the doctor and the work-ability support plan, are made as PDF/UA, but their
      accessibility has not been checked with a separate PDF checker. The same information can
      be read on the service's pages.

    ### Language versions

    - The automated checks are run on the Finnish interface. The Swedish and English versions
      have not been checked separately.
    - The language of text written by users is not marked, so a screen reader reads, for
      example, a note written in Swedish in the language of the interface.
      (WCAG 2.1: 3.1.2 Language of Parts)

    We have not claimed a disproportionate burden for any content.

    ## How accessibility was assessed

    Accessibility was assessed by self-assessment. The service's browser tests walk through the
      main user journeys (logging in, finding a client, the referral and health check, booking
      a network meeting, the feedback discussion and plan, and administration) and check every
      page they open automatically with axe-core against the WCAG 2.1 level A and AA rules. A
      test fails if a single violation is found. Some of the tests use the service with the
      keyboard alone. In addition, the pages were reviewed by hand: headings, the names of form
      fields, keyboard focus and working without JavaScript. Automated tools find only part of the
      problems; what the manual review found is described above.

    ## Feedback and contact information

    Did you notice an accessibility gap? Tell us, and we will do our best to correct it. You
      may also ask for information that is not available in an accessible form: you have the
      right, for a justified reason, to receive in an accessible form the information you need
      to look after your interests, rights or obligations.

    Send feedback by e-mail to the registry office of the organisation that deployed the
      service. Its e-mail address is on the organisation's website. Users of the service may
      also give feedback to their own organisation's main user. We answer feedback within two
      weeks.

    ## Enforcement procedure

    If you notice accessibility problems, first give feedback to us. If you are not satisfied
      with the reply, or you get no reply within two weeks, you may notify the supervisory
      authority. The Finnish Transport and Communications Agency Traficom supervises the
      accessibility requirements. Its website explains how to submit a notification and how it
      is handled.

    Contact details of the supervisory authority:

    Finnish Transport and Communications Agency Traficom
    Digital Accessibility Supervision Unit
    https://www.webaccessibility.fi
    E-mail: saavutettavuus@traficom.fi
    Telephone (switchboard): +358 29 534 5000

    ## About this statement

    This statement was prepared on {PREPARED_ON['en']} and is based on a self-assessment. It is
      updated whenever changes affecting accessibility are made to the service. The top of this
      page shows when it was last updated.
""")

# (kind, language): (title, body)
NOTICES = {
    ("privacy", "fi"): ("Tietosuojaseloste", PRIVACY_FI),
    ("privacy", "sv"): ("Dataskyddsbeskrivning", PRIVACY_SV),
    ("privacy", "en"): ("Privacy notice", PRIVACY_EN),
    ("accessibility", "fi"): ("Saavutettavuusseloste", ACCESSIBILITY_FI),
    ("accessibility", "sv"): ("Tillgänglighetsutlåtande", ACCESSIBILITY_SV),
    ("accessibility", "en"): ("Accessibility statement", ACCESSIBILITY_EN),
}
