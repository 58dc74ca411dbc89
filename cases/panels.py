"""Panels other apps add to the case page, without the cases app importing them.

Dependencies point one way (``partners ← cases ← escalation``, STYLE.md): the escalation app registers
a panel at start-up (``AppConfig.ready``) that adds its advice, proposals and decisions to the case
page. A panel is a template name and a function giving that template's context for one case.
"""

import dataclasses
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from .access import Relation
from .models import Case

PanelContext = Callable[[HttpRequest, Case, Relation], dict[str, Any]]


@dataclasses.dataclass(frozen=True)
class Panel:
    template: str
    context: PanelContext


_panels: list[Panel] = []


def panel_register(template: str, context: PanelContext) -> None:
    """Add a panel to every case page (idempotent per template)."""
    if all(panel.template != template for panel in _panels):
        _panels.append(Panel(template, context))


def panels_for(request: HttpRequest, case: Case, rel: Relation) -> tuple[list[str], dict[str, Any]]:
    """The templates to include, and the context they need, for ``case`` as ``request.user`` sees it."""
    context: dict[str, Any] = {}
    for panel in _panels:
        context |= panel.context(request, case, rel)
    return [panel.template for panel in _panels], context
