"""API for the casusoverleg: ``GET /api/v1/conferences/`` and ``GET /api/v1/conferences/{id}/items/``.

Read-only, for the chair and the attendees (``escalation.selectors.conferences_visible_to``); anyone
else gets 404 for a conference. The items are only those of cases the caller may see — the others are
neither listed nor counted. An item's notes carry the category their author chose (``notes_category``,
DOMAIN.md §8, issue #4) and are absent unless the caller reads it; each item is noted in the access log
with the person of its case.
"""

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import generics, serializers

from cases.api.base import actor
from pga.api.schema import ErrorDocumentingAutoSchema
from privacy import access_log, policy
from privacy.categories import Category

from ..models import AgendaItem, CaseConference
from ..selectors import agenda_items_visible_to, conference_get, conferences_visible_to

TAG = "Casusoverleg"
CONFERENCE_ID = OpenApiParameter(
    "conference_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="UUID van het casusoverleg."
)


@extend_schema_serializer(description="Een casusoverleg: wanneer, wie het voorzit en of het verslag is vastgesteld.")
class ConferenceSerializer(serializers.ModelSerializer):
    chair = serializers.CharField(source="chair.username", read_only=True)

    class Meta:
        model = CaseConference
        fields = ["id", "starts_at", "chair", "status", "finalised_at"]
        read_only_fields = fields


@extend_schema_serializer(
    description="Eén casus op de agenda: waarom hij er staat, de notities en de besluiten daar genomen. De notities "
    "ontbreken als de deelmatrix hun categorie niet met uw organisatie deelt."
)
class AgendaItemSerializer(serializers.ModelSerializer):
    omitted_fields = ("notes",)  # absent for a caller who does not read their category (pga.api.schema)

    case = serializers.UUIDField(source="case_id", read_only=True)
    decisions = serializers.SerializerMethodField(help_text="UUID's van de besluiten over deze casus in dit overleg.")
    actions = serializers.SerializerMethodField(help_text="UUID's van de afspraken (acties in het plan van aanpak).")

    class Meta:
        model = AgendaItem
        fields = ["id", "case", "order", "source", "notes", "notes_category", "decisions", "actions"]
        read_only_fields = fields
        extra_kwargs = {
            "notes": {"help_text": "Notities (verslag) bij deze casus; ontbreken als u hun categorie niet mag lezen."},
            "notes_category": {"help_text": "Categorie van de notities (standaard `plan`)."},
        }

    def to_representation(self, item: AgendaItem) -> dict[str, Any]:
        data = super().to_representation(item)
        request = self.context.get("request")
        categories = {str(Category.PLAN)}
        if request is not None and not policy.disclosure_for(request.user).reads(item.notes_category):
            data.pop("notes", None)
        elif item.notes:
            categories.add(str(item.notes_category))
        access_log.note("agenda_item", [item.pk], persons=[item.case.person_id], categories=categories)
        return data

    def get_actions(self, item: AgendaItem) -> list[str]:
        return [str(action.pk) for action in item.actions.all()]

    def get_decisions(self, item: AgendaItem) -> list[str]:
        return [str(decision.pk) for decision in item.case.conference_decisions]  # type: ignore[attr-defined]


@extend_schema_view(
    get=extend_schema(
        summary="Casusoverleggen opvragen",
        description="De casusoverleggen die u voorzit of waaraan u (of uw organisatie) deelneemt, oudste eerst.",
        tags=[TAG],
    )
)
class ConferenceList(generics.ListAPIView):
    queryset = CaseConference.objects.none()
    serializer_class = ConferenceSerializer
    schema = ErrorDocumentingAutoSchema()

    def get_queryset(self) -> QuerySet[CaseConference]:
        return conferences_visible_to(actor(self.request)).order_by("starts_at", "id")


class ConferenceItemsSchema(ErrorDocumentingAutoSchema):
    def get_override_parameters(self) -> list[Any]:
        return [CONFERENCE_ID, *super().get_override_parameters()]


@extend_schema_view(
    get=extend_schema(
        summary="Agenda van een casusoverleg opvragen",
        description="De agendapunten van het casusoverleg, in volgorde, alleen voor casussen die u mag zien: andere "
        "casussen staan er niet in en tellen niet mee. Voor de voorzitter en de deelnemers; anderen krijgen 404.",
        tags=[TAG],
    )
)
class ConferenceItemList(generics.ListAPIView):
    queryset = AgendaItem.objects.none()
    serializer_class = AgendaItemSerializer
    schema = ConferenceItemsSchema()

    def get_queryset(self) -> QuerySet[AgendaItem]:
        user = actor(self.request)
        conference = conference_get(user, self.kwargs["conference_id"])
        decisions = Prefetch("case__decisions", queryset=conference.decisions.all(), to_attr="conference_decisions")
        return agenda_items_visible_to(user, conference).prefetch_related(decisions)
