"""Dutch wording for the demo data: goals, actions, journal notes, closing notes and justifications.

Everything is fictitious and written the way professionals in the Utrecht approach write (short,
factual, no names of real people). The only name that appears is the demo person's own first name
(``{voornaam}``), which Faker made up. Organisation and intervention codes are those of the
reference-data migrations (``partners/0002_organisations``, ``cases/0002_reference_data``).
"""

from typing import NamedTuple

from cases.models import ActionKind

GRENZEN = ActionKind.GRENZEN_STELLEN
PERSPECTIEF = ActionKind.PERSPECTIEF_BIEDEN


class ActionTemplate(NamedTuple):
    """An action that fits a leefgebied: who may own it, its kind and intervention (codes)."""

    description: str
    owners: tuple[str, ...]
    kind: str
    intervention: str | None = None


GOALS: dict[str, tuple[str, ...]] = {
    "dagbesteding": (
        "Mbo-opleiding weer oppakken en een startkwalificatie halen",
        "Een betaalde baan vinden en behouden",
        "Vaste dagbesteding van minimaal vier dagen per week",
        "Stageplek vinden die past bij de opleiding",
    ),
    "zorg": (
        "Behandeling bij de GGZ starten en volhouden",
        "Cannabisgebruik afbouwen",
        "Agressieregulatietraining afronden",
        "Passende ondersteuning bij LVB regelen",
    ),
    "huisvesting": (
        "Een eigen kamer of begeleid wonen regelen",
        "Huurachterstand oplossen en uitzetting voorkomen",
        "Stabiele woonplek, weg uit de oude omgeving",
    ),
    "identiteitsbewijs": (
        "Geldig identiteitsbewijs aanvragen",
        "Inschrijving in de BRP op een correct adres",
    ),
    "inkomen": (
        "Schulden in kaart brengen en een schuldregeling starten",
        "Een passend inkomen: uitkering of studiefinanciering aanvragen",
        "Beschermingsbewind aanvragen en geldzaken op orde",
    ),
    "motivatie": (
        "Uitstappen uit het criminele netwerk zonder gezichtsverlies",
        "Een positief netwerk opbouwen buiten de wijk",
        "Afspraken nakomen en zelf de regie nemen",
    ),
}

ACTIONS: dict[str, tuple[ActionTemplate, ...]] = {
    "dagbesteding": (
        ActionTemplate(
            "Jobcoaching en een stageplek met status zoeken", ("jou", "werk-en-inkomen"), PERSPECTIEF, "banen-met-status"
        ),
        ActionTemplate("Ondersteuning bij de aanvraag van een VOG", ("gemeente-utrecht",), PERSPECTIEF, "vog-ondersteuning"),
        ActionTemplate("Aanmelden bij de Pop-up BusinessClub", ("jou",), PERSPECTIEF, "popup-businessclub"),
        ActionTemplate(
            "Aanmelding mbo en warme overdracht aan trajectbegeleider", ("buurtteams", "gemeente-utrecht"), PERSPECTIEF
        ),
        ActionTemplate("Leerplicht: verzuim bespreken en zo nodig handhaven", ("gemeente-utrecht",), GRENZEN),
    ),
    "zorg": (
        ActionTemplate("Intake bij Altrecht plannen en begeleiden", ("altrecht",), PERSPECTIEF),
        ActionTemplate("Forensische behandeling agressieregulatie", ("de-waag", "inforsa"), PERSPECTIEF),
        ActionTemplate("IQ-onderzoek en advies over LVB-ondersteuning", ("ggd-utrecht", "buurtteams"), PERSPECTIEF),
        ActionTemplate("Behandeling middelengebruik als bijzondere voorwaarde", ("verslavingsreclassering",), GRENZEN),
    ),
    "huisvesting": (
        ActionTemplate("Urgentieaanvraag en begeleiding naar een kamer", ("portaal", "bo-ex", "mitros"), PERSPECTIEF),
        ActionTemplate("Betalingsregeling voor de huurachterstand afspreken", ("portaal", "bo-ex", "mitros"), PERSPECTIEF),
        ActionTemplate("Plek in begeleid wonen regelen", ("lister",), PERSPECTIEF),
    ),
    "identiteitsbewijs": (
        ActionTemplate(
            "Samen naar het Stadskantoor voor een ID-kaart; leges via bijzondere bijstand", ("buurtteams",), PERSPECTIEF
        ),
        ActionTemplate("Inschrijving in de BRP op een briefadres regelen", ("gemeente-utrecht", "buurtteams"), PERSPECTIEF),
    ),
    "inkomen": (
        ActionTemplate(
            "Schuldhulpverlening: schulden in kaart en schuldregeling",
            ("werk-en-inkomen", "buurtteams"),
            PERSPECTIEF,
            "schuldhulp",
        ),
        ActionTemplate("Online spreekuur beschermingsbewind", ("buurtteams",), PERSPECTIEF, "spreekuur-beschermingsbewind"),
        ActionTemplate("Aanvraag uitkering begeleiden", ("werk-en-inkomen",), PERSPECTIEF),
        ActionTemplate("Onderzoek naar crimineel vermogen (afpakken)", ("openbaar-ministerie",), GRENZEN),
    ),
    "motivatie": (
        ActionTemplate("Koppeling aan een credible messenger", ("jou",), PERSPECTIEF, "credible-messengers"),
        ActionTemplate("Buddy uit het buddynetwerk", ("jou",), PERSPECTIEF, "buddynetwerk"),
        ActionTemplate("Deelname aan Crew 030", ("jou",), PERSPECTIEF, "crew-030"),
        ActionTemplate("Sporttraject een paar keer per week", ("jou",), PERSPECTIEF, "sport"),
        ActionTemplate("Jouw Uitweg: uitstappen zonder gezichtsverlies", ("jou", "gemeente-utrecht"), PERSPECTIEF, "jouw-uitweg"),
        ActionTemplate("Reclasseringstoezicht: meldplicht en bijzondere voorwaarden", ("reclassering-nederland",), GRENZEN),
        ActionTemplate(
            "Multidisciplinair toezichtteam: gerichte controles",
            ("politie-midden-nederland",),
            GRENZEN,
            "multidisciplinair-toezichtteam",
        ),
        ActionTemplate("Bestuurlijk toezicht: gebiedsverbod handhaven", ("gemeente-utrecht",), GRENZEN, "bestuurlijk-toezicht"),
        ActionTemplate(
            "Omgevingsadvies reclassering opstellen", ("reclassering-nederland",), GRENZEN, "omgevingsadvies-reclassering"
        ),
    ),
}

# Journal texts with the category their author gives them (issue #4): who may read them follows the
# sharing matrix, so a note about an arrest is ``justitieel``, an intake at a GGZ provider ``zorg``.
JOURNAL_CONTACT = (
    ("Huisbezoek: {voornaam} thuis gesproken, samen met moeder. Afspraken over dagritme doorgenomen.", "plan"),
    ("Gesprek op kantoor. Gaat goed op stage, wel moeite met op tijd komen.", "sociaal"),
    ("Telefonisch contact; afspraak bij schuldhulp is verzet naar volgende week.", "sociaal"),
    ("Niet verschenen op de afspraak. Via de jongerenwerker opnieuw contact gelegd.", "plan"),
    ("Gesprek met credible messenger en {voornaam}: wil uit het netwerk en zoekt werk.", "plan"),
    ("Samen naar het Stadskantoor voor de aanvraag van een ID-kaart.", "sociaal"),
    ("Kort contact in de wijk; {voornaam} oogt rustiger dan vorige maand.", "plan"),
    ("Gesprek over de toekomst: wil een opleiding in de techniek, twijfelt nog over de kosten.", "sociaal"),
    ("Bezoek in de PI samen met de reclassering; afspraken gemaakt voor na de vrijlating.", "justitieel"),
    ("Sportschool bezocht met {voornaam}; traint nu twee keer per week.", "plan"),
)

JOURNAL_NOTE = (
    ("Signaal wijkagent: {voornaam} gezien bij een bekende dealplek. Besproken in het casusoverleg.", "justitieel"),
    ("Casusoverleg: besloten het plan van aanpak met drie maanden te verlengen.", "plan"),
    ("Reclassering meldt: meldplicht nagekomen, urinecontroles negatief.", "justitieel"),
    ("Schuldenoverzicht ontvangen, totaal ongeveer € {bedrag}. Aanmelding schuldhulp gedaan.", "sociaal"),
    ("Moeder belt bezorgd: {voornaam} komt 's nachts laat thuis. Huisbezoek ingepland.", "plan"),
    ("School meldt verzuim; leerplichtambtenaar ingeschakeld.", "sociaal"),
    ("Evaluatie plan van aanpak: twee van de drie doelen liggen op schema.", "plan"),
    ("Intake Altrecht heeft plaatsgevonden; wachttijd voor de behandeling ongeveer zes weken.", "zorg"),
    ("Woningcorporatie akkoord met betalingsregeling; uitzetting van de baan.", "sociaal"),
    ("Overleg met jongerenwerk: {voornaam} doet mee aan het sportprogramma in de buurt.", "plan"),
)

JOURNAL_REGISTERED = "Aanmelding ontvangen en besproken; eerste kennismaking wordt gepland."
JOURNAL_CLOSED = "Casus afgesloten. Afspraken over nazorg gemaakt met de betrokken partners."

NOT_INFORMED_REASONS = (
    "Informeren schaadt een lopend strafrechtelijk onderzoek (afstemming met het OM).",
    "Nog niet bereikt: twee huisbezoeken zonder contact, brief verstuurd.",
)

CLOSING_NOTES = {
    "doelen_behaald": "Doelen behaald; geen nieuwe delicten sinds ruim een jaar. Nazorg via het buurtteam.",
    "niet_opgenomen": "Past niet in de criteria voor de persoonsgerichte aanpak; partners werken in de basisinzet verder.",
    "verhuisd": "Verhuisd buiten de regio; warme overdracht aan de gemeente van de nieuwe woonplaats.",
    "overgedragen": "Overgedragen aan de jeugdbescherming; die neemt de regie over.",
}

ESCALATION_REASON = "Frequente politiecontacten en problemen op meerdere leefgebieden; besloten in het casusoverleg."
HANDOVER_REASON = "Herverdeling van de caseload binnen het PGA-team."

OFFENCE_DESCRIPTIONS = (
    "",
    "",
    "Aangehouden na melding van buurtbewoners.",
    "Aangehouden bij controle in de wijk.",
    "Aangetroffen tijdens doorzoeking van de woning.",
)

DETENTION_INSTITUTIONS_YOUNG = ("JJI Den Hey-Acker", "JJI Teylingereind")
DETENTION_INSTITUTIONS = ("PI Nieuwegein", "PI Vught", "PI Almere", "PI Lelystad")

FAMILY_DESCRIPTION = (
    "Familienetwerk in {wijk}: meerdere leden betrokken bij drugshandel en witwassen; criteria "
    "crimineel systeem getoetst en vastgesteld in het casusoverleg."
)
FAMILY_DESCRIPTION_MAATWERK = (
    "Familienetwerk in {wijk}. Maatwerk: intergenerationele overdracht niet aantoonbaar, wel ernstige "
    "ondermijnende drugscriminaliteit en minderjarige kinderen in het gezin; besloten in het casusoverleg."
)
FAMILY_JUSTIFICATION = (
    "{rol} binnen het gezin; volgens politie-informatie betrokken bij de drugshandel vanuit de woning. "
    "Minderjarige broertjes en zusjes in het gezin. Vastgesteld in het casusoverleg."
)
