"""Mijn caseload: every case the user may see, filtered, sorted and paged in a constant number of
queries, plus the BSN search (POST only, so a BSN never appears in a URL or an access log line).
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

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
    case: Case
    exit_on: dt.date


def page_size(value: str | None) -> int:
    """The requested page size, clamped to 1…100; 25 when absent or not a number."""
    try:
        size = int(value or PAGE_SIZE)
    except ValueError:
        return PAGE_SIZE
    return max(1, min(size, MAX_PAGE_SIZE))


def ordering_of(value: str | None) -> str:
    return value if value in selectors.CASELOAD_ORDERINGS else "naam"


@login_required
@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    ordering = ordering_of(request.GET.get("sortering"))
    filterset = CaseFilter(request.GET or None, queryset=selectors.caseload(user, ordering=ordering))
    style_widgets(filterset.form, empty_label="Alle")
    size = page_size(request.GET.get("per_pagina"))
    page = Paginator(filterset.qs, size).get_page(request.GET.get("pagina"))
    panel_templates, panel_context = caseload_panels_for(request)
    context = {
        **panel_context,
        "caseload_panels": panel_templates,
        "filter_form": filterset.form,
        "page": page,
        "rows": [Row(case, selectors.exit_date_for(case)) for case in page.object_list],
        "ordering": ordering,
        "sort_columns": _sort_columns(ordering),
        "page_size": size,
        "page_sizes": PAGE_SIZES,
        "filtered": any(request.GET.get(name) for name in filterset.form.fields),
        "bsn_form": BsnSearchForm(),
        "may_register": access.may_register(user),
    }
    return render(request, "cases/caseload.html", context)


def _sort_columns(ordering: str) -> dict[str, dict[str, str]]:
    """Per sortable column: the link's next ordering and the current ``aria-sort`` value."""
    columns = {}
    for column, key in SORTABLE.items():
        if ordering == key:
            columns[column] = {"next": f"-{key}", "aria": "ascending"}
        elif ordering == f"-{key}":
            columns[column] = {"next": key, "aria": "descending"}
        else:
            columns[column] = {"next": key, "aria": ""}
    return columns


@login_required
@require_POST
def bsn_search(request: HttpRequest) -> HttpResponse:
    """Find a person by BSN among the persons the user may see; go to their case when there is one.

    Answers only about visible persons: for anyone else it says "not found", never more.
    """
    form = BsnSearchForm(request.POST)
    if not form.is_valid():
        return render(request, "cases/bsn_search.html", {"form": form})
    user = actor(request)
    person = selectors.persons_visible_to(user).filter(bsn=form.cleaned_data["bsn"]).first()
    cases = selectors.cases_visible_to(user).filter(person=person) if person else Case.objects.none()
    case = cases.exclude(status=CaseStatus.AFGESLOTEN).first() or cases.order_by("-opened_on").first()
    if case is not None:
        return redirect("case_detail", case_id=case.pk)
    return render(request, "cases/bsn_search.html", {"form": BsnSearchForm(), "not_found": True})
