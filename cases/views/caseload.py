"""Mijn caseload: every case the user may see, filtered, sorted and paged in a constant number of
queries, plus the BSN search (POST only, so a BSN never appears in a URL or an access log line).

The columns follow the sharing matrix (DOMAIN.md §8, issue #4): the last offence date for who has at
least ``KENMERK`` on ``justitieel`` (zorg partners), the earliest exit date and detention only for who
reads it, LVB only for who reads ``zorg``; a column the user may not see is not rendered, cannot be
sorted on, and its values never reach the template. Each page notes in the access log the cases and
persons it listed (and, for a name search, the redacted query).
"""

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from partners.models import Role
from privacy import access_log, policy
from privacy.categories import Category
from privacy.models import AccessAction

from .. import access, selectors
from ..filters import CaseFilter
from ..forms import BsnSearchForm, style_widgets
from ..models import Case, CaseStatus
from ..panels import caseload_panels_for
from .common import actor

PAGE_SIZE = 25
PAGE_SIZES = (10, 25, 50, 100)
MAX_PAGE_SIZE = 100

# Columns the user can sort on: query-string value (selectors.CASELOAD_ORDERINGS) per column.
SORTABLE = {"naam": "naam", "niveau": "niveau", "laatste_delict": "laatste_delict"}


@dataclass(frozen=True)
class Row:
    """One listed case: the case and its person as ``policy.Shown`` views; ``exit_on`` is ``None`` for
    who may not read the earliest exit date."""

    case: policy.Shown
    person: policy.Shown
    exit_on: dt.date | None


@dataclass(frozen=True)
class Columns:
    """Which matrix-bound columns this user sees."""

    last_offence: bool
    exit_date: bool
    detention: bool
    lvb: bool

    @classmethod
    def for_disclosure(cls, disclosure: policy.Disclosure) -> "Columns":
        return cls(
            last_offence=disclosure.shows("case", "last_offence_on"),
            exit_date=disclosure.shows("case", "earliest_exit_on"),
            detention=disclosure.shows("case", "in_detention"),
            lvb=disclosure.shows("person", "lvb"),
        )

    def categories(self) -> set[str]:
        shown = {Category.IDENTIFICATIE, Category.PLAN}
        if self.last_offence or self.exit_date or self.detention:
            shown.add(Category.JUSTITIEEL)
        if self.lvb:
            shown.add(Category.ZORG)
        return {str(category) for category in shown}


def page_size(value: str | None) -> int:
    """The requested page size, clamped to 1…100; 25 when absent or not a number."""
    try:
        size = int(value or PAGE_SIZE)
    except ValueError:
        return PAGE_SIZE
    return max(1, min(size, MAX_PAGE_SIZE))


def ordering_of(value: str | None, columns: Columns) -> str:
    """The requested ordering; sorting on the last offence only for who sees that column."""
    if value not in selectors.CASELOAD_ORDERINGS or ("laatste_delict" in (value or "") and not columns.last_offence):
        return "naam"
    return value or "naam"


@login_required
@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    # Privacy officers and administrators have no caseload (they see no case content): their own start page.
    if user.role == Role.PRIVACY_OFFICER:
        return redirect("officer_home")
    if user.role == Role.ADMINISTRATOR and user.is_staff:
        return redirect("admin:index")
    disclosure = policy.disclosure_for(user)
    columns = Columns.for_disclosure(disclosure)
    ordering = ordering_of(request.GET.get("sortering"), columns)
    filterset = CaseFilter(request.GET or None, queryset=selectors.caseload(user, ordering=ordering, facts=False))
    style_widgets(filterset.form, empty_label="Alle")
    size = page_size(request.GET.get("per_pagina"))
    filtered = any(request.GET.get(name) for name in filterset.form.fields)
    listed = selectors.caseload_for_paging(user, filterset.qs, filtered=filtered)
    page = Paginator(listed, size).get_page(request.GET.get("pagina"))
    cases = selectors.case_facts_attach(list(page.object_list))
    rows = [_row(case, disclosure, columns) for case in cases]
    _note_page(cases, columns, filterset.form)
    panel_templates, panel_context = caseload_panels_for(request)
    context = {
        **panel_context,
        "caseload_panels": panel_templates,
        "filter_form": filterset.form,
        "page": page,
        "rows": rows,
        "columns": columns,
        "ordering": ordering,
        "sort_columns": _sort_columns(ordering, columns),
        "page_size": size,
        "page_sizes": PAGE_SIZES,
        "filtered": filtered,
        "bsn_form": BsnSearchForm(),
        "may_register": access.may_register(user),
    }
    return render(request, "cases/caseload.html", context)


def _row(case: Case, disclosure: policy.Disclosure, columns: Columns) -> Row:
    exit_on = selectors.exit_date_for(case) if columns.exit_date else None
    return Row(policy.Shown("case", case, disclosure), policy.Shown("person", case.person, disclosure), exit_on)


def _note_page(cases: list[Case], columns: Columns, form: forms.Form) -> None:
    """Access log: the listed cases and their persons; a name search as "zoeken" with its redacted query."""
    name = form.cleaned_data.get("naam", "") if form.is_bound and form.is_valid() else ""
    access_log.note(
        "case",
        [case.pk for case in cases],
        persons=[case.person_id for case in cases],
        categories=columns.categories() if cases else (),
        action=AccessAction.SEARCH if name else AccessAction.LIST,
        query=access_log.redacted_query(naam=name) if name else "",
    )


def _sort_columns(ordering: str, visible: Columns) -> dict[str, dict[str, str]]:
    """Per sortable column the user sees: the link's next ordering and the current ``aria-sort`` value."""
    columns = {}
    for column, key in SORTABLE.items():
        if column == "laatste_delict" and not visible.last_offence:
            continue
        if ordering == key:
            columns[column] = {"next": f"-{key}", "aria": "ascending"}
        elif ordering == f"-{key}":
            columns[column] = {"next": key, "aria": "descending"}
        else:
            columns[column] = {"next": key, "aria": ""}
    return columns


@login_required
@require_http_methods(["GET", "POST"])
def bsn_search(request: HttpRequest) -> HttpResponse:
    """Find a person by BSN among the persons the user may see; go to their case when there is one.

    Answers only about visible persons: for anyone else it says "not found", never more. A GET (a
    reloaded or bookmarked result page) goes back to the caseload, where the search form is.
    """
    if request.method == "GET":
        return redirect("caseload")
    form = BsnSearchForm(request.POST)
    if not form.is_valid():
        return render(request, "cases/bsn_search.html", {"form": form})
    user = actor(request)
    person = selectors.persons_visible_to(user).filter(bsn=form.cleaned_data["bsn"]).first()
    cases = selectors.cases_visible_to(user).filter(person=person) if person else Case.objects.none()
    case = cases.exclude(status=CaseStatus.AFGESLOTEN).first() or cases.order_by("-opened_on").first()
    # Access log (issue #4): a search, its query redacted; the case found (the BSN matched it).
    found = [case.pk] if case is not None else []
    access_log.note(
        "case",
        found,
        persons=[case.person_id] if case is not None else [],
        categories=[Category.IDENTIFICATIE] if case is not None else [],
        action=AccessAction.SEARCH,
        query=access_log.redacted_query(bsn=form.cleaned_data["bsn"]),
    )
    if case is not None:
        return redirect("case_detail", case_id=case.pk)
    return render(request, "cases/bsn_search.html", {"form": BsnSearchForm(), "not_found": True})
