"""Helpers every case view shares: find the case (404 for outsiders), check the act (403), call a
service and turn its ``ValidationError`` into field errors, and render a form page.

Authorisation is enforced twice (STYLE.md): the view refuses an act the user's relation does not
allow before it even validates the form, and the service checks again inside its transaction.
"""

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse

from partners.models import User
from privacy import access_log
from privacy.categories import Category

from .. import access, selectors
from ..access import Act, Relation
from ..forms import apply_service_errors
from ..models import Case


def actor(request: HttpRequest) -> User:
    """The signed-in user (views are wrapped in ``login_required``)."""
    return request.user  # type: ignore[return-value]


def case_for(request: HttpRequest, case_id: uuid.UUID, act: Act | None = None) -> tuple[Case, Relation]:
    """The case if the user may see it (else ``Http404``) and their relation to it.

    With ``act``: raise ``PermissionDenied`` (→ 403, Dutch message) unless the relation allows it.
    """
    case = selectors.case_get(actor(request), case_id)
    rel = access.relation(actor(request), case)
    if act is not None:
        access.require(rel, act)
    return case, rel


def attempt(form: forms.Form, service: Callable[..., Any], **kwargs: Any) -> Any | None:
    """Call ``service(**kwargs)``; on ``ValidationError`` put its messages on the form, return None.

    The services are atomic, so a refused write leaves nothing behind. ``PermissionDenied``
    is not caught: Django answers it with the 403 page.
    """
    try:
        return service(**kwargs)
    except ValidationError as error:
        apply_service_errors(form, error)
        return None


def case_url(case: Case, anchor: str = "") -> str:
    url = reverse("case_detail", kwargs={"case_id": case.pk})
    return f"{url}#{anchor}" if anchor else url


def done(request: HttpRequest, case: Case, message: str, anchor: str = "") -> HttpResponseRedirect:
    messages.success(request, message)
    return redirect(case_url(case, anchor))


def bound(form_class: type[forms.Form], request: HttpRequest, **kwargs: Any) -> Any:
    """The form bound to the POST data, or unbound on GET."""
    if request.method == "POST":
        return form_class(request.POST, **kwargs)
    return form_class(**kwargs)


def form_page(
    request: HttpRequest,
    *,
    case: Case | None,
    form: forms.Form,
    title: str,
    submit: str = "Opslaan",
    intro: str = "",
    template: str = "cases/form.html",
    **extra: Any,
) -> HttpResponse:
    """A page with one form: breadcrumb back to the case, error summary, fields, buttons.

    The page names the case's person (``identificatie``; access log, issue #4)."""
    if case is not None:
        access_log.note(categories=[Category.IDENTIFICATIE])
    context = {
        "case": case,
        "form": form,
        "title": title,
        "submit": submit,
        "intro": intro,
        "cancel_url": case_url(case) if case else reverse("caseload"),
        **extra,
    }
    return render(request, template, context)
