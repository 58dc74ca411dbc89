"""Template helpers of the browser UI: navigation rights and display of domain values."""

import datetime as dt
from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.dates import MONTHS_3

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


# Dates in long lists (the case timeline). Django's ``date`` filter parses its format string on every
# call (about 25 µs); a timeline of a few hundred rows formats each date twice. These two give exactly
# what ``|date:"Y-m-d"`` and ``|date:"j b Y"`` give for a ``datetime.date``, at a fifth of the cost.


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter(expects_localtime=True)
def iso_date(value: dt.date | None) -> str:
    """``2026-03-05``: as ``|date:"Y-m-d"`` (for ``<time datetime>``); ``""`` for no date."""
    if isinstance(value, dt.datetime):  # a moment: its local day, as Django's filter shows it
        return date_filter(_local(value), "Y-m-d")
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}" if value else ""


@register.filter(expects_localtime=True)
def short_date(value: dt.date | None) -> str:
    """``5 mrt 2026``: as ``|date:"j b Y"`` (day, the active language's three-letter month, year); ``""`` for no date."""
    if isinstance(value, dt.datetime):
        return date_filter(_local(value), "j b Y")
    return f"{value.day} {MONTHS_3[value.month]} {value.year:04d}" if value else ""
