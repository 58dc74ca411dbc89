"""Break-the-glass (noodtoegang) at ``/privacy/noodtoegang/`` (issue #4, "Case-level access"; DOMAIN.md §8).

A case or process director who is not in a case's team may take emergency read access to it: they
give the person's BSN (in a POST form, never in a URL) or the case's id, and write down why (at least
20 characters). ``privacy.grants.break_the_glass`` creates the grant (24 hours, a setting), opens a
review for the privacy officer and marks the use in the access log; the user lands on the case page,
which warns that the access is an emergency one and when it ends. Every other role gets 404 here,
and the attempt is logged as denied.
"""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cases import access
from cases.forms import apply_service_errors
from cases.forms.base import BsnField, StyledForm
from cases.models import Case, CaseStatus
from partners.models import User

from .. import access_log, grants
from ..models import BreakTheGlassGrant


class EmergencyAccessForm(StyledForm):
    """Which case (by BSN or by case id) and why. Sent by POST only: a BSN never appears in a URL."""

    bsn = BsnField(required=False, help_text="Negen cijfers. Of vul hieronder de casus-ID in.")
    case_id = forms.UUIDField(
        label="Casus-ID",
        required=False,
        help_text="De code uit het adres van de casuspagina, bijvoorbeeld 3f2c…",
        error_messages={"invalid": "Dit is geen geldige casus-ID."},
    )
    reason = forms.CharField(
        label="Reden",
        min_length=grants.REASON_MIN_LENGTH,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            f"Waarom heeft u nu toegang nodig? Minstens {grants.REASON_MIN_LENGTH} tekens. "
            "De privacyfunctionaris beoordeelt elke noodtoegang."
        ),
        error_messages={"min_length": grants.REASON_TOO_SHORT},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("bsn")) == bool(data.get("case_id")) and not self.has_error("bsn") and not self.has_error("case_id"):
            raise ValidationError("Vul een BSN óf een casus-ID in.")
        return data


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require_director(user: User) -> None:
    """Other roles do not learn that the page exists: 404, logged as a denied attempt."""
    if not grants.may_break_the_glass(user):
        access_log.note_denied("noodtoegang")
        raise Http404


def _case_for(data: dict[str, Any]) -> Case | None:
    """The case asked for: by id, or the BSN's open case (else their latest)."""
    if data.get("case_id"):
        return Case.objects.filter(pk=data["case_id"]).select_related("person").first()
    cases = Case.objects.filter(person__bsn=data["bsn"]).select_related("person").order_by("-opened_on")
    return cases.exclude(status=CaseStatus.AFGESLOTEN).first() or cases.first()


def _active_grants(user: User) -> list[BreakTheGlassGrant]:
    now = timezone.now()
    grants_ = BreakTheGlassGrant.objects.filter(user=user, expires_at__gt=now, revoked_at__isnull=True)
    return list(grants_.order_by("expires_at")[:20])


@login_required
@require_http_methods(["GET", "POST"])
def emergency_access(request: HttpRequest) -> HttpResponse:
    """The form; on a valid POST, take the grant and go to the case (or say there is no such case)."""
    user = _user(request)
    _require_director(user)
    form = EmergencyAccessForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data.get("bsn"):
            access_log.note(query=access_log.redacted_query(bsn=data["bsn"]))
        case = _case_for(data)
        if case is None:
            form.add_error(None, "Er is geen casus gevonden bij dit BSN of deze casus-ID.")
        elif access.relation(user, case).is_member:
            messages.info(request, "U heeft al toegang tot deze casus; noodtoegang is niet nodig.")
            return redirect("case_detail", case_id=case.pk)
        elif grants.active_grant(user, case) is not None:
            messages.info(request, "U heeft al noodtoegang tot deze casus.")
            return redirect("case_detail", case_id=case.pk)
        else:
            try:
                grants.break_the_glass(actor=user, case=case, reason=data["reason"])
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.warning(request, "U heeft noodtoegang genomen. De privacyfunctionaris beoordeelt deze toegang.")
                return redirect("case_detail", case_id=case.pk)
    context = {"form": form, "active_grants": _active_grants(user), "hours": settings.PGA_BREAK_THE_GLASS_HOURS}
    return render(request, "privacy/emergency.html", context)


urlpatterns: list[URLPattern] = [path("noodtoegang/", emergency_access, name="emergency_access")]
