"""The privacy officer's destruction list: retention after closure (issue #5 job 4; DOMAIN.md §8).

``/privacy/vernietiging/`` (``privacy:destruction_list``) shows the retention periods (placeholders
marked, with a button to confirm each), the cases the nightly job proposed for destruction, those
approved and waiting for the job, those held, and the tombstones of destroyed cases. The officer
approves one case or all selected ones, or places a legal hold with a reason (on the case's person,
``privacy.rights.hold_place``). Rules live in ``privacy.retention``; approvals are audited there.

Privacy officers never see case content: a case appears only as its number (UUID) with what its
tombstone would hold — closing reason, closing date, tier, the period applied — never a name. Those
reads and every decision are written to the access log (the person only as a keyed pseudonym). Only a
privacy officer whose organisation takes part sees these pages; everyone else gets 404.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from cases.forms.base import StyledForm, free_text_field
from partners.reauth import require_recent_authentication

from .. import retention
from ..access_log import note
from ..categories import Category
from ..models import AccessAction, DestructionListItem, DestructionRecord, DestructionStatus, RetentionPeriod
from .officer import officer_required

PURPOSE = "bewaartermijn na afsluiting"
HISTORY_PAGE = 50


class HoldForm(StyledForm):
    reason = free_text_field(
        "Reden van de bewaarplicht",
        help_text="Waarom mogen de gegevens nog niet worden vernietigd? Noem geen namen.",
    )
    reason.error_messages["required"] = "Geef de reden waarom de gegevens nog niet worden vernietigd."


def _items(status: str) -> list[DestructionListItem]:
    return list(
        DestructionListItem.objects.filter(status=status)
        .select_related("case", "approved_by", "hold")
        .order_by("eligible_on", "id")
    )


def _note(items: list[DestructionListItem], action: str) -> None:
    cases = [item for item in items if item.case is not None]
    if cases:
        note(
            "case",
            [item.case_ref for item in cases],
            persons=[item.case.person_id for item in cases],  # type: ignore[union-attr]
            categories=[Category.PLAN],
            purpose=PURPOSE,
            action=action,
        )


def _page(request: HttpRequest) -> int:
    try:
        return max(int(request.GET.get("pagina", "1")), 1)
    except ValueError:
        return 1


@officer_required
def destruction_list(request: HttpRequest) -> HttpResponse:
    """The periods, the proposed, approved and held cases, and a page of tombstones (newest first)."""
    periods = {period.closing_reason: period for period in RetentionPeriod.objects.select_related("confirmed_by")}
    groups = {status: _items(status) for status in (DestructionStatus.VOORGESTELD, DestructionStatus.GOEDGEKEURD)}
    groups[DestructionStatus.AANGEHOUDEN] = _items(DestructionStatus.AANGEHOUDEN)
    for items in groups.values():
        for item in items:
            item.period = periods.get(item.case.closing_reason) if item.case else None  # type: ignore[attr-defined]
    _note([item for items in groups.values() for item in items], AccessAction.LIST)
    page = _page(request)
    offset = (page - 1) * HISTORY_PAGE
    records = list(
        DestructionRecord.objects.select_related("approved_by").order_by("-destroyed_at")[offset : offset + HISTORY_PAGE + 1]
    )
    context: dict[str, Any] = {
        "periods": sorted(periods.values(), key=lambda period: period.get_closing_reason_display()),
        "proposed": groups[DestructionStatus.VOORGESTELD],
        "approved": groups[DestructionStatus.GOEDGEKEURD],
        "held": groups[DestructionStatus.AANGEHOUDEN],
        "records": records[:HISTORY_PAGE],
        "page_number": page,
        "has_next": len(records) > HISTORY_PAGE,
    }
    return render(request, "privacy/retention/destruction_list.html", context)


@officer_required
@require_POST
@require_recent_authentication(return_to="privacy:destruction_list")
def destruction_approve(request: HttpRequest) -> HttpResponse:
    """Approve one case (button ``enkel``) or all selected ones (checkboxes ``item``)."""
    raw = [request.POST["enkel"]] if request.POST.get("enkel") else request.POST.getlist("item")
    ids = [int(value) for value in raw if value.isdigit()]
    try:
        approved = retention.items_approve(actor=request.user, item_ids=ids)  # type: ignore[arg-type]
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        _note(list(DestructionListItem.objects.filter(pk__in=ids).select_related("case")), AccessAction.UPDATE)
        word = "casus is" if approved == 1 else "casussen zijn"
        messages.success(request, f"{approved} {word} goedgekeurd voor vernietiging; de nachtelijke taak voert die uit.")
    return redirect("privacy:destruction_list")


@officer_required
@require_http_methods(["GET", "POST"])
def destruction_hold(request: HttpRequest, item_id: int) -> HttpResponse:
    """Place a legal hold (with a reason) on the person of a proposed or approved case."""
    item = get_object_or_404(
        DestructionListItem.objects.select_related("case"),
        pk=item_id,
        status__in=(DestructionStatus.VOORGESTELD, DestructionStatus.GOEDGEKEURD),
        case__isnull=False,
    )
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            retention.item_hold(actor=request.user, item=item, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            _note([item], AccessAction.UPDATE)
            messages.success(request, "De bewaarplicht is geplaatst; de casus wordt niet vernietigd zolang die geldt.")
            return redirect("privacy:destruction_list")
    _note([item], AccessAction.READ)
    return render(request, "privacy/retention/hold.html", {"item": item, "form": form})


@officer_required
@require_POST
@require_recent_authentication(return_to="privacy:destruction_list")
def period_confirm(request: HttpRequest, period_id: int) -> HttpResponse:
    period = get_object_or_404(RetentionPeriod, pk=period_id)
    retention.period_confirm(actor=request.user, period=period)  # type: ignore[arg-type]
    messages.success(request, f"De bewaartermijn '{period}' is bevestigd.")
    return redirect("privacy:destruction_list")


urlpatterns = [
    path("vernietiging/", destruction_list, name="destruction_list"),
    path("vernietiging/goedkeuren/", destruction_approve, name="destruction_approve"),
    path("vernietiging/<int:item_id>/bewaarplicht/", destruction_hold, name="destruction_hold"),
    path("vernietiging/termijnen/<int:period_id>/bevestigen/", period_confirm, name="retention_period_confirm"),
]
