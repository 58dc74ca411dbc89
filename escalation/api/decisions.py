"""API for proposals and decisions under a case (issue #3).

``POST /api/v1/cases/{id}/decisions/``: 201; 400 for a move not in the table, a missing rationale or a
missing override before the earliest exit date; 403 for a role that may not take this decision; 404
for outsiders; 409 when ``from_tier`` is no longer the case's tier (someone else decided first).

The sharing matrix (DOMAIN.md §8, issue #4): a rationale carries the category its author chose
(``rationale_category``, default ``plan``) and is absent from the answer unless the caller reads that
category; writing one needs write access to it (``escalation.services``). A decision's stored advice is
cut for the caller exactly like a live one (``escalation.disclosure.advice_shown``: facts, verdicts and
exit review as the caller may see them). What is shown is noted in the access log.
"""

from typing import Any

from django.db import models
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api.base import InCase, actor
from cases.models import CaseStatus, ClosingReason, Tier
from partners.models import Role, User
from privacy import access_log, policy
from privacy.categories import Category

from ..disclosure import advice_shown, fact_categories_visible_to
from ..models import Decision, Proposal
from ..services import DecisionConflict, decision_make, proposal_create

RATIONALE_CATEGORY_HELP = (
    "Categorie van de onderbouwing (standaard `plan`): alleen wie die categorie volgens de deelmatrix mag lezen, ziet "
    "de onderbouwing."
)


class RationaleShown(serializers.ModelSerializer):
    """Leaves ``rationale`` out unless the caller reads its ``rationale_category`` (issue #4) and notes the
    record in the access log with the categories it showed. The caller's disclosure comes from the
    request in the context; without one nothing is shown (deny by default)."""

    log_kind = ""
    omitted_fields = ("rationale",)  # absent for a caller who does not read its category (pga.api.schema)

    def _disclosure(self) -> policy.Disclosure:
        request = self.context.get("request")
        return policy.NOTHING if request is None else policy.disclosure_for(request.user)

    def to_representation(self, instance: models.Model) -> dict[str, Any]:
        data = super().to_representation(instance)
        disclosure = self._disclosure()
        category = str(getattr(instance, "rationale_category", Category.PLAN))
        categories = {str(Category.PLAN)}
        if not disclosure.reads(category):
            data.pop("rationale", None)
        else:
            categories.add(category)
        case = self.context.get("case")
        access_log.note(self.log_kind, [instance.pk], persons=[getattr(case, "person_id", None)], categories=categories)
        return data


@extend_schema_serializer(
    description="Een voorstel om de casus naar een ander niveau te brengen; het verandert niets, de regisseurs besluiten."
)
class ProposalSerializer(RationaleShown):
    log_kind = "proposal"

    proposed_by = serializers.CharField(source="proposed_by.username", read_only=True)
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    decision = serializers.UUIDField(source="decision_id", read_only=True, allow_null=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "from_tier",
            "to_tier",
            "rationale",
            "rationale_category",
            "proposed_by",
            "organisation",
            "status",
            "decision",
            "created_at",
        ]
        read_only_fields = ["from_tier", "status", "created_at"]
        extra_kwargs = {
            "rationale": {"help_text": "Onderbouwing; ontbreekt als u de categorie ervan niet mag lezen."},
            "rationale_category": {"help_text": RATIONALE_CATEGORY_HELP},
        }


@extend_schema_serializer(
    description="Een besluit over niveau of status van een casus, met wie het nam (gebruiker, rol, organisatie), waarom, "
    "en het advies van het beoordelingskader op dat moment."
)
class DecisionSerializer(RationaleShown):
    """A decision as read; writes use ``DecisionRequestSerializer``. Its stored advice is cut to the facts
    the caller may see; the case comes from the context (``InCase``)."""

    log_kind = "decision"

    decided_by = serializers.CharField(source="decided_by.username", read_only=True)
    decided_by_organisation = serializers.CharField(source="decided_by_organisation.code", read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "kind",
            "from_tier",
            "to_tier",
            "from_status",
            "to_status",
            "closing_reason",
            "rationale",
            "rationale_category",
            "override_reason",
            "decided_by",
            "decided_by_role",
            "decided_by_organisation",
            "decided_on",
            "recommendation",
            "agrees_with_recommendation",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "rationale": {"help_text": "Onderbouwing; ontbreekt als u de categorie ervan niet mag lezen."},
            "rationale_category": {"help_text": RATIONALE_CATEGORY_HELP},
            "recommendation": {
                "help_text": "Het advies van het beoordelingskader op het moment van besluiten, met alleen de feiten die u "
                "volgens de deelmatrix mag zien."
            },
        }

    def to_representation(self, instance: models.Model) -> dict[str, Any]:
        data = super().to_representation(instance)
        visible = self.context.get("visible_facts", frozenset())  # deny by default: no viewer, no facts
        if data.get("recommendation"):
            advice = advice_shown(data["recommendation"], visible)
            data["recommendation"] = advice.as_dict()
            access_log.note(categories=advice.categories)
        return data


@extend_schema_serializer(
    description="Een besluit: een nieuw niveau (`to_tier`) óf een nieuwe status (`to_status`), met onderbouwing. "
    "`from_tier` is het niveau dat u zag; is het intussen veranderd, dan volgt 409."
)
class DecisionRequestSerializer(serializers.Serializer):
    from_tier = serializers.ChoiceField(choices=Tier.choices, help_text="Het niveau dat u zag toen u besloot.")
    to_tier = serializers.ChoiceField(choices=Tier.choices, required=False)
    to_status = serializers.ChoiceField(choices=CaseStatus.choices, required=False)
    closing_reason = serializers.ChoiceField(choices=ClosingReason.choices, required=False, default="")
    rationale = serializers.CharField(max_length=10_000, trim_whitespace=False)
    rationale_category = serializers.ChoiceField(
        choices=Category.choices, required=False, default=Category.PLAN, help_text=RATIONALE_CATEGORY_HELP
    )
    override_reason = serializers.CharField(max_length=10_000, required=False, default="", allow_blank=True)
    process_director = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True, role=Role.PROCESS_DIRECTOR),
        required=False,
        allow_null=True,
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("to_tier" in attrs) == ("to_status" in attrs):
            raise serializers.ValidationError({"detail": ["Geef een nieuw niveau (to_tier) óf een nieuwe status (to_status)."]})
        return attrs


@extend_schema_serializer(description="Het niveau is intussen gewijzigd: iemand anders besloot eerder.")
class DecisionConflictSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="De melding, in het Nederlands.")
    current_tier = serializers.ChoiceField(choices=Tier.choices, help_text="Het niveau dat de casus nu heeft.")


class Proposals(InCase):
    record_kind = "decision"  # plan as a whole (privacy.policy.RECORD_CATEGORIES)
    queryset = Proposal.objects.none()
    serializer_class = ProposalSerializer

    def get_queryset(self) -> QuerySet[Proposal]:
        return Proposal.objects.filter(case=self.case).select_related("proposed_by", "organisation")


@extend_schema_view(
    get=extend_schema(
        summary="Voorstellen van deze casus",
        description="Alle voorstellen om de casus op of af te schalen, nieuwste eerst. Wie de casus niet mag zien krijgt 404.",
        tags=["Besluiten"],
    ),
    post=extend_schema(
        summary="Een voorstel doen om de casus op of af te schalen",
        description="Voor de casusregisseur en partners in het casusteam. Een voorstel naar Top X (ZVHRU) brengt het "
        "Zorg- en Veiligheidshuis in het casusteam, zodat de procesregisseurs de casus zien en agenderen. "
        "400 voor een overgang die niet bestaat; 403 voor wie geen voorstel mag doen; 404 voor wie de casus niet mag zien.",
        tags=["Besluiten"],
    ),
)
class ProposalList(Proposals, generics.ListCreateAPIView):
    """Proposals to move the case; the case director and partners in the team propose."""

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        serializer.instance = proposal_create(
            actor=actor(self.request),
            case=self.case,
            to_tier=data["to_tier"],
            rationale=data["rationale"],
            rationale_category=data.get("rationale_category", Category.PLAN),
        )


class Decisions(InCase):
    record_kind = "decision"  # plan as a whole (privacy.policy.RECORD_CATEGORIES)
    queryset = Decision.objects.none()
    serializer_class = DecisionSerializer

    def get_queryset(self) -> QuerySet[Decision]:
        return Decision.objects.filter(case=self.case).select_related("decided_by", "decided_by_organisation")

    def get_serializer_context(self) -> dict[str, Any]:
        """The fact categories the caller sees, once per request, for the stored advice of each decision."""
        context = super().get_serializer_context()
        if getattr(self, "case", None) is not None and not getattr(self, "swagger_fake_view", False):
            context["visible_facts"] = fact_categories_visible_to(actor(self.request), self.case)
        return context


@extend_schema_view(
    get=extend_schema(
        summary="Besluiten over deze casus",
        description="Alle besluiten over niveau en status, nieuwste eerst, met het advies van dat moment. "
        "Wie de casus niet mag zien krijgt 404.",
        tags=["Besluiten"],
    )
)
class DecisionList(Decisions, generics.ListAPIView):
    """Decisions on the case, newest first; ``POST`` takes one."""

    @extend_schema(
        summary="Een besluit nemen (op- of afschalen, aannemen, afsluiten, heropenen)",
        description="Besluiten die Top X (ZVHRU) raken neemt een procesregisseur; de andere de casusregisseur van de "
        "casus. 400 voor een overgang die niet in de tabel staat, een ontbrekende onderbouwing of een ontbrekende reden "
        "om vóór de vroegste uitstroomdatum af te sluiten; 403 voor wie dit besluit niet mag nemen; 404 voor wie de "
        "casus niet mag zien; 409 als het niveau intussen is veranderd.",
        tags=["Besluiten"],
        request=DecisionRequestSerializer,
        responses={
            201: DecisionSerializer,
            409: OpenApiResponse(
                DecisionConflictSerializer, description="Het niveau is intussen gewijzigd: iemand anders besloot eerder."
            ),
        },
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = DecisionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            decision = decision_make(actor=actor(request), case=self.case, **body.validated_data)
        except DecisionConflict as conflict:
            return Response({"detail": str(conflict), "current_tier": conflict.current_tier}, status=status.HTTP_409_CONFLICT)
        return Response(DecisionSerializer(decision, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED)
