"""API v1 views: thin adapters from HTTP to ``cases.selectors`` (reads) and ``cases.services`` (writes).

Reads start from the selectors, so a user sees exactly what the browser shows them. Every route under
``/cases/{case_id}/`` first resolves the case with ``selectors.case_get``: an outsider gets 404 on all
of them — list, detail and writes alike — and only that case's rows are queried. Writes call a
service with the serializer's ``validated_data``; its ``PermissionDenied`` becomes 403 and its
``ValidationError`` 400 (``pga.api.exceptions``), and the service's transaction means nothing is
half-saved.

What partner developers read in the OpenAPI docs is the Dutch ``summary``/``description`` of each
``extend_schema`` below: who may call the operation and what outsiders get. The docstrings are notes
for developers and stay out of the schema (``pga.api.schema``).
"""

from collections.abc import Sequence
from typing import Any, NoReturn

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.throttling import BaseThrottle

from pga.api.exceptions import TooManyRequests
from pga.api.schema import ErrorSerializer
from pga.api.throttling import FailClosedScopedRateThrottle
from privacy import policy

from .. import selectors, services
from ..filters import CaseFilter
from ..models import Case, Person
from . import serializers as s
from .base import (
    NAME,
    ORDERING,
    OUTSIDERS,
    STRAF,
    WIJK,
    actor,
    op,
    uuid_of,
)
from .base import InCase as InCase  # re-exported: other apps build their case resources on it


class TooManyRegistrations(TooManyRequests):
    default_detail = "Te veel aanmeldingen en hit/no-hit-controles achter elkaar."


@extend_schema(tags=["Casussen"])
class CaseList(generics.ListCreateAPIView):
    """The caller's caseload, filtered and paginated; ``POST`` registers a person (aanmelding).

    An aanmelding answers "is this BSN already known?" too, so its ``POST`` shares the hit/no-hit
    check's rate limit (scope ``hit_check``, issue #4): registering cannot be used to sweep the register.
    """

    queryset = Case.objects.none()
    serializer_class = s.CaseSerializer
    filterset_class = CaseFilter
    throttle_scope = "hit_check"

    def get_throttles(self) -> list[BaseThrottle]:
        """The general API rate (``PGA_API_RATE``) always; a ``POST`` also the hit-check limit."""
        general = super().get_throttles()
        return [*general, FailClosedScopedRateThrottle()] if self.request.method == "POST" else general

    def throttled(self, request: Request, wait: float | None) -> NoReturn:
        raise TooManyRegistrations(wait)

    def get_queryset(self) -> QuerySet[Case]:
        ordering = self.request.query_params.get("ordering", "naam")
        disclosure = policy.disclosure_for(actor(self.request))
        if ordering.lstrip("-") == "laatste_delict" and not disclosure.shows("case", "last_offence_on"):
            ordering = "naam"  # the order would reveal what the matrix hides (DOMAIN.md §8, issue #4)
        cases = selectors.caseload(actor(self.request), ordering=ordering, facts=False)
        # A row names its person by id and its directors and organisation by username and code: the
        # person's and wijk's columns would be read and turned into objects for nothing.
        return cases.select_related(None).select_related("case_director", "process_director", "registering_organisation")

    def paginate_queryset(self, queryset: QuerySet[Any] | Sequence[Any]) -> list[Any] | None:
        """One page of the caseload, counted from the guardian rows when unfiltered
        (``selectors.caseload_for_paging``), with the case facts read for its rows only (one query)."""
        filtered = any(self.request.query_params.get(name) for name in CaseFilter.base_filters)
        if isinstance(queryset, QuerySet):
            queryset = selectors.caseload_for_paging(actor(self.request), queryset, filtered=filtered)  # type: ignore[assignment]
        page = super().paginate_queryset(queryset)
        return None if page is None else selectors.case_facts_attach(list(page))

    @op(
        "Caseload opvragen",
        "De casussen die u mag zien: die u regisseert, waarin u op naam in het casusteam staat, of waarvan uw "
        "organisatie in het casusteam staat. Andere casussen staan er niet in. Filter op niveau, status, doelgroep, wijk "
        "en naam; een BSN staat nooit in een URL, dus op BSN filtert u hier niet.",
        parameters=[ORDERING, NAME, WIJK],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @op(
        "Persoon aanmelden",
        "Meldt een persoon aan en opent een casus met status `aangemeld` en een leeg plan van aanpak. Alleen voor "
        "medewerkers en koppelingen van organisaties die mogen aanmelden (Gemeente Utrecht, Politie Midden-Nederland, "
        "Openbaar Ministerie); anderen krijgen 403.\n\n"
        "Geef óf een nieuwe persoon in `person`, óf de `person_id` van een persoon die u al ziet. Is het BSN al bekend, dan "
        "meldt `bsn` dat: met het advies de bestaande persoon te kiezen als u die mag zien, anders alleen dat de persoon "
        "al in een aanpak bekend is en wie u kunt benaderen. Is er al iemand met dezelfde achternaam en geboortedatum, "
        "dan weigert de API met een melding bij `confirm_new_person`; stuur het verzoek opnieuw met "
        '`"confirm_new_person": true` als het om een andere persoon gaat. Een persoon met een lopende casus meldt u '
        "niet opnieuw aan. Uw organisatie en de organisaties in `team` komen in het casusteam (de uwe niet als u de "
        "casus zelf regisseert).",
        request=s.CaseRegisterSerializer,
        responses={
            201: s.CaseSerializer,
            429: OpenApiResponse(
                ErrorSerializer,
                description="Te veel aanmeldingen en hit/no-hit-controles achter elkaar (samen "
                f"{settings.PGA_HIT_CHECK_RATE.replace('/min', ' per minuut')}); `Retry-After` zegt na hoeveel "
                "seconden het weer kan.",
            ),
        },
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        registration = s.CaseRegisterSerializer(data=request.data, context=self.get_serializer_context())
        registration.is_valid(raise_exception=True)
        try:
            case = services.case_register(actor=actor(request), **registration.validated_data)
        except ValidationError as exc:
            raise _registration_errors(exc, sent=set(registration.validated_data)) from None
        case = selectors.case_get(actor(request), case.pk)
        return Response(self.get_serializer(case).data, status=status.HTTP_201_CREATED)


def _registration_errors(exc: ValidationError, *, sent: set[str]) -> Exception:
    """Put the service's errors where the client sent the data: a new person's fields under ``person``,
    errors about the chosen existing person under ``person_id``. ``sent``: keys of ``validated_data``."""
    if not hasattr(exc, "error_dict"):
        return exc
    new_person, existing_person = "person_data" in sent, "person" in sent and "person_data" not in sent
    detail: dict[str, Any] = {}
    for field, messages in exc.message_dict.items():
        if new_person and field in services.PERSON_FIELDS:
            detail.setdefault("person", {})[field] = messages
        elif existing_person and field == "person":
            detail["person_id"] = messages
        else:
            detail["detail" if field == NON_FIELD_ERRORS else field] = messages
    return exceptions.ValidationError(detail)


@extend_schema(tags=["Casussen"], parameters=[uuid_of("de casus")])
@extend_schema_view(
    get=op(
        "Casus opvragen",
        f"Eén casus, met het laatste tellende delict, de vroegste uitstroomdatum en of de persoon in detentie is. {OUTSIDERS}",
    ),
    patch=op(
        "Casus wijzigen",
        "Niveau, status, doelgroep, regie en afsluiting wijzigen de casusregisseur en de procesregisseur; een casus "
        "zonder casusregisseur mag een casusregisseur of procesregisseur die hem ziet oppakken. De netwerkindicatie "
        f"(`drug_network_indication`) leggen alleen {STRAF} vast. Een ander niveau of een andere regisseur vraagt een "
        "onderbouwing in `reason`, net als afsluiten vóór de vroegste uitstroomdatum. Status gaat van `aangemeld` naar "
        "`actief` of `afgesloten`, van `actief` naar `afgesloten`, en van `afgesloten` terug naar `actief` (heropenen). "
        f"Wie de casus ziet maar dit niet mag, krijgt 403. {OUTSIDERS}",
    ),
    put=op(
        "Casus wijzigen (alle velden)",
        "Als PATCH, maar `target_group` is verplicht; velden die u weglaat blijven ongewijzigd. Gebruik bij voorkeur PATCH.",
    ),
)
class CaseDetail(generics.RetrieveUpdateAPIView):
    """One case. ``PATCH``/``PUT`` go through ``services.case_update`` (403 for those who may not direct it)."""

    queryset = Case.objects.none()
    serializer_class = s.CaseSerializer
    case: Case

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.case = selectors.case_get(actor(request), kwargs["pk"])  # before the method check: 404, not 405

    def get_object(self) -> Case:
        return self.case

    def perform_update(self, serializer: BaseSerializer) -> None:
        case = services.case_update(actor=actor(self.request), case=self.case, **serializer.validated_data)
        # An update changes no offence or detention: carry the facts over instead of reading again
        # (the caller may have handed the case to someone else and no longer see it).
        case.last_offence_on = self.case.last_offence_on  # type: ignore[attr-defined]
        case.in_detention = self.case.in_detention  # type: ignore[attr-defined]
        serializer.instance = case


@extend_schema(tags=["Personen"])
@extend_schema_view(
    get=op(
        "Personen opvragen",
        "De personen met ten minste één casus die u mag zien, op achternaam. Een persoon maakt u niet los aan: die komt "
        "binnen met een aanmelding (`POST /api/v1/cases/`).",
    )
)
class PersonList(generics.ListAPIView):
    """Persons with a case the caller may see. A person enters with a case: there is no ``POST``."""

    queryset = Person.objects.none()
    serializer_class = s.PersonSerializer

    def get_queryset(self) -> QuerySet[Person]:
        persons = selectors.persons_listed(actor(self.request)).select_related("wijk")
        return persons.order_by("surname", "given_names", "id")


@extend_schema(tags=["Personen"], parameters=[uuid_of("de persoon")])
@extend_schema_view(
    get=op("Persoon opvragen", "Eén persoon met een casus die u mag zien; een andere persoon geeft 404."),
    patch=op(
        "Persoonsgegevens wijzigen",
        "Alleen de casusregisseur of procesregisseur van een casus van deze persoon; anderen die de persoon zien krijgen "
        "403. Een BSN wijzigt alleen een medewerker van een organisatie die mag aanmelden, en een BSN dat al bij een "
        "andere persoon hoort, wordt geweigerd.",
    ),
    put=op(
        "Persoonsgegevens wijzigen (alle velden)",
        "Als PATCH, maar `given_names`, `surname` en `date_of_birth` zijn verplicht; velden die u weglaat blijven "
        "ongewijzigd. Gebruik bij voorkeur PATCH.",
    ),
)
class PersonDetail(generics.RetrieveUpdateAPIView):
    """One person; updates by a director of one of their cases (``services.person_update``)."""

    queryset = Person.objects.none()
    serializer_class = s.PersonSerializer
    person: Person

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.person = selectors.person_get(actor(request), kwargs["pk"])  # before the method check: 404, not 405

    def get_object(self) -> Person:
        return self.person

    def perform_update(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.person_update(actor=actor(self.request), person=self.person, **serializer.validated_data)
