"""Shared pieces of the API views: the caller, the Dutch OpenAPI helpers, and ``InCase`` — the base of
every route under ``/cases/{case_id}/``, which resolves the case with ``selectors.case_get`` first, so an
outsider gets 404 on all of them. Other apps' case resources (escalation) build on ``InCase`` too.

``InCase`` also reads the caller's ``Disclosure`` under the sharing matrix (``privacy.policy``, DOMAIN.md
§8, issue #4) once per request. A resource whose rows belong to one category as a whole
(``record_kind``, a key of ``privacy.policy.RECORD_CATEGORIES``: offences and detentions are
``justitieel``, goals and actions ``plan``) answers 403 with a Dutch ``detail`` to a caller whose
organisation the matrix does not share that category with — on every method, reads and writes alike.
"""

from typing import Any, cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics
from rest_framework.request import Request

from partners.models import User
from pga.api.schema import ErrorDocumentingAutoSchema
from privacy import access_log, policy

from .. import selectors
from ..models import Case

CASE_ID = OpenApiParameter("case_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="UUID van de casus.")
ORDERING = OpenApiParameter(
    "ordering",
    str,
    enum=list(selectors.CASELOAD_ORDERINGS),
    description="Sortering: `naam` (standaard), `niveau`, `geopend` of `laatste_delict`; met `-` ervoor omgekeerd. Wie "
    "volgens de deelmatrix de datum van het laatste delict niet ziet, krijgt `laatste_delict` als `naam`.",
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


NOT_SHARED = "De deelmatrix deelt {what} niet met uw organisatie."
SHARED_AS = {
    "offence": "delicten (justitiële gegevens)",
    "detention": "detentiegegevens (justitiële gegevens)",
    "goal": "de doelen van het plan van aanpak",
    "action": "de acties van het plan van aanpak",
    "decision": "de voorstellen en besluiten over de casus",
}


class InCase(generics.GenericAPIView):
    """Resolves ``case_id`` through ``selectors.case_get`` before anything else: 404 for outsiders. Then,
    for a ``record_kind`` resource, 403 unless the matrix shares its category with the caller.

    Subclasses return only this case's rows from ``get_queryset``; the class-level ``queryset`` is
    empty and serves the schema only, so a forgotten ``get_queryset`` shows nothing.
    """

    schema = CaseResourceSchema()
    case: Case
    disclosure: policy.Disclosure
    record_kind: str = ""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication and scope first
        self.case = selectors.case_get(actor(request), kwargs["case_id"])
        self.disclosure = policy.disclosure_for(actor(request))
        if self.record_kind and not policy.rows_readable(self.record_kind, self.disclosure):
            access_log.note_denied(self.record_kind, [str(kwargs["pk"])[:64]] if "pk" in kwargs else [])
            raise exceptions.PermissionDenied(NOT_SHARED.format(what=SHARED_AS[self.record_kind]))

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "case": getattr(self, "case", None)}


READ_PATCH = ["get", "patch", "head", "options"]
