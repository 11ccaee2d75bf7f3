"""The names and texts of the generated world and its clients, in Finnish as the users write."""

# Finland's municipalities (2024), Kainuu's eight among them: seed_demo has those already.
MUNICIPALITY_NAMES = """
Akaa Alajärvi Alavieska Alavus Asikkala Askola Aura Brändö Eckerö Enonkoski Enontekiö Espoo
Eura Eurajoki Evijärvi Finström Forssa Föglö Geta Haapajärvi Haapavesi Hailuoto Halsua Hamina
Hammarland Hankasalmi Hanko Harjavalta Hartola Hattula Hausjärvi Heinola Heinävesi Helsinki
Hirvensalmi Hollola Honkajoki Huittinen Humppila Hyrynsalmi Hyvinkää Hämeenkyrö Hämeenlinna Ii
Iisalmi Iitti Ikaalinen Ilmajoki Ilomantsi Imatra Inari Inkoo Isojoki Isokyrö Janakkala Joensuu
Jokioinen Jomala Joroinen Joutsa Juuka Juupajoki Juva Jyväskylä Jämijärvi Jämsä Järvenpää
Kaarina Kaavi Kajaani Kalajoki Kangasala Kangasniemi Kankaanpää Kannonkoski Kannus Karijoki
Karkkila Karstula Karvia Kaskinen Kauhajoki Kauhava Kauniainen Kaustinen Keitele Kemi
Kemijärvi Keminmaa Kemiönsaari Kempele Kerava Keuruu Kihniö Kinnula Kirkkonummi Kitee Kittilä
Kiuruvesi Kivijärvi Kokemäki Kokkola Kolari Konnevesi Kontiolahti Korsnäs Koski_Tl Kotka
Kouvola Kristiinankaupunki Kruunupyy Kuhmo Kuhmoinen Kumlinge Kuopio Kuortane Kurikka Kustavi
Kuusamo Kyyjärvi Kärkölä Kärsämäki Kökar Lahti Laihia Laitila Lapinjärvi Lapinlahti Lappajärvi
Lappeenranta Lapua Laukaa Lemi Lemland Lempäälä Leppävirta Lestijärvi Lieksa Lieto Liminka
Liperi Lohja Loimaa Loppi Loviisa Luhanka Lumijoki Lumparland Luoto Luumäki Maalahti
Maarianhamina Marttila Masku Merijärvi Merikarvia Miehikkälä Mikkeli Muhos Multia Muonio
Mustasaari Muurame Mynämäki Myrskylä Mäntsälä Mänttä-Vilppula Mäntyharju Naantali Nakkila
Nivala Nokia Nousiainen Nurmes Nurmijärvi Närpiö Orimattila Oripää Orivesi Oulainen Oulu
Outokumpu Padasjoki Paimio Paltamo Parainen Parikkala Parkano Pedersöre Pelkosenniemi Pello
Perho Pertunmaa Petäjävesi Pieksämäki Pielavesi Pietarsaari Pihtipudas Pirkkala Polvijärvi
Pomarkku Pori Pornainen Porvoo Posio Pudasjärvi Pukkila Punkalaidun Puolanka Puumala Pyhtää
Pyhäjoki Pyhäjärvi Pyhäntä Pyhäranta Pälkäne Pöytyä Raahe Raasepori Raisio Rantasalmi Ranua
Rauma Rautalampi Rautavaara Rautjärvi Reisjärvi Riihimäki Ristijärvi Rovaniemi Ruokolahti
Ruovesi Rusko Rääkkylä Saarijärvi Salla Salo Saltvik Sastamala Sauvo Savitaipale Savonlinna
Savukoski Seinäjoki Sievi Siikainen Siikajoki Siikalatva Siilinjärvi Simo Sipoo Siuntio
Sodankylä Soini Somero Sonkajärvi Sotkamo Sottunga Sulkava Sund Suomussalmi Suonenjoki Sysmä
Säkylä Taipalsaari Taivalkoski Taivassalo Tammela Tampere Tervo Tervola Teuva Tohmajärvi
Toholampi Toivakka Tornio Turku Tuusniemi Tuusula Tyrnävä Ulvila Urjala Utajärvi Utsjoki
Uurainen Uusikaarlepyy Uusikaupunki Vaala Vaasa Valkeakoski Valtimo Vantaa Varkaus Vehmaa
Vesanto Vesilahti Veteli Vieremä Vihti Viitasaari Vimpeli Virolahti Virrat Vårdö Vöyri
Ylitornio Ylivieska Ylöjärvi Ypäjä Ähtäri Äänekoski
""".split()  # noqa: SIM905 (a literal would take 300 lines)
MUNICIPALITY_NAMES = [name.replace("_", " ") for name in MUNICIPALITY_NAMES]

# Roughly the population in thousands, for the larger ones; the rest get 1.5-12.
LARGE_MUNICIPALITIES = {
    "Helsinki": 675, "Espoo": 320, "Tampere": 255, "Vantaa": 250, "Oulu": 215, "Turku": 200,
    "Jyväskylä": 147, "Kuopio": 125, "Lahti": 121, "Pori": 83, "Kouvola": 78, "Joensuu": 78,
    "Lappeenranta": 73, "Hämeenlinna": 68, "Vaasa": 68, "Seinäjoki": 65, "Rovaniemi": 65,
    "Mikkeli": 52, "Porvoo": 51, "Salo": 51, "Kotka": 51, "Kokkola": 48, "Hyvinkää": 47,
    "Lohja": 46, "Järvenpää": 46, "Nurmijärvi": 45, "Kirkkonummi": 41, "Tuusula": 40,
    "Rauma": 38, "Kerava": 38, "Kajaani": 36, "Nokia": 36, "Kaarina": 36, "Ylöjärvi": 34,
    "Kangasala": 33, "Savonlinna": 31, "Vihti": 29, "Riihimäki": 29, "Raasepori": 27,
    "Imatra": 25, "Raisio": 25, "Lempäälä": 24, "Raahe": 24, "Sastamala": 24, "Hollola": 23,
    "Sipoo": 22, "Tornio": 21, "Iisalmi": 21, "Valkeakoski": 21, "Siilinjärvi": 21,
    "Mäntsälä": 21, "Lieto": 21, "Varkaus": 20, "Kemi": 20, "Kurikka": 20, "Pirkkala": 20,
    "Jämsä": 20, "Kempele": 19, "Naantali": 19, "Hamina": 19, "Laukaa": 19, "Pietarsaari": 19,
    "Mustasaari": 19, "Äänekoski": 18, "Heinola": 18, "Forssa": 17, "Pieksämäki": 17,
    "Sotkamo": 10, "Kuhmo": 8, "Suomussalmi": 7, "Paltamo": 3, "Puolanka": 2.5,
    "Hyrynsalmi": 2, "Ristijärvi": 1.2,
}

FIRST_NAMES = [
    "Aino", "Anna", "Anne", "Anni", "Elina", "Emilia", "Emma", "Hanna", "Heidi", "Helena",
    "Johanna", "Julia", "Katja", "Kirsi", "Laura", "Leena", "Liisa", "Maria", "Marja", "Minna",
    "Noora", "Pauliina", "Riikka", "Sanna", "Sari", "Satu", "Suvi", "Tiina", "Tuula", "Veera",
    "Aleksi", "Antti", "Eero", "Eetu", "Heikki", "Jari", "Joni", "Juha", "Juho", "Jukka",
    "Jussi", "Kari", "Lauri", "Markku", "Matti", "Mikko", "Niko", "Pekka", "Petri", "Sami",
    "Teemu", "Timo", "Tuomas", "Ville", "Mohamed", "Ahmed", "Olga", "Fatima", "Erik", "Linnea",
]

# The commonest Finnish surnames first: they are drawn the most often (draws.LAST_NAMES).
LAST_NAMES = [
    "Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen",
    "Koskinen", "Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen", "Heinonen", "Niemi",
    "Heikkilä", "Kinnunen", "Salonen", "Turunen", "Salo", "Laitinen", "Tuominen", "Rantanen",
    "Karjalainen", "Jokinen", "Mattila", "Savolainen", "Lahtinen", "Ahonen", "Ojala",
    "Leinonen", "Hiltunen", "Miettinen", "Kallio", "Pitkänen", "Hirvonen", "Väisänen",
    "Lehto", "Aaltonen", "Kettunen", "Leppänen", "Manninen", "Eskelinen", "Huttunen",
    "Kemppainen", "Pulkkinen", "Karppinen", "Rytkönen", "Moilanen", "Komulainen", "Tervo",
    "Kähkönen", "Räsänen", "Anttila", "Seppälä", "Mustonen", "Hakala", "Peltonen", "Toivonen",
    "Vainio", "Lindholm", "Lindqvist", "Nyström", "Söderberg", "Rautio", "Ahola", "Rinne",
    "Hyvönen", "Partanen", "Backman", "Holmberg", "Kivelä", "Niskanen", "Oksanen", "Parviainen",
    "Tolonen", "Sirviö", "Hyttinen", "Kauppinen", "Koponen", "Lappalainen", "Markkanen",
    "Nurmi", "Pesonen", "Rissanen", "Suominen", "Tikkanen", "Vartiainen", "Vesterinen",
    "Haddad", "Ali", "Ivanova", "Nguyen",
]

STREETS = [
    "Koulukatu", "Kirkkokatu", "Rantatie", "Asematie", "Myllytie", "Puistokatu", "Kauppakatu",
    "Koivukuja", "Mäntytie", "Pappilantie", "Harjukatu", "Teollisuustie", "Kalliokatu",
    "Metsätie", "Peltotie", "Sairaalantie", "Opintie", "Torikatu", "Uimarinkatu", "Kuusikuja",
]
INTERPRETER_LANGUAGES = ["arabia", "somali", "venäjä", "ukraina", "dari", "kurdi", "viro",
                         "englanti", "persia", "thai"]

SERVICES_SUMMARIES = [
    "Uravalmennus, työnhaku tuotantoalalle",
    "Työkokeilu kaupan alalla keskeytyi kolmen viikon jälkeen",
    "Kuntouttava työtoiminta kaksi päivää viikossa",
    "Ammatillinen koulutus keskeytynyt, työnhakijana",
    "Palkkatuettu työ päättyi, ei uutta työtä",
    "Työvoimakoulutus logistiikka-alalle haettu",
    "Ei palveluja tällä hetkellä",
    "Mielenterveyspalvelujen asiakas, työnhaku tauolla",
    "Työpajajakso puutyöpajassa",
    "Kotoutumiskoulutus ja suomen kielen kurssi",
]
REASON_DETAILS = [
    "Pitkittyneet selkävaivat rajoittavat työnhakua",
    "Väsymystä ja uniongelmia, asiakas toivoo arviota",
    "Edellisestä tarkastuksesta on yli vuosi",
    "Työkokeilussa ilmeni vaikeuksia jaksaa",
    "Päihteiden käyttö huolettaa",
]
CANCELLATION_REASONS = [
    "Asiakas muutti toiselle paikkakunnalle",
    "Asiakas työllistyi",
    "Asiakas peruutti, ei halua tarkastusta nyt",
    "Lähete tehty vahingossa kahteen kertaan",
]
LIMITATIONS = [
    "tuki- ja liikuntaelinten vaivat", "mielialan lasku ja uupumus", "päihteiden käyttö",
    "muistin ja keskittymisen vaikeudet", "muu sairaus",
]
MEETING_REASONS = [
    "Useita palveluja, tilanne ei etene", "Työkyky epäselvä, tarvitaan usean alan arvio",
    "Terveydentila ja työnhaku pitää sovittaa yhteen",
]
NEXT_STEPS = [
    "Lääkärin vastaanotto kuukauden sisällä",
    "Työnhaku jatkuu, uusi tarkastus vuoden päästä",
    "Fysioterapeutin arvio ja työkokeilu",
    "Ohjaus mielenterveyspalveluihin, seuranta puhelimitse",
    "Monialainen tapaaminen tiimissä",
]
FINDINGS = [
    "Selkävaivat rajoittavat raskasta työtä; kevyt työ onnistuu",
    "Mieliala matala, unirytmi hajallaan; työkyky alentunut",
    "Ei terveydellistä estettä työllistymiselle",
    "Kuormittuminen nopeaa; osa-aikatyö sopisi",
    "Päihteiden käyttö vaikeuttaa sitoutumista, tuki tarpeen",
]
RECOMMENDATIONS = [
    "Työkokeilu kevyessä työssä, fysioterapia",
    "Hoito mielenterveyspalveluissa ennen työnhakua",
    "Työnhaku jatkuu, uravalmennus",
    "Lääkärin arvio työkyvystä ja kuntoutusmahdollisuuksista",
    "Osa-aikainen palkkatuettu työ",
]
EXAMINATIONS = ["Laboratoriokokeet", "Selän magneettikuvaus", "Lähete psykiatrian poliklinikalle",
                "Muistitutkimukset", "Fysioterapeutin arvio"]
JUSTIFICATIONS = [
    "Sairaus on hoidossa ja työkyky riittää kevyeen työhön",
    "Työkyky on alentunut pitkäaikaisesti, kuntoutus tarpeen ensin",
    "Hoito kesken; työkykyä arvioidaan uudelleen hoidon jälkeen",
]
CONTINUATION_PLANS = [
    "Kelan ammatillinen kuntoutusselvitys",
    "Sairauspoissaolo ja hoito, sen jälkeen työkokeilu",
    "Työnhaku jatkuu TE-palveluissa",
    "Kuntoutustutkimus ja seurantakäynti kolmen kuukauden päästä",
]
AGENDAS = ["Tilannekuva, tavoite ja tuki", "Työkyvyn arvio ja jatkosuunnitelma",
           "Kuntoutusvaihtoehdot ja vastuuhenkilö"]
MINUTES = [
    "Tilanne käytiin läpi. Tavoitteena työkokeilu; vastuuhenkilö sovittu.",
    "Lääkärin arvio tarpeen ennen kuntoutusta. Palautekeskustelu sovittu.",
    "Asiakas motivoitunut, kuntouttava työtoiminta alkaa. Seuranta kuukauden päästä.",
]
SHORT_TERM_GOALS = [
    "Saan unirytmin kuntoon ja käyn työpajalla kolmena päivänä viikossa",
    "Pääsen työkokeiluun kevyeen työhön",
    "Selkä kestää kävelyn ja arkiaskareet",
    "Haen kolmea työpaikkaa kuukaudessa",
]
LONG_TERM_GOALS = ["", "Osa-aikainen työ omalta alalta", "Ammatillinen koulutus",
                   "Vakituinen työ kaupan alalla"]
ACTIONS = [
    "Työkokeilu kaupan alalla", "Fysioterapeutin arvio", "Kelan kuntoutusselvityksen haku",
    "Uravalmennuksen aloitus", "Velkaneuvonta", "Lääkärin vastaanotto",
    "Työpajajakso", "Asuntoasioiden selvittäminen",
]
RESPONSIBLE_OTHERS = ["Asiakas itse", "Tukihenkilö", "Kelan palvelupiste",
                      "Työpajan ohjaaja", "Oppilaitoksen opinto-ohjaaja"]
FOLLOW_UP_NOTES = ["Asiakas kertoo tilanteen edenneen sovitusti.",
                   "Työkokeilu alkoi, jaksaminen hyvä.",
                   "Uusi aika fysioterapiaan, muuten ennallaan.",
                   "Tilanne vaikeutunut; uusi tapaaminen sovittu."]
OTHERS_PRESENT = ["Äiti tukena", "Tukihenkilö järjestöstä", "Puoliso"]
REVIEWED = [
    "Kävimme läpi tapaamisen päätökset ja tavoitteen. Asiakas hyväksyy suunnitelman.",
    "Tilanne on edennyt: työkokeilu sovittu, lääkärin arvio tehty.",
    "Asiakas ymmärtää jatkon; tukiverkko on kunnossa.",
]

# The extras (extras.py): consents, disclosure bans, situation notes and meeting decisions.
CONSENT_PURPOSES = [
    "Työkyvyn tuen suunnittelu ja seuranta",
    "Monialainen verkostotapaaminen ja sen jatkotoimet",
    "Kuntoutusmahdollisuuksien selvittäminen yhdessä",
    "Työllistymisen tuki ja palveluiden yhteensovittaminen",
]
REVOCATION_REASONS = ["Asiakas perui suostumuksen puhelimessa.", "Asiakkaan pyynnöstä.",
                      "Asiakas haluaa antaa uuden, suppeamman suostumuksen.", ""]
BAN_REASONS = ["Asiakas ei halua tietojaan luovutettavan.", "Asiakkaan pyynnöstä.", ""]
NOTE_TEXTS = {
    "identity": ["Asiakas toivoo yhteydenottoa tekstiviestillä.",
                 "Osoite muuttuu ensi kuussa, asiakas ilmoittaa uuden.",
                 "Tavoittaa parhaiten aamupäivisin."],
    "employment": ["Työnhaku aktiivista, kaksi hakemusta lähetetty.",
                   "Työkokeilupaikka neuvotteilla kaupan alalta.",
                   "Uravalmennus alkanut, asiakas osallistuu säännöllisesti.",
                   "Toivoo osa-aikatyötä omalta alaltaan."],
    "health": ["Selkäkivut rajoittavat pitkää seisomista.",
               "Unirytmi parantunut, jaksaminen ennallaan.",
               "Fysioterapiajakso alkaa, seurantakäynti sovittu.",
               "Lääkitys muutettu, vointi vaihtelee."],
    "social": ["Asumistilanne vakiintunut, tuettu asuminen jatkuu.",
               "Talousneuvonta sovittu, velkajärjestely vireillä.",
               "Arki sujuu, tukena läheinen."],
    "benefits": ["Kuntoutustuen hakemus vireillä Kelassa.",
                 "Työmarkkinatuki maksussa, ei muutoksia.",
                 "Ammatillisen kuntoutuksen selvitys haettu."],
}
REALISTIC_GOALS = ["Työkokeilu kevyessä työssä", "Kuntouttava työtoiminta kolmena päivänä viikossa",
                   "Ammatillinen koulutus syksyllä", "Osa-aikatyö omalta alalta",
                   "Työkyvyn arvio ja sen jälkeen tuettu työllistyminen"]
SUPPORTS = ["Uravalmennus", "Työpajajakso", "Fysioterapia ja elintapaohjaus",
            "Kelan ammatillinen kuntoutusselvitys", "Velkaneuvonta ja sosiaaliohjaus"]
FINANCIAL_SUPPORTS = ["Kuntoutusraha ajalle", "Toimeentulotuen tarve selvitetään",
                      "Työmarkkinatuki jatkuu kuntouttavan työtoiminnan ajan"]
INFORMATION_FOR_DOCTOR = ["Olkapää kipeytyy nostoissa.", "Uupumus ja unettomuus jatkuneet.",
                          "Liikkumisen rajoitteet, elintapasairaudet."]
QUESTIONS_FOR_DOCTOR = ["Mihin työhön työkyky riittää nyt?",
                        "Tarvitaanko B-lausunto Kelalle?",
                        "Puoltaako terveydentila ammatillista kuntoutusselvitystä?"]
DOCTOR_APPOINTMENTS = ["Lääkärin vastaanotto kahden viikon kuluessa", "Etävastaanotto sovitaan"]
DECISION_FOLLOW_UPS = ["Vastuuhenkilö soittaa kuukauden päästä.",
                       "Seurantatapaaminen kolmen kuukauden päästä.",
                       "Palautekeskustelussa sovitaan jatkosta."]
