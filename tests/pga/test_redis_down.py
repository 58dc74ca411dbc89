"""Redis down (issue #5 "Reliability"): the web app keeps working — no 500s. Redis is the Celery broker
and the store of the API's rate-limit counters; here both point at a port where nothing listens.
(The outbox that keeps background work meanwhile is tested in tests/jobs/test_celery.py.)"""

import json

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from tests import factories as f

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:6390/1"  # nothing listens here


@pytest.fixture
def redis_down(settings):
    from pga.celery import app

    dead_cache = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DEAD_REDIS}}
    previous = app.conf.broker_url
    app.conf.broker_url = DEAD_REDIS
    with override_settings(CACHES=dead_cache):
        yield
    app.conf.broker_url = previous


def test_the_hit_check_refuses_with_503_not_500_while_its_counter_is_unreachable(redis_down):
    politie = f.UserFactory(politie=True)
    client = APIClient()
    client.force_login(politie)
    response = client.post("/api/v1/persons/check/", data=json.dumps({"bsn": "111222333"}), content_type="application/json")
    assert response.status_code == 503
    assert response.json() == {
        "detail": "De teller voor het maximum aantal verzoeken is tijdelijk niet bereikbaar. Probeer het later opnieuw."
    }


def test_registering_through_the_api_refuses_with_503_not_500(redis_down):
    politie = f.UserFactory(politie=True)
    client = APIClient()
    client.force_login(politie)
    response = client.post("/api/v1/cases/", data=json.dumps({}), content_type="application/json")
    assert response.status_code == 503


def test_the_browser_pages_and_the_api_reads_keep_working(redis_down, case, case_director, client):
    client.force_login(case_director)
    assert client.get("/").status_code == 200
    assert client.get(f"/casussen/{case.pk}/").status_code == 200
    api = APIClient()
    api.force_login(case_director)
    assert api.get("/api/v1/cases/").status_code == 200
