"""API v1 views: thin adapters from HTTP to ``cases.selectors`` (reads) and ``cases.services`` (writes).

Reads start from the selectors, so a user sees exactly what the browser shows them. Every route under
``/cases/{case_id}/`` first resolves the case with ``selectors.case_get``: an outsider gets 404 on all
of them — list, detail and writes alike — and only that case's rows are queried. Writes call a
service with the serializer's ``validated_data``; its ``PermissionDenied`` becomes 403 and its
``ValidationError`` 400 (``pga.api.exceptions``), and the service's transaction means nothing is
half-saved.
"""

from typing import Any, cast

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
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

CASE_ID = OpenApiParameter("case_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="Id van de casus.")
ORDERING = OpenApiParameter(
    "ordering", str, enum=list(selectors.CASELOAD_ORDERINGS), description="Sortering; standaard `naam`.", required=False
)


def actor(request: Request) -> User:
    """The caller. ``pga.api.permissions.IsPartnerPrincipal`` has refused anonymous requests already."""
    return cast(User, request.user)


# --- Cases and persons -------------------------------------------------------------------------


class CaseList(generics.ListCreateAPIView):
    """The caller's caseload, filtered and paginated; ``POST`` registers a person (aanmelding)."""

    queryset = Case.objects.none()
    serializer_class = s.CaseSerializer
    filterset_class = CaseFilter

    def get_queryset(self) -> QuerySet[Case]:
        ordering = self.request.query_params.get("ordering", "naam")
        return selectors.caseload(actor(self.request), ordering=ordering).select_related("registering_organisation")

    @extend_schema(parameters=[ORDERING])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=s.CaseRegisterSerializer, responses={201: s.CaseSerializer})
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


class PersonList(generics.ListAPIView):
    """Persons with a case the caller may see. A person enters with a case: there is no ``POST``."""

    queryset = Person.objects.none()
    serializer_class = s.PersonSerializer

    def get_queryset(self) -> QuerySet[Person]:
        persons = selectors.persons_visible_to(actor(self.request)).select_related("wijk")
        return persons.order_by("surname", "given_names", "id")


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
    """Documents ``case_id`` and tags each resource under a case by its own name (``offences`` …)."""

    def get_override_parameters(self) -> list[Any]:
        return [CASE_ID, *super().get_override_parameters()]

    def get_tags(self) -> list[str]:
        return [self.path.split("{case_id}/")[1].split("/")[0]]


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


class Offences(InCase):
    queryset = Offence.objects.none()
    serializer_class = s.OffenceSerializer

    def get_queryset(self) -> QuerySet[Offence]:
        return self.case.offences.select_related("offence_type", "source_organisation")


class OffenceList(Offences, generics.ListCreateAPIView):
    """Offences of the case; straf partners in the team record them."""

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.offence_record(actor=actor(self.request), case=self.case, **serializer.validated_data)


class OffenceDetail(Offences, generics.RetrieveUpdateAPIView):
    """One offence; only its source organisation corrects it."""

    http_method_names = READ_PATCH

    def perform_update(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.offence_correct(
            actor=actor(self.request), offence=cast(Offence, serializer.instance), **serializer.validated_data
        )


class Detentions(InCase):
    queryset = Detention.objects.none()
    serializer_class = s.DetentionSerializer

    def get_queryset(self) -> QuerySet[Detention]:
        return self.case.detentions.select_related("source_organisation")


class DetentionList(Detentions, generics.ListCreateAPIView):
    """Detention periods; straf partners and the directors record them."""

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.detention_record(actor=actor(self.request), case=self.case, **serializer.validated_data)


class DetentionDetail(Detentions, generics.RetrieveUpdateAPIView):
    """One detention period, e.g. to record the actual release."""

    http_method_names = READ_PATCH

    def perform_update(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.detention_update(
            actor=actor(self.request), detention=cast(Detention, serializer.instance), **serializer.validated_data
        )


class Goals(InCase):
    queryset = Goal.objects.none()
    serializer_class = s.GoalSerializer

    def get_queryset(self) -> QuerySet[Goal]:
        return Goal.objects.filter(plan__case=self.case).select_related("plan__case")


class GoalList(Goals, generics.ListCreateAPIView):
    """Goals of the plan per leefgebied; the directors edit the plan."""

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.goal_create(actor=actor(self.request), case=self.case, **serializer.validated_data)


class GoalDetail(Goals, generics.RetrieveUpdateAPIView):
    http_method_names = READ_PATCH

    def perform_update(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.goal_update(
            actor=actor(self.request), goal=cast(Goal, serializer.instance), **serializer.validated_data
        )


class Actions(InCase):
    queryset = Action.objects.none()
    serializer_class = s.ActionSerializer

    def get_queryset(self) -> QuerySet[Action]:
        return Action.objects.filter(goal__plan__case=self.case).select_related(
            "goal__plan__case", "owning_organisation", "responsible_user", "intervention"
        )


class ActionList(Actions, generics.ListCreateAPIView):
    """Actions under the plan's goals; the directors add them."""

    def perform_create(self, serializer: BaseSerializer) -> None:
        fields = dict(serializer.validated_data)
        serializer.instance = services.action_create(actor=actor(self.request), goal=fields.pop("goal"), **fields)


class ActionDetail(Actions, generics.RetrieveUpdateAPIView):
    """One action: the directors change anything, the owning organisation its status, owner and due date."""

    http_method_names = READ_PATCH

    def perform_update(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.action_update(
            actor=actor(self.request), action=cast(Action, serializer.instance), **serializer.validated_data
        )


class Assessments(InCase):
    queryset = Assessment.objects.none()
    serializer_class = s.AssessmentSerializer

    def get_queryset(self) -> QuerySet[Assessment]:
        return self.case.assessments.select_related("assessed_by")


class AssessmentList(Assessments, generics.ListCreateAPIView):
    """Dated leefgebied assessments (1–5); every team member records them."""

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.assessment_record(actor=actor(self.request), case=self.case, **serializer.validated_data)


class AssessmentDetail(Assessments, generics.RetrieveAPIView):
    pass


class Journal(InCase):
    queryset = JournalEntry.objects.none()
    serializer_class = s.JournalEntrySerializer

    def get_queryset(self) -> QuerySet[JournalEntry]:
        return self.case.journal.select_related("author", "organisation")


class JournalList(Journal, generics.ListCreateAPIView):
    """Contact moments and notes; every team member writes them."""

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.journal_entry_add(actor=actor(self.request), case=self.case, **serializer.validated_data)


class JournalDetail(Journal, generics.RetrieveAPIView):
    pass


class Team(InCase):
    queryset = CaseTeamMember.objects.none()
    serializer_class = s.TeamMemberSerializer

    def get_queryset(self) -> QuerySet[CaseTeamMember]:
        return selectors.team_listed(self.case)


class TeamList(Team, generics.ListCreateAPIView):
    """The current team; the directors add organisations and named users."""

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.team_member_add(actor=actor(self.request), case=self.case, **serializer.validated_data)


class TeamDetail(Team, generics.RetrieveDestroyAPIView):
    """One current team entry; ``DELETE`` ends it (until yesterday), so the history stays."""

    def perform_destroy(self, instance: CaseTeamMember) -> None:
        services.team_member_remove(actor=actor(self.request), member=instance)
