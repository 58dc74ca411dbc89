"""API v1 views of the privacy app: the hit/no-hit check (issue #4, DOMAIN.md §8).

``POST /api/v1/persons/check/`` answers only whether a person is in an approach and whom to contact
(``privacy.hits.hit_check``). Only users and applications of registering organisations may ask
(``cases.access.may_register``; others get 403, and the refusal is logged as a denied check); each
caller may ask ``settings.PGA_HIT_CHECK_RATE`` times (DRF ``ScopedRateThrottle``, scope
``hit_check``, counted in the cache), so the check cannot be used to sweep the register. Every check
writes one access-log row with action ``controle``.
"""

from typing import Any, NoReturn

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import views
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from cases.access import may_register
from cases.api.base import actor, op
from pga.api.exceptions import TooManyRequests
from pga.api.schema import ErrorSerializer
from pga.api.throttling import FailClosedScopedRateThrottle

from .. import access_log, hits
from ..models import AccessAction
from . import serializers as s


class TooManyChecks(TooManyRequests):
    default_detail = "Te veel controles achter elkaar."


class MayRegister(BasePermission):
    """Only users (and partner applications) of registering organisations (DOMAIN.md §5.7)."""

    message = hits.NOT_REGISTERING

    def has_permission(self, request: Request, view: Any) -> bool:
        return may_register(actor(request))


def _rate_in_words() -> str:
    """``settings.PGA_HIT_CHECK_RATE`` for the docs: ``30/min`` → ``30 keer per minuut``."""
    number, _, period = settings.PGA_HIT_CHECK_RATE.partition("/")
    unit = {"s": "seconde", "m": "minuut", "h": "uur", "d": "dag"}.get(period[:1], period)
    return f"{number} keer per {unit}"


@extend_schema(tags=["Hit/no-hit"])
class HitCheck(views.APIView):
    """Is this person already in an approach, and whom to contact? Nothing else (``privacy.hits``)."""

    permission_classes = [*views.APIView.permission_classes, MayRegister]
    required_scope = "read"  # a question, not a change: a read-scoped token may ask it
    throttle_classes = [*views.APIView.throttle_classes, FailClosedScopedRateThrottle]
    throttle_scope = "hit_check"

    @op(
        "Controleren of een persoon bekend is (hit/no-hit)",
        "Zegt alleen of een persoon al in een lopende aanpak bekend is en, zo ja, wie u kunt benaderen: per lopende casus "
        "de organisatie van de casusregisseur (of de aanmeldende organisatie zolang er geen casusregisseur is). Het "
        "antwoord bevat nooit een naam, BSN, UUID, niveau of ander gegeven van de persoon, en zegt niets over afgesloten "
        "casussen.\n\n"
        "Vraag met een `bsn`, of met `given_names`, `surname` en `date_of_birth`. Het BSN staat in de body, nooit in de "
        "URL. Alleen voor medewerkers en koppelingen van organisaties die mogen aanmelden; anderen krijgen 403. Elke "
        "controle komt in het toegangslog, met de personen die ermee gevonden werden; de privacyfunctionaris ziet dus "
        f"wie naar wie vroeg. U mag maximaal {_rate_in_words()} controleren; daarboven krijgt "
        "u 429 met in de header `Retry-After` na hoeveel seconden u het weer kunt proberen.",
        request=s.HitCheckSerializer,
        responses={
            200: s.HitSerializer,
            403: OpenApiResponse(
                ErrorSerializer,
                description="Geen toestemming: uw organisatie mag niemand aanmelden en dus niet controleren, of het token "
                "mist scope `read`.",
            ),
            429: OpenApiResponse(
                ErrorSerializer,
                description="Te veel controles: probeer het opnieuw na het aantal seconden in de header `Retry-After`.",
            ),
        },
        examples=[
            OpenApiExample("Op BSN", value={"bsn": "123456782"}, request_only=True),
            OpenApiExample(
                "Op naam en geboortedatum",
                value={"given_names": "Jan", "surname": "de Vries", "date_of_birth": "2005-03-14"},
                request_only=True,
            ),
            OpenApiExample("Niet bekend", value={"known": False}, response_only=True),
            OpenApiExample(
                "Bekend",
                value={"known": True, "contacts": [{"organisation": "Gemeente Utrecht", "role": "casusregisseur"}]},
                response_only=True,
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        question = s.HitCheckSerializer(data=request.data)
        question.is_valid(raise_exception=True)
        hit = hits.hit_check(actor(request), **question.validated_data)
        return Response(hit.as_dict())

    def permission_denied(self, request: Request, message: str | None = None, code: str | None = None) -> NoReturn:
        """A refused check is logged as a denied check (issue #4: denied attempts are logged)."""
        if request.user and request.user.is_authenticated:
            access_log.note_denied("person")
            access_log.note(action=AccessAction.CHECK, purpose="hit/no-hit-controle")
        super().permission_denied(request, message=message, code=code)

    def throttled(self, request: Request, wait: float | None) -> NoReturn:
        raise TooManyChecks(wait)
