"""The queries of the hot read paths are counted, so they cannot silently grow (issue #6, S1–S3).

The case page, the case API detail and the denied path (404 and its access-log row) each take a fixed
number of queries, however long the case's history; the caseload page and the API list take as many
for 3 cases as for 30. Speed itself is measured by hand (docs/performance.md), never asserted here.

Every request runs in one transaction with its access-log row (``privacy.access_log``); inside a test
that transaction is a savepoint, so each count includes ``SAVEPOINT`` and ``RELEASE SAVEPOINT``.
"""

import base64
import datetime as dt
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import Case
from partners.models import User
from partners.services import partner_application_create
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def queries_of(client, url: str, status: int = 200, **extra) -> int:
    """The number of queries ``GET url`` runs (the SQL is shown when the status is not ``status``)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    sql = "\n".join(query["sql"][:160] for query in captured.captured_queries)
    assert response.status_code == status, sql
    return len(captured)


def history(case: Case, size: int) -> None:
    """``size`` of everything the case page shows: offences, detentions, journal entries (a category each
    reader may read), goals with two actions, assessments, team entries and recorded changes."""
    director = case.case_director
    for day in range(size):
        on = TODAY - dt.timedelta(days=30 + day)
        f.OffenceFactory(case=case, committed_on=on)
        f.DetentionFactory(case=case, started_on=on, released_on=on + dt.timedelta(days=2))
        f.JournalEntryFactory(case=case, author=director, occurred_on=on, category="plan")
        goal = f.GoalFactory(plan=case.plan, created_by=director)
        f.ActionFactory.create_batch(2, goal=goal, owning_organisation=f.organisation("politie-midden-nederland"))
        f.AssessmentFactory(case=case, assessed_on=on, assessed_by=director)
        f.TeamMemberFactory(case=case, organisation=f.organisation("jou"), added_by=director, starts_on=on, ends_on=on)


def signed_in(user: User) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def bearer_client(organisation_code: str) -> APIClient:
    """A client with a bearer token of a partner application of the organisation (OAuth2 client credentials)."""
    application, secret = partner_application_create(organisation=f.organisation(organisation_code), name="Koppeling")
    credentials = base64.b64encode(f"{application.client_id}:{secret}".encode()).decode()
    token = APIClient().post(
        "/oauth/token/",
        urlencode({"grant_type": "client_credentials", "scope": "read"}),
        content_type="application/x-www-form-urlencoded",
        HTTP_AUTHORIZATION=f"Basic {credentials}",
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}")
    return client


# --- The case page and the case API detail (S2) ----------------------------------------------------


@pytest.mark.parametrize("size", [1, 8])
def test_the_case_page_takes_a_fixed_number_of_queries(case, politie_user, size):
    """For the case director (31): savepoint; session, user, organisation; the case with its facts
    (``case_get``); the user's team entries (``access.relation``); the sharing matrix; detentions and
    assessments, read once for the timeline and their cards (``timeline.prefetch_shared``); the
    escalation panel — the snapshot's offences, assessments and families, the rule set, open proposals,
    recent decisions — and the review-flag panel (open and closed flags); the timeline's offences,
    journal, goals, actions, team and recorded changes; the team card; the plan's goals and their
    actions; the person's families; the unread-notification count; the access-log row and its subject;
    release. For a Politie partner (29): the same without the review-flag panel (the directors' signals).
    """
    history(case, size)
    url = reverse("case_detail", args=[case.pk])
    assert queries_of(signed_in(case.case_director), url) == 32
    assert queries_of(signed_in(politie_user), url) == 30


def test_the_case_api_detail_takes_a_fixed_number_of_queries(case):
    """Signed in (9): savepoint; session, user, organisation; the case with its facts; the sharing
    matrix; the access-log row and its subject; release — the serializer reads nothing more. With a
    bearer token (8): the token (with its application and user) instead of session and user."""
    history(case, 3)
    url = f"/api/v1/cases/{case.pk}/"
    assert queries_of(signed_in(case.case_director), url) == 10
    assert queries_of(bearer_client("politie-midden-nederland"), url) == 8


def test_the_denied_path_takes_a_fixed_number_of_queries(case, outsider):
    """A case the user may not see answers 404 and writes a denied access-log row. Page (11): savepoint;
    session, user, organisation, the second-factor device (django-otp, issue #7); the case (not found
    for this user); whom it is about (for the log);
    the unread-notification count of the 404 page's header; the log row and its subject; release. API
    (10): the same without the notification count; with a bearer token (8): the token instead of
    session and user."""
    page = queries_of(signed_in(outsider), reverse("case_detail", args=[case.pk]), status=404)
    api = queries_of(signed_in(outsider), f"/api/v1/cases/{case.pk}/", status=404)
    token = queries_of(bearer_client("jou"), f"/api/v1/cases/{case.pk}/", status=404)
    assert (page, api, token) == (11, 10, 8)


# --- The caseload (S1): as many queries for 3 cases as for 30 ---------------------------------------


def caseload_of(director: User, cases: int) -> None:
    for case in f.CaseFactory.create_batch(cases, lokale_pga=True, case_director=director):
        f.OffenceFactory(case=case)
        f.DetentionFactory(case=case)
        f.TeamMemberFactory(case=case, organisation=f.organisation("politie-midden-nederland"), added_by=director)


@pytest.mark.parametrize("cases", [3, 30])
def test_the_caseload_api_list_does_not_grow_with_the_page(cases):
    """Signed in (11): savepoint; session, user, organisation; the sharing matrix; count; the page; the
    facts of its rows (``selectors.case_facts_attach``); the access-log row and its subjects (one
    insert); release. With a bearer token (10): the token instead of session and user."""
    director = f.UserFactory(case_director=True)
    caseload_of(director, cases)
    url = "/api/v1/cases/?page_size=100"
    assert queries_of(signed_in(director), url) == 12
    assert queries_of(bearer_client("politie-midden-nederland"), url) == 10


@pytest.mark.parametrize("cases", [3, 30])
def test_the_caseload_page_does_not_grow_with_the_page(cases):
    """The caseload page for a director (17): the sixteen listed in ``tests/cases/test_views.py`` and the
    facts of the page's rows (``selectors.case_facts_attach``) — for 3 rows as for 30."""
    director = f.UserFactory(case_director=True)
    caseload_of(director, cases)
    assert queries_of(signed_in(director), reverse("caseload") + "?per_pagina=100") == 18
