"""``{% load emergency %}{% break_the_glass_banner case %}``: the case page's break-the-glass warning.

Shown while an active grant is the only reason the user sees the case (issue #4): ``case_get`` marked
this request's access-log row as break-the-glass, so the tag asks for the grant's expiry only then —
other case pages cost no query. ``case`` may be the model or the page's ``policy.Shown`` view of it.
"""

from typing import Any

from django import template
from django.utils import timezone

from .. import access_log
from ..models import BreakTheGlassGrant

register = template.Library()


@register.inclusion_tag("privacy/emergency_banner.html", takes_context=True)
def break_the_glass_banner(context: template.Context, case: Any) -> dict[str, Any]:
    collector = access_log.current()
    request = context.get("request")
    if collector is None or not collector.break_the_glass or request is None or case is None:
        return {"grant": None}
    grants = BreakTheGlassGrant.objects.filter(
        user_id=request.user.pk, case_id=case.pk, expires_at__gt=timezone.now(), revoked_at__isnull=True
    )
    return {"grant": grants.order_by("-expires_at").first()}
