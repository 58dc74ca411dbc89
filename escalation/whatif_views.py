"""Browser pages of the what-if (proefberekening): start a run on a draft, follow it, read its result.

Starting: administrators and process directors (``whatif.may_start``; 403 for other readers). The
result page: administrators and directors; anyone else gets 404, like an outsider to a case. The page
refreshes itself while the run is queued or running (an HTTP ``Refresh`` header: no JavaScript needed).
Administrators see the counts only; directors also see which of the cases they may see would move
(names and tiers: ``identificatie`` and ``plan``), noted in the access log as a list (issue #4). The
moves are advised tiers, so ``escalation.disclosure`` decides whether they may be shown
(``tier_shown``: to who reads ``plan``, as on the case page and in the API); they carry no facts or
verdicts.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cases.views.common import actor
from privacy import access_log, policy
from privacy.categories import Category
from privacy.models import AccessAction

from . import whatif
from .disclosure import fact_categories_read, tier_shown
from .models import RuleSet, RuleSetStatus, WhatIfRun

REFRESH_SECONDS = 3


@login_required
@require_http_methods(["GET", "POST"])
def whatif_list(request: HttpRequest) -> HttpResponse:
    """The drafts that can be tried and the latest runs; POST ``rule_set`` starts a run."""
    user = actor(request)
    if not whatif.may_read(user):
        raise Http404
    if request.method == "POST":
        if not whatif.may_start(user):
            raise PermissionDenied("Alleen een functioneel beheerder of procesregisseur start een proefberekening.")
        draft = get_object_or_404(RuleSet, pk=request.POST.get("rule_set"), status=RuleSetStatus.DRAFT)
        try:
            run = whatif.whatif_start(actor=user, draft=draft)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("whatif_list")
        return redirect("whatif_detail", run_id=run.pk)
    context = {
        "drafts": RuleSet.objects.filter(status=RuleSetStatus.DRAFT).order_by("-version"),
        "runs": WhatIfRun.objects.select_related("draft", "baseline")[:10],
        "may_start": whatif.may_start(user),
    }
    return render(request, "escalation/whatif_list.html", context)


@login_required
@require_GET
def whatif_detail(request: HttpRequest, run_id: uuid.UUID) -> HttpResponse:
    """Progress, then the counts per move and (not for administrators) the visible cases that move."""
    user = actor(request)
    run = whatif.whatif_get(user, run_id)
    visible_moves = list(whatif.whatif_visible_moves(user, run))
    if not tier_shown(fact_categories_read(policy.disclosure_for(user))):
        visible_moves = []  # advised tiers are plan data (escalation.disclosure, rule 4)
    if visible_moves:
        access_log.note(
            "case",
            [move.case_id for move in visible_moves],
            persons=[move.case.person_id for move in visible_moves],
            categories=[Category.IDENTIFICATIE, Category.PLAN],
            action=AccessAction.LIST,
        )
    context = {
        "run": run,
        "rows": whatif.matrix_rows(run),
        "moved_total": run.moves.count(),
        "visible_moves": visible_moves,
        "counts_only": not whatif.may_see_cases(user),
        "refresh": None if run.finished else REFRESH_SECONDS,
    }
    response = render(request, "escalation/whatif_detail.html", context)
    if not run.finished:
        response["Refresh"] = str(REFRESH_SECONDS)  # reload until done, without JavaScript
    return response
