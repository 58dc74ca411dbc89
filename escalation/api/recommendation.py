"""API for the recommendation of one case: ``GET /api/v1/cases/{case_id}/recommendation/``.

The case is resolved through ``cases.selectors.case_get`` (``InCase``): outsiders get 404. The
answer is ``Recommendation.as_dict()`` with the facts the caller may see (``escalation.selectors``).
Reading it changes nothing: the engine only recommends.
"""

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api.base import InCase, actor
from cases.models import Case, Tier

from ..criteria import LABELS
from ..selectors import recommendation_for


@extend_schema_serializer(description="Eén criterium van het beoordelingskader, met de feiten waarop het is beoordeeld.")
class CriterionSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=list(LABELS.items()),
        help_text="`top_x` (Top X → ZVHRU), `doorgroeier` (→ lokale PGA), `zvh_complex` en `crimineel_systeem` "
        "(door de regisseurs te beoordelen) of `exit` (uitstroom).",
    )
    met = serializers.BooleanField(
        allow_null=True,
        help_text="Of het criterium geldt; `null` bij een criterium dat de regisseurs zelf beoordelen.",
    )
    facts = serializers.ListField(
        child=serializers.CharField(),
        help_text="De feiten als leesbare zinnen, zoals `3 delicten in 24 maanden (minimaal 3): 2026-05-01 Opiumwet 10 "
        "lid 3, …`. Feiten die u niet mag zien, staan er niet in.",
    )


@extend_schema_serializer(description="Het advies van het beoordelingskader voor één casus. Het advies verandert niets.")
class RecommendationSerializer(serializers.Serializer):
    recommended_tier = serializers.ChoiceField(
        choices=Tier.choices,
        help_text="Het geadviseerde niveau: het hoogste niveau waarvan het criterium geldt, anders `basisinzet`.",
    )
    current_tier = serializers.ChoiceField(choices=Tier.choices, help_text="Het huidige niveau van de casus.")
    exit_review = serializers.BooleanField(
        help_text="Waar als de casus aan een uitstroombespreking toe is. Staat los van het geadviseerde niveau."
    )
    criteria = CriterionSerializer(many=True, help_text="Alle criteria, in vaste volgorde.")
    rule_set_version = serializers.IntegerField(help_text="Versie van het beoordelingskader waarmee is beoordeeld.")
    evaluated_at = serializers.DateTimeField(help_text="Moment van beoordelen (UTC).")


@extend_schema(tags=["Advies"])
class RecommendationView(InCase):
    queryset = Case.objects.none()
    serializer_class = RecommendationSerializer

    @extend_schema(
        summary="Advies opvragen",
        description="Het advies van het actieve beoordelingskader voor deze casus: welk niveau de criteria aanwijzen, "
        "of een uitstroombespreking aan de orde is, en per criterium of het geldt en op welke feiten. Het advies "
        "verandert het niveau niet; daarover besluiten de regisseurs. Hetzelfde advies staat op de casuspagina. "
        "Voor iedereen die de casus mag zien; wie dat niet mag, krijgt 404.",
        responses={200: RecommendationSerializer},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        recommendation = recommendation_for(self.case, viewer=actor(request))
        return Response(RecommendationSerializer(recommendation.as_dict()).data)
