"""No personal data in application logs (issue #4; BIO 12.4, AVG art. 5(1)(c) data minimisation).

The autouse fixture ``no_personal_data_in_logs`` (tests/conftest.py) captures every log record of
every test — the root logger, so ``django.request``, Celery and the app's own loggers — and fails the
test when the surname, given names or BSN of a person saved during it appears in them. These tests
check that the watch itself works, and drive the paths that do log (client errors, the access-log
failure, Celery tasks) with names and BSNs in play.
"""

import logging
import re
import runpy

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from privacy import tasks
from tests import factories as f


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def person(db):
    return f.PersonFactory(given_names="Xandro Jurriaan", surname="Loglekheim", bsn="111222333")


def test_the_watch_finds_a_name_or_bsn_in_any_log(no_personal_data_in_logs, person):
    watch = no_personal_data_in_logs
    logging.getLogger("pga.somewhere").warning("Aanmelding mislukt voor %s", person.surname)
    logging.getLogger("celery.app.trace").info("Task x[1] succeeded: %r", {"bsn": person.bsn})
    try:
        raise ValueError(f"onverwacht: {person.given_names}")
    except ValueError:
        logging.getLogger("django.request").error("Internal Server Error: /x/", exc_info=True)

    assert watch.leaks() == sorted([person.surname, person.bsn, person.given_names])
    watch.texts.clear()  # the leak was planted; let this test pass


def test_the_watch_ignores_short_names_and_parts_of_words(no_personal_data_in_logs, db):
    watch = no_personal_data_in_logs
    f.PersonFactory(given_names="Bo", surname="Ali", bsn=None)
    f.PersonFactory(given_names="Merel", surname="Berg")
    logging.getLogger("pga").warning("Bo Ali in Bergen: Merels fiets")

    assert watch.leaks() == []


def test_client_errors_log_paths_with_uuids_only(no_personal_data_in_logs, case, outsider, politie_user):
    watch = no_personal_data_in_logs
    person = case.person

    assert api(outsider).get(f"/api/v1/persons/{person.pk}/").status_code == 404
    new = {"bsn": person.bsn, "given_names": person.given_names, "surname": person.surname, "date_of_birth": "2001-01-01"}
    response = api(politie_user).post("/api/v1/cases/", {"person": new, "target_group": "doorgroeier"}, format="json")
    assert response.status_code == 400
    bad_name = {"surname": person.surname + "\x00"}
    assert api(politie_user).patch(f"/api/v1/persons/{person.pk}/", bad_name, format="json").status_code in (400, 403)
    outsider_client = APIClient()
    outsider_client.force_login(outsider)
    assert outsider_client.get(f"/casussen/{case.pk}/").status_code == 404

    logged = "\n".join(watch.texts)
    assert f"Not Found: /api/v1/persons/{person.pk}/" in logged  # the watch sees django.request
    assert "Bad Request: /api/v1/cases/" in logged


def test_the_hit_check_and_its_errors_log_no_names(no_personal_data_in_logs, case, politie_user):
    person = case.person
    client = api(politie_user)

    assert client.post("/api/v1/persons/check/", {"bsn": person.bsn}, format="json").json()["known"] is True
    body = {"given_names": person.given_names, "surname": person.surname, "date_of_birth": "nooit"}
    assert client.post("/api/v1/persons/check/", body, format="json").status_code == 400
    assert "Bad Request: /api/v1/persons/check/" in "\n".join(no_personal_data_in_logs.texts)


def test_the_access_log_failure_logs_no_names(no_personal_data_in_logs, case, politie_user):
    with connection.cursor() as cursor:  # rolled back with the test's transaction
        cursor.execute("ALTER TABLE privacy_accesslogentry RENAME TO privacy_accesslogentry_away")

    assert api(politie_user).get(f"/api/v1/cases/{case.pk}/").status_code == 503
    assert any("Toegangslog niet geschreven" in text for text in no_personal_data_in_logs.texts)


def test_celery_tasks_log_no_names(no_personal_data_in_logs, case, outsider):
    api(outsider).get(f"/api/v1/cases/{case.pk}/")  # a denied access for the review sweep

    tasks.review_sweep.delay()
    tasks.access_log_seal.delay()
    tasks.case_permissions_refresh.delay()

    # Celery logs each task with its result: the watch sees those records too.
    assert sum("celery.app.trace Task privacy." in text for text in no_personal_data_in_logs.texts) == 3


def test_runserver_request_lines_lose_their_query_string(no_personal_data_in_logs, person):
    """``django.server`` logs like ``WSGIRequestHandler.log_message``; the caseload's name filter is a GET."""
    logging.getLogger("django.server").info('"%s" %s %s', f"GET /?naam={person.surname}&wijk=overvecht HTTP/1.1", "200", "512")

    assert '"GET / HTTP/1.1" 200 512' in no_personal_data_in_logs.texts[-1]
    assert no_personal_data_in_logs.leaks() == []


def test_gunicorn_access_log_has_no_query_string_or_referrer():
    access_log_format = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))["access_log_format"]

    assert "%(U)s" in access_log_format  # the path without the query string
    for atom in ("%(r)s", "%(q)s", "%(f)s", "%({referer}i)s"):  # request line, query string, referrer
        assert atom not in access_log_format


def test_the_jobs_tasks_log_counts_only(no_personal_data_in_logs, case):
    """Celery logs each task's result at INFO ("Task jobs.run[…] succeeded in 0.1s: <result>"): the jobs
    return counts by name (``jobs.tasks``), never a person or a case; their arguments (a job name, a day, a
    run id) are not logged at all."""
    from jobs import tasks as job_tasks
    from jobs.models import JobName

    for name in JobName.values:
        job_tasks.run.delay(name)

    results = [text for text in no_personal_data_in_logs.texts if "celery.app.trace Task jobs.run[" in text]
    assert len(results) == len(JobName.values)
    for text in results:
        assert re.search(r"succeeded in [0-9.e-]+s: \{('[a-z_]+': \d+(, )?)*\}$", text), text
    assert str(case.pk) not in "\n".join(no_personal_data_in_logs.texts)
