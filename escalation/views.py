"""The case page's escalation panel (advice, proposals, decisions) and the proposal and decision forms.

The cases app shows the panel without importing this one (``cases.panels``, registered in
``EscalationConfig.ready``). Outsiders get 404 (``cases.selectors.case_get``); a user who may not take
a decision sees the proposal form instead and gets 403 if they post a decision anyway.

The sharing matrix (DOMAIN.md §8, issue #4) decides what of it reaches the template: the advice as
``escalation.disclosure.advice_shown`` cuts it for the viewer — the same facts and verdicts the API
serves (``selectors.advice_for_viewer``) — and a proposal's or decision's rationale only for who reads
its ``rationale_category``; otherwise the rationale is not in the context at all (``DecisionShown``,
``ProposalShown``). The panel notes the categories it showed in the access log.
"""

import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from cases.access import Relation
from cases.models import Case
from cases.views.common import actor, attempt, bound, case_for, done, form_page
from privacy import access_log, policy
from privacy.categories import Category

from . import capacity, moves, services
from .disclosure import advice_shown, fact_categories_read
from .forms import DecisionForm, ProposalForm, decidable_choices
from .models import Decision, Proposal, ProposalStatus
from .selectors import open_proposals_for_director, recommendation_for


def may_decide_something(rel: Relation) -> bool:
    """True when the table leaves the user at least one decision on this case (``moves.may_decide``,
    the rule ``services.decision_make`` enforces)."""
    return bool(decidable_choices(rel.case, rel.user))


@dataclasses.dataclass(frozen=True)
class DecisionShown:
    """A decision as a template may show it: ``rationale`` is ``None`` unless the viewer reads its category."""

    pk: uuid.UUID
    title: str
    decided_by: str
    role: str
    decided_on: dt.date
    agrees_with_recommendation: bool | None
    rationale: str | None


@dataclasses.dataclass(frozen=True)
class ProposalShown:
    """An open proposal as a template may show it: ``rationale`` as in ``DecisionShown``."""

    pk: uuid.UUID
    from_tier: str
    to_tier: str
    proposed_by: str
    organisation: str
    created_at: dt.datetime
    rationale: str | None


def rationale_if_readable(text: str, category: str, disclosure: policy.Disclosure) -> str | None:
    """Free text with its author's category (issue #4): the text for who reads the category, else ``None``."""
    return text if disclosure.reads(category) else None


def decisions_shown(decisions: Iterable[Decision], disclosure: policy.Disclosure) -> list[DecisionShown]:
    return [
        DecisionShown(
            decision.pk,
            str(decision),
            str(decision.decided_by),
            decision.get_decided_by_role_display(),
            decision.decided_on,
            decision.agrees_with_recommendation,
            rationale_if_readable(decision.rationale, decision.rationale_category, disclosure),
        )
        for decision in decisions
    ]


def proposals_shown(proposals: Iterable[Proposal], disclosure: policy.Disclosure) -> list[ProposalShown]:
    return [
        ProposalShown(
            proposal.pk,
            proposal.get_from_tier_display(),
            proposal.get_to_tier_display(),
            str(proposal.proposed_by),
            str(proposal.organisation),
            proposal.created_at,
            rationale_if_readable(proposal.rationale, proposal.rationale_category, disclosure),
        )
        for proposal in proposals
    ]


def rationale_categories(decisions: Iterable[Decision | Proposal], disclosure: policy.Disclosure) -> set[str]:
    """The categories of the rationales shown (for the access log)."""
    return {str(item.rationale_category) for item in decisions if disclosure.reads(item.rationale_category)}


def shows_exit_review(disclosure: policy.Disclosure) -> bool:
    """ "Earliest exit date passed" (an agenda item's reason) is derived from the last offence, so
    ``justitieel`` like the date itself (issue #4; ``FIELDS["case"]["earliest_exit_on"]``). The advice's
    own ``exit_review`` follows the exit criterion's verdict (``escalation.disclosure``)."""
    return disclosure.shows("case", "earliest_exit_on")


def case_panel(request: HttpRequest, case: Case, rel: Relation) -> dict[str, Any]:
    """Context of ``escalation/_case_panel.html``: advice, open proposals, recent decisions, what the user
    may do — each as the sharing matrix lets the user see it (DOMAIN.md §8, issue #4)."""
    disclosure = policy.disclosure_for(actor(request))
    # As the API serves it (``selectors.advice_for_viewer``), without asking again whether the viewer
    # sees the case: the page got it from ``cases.selectors.case_get``, which answers 404 otherwise.
    advice = advice_shown(recommendation_for(case), fact_categories_read(disclosure))
    proposals = list(Proposal.objects.filter(case=case, status=ProposalStatus.OPEN).select_related("proposed_by", "organisation"))
    decisions = list(Decision.objects.filter(case=case).select_related("decided_by")[:5])
    access_log.note(categories=advice.categories | rationale_categories([*proposals, *decisions], disclosure))
    return {
        "recommendation": advice,
        "open_proposals": proposals_shown(proposals, disclosure),
        "decisions": decisions_shown(decisions, disclosure),
        "may_propose": rel.is_member and rel.user.is_case_worker and bool(moves.TIER_MOVES.get(case.tier)),
        "may_decide": rel.is_member and may_decide_something(rel),
    }


def proposals_panel(request: HttpRequest) -> dict[str, Any]:
    """Caseload panel: the open proposals this director decides on (their cases noted in the access log)."""
    proposals = open_proposals_for_director(actor(request))
    if proposals:
        access_log.note(
            "case",
            [proposal.case_id for proposal in proposals],
            persons=[proposal.case.person_id for proposal in proposals],
            categories=[Category.IDENTIFICATIE, Category.PLAN],
        )
    return {"open_proposals_for_me": proposals}


def _not_by_emergency_access(rel: Relation) -> None:
    """Break-the-glass access is read only (issue #4): no proposal or decision form, not even to look at."""
    if rel.break_the_glass and not rel.is_member:
        raise PermissionDenied("Met noodtoegang kunt u de casus alleen inzien: u doet geen voorstel en neemt geen besluit.")


@login_required
@require_http_methods(["GET", "POST"])
def proposal_add(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Propose moving the case to another tier (case director or a partner in the team)."""
    case, rel = case_for(request, case_id)
    _not_by_emergency_access(rel)
    if not rel.user.is_case_worker:
        raise PermissionDenied("Alleen de regisseurs en de partners in het casusteam doen een voorstel.")
    form = bound(ProposalForm, request, case=case)
    if request.method == "POST" and form.is_valid():
        proposal = attempt(form, services.proposal_create, actor=actor(request), case=case, **form.cleaned_data)
        if proposal is not None:
            return done(request, case, "Voorstel vastgelegd; de regisseurs besluiten.", "advies")
    return form_page(request, case=case, form=form, title="Voorstel doen", submit="Voorstel vastleggen")


@login_required
@require_http_methods(["GET", "POST"])
def decision_add(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Take a decision: move the tier, accept, reject, close or reopen — with a rationale."""
    case, rel = case_for(request, case_id)
    _not_by_emergency_access(rel)
    if not may_decide_something(rel):
        raise PermissionDenied("U besluit niet over deze casus; u kunt wel een voorstel doen.")
    form = bound(DecisionForm, request, case=case, decider=actor(request), initial={"from_tier": case.tier})
    if request.method == "POST" and form.is_valid():
        loads = capacity.capacity_loads()  # before the decision: what it adds to
        move = capacity.move_of(case, form.cleaned_data["move"])
        warnings_after = capacity.decision_warnings(case=case, actor=actor(request), move=move, loads=loads)
        try:
            decision = attempt(form, services.decision_make, actor=actor(request), case=case, **form.service_data())
        except services.DecisionConflict as conflict:
            form.add_error(None, str(conflict))
            decision = None
        if decision is not None:
            for warning in warnings_after:
                messages.warning(request, warning)
            return done(request, case, "Besluit vastgelegd.", "advies")
    intro = "Het advies van het beoordelingskader staat op de casuspagina; u mag ervan afwijken, met onderbouwing."
    warnings = capacity.choice_warnings(case=case, actor=actor(request), choices=form.fields["move"].choices)
    return form_page(
        request,
        case=case,
        form=form,
        title="Besluit nemen",
        submit="Besluit vastleggen",
        intro=intro,
        template="escalation/decision_form.html",
        capacity_warnings=warnings,
    )
