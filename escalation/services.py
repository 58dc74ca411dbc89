"""Writes of the escalation app: rule sets, proposals and decisions.

Rule sets. Writes to rule sets: only administrators (functioneel beheerders) create, edit and activate them.

A new version starts as a draft copied from an existing one (``rule_set_create_draft``); only drafts
change (``rule_set_update_draft``); activating a draft retires the active version in the same
transaction, under a lock on every rule-set row, so there is exactly one active version at any moment
(``rule_set_activate``; the partial unique constraint ``one_active_rule_set`` is the backstop).
Active and retired versions never change again: every recommendation names the version it used
(DOMAIN.md §5). django-auditlog records each write with the actor (``escalation.audit``).

Proposals and decisions. Proposals and decisions: the only way a case changes tier or status (issue #3).

``decision_make`` takes the case's row lock, refuses a stale view (``DecisionConflict`` → 409: the
case's tier is no longer the ``from_tier`` the decider saw), checks the move against the table and
the decider's role (``escalation.moves``), stores the decision with a snapshot of the engine's
recommendation, and applies it through ``cases.services.case_move_apply``. Two simultaneous
decisions on one case: the row lock serialises them and the second sees a changed tier (409) or a
move that is no longer in the table (400).

Free text carries a category chosen by its author (DOMAIN.md §8, issue #4; default ``plan``): a
proposal's or decision's ``rationale_category``, an agenda item's ``notes_category``, an addendum's
``category``. It decides who reads the text, and its author must write that category under the
sharing matrix (``cases.services.sharing.require_writes``).
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from cases import access
from cases import services as case_services
from cases.models import Action, Case, CaseStatus, ClosingReason, Goal, Tier
from cases.selectors import cases_visible_to, exit_date_for, with_case_facts
from cases.services.sharing import require_writes
from partners.models import Organisation, Role, User
from privacy.categories import Category

from . import moves
from .models import (
    AgendaItem,
    AgendaSource,
    CaseConference,
    ConferenceAddendum,
    ConferenceStatus,
    Decision,
    DecisionKind,
    Proposal,
    ProposalStatus,
    RuleSet,
    RuleSetStatus,
)
from .review_services import review_flags_settle
from .selectors import agenda_candidates, recommendation_for


def _require_administrator(actor: User) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` is an administrator with access today."""
    if not (actor.is_authenticated and actor.has_access_on() and actor.role == Role.ADMINISTRATOR):
        raise PermissionDenied("Alleen een functioneel beheerder beheert de beoordelingskaders.")


def _save(rule_set: RuleSet) -> None:
    rule_set.full_clean()
    rule_set.save()


@transaction.atomic
def rule_set_create_draft(*, actor: User, based_on: RuleSet, note: str | None = None) -> RuleSet:
    """A new draft with the next version number and a copy of ``based_on``'s parameters and note.

    Raises ``PermissionDenied`` for anyone but an administrator; ``ValidationError`` when another
    draft took the same version number at the same moment (try again).
    """
    _require_administrator(actor)
    source = RuleSet.objects.get(pk=based_on.pk)
    version = (RuleSet.objects.aggregate(highest=Max("version"))["highest"] or 0) + 1
    draft = RuleSet(
        version=version,
        parameters=source.parameters,
        note=source.note if note is None else note,
        based_on=source,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            _save(draft)
    except IntegrityError:
        raise ValidationError("Tegelijk is een ander concept aangemaakt; probeer het opnieuw.") from None
    return draft


@transaction.atomic
def rule_set_update_draft(*, actor: User, rule_set: RuleSet, parameters: dict[str, Any], note: str) -> RuleSet:
    """Replace a draft's parameters (a JSON document, ``escalation.parameters``) and note.

    Raises ``PermissionDenied`` for anyone but an administrator, ``ValidationError`` for a version
    that is no longer a draft or for parameters that do not fit the schema (Dutch messages).
    """
    _require_administrator(actor)
    locked = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    if locked.status != RuleSetStatus.DRAFT:
        raise ValidationError("Alleen een concept kan worden gewijzigd; maak een nieuw concept op basis van deze versie.")
    locked.parameters, locked.note = parameters, note
    _save(locked)
    return locked


@transaction.atomic
def rule_set_activate(*, actor: User, rule_set: RuleSet) -> RuleSet:
    """Make the draft ``rule_set`` the active version and retire the one that was active.

    Locks every rule-set row first (a few dozen at most), so two activations run one after the
    other and the second sees the first's result. Raises ``PermissionDenied`` for anyone but an
    administrator and ``ValidationError`` when ``rule_set`` is not a draft or its parameters are invalid.
    """
    _require_administrator(actor)
    locked = {row.pk: row for row in RuleSet.objects.select_for_update().order_by("pk")}
    target = locked[rule_set.pk]
    if target.status != RuleSetStatus.DRAFT:
        raise ValidationError(f"Versie {target.version} is geen concept en kan niet (opnieuw) worden geactiveerd.")
    target.full_clean()
    now = timezone.now()
    for row in locked.values():
        if row.status == RuleSetStatus.ACTIVE:
            row.status, row.retired_at = RuleSetStatus.RETIRED, now
            _save(row)
    target.status, target.activated_by, target.activated_at = RuleSetStatus.ACTIVE, actor, now
    _save(target)
    return target


# --- Proposals and decisions ------------------------------------------------------------------


class DecisionConflict(Exception):
    """The case changed since the decider looked at it (``from_tier`` is stale)."""

    def __init__(self, current_tier: str) -> None:
        super().__init__(f"Het niveau van deze casus is intussen {Tier(current_tier).label}; bekijk de casus opnieuw.")
        self.current_tier = current_tier


def zvh_organisation() -> Organisation:
    """The Zorg- en Veiligheidshuis Regio Utrecht, whose process directors chair the casusoverleg."""
    return Organisation.objects.get(code=settings.PGA_ZVH_ORGANISATION_CODE)


@transaction.atomic
def proposal_create(
    *, actor: User, case: Case, to_tier: str, rationale: str, rationale_category: str = Category.PLAN
) -> Proposal:
    """Propose moving ``case`` to ``to_tier`` (a case director or a partner in the team), with a rationale in
    a category the actor writes (``rationale_category``, default ``plan``).

    A proposal into ``zvhru`` brings the ZVHRU into the team from today, so its process directors see
    the case and can put it on the next casusoverleg; only their decision sets ``zvhru``.
    Raises ``PermissionDenied`` or ``ValidationError``.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    rel = access.relation(actor, case)
    if not (rel.is_member and actor.is_case_worker):
        raise PermissionDenied("Alleen de regisseurs en de partners in het casusteam doen een voorstel.")
    if not moves.is_allowed(moves.Move(from_tier=case.tier, from_status=case.status, to_tier=to_tier)):
        raise ValidationError({"to_tier": f"Van {Tier(case.tier).label} naar {Tier(to_tier).label} kan niet."})
    _require_text_category(actor, rationale_category, "rationale_category")
    proposal = Proposal(
        case=case,
        from_tier=case.tier,
        to_tier=to_tier,
        rationale=rationale,
        rationale_category=rationale_category,
        proposed_by=actor,
        organisation=actor.organisation,
    )
    proposal.full_clean()
    proposal.save()
    if to_tier == Tier.ZVHRU:
        case_services.team_organisation_join(case=case, organisation=zvh_organisation(), added_by=actor)
    return proposal


@transaction.atomic
def decision_make(
    *,
    actor: User,
    case: Case,
    from_tier: str,
    rationale: str,
    to_tier: str | None = None,
    to_status: str | None = None,
    closing_reason: str = "",
    override_reason: str = "",
    process_director: User | None = None,
    conference: CaseConference | None = None,
    rationale_category: str = Category.PLAN,
) -> Decision:
    """Decide a move of ``case``; see the module docstring for the checks and their errors.

    With ``conference``: the decision is taken in that casusoverleg (still open, the case on its agenda).

    Raises ``DecisionConflict`` (409), ``PermissionDenied`` (403) or ``ValidationError`` (400).
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    if from_tier != case.tier:
        raise DecisionConflict(case.tier)
    move = moves.Move(from_tier=case.tier, from_status=case.status, to_tier=to_tier or None, to_status=to_status or None)
    _check_move(move, rationale=rationale, closing_reason=closing_reason)
    _check_decider(actor, case, move)
    _check_exit_date(case, move, override_reason)
    _check_conference(conference, case)
    _require_text_category(actor, rationale_category, "rationale_category")
    recommendation = recommendation_for(case)  # the full advice, as the system saw it (a record, not a view)
    decision = Decision(
        case=case,
        kind=DecisionKind.TIER if move.to_tier else DecisionKind.STATUS,
        from_tier=case.tier,
        to_tier=move.to_tier or "",
        from_status=case.status,
        to_status=move.to_status or "",
        closing_reason=closing_reason if move.to_status == CaseStatus.AFGESLOTEN else "",
        rationale=rationale,
        rationale_category=rationale_category,
        override_reason=override_reason,
        decided_by=actor,
        decided_by_role=actor.role,
        decided_by_organisation=actor.organisation,
        recommendation=recommendation.as_dict(),
        agrees_with_recommendation=(recommendation.recommended_tier == move.to_tier) if move.to_tier else None,
        conference=conference,
    )
    decision.full_clean()
    case_services.case_move_apply(
        actor=actor,
        case=case,
        to_tier=move.to_tier,
        to_status=move.to_status,
        reason=rationale,
        closing_reason=decision.closing_reason,
        process_director=_process_director_for(actor, case, move, process_director),
        case_director=_case_director_for(actor, case, move),
    )
    decision.save()
    review_flags_settle(case, day=decision.decided_on)
    if move.to_tier:
        Proposal.objects.filter(case=case, status=ProposalStatus.OPEN, to_tier=move.to_tier).update(
            status=ProposalStatus.BESLOTEN, decision=decision
        )
    return decision


def _require_text_category(actor: User, category: str, field: str) -> None:
    """Free text is written in a known category that the actor writes under the sharing matrix (issue #4)."""
    if category not in Category.values:
        raise ValidationError({field: "Kies een categorie uit de deelmatrix."})
    require_writes(actor, Category(category))


def _check_move(move: moves.Move, *, rationale: str, closing_reason: str) -> None:
    if not moves.is_allowed(move):
        field = "to_tier" if move.to_tier else "to_status"
        raise ValidationError({field: "Deze overgang staat niet in de tabel van toegestane besluiten."})
    if not rationale.strip():
        raise ValidationError({"rationale": "Onderbouw het besluit."})
    if move.to_status == CaseStatus.AFGESLOTEN and closing_reason not in ClosingReason.values:
        raise ValidationError({"closing_reason": "Kies een reden van afsluiting."})


def _check_decider(actor: User, case: Case, move: moves.Move) -> None:
    """Process directors decide what touches ZVHRU; the case's own case director the rest (issue #3)."""
    rel = access.relation(actor, case)
    if not rel.is_member:
        raise PermissionDenied("U heeft geen toegang tot deze casus.")
    allowed = moves.may_decide(
        move, role=actor.role, is_case_director=rel.is_case_director, case_has_case_director=case.case_director_id is not None
    )
    who = "een procesregisseur" if moves.deciding_role(move) == Role.PROCESS_DIRECTOR else "de casusregisseur van deze casus"
    if not allowed:
        raise PermissionDenied(f"Dit besluit neemt {who}; u kunt wel een voorstel doen.")


def _check_exit_date(case: Case, move: moves.Move, override_reason: str) -> None:
    """Closing an active case before its earliest exit date needs an override reason (DOMAIN.md §5.6)."""
    if move.to_status != CaseStatus.AFGESLOTEN or case.status != CaseStatus.ACTIEF or override_reason.strip():
        return
    exit_on: dt.date = exit_date_for(with_case_facts(Case.objects.filter(pk=case.pk)).get())
    if exit_on > timezone.localdate():
        raise ValidationError(
            {"override_reason": f"De vroegste uitstroomdatum ({exit_on:%d-%m-%Y}) is nog niet bereikt; geef een reden."}
        )


def _check_conference(conference: CaseConference | None, case: Case) -> None:
    """A decision linked to a casusoverleg is taken while it is open, on a case on its agenda."""
    if conference is None:
        return
    if conference.is_locked:
        raise ValidationError({"conference": "Het verslag van dit casusoverleg is vastgesteld; besluit buiten het overleg."})
    if not conference.items.filter(case=case).exists():
        raise ValidationError({"conference": "Deze casus staat niet op de agenda van dit casusoverleg."})


def _process_director_for(actor: User, case: Case, move: moves.Move, chosen: User | None) -> User | None:
    """Into ZVHRU the case gets a process director: the one chosen, else the deciding one."""
    if move.to_tier == Tier.ZVHRU:
        return chosen or case.process_director or actor
    if move.to_tier:
        return None  # out of ZVHRU: no process director any more
    return case.process_director


def _case_director_for(actor: User, case: Case, move: moves.Move) -> User | None:
    """From lokale PGA up a case has a case director; a case director deciding for an undirected case takes it."""
    if case.case_director is None and actor.role == Role.CASE_DIRECTOR:
        return actor
    return case.case_director


# --- Casusoverleg (case conference) -------------------------------------------------------------
#
# The chair (a procesregisseur, DOMAIN.md §2) plans the conference and is the only one who manages its
# agenda and minutes. Until the minutes are finalised everything on it can change; afterwards only a
# dated addendum (``conference_addendum_add``). Action items agreed on an item become actions in that
# case's plan (``cases.services.action_create``, so the directors' right and the owner-in-team rule hold):
# under the goal "Afspraken casusoverleg" on the chosen leefgebied, created the first time — the plan
# then shows at a glance what was agreed in the casusoverleg, and the leefgebied stays meaningful.

CONFERENCE_GOAL = "Afspraken casusoverleg"


def _require_chair(actor: User, conference: CaseConference, *, open_only: bool = True) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` chairs ``conference``; ``ValidationError`` once it is locked."""
    if not (actor.is_authenticated and actor.has_access_on() and actor.pk == conference.chair_id):
        raise PermissionDenied("Alleen de voorzitter beheert de agenda en het verslag van het casusoverleg.")
    if open_only and conference.is_locked:
        raise ValidationError("Het verslag is vastgesteld; voeg een aanvulling toe.")


def _locked_conference(conference: CaseConference) -> CaseConference:
    return CaseConference.objects.select_for_update().get(pk=conference.pk)


@transaction.atomic
def conference_create(
    *,
    actor: User,
    starts_at: dt.datetime,
    attendees: Iterable[User] = (),
    organisations: Iterable[Organisation] = (),
    notes: str = "",
) -> CaseConference:
    """Plan a casusoverleg chaired by ``actor`` (a process director). Raises ``PermissionDenied``/``ValidationError``."""
    if not (actor.is_authenticated and actor.has_access_on() and actor.role == Role.PROCESS_DIRECTOR):
        raise PermissionDenied("Alleen een procesregisseur plant een casusoverleg.")
    conference = CaseConference(starts_at=starts_at, chair=actor, notes=notes)
    conference.full_clean()
    conference.save()
    conference.attendees.set(list(attendees))
    conference.organisations.set(list(organisations))
    return conference


def _next_order(conference: CaseConference) -> int:
    return (conference.items.aggregate(highest=Max("order"))["highest"] or 0) + 1


@transaction.atomic
def agenda_propose(*, actor: User, conference: CaseConference) -> list[AgendaItem]:
    """Add the system's proposed cases (``selectors.agenda_candidates``) not yet on the agenda; returns the new items.

    Idempotent; the chair removes what need not be discussed. A fixed number of queries whatever the caseload.
    """
    conference = _locked_conference(conference)
    _require_chair(actor, conference)
    present = set(conference.items.values_list("case_id", flat=True))
    candidates = {pk: source for pk, source in agenda_candidates(actor).items() if pk not in present}
    start = _next_order(conference)
    items = [
        AgendaItem(conference=conference, case_id=pk, source=source, order=start + index)
        for index, (pk, source) in enumerate(candidates.items())
    ]
    return AgendaItem.objects.bulk_create(items)


@transaction.atomic
def agenda_item_add(*, actor: User, conference: CaseConference, case: Case) -> AgendaItem:
    """Put a case the chair may see on the agenda by hand. Raises ``ValidationError`` when it is already there."""
    conference = _locked_conference(conference)
    _require_chair(actor, conference)
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise PermissionDenied("U kunt deze casus niet zien.")
    item = AgendaItem(conference=conference, case=case, source=AgendaSource.HANDMATIG, order=_next_order(conference))
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def agenda_item_remove(*, actor: User, item: AgendaItem) -> None:
    """Take an item off the agenda (no decision or action item may hang on it yet)."""
    conference = _locked_conference(item.conference)
    _require_chair(actor, conference)
    if item.actions.exists() or Decision.objects.filter(conference=conference, case_id=item.case_id).exists():
        raise ValidationError("Over deze casus is al besloten of afgesproken; het agendapunt blijft staan.")
    item.delete()


@transaction.atomic
def agenda_item_move(*, actor: User, item: AgendaItem, up: bool) -> None:
    """Swap the item with its neighbour above (``up``) or below."""
    conference = _locked_conference(item.conference)
    _require_chair(actor, conference)
    items = list(conference.items.order_by("order", "id"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    for position, row in enumerate(items, start=1):
        row.order = position
    AgendaItem.objects.bulk_update(items, ["order"])


@transaction.atomic
def agenda_item_notes_update(*, actor: User, item: AgendaItem, notes: str, notes_category: str | None = None) -> AgendaItem:
    """Write the item's notes (the minutes of this case). Locked once the minutes are finalised. The notes
    keep their category unless ``notes_category`` changes it; the chair must write it (issue #4)."""
    _require_chair(actor, _locked_conference(item.conference))
    category = notes_category or item.notes_category
    _require_text_category(actor, category, "notes_category")
    item.notes, item.notes_category = notes, category
    item.full_clean()
    item.save(update_fields=["notes", "notes_category"])
    return item


@transaction.atomic
def agenda_action_add(*, actor: User, item: AgendaItem, leefgebied: str, **fields: Any) -> Action:
    """An action item agreed on ``item``: a new action in the case's plan (``cases.services.action_create``:
    ``description``, ``owning_organisation``, ``due_on``, ``kind``), under the goal "Afspraken casusoverleg"
    on ``leefgebied``. Raises ``PermissionDenied`` when the chair may not edit the case's plan (only its
    directors may) and ``ValidationError`` for an owner outside the case team or a due date in the past.
    """
    _require_chair(actor, _locked_conference(item.conference))
    case = item.case
    goal = Goal.objects.filter(plan__case=case, leefgebied=leefgebied, description=CONFERENCE_GOAL).first()
    if goal is None:
        goal = case_services.goal_create(actor=actor, case=case, leefgebied=leefgebied, description=CONFERENCE_GOAL)
    action = case_services.action_create(actor=actor, goal=goal, **fields)
    item.actions.add(action)
    return action


@transaction.atomic
def conference_finalise(*, actor: User, conference: CaseConference) -> CaseConference:
    """Finalise the minutes: from now on agenda, notes and decisions in it are locked."""
    conference = _locked_conference(conference)
    _require_chair(actor, conference)
    conference.status = ConferenceStatus.AFGEROND
    conference.finalised_at, conference.finalised_by = timezone.now(), actor
    conference.full_clean()
    conference.save()
    return conference


@transaction.atomic
def conference_addendum_add(
    *, actor: User, conference: CaseConference, text: str, category: str = Category.PLAN
) -> ConferenceAddendum:
    """A dated addendum to finalised minutes (the chair), in a ``category`` the chair writes (issue #4).
    Before finalising, edit the notes instead."""
    conference = _locked_conference(conference)
    _require_chair(actor, conference, open_only=False)
    if not conference.is_locked:
        raise ValidationError({"text": "Het verslag is nog niet vastgesteld; pas de notities aan."})
    _require_text_category(actor, category, "category")
    addendum = ConferenceAddendum(conference=conference, text=text, category=category, added_by=actor)
    addendum.full_clean()
    addendum.save()
    return addendum
