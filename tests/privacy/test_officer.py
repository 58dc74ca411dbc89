"""The privacy officer's pages: who saw person X, what did user U do, and the review queue (issue #4).

The log rows come from real requests where it matters (a director opening a case, an outsider
refused); rows for paging are inserted directly. The officer is signed in with ``force_login``, which
counts as having passed the second factor (tests/conftest.py); the factor itself: test_2fa.py."""

import datetime as dt
import uuid

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from privacy import services
from privacy.models import (
    AccessLogEntry,
    AccessLogSubject,
    BreakTheGlassGrant,
    Outcome,
    PrivacyReview,
    ReviewKind,
    ReviewOutcome,
)
from privacy.pseudonyms import pseudonym
from privacy.tasks import review_sweep
from privacy.views.officer import PAGE_SIZE, person_log, user_log
from tests import factories as f

pytestmark = pytest.mark.django_db

PERSON_PAGE = "/privacy/toezicht/persoon/"
USER_PAGE = "/privacy/toezicht/gebruiker/"
REVIEWS = "/privacy/toezicht/beoordelingen/"
PAGES = ["/privacy/toezicht/", PERSON_PAGE, USER_PAGE, REVIEWS]


@pytest.fixture
def officer(client):
    user = f.UserFactory(privacy_officer=True, username="privacy")
    client.force_login(user)
    return user


def log_rows(subject_id, n: int, *, user=None, start: dt.datetime | None = None) -> list[AccessLogEntry]:
    start = start or timezone.now() - dt.timedelta(days=1)
    rows = []
    for i in range(n):
        row = AccessLogEntry.objects.create(
            at=start + dt.timedelta(minutes=i), user=user, action="lezen", object_type="case", purpose=f"casus {i}"
        )
        if subject_id:
            AccessLogSubject.objects.create(entry=row, pseudonym=pseudonym(subject_id))
        rows.append(row)
    return rows


@pytest.mark.parametrize("kind", ["case_director", "administrator", "politie", "process_director"])
def test_everyone_but_the_privacy_officer_gets_404(client, kind):
    client.force_login(f.UserFactory(**{kind: True}))
    for url in PAGES:
        assert client.get(url).status_code == 404, url
    assert client.post(PERSON_PAGE, {"person_id": str(uuid.uuid4())}).status_code == 404


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(PERSON_PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")


def test_who_saw_person_x_by_bsn(client, case, case_director, officer):
    journal = f.JournalEntryFactory(case=case, author=case_director, text="Geheime notitie over de aanpak.")
    director = client_for(case_director)
    assert director.get(f"/casussen/{case.pk}/").status_code == 200

    response = client.post(PERSON_PAGE, {"bsn": case.person.bsn})

    body = response.content.decode()
    assert response.status_code == 200
    assert escape(case.person.full_name) in body  # only as confirmation of whom was found
    assert case_director.username in body and "Gemeente Utrecht" in body and "PGA-expert (casusregisseur)" in body
    assert journal.text not in body and str(case.person.date_of_birth.year) not in body.split("Logregels")[-1]
    assert f"casus {case.pk}" in body
    # The officer's own look-up is logged, with the person's pseudonym and without the BSN.
    mine = AccessLogEntry.objects.filter(user=officer).get()
    assert mine.action == "zoeken" and mine.query == "bsn=[1 woord]" and mine.categories == ["identificatie"]
    assert list(AccessLogSubject.objects.filter(entry=mine).values_list("pseudonym", flat=True)) == [pseudonym(case.person_id)]


def client_for(user):
    from django.test import Client

    other = Client()
    other.force_login(user)
    return other


def test_a_bsn_is_never_in_a_url(client, officer):
    response = client.get(PERSON_PAGE)
    assert 'method="post"' in response.content.decode()
    assert client.get(PERSON_PAGE, {"bsn": "111222333"}).content.decode().count("111222333") == 0


def test_unknown_bsn_says_so(client, officer):
    response = client.post(PERSON_PAGE, {"bsn": "111222333"})
    assert response.status_code == 200
    assert "Er is geen persoon met dit BSN" in response.content.decode()


def test_an_erased_person_is_found_by_uuid_and_pages_follow(client, officer):
    gone = uuid.uuid4()  # no Person row any more; the pseudonym does not need one
    rows = log_rows(gone, PAGE_SIZE + 5)
    log_rows(uuid.uuid4(), 3)  # someone else

    first = client.post(PERSON_PAGE, {"person_id": str(gone)})
    body = first.content.decode()
    assert "Er is (niet meer) een persoon" in body
    assert first.context["more"] is True and len(first.context["rows"]) == PAGE_SIZE
    assert [row.pk for row in first.context["rows"]] == [row.pk for row in reversed(rows)][:PAGE_SIZE]
    assert f'name="after" value="{first.context["next_after"]}"' in body

    second = client.post(PERSON_PAGE, {"person_id": str(gone), "after": first.context["next_after"]})
    assert [row.pk for row in second.context["rows"]] == [row.pk for row in reversed(rows[:5])]
    assert second.context["more"] is False


def test_person_log_date_filter(client, officer):
    subject = uuid.uuid4()
    old = log_rows(subject, 2, start=timezone.now() - dt.timedelta(days=40))
    recent = log_rows(subject, 2)
    today = timezone.localdate()
    response = client.post(
        PERSON_PAGE,
        {"person_id": str(subject), "date_from": (today - dt.timedelta(days=7)).isoformat(), "date_until": today.isoformat()},
    )
    assert {row.pk for row in response.context["rows"]} == {row.pk for row in recent}
    assert not {row.pk for row in old} & {row.pk for row in response.context["rows"]}


def test_what_did_user_u_access(client, officer, case, politie_user):
    politie = client_for(politie_user)
    politie.get(f"/casussen/{case.pk}/")
    rows = log_rows(None, PAGE_SIZE + 2, user=politie_user, start=timezone.now() - dt.timedelta(days=2))
    today = timezone.localdate()

    first = client.get(USER_PAGE, {"username": politie_user.username, "date_from": (today - dt.timedelta(days=3)).isoformat()})
    assert first.status_code == 200
    shown = first.context["rows"]
    assert len(shown) == PAGE_SIZE and first.context["more"]
    assert shown[0].view and shown[0].at >= shown[-1].at  # the real request first (newest)
    assert "Politie Midden-Nederland" in first.content.decode()

    second = client.get(
        USER_PAGE,
        {
            "username": politie_user.username,
            "date_from": (today - dt.timedelta(days=3)).isoformat(),
            "after": first.context["next_after"],
        },
    )
    seen = {row.pk for row in shown} | {row.pk for row in second.context["rows"]}
    assert len(seen) == PAGE_SIZE + 3 and {row.pk for row in rows} <= seen
    assert second.context["more"] is False

    unknown = client.get(USER_PAGE, {"username": "bestaat-niet"})
    assert "Er is geen gebruiker met deze gebruikersnaam" in unknown.content.decode()


def test_log_queries_use_the_indexes_and_never_count(officer):
    subject = uuid.uuid4()
    log_rows(subject, 3, user=officer)
    with CaptureQueriesContext(connection) as queries:
        person_log(pseudonym(subject))
        user_log(officer)
    assert len(queries) == 2 and not any("COUNT(" in query["sql"].upper() for query in queries)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the table is tiny; ask which index the query can use
        for query, index in zip(queries.captured_queries, ["accesslog_subject_pseudonym", "accesslog_user_at"], strict=True):
            cursor.execute(f"EXPLAIN {query['sql']}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert index in plan, plan


def test_denied_attempts_become_reviews_and_are_judged(client, officer, case, outsider):
    assert client_for(outsider).get(f"/casussen/{case.pk}/").status_code == 404
    denied = AccessLogEntry.objects.get(outcome=Outcome.DENIED)

    assert review_sweep.delay().get() == 1
    assert review_sweep.delay().get() == 0  # idempotent
    review = PrivacyReview.objects.get()
    assert (review.kind, review.entry, review.outcome) == (ReviewKind.DENIED, denied, ReviewOutcome.OPEN)

    queue = client.get(REVIEWS)
    body = queue.content.decode()
    assert queue.status_code == 200 and outsider.username in body and "Geweigerde toegang" in body

    url = f"{REVIEWS}{review.pk}/"
    refused = client.post(url, {f"{review.pk}-outcome": "niet_gerechtvaardigd", f"{review.pk}-note": ""}, follow=True)
    assert "Licht toe waarom" in refused.content.decode()
    review.refresh_from_db()
    assert review.outcome == ReviewOutcome.OPEN

    done = client.post(url, {f"{review.pk}-outcome": "niet_gerechtvaardigd", f"{review.pk}-note": "Geen reden om te kijken."})
    assert done.status_code == 302
    review.refresh_from_db()
    assert (review.outcome, review.note, review.reviewed_by) == (ReviewOutcome.NOT_JUSTIFIED, "Geen reden om te kijken.", officer)
    audit = LogEntry.objects.get_for_object(review).filter(action=LogEntry.Action.UPDATE).get()
    assert audit.actor == officer
    assert outsider.username not in client.get(REVIEWS).content.decode()
    assert outsider.username in client.get(REVIEWS, {"status": "beoordeeld"}).content.decode()


def test_the_queue_is_current_without_a_beat(client, officer, case, outsider):
    """The demo runs no beat: opening the queue sweeps the new denials in first."""
    assert client_for(outsider).get(f"/casussen/{case.pk}/").status_code == 404

    body = client.get(REVIEWS).content.decode()

    assert PrivacyReview.objects.filter(kind=ReviewKind.DENIED).count() == 1
    assert outsider.username in body and "Geweigerde toegang" in body


def test_a_new_denial_after_a_sweep_is_picked_up(officer):
    first = AccessLogEntry.objects.create(at=timezone.now() - dt.timedelta(minutes=5), action="lezen", outcome=Outcome.DENIED)
    assert services.review_sweep_denied() == 1
    AccessLogEntry.objects.create(at=timezone.now(), action="lezen", outcome=Outcome.ALLOWED)
    second = AccessLogEntry.objects.create(at=timezone.now(), action="lezen", outcome=Outcome.DENIED)
    assert services.review_sweep_denied() == 1
    assert set(PrivacyReview.objects.values_list("entry", flat=True)) == {first.pk, second.pk}


def test_break_the_glass_review_shows_the_reason(client, officer, case):
    director = f.UserFactory(case_director=True)
    now = timezone.now()
    grant = BreakTheGlassGrant.objects.create(
        case=case,
        user=director,
        reason="Acuut gevaar gemeld door de wijkagent.",
        granted_at=now,
        expires_at=now + dt.timedelta(hours=24),
    )
    review = PrivacyReview.objects.create(kind=ReviewKind.BREAK_THE_GLASS, grant=grant, created_at=now)
    body = client.get(REVIEWS).content.decode()
    assert "Noodtoegang" in body and "Acuut gevaar gemeld door de wijkagent." in body and director.username in body

    client.post(f"{REVIEWS}{review.pk}/", {f"{review.pk}-outcome": "gerechtvaardigd", f"{review.pk}-note": ""})
    review.refresh_from_db()
    assert review.outcome == ReviewOutcome.JUSTIFIED and review.reviewed_at is not None


def test_only_the_privacy_officer_may_judge(officer):
    review = PrivacyReview.objects.create(kind=ReviewKind.DENIED, created_at=timezone.now())
    with pytest.raises(PermissionDenied):
        services.review_record(actor=f.UserFactory(administrator=True), review=review, outcome="gerechtvaardigd", note="")


def test_privacy_officer_starts_on_the_oversight_page_with_a_navigation_link(client, officer):
    """A privacy officer has no caseload: the start page sends them to the oversight page."""
    start = client.get("/")
    assert start.status_code == 302 and start["Location"] == "/privacy/toezicht/"
    body = client.get("/privacy/toezicht/").content.decode()
    assert 'href="/privacy/toezicht/"' in body and "Mijn caseload" not in body
