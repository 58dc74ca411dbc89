"""The case page, and the journal form that updates the timeline in place (htmx) or by redirect.

Everything shown comes from the selectors (``case_get`` → 404 for outsiders); which forms appear
comes from ``access.allowed_acts``, so a user is never offered a form that would answer 403.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from .. import access, selectors, services
from ..access import Act, Relation
from ..forms import SCORE_LABELS, JournalForm
from ..models import Case, Leefgebied
from ..panels import panels_for
from ..timeline import TimelineItem, timeline
from .common import actor, attempt, bound, case_for, done, form_page

# Timeline kinds (cases.timeline.TimelineItem.kind): Dutch label and status-badge modifier.
TIMELINE_KINDS = {
    "offence": ("Delict", "danger"),
    "detention": ("Detentie", "warning"),
    "journal": ("Journaal", "neutral"),
    "plan": ("Plan", "safe"),
    "team": ("Team", "neutral"),
    "change": ("Wijziging", "active"),
}


@dataclass(frozen=True)
class TimelineRow:
    item: TimelineItem
    label: str
    badge: str


def timeline_rows(case: Case) -> list[TimelineRow]:
    return [TimelineRow(item, *TIMELINE_KINDS.get(item.kind, (item.kind, "neutral"))) for item in timeline(case)]


def plan_by_leefgebied(case: Case, rel: Relation) -> list[dict[str, Any]]:
    """The six leefgebieden in DOMAIN.md §6 order, each with its goals; actions marked editable."""
    goals = list(selectors.plan_goals(case))
    for goal in goals:
        for action in goal.actions.all():
            action.editable = access.may_update_action(rel, action.owning_organisation_id)  # type: ignore[attr-defined]
    return [
        {"code": code, "label": label, "goals": [goal for goal in goals if goal.leefgebied == code]}
        for code, label in Leefgebied.choices
    ]


def assessment_rows(case: Case) -> tuple[Any, list[dict[str, Any]]]:
    latest = case.assessments.select_related("assessed_by").first()
    if latest is None:
        return None, []
    labels = dict(Leefgebied.choices)
    rows = [{"leefgebied": labels[code], "score": score, "label": SCORE_LABELS[score]} for code, score in latest.scores().items()]
    return latest, rows


def timeline_context(case: Case, rel: Relation, journal_form: JournalForm | None = None) -> dict[str, Any]:
    can = {act.value: True for act in access.allowed_acts(rel)}
    if journal_form is None and can.get(Act.WRITE_JOURNAL):
        journal_form = JournalForm()
    return {"case": case, "can": can, "timeline": timeline_rows(case), "journal_form": journal_form}


def case_context(request: HttpRequest, case: Case, rel: Relation) -> dict[str, Any]:
    assessment, scores = assessment_rows(case)
    panel_templates, panel_context = panels_for(request, case, rel)
    return {
        **panel_context,
        "case_panels": panel_templates,
        **timeline_context(case, rel),
        "person": case.person,
        "families": selectors.family_memberships_visible_to(actor(request), case.person),
        "team": list(selectors.team_listed(case)),
        "detentions": list(case.detentions.all()),
        "plan": plan_by_leefgebied(case, rel),
        "assessment": assessment,
        "scores": scores,
        "exit_on": selectors.exit_date_for(case),
        "relation": rel,
        "today": timezone.localdate(),
    }


@login_required
@require_GET
def case_detail(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case, rel = case_for(request, case_id)
    return render(request, "cases/case_detail.html", case_context(request, case, rel))


@login_required
@require_http_methods(["GET", "POST"])
def journal_add(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Add a journal entry. From the case page htmx swaps in the updated timeline section."""
    case, rel = case_for(request, case_id, Act.WRITE_JOURNAL)
    form = bound(JournalForm, request)
    entry = None
    if request.method == "POST" and form.is_valid():
        entry = attempt(form, services.journal_entry_add, actor=actor(request), case=case, **form.cleaned_data)
    if request.htmx:  # type: ignore[attr-defined]
        context = timeline_context(case, rel, None if entry else form)
        context["status_message"] = "Journaalregel toegevoegd." if entry else ""
        return render(request, "cases/_timeline.html", context)
    if entry is not None:
        return done(request, case, "Journaalregel toegevoegd.", "tijdlijn")
    return form_page(request, case=case, form=form, title="Journaalregel toevoegen", submit="Toevoegen")
