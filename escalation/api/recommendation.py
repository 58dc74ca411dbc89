"""API for the recommendation of one case: ``GET /api/v1/cases/{case_id}/recommendation/``.

The case is resolved through ``cases.selectors.case_get`` (``InCase``): outsiders get 404. The
answer is the advice as the caller may see it, cut by ``escalation.disclosure.advice_shown`` — the same
function that cuts it for the case page (DOMAIN.md §8, issue #4): facts of categories the caller does
not read are absent (a fact over the assessment is split into the scores of the categories they do
read), and so is ``met`` of a criterion judged on any hidden fact, and ``exit_review`` with the exit
criterion's verdict. The categories shown are noted in the access log. Reading it changes nothing:
the engine only recommends.
"""

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api.base import InCase, actor
from cases.models import Case, Tier
from privacy import access_log

from ..criteria import LABELS
from ..selectors import advice_for_viewer


@extend_schema_serializer(description="Eén criterium van het beoordelingskader, met de feiten waarop het is beoordeeld.")
class CriterionSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=list(LABELS.items()),
        help_text="`top_x` (Top X → ZVHRU), `doorgroeier` (→ lokale PGA), `zvh_complex` en `crimineel_systeem` "
        "(door de regisseurs te beoordelen) of `exit` (uitstroom).",
    )
    met = serializers.BooleanField(
        allow_null=True,
        required=False,
        help_text="Of het criterium geldt; `null` bij een criterium dat de regisseurs zelf beoordelen. Ontbreekt als het "
        "criterium ook is beoordeeld op feiten die u volgens de deelmatrix niet mag zien.",
    )
    facts = serializers.ListField(
        child=serializers.CharField(),
        help_text="De feiten als leesbare zinnen, zoals `3 delicten in 24 maanden (minimaal 3): 2026-05-01 Opiumwet 10 "
        "lid 3, …`. Feiten die u niet mag zien, staan er niet in; van de beoordeling van de leefgebieden ziet u dan "
        "alleen de scores uit de categorieën die u mag lezen, zoals `zorg 2: op 1–2 (beoordeling 2026-06-05)`.",
    )


@extend_schema_serializer(description="Het advies van het beoordelingskader voor één casus. Het advies verandert niets.")
class RecommendationSerializer(serializers.Serializer):
    recommended_tier = serializers.ChoiceField(
        choices=Tier.choices,
        required=False,
        help_text="Het geadviseerde niveau: het hoogste niveau waarvan het criterium geldt, anders `basisinzet`. "
        "Voor iedereen die de categorie `plan` mag lezen, ook als de feiten waarop het berust verborgen zijn.",
    )
    current_tier = serializers.ChoiceField(
        choices=Tier.choices, required=False, help_text="Het huidige niveau van de casus (categorie `plan`)."
    )
    exit_review = serializers.BooleanField(
        required=False,
        help_text="Waar als de casus aan een uitstroombespreking toe is. Staat los van het geadviseerde niveau. "
        "Ontbreekt als het uitstroomcriterium is beoordeeld op feiten die u niet mag zien.",
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
        "Feiten uit categorieën die de deelmatrix niet met uw organisatie deelt, staan er niet in; een criterium dat "
        "ook op zulke feiten is beoordeeld, heeft dan geen `met`. Voor iedereen die de casus mag zien; wie dat niet mag, "
        "krijgt 404.",
        responses={200: RecommendationSerializer},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        advice = advice_for_viewer(self.case, actor(request))  # cut as on the case page (escalation.disclosure)
        access_log.note("recommendation", [self.case.pk], persons=[self.case.person_id], categories=advice.categories)
        return Response(advice.as_dict())  # already JSON-ready; the serializer documents it (an absent key stays absent)
