"""API rate limits, counted in the cache (Redis), and what happens when that cache is down (issue #5).

Two limits:

- ``ApiRateThrottle``: every API request of a signed-in user or partner application (its service
  user, so one budget per application) counts against ``settings.PGA_API_RATE`` ("600/min"). Above it
  the API answers 429 in Dutch with ``Retry-After``. It protects capacity, not privacy — which cases a
  caller sees is decided by the selectors, and every access is logged — so with the cache unreachable
  it steps aside and the request goes on: the API keeps answering while Redis is down, as issue #5
  requires (tests/pga/test_redis_down.py).
- ``FailClosedScopedRateThrottle``: the hit/no-hit check and the aanmelding (scope ``hit_check``). That
  limit is a privacy limit (it stops sweeping the register), so it must not be skipped: with the cache
  unreachable the request is refused with 503 and a Dutch message, and the web app stays up.

DRF's throttles would let the cache's exception end the request in a 500; both catch it.
"""

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from redis.exceptions import RedisError
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

if TYPE_CHECKING:  # DRF imports this module while it defines APIView (DEFAULT_THROTTLE_CLASSES)
    from rest_framework.views import APIView

logger = logging.getLogger(__name__)


class CounterUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "De teller voor het maximum aantal verzoeken is tijdelijk niet bereikbaar. Probeer het later opnieuw."
    default_code = "counter_unavailable"


class FailClosedScopedRateThrottle(ScopedRateThrottle):
    """``ScopedRateThrottle`` that answers 503 (``CounterUnavailable``) instead of a 500 when the cache
    cannot be reached (redis-py's ``RedisError``, or a socket ``OSError``)."""

    def allow_request(self, request: Request, view: "APIView") -> bool:
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError) as error:
            logger.warning("Rate-limit counter unreachable (%s); request refused", type(error).__name__)
            raise CounterUnavailable from None


class ApiRateThrottle(SimpleRateThrottle):
    """At most ``settings.PGA_API_RATE`` API requests per signed-in user or application (a DRF rate,
    "600/min"; read per request, so a changed setting applies at once). Anonymous requests are not
    counted: they get 401/403 before throttles run.

    Over the rate it raises ``TooManyRequests`` itself (429, Dutch, ``Retry-After`` in whole seconds)
    rather than returning ``False``: views that override ``throttled()`` for their own limit
    (``TooManyChecks``, ``TooManyRegistrations``) would otherwise name the wrong limit. With the cache
    unreachable it lets the request through and logs a warning without the caller (module docstring).
    """

    scope = "api"

    def get_rate(self) -> str:
        return str(settings.PGA_API_RATE)

    def get_cache_key(self, request: Request, view: "APIView") -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}

    def allow_request(self, request: Request, view: "APIView") -> bool:
        try:
            allowed = super().allow_request(request, view)
        except (RedisError, OSError) as error:
            logger.warning("API rate-limit counter unreachable (%s); request let through", type(error).__name__)
            return True
        if not allowed:
            from .exceptions import TooManyRequests  # imports rest_framework.views, which imports this module

            raise TooManyRequests(self.wait())
        return True
