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


# --- Caseload panels --------------------------------------------------------------------------------
# The same idea for "Mijn caseload": escalation adds the capacity summary for directors.

CaseloadPanelContext = Callable[[HttpRequest], dict[str, Any]]
_caseload_panels: list[tuple[str, CaseloadPanelContext]] = []


def caseload_panel_register(template: str, context: CaseloadPanelContext) -> None:
    """Add a panel to the caseload page (idempotent per template)."""
    if all(name != template for name, _ in _caseload_panels):
        _caseload_panels.append((template, context))


def caseload_panels_for(request: HttpRequest) -> tuple[list[str], dict[str, Any]]:
    """The templates to include on the caseload page, and their context, for ``request.user``."""
    context: dict[str, Any] = {}
    for _, panel_context in _caseload_panels:
        context |= panel_context(request)
    return [name for name, _ in _caseload_panels], context
