"""The general API rate limit (``PGA_API_RATE``, pga/api/throttling.py ``ApiRateThrottle``): every API
request of a signed-in user or partner application counts; over the rate a Dutch 429 with
``Retry-After``; with its counter (Redis) unreachable the API keeps answering (issue #5)."""

import logging
from types import SimpleNamespace

import pytest
from django.test import override_settings
from django.urls import URLPattern, URLResolver
from rest_framework.test import APIClient

from partners.services import partner_application_create
from pga.api import urls as api_urls
from pga.api.throttling import ApiRateThrottle
from tests import factories as f

from .conftest import API, PartnerApp, client_for

DEAD_REDIS = "redis://127.0.0.1:6390/1"  # nothing listens here (as tests/pga/test_redis_down.py)


@pytest.mark.parametrize("principal", ["application", "session"])
def test_requests_over_the_rate_get_429_in_dutch_with_retry_after(settings, world, politie_app, principal):
    settings.PGA_API_RATE = "3/min"
    client = politie_app.client("read") if principal == "application" else client_for(world.users["politie"])
    detail = world.url()

    answers = [client.get(detail).status_code for _ in range(3)]
    refused = client.get(detail)

    assert answers == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("Te veel verzoeken achter elkaar. Probeer het over ")
    assert 0 < int(refused["Retry-After"]) <= 60


def test_each_application_has_a_budget_of_its_own(settings, world, politie_app):
    settings.PGA_API_RATE = "2/min"
    client = politie_app.client("read")
    for _ in range(2):
        client.get(world.url())
    assert client.get(world.url()).status_code == 429

    assert client_for(world.users["politie"]).get(world.url()).status_code == 200  # a person of the same organisation
    application, secret = partner_application_create(organisation=f.organisation("politie-midden-nederland"), name="Tweede")
    assert PartnerApp(application.client_id, secret, application.user).client("read").get(world.url()).status_code == 200


def test_anonymous_requests_are_refused_not_counted(settings, world):
    settings.PGA_API_RATE = "1/min"
    anonymous = APIClient()

    assert [anonymous.get(world.url()).status_code for _ in range(3)] == [401, 401, 401]


def test_the_limit_steps_aside_while_its_counter_is_unreachable(world, politie_app, caplog):
    client = politie_app.client("read")  # the token is issued while the cache is still up
    dead_cache = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DEAD_REDIS}}

    with override_settings(CACHES=dead_cache), caplog.at_level(logging.WARNING, logger="pga.api.throttling"):
        response = client.get(world.url())

    assert response.status_code == 200
    assert "API rate-limit counter unreachable" in caplog.text
    assert str(world.case.pk) not in caplog.text and politie_app.client_id not in caplog.text


# --- Every API view counts -----------------------------------------------------------------------


def _api_views(patterns=api_urls.urlpatterns, prefix: str = "") -> list[tuple[str, type]]:
    """(route, DRF view class) of every API route."""
    views = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            views += _api_views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "cls"):
            views.append((prefix + str(pattern.pattern), pattern.callback.cls))
    return views


# Views that set their own throttles and leave the general one out; their owners add
# ``*api_settings.DEFAULT_THROTTLE_CLASSES`` (reported with issue #6 S4). Strict: fixed → remove here.
NOT_YET_COUNTED: set[tuple[str, str]] = set()

ROUTES = [
    pytest.param(
        route,
        view,
        method,
        id=f"{method} {route}",
        marks=[pytest.mark.xfail(strict=True, reason="view overrides its throttles")]
        if (route, method) in NOT_YET_COUNTED
        else [],
    )
    for route, view in _api_views()
    for method in ("GET", "POST", "PATCH", "PUT", "DELETE")
    if hasattr(view, method.lower())
]


@pytest.mark.parametrize(("route", "view", "method"), ROUTES)
def test_every_api_view_counts_against_the_general_rate(route, view, method):
    instance = view()
    instance.request = SimpleNamespace(method=method)  # views that choose their throttles by method read this

    assert any(isinstance(throttle, ApiRateThrottle) for throttle in instance.get_throttles()), f"{method} {API}/{route}"
