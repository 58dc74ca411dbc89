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
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from cases import access
from cases import services as case_services
from cases.models import Case, CaseStatus, ClosingReason, Tier
from cases.selectors import exit_date_for, with_case_facts
from partners.models import Organisation, Role, User

from . import moves
from .models import Decision, DecisionKind, Proposal, ProposalStatus, RuleSet, RuleSetStatus
from .selectors import recommendation_for


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
def proposal_create(*, actor: User, case: Case, to_tier: str, rationale: str) -> Proposal:
    """Propose moving ``case`` to ``to_tier`` (a case director or a partner in the team).

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
    proposal = Proposal(
        case=case, from_tier=case.tier, to_tier=to_tier, rationale=rationale, proposed_by=actor, organisation=actor.organisation
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
) -> Decision:
    """Decide a move of ``case``; see the module docstring for the checks and their errors.

    Raises ``DecisionConflict`` (409), ``PermissionDenied`` (403) or ``ValidationError`` (400).
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    if from_tier != case.tier:
        raise DecisionConflict(case.tier)
    move = moves.Move(from_tier=case.tier, from_status=case.status, to_tier=to_tier or None, to_status=to_status or None)
    _check_move(move, rationale=rationale, closing_reason=closing_reason)
    _check_decider(actor, case, move)
    _check_exit_date(case, move, override_reason)
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
        override_reason=override_reason,
        decided_by=actor,
        decided_by_role=actor.role,
        decided_by_organisation=actor.organisation,
        recommendation=recommendation.as_dict(),
        agrees_with_recommendation=(recommendation.recommended_tier == move.to_tier) if move.to_tier else None,
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
    if move.to_tier:
        Proposal.objects.filter(case=case, status=ProposalStatus.OPEN, to_tier=move.to_tier).update(
            status=ProposalStatus.BESLOTEN, decision=decision
        )
    return decision


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
    if moves.deciding_role(move) == Role.PROCESS_DIRECTOR:
        allowed = actor.role == Role.PROCESS_DIRECTOR
        who = "een procesregisseur"
    else:
        allowed = rel.is_case_director or (case.case_director_id is None and actor.role == Role.CASE_DIRECTOR)
        who = "de casusregisseur van deze casus"
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
