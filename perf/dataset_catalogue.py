"""Word lists of the dataset generator (``perf.dataset``): regions and organisations, fake names, plan
texts. Every name of a person is made up from these lists; none belongs to a real person."""

from typing import Any

POLITIE = "politie"  # the region key of the national police units

# The Zorg- en Veiligheidshuis regions outside Utrecht, with the city whose gemeente directs there.
REGIONS = (
    ("amsterdam-amstelland", "Amsterdam-Amstelland", "Amsterdam"),
    ("rotterdam-rijnmond", "Rotterdam-Rijnmond", "Rotterdam"),
    ("haaglanden", "Haaglanden", "Den Haag"),
    ("twente", "Twente", "Enschede"),
    ("limburg-noord", "Limburg-Noord", "Venlo"),
    ("zuid-limburg", "Zuid-Limburg", "Maastricht"),
    ("groningen", "Groningen", "Groningen"),
    ("fryslan", "Fryslân", "Leeuwarden"),
    ("drenthe", "Drenthe", "Assen"),
    ("ijsselland", "IJsselland", "Zwolle"),
    ("gelderland-midden", "Gelderland-Midden", "Arnhem"),
    ("gelderland-zuid", "Gelderland-Zuid", "Nijmegen"),
    ("noord-holland-noord", "Noord-Holland Noord", "Alkmaar"),
    ("kennemerland", "Kennemerland", "Haarlem"),
    ("zaanstreek-waterland", "Zaanstreek-Waterland", "Zaanstad"),
    ("gooi-en-vechtstreek", "Gooi en Vechtstreek", "Hilversum"),
    ("flevoland", "Flevoland", "Almere"),
    ("hollands-midden", "Hollands Midden", "Leiden"),
    ("zuid-holland-zuid", "Zuid-Holland Zuid", "Dordrecht"),
    ("zeeland", "Zeeland", "Middelburg"),
    ("midden-west-brabant", "Midden- en West-Brabant", "Breda"),
    ("brabant-noordoost", "Brabant-Noordoost", "'s-Hertogenbosch"),
    ("zuidoost-brabant", "Zuidoost-Brabant", "Eindhoven"),
)

POLITIE_UNITS = (
    "Noord-Nederland",
    "Oost-Nederland",
    "Noord-Holland",
    "Amsterdam",
    "Den Haag",
    "Rotterdam",
    "Zeeland-West-Brabant",
    "Oost-Brabant",
    "Limburg",
)

# Reference straf organisations that work in every region (partners/migrations/0002).
NATIONAL_STRAF = (
    "openbaar-ministerie",
    "reclassering-nederland",
    "leger-des-heils-jbr",
    "verslavingsreclassering",
    "halt",
    "raad-voor-de-kinderbescherming",
)

EXTRA = (
    ("ds-schuldhulp-nederland", "Stichting Schuldhulp Nederland", "sociaal"),
    ("ds-credible-messengers", "Landelijk Netwerk Credible Messengers", "sociaal"),
    ("ds-werkleerbedrijf", "Stichting Werkleerbedrijf Midden", "sociaal"),
    ("ds-jeugdbescherming-west", "Jeugdbescherming West", "sociaal"),
    ("ds-fact-jeugd", "FACT Jeugd Nederland", "zorg"),
    ("ds-lvb-expertise", "Expertisecentrum LVB en Jeugd", "zorg"),
)


def _slug(text: str) -> str:
    return text.lower().replace("'", "").replace("â", "a").replace(" ", "-").replace("--", "-")


def organisations(count: int) -> list[tuple[str, str, str, bool, Any]]:
    """``count`` generated organisations (code, name, domain, may_register, region key), region by
    region first so a small count still gives whole regions, then police units and national extras,
    then numbered neighbourhood teams."""
    rows: list[tuple[str, str, str, bool, Any]] = []
    for key, region, city in REGIONS:
        slug = _slug(city)
        rows += [
            (f"ds-gemeente-{slug}", f"Gemeente {city}", "regie", True, key),
            (f"ds-zvh-{key}", f"Zorg- en Veiligheidshuis {region}", "regie", False, key),
            (f"ds-ggz-{key}", f"GGZ {region}", "zorg", False, key),
            (f"ds-forensisch-{key}", f"Forensische Polikliniek {region}", "zorg", False, key),
            (f"ds-buurtteams-{slug}", f"Buurtteams {city}", "sociaal", False, key),
            (f"ds-jongerenwerk-{slug}", f"Jongerenwerk {city}", "sociaal", False, key),
            (f"ds-wonen-{slug}", f"Woonstichting {city}", "sociaal", False, key),
        ]
    rows += [(f"ds-politie-{_slug(unit)}", f"Politie {unit}", "straf", True, POLITIE) for unit in POLITIE_UNITS]
    rows += [(code, name, domain, False, None) for code, name, domain in EXTRA]
    number = 0
    while len(rows) < count:
        number += 1
        _, _, city = REGIONS[number % len(REGIONS)]
        rows.append((f"ds-buurtteam-{_slug(city)}-{number}", f"Buurtteam {city} {number}", "sociaal", False, None))
    return rows[:count]


GIVEN_NAMES = (
    "Daan", "Mohamed", "Sem", "Noah", "Liam", "Rayan", "Milan", "Youssef", "Levi", "Bilal", "Finn", "Adam",
    "Jayden", "Anouar", "Thijs", "Luuk", "Ilias", "Jesse", "Mees", "Ryan", "Soufiane", "Dylan", "Kevin",
    "Romano", "Gianni", "Xavier", "Ayoub", "Stijn", "Joël", "Hamza", "Tygo", "Damian", "Nordin", "Quinten",
)  # fmt: skip
GIVEN_NAMES_F = (
    "Sara", "Emma", "Yasmina", "Lotte", "Chanel", "Fleur", "Amira", "Naomi", "Julia", "Shanice", "Imane",
    "Tess", "Kimberley", "Nour", "Dewi",
)  # fmt: skip
SURNAMES = (
    "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos", "Peters", "Hendriks", "Dekker",
    "Brouwer", "Kaya", "Yilmaz", "Ouali", "Bouzid", "Martina", "Pinas", "Koster", "Prins", "Willems",
)  # fmt: skip
PERSON_SURNAMES = (
    ("", "Jansen"), ("de", "Vries"), ("van", "Dijk"), ("", "Bakker"), ("", "Visser"), ("van der", "Berg"),
    ("", "El Amrani"), ("", "Yilmaz"), ("", "Öztürk"), ("", "Benali"), ("", "Martina"), ("", "Pinas"),
    ("de", "Boer"), ("van", "Leeuwen"), ("", "Bouali"), ("", "Kok"), ("", "Doğan"), ("", "Sedney"),
    ("van den", "Heuvel"), ("", "Haddou"), ("", "Mulder"), ("ter", "Horst"), ("", "Chaouch"), ("", "Kramer"),
    ("", "Wijnaldum"), ("", "Lachhab"), ("op den", "Kamp"), ("", "Tahiri"), ("", "de Graaf"), ("", "Bennani"),
)  # fmt: skip

CLOSING_REASONS = ("doelen_behaald", "niet_opgenomen", "verhuisd", "overgedragen", "overleden", "overig")
CLOSING_WEIGHTS = (45, 10, 10, 20, 1, 14)
OUTCOMES = ("open", "sepot", "vrijspraak", "veroordeling")
OUTCOME_WEIGHTS_OLD = (15, 15, 5, 65)
OUTCOME_WEIGHTS_RECENT = (65, 10, 2, 23)
NOT_INFORMED = (
    "Persoon is niet bereikbaar; nieuwe poging via de jongerenwerker.",
    "Informeren schaadt het lopende strafrechtelijk onderzoek (afgestemd met OM).",
    "Persoon verblijft in het buitenland.",
)
INSTITUTIONS = (
    "PI Vught", "PI Nieuwegein", "JJI Den Hey-Acker", "JJI Teylingereind", "PI Zwolle", "PI Rotterdam",
    "JJI De Hunnerberg", "PI Lelystad", "PI Alphen aan den Rijn", "JJI Het Keerpunt",
)  # fmt: skip
BTG_REASONS = (
    "Spoedmelding politie: acute dreiging, casusregisseur niet bereikbaar, zicht op afspraken nodig.",
    "Crisisopname in het weekend; de vaste regisseur is afwezig en het plan moet direct bekend zijn.",
    "Melding van Veilig Thuis buiten kantoortijd; nagaan of er al een aanpak loopt en wie contact is.",
)

LEEFGEBIEDEN = ("dagbesteding", "zorg", "huisvesting", "identiteitsbewijs", "inkomen", "motivatie")
GOALS = {
    "dagbesteding": ("Volgt een opleiding of heeft werk", "Heeft een vaste dagbesteding"),
    "zorg": ("Krijgt passende zorg voor verslaving", "Is in beeld bij de GGZ en komt afspraken na"),
    "huisvesting": ("Heeft een vaste woon- of verblijfplaats", "Woont stabiel, zonder overlast"),
    "identiteitsbewijs": ("Heeft een geldig identiteitsbewijs",),
    "inkomen": ("Heeft een stabiel inkomen en zicht op de schulden", "Schulden staan onder bewind"),
    "motivatie": ("Is gemotiveerd om uit het criminele netwerk te stappen", "Heeft positieve rolmodellen"),
}
ACTIONS = {
    "dagbesteding": (
        ("Aanmelden bij Banen met status", "perspectief_bieden"),
        ("Gesprek met school over terugkeer", "perspectief_bieden"),
        ("VOG-aanvraag ondersteunen", "perspectief_bieden"),
    ),
    "zorg": (
        ("Intake verslavingszorg plannen", "perspectief_bieden"),
        ("LVB-screening laten doen", "perspectief_bieden"),
        ("Toezicht op naleving behandelverplichting", "grenzen_stellen"),
    ),
    "huisvesting": (
        ("Urgentieaanvraag woning voorbereiden", "perspectief_bieden"),
        ("Gesprek woningcorporatie over overlast", "grenzen_stellen"),
    ),
    "identiteitsbewijs": (("Afspraak gemeente voor ID-kaart", "perspectief_bieden"),),
    "inkomen": (
        ("Schuldhulptraject starten", "perspectief_bieden"),
        ("Uitkering aanvragen bij Werk en Inkomen", "perspectief_bieden"),
        ("Beslag op criminele inkomsten laten onderzoeken", "grenzen_stellen"),
    ),
    "motivatie": (
        ("Koppelen aan een credible messenger", "perspectief_bieden"),
        ("Sporttraject twee keer per week", "perspectief_bieden"),
        ("Bestuurlijke waarschuwing uitreiken", "grenzen_stellen"),
        ("Gebiedsverbod handhaven", "grenzen_stellen"),
    ),
}
