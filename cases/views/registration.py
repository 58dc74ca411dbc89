"""Aanmelding: register a new person with a case, or a new case for a person the user already sees.

Only users of registering organisations (DOMAIN.md §5.7, ``access.may_register``). Before a new
person is saved the duplicate check runs (``selectors.person_duplicates``, on BSN and on surname +
date of birth): persons the user may see are offered; for anyone else the page says only that the
person is known and whom to contact (the hit/no-hit of DOMAIN.md §8).
"""

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from partners.models import Role, User
from privacy import policy

from .. import access, selectors, services
from ..forms import ExistingPersonRegistrationForm, RegistrationForm
from ..models import Case, CaseStatus, Person
from .common import actor, attempt, bound, done, form_page

REGISTER_INTRO = "Meld een nieuwe persoon aan voor de persoonsgerichte aanpak. Eerst controleren we of de persoon al bekend is."


def _require_registering(user: User) -> None:
    if not access.may_register(user):
        raise PermissionDenied("Uw organisatie mag niemand aanmelden.")


def _initial(user: User) -> dict[str, Any]:
    return {"case_director": user.pk} if user.role == Role.CASE_DIRECTOR else {}


def known_messages(check: selectors.DuplicateCheck) -> list[str]:
    """One sentence per distinct contact for matches the user may not see — nothing else about them."""
    return list(dict.fromkeys(hit.message for hit in check.known_elsewhere))


def visible_matches(user: User, persons: list[Person]) -> list[dict[str, Any]]:
    """Matches the user may see, each with their visible open case (if any) to go to."""
    visible = selectors.cases_visible_to(user).exclude(status=CaseStatus.AFGESLOTEN)
    open_cases = {case.person_id: case for case in visible.filter(person__in=persons)}
    return [{"person": person, "open_case": open_cases.get(person.pk)} for person in persons]


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    _require_registering(user)
    form = bound(RegistrationForm, request, initial=_initial(user)).without_unwritable(policy.disclosure_for(user))
    check = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        check = selectors.person_duplicates(user, bsn=data["bsn"], surname=data["surname"], date_of_birth=data["date_of_birth"])
        if not check.found or data["confirm_new"]:
            case = attempt(
                form,
                services.case_register,
                actor=user,
                person_data=form.person_data(),
                confirm_new_person=data["confirm_new"],
                **form.case_data(),
            )
            if case is not None:
                return _registered(request, case)
    context = {}
    if check is not None and check.found:
        context = {"visible_matches": visible_matches(user, check.visible), "known_messages": known_messages(check)}
    return form_page(
        request,
        case=None,
        form=form,
        title="Aanmelden",
        submit="Aanmelden",
        intro=REGISTER_INTRO,
        template="cases/register.html",
        show_confirm=bool(check and check.found) or bool(request.POST.get("confirm_new")),
        **context,
    )


@login_required
@require_http_methods(["GET", "POST"])
def register_existing(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """A new case for a person the user already sees (e.g. after a closed case)."""
    user = actor(request)
    person = selectors.person_get(user, person_id)
    _require_registering(user)
    form = bound(ExistingPersonRegistrationForm, request, initial=_initial(user))
    if request.method == "POST" and form.is_valid():
        case = attempt(form, services.case_register, actor=user, person=person, **form.case_data())
        if case is not None:
            return _registered(request, case)
    return form_page(
        request,
        case=None,
        form=form,
        title=f"Nieuwe casus voor {person.full_name}",
        submit="Aanmelden",
        template="cases/register.html",
        person=person,
    )


def _registered(request: HttpRequest, case: Case) -> HttpResponse:
    return done(request, case, f"{case.person.full_name} is aangemeld.")
