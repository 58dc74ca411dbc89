"""Demo facts on a case: offences, detention periods and leefgebied assessments.

Offences come only from straf partners (politie, OM) and lie between the person's twelfth birthday
(the age of criminal responsibility) and the case's last offence day; recent ones are mostly still
``open``, older ones mixed, including ``sepot`` and ``vrijspraak`` (which do not count, issue #2).
Detentions follow a counting offence; some are current. Assessments use the five-point scale of
DOMAIN.md §11 and improve a little over time; Top X cases start with several leefgebieden at 1–2.
"""

import datetime as dt

from dateutil.relativedelta import relativedelta

from cases.models import (
    Assessment,
    CaseStatus,
    ClosingReason,
    Detention,
    Leefgebied,
    Offence,
    OffenceOutcome,
    OffenceType,
    TargetGroup,
    Tier,
)
from privacy import policy
from privacy.categories import Category

from ..services.sharing import legal_basis_for
from . import texts
from .context import Demo
from .people import age_at
from .rows import Draft, Rows

OFFENCE_MIX: dict[str, dict[str, int]] = {
    TargetGroup.JONGE_AANWAS: {"sr-310": 5, "opw-11-2": 3, "sr-285": 2, "sr-416": 2, "sr-311": 1},
    TargetGroup.DOORGROEIER: {
        "opw-10-3": 5,
        "opw-10-2": 3,
        "opw-11-2": 2,
        "sr-310": 2,
        "sr-311": 2,
        "sr-416": 2,
        "sr-285": 2,
        "sr-312": 1,
        "sr-302": 1,
    },
    TargetGroup.TOP_X: {
        "opw-10-3": 4,
        "sr-312": 3,
        "sr-311": 3,
        "sr-302": 2,
        "sr-285": 2,
        "opw-10-2": 2,
        "sr-416": 1,
        "sr-157": 1,
    },
    TargetGroup.CRIMINEEL_SYSTEEM: {"opw-10-3": 4, "opw-10-4": 2, "opw-11-3": 2, "sr-420bis": 2, "sr-420ter": 1, "sr-140": 2},
}
OFFENCE_COUNT: dict[str, tuple[int, int]] = {
    TargetGroup.JONGE_AANWAS: (0, 2),
    TargetGroup.DOORGROEIER: (1, 3),
    TargetGroup.TOP_X: (3, 7),
    TargetGroup.CRIMINEEL_SYSTEEM: (1, 4),
}
OFFENCE_SOURCES = {"politie-midden-nederland": ("politie", 80), "openbaar-ministerie": ("om", 20)}
OUTCOMES_RECENT = {OffenceOutcome.OPEN: 80, OffenceOutcome.SEPOT: 20}
OUTCOMES_OLDER = {
    OffenceOutcome.VEROORDELING: 60,
    OffenceOutcome.SEPOT: 15,
    OffenceOutcome.VRIJSPRAAK: 7,
    OffenceOutcome.OPEN: 18,
}
DETENTION_CHANCE: dict[str, float] = {
    TargetGroup.JONGE_AANWAS: 0.03,
    TargetGroup.DOORGROEIER: 0.15,
    TargetGroup.TOP_X: 0.6,
    TargetGroup.CRIMINEEL_SYSTEEM: 0.35,
}
# Scores to draw a first assessment from, per tier: Top X starts worst (multiproblematiek).
BASELINE_SCORES: dict[str, tuple[int, ...]] = {
    Tier.BASISINZET: (2, 3, 4, 4, 5),
    Tier.LOKALE_PGA: (2, 2, 3, 3, 4),
    Tier.ZVHRU: (1, 2, 2, 3, 3),
}


def offences_add(demo: Demo, draft: Draft, rows: Rows) -> None:
    """Offences in the case's window; a reopened case gets the offence that reopened it."""
    low, high = OFFENCE_COUNT[draft.case.target_group]
    if draft.case.tier == Tier.BASISINZET:
        high = min(high, 2)
    first = max(draft.person.date_of_birth + relativedelta(years=12), draft.first_day - dt.timedelta(days=900))
    count = demo.rng.randint(low, high) if first <= draft.last_offence_day else 0
    days = [demo.day_between(first, draft.last_offence_day) for _ in range(count)]
    if draft.case.reopened_on:
        days.append(draft.case.reopened_on - dt.timedelta(days=demo.rng.randint(3, 30)))
    mix = {code: weight for code, weight in OFFENCE_MIX[draft.case.target_group].items() if code in demo.offence_types}
    for day in sorted(days):
        draft.offences.append(_offence(demo, draft, day, demo.offence_types[demo.weighted(mix)]))
    rows.offences.extend(draft.offences)


def _offence(demo: Demo, draft: Draft, day: dt.date, offence_type: OffenceType) -> Offence:
    source = demo.weighted({code: weight for code, (_, weight) in OFFENCE_SOURCES.items()})
    draft.organisations.add(source)
    recent = (demo.today - day).days < 120
    return Offence(
        id=demo.uuid(),
        case=draft.case,
        committed_on=day,
        offence_type=offence_type,
        outcome=demo.weighted(OUTCOMES_RECENT if recent else OUTCOMES_OLDER),
        description=demo.rng.choice(texts.OFFENCE_DESCRIPTIONS),
        source_organisation=demo.organisations[source],
        recorded_by=demo.users[OFFENCE_SOURCES[source][0]],
        legal_basis=policy.disclosure_for(demo.users[OFFENCE_SOURCES[source][0]]).legal_basis(Category.JUSTITIEEL),
    )


def detention_add(demo: Demo, draft: Draft, rows: Rows) -> None:
    """Maybe a detention after the last counting offence: current when it has not ended yet."""
    counting = [offence.committed_on for offence in draft.offences if offence.counts]
    if not counting or not demo.chance(DETENTION_CHANCE[draft.case.target_group]):
        return
    started = counting[-1] + dt.timedelta(days=demo.rng.randint(1, 21))
    if started > draft.last_day:
        return
    release = started + dt.timedelta(days=demo.rng.randint(30, 300))
    released = release if release <= draft.last_day else None
    if released is None and draft.last_day < demo.today:
        released = draft.last_day  # a closed case: released by the time it closed
    source = demo.weighted({"reclassering-nederland": 60, "politie-midden-nederland": 40})
    draft.organisations.add(source)
    young = age_at(draft.person, started) < 18
    recorder = demo.partner_user(source) or draft.actor
    rows.detentions.append(
        Detention(
            id=demo.uuid(),
            case=draft.case,
            institution=demo.rng.choice(texts.DETENTION_INSTITUTIONS_YOUNG if young else texts.DETENTION_INSTITUTIONS),
            started_on=started,
            expected_release_on=release,
            released_on=released,
            source_organisation=demo.organisations[source],
            recorded_by=recorder,
            legal_basis=policy.disclosure_for(recorder).legal_basis(Category.JUSTITIEEL),
        )
    )


def assessments_add(demo: Demo, draft: Draft, rows: Rows) -> None:
    """Zero to four dated assessments, about every four months from the start of the case."""
    count = _assessment_count(demo, draft)
    scores = {code: demo.rng.choice(BASELINE_SCORES[draft.case.tier]) for code in Leefgebied.values}
    scores[Leefgebied.IDENTITEITSBEWIJS] = min(5, scores[Leefgebied.IDENTITEITSBEWIJS] + 1)
    for number in range(count):
        if number:
            scores = {code: min(5, score + demo.rng.choice((0, 0, 1))) for code, score in scores.items()}
        day = min(draft.first_day + dt.timedelta(days=14 + 120 * number), draft.last_day)
        # Only who writes every category of an assessment records one: by default the directors (issue #4).
        assessor = draft.actor
        basis = legal_basis_for(policy.disclosure_for(assessor), Category.ZORG, Category.SOCIAAL, Category.PLAN)
        draft.assessments.append(
            Assessment(id=demo.uuid(), case=draft.case, assessed_on=day, assessed_by=assessor, legal_basis=basis, **scores)
        )
    rows.assessments.extend(draft.assessments)


def _assessment_count(demo: Demo, draft: Draft) -> int:
    case = draft.case
    if case.status == CaseStatus.AANGEMELD or case.closing_reason == ClosingReason.NIET_OPGENOMEN:
        return 1 if demo.chance(0.3) else 0
    if case.tier == Tier.BASISINZET:
        return 1 if demo.chance(0.3) else 0
    return min(4, 1 + (draft.last_day - draft.first_day).days // 120)
