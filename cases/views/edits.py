"""Form pages under a case: facts (offence, detention, assessment, drug-network indication), the plan
(goals and actions), the team and the direction (tier, status, target group, directors).

Each view: ``case_for`` (404 for outsiders, 403 when the act is not allowed), a Django form for the
shape, one service call for the rules, then a redirect back to the case page — or the form again
with the service's Dutch messages on its fields. Every page works without JavaScript.
"""

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_http_methods, require_POST

from .. import access, selectors, services
from ..access import Act
from ..forms import (
    ActionForm,
    ActionOwnerForm,
    AssessmentForm,
    CaseDirectionForm,
    DetentionForm,
    DrugNetworkForm,
    GoalForm,
    OffenceForm,
    TeamMemberForm,
)
from ..models import Action, Case, Goal
from .common import actor, attempt, bound, case_for, case_url, done, form_page

GET_POST = require_http_methods(["GET", "POST"])


def _fact_form(
    request: HttpRequest, page_case: Case, form: forms.Form, *, service: Any, title: str, message: str, anchor: str, **target: Any
) -> HttpResponse:
    """Validate ``form``; call ``service(actor=…, **target, **cleaned_data)``; redirect to the case or re-render.

    ``target`` names what the service acts on (``case=``, ``goal=`` or ``action=``).
    """
    posted = request.method == "POST" and form.is_valid()
    if posted and attempt(form, service, actor=actor(request), **target, **form.cleaned_data) is not None:
        return done(request, page_case, message, anchor)
    return form_page(request, case=page_case, form=form, title=title)


# --- Facts ------------------------------------------------------------------------------------


@login_required
@GET_POST
def offence_add(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case, _ = case_for(request, case_id, Act.RECORD_OFFENCE)
    form = bound(OffenceForm, request)
    return _fact_form(
        request,
        case,
        form,
        service=services.offence_record,
        case=case,
        title="Delict registreren",
        message="Delict geregistreerd.",
        anchor="tijdlijn",
    )


@login_required
@GET_POST
def detention_add(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case, _ = case_for(request, case_id, Act.RECORD_DETENTION)
    form = bound(DetentionForm, request)
    return _fact_form(
        request,
        case,
        form,
        service=services.detention_record,
        case=case,
        title="Detentie registreren",
        message="Detentie geregistreerd.",
        anchor="tijdlijn",
    )


@login_required
@GET_POST
def detention_edit(request: HttpRequest, case_id: uuid.UUID, detention_id: uuid.UUID) -> HttpResponse:
    """Correct a detention period or record the actual release (straf partners and directors)."""
    case, _ = case_for(request, case_id, Act.RECORD_DETENTION)
    detention = get_object_or_404(case.detentions, pk=detention_id)
    fields = ("institution", "started_on", "expected_release_on", "released_on")
    form = bound(DetentionForm, request, initial={name: getattr(detention, name) for name in fields})
    return _fact_form(
        request,
        case,
        form,
        service=services.detention_update,
        detention=detention,
        title="Detentie bijwerken",
        message="Detentie bijgewerkt.",
        anchor="detentie",
    )


@login_required
@GET_POST
def assessment_add(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case, _ = case_for(request, case_id, Act.RECORD_ASSESSMENT)
    form = bound(AssessmentForm, request)
    return _fact_form(
        request,
        case,
        form,
        service=services.assessment_record,
        case=case,
        title="Leefgebieden beoordelen",
        message="Beoordeling vastgelegd.",
        anchor="beoordeling",
    )


@login_required
@GET_POST
def drug_network_edit(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case, _ = case_for(request, case_id, Act.RECORD_DRUG_NETWORK)
    form = bound(DrugNetworkForm, request, initial={"drug_network_indication": case.drug_network_indication})
    return _fact_form(
        request,
        case,
        form,
        service=services.case_update,
        case=case,
        title="Netwerk in de drugswereld",
        message="Netwerkindicatie vastgelegd.",
        anchor="kerngegevens",
    )


# --- Plan -------------------------------------------------------------------------------------


def _goal(case: Case, goal_id: uuid.UUID) -> Goal:
    return get_object_or_404(Goal.objects.select_related("plan__case"), pk=goal_id, plan__case=case)


@login_required
@GET_POST
def goal_add(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case, _ = case_for(request, case_id, Act.EDIT_PLAN)
    form = bound(GoalForm, request, initial={"leefgebied": request.GET.get("leefgebied")})
    return _fact_form(
        request,
        case,
        form,
        service=services.goal_create,
        case=case,
        title="Doel toevoegen",
        message="Doel toegevoegd.",
        anchor="plan",
    )


@login_required
@GET_POST
def goal_edit(request: HttpRequest, case_id: uuid.UUID, goal_id: uuid.UUID) -> HttpResponse:
    case, _ = case_for(request, case_id, Act.EDIT_PLAN)
    goal = _goal(case, goal_id)
    initial = {"leefgebied": goal.leefgebied, "description": goal.description, "achieved": goal.achieved}
    form = bound(GoalForm, request, initial=initial)
    return _fact_form(
        request,
        case,
        form,
        service=services.goal_update,
        goal=goal,
        title="Doel wijzigen",
        message="Doel gewijzigd.",
        anchor="plan",
    )


@login_required
@GET_POST
def action_add(request: HttpRequest, case_id: uuid.UUID, goal_id: uuid.UUID) -> HttpResponse:
    case, _ = case_for(request, case_id, Act.EDIT_PLAN)
    goal = _goal(case, goal_id)
    form = bound(ActionForm, request)
    title = f"Actie toevoegen bij {goal.get_leefgebied_display().lower()}"
    return _fact_form(
        request, case, form, service=services.action_create, goal=goal, title=title, message="Actie toegevoegd.", anchor="plan"
    )


@login_required
@GET_POST
def action_edit(request: HttpRequest, case_id: uuid.UUID, action_id: uuid.UUID) -> HttpResponse:
    """Directors edit everything; team members of the owning organisation status, owner and due date."""
    case, rel = case_for(request, case_id)
    action = get_object_or_404(
        Action.objects.select_related("goal__plan__case", "owning_organisation"), pk=action_id, goal__plan__case=case
    )
    if not access.may_update_action(rel, action.owning_organisation_id):
        raise PermissionDenied("Alleen de regisseurs en de eigenaar van de actie wijzigen deze actie.")
    form_class = ActionForm if rel.is_director else ActionOwnerForm
    initial = {name: getattr(action, name) for name in form_class.base_fields}
    form = bound(form_class, request, initial=initial)
    return _fact_form(
        request,
        case,
        form,
        service=services.action_update,
        action=action,
        title="Actie wijzigen",
        message="Actie gewijzigd.",
        anchor="plan",
    )


# --- Team and direction -----------------------------------------------------------------------


@login_required
@GET_POST
def team_add(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case, _ = case_for(request, case_id, Act.MANAGE_TEAM)
    form = bound(TeamMemberForm, request)
    return _fact_form(
        request,
        case,
        form,
        service=services.team_member_add,
        case=case,
        title="Teamlid toevoegen",
        message="Teamlid toegevoegd.",
        anchor="team",
    )


@login_required
@require_POST
def team_remove(request: HttpRequest, case_id: uuid.UUID, member_id: uuid.UUID) -> HttpResponse:
    """End a team entry (until = yesterday). A POST button on the case page; no page of its own."""
    case, _ = case_for(request, case_id, Act.MANAGE_TEAM)
    # Only a current entry can end; an ended one keeps its date (the team history stays as it was).
    member = get_object_or_404(selectors.team_listed(case), pk=member_id)
    try:
        services.team_member_remove(actor=actor(request), member=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(case_url(case, "team"))
    return done(request, case, f"{member} staat niet meer in het casusteam.", "team")


@login_required
@GET_POST
def case_direct(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Target group and hand-over of direction (with a reason); tier and status move by a decision."""
    case, _ = case_for(request, case_id, Act.DIRECT_CASE)
    fields = ("target_group", "case_director", "process_director")
    form = bound(CaseDirectionForm, request, initial={name: getattr(case, name) for name in fields})
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        changed = any(getattr(case, name) != value for name, value in changes.items())
        reason = form.cleaned_data["reason"]
        if attempt(form, services.case_update, actor=actor(request), case=case, reason=reason, **changes) is not None:
            if not selectors.cases_visible_to(actor(request)).filter(pk=case.pk).exists():
                # Handed over: the previous director no longer sees the case; don't land them on a 404.
                messages.success(request, f"De casus is overgedragen aan {case.case_director}. U heeft er geen toegang meer toe.")
                return redirect("caseload")
            return done(request, case, "Wijziging vastgelegd." if changed else "Er was niets gewijzigd.", "kerngegevens")
    return form_page(request, case=case, form=form, title="Doelgroep en regie wijzigen")
