"""The case page, and the journal form that updates the timeline in place (htmx) or by redirect.

Everything shown comes from the selectors (``case_get`` → 404 for outsiders); which forms appear
comes from ``access.allowed_acts``, so a user is never offered a form that would answer 403.

What of the case reaches the template is decided by the sharing matrix (DOMAIN.md §8, issue #4):
``privacy.policy.disclosure_for`` once per request, the case and the person as ``policy.Shown``
views, and every other piece (justitieel facts, scores, team, families, timeline) only put in the
context when the matrix allows it — data outside it is absent, not blanked. The categories the page
disclosed are noted in the access log (``privacy.access_log.note``).
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from privacy import access_log, policy
from privacy.categories import Access, Category

from .. import access, selectors, services
from ..access import Act, Relation
from ..forms import SCORE_LABELS, JournalForm
from ..models import Case, Leefgebied
from ..panels import panels_for
from ..timeline import TimelineItem, categories_of, prefetch_shared, shared_rows, timeline, zorg_member_q
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
CATEGORY_LABELS = dict(Category.choices)


@dataclass(frozen=True)
class TimelineRow:
    item: TimelineItem
    label: str
    badge: str

    @property
    def category_label(self) -> str:
        """The journal entry's category as its author chose it (shown as a small badge)."""
        return CATEGORY_LABELS.get(self.item.category, self.item.category) if self.item.kind == "journal" else ""


def timeline_rows(case: Case, disclosure: policy.Disclosure) -> list[TimelineRow]:
    return [TimelineRow(item, *TIMELINE_KINDS.get(item.kind, (item.kind, "neutral"))) for item in timeline(case, disclosure)]


def journal_categories(disclosure: policy.Disclosure) -> list[Category]:
    """The categories a user may give a journal entry: those the matrix lets them write."""
    return [category for category in Category if disclosure.writes(category)]


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


def assessment_rows(case: Case, disclosure: policy.Disclosure) -> tuple[Any, list[dict[str, Any]]]:
    """The latest assessment (as a ``Shown`` view) and its scores, each leefgebied only when the matrix
    shows it (``FIELDS["assessment"]``: the zorg score is ``zorg``, four others ``sociaal``)."""
    latest = next(iter(shared_rows(case, "assessments", case.assessments.select_related("assessed_by")[:1])), None)
    if latest is None:
        return None, []
    labels = dict(Leefgebied.choices)
    rows = [
        {"code": code, "leefgebied": labels[code], "score": score, "label": SCORE_LABELS[score]}
        for code, score in latest.scores().items()
        if disclosure.shows("assessment", code)
    ]
    return policy.Shown("assessment", latest, disclosure), rows


def timeline_context(
    case: Case, rel: Relation, disclosure: policy.Disclosure, journal_form: JournalForm | None = None
) -> dict[str, Any]:
    can = {act.value: True for act in access.allowed_acts(rel)}
    if journal_form is None and can.get(Act.WRITE_JOURNAL):
        journal_form = JournalForm(categories=journal_categories(disclosure))
    rows = timeline_rows(case, disclosure)
    access_log.note(categories=categories_of([row.item for row in rows]))
    return {"case": policy.Shown("case", case, disclosure), "can": can, "timeline": rows, "journal_form": journal_form}


def justitieel_context(case: Case, disclosure: policy.Disclosure) -> dict[str, Any]:
    """The case's justitieel facts, only for who reads ``justitieel``: detentions and the earliest exit
    date (``in_detention``, the drug-network indication and ``last_offence_on`` reach the template
    through ``Shown("case")``; a zorg partner's ``KENMERK`` shows only the last offence date)."""
    if not disclosure.reads(Category.JUSTITIEEL):
        return {}
    detentions = shared_rows(case, "detentions", case.detentions.all())
    return {"detentions": list(detentions), "exit_on": selectors.exit_date_for(case)}


def team_context(case: Case, disclosure: policy.Disclosure) -> dict[str, Any]:
    """The team; zorg-domain partners (organisations and their named professionals) only for who reads
    ``zorg``. Who has ``KENMERK`` on ``zorg`` (straf partners) gets "care involved: yes/no" instead."""
    team = selectors.team_listed(case)
    if not disclosure.reads(Category.ZORG):
        team = team.exclude(zorg_member_q())
    context: dict[str, Any] = {"team": list(team)}
    if disclosure.level(Category.ZORG) == Access.KENMERK and disclosure.shows("case", "care_involved"):
        context["care_involved"] = bool(case.care_involved)  # type: ignore[attr-defined]
    return context


def categories_shown(disclosure: policy.Disclosure, context: dict[str, Any]) -> set[str]:
    """The categories of what the case page put in its context (the timeline notes its own)."""
    shown = {Category.IDENTIFICATIE, Category.PLAN} & disclosure.readable
    if "detentions" in context or disclosure.shows("case", "last_offence_on"):
        shown.add(Category.JUSTITIEEL)
    if "care_involved" in context or disclosure.shows("person", "lvb"):
        shown.add(Category.ZORG)
    for row in context["scores"]:
        shown |= policy.FIELDS["assessment"][row["code"]].categories
    if context.get("families"):
        shown.add(Category.NETWERK)
    return {str(category) for category in shown}


def case_context(request: HttpRequest, case: Case, rel: Relation) -> dict[str, Any]:
    """Everything the case page shows, as the sharing matrix lets this user see it (DOMAIN.md §8).

    Detentions and assessments are read once for the timeline and their cards (``prefetch_shared``)."""
    disclosure = policy.disclosure_for(actor(request))
    prefetch_shared(case, disclosure)
    assessment, scores = assessment_rows(case, disclosure)
    panel_templates, panel_context = panels_for(request, case, rel)
    context: dict[str, Any] = {
        **panel_context,
        "case_panels": panel_templates,
        **timeline_context(case, rel, disclosure),
        "person": policy.Shown("person", case.person, disclosure),
        **team_context(case, disclosure),
        **justitieel_context(case, disclosure),
        "plan": plan_by_leefgebied(case, rel),
        "assessment": assessment,
        "scores": scores,
        "relation": rel,
        "today": timezone.localdate(),
    }
    if disclosure.reads(Category.NETWERK):
        context["families"] = selectors.family_memberships_visible_to(actor(request), case.person)
    access_log.note(categories=categories_shown(disclosure, context))
    return context


@login_required
@require_GET
def case_detail(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case, rel = case_for(request, case_id)
    return render(request, "cases/case_detail.html", case_context(request, case, rel))


@login_required
@require_http_methods(["GET", "POST"])
def journal_add(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Add a journal entry, in a category the user may write (issue #4). From the case page htmx swaps
    in the updated timeline section."""
    case, rel = case_for(request, case_id, Act.WRITE_JOURNAL)
    disclosure = policy.disclosure_for(actor(request))
    form = bound(JournalForm, request, categories=journal_categories(disclosure))
    entry = None
    if request.method == "POST" and form.is_valid():
        entry = attempt(form, services.journal_entry_add, actor=actor(request), case=case, **form.cleaned_data)
    if request.htmx:  # type: ignore[attr-defined]
        context = timeline_context(case, rel, disclosure, None if entry else form)
        context["status_message"] = "Journaalregel toegevoegd." if entry else ""
        return render(request, "cases/_timeline.html", context)
    if entry is not None:
        return done(request, case, "Journaalregel toegevoegd.", "tijdlijn")
    return form_page(request, case=case, form=form, title="Journaalregel toevoegen", submit="Toevoegen")
