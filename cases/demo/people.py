"""Demo persons and the shell of their cases: who, where, how old, which tier, who directs.

Realistic for Utrecht (DOMAIN.md §9): persons spread over the ten wijken with more in Overvecht,
Zuidwest and Noordwest; mostly boys and young men aged 14–27, Top X mostly 18–24; most with a
(fictitious, eleven-check valid) BSN. Rules kept: a case director from ``lokale_pga`` up, a process
director for ``zvhru`` (§3); only registering organisations register (§5.7); a closed case has a
closing date and reason, and one closed with "doelen behaald" stayed at least a year after its last
offence (§5.6).
"""

import datetime as dt
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from cases.models import Case, CasePlan, CaseStatus, ClosingReason, DrugNetworkIndication, Gender, Person, TargetGroup, Tier
from cases.rules import age_on
from partners.models import User

from . import texts
from .accounts import CASE_DIRECTORS, PROCESS_DIRECTORS
from .bsn import fake_bsn
from .context import Demo
from .rows import Draft

# The two named cases are built separately; no generated person may share their name.
RESERVED_NAMES = frozenset({("Vincent", "Bakker"), ("Dylan", "Visser")})

WIJK_WEIGHTS = {
    "overvecht": 18,
    "zuidwest": 16,
    "noordwest": 13,
    "west": 10,
    "zuid": 9,
    "leidsche-rijn": 9,
    "noordoost": 7,
    "oost": 6,
    "binnenstad": 6,
    "vleuten-de-meern": 6,
}
GENDER_WEIGHTS = {Gender.MAN: 85, Gender.VROUW: 12, Gender.ANDERS: 1, Gender.ONBEKEND: 2}

# Age when the case opened, per target group (DOMAIN.md §4 and §9).
AGE_AT_OPENING: dict[str, dict[int, int]] = {
    TargetGroup.JONGE_AANWAS: {13: 1, 14: 3, 15: 4, 16: 3, 17: 2},
    TargetGroup.DOORGROEIER: {16: 2, 17: 3, 18: 4, 19: 4, 20: 4, 21: 3, 22: 3, 23: 2, 24: 2, 25: 1, 26: 1},
    TargetGroup.TOP_X: {17: 1, 18: 3, 19: 4, 20: 4, 21: 4, 22: 3, 23: 2},
    TargetGroup.CRIMINEEL_SYSTEEM: {15: 1, 16: 2, 17: 2, 18: 2, 19: 2, 20: 2, 21: 2, 22: 1, 23: 1, 25: 1},
}

# Who registers (DOMAIN.md §5.7: only gemeente, politie and OM may).
REGISTRARS_DIRECTED = {"gemeente-utrecht": 65, "politie-midden-nederland": 30, "openbaar-ministerie": 5}
REGISTRARS_BASISINZET = {"politie-midden-nederland": 55, "gemeente-utrecht": 45}
REGISTRAR_USERS = {"politie-midden-nederland": "politie", "openbaar-ministerie": "om"}

CLOSING_WEIGHTS = {
    ClosingReason.DOELEN_BEHAALD: 60,
    ClosingReason.NIET_OPGENOMEN: 12,
    ClosingReason.VERHUISD: 12,
    ClosingReason.OVERGEDRAGEN: 16,
}


class Spec(NamedTuple):
    tier: str
    status: str
    target_group: str


class Dates(NamedTuple):
    opened: dt.date
    closed: dt.date | None = None
    reason: str = ""
    reopened: dt.date | None = None


def dates_for(demo: Demo, spec: Spec, *, reopen: bool = False) -> Dates:
    """Opening, closing and reopening dates for a case in ``spec.status``, relative to today."""
    if spec.status == CaseStatus.AANGEMELD:
        return Dates(demo.days_ago(0, 40))
    if spec.status == CaseStatus.ACTIEF and reopen:
        opened = demo.days_ago(700, 1000)
        return Dates(opened, reopened=demo.days_ago(40, 240))
    if spec.status == CaseStatus.ACTIEF:
        return Dates(demo.days_ago(30, 600))
    reason = demo.weighted(CLOSING_WEIGHTS)
    if spec.tier == Tier.BASISINZET and reason == ClosingReason.NIET_OPGENOMEN:
        reason = ClosingReason.OVERGEDRAGEN
    opened = demo.days_ago(400, 1200)
    if reason == ClosingReason.NIET_OPGENOMEN:
        return Dates(opened, opened + dt.timedelta(days=demo.rng.randint(14, 60)), reason)
    closed = min(opened + dt.timedelta(days=demo.rng.randint(380, 560)), demo.today - dt.timedelta(days=7))
    return Dates(opened, closed, reason)


def person_new(demo: Demo, target_group: str, opened: dt.date, *, surname: str | None = None, wijk: str | None = None) -> Person:
    """A new person, ``opened`` being the date their (first) case opened."""
    gender = demo.weighted(GENDER_WEIGHTS)
    given, prefix, family_name = _name(demo, gender)
    if surname is not None:
        prefix, family_name = split_surname(surname)
    age = demo.weighted(AGE_AT_OPENING[target_group])
    born = opened - relativedelta(years=age) - dt.timedelta(days=demo.rng.randint(0, 360))
    return Person(
        id=demo.uuid(),
        bsn=_bsn(demo) if demo.chance(0.85) else None,
        given_names=given,
        surname_prefix=prefix,
        surname=family_name,
        date_of_birth=born,
        gender=gender,
        wijk=demo.wijken[wijk or demo.weighted(WIJK_WEIGHTS)],
        lvb=demo.chance(0.12),
    )


def _name(demo: Demo, gender: str) -> tuple[str, str, str]:
    while True:
        if gender == Gender.VROUW:
            given = demo.faker.first_name_female()
        elif gender == Gender.MAN:
            given = demo.faker.first_name_male()
        else:
            given = demo.faker.first_name()
        prefix, surname = split_surname(demo.faker.last_name())
        if (given, surname) not in RESERVED_NAMES:
            return given, prefix, surname


def split_surname(full: str) -> tuple[str, str]:
    """``"van der Ploeg"`` -> ``("van der", "Ploeg")``: leading lower-case words are the prefix. Faker's
    Dutch list also writes a few names the register's way round, ``"Bourgondië, van"``: the same split."""
    main, comma, prefix = full.partition(", ")
    words = f"{prefix} {main}".split() if comma else full.split()
    cut = 0
    while cut < len(words) - 1 and (words[cut].islower() or words[cut] == "'t"):
        cut += 1
    return " ".join(words[:cut]), " ".join(words[cut:])


def _bsn(demo: Demo) -> str:
    while True:
        bsn = fake_bsn(demo.rng)
        if bsn not in demo.used_bsns:
            demo.used_bsns.add(bsn)
            return bsn


def inform(demo: Demo, person: Person, case: Case) -> None:
    """Record whether the person was told (DOMAIN.md §5.8): mostly yes, sometimes a reason why not."""
    if case.status == CaseStatus.AANGEMELD and demo.chance(0.5):
        return  # not yet: the registration is still fresh
    if demo.chance(0.08):
        person.not_informed_reason = demo.rng.choice(texts.NOT_INFORMED_REASONS)
        return
    person.informed_on = min(case.opened_on + dt.timedelta(days=demo.rng.randint(3, 30)), demo.today)


def case_new(demo: Demo, person: Person, spec: Spec, dates: Dates) -> Draft:
    """The case of ``person`` with directors and registration; facts are added by the caller."""
    director = _case_director(demo) if spec.tier != Tier.BASISINZET else None
    registrar = demo.weighted(REGISTRARS_DIRECTED if director else REGISTRARS_BASISINZET)
    case = Case(
        id=demo.uuid(),
        person=person,
        tier=spec.tier,
        target_group=spec.target_group,
        status=spec.status,
        registering_organisation=demo.organisations[registrar],
        registered_by=_registered_by(demo, registrar, director),
        case_director=director,
        process_director=_process_director(demo) if spec.tier == Tier.ZVHRU else None,
        drug_network_indication=_drug_network(demo, spec.target_group),
        opened_on=dates.opened,
        reopened_on=dates.reopened,
        closed_on=dates.closed,
        closing_reason=dates.reason,
        closing_note=texts.CLOSING_NOTES.get(dates.reason, ""),
    )
    plan = CasePlan(id=demo.uuid(), case=case)
    draft = Draft(case, plan, dates.opened, dates.closed or demo.today, _last_offence_day(dates, demo.today))
    # As services.case_register does: the registering organisation joins unless the registrant directs.
    if case.registered_by not in (case.case_director, case.process_director):
        draft.organisations.add(registrar)
    if case.target_group == TargetGroup.TOP_X:  # as case_register: the ZVHRU sees every Top X case
        draft.organisations.add("zvhru")
    return draft


def _case_director(demo: Demo) -> User:
    weights = {name: (2 if name == "pga.expert" else 1) for name in CASE_DIRECTORS}
    return demo.users[demo.weighted(weights)]


def _process_director(demo: Demo) -> User:
    weights = {name: (2 if name == "procesregisseur" else 1) for name in PROCESS_DIRECTORS}
    return demo.users[demo.weighted(weights)]


def _registered_by(demo: Demo, registrar: str, director: User | None) -> User:
    if registrar in REGISTRAR_USERS:
        return demo.users[REGISTRAR_USERS[registrar]]
    return director or _case_director(demo)


def _drug_network(demo: Demo, target_group: str) -> str:
    if target_group == TargetGroup.JONGE_AANWAS:
        return demo.weighted({DrugNetworkIndication.ONBEKEND: 70, DrugNetworkIndication.NEE: 25, DrugNetworkIndication.JA: 5})
    return demo.weighted({DrugNetworkIndication.JA: 45, DrugNetworkIndication.NEE: 15, DrugNetworkIndication.ONBEKEND: 40})


def _last_offence_day(dates: Dates, today: dt.date) -> dt.date:
    """Offences of a case closed as "doelen behaald" lie ≥ 12 months before closing (DOMAIN.md §5.6)."""
    if dates.closed is None:
        return today
    if dates.reason == ClosingReason.DOELEN_BEHAALD:
        return dates.closed - relativedelta(months=12) - dt.timedelta(days=1)
    return dates.closed


def age_at(person: Person, day: dt.date) -> int:
    return age_on(date_of_birth=person.date_of_birth, day=day)
