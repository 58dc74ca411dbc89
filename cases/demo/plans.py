"""Demo plans van aanpak: goals on the weakest leefgebieden and actions owned by partners (DOMAIN.md §6).

Only directed cases (``lokale_pga`` and ``zvhru``) that got past the aanmelding have a plan with goals;
in the basisinzet each partner works on its own (§3). Goals go to the leefgebieden that scored lowest
in the first assessment. Each action is owned by an organisation that fits the leefgebied (the owner
joins the team), is tagged grenzen stellen / perspectief bieden, and has a due date; open actions
of active cases are sometimes overdue.
"""

import datetime as dt

from django.utils import timezone

from cases.models import Action, ActionKind, ActionStatus, CaseStatus, ClosingReason, Goal, Leefgebied, Tier
from partners.models import User

from . import texts
from .context import Demo
from .rows import Draft, Rows

OPEN_STATUS_WEIGHTS = {ActionStatus.OPEN: 25, ActionStatus.LOPEND: 50, ActionStatus.AFGEROND: 18, ActionStatus.VERVALLEN: 7}


def plan_add(demo: Demo, draft: Draft, rows: Rows) -> None:
    """Goals with actions for a directed case that is (or was) active."""
    case = draft.case
    if case.tier == Tier.BASISINZET or case.status == CaseStatus.AANGEMELD:
        return
    if case.closing_reason == ClosingReason.NIET_OPGENOMEN:
        return
    for leefgebied in _leefgebieden(demo, draft):
        goal = _goal(demo, draft, leefgebied, rows)
        templates = demo.rng.sample(texts.ACTIONS[leefgebied], k=min(len(texts.ACTIONS[leefgebied]), demo.rng.randint(1, 2)))
        for template in templates:
            rows.actions.append(_action(demo, draft, goal, template))


def _leefgebieden(demo: Demo, draft: Draft) -> list[str]:
    """2–4 leefgebieden, weakest first by the first assessment (random without one)."""
    wanted = demo.rng.randint(2, 4)
    if not draft.assessments:
        return demo.rng.sample(Leefgebied.values, k=wanted)
    scores = draft.assessments[0].scores()
    ranked = sorted(scores, key=lambda code: (scores[code], demo.rng.random()))
    weak = [code for code in ranked if scores[code] <= 3]
    return (weak if len(weak) >= 2 else ranked[:2])[:wanted]


def _goal(demo: Demo, draft: Draft, leefgebied: str, rows: Rows) -> Goal:
    case = draft.case
    author = case.process_director if case.process_director and demo.chance(0.3) else draft.actor
    goal = Goal(
        id=demo.uuid(),
        plan=draft.plan,
        leefgebied=leefgebied,
        description=demo.rng.choice(texts.GOALS[leefgebied]),
        achieved=_achieved(demo, draft, leefgebied),
        created_by=author,
    )
    day = min(draft.first_day + dt.timedelta(days=demo.rng.randint(7, 40)), draft.last_day)
    rows.goals.append(goal)
    rows.goal_dates[goal.id] = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    return goal


def _achieved(demo: Demo, draft: Draft, leefgebied: str) -> bool:
    if draft.case.closing_reason == ClosingReason.DOELEN_BEHAALD:
        return demo.chance(0.8)
    latest = draft.assessments[-1].scores() if draft.assessments else {}
    return latest.get(leefgebied, 0) >= 4


MUNICIPALITY = "gemeente-utrecht"


def _action(demo: Demo, draft: Draft, goal: Goal, template: texts.ActionTemplate) -> Action:
    owner = demo.rng.choice(template.owners)
    if owner != MUNICIPALITY:  # the municipality acts through the case director, not as a whole team
        draft.organisations.add(owner)
    status = _action_status(demo, draft, goal)
    return Action(
        id=demo.uuid(),
        goal=goal,
        description=template.description,
        owning_organisation=demo.organisations[owner],
        responsible_user=_responsible(demo, draft, owner) if demo.chance(0.7) else None,
        due_on=_due_on(demo, draft, status),
        status=status,
        kind=template.kind or ActionKind.PERSPECTIEF_BIEDEN,
        intervention=demo.interventions.get(template.intervention) if template.intervention else None,
        created_by=goal.created_by,
    )


def _action_status(demo: Demo, draft: Draft, goal: Goal) -> str:
    if goal.achieved:
        return ActionStatus.AFGEROND
    if draft.case.status == CaseStatus.AFGESLOTEN:
        return demo.weighted({ActionStatus.AFGEROND: 70, ActionStatus.VERVALLEN: 30})
    return demo.weighted(OPEN_STATUS_WEIGHTS)


def _due_on(demo: Demo, draft: Draft, status: str) -> dt.date:
    if status in (ActionStatus.OPEN, ActionStatus.LOPEND):
        return demo.today + dt.timedelta(days=demo.rng.randint(-45, 150))  # about one in four overdue
    return min(draft.first_day + dt.timedelta(days=demo.rng.randint(30, 240)), draft.last_day)


def _responsible(demo: Demo, draft: Draft, owner: str) -> User | None:
    director = draft.case.case_director
    if owner == "gemeente-utrecht" and director is not None and director.organisation_id == demo.organisations[owner].pk:
        return director
    return demo.partner_user(owner)
