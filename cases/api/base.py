"""Shared pieces of the API views: the caller, the Dutch OpenAPI helpers, and ``InCase`` — the base of
every route under ``/cases/{case_id}/``, which resolves the case with ``selectors.case_get`` first, so an
outsider gets 404 on all of them. Other apps' case resources (escalation) build on ``InCase`` too.
"""

from typing import Any, cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.request import Request

from partners.models import User
from pga.api.schema import ErrorDocumentingAutoSchema

from .. import selectors
from ..models import Case

CASE_ID = OpenApiParameter("case_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="UUID van de casus.")
ORDERING = OpenApiParameter(
    "ordering",
    str,
    enum=list(selectors.CASELOAD_ORDERINGS),
    description="Sortering: `naam` (standaard), `niveau`, `geopend` of `laatste_delict`; met `-` ervoor omgekeerd.",
    required=False,
)
NAME = OpenApiParameter(
    "naam",
    str,
    description="Zoekt op naam: elk woord komt voor in voornamen, tussenvoegsel of achternaam (hoofdletters tellen niet).",
)
WIJK = OpenApiParameter("wijk", str, description="Code van de wijk van de persoon, bijvoorbeeld `overvecht`.")

# Sentences the operation descriptions share.
OUTSIDERS = "Wie de casus niet mag zien, krijgt 404."
FOR_VIEWERS = "Voor iedereen die de casus mag zien; wie dat niet mag, krijgt 404."
DIRECTORS_ONLY = (
    "Alleen de casusregisseur en de procesregisseur van de casus; anderen die de casus zien krijgen 403, "
    "wie hem niet ziet krijgt 404."
)
STRAF = "partners uit het strafdomein (politie, OM, reclassering en andere strafpartners)"


def uuid_of(noun: str) -> OpenApiParameter:
    """The ``{id}`` path parameter, described for partner developers (``noun``: "het delict")."""
    return OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH, description=f"UUID van {noun}.")


def op(summary: str, description: str, **kwargs: Any) -> Any:
    """One operation as partner developers read it in the docs: Dutch, no internal names."""
    return extend_schema(summary=summary, description=description, **kwargs)


def actor(request: Request) -> User:
    """The caller. ``pga.api.permissions.IsPartnerPrincipal`` has refused anonymous requests already."""
    return cast(User, request.user)


# --- Cases and persons -------------------------------------------------------------------------


class CaseResourceSchema(ErrorDocumentingAutoSchema):
    """Documents ``case_id``; each resource declares its own Dutch tag with ``extend_schema(tags=…)``."""

    def get_override_parameters(self) -> list[Any]:
        return [CASE_ID, *super().get_override_parameters()]


class InCase(generics.GenericAPIView):
    """Resolves ``case_id`` through ``selectors.case_get`` before anything else: 404 for outsiders.

    Subclasses return only this case's rows from ``get_queryset``; the class-level ``queryset`` is
    empty and serves the schema only, so a forgotten ``get_queryset`` shows nothing.
    """

    schema = CaseResourceSchema()
    case: Case

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication and scope first
        self.case = selectors.case_get(actor(request), kwargs["case_id"])

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "case": getattr(self, "case", None)}


READ_PATCH = ["get", "patch", "head", "options"]
