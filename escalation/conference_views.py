"""The casusoverleg in the browser: list, plan, the conference page with its agenda, and the chair's forms.

A conference page is for its chair and attendees (``selectors.conference_get``: 404 for anyone else);
each sees only the items of cases they may see. Every change is the chair's, through
``escalation.services`` (which checks again); after the minutes are finalised only an addendum can be
added. Works without JavaScript: every form posts to its own URL and redirects back to the page.

What of an item reaches the template follows the sharing matrix (DOMAIN.md §8, issue #4): the case
and person as ``policy.Shown`` views, an item's notes only for who reads its ``notes_category``, a
decision's rationale only for who reads its ``rationale_category``, an addendum only for who reads its
``category`` — otherwise absent from the context; an item's advice as ``escalation.disclosure.
advice_shown`` cuts it (the tier for who reads ``plan``, the exit review only with the exit criterion's
verdict), as on the case page and in the API. The page notes the conference, the cases and persons it
showed and their categories in the access log.
"""

import dataclasses
import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases.forms import StyledForm
from cases.forms.base import date_field, free_text_field
from cases.models import ActionKind, Case, Leefgebied
from cases.selectors import cases_visible_to
from cases.views.common import actor, attempt, bound, form_page
from partners.models import CASE_WORKER_ROLES, Organisation, Role, User
from privacy import access_log, policy
from privacy.categories import Category

from . import selectors, services
from .capacity import caseload_panel
from .disclosure import EXIT_REVIEW_CATEGORIES, advice_shown, fact_categories_read
from .forms import DecisionForm
from .models import AgendaItem, AgendaSource, CaseConference, ConferenceAddendum, Decision
from .views import DecisionShown, decisions_shown, rationale_categories, shows_exit_review


class ConferenceForm(StyledForm):
    starts_at = forms.DateTimeField(
        label="Datum en tijd", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    organisations = forms.ModelMultipleChoiceField(
        label="Deelnemende organisaties",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attendees = forms.ModelMultipleChoiceField(label="Deelnemers op naam", queryset=User.objects.none(), required=False)
    notes = free_text_field("Notities", required=False, rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["organisations"].queryset = Organisation.objects.active_on(today).order_by("name")  # type: ignore[attr-defined]
        people = User.objects.filter(is_active=True, role__in=CASE_WORKER_ROLES).order_by("last_name", "first_name")
        self.fields["attendees"].queryset = people  # type: ignore[attr-defined]


class ItemAddForm(StyledForm):
    case = forms.ModelChoiceField(label="Casus", queryset=Case.objects.none())

    def __init__(self, *args: Any, user: User, conference: CaseConference, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cases = cases_visible_to(user).exclude(agenda_items__conference=conference).select_related("person")
        self.fields["case"].queryset = cases.order_by("person__surname", "person__given_names")  # type: ignore[attr-defined]
        self.fields["case"].label_from_instance = lambda case: f"{case.person.full_name} ({case.get_tier_display()})"  # type: ignore[attr-defined]


class NotesForm(StyledForm):
    notes = free_text_field("Notities", required=False, rows=4)


class ActionItemForm(StyledForm):
    description = free_text_field("Afspraak", rows=2)
    owning_organisation = forms.ModelChoiceField(label="Uitvoerende organisatie", queryset=Organisation.objects.none())
    due_on = date_field("Uiterlijk op")
    kind = forms.ChoiceField(label="Soort", choices=ActionKind.choices)
    leefgebied = forms.ChoiceField(
        label="Leefgebied",
        choices=Leefgebied.choices,
        initial=Leefgebied.MOTIVATIE,
        help_text="Onder het doel «Afspraken casusoverleg».",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owning_organisation"].queryset = Organisation.objects.active_on(timezone.localdate()).order_by("name")  # type: ignore[attr-defined]


class AddendumForm(StyledForm):
    text = free_text_field("Aanvulling", rows=3)


def conference_url(conference: CaseConference, anchor: str = "") -> str:
    url = reverse("conference_detail", kwargs={"conference_id": conference.pk})
    return f"{url}#{anchor}" if anchor else url


def _back(request: HttpRequest, conference: CaseConference, message: str, anchor: str = "") -> HttpResponseRedirect:
    messages.success(request, message)
    return redirect(conference_url(conference, anchor))


def _chair_conference(request: HttpRequest, conference_id: uuid.UUID) -> CaseConference:
    """The conference (404 unless chair or attendee); 403 unless the user chairs it."""
    conference = selectors.conference_get(actor(request), conference_id)
    if conference.chair_id != actor(request).pk:
        raise PermissionDenied("Alleen de voorzitter beheert de agenda en het verslag.")
    return conference


def _item(request: HttpRequest, conference_id: uuid.UUID, item_id: uuid.UUID) -> AgendaItem:
    conference = _chair_conference(request, conference_id)
    try:
        return selectors.agenda_items_visible_to(actor(request), conference).select_related("conference").get(pk=item_id)
    except AgendaItem.DoesNotExist:
        raise Http404 from None


def _page(request: HttpRequest, conference: CaseConference, form: forms.Form, title: str, **extra: Any) -> HttpResponse:
    return form_page(
        request, case=extra.pop("case", None), form=form, title=title, cancel_url=conference_url(conference), **extra
    )


@login_required
def conference_list(request: HttpRequest) -> HttpResponse:
    """Upcoming and past conferences the user chairs or attends."""
    conferences = selectors.conferences_visible_to(actor(request)).order_by("starts_at")
    now = timezone.now()
    context = {
        "upcoming": [c for c in conferences if c.starts_at >= now or not c.is_locked],
        "past": [c for c in conferences if c.starts_at < now and c.is_locked][::-1],
        "may_create": actor(request).role == Role.PROCESS_DIRECTOR,
    }
    return render(request, "escalation/conference_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def conference_create(request: HttpRequest) -> HttpResponse:
    """Plan a casusoverleg (process directors; the planner chairs it)."""
    if actor(request).role != Role.PROCESS_DIRECTOR:
        raise PermissionDenied("Alleen een procesregisseur plant een casusoverleg.")
    form = bound(ConferenceForm, request)
    if request.method == "POST" and form.is_valid():
        conference = attempt(form, services.conference_create, actor=actor(request), **form.cleaned_data)
        if conference is not None:
            return _back(request, conference, "Casusoverleg gepland.")
    return form_page(
        request, case=None, form=form, title="Casusoverleg plannen", submit="Plannen", cancel_url=reverse("conference_list")
    )


@dataclasses.dataclass(frozen=True)
class AgendaItemShown:
    """An agenda item as a template may show it: ``notes`` is ``None`` unless the viewer reads their category."""

    pk: uuid.UUID
    case: policy.Shown
    person: policy.Shown
    source_label: str
    notes: str | None
    actions: list[Any]


SYSTEM_PROPOSED = "Door het systeem voorgesteld"


def _item_shown(item: AgendaItem, disclosure: policy.Disclosure) -> AgendaItemShown:
    # "Earliest exit date passed" is derived from the last offence (justitieel): others see only that
    # the system proposed the item (issue #4).
    exit_hidden = item.source == AgendaSource.UITSTROOM and not shows_exit_review(disclosure)
    return AgendaItemShown(
        item.pk,
        policy.Shown("case", item.case, disclosure),
        policy.Shown("person", item.case.person, disclosure),
        SYSTEM_PROPOSED if exit_hidden else item.get_source_display(),
        item.notes if disclosure.reads(item.notes_category) else None,
        list(item.actions.all()),
    )


def _item_rows(request: HttpRequest, conference: CaseConference, is_chair: bool) -> list[dict[str, Any]]:
    disclosure = policy.disclosure_for(actor(request))
    items = list(selectors.agenda_items_visible_to(actor(request), conference))
    visible = fact_categories_read(disclosure)  # the items are of cases the viewer sees
    advice = {
        case_id: advice_shown(recommendation, visible)
        for case_id, recommendation in selectors.recommendation_summaries([item.case_id for item in items]).items()
    }
    found = list(Decision.objects.filter(conference=conference, case_id__in=advice.keys()).select_related("decided_by"))
    decisions: dict[uuid.UUID, list[DecisionShown]] = {}
    for decision, shown in zip(found, decisions_shown(found, disclosure), strict=True):
        decisions.setdefault(decision.case_id, []).append(shown)
    editable = is_chair and not conference.is_locked
    categories = {str(Category.IDENTIFICATIE), str(Category.PLAN)} if items else set()
    categories |= {str(item.notes_category) for item in items if item.notes and disclosure.reads(item.notes_category)}
    categories |= rationale_categories(found, disclosure)
    # The row shows the tier and the exit review, never the facts: plan, and what the exit verdict is judged on.
    for row_advice in advice.values():
        categories |= {str(Category.PLAN)} if row_advice.recommended_tier is not None else set()
        categories |= {str(category) for category in EXIT_REVIEW_CATEGORIES} if row_advice.exit_review is not None else set()
    access_log.note(
        "case",
        [item.case_id for item in items],
        persons=[item.case.person_id for item in items],
        categories=categories,
        purpose=f"casusoverleg {conference.pk}",
    )
    rows = []
    for item in items:
        auto_id = f"id_{item.pk.hex[:8]}_%s"
        notes_editable = editable and disclosure.reads(item.notes_category)
        rows.append(
            {
                "item": _item_shown(item, disclosure),
                "advice": advice.get(item.case_id),
                "decisions": decisions.get(item.case_id, []),
                "notes_form": NotesForm(initial={"notes": item.notes}, auto_id=auto_id) if notes_editable else None,
                "decision_form": DecisionForm(
                    case=item.case, decider=actor(request), initial={"from_tier": item.case.tier}, auto_id=auto_id
                )
                if editable
                else None,
                "action_form": ActionItemForm(auto_id=auto_id) if editable else None,
            }
        )
    return rows


@login_required
def conference_detail(request: HttpRequest, conference_id: uuid.UUID) -> HttpResponse:
    """The agenda and minutes: for the chair and the attendees, items of visible cases only."""
    conference = selectors.conference_get(actor(request), conference_id)
    is_chair = conference.chair_id == actor(request).pk
    access_log.note("conference", [conference.pk])
    context = {
        "conference": conference,
        "rows": _item_rows(request, conference, is_chair),
        "is_chair": is_chair,
        "editable": is_chair and not conference.is_locked,
        "addenda": _addenda_readable(request, conference),
        "addendum_form": AddendumForm() if is_chair and conference.is_locked else None,
        "organisations": list(conference.organisations.order_by("name")),
        "attendees": list(conference.attendees.order_by("last_name")),
        **caseload_panel(request),  # capacity per tier and of the chair, next to the decisions (issue #3)
    }
    return render(request, "escalation/conference_detail.html", context)


def _addenda_readable(request: HttpRequest, conference: CaseConference) -> list[ConferenceAddendum]:
    """The addenda whose category the viewer reads (issue #4); the others are not listed."""
    disclosure = policy.disclosure_for(actor(request))
    addenda = [addendum for addendum in conference.addenda.select_related("added_by") if disclosure.reads(addendum.category)]
    access_log.note(categories={str(addendum.category) for addendum in addenda})
    return addenda


@login_required
@require_POST
def agenda_propose(request: HttpRequest, conference_id: uuid.UUID) -> HttpResponse:
    conference = _chair_conference(request, conference_id)
    items = services.agenda_propose(actor=actor(request), conference=conference)
    return _back(request, conference, f"{len(items)} casus(sen) voorgesteld voor de agenda.", "agenda")


@login_required
@require_http_methods(["GET", "POST"])
def item_add(request: HttpRequest, conference_id: uuid.UUID) -> HttpResponse:
    conference = _chair_conference(request, conference_id)
    form = bound(ItemAddForm, request, user=actor(request), conference=conference)
    if request.method == "POST" and form.is_valid():
        item = attempt(
            form, services.agenda_item_add, actor=actor(request), conference=conference, case=form.cleaned_data["case"]
        )
        if item is not None:
            return _back(request, conference, "Casus op de agenda gezet.", "agenda")
    return _page(request, conference, form, "Casus agenderen", submit="Agenderen")


@login_required
@require_POST
def item_remove(request: HttpRequest, conference_id: uuid.UUID, item_id: uuid.UUID) -> HttpResponse:
    item = _item(request, conference_id, item_id)
    services.agenda_item_remove(actor=actor(request), item=item)
    return _back(request, item.conference, "Agendapunt verwijderd.", "agenda")


@login_required
@require_POST
def item_move(request: HttpRequest, conference_id: uuid.UUID, item_id: uuid.UUID, up: bool) -> HttpResponse:
    item = _item(request, conference_id, item_id)
    services.agenda_item_move(actor=actor(request), item=item, up=up)
    return _back(request, item.conference, "Volgorde aangepast.", "agenda")


@login_required
@require_http_methods(["GET", "POST"])
def item_notes(request: HttpRequest, conference_id: uuid.UUID, item_id: uuid.UUID) -> HttpResponse:
    item = _item(request, conference_id, item_id)
    if not policy.disclosure_for(actor(request)).reads(item.notes_category):
        raise PermissionDenied("U mag de notities bij deze casus niet inzien (deelmatrix).")
    form = bound(NotesForm, request, initial={"notes": item.notes})
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(form, services.agenda_item_notes_update, actor=actor(request), item=item, notes=form.cleaned_data["notes"])
    ):
        return _back(request, item.conference, "Notities opgeslagen.", f"punt-{item.pk}")
    return _page(request, item.conference, form, "Notities bij de casus", case=item.case)


@login_required
@require_http_methods(["GET", "POST"])
def item_decision(request: HttpRequest, conference_id: uuid.UUID, item_id: uuid.UUID) -> HttpResponse:
    """A decision taken in the meeting (``services.decision_make(conference=…)``); the service checks the role."""
    item = _item(request, conference_id, item_id)
    form = bound(DecisionForm, request, case=item.case, decider=actor(request), initial={"from_tier": item.case.tier})
    if request.method == "POST" and form.is_valid():
        try:
            decision = attempt(
                form,
                services.decision_make,
                actor=actor(request),
                case=item.case,
                conference=item.conference,
                **form.service_data(),
            )
        except services.DecisionConflict as conflict:
            form.add_error(None, str(conflict))
            decision = None
        if decision is not None:
            return _back(request, item.conference, "Besluit vastgelegd.", f"punt-{item.pk}")
    return _page(request, item.conference, form, "Besluit in het casusoverleg", case=item.case, submit="Besluit vastleggen")


@login_required
@require_http_methods(["GET", "POST"])
def item_action(request: HttpRequest, conference_id: uuid.UUID, item_id: uuid.UUID) -> HttpResponse:
    """An action item: becomes an action in the case's plan (``services.agenda_action_add``)."""
    item = _item(request, conference_id, item_id)
    form = bound(ActionItemForm, request)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(form, services.agenda_action_add, actor=actor(request), item=item, **form.cleaned_data)
    ):
        return _back(request, item.conference, "Afspraak vastgelegd in het plan van aanpak.", f"punt-{item.pk}")
    return _page(request, item.conference, form, "Afspraak vastleggen", case=item.case)


@login_required
@require_POST
def conference_finalise(request: HttpRequest, conference_id: uuid.UUID) -> HttpResponse:
    conference = _chair_conference(request, conference_id)
    services.conference_finalise(actor=actor(request), conference=conference)
    return _back(request, conference, "Verslag vastgesteld; wijzigingen kunnen alleen nog als aanvulling.")


@login_required
@require_http_methods(["GET", "POST"])
def addendum_add(request: HttpRequest, conference_id: uuid.UUID) -> HttpResponse:
    conference = _chair_conference(request, conference_id)
    form = bound(AddendumForm, request)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(form, services.conference_addendum_add, actor=actor(request), conference=conference, **form.cleaned_data)
    ):
        return _back(request, conference, "Aanvulling toegevoegd.", "aanvullingen")
    return _page(request, conference, form, "Aanvulling op het verslag", submit="Toevoegen")
