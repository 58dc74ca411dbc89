"""The two named demo cases anyone can script against, built through the services (issue #2).

**Vincent Bakker** (DOMAIN.md §10): 22, Overvecht, lokale PGA, doorgroeier, case director
``pga.expert``; team Politie Midden-Nederland and JoU (and Gemeente Utrecht, which registered him) —
not Altrecht. Left drug dealing after one Opiumwet dealing offence about two months ago, so his
earliest exit date lies about ten months ahead. Got a job after VOG support, has a three-year debt
plan, two credible messengers and sport a few times a week.

**Dylan Visser**: 20, Zuidwest, Top X (ZVHRU), registered by the police; case director
``pga.expert``, process director ``procesregisseur``; team Politie Midden-Nederland, Reclassering
Nederland and Altrecht. Three offences in the last 18 months, the latest about three months ago, one
of them a robbery (Sr 312); three leefgebieden at 1–2.

The services check the rules and the access of each actor, and auditlog records each write with its
actor. The services date a registration today; a demo needs history, so afterwards the opening date,
the team's from-dates and the recorded changes are moved back with plain updates.
"""

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import Any, NamedTuple

from auditlog.context import set_actor
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from cases import services
from cases.models import (
    Action,
    ActionKind,
    ActionStatus,
    Case,
    CaseChange,
    CaseStatus,
    CaseTeamMember,
    DrugNetworkIndication,
    Gender,
    Goal,
    JournalKind,
    OffenceOutcome,
    TargetGroup,
    Tier,
)
from partners.models import User
from privacy.categories import Category

from .context import Demo

# Fixed, fictitious BSNs (eleven-check valid) in the 9999… range that Dutch test sets commonly use.
VINCENT_BSN = "999911107"
DYLAN_BSN = "999912215"
BSNS = (VINCENT_BSN, DYLAN_BSN)

GEMEENTE, POLITIE, JOU = "gemeente-utrecht", "politie-midden-nederland", "jou"
RECLASSERING, ALTRECHT = "reclassering-nederland", "altrecht"
GRENZEN = ActionKind.GRENZEN_STELLEN
OPEN, LOPEND, AFGEROND = ActionStatus.OPEN, ActionStatus.LOPEND, ActionStatus.AFGEROND


class Step(NamedTuple):
    """An action under a goal: owner (organisation code), responsible (username), due in days from today."""

    description: str
    owner: str
    responsible: str | None
    due_in_days: int
    status: str
    intervention: str | None = None
    kind: str = ActionKind.PERSPECTIEF_BIEDEN


class PlanGoal(NamedTuple):
    author: str
    leefgebied: str
    description: str
    steps: tuple[Step, ...]
    achieved: bool = False


class Note(NamedTuple):
    author: str
    days_ago: int
    kind: str
    text: str
    category: str = Category.PLAN  # who may read it (sharing matrix, issue #4)


VINCENT_PLAN = (
    PlanGoal(
        "pga.expert",
        "dagbesteding",
        "Een betaalde baan vinden",
        (
            Step(
                "VOG-ondersteuning: VOG aangevraagd en afgegeven voor de baan",
                GEMEENTE,
                "pga.expert",
                -30,
                AFGEROND,
                "vog-ondersteuning",
            ),
        ),
        achieved=True,
    ),
    PlanGoal(
        "pga.expert",
        "dagbesteding",
        "De nieuwe baan behouden",
        (Step("Jobcoaching in de eerste maanden van de nieuwe baan", JOU, "jou", 60, LOPEND, "banen-met-status"),),
    ),
    PlanGoal(
        "pga.expert",
        "inkomen",
        "Schulden aflossen volgens een schuldregeling van drie jaar",
        (
            Step(
                "Schuldhulpverlening: schuldregeling van drie jaar gestart",
                GEMEENTE,
                "pga.expert",
                3 * 365 - 30,
                LOPEND,
                "schuldhulp",
            ),
        ),
    ),
    PlanGoal(
        "pga.expert",
        "motivatie",
        "Volhouden zonder terugval: steun van credible messengers en sport",
        (
            Step("Twee credible messengers die Vincent altijd kan bellen", JOU, "jou", 180, LOPEND, "credible-messengers"),
            Step("Sport een paar keer per week", JOU, "jou", 90, LOPEND, "sport"),
            Step("Wijkagent houdt contact en brengt signalen uit het netwerk in", POLITIE, "politie", 120, LOPEND, None, GRENZEN),
        ),
    ),
)
VINCENT_NOTES = (
    Note(
        "pga.expert",
        55,
        JournalKind.CONTACT,
        "Gesprek na de aanhouding: Vincent wil stoppen met dealen. Vrienden en inkomen is hij kwijt.",
        Category.JUSTITIEEL,
    ),
    Note("jou", 40, JournalKind.CONTACT, "Kennismaking met twee credible messengers; Vincent kan hen altijd bellen."),
    Note("pga.expert", 21, JournalKind.NOTITIE, "VOG afgegeven na ondersteuning; Vincent is begonnen bij een logistiek bedrijf."),
    Note("pga.expert", 7, JournalKind.CONTACT, "Schuldregeling van drie jaar getekend. Sport drie keer per week."),
)
DYLAN_PLAN = (
    PlanGoal(
        "pga.expert",
        "dagbesteding",
        "Vaste dagbesteding van minimaal vier dagen per week",
        (Step("Deelname aan Crew 030", GEMEENTE, "pga.expert", 45, OPEN, "crew-030"),),
    ),
    PlanGoal(
        "pga.expert",
        "zorg",
        "Agressieregulatietraining afronden",
        (Step("Intake bij Altrecht plannen en begeleiden", ALTRECHT, "altrecht", -10, OPEN),),  # overdue
    ),
    PlanGoal(
        "pga.expert",
        "inkomen",
        "Schulden in kaart brengen en een schuldregeling starten",
        (Step("Schuldhulpverlening: schulden in kaart en schuldregeling", GEMEENTE, "pga.expert", 60, LOPEND, "schuldhulp"),),
    ),
    PlanGoal(
        "procesregisseur",
        "motivatie",
        "Uitstappen uit het criminele netwerk zonder gezichtsverlies",
        (
            Step(
                "Reclasseringstoezicht: meldplicht en bijzondere voorwaarden",
                RECLASSERING,
                "reclassering",
                200,
                LOPEND,
                None,
                GRENZEN,
            ),
            Step("Multidisciplinair toezichtteam", POLITIE, "politie", 90, LOPEND, "multidisciplinair-toezichtteam", GRENZEN),
        ),
    ),
)
DYLAN_NOTES = (
    Note(
        "procesregisseur", 410, JournalKind.NOTITIE, "Eerste bespreking in het casusoverleg Top X; plan van aanpak vastgesteld."
    ),
    Note(
        "reclassering",
        80,
        JournalKind.CONTACT,
        "Meldplicht nagekomen; gesprek over de beroving en de gevolgen voor het slachtoffer.",
        Category.JUSTITIEEL,
    ),
    Note(
        "altrecht",
        20,
        JournalKind.NOTITIE,
        "Intake nog niet gelukt: twee afspraken gemist. Nieuwe afspraak via de reclassering.",
        Category.ZORG,
    ),
    Note(
        "pga.expert", 5, JournalKind.CONTACT, "Huisbezoek bij Dylan en zijn moeder. Geen dagbesteding; staat open voor Crew 030."
    ),
)
# (months ago, offence type code, outcome, description)
DYLAN_OFFENCES = (
    (16, "opw-10-3", OffenceOutcome.VEROORDELING, "Aangehouden met bolletjes cocaïne bij een dealplek."),
    (9, "sr-312", OffenceOutcome.VEROORDELING, "Beroving van een scooterbezorger, samen met twee anderen."),
    (3, "sr-285", OffenceOutcome.OPEN, "Bedreiging van een buurtbewoner die aangifte had gedaan."),
)


@contextlib.contextmanager
def acting(actor: User) -> Iterator[User]:
    """Run service calls with ``actor`` as the audit log's actor (no request middleware here)."""
    with set_actor(actor):
        yield actor


def born(demo: Demo, age: int, birthday_days_ago: int) -> dt.date:
    """A date of birth giving exactly ``age`` today, the last birthday ``birthday_days_ago`` days ago."""
    return demo.today - relativedelta(years=age) - dt.timedelta(days=birthday_days_ago)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def tuesday_from(day: dt.date) -> dt.date:
    """``day`` when it is a Tuesday, else the Tuesday after it: the casusoverleg Top X meets on Tuesdays."""
    return day + dt.timedelta(days=(1 - day.weekday()) % 7)


def backdate(case: Case, opened: dt.date, activated: dt.date, hour: int = 11) -> Case:
    """Move the registration back to ``opened`` and the status change to ``activated`` at ``hour``."""
    Case.objects.filter(pk=case.pk).update(opened_on=opened)
    CaseTeamMember.objects.filter(case=case).update(starts_on=opened)
    CaseChange.objects.filter(case=case).update(changed_at=at(activated, hour))
    case.refresh_from_db()
    return case


def named_cases_create(demo: Demo) -> tuple[Case, Case]:
    """Create Vincent's and Dylan's cases; returns ``(vincent, dylan)``."""
    return vincent_create(demo), dylan_create(demo)


def vincent_create(demo: Demo) -> Case:
    expert, politie = demo.users["pga.expert"], demo.users["politie"]
    opened = demo.today - dt.timedelta(days=150)
    person = _person(demo, "Vincent", "Bakker", VINCENT_BSN, born(demo, 22, 95), "overvecht", opened + dt.timedelta(days=9))
    with acting(expert):
        case = services.case_register(
            actor=expert,
            target_group=TargetGroup.DOORGROEIER,
            tier=Tier.LOKALE_PGA,
            case_director=expert,
            person_data=person,
            team_organisations=[demo.organisations[POLITIE], demo.organisations[JOU]],
        )
        case = services.case_move_apply(
            actor=expert, case=case, to_status=CaseStatus.ACTIEF, reason="Start lokale PGA.", case_director=expert
        )
    case = backdate(case, opened, opened + dt.timedelta(days=7))
    with acting(politie):
        services.offence_record(
            actor=politie,
            case=case,
            committed_on=demo.today - relativedelta(months=2),
            offence_type=demo.offence_types["opw-10-3"],
            outcome=OffenceOutcome.OPEN,
            description="Aangehouden bij de verkoop van cocaïne in de wijk.",
        )
        services.case_update(actor=politie, case=case, drug_network_indication=DrugNetworkIndication.JA)
    first = {"dagbesteding": 1, "zorg": 4, "huisvesting": 3, "identiteitsbewijs": 4, "inkomen": 1, "motivatie": 2}
    latest = {"dagbesteding": 3, "zorg": 4, "huisvesting": 3, "identiteitsbewijs": 5, "inkomen": 2, "motivatie": 2}
    _assessments(demo, case, expert, (opened + dt.timedelta(days=14), first), (demo.today - dt.timedelta(days=10), latest))
    _plan(demo, case, VINCENT_PLAN, opened + dt.timedelta(days=21))
    _notes(demo, case, VINCENT_NOTES)
    return case


def dylan_create(demo: Demo) -> Case:
    expert, director, politie = demo.users["pga.expert"], demo.users["procesregisseur"], demo.users["politie"]
    opened = demo.today - relativedelta(months=14)
    person = _person(demo, "Dylan", "Visser", DYLAN_BSN, born(demo, 20, 200), "zuidwest", opened + dt.timedelta(days=12))
    with acting(expert):
        case = services.case_register(
            actor=expert,
            target_group=TargetGroup.TOP_X,
            tier=Tier.LOKALE_PGA,
            case_director=expert,
            person_data=person,
            team_organisations=[demo.organisations[POLITIE], demo.organisations[RECLASSERING], demo.organisations[ALTRECHT]],
        )
    # The casusoverleg's decisions, applied as escalation.services.decision_make would (the demo lives
    # in the cases app, which does not import escalation): accepted, then moved up to Top X.
    with acting(director):
        reason = "Besproken in het casusoverleg Top X: opgenomen en opgeschaald."
        case = services.case_move_apply(
            actor=director, case=case, to_status=CaseStatus.ACTIEF, reason=reason, case_director=expert
        )
        case = services.case_move_apply(
            actor=director, case=case, to_tier=Tier.ZVHRU, reason=reason, process_director=director, case_director=expert
        )
    # Decided in the casusoverleg Top X, which meets on Tuesdays at 10:00 (load_demo_conferences adds it).
    case = backdate(case, opened, tuesday_from(opened + dt.timedelta(days=10)), hour=10)
    _dylan_facts(demo, case, politie, demo.users["reclassering"])
    first = {"dagbesteding": 1, "zorg": 2, "huisvesting": 3, "identiteitsbewijs": 3, "inkomen": 1, "motivatie": 1}
    latest = {"dagbesteding": 1, "zorg": 3, "huisvesting": 3, "identiteitsbewijs": 4, "inkomen": 2, "motivatie": 2}
    _assessments(demo, case, director, (opened + dt.timedelta(days=21), first), (demo.today - dt.timedelta(days=14), latest))
    _plan(demo, case, DYLAN_PLAN, opened + dt.timedelta(days=24))
    _notes(demo, case, DYLAN_NOTES)
    return case


def _person(demo: Demo, given: str, surname: str, bsn: str, born_on: dt.date, wijk: str, informed: dt.date) -> dict[str, Any]:
    return {
        "bsn": bsn,
        "given_names": given,
        "surname": surname,
        "date_of_birth": born_on,
        "gender": Gender.MAN,
        "wijk": demo.wijken[wijk],
        "informed_on": informed,
    }


def _dylan_facts(demo: Demo, case: Case, politie: User, reclassering: User) -> None:
    with acting(politie):
        for months_ago, code, outcome, description in DYLAN_OFFENCES:
            services.offence_record(
                actor=politie,
                case=case,
                committed_on=demo.today - relativedelta(months=months_ago),
                offence_type=demo.offence_types[code],
                outcome=outcome,
                description=description,
            )
        services.case_update(actor=politie, case=case, drug_network_indication=DrugNetworkIndication.JA)
    started = demo.today - relativedelta(months=9) + dt.timedelta(days=2)  # remand after the robbery
    with acting(reclassering):
        services.detention_record(
            actor=reclassering,
            case=case,
            institution="PI Nieuwegein",
            started_on=started,
            expected_release_on=started + dt.timedelta(days=120),
            released_on=started + dt.timedelta(days=95),
        )


def _assessments(demo: Demo, case: Case, assessor: User, *dated: tuple[dt.date, dict[str, int]]) -> None:
    with acting(assessor):
        for day, scores in dated:
            services.assessment_record(actor=assessor, case=case, assessed_on=day, **scores)


def _plan(demo: Demo, case: Case, goals: tuple[PlanGoal, ...], set_on: dt.date) -> None:
    """Create the goals and actions through the services, then date the goals and actions ``set_on``."""
    for planned in goals:
        author = demo.users[planned.author]
        with acting(author):
            goal = services.goal_create(
                actor=author, case=case, leefgebied=planned.leefgebied, description=planned.description, achieved=planned.achieved
            )
            for step in planned.steps:
                due_on = demo.today + dt.timedelta(days=step.due_in_days)
                action = services.action_create(
                    actor=author,
                    goal=goal,
                    description=step.description,
                    owning_organisation=demo.organisations[step.owner],
                    responsible_user=demo.users[step.responsible] if step.responsible else None,
                    due_on=max(due_on, demo.today),  # the plan was made when this date still lay ahead
                    status=step.status,
                    kind=step.kind,
                    intervention=demo.interventions[step.intervention] if step.intervention else None,
                )
                if action.due_on != due_on:
                    Action.objects.filter(pk=action.pk).update(due_on=due_on)
    Goal.objects.filter(plan__case=case).update(created_at=at(set_on), updated_at=at(set_on))
    Action.objects.filter(goal__plan__case=case).update(created_at=at(set_on))  # the timeline's "Actie toegevoegd"


def _notes(demo: Demo, case: Case, notes: tuple[Note, ...]) -> None:
    for note in notes:
        author = demo.users[note.author]
        with acting(author):
            day = demo.today - dt.timedelta(days=note.days_ago)
            services.journal_entry_add(
                actor=author, case=case, text=note.text, kind=note.kind, occurred_on=day, category=note.category
            )
