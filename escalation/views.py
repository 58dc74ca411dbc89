"""The case page's escalation panel (advice, proposals, decisions) and the proposal and decision forms.

The cases app shows the panel without importing this one (``cases.panels``, registered in
``EscalationConfig.ready``). Outsiders get 404 (``cases.selectors.case_get``); a user who may not take
a decision sees the proposal form instead and gets 403 if they post a decision anyway.
"""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from cases.access import Relation
from cases.models import Case
from cases.views.common import actor, attempt, bound, case_for, done, form_page

from . import capacity, moves, services
from .forms import DecisionForm, ProposalForm, decidable_choices
from .models import Decision, Proposal, ProposalStatus
from .selectors import open_proposals_for_director, recommendation_for


def may_decide_something(rel: Relation) -> bool:
    """True when the table leaves the user at least one decision on this case (``moves.may_decide``,
    the rule ``services.decision_make`` enforces)."""
    return bool(decidable_choices(rel.case, rel.user))


def case_panel(request: HttpRequest, case: Case, rel: Relation) -> dict[str, Any]:
    """Context of ``escalation/_case_panel.html``: advice, open proposals, recent decisions, what the user may do."""
    return {
        "recommendation": recommendation_for(case, viewer=actor(request)),
        "open_proposals": list(
            Proposal.objects.filter(case=case, status=ProposalStatus.OPEN).select_related("proposed_by", "organisation")
        ),
        "decisions": list(Decision.objects.filter(case=case).select_related("decided_by")[:5]),
        "may_propose": rel.is_member and rel.user.is_case_worker and bool(moves.TIER_MOVES.get(case.tier)),
        "may_decide": rel.is_member and may_decide_something(rel),
    }


def proposals_panel(request: HttpRequest) -> dict[str, Any]:
    """Caseload panel: the open proposals this director decides on."""
    return {"open_proposals_for_me": open_proposals_for_director(actor(request))}


@login_required
@require_http_methods(["GET", "POST"])
def proposal_add(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Propose moving the case to another tier (case director or a partner in the team)."""
    case, rel = case_for(request, case_id)
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
