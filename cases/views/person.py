"""A person's identification data, their place in a family, and the family page.

The family page shows only the members the viewer may see: the others are not named, not counted
(issue #2). A family nobody in it is visible to the viewer is a 404, like a case. Family relations are
``netwerk`` data (DOMAIN.md §8, issue #4): a user whose sharing-matrix cell for ``netwerk`` is not
read gets the same 404 (logged as denied), and the page notes the family and the persons it shows.
"""

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from privacy import access_log, policy
from privacy.categories import Category

from .. import selectors, services
from ..access import Act
from ..forms import FamilyMembershipForm, PersonForm
from .common import actor, attempt, bound, case_for, done, form_page


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Edit the identification data of the case's person (the case's directors)."""
    case, _ = case_for(request, case_id, Act.UPDATE_PERSON)
    person = case.person
    initial = {name: getattr(person, name) for name in PersonForm.PERSON_FIELDS}
    form = bound(PersonForm, request, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {name: value for name, value in form.person_data().items() if value != getattr(person, name)}
        if attempt(form, services.person_update, actor=actor(request), person=person, **changes) is not None:
            return done(request, case, "Persoonsgegevens bijgewerkt.", "persoon")
    return form_page(request, case=case, form=form, title="Persoonsgegevens wijzigen")


@login_required
@require_http_methods(["GET", "POST"])
def family_add(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Link the case's person to a family, always with a written justification (DOMAIN.md §5.3)."""
    case, _ = case_for(request, case_id, Act.MANAGE_FAMILY)
    families = selectors.families_visible_to(actor(request)).exclude(memberships__person=case.person).order_by("name")
    form = bound(FamilyMembershipForm, request, families=families)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        membership = attempt(
            form,
            services.family_member_add,
            actor=actor(request),
            case=case,
            family=data["family"],
            family_name=data["family_name"],
            role=data["role"],
            justification=data["justification"],
        )
        if membership is not None:
            return done(request, case, f"Gekoppeld aan familie {membership.family.name}.", "persoon")
    intro = "Koppel alleen op grond van feiten en schrijf op waarom: personen worden nooit automatisch aan een familie gekoppeld."
    return form_page(request, case=case, form=form, title="Aan een familie koppelen", intro=intro)


@login_required
@require_GET
def family_detail(request: HttpRequest, family_id: uuid.UUID) -> HttpResponse:
    """The family page: its name, description and the members the viewer may see (``netwerk`` readers only)."""
    if not policy.disclosure_for(actor(request)).reads(Category.NETWERK):
        access_log.note_denied("family", [family_id])
        raise Http404
    try:
        family = selectors.family_get(actor(request), family_id)
    except Http404:
        access_log.note_denied("family", [family_id])
        raise
    members = selectors.family_members_visible_to(actor(request), family)
    access_log.note(
        "family",
        [family.pk],
        persons=[membership.person_id for membership, _ in members],
        categories=[Category.IDENTIFICATIE, Category.NETWERK],
    )
    return render(request, "cases/family_detail.html", {"family": family, "members": members})
