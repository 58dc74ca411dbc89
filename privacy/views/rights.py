"""Browser pages for the rights of the person concerned (AVG art. 12, 15, 16, 17; DOMAIN.md §8; issue #4).

Only the privacy officer sees these pages; for everyone else they do not exist (404, and the attempt
is logged as denied). A person is found by BSN through a POST form — a BSN never appears in a URL —
or by their UUID. The rules live in ``privacy.rights``; the views only shape input and output.

Every page that shows personal data notes it in the access log (``privacy.access_log.note``): the
inzage document as ``afdrukken`` (HTML, printed to PDF by the browser) or ``exporteren`` (JSON).
"""

import contextlib
import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.forms.base import BsnField, StyledForm, apply_service_errors, date_field, free_text_field
from cases.models import Person
from partners.models import User
from partners.reauth import require_recent_authentication

from .. import rights
from ..access_log import note, note_denied, redacted_query
from ..categories import Category
from ..models import AccessAction, LegalHold, RequestKind, RequestStatus, SubjectRequest

ALL_CATEGORIES = [category.value for category in Category]
PURPOSE = "rechten van betrokkene (AVG)"


def _officer(request: HttpRequest, object_type: str = "", ids: tuple[Any, ...] = ()) -> User:
    """The signed-in privacy officer; anyone else gets 404 (the attempt is logged as denied)."""
    user: Any = request.user
    if not rights.is_privacy_officer(user):
        note_denied(object_type or "subject_request", ids)
        raise Http404
    return user  # type: ignore[no-any-return]


# --- forms ---------------------------------------------------------------------------------------


class RequestForm(StyledForm):
    """A new request: the person by BSN or by id, the kind, when it came in and what it asks."""

    bsn = BsnField(required=False, help_text="Negen cijfers. Of vul hieronder het persoons-id in.")
    person_id = forms.UUIDField(
        label="Persoons-id", required=False, help_text="Het id van de persoon (uit het toegangslog of een eerder verzoek)."
    )
    kind = forms.ChoiceField(label="Soort verzoek", choices=RequestKind.choices, widget=forms.RadioSelect)
    received_on = date_field("Ontvangen op", help_text="De uiterste datum is één maand later (art. 12 lid 3 AVG).")
    description = free_text_field("Verzoek", help_text="Wat vraagt de betrokkene? Noem geen gegevens van anderen.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        bsn, person_id = data.get("bsn"), data.get("person_id")
        if self.has_error("bsn") or self.has_error("person_id"):
            return data
        if bool(bsn) == bool(person_id):
            raise ValidationError("Vul het BSN óf het persoons-id in.")
        person = Person.objects.filter(bsn=bsn).first() if bsn else Person.objects.filter(pk=str(person_id)).first()
        if person is None:
            self.add_error(
                "bsn" if bsn else "person_id", "Er is geen persoon met dit BSN." if bsn else "Er is geen persoon met dit id."
            )
        data["person"] = person
        return data


class FindPersonForm(StyledForm):
    bsn = BsnField(help_text="Negen cijfers. Het BSN gaat alleen via dit formulier, nooit in een adres.")


class DecisionForm(StyledForm):
    status = forms.ChoiceField(
        label="Besluit",
        choices=[(status.value, status.label) for status in rights.DECIDED_STATUSES],
        widget=forms.RadioSelect,
    )
    decision = free_text_field(
        "Besluit en motivering",
        rows=6,
        help_text=(
            "Motiveer het besluit; bij (gedeeltelijke) afwijzing ook de reden en de mogelijkheid van bezwaar (art. 12 lid 4 AVG)."
        ),
    )


class HoldForm(StyledForm):
    reason = free_text_field(
        "Reden van de bewaarplicht", rows=3, help_text="Bijvoorbeeld: bescherming van een kind, een lopende procedure."
    )


# --- requests ------------------------------------------------------------------------------------


@login_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    """Open requests, the most urgent first, overdue ones marked; the latest decisions; find a person."""
    _officer(request)
    today = timezone.localdate()
    open_requests = list(rights.requests_open(today))
    decided = list(rights.requests_decided())
    shown = open_requests + decided
    if shown:
        note(
            "subject_request",
            [item.pk for item in shown],
            persons=[item.person_id for item in shown],
            categories=[Category.IDENTIFICATIE],
            purpose=PURPOSE,
            action=AccessAction.LIST,
        )
    context = {"open_requests": open_requests, "decided": decided, "today": today, "find_form": FindPersonForm()}
    return render(request, "privacy/rights/request_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    """Register a request. ``?persoon=<uuid>`` fills in the person; a BSN only comes by POST."""
    user = _officer(request)
    if request.method == "POST":
        form = RequestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = rights.request_register(
                    actor=user,
                    person=data["person"],
                    kind=data["kind"],
                    received_on=data["received_on"],
                    description=data["description"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                note(
                    "subject_request",
                    [created.pk],
                    persons=[created.person_id],
                    categories=[Category.IDENTIFICATIE],
                    purpose=f"verzoek {created.pk}",
                    action=AccessAction.CREATE,
                )
                messages.success(request, f"Verzoek geregistreerd. Uiterste datum: {created.due_on:%d-%m-%Y}.")
                return redirect("rights_request_detail", request_id=created.pk)
    else:
        initial: dict[str, Any] = {"received_on": timezone.localdate()}
        with contextlib.suppress(ValueError):
            initial["person_id"] = uuid.UUID(request.GET.get("persoon", ""))
        form = RequestForm(initial=initial)
    return render(request, "privacy/rights/request_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    """One request; while open, the decision form. A correction request shows the auditlog history of
    the person's records; an erasure request shows the legal holds that block granting it."""
    user = _officer(request, "subject_request", (request_id,))
    subject_request = get_object_or_404(
        SubjectRequest.objects.select_related("person", "registered_by", "decided_by"), pk=request_id
    )
    form = DecisionForm()
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                rights.request_decide(
                    actor=user,
                    subject_request=subject_request,
                    status=form.cleaned_data["status"],
                    decision=form.cleaned_data["decision"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                note(
                    "subject_request",
                    [subject_request.pk],
                    persons=[subject_request.person_id],
                    purpose=f"verzoek {subject_request.pk}",
                    action=AccessAction.UPDATE,
                )
                messages.success(request, "Het besluit is vastgelegd.")
                return redirect("rights_request_detail", request_id=subject_request.pk)
    person = subject_request.person
    is_correction = subject_request.kind == RequestKind.CORRECTIE
    is_erasure = subject_request.kind == RequestKind.VERWIJDERING
    context = {
        "subject_request": subject_request,
        "person": person,
        "form": form,
        "is_open": subject_request.status == RequestStatus.OPEN,
        "overdue": subject_request.status == RequestStatus.OPEN and subject_request.due_on < timezone.localdate(),
        "is_correction": is_correction,
        "is_erasure": is_erasure,
        "history": rights.history(person) if is_correction and person is not None else [],
        "history_limit": rights.HISTORY_LIMIT,
        "holds": list(LegalHold.objects.filter(person=person).select_related("placed_by", "lifted_by")) if person else [],
        "hold_form": HoldForm(),
    }
    if person is not None:
        note(
            "subject_request",
            [subject_request.pk],
            persons=[person.pk],
            # The correction history shows old and new values of every category.
            categories=ALL_CATEGORIES if is_correction else [Category.IDENTIFICATIE],
            purpose=f"verzoek {subject_request.pk}",
        )
    return render(request, "privacy/rights/request_detail.html", context)


# --- persons -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def person_find(request: HttpRequest) -> HttpResponse:
    """Find a person by BSN (POST only) and go to their page, which has their UUID in its address."""
    _officer(request)
    form = FindPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        bsn = form.cleaned_data["bsn"]
        note("person", query=redacted_query(bsn=bsn), action=AccessAction.SEARCH, purpose=PURPOSE)
        person = Person.objects.filter(bsn=bsn).first()
        if person is not None:
            return redirect("rights_person", person_id=person.pk)
        form.add_error("bsn", "Er is geen persoon met dit BSN.")
    return render(request, "privacy/rights/person_find.html", {"form": form})


def _person(request: HttpRequest, person_id: uuid.UUID) -> tuple[User, Person]:
    user = _officer(request, "person", (person_id,))
    return user, get_object_or_404(Person, pk=person_id)


@login_required
@require_GET
def person_detail(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The person's requests and legal holds, with the inzage document and a new request a click away."""
    _, person = _person(request, person_id)
    context = {
        "person": person,
        "requests": list(SubjectRequest.objects.filter(person=person).select_related("decided_by").order_by("-received_on")),
        "holds": list(LegalHold.objects.filter(person=person).select_related("placed_by", "lifted_by")),
        "hold_form": HoldForm(),
        "today": timezone.localdate(),
    }
    note("person", [person.pk], persons=[person.pk], categories=[Category.IDENTIFICATIE], purpose=PURPOSE)
    return render(request, "privacy/rights/person_detail.html", context)


def _back(request: HttpRequest, person: Person) -> HttpResponse:
    """Back to the request the form was posted from (if it is this person's), else the person's page."""
    try:
        request_id = uuid.UUID(request.POST.get("verzoek", ""))
    except ValueError:
        return redirect("rights_person", person_id=person.pk)
    if SubjectRequest.objects.filter(pk=request_id, person=person).exists():
        return redirect("rights_request_detail", request_id=request_id)
    return redirect("rights_person", person_id=person.pk)


@login_required
@require_POST
def hold_place(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Place a legal hold on the person (POST ``reason``)."""
    user, person = _person(request, person_id)
    form = HoldForm(request.POST)
    if form.is_valid():
        try:
            hold = rights.hold_place(actor=user, person=person, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            note("legal_hold", [hold.pk], persons=[person.pk], purpose=PURPOSE, action=AccessAction.CREATE)
            messages.success(request, "De bewaarplicht is geplaatst.")
    else:
        messages.error(request, "Geef de reden van de bewaarplicht.")
    return _back(request, person)


@login_required
@require_POST
def hold_lift(request: HttpRequest, person_id: uuid.UUID, hold_id: uuid.UUID) -> HttpResponse:
    """Lift one of the person's legal holds."""
    user, person = _person(request, person_id)
    hold = get_object_or_404(LegalHold, pk=hold_id, person=person)
    try:
        rights.hold_lift(actor=user, hold=hold)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        note("legal_hold", [hold.pk], persons=[person.pk], purpose=PURPOSE, action=AccessAction.UPDATE)
        messages.success(request, "De bewaarplicht is opgeheven.")
    return _back(request, person)


# --- inzage (AVG art. 15) ------------------------------------------------------------------------


@login_required
@require_GET
@require_recent_authentication
def inzage(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Everything held about the person, per category, and the disclosure register: a printable
    HTML document (``afdrukken``), or with ``?format=json`` the same as JSON (``exporteren``). Either way
    the access log records it."""
    return _inzage(request, person_id, as_json=request.GET.get("format") == "json")


@login_required
@require_GET
@require_recent_authentication(download=True)
def inzage_json(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """``…/inzage/json/``: the inzage as a JSON download (the link on the person's and the request's page)."""
    return _inzage(request, person_id, as_json=True)


def _inzage(request: HttpRequest, person_id: uuid.UUID, *, as_json: bool) -> HttpResponse:
    _, person = _person(request, person_id)
    document = rights.inzage(person)
    note(
        "person",
        [person.pk],
        persons=[person.pk],
        categories=ALL_CATEGORIES,
        purpose="inzage betrokkene (art. 15 AVG)",
        action=AccessAction.EXPORT if as_json else AccessAction.PRINT,
    )
    if as_json:
        response = JsonResponse(document.as_json(), json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f'attachment; filename="inzage-{person.pk}.json"'
        return response
    context = {
        "person": person,
        "document": document,
        "json_url": reverse("rights_inzage_json", kwargs={"person_id": person.pk}),
    }
    return render(request, "privacy/rights/inzage.html", context)


urlpatterns: list[URLPattern] = [
    path("verzoeken/", request_list, name="rights_request_list"),
    path("verzoeken/nieuw/", request_create, name="rights_request_create"),
    path("verzoeken/<uuid:request_id>/", request_detail, name="rights_request_detail"),
    path("personen/zoeken/", person_find, name="rights_person_find"),
    path("personen/<uuid:person_id>/", person_detail, name="rights_person"),
    path("personen/<uuid:person_id>/bewaarplicht/", hold_place, name="rights_hold_place"),
    path("personen/<uuid:person_id>/bewaarplicht/<uuid:hold_id>/opheffen/", hold_lift, name="rights_hold_lift"),
    path("personen/<uuid:person_id>/inzage/", inzage, name="rights_inzage"),
    path("personen/<uuid:person_id>/inzage/json/", inzage_json, name="rights_inzage_json"),
]
"""Browser URLs under ``/privacy/`` (``privacy.urls``)."""
