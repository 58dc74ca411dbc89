"""Template helpers of the browser UI: navigation rights and display of domain values."""

from typing import Any

from django import template

from .. import access

register = template.Library()


@register.simple_tag
def may_register(user: Any) -> bool:
    """Whether to offer "Aanmelden" in the navigation (DOMAIN.md §5.7)."""
    return access.may_register(user)


# Status-badge modifier per tier and per case status (Utrecht ``utrecht-status-badge--*``).
TIER_BADGES = {"basisinzet": "neutral", "lokale_pga": "active", "zvhru": "danger"}
STATUS_BADGES = {"aangemeld": "warning", "actief": "safe", "afgesloten": "inactive"}


@register.filter
def tier_badge(tier: str) -> str:
    return TIER_BADGES.get(tier, "neutral")


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "neutral")
