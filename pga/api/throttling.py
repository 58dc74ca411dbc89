"""API rate limits that fail closed, and clearly, when their counter store (Redis) is down (issue #5).

DRF's throttles count in the cache. With Redis unreachable the cache raises and the request would end
in a 500. The hit/no-hit check is a privacy limit (it stops sweeping the register), so it must not be
skipped either: the request is refused with 503 and a Dutch message, and the web app stays up.
"""

import logging

from redis.exceptions import RedisError
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

logger = logging.getLogger(__name__)


class CounterUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "De teller voor het maximum aantal verzoeken is tijdelijk niet bereikbaar. Probeer het later opnieuw."
    default_code = "counter_unavailable"


class FailClosedScopedRateThrottle(ScopedRateThrottle):
    """``ScopedRateThrottle`` that answers 503 (``CounterUnavailable``) instead of a 500 when the cache
    cannot be reached (redis-py's ``RedisError``, or a socket ``OSError``)."""

    def allow_request(self, request: Request, view: APIView) -> bool:
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError) as error:
            logger.warning("Rate-limit counter unreachable (%s); request refused", type(error).__name__)
            raise CounterUnavailable from None
