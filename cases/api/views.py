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

from typing import Any, cast

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from partners.models import User
from pga.api.schema import ErrorDocumentingAutoSchema

from .. import selectors, services
from ..filters import CaseFilter
from ..models import Action, Assessment, Case, CaseTeamMember, Detention, Goal, JournalEntry, Offence, Person
from . import serializers as s

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


@extend_schema(tags=["Casussen"])
class CaseList(generics.ListCreateAPIView):
    """The caller's caseload, filtered and paginated; ``POST`` registers a person (aanmelding)."""

    queryset = Case.objects.none()
    serializer_class = s.CaseSerializer
    filterset_class = CaseFilter

    def get_queryset(self) -> QuerySet[Case]:
        ordering = self.request.query_params.get("ordering", "naam")
        return selectors.caseload(actor(self.request), ordering=ordering).select_related("registering_organisation")

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
        responses={201: s.CaseSerializer},
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
        persons = selectors.persons_visible_to(actor(self.request)).select_related("wijk")
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


# --- Under a case ------------------------------------------------------------------------------


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


@extend_schema(tags=["Delicten"])
class Offences(InCase):
    queryset = Offence.objects.none()
    serializer_class = s.OffenceSerializer

    def get_queryset(self) -> QuerySet[Offence]:
        return self.case.offences.select_related("offence_type", "source_organisation")


@extend_schema_view(
    get=op(
        "Delicten van een casus",
        "Alle delicten van de casus, ook geseponeerde en vrijgesproken: die hebben `counts` onwaar en tellen nergens "
        f"mee. {FOR_VIEWERS}",
    ),
    post=op(
        "Delict registreren",
        f"Alleen {STRAF} die de casus zien; anderen die de casus zien krijgen 403. Uw organisatie wordt de "
        f"bronorganisatie. De pleegdatum ligt niet in de toekomst en niet vóór de geboortedatum. {OUTSIDERS}",
    ),
)
class OffenceList(Offences, generics.ListCreateAPIView):
    """Offences of the case; straf partners in the team record them."""

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.offence_record(actor=actor(self.request), case=self.case, **serializer.validated_data)


@extend_schema(parameters=[uuid_of("het delict")])
@extend_schema_view(
    get=op("Delict opvragen", f"Eén delict van de casus. {FOR_VIEWERS}"),
    patch=op(
        "Delict corrigeren",
        "Alleen de bronorganisatie van het delict corrigeert pleegdatum, delicttype, afdoening en toelichting; anderen "
        f"die de casus zien krijgen 403. {OUTSIDERS}",
    ),
)
class OffenceDetail(Offences, generics.RetrieveUpdateAPIView):
    """One offence; only its source organisation corrects it."""

    http_method_names = READ_PATCH

    def perform_update(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.offence_correct(
            actor=actor(self.request), offence=cast(Offence, serializer.instance), **serializer.validated_data
        )


@extend_schema(tags=["Detenties"])
class Detentions(InCase):
    queryset = Detention.objects.none()
    serializer_class = s.DetentionSerializer

    def get_queryset(self) -> QuerySet[Detention]:
        return self.case.detentions.select_related("source_organisation")


@extend_schema_view(
    get=op("Detentieperiodes van een casus", f"Alle detentieperiodes van de casus. {FOR_VIEWERS}"),
    post=op(
        "Detentie registreren",
        f"Voor {STRAF} en de regisseurs van de casus; anderen die de casus zien krijgen 403. Uw organisatie wordt de "
        f"bron. {OUTSIDERS}",
    ),
)
class DetentionList(Detentions, generics.ListCreateAPIView):
    """Detention periods; straf partners and the directors record them."""

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.detention_record(actor=actor(self.request), case=self.case, **serializer.validated_data)


@extend_schema(parameters=[uuid_of("de detentieperiode")])
@extend_schema_view(
    get=op("Detentieperiode opvragen", f"Eén detentieperiode van de casus. {FOR_VIEWERS}"),
    patch=op(
        "Detentieperiode bijwerken",
        f"Bijvoorbeeld de werkelijke vrijlating (`released_on`) vastleggen. Voor {STRAF} en de regisseurs van de casus; "
        f"anderen die de casus zien krijgen 403. {OUTSIDERS}",
    ),
)
class DetentionDetail(Detentions, generics.RetrieveUpdateAPIView):
    """One detention period, e.g. to record the actual release."""

    http_method_names = READ_PATCH

    def perform_update(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.detention_update(
            actor=actor(self.request), detention=cast(Detention, serializer.instance), **serializer.validated_data
        )


@extend_schema(tags=["Doelen"])
class Goals(InCase):
    queryset = Goal.objects.none()
    serializer_class = s.GoalSerializer

    def get_queryset(self) -> QuerySet[Goal]:
        return Goal.objects.filter(plan__case=self.case).select_related("plan__case")


@extend_schema_view(
    get=op("Doelen van een casus", f"De doelen van het plan van aanpak, per leefgebied. {FOR_VIEWERS}"),
    post=op("Doel toevoegen", f"Voegt een doel op een leefgebied toe aan het plan van aanpak. {DIRECTORS_ONLY}"),
)
class GoalList(Goals, generics.ListCreateAPIView):
    """Goals of the plan per leefgebied; the directors edit the plan."""

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.goal_create(actor=actor(self.request), case=self.case, **serializer.validated_data)


@extend_schema(parameters=[uuid_of("het doel")])
@extend_schema_view(
    get=op("Doel opvragen", f"Eén doel van het plan van aanpak. {FOR_VIEWERS}"),
    patch=op("Doel wijzigen", f"Wijzigt leefgebied, omschrijving of `achieved`. {DIRECTORS_ONLY}"),
)
class GoalDetail(Goals, generics.RetrieveUpdateAPIView):
    http_method_names = READ_PATCH

    def perform_update(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.goal_update(
            actor=actor(self.request), goal=cast(Goal, serializer.instance), **serializer.validated_data
        )


@extend_schema(tags=["Acties"])
class Actions(InCase):
    queryset = Action.objects.none()
    serializer_class = s.ActionSerializer

    def get_queryset(self) -> QuerySet[Action]:
        return Action.objects.filter(goal__plan__case=self.case).select_related(
            "goal__plan__case", "owning_organisation", "responsible_user", "intervention"
        )


@extend_schema_view(
    get=op("Acties van een casus", f"De acties onder de doelen van het plan van aanpak. {FOR_VIEWERS}"),
    post=op(
        "Actie toevoegen",
        "Voegt een actie toe onder een doel van deze casus (`goal`). De eigenaar (`owning_organisation`) staat in het "
        "casusteam, of is de organisatie van een regisseur of teamlid. Een nieuwe open actie is niet al verlopen. "
        f"{DIRECTORS_ONLY}",
    ),
)
class ActionList(Actions, generics.ListCreateAPIView):
    """Actions under the plan's goals; the directors add them."""

    def perform_create(self, serializer: BaseSerializer) -> None:
        fields = dict(serializer.validated_data)
        serializer.instance = services.action_create(actor=actor(self.request), goal=fields.pop("goal"), **fields)


@extend_schema(parameters=[uuid_of("de actie")])
@extend_schema_view(
    get=op("Actie opvragen", f"Eén actie van het plan van aanpak. {FOR_VIEWERS}"),
    patch=op(
        "Actie bijwerken",
        "De regisseurs wijzigen alles behalve `goal`. Teamleden van de eigenaar-organisatie wijzigen `status`, "
        "`responsible_user` en `due_on`; andere velden geven hun 400. Anderen die de casus zien krijgen 403. "
        f"{OUTSIDERS}",
    ),
)
class ActionDetail(Actions, generics.RetrieveUpdateAPIView):
    """One action: the directors change anything, the owning organisation its status, owner and due date."""

    http_method_names = READ_PATCH

    def perform_update(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.action_update(
            actor=actor(self.request), action=cast(Action, serializer.instance), **serializer.validated_data
        )


@extend_schema(tags=["Beoordelingen"])
class Assessments(InCase):
    queryset = Assessment.objects.none()
    serializer_class = s.AssessmentSerializer

    def get_queryset(self) -> QuerySet[Assessment]:
        return self.case.assessments.select_related("assessed_by")


@extend_schema_view(
    get=op("Beoordelingen van een casus", f"Alle gedateerde beoordelingen van de zes leefgebieden. {FOR_VIEWERS}"),
    post=op(
        "Beoordeling vastleggen",
        "Legt per leefgebied een score van 1 tot 5 vast, op een datum die niet in de toekomst ligt. Voor iedereen die de "
        "casus mag zien; u wordt als beoordelaar vastgelegd. Wie de casus niet ziet, krijgt 404.",
    ),
)
class AssessmentList(Assessments, generics.ListCreateAPIView):
    """Dated leefgebied assessments (1–5); every team member records them."""

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.assessment_record(actor=actor(self.request), case=self.case, **serializer.validated_data)


@extend_schema(parameters=[uuid_of("de beoordeling")])
@extend_schema_view(get=op("Beoordeling opvragen", f"Eén beoordeling. Een beoordeling wijzigt niet. {FOR_VIEWERS}"))
class AssessmentDetail(Assessments, generics.RetrieveAPIView):
    pass


@extend_schema(tags=["Journaal"])
class Journal(InCase):
    queryset = JournalEntry.objects.none()
    serializer_class = s.JournalEntrySerializer

    def get_queryset(self) -> QuerySet[JournalEntry]:
        return self.case.journal.select_related("author", "organisation")


@extend_schema_view(
    get=op("Journaal van een casus", f"De contactmomenten en notities van de casus. {FOR_VIEWERS}"),
    post=op(
        "Journaalregel toevoegen",
        "Voegt een contactmoment of notitie toe; u en uw organisatie worden als auteur vastgelegd. Voor iedereen die de "
        "casus mag zien; wie dat niet mag, krijgt 404.",
    ),
)
class JournalList(Journal, generics.ListCreateAPIView):
    """Contact moments and notes; every team member writes them."""

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.journal_entry_add(actor=actor(self.request), case=self.case, **serializer.validated_data)


@extend_schema(parameters=[uuid_of("de journaalregel")])
@extend_schema_view(get=op("Journaalregel opvragen", f"Eén journaalregel. Een journaalregel wijzigt niet. {FOR_VIEWERS}"))
class JournalDetail(Journal, generics.RetrieveAPIView):
    pass


@extend_schema(tags=["Casusteam"])
class Team(InCase):
    queryset = CaseTeamMember.objects.none()
    serializer_class = s.TeamMemberSerializer

    def get_queryset(self) -> QuerySet[CaseTeamMember]:
        return selectors.team_listed(self.case)


@extend_schema_view(
    get=op(
        "Casusteam opvragen",
        "De huidige en geplande teamleden: organisaties en professionals op naam, met begin- en einddatum (beide "
        f"inclusief). {FOR_VIEWERS}",
    ),
    post=op(
        "Teamlid toevoegen",
        "Voegt óf een organisatie (`organisation`) óf een professional op naam (`user`) toe, vanaf vandaag of een latere "
        f"`starts_on`. Alleen professionals met een rol in casussen kunnen op naam in het team. {DIRECTORS_ONLY}",
    ),
)
class TeamList(Team, generics.ListCreateAPIView):
    """The current team; the directors add organisations and named users."""

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.team_member_add(actor=actor(self.request), case=self.case, **serializer.validated_data)


@extend_schema(parameters=[uuid_of("de teamregel")])
@extend_schema_view(
    get=op("Teamlid opvragen", f"Eén huidige of geplande teamregel. {FOR_VIEWERS}"),
    delete=op(
        "Teamlid beëindigen",
        "Beëindigt de teamregel: de einddatum wordt gisteren (een gepland teamlid vervalt), zodat de geschiedenis blijft "
        f"bestaan. Een beëindigde regel geeft daarna 404. {DIRECTORS_ONLY}",
    ),
)
class TeamDetail(Team, generics.RetrieveDestroyAPIView):
    """One current team entry; ``DELETE`` ends it (until yesterday), so the history stays."""

    def perform_destroy(self, instance: CaseTeamMember) -> None:
        services.team_member_remove(actor=actor(self.request), member=instance)
