"""The demo cohort: about 300 persons with cases across the tiers and statuses (DOMAIN.md §9).

Sizes: ~110 in the basisinzet, ~150 in lokale PGA and ~40 in Top X (ZVHRU), each tier with cases
that are aangemeld, actief and afgesloten; about 115 directed cases are active, close to Utrecht's
"about 100 young people in a PGA/Top X approach". Four families (criminele systemen, §5.3) whose
members each have their own case; a few persons with an earlier closed case, a few reopened cases.
The two named cases (``named.py``) come on top and are counted in the tier totals here.
"""

import datetime as dt

from cases.models import CaseStatus, Family, FamilyMembership, FamilyRole, Person, TargetGroup, Tier

from . import texts
from .context import Demo
from .facts import assessments_add, detention_add, offences_add
from .people import Dates, Spec, case_new, dates_for, inform, person_new
from .plans import plan_add
from .rows import Draft, Rows
from .team import changes_add, journal_add, team_extend, team_rows

A, B, C = CaseStatus.AANGEMELD, CaseStatus.ACTIEF, CaseStatus.AFGESLOTEN
# (tier, status): number of generated cases, without the families and the two named cases.
PROFILE_COUNTS = {
    (Tier.BASISINZET, A): 15,
    (Tier.BASISINZET, B): 60,
    (Tier.BASISINZET, C): 35,
    (Tier.LOKALE_PGA, A): 22,
    (Tier.LOKALE_PGA, B): 77,
    (Tier.LOKALE_PGA, C): 42,
    (Tier.ZVHRU, B): 25,
    (Tier.ZVHRU, C): 7,
}
TARGET_GROUPS = {
    Tier.BASISINZET: {TargetGroup.JONGE_AANWAS: 70, TargetGroup.DOORGROEIER: 30},
    Tier.LOKALE_PGA: {TargetGroup.DOORGROEIER: 75, TargetGroup.JONGE_AANWAS: 15, TargetGroup.CRIMINEEL_SYSTEEM: 10},
    Tier.ZVHRU: {TargetGroup.TOP_X: 85, TargetGroup.CRIMINEEL_SYSTEEM: 15},
}
# Each family: its wijk and the tiers of its members' (active) cases.
FAMILIES = (
    ("overvecht", (Tier.ZVHRU, Tier.LOKALE_PGA, Tier.LOKALE_PGA)),
    ("zuidwest", (Tier.ZVHRU, Tier.LOKALE_PGA)),
    ("noordwest", (Tier.LOKALE_PGA, Tier.LOKALE_PGA, Tier.ZVHRU)),
    ("zuidwest", (Tier.ZVHRU, Tier.LOKALE_PGA, Tier.LOKALE_PGA, Tier.LOKALE_PGA)),
)
NEW_TOP_X = 3  # Top X aanmeldingen not yet decided on
REOPENED = 5  # active directed cases that were closed once and reopened after a new offence
EARLIER_CASES = 8  # active lokale-PGA cases whose person had an earlier, closed basisinzet case


def cohort_build(demo: Demo) -> Rows:
    """Every generated row, in memory; ``rows.rows_save`` validates and writes them."""
    rows = Rows()
    specs = [
        Spec(tier, status, demo.weighted(TARGET_GROUPS[tier]))
        for (tier, status), count in PROFILE_COUNTS.items()
        for _ in range(count)
    ]
    # New Top X aanmeldingen wait in lokale PGA: only the casusoverleg's decision sets zvhru (issue #3).
    specs += [Spec(Tier.LOKALE_PGA, A, TargetGroup.TOP_X) for _ in range(NEW_TOP_X)]
    demo.rng.shuffle(specs)
    reopen_left, earlier_left = REOPENED, EARLIER_CASES
    for spec in specs:
        directed_active = spec.tier != Tier.BASISINZET and spec.status == B
        reopen = directed_active and reopen_left > 0 and demo.chance(0.1)
        reopen_left -= reopen
        draft = _case_with_person(demo, rows, spec, dates_for(demo, spec, reopen=reopen))
        if spec.tier == Tier.LOKALE_PGA and spec.status == B and not reopen and earlier_left > 0 and demo.chance(0.15):
            earlier_left -= _earlier_case(demo, rows, draft.person, draft.case.opened_on)
    for wijk, tiers in FAMILIES:
        _family(demo, rows, wijk, tiers)
    return rows


def _case_with_person(demo: Demo, rows: Rows, spec: Spec, dates: Dates, **person: str) -> Draft:
    draft = case_new(demo, person_new(demo, spec.target_group, dates.opened, **person), spec, dates)
    inform(demo, draft.person, draft.case)
    rows.persons.append(draft.person)
    _facts(demo, rows, draft)
    return draft


def _facts(demo: Demo, rows: Rows, draft: Draft) -> None:
    rows.cases.append(draft.case)
    rows.plans.append(draft.plan)
    offences_add(demo, draft, rows)
    detention_add(demo, draft, rows)
    assessments_add(demo, draft, rows)
    plan_add(demo, draft, rows)
    team_extend(demo, draft)
    journal_add(demo, draft, rows)
    team_rows(demo, draft, rows)
    changes_add(demo, draft, rows)


def _earlier_case(demo: Demo, rows: Rows, person: Person, next_opened: dt.date) -> bool:
    """A closed basisinzet case from before ``next_opened`` (goals met, then a new start)."""
    closed = next_opened - dt.timedelta(days=demo.rng.randint(120, 400))
    opened = closed - dt.timedelta(days=demo.rng.randint(380, 500))
    if (opened - person.date_of_birth).days < 13 * 365:
        return False
    spec = Spec(Tier.BASISINZET, C, TargetGroup.JONGE_AANWAS)
    draft = case_new(demo, person, spec, Dates(opened, closed, "doelen_behaald"))
    _facts(demo, rows, draft)
    return True


def _family(demo: Demo, rows: Rows, wijk: str, tiers: tuple[str, ...]) -> None:
    """A criminal family system: siblings sharing a surname and wijk, each with an active case."""
    surname = demo.faker.last_name()
    description = texts.FAMILY_DESCRIPTION_MAATWERK if len(tiers) == 2 else texts.FAMILY_DESCRIPTION
    family = Family(id=demo.uuid(), name=f"Familie {surname}", description=description.format(wijk=demo.wijken[wijk].name))
    rows.families.append(family)
    for tier in tiers:
        spec = Spec(tier, B, TargetGroup.CRIMINEEL_SYSTEEM)
        draft = _case_with_person(demo, rows, spec, dates_for(demo, spec), surname=surname, wijk=wijk)
        role = FamilyRole.KIND if demo.chance(0.8) else FamilyRole.OVERIG
        justification = texts.FAMILY_JUSTIFICATION.format(rol=FamilyRole(role).label)
        membership = FamilyMembership(family=family, person=draft.person, role=role, justification=justification)
        membership.added_by = draft.actor
        rows.memberships.append(membership)
