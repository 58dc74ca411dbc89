"""Writes of the facts and the plan under a case: offences, detentions, assessments, journal entries,
goals and actions. See ``cases.services`` for the rules every service keeps.

Besides the act (``cases.access``), each write needs the sharing matrix's write level on the
categories it holds (DOMAIN.md §8, issue #4; ``cases.services.sharing``): offences and detentions
``justitieel``, an assessment ``zorg``, ``sociaal`` and ``plan`` (its scores and free text touch all
three), a journal entry the category its author chose, goals and actions ``plan``. Each new offence,
detention, assessment and journal entry stores the legal basis it was written under (provenance).
"""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from partners.models import User
from privacy.categories import Category

from .. import access, selectors
from ..access import Act
from ..models import (
    Action,
    ActionStatus,
    Assessment,
    Case,
    Detention,
    Goal,
    JournalEntry,
    Offence,
)
from .case import _assign, _relation, _save
from .sharing import legal_basis_for, require_writes

# --- Facts: offences, detentions, assessments, journal --------------------------------------

OFFENCE_FIELDS = frozenset({"committed_on", "offence_type", "outcome", "description"})


@transaction.atomic
def offence_record(*, actor: User, case: Case, **fields: Any) -> Offence:
    """Record an offence (straf partners of the team who write ``justitieel``); the actor's organisation
    is its source and the matrix cell's legal basis its provenance."""
    access.require(_relation(actor, case), Act.RECORD_OFFENCE)
    disclosure = require_writes(actor, Category.JUSTITIEEL)
    offence = Offence(
        case=case,
        source_organisation=actor.organisation,
        recorded_by=actor,
        legal_basis=legal_basis_for(disclosure, Category.JUSTITIEEL),
    )
    _assign(offence, fields, OFFENCE_FIELDS)
    _save(offence)
    return offence


@transaction.atomic
def offence_correct(*, actor: User, offence: Offence, **fields: Any) -> Offence:
    """Correct an offence; only its source organisation may (issue #2), with write access to ``justitieel``
    (issue #4). The offence keeps the legal basis it was recorded under."""
    _relation(actor, offence.case)
    if not access.may_correct_offence(actor, offence.source_organisation_id):
        raise PermissionDenied("Alleen de bronorganisatie corrigeert dit delict.")
    require_writes(actor, Category.JUSTITIEEL)
    _assign(offence, fields, OFFENCE_FIELDS)
    _save(offence)
    return offence


DETENTION_FIELDS = frozenset({"institution", "started_on", "expected_release_on", "released_on"})


@transaction.atomic
def detention_record(*, actor: User, case: Case, **fields: Any) -> Detention:
    """Record a detention period (straf partners and directors who write ``justitieel``)."""
    access.require(_relation(actor, case), Act.RECORD_DETENTION)
    disclosure = require_writes(actor, Category.JUSTITIEEL)
    detention = Detention(
        case=case,
        source_organisation=actor.organisation,
        recorded_by=actor,
        legal_basis=legal_basis_for(disclosure, Category.JUSTITIEEL),
    )
    _assign(detention, fields, DETENTION_FIELDS)
    _save(detention)
    return detention


@transaction.atomic
def detention_update(*, actor: User, detention: Detention, **fields: Any) -> Detention:
    """Update a detention period, e.g. the actual release (straf partners and directors who write ``justitieel``)."""
    access.require(_relation(actor, detention.case), Act.RECORD_DETENTION)
    require_writes(actor, Category.JUSTITIEEL)
    _assign(detention, fields, DETENTION_FIELDS)
    _save(detention)
    return detention


ASSESSMENT_CATEGORIES = (Category.ZORG, Category.SOCIAAL, Category.PLAN)
"""What an assessment holds (``privacy.policy.FIELDS["assessment"]``): the zorg score, the social-domain
scores, motivation and a free-text note over all of them."""
ASSESSMENT_FIELDS = frozenset(
    {"assessed_on", "dagbesteding", "zorg", "huisvesting", "identiteitsbewijs", "inkomen", "motivatie", "note"}
)


@transaction.atomic
def assessment_record(*, actor: User, case: Case, **fields: Any) -> Assessment:
    """Record one dated assessment of the six leefgebieden: team members who write every category it holds
    (``ASSESSMENT_CATEGORIES``) — under the default matrix the directors only (issue #4)."""
    access.require(_relation(actor, case), Act.RECORD_ASSESSMENT)
    disclosure = require_writes(actor, *ASSESSMENT_CATEGORIES)
    assessment = Assessment(case=case, assessed_by=actor, legal_basis=legal_basis_for(disclosure, *ASSESSMENT_CATEGORIES))
    _assign(assessment, fields, ASSESSMENT_FIELDS)
    _save(assessment)
    return assessment


@transaction.atomic
def journal_entry_add(
    *,
    actor: User,
    case: Case,
    text: str,
    kind: str = "notitie",
    occurred_on: dt.date | None = None,
    category: str = Category.PLAN,
) -> JournalEntry:
    """Add a contact moment or note (team members). Its author chooses its ``category`` (default ``plan``,
    issue #4), which decides who reads it; the author must write that category under the matrix."""
    access.require(_relation(actor, case), Act.WRITE_JOURNAL)
    if category not in Category.values:
        raise ValidationError({"category": "Kies een categorie uit de deelmatrix."})
    disclosure = require_writes(actor, Category(category))
    entry = JournalEntry(
        case=case,
        kind=kind,
        text=text,
        occurred_on=occurred_on or timezone.localdate(),
        author=actor,
        organisation=actor.organisation,
        category=category,
        legal_basis=legal_basis_for(disclosure, Category(category)),
    )
    _save(entry)
    return entry


# --- Plan ------------------------------------------------------------------------------------

GOAL_FIELDS = frozenset({"leefgebied", "description", "achieved"})
ACTION_FIELDS = frozenset({"description", "owning_organisation", "responsible_user", "due_on", "status", "kind", "intervention"})
# What the owning organisation may change on its own actions; the directors change everything.
OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.LOPEND)
ACTION_OWNER_FIELDS = frozenset({"status", "responsible_user", "due_on"})


@transaction.atomic
def goal_create(*, actor: User, case: Case, **fields: Any) -> Goal:
    """Add a goal on a leefgebied to the case's plan (directors who write ``plan``)."""
    access.require(_relation(actor, case), Act.EDIT_PLAN)
    require_writes(actor, Category.PLAN)
    goal = Goal(plan=case.plan, created_by=actor)
    _assign(goal, fields, GOAL_FIELDS)
    _save(goal)
    return goal


@transaction.atomic
def goal_update(*, actor: User, goal: Goal, **fields: Any) -> Goal:
    """Change a goal (directors who write ``plan``)."""
    access.require(_relation(actor, goal.plan.case), Act.EDIT_PLAN)
    require_writes(actor, Category.PLAN)
    _assign(goal, fields, GOAL_FIELDS)
    _save(goal)
    return goal


@transaction.atomic
def action_create(*, actor: User, goal: Goal, **fields: Any) -> Action:
    """Add an action under a goal (directors).

    The owner must take part and work on the case (see ``_check_owner``); a new action is not due in
    the past unless it is recorded as already done. Raises ``PermissionDenied`` or ``ValidationError``.
    """
    access.require(_relation(actor, goal.plan.case), Act.EDIT_PLAN)
    require_writes(actor, Category.PLAN)
    action = Action(goal=goal, created_by=actor)
    _assign(action, fields, ACTION_FIELDS)
    if action.due_on is not None and action.due_on < timezone.localdate() and action.status in OPEN_ACTION_STATUSES:
        raise ValidationError({"due_on": "Een nieuwe, nog open actie kan niet al verlopen zijn; kies een datum vanaf vandaag."})
    _check_owner(action)
    _save(action)
    return action


@transaction.atomic
def action_update(*, actor: User, action: Action, **fields: Any) -> Action:
    """Update an action: directors anything; the owning organisation's team members status, owner and due date."""
    rel = _relation(actor, action.goal.plan.case)
    if not access.may_update_action(rel, action.owning_organisation_id):
        raise PermissionDenied("Alleen de regisseurs en de eigenaar van de actie wijzigen deze actie.")
    require_writes(actor, Category.PLAN)
    _assign(action, fields, ACTION_FIELDS if rel.is_director else ACTION_OWNER_FIELDS)
    _check_owner(action)
    _save(action)
    return action


def _check_owner(action: Action) -> None:
    """The owner takes part and can see the case: an organisation in its team, or the organisation of
    one of its directors or named members — otherwise nobody there could carry the action out."""
    owner = action.owning_organisation
    if owner is None:
        return
    if not owner.is_active_on():
        raise ValidationError({"owning_organisation": "Deze organisatie neemt niet (meer) deel."})
    case = action.goal.plan.case
    team = selectors.team_listed(case)
    working = {case.case_director, case.process_director, *(entry.user for entry in team if entry.user_id)}
    involved = {entry.organisation_id for entry in team} | {user.organisation_id for user in working if user is not None}
    if owner.pk not in involved:
        raise ValidationError({"owning_organisation": f"{owner} staat niet in het casusteam; voeg de organisatie eerst toe."})
