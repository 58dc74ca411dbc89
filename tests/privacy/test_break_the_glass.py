"""Break-the-glass (noodtoegang, issue #4): a case or process director outside a case's team takes
emergency read access with a written reason; it is marked in the access log, reviewed by the privacy
officer, read only, and ends when the grant expires."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import access, selectors
from privacy import grants
from privacy.models import AccessLogEntry, BreakTheGlassGrant, CaseUserObjectPermission, PrivacyReview, ReviewKind
from tests import factories as f

URL = "/privacy/noodtoegang/"
REASON = "Melding van acuut gevaar door de politie, regisseur onbereikbaar."


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def case_url(case) -> str:
    return reverse("case_detail", kwargs={"case_id": case.pk})


@pytest.fixture
def outsider_director(db):
    """A PGA-expert of Gemeente Utrecht, which is not in ``case``'s team."""
    return f.UserFactory(case_director=True)


@pytest.mark.django_db
def test_a_director_outside_the_team_takes_emergency_read_access(case, outsider_director):
    client = client_for(outsider_director)
    assert client.get(case_url(case)).status_code == 404

    response = client.post(URL, {"bsn": case.person.bsn, "reason": REASON})

    grant = BreakTheGlassGrant.objects.get(case=case, user=outsider_director)
    assert response.status_code == 302 and response["Location"] == case_url(case)
    assert grant.reason == REASON
    assert abs((grant.expires_at - grant.granted_at) - dt.timedelta(hours=24)) < dt.timedelta(seconds=1)
    review = PrivacyReview.objects.get(grant=grant)
    assert review.kind == ReviewKind.BREAK_THE_GLASS and review.outcome == "open"
    taking = AccessLogEntry.objects.filter(view="emergency_access").get()
    assert taking.break_the_glass and taking.purpose == f"noodtoegang: {grant.pk}"
    assert case.person.bsn not in str(taking.__dict__)  # the BSN is redacted, it was never in a URL

    page = client.get(case_url(case))
    assert page.status_code == 200
    assert "Noodtoegang." in page.content.decode() and "alleen-lezen" in page.content.decode()
    entry = AccessLogEntry.objects.filter(view="case_detail").latest("at")
    assert entry.break_the_glass and entry.purpose == f"noodtoegang: {grant.pk}" and str(case.pk) in entry.object_ids


@pytest.mark.django_db
def test_the_page_asks_for_bsn_or_case_id_and_reason_and_lists_running_grants(case, outsider_director):
    client = client_for(outsider_director)
    page = client.get(URL).content.decode()
    assert 'name="bsn"' in page and 'name="case_id"' in page and 'name="reason"' in page and 'method="post"' in page
    assert "Uw lopende noodtoegang" not in page

    grants.break_the_glass(actor=outsider_director, case=case, reason=REASON)
    page = client.get(URL).content.decode()
    assert "Uw lopende noodtoegang" in page and case_url(case) in page


@pytest.mark.django_db
def test_emergency_access_is_read_only(case, outsider_director):
    grants.break_the_glass(actor=outsider_director, case=case, reason=REASON)

    rel = access.relation(outsider_director, case)
    assert rel.break_the_glass and not rel.is_member
    assert access.allowed_acts(rel) == frozenset()
    response = client_for(outsider_director).post(
        reverse("journal_add", kwargs={"case_id": case.pk}), {"text": "Poging tot schrijven", "category": "plan"}
    )
    assert response.status_code == 403
    # Not even the proposal or decision form opens (a process director could otherwise decide ZVHRU moves).
    for name in ("proposal_add", "decision_add"):
        page = client_for(outsider_director).get(reverse(name, kwargs={"case_id": case.pk}))
        assert page.status_code == 403 and "noodtoegang" in page.content.decode(), name


@pytest.mark.django_db
def test_the_api_marks_emergency_reads_too(case, outsider_director):
    grant = grants.break_the_glass(actor=outsider_director, case=case, reason=REASON)
    response = client_for(outsider_director).get(f"/api/v1/cases/{case.pk}/")

    assert response.status_code == 200
    entry = AccessLogEntry.objects.latest("at")
    assert entry.break_the_glass and entry.purpose == f"noodtoegang: {grant.pk}"


@pytest.mark.django_db
def test_an_expired_grant_ends_access_at_once(case, outsider_director):
    grant = grants.break_the_glass(actor=outsider_director, case=case, reason=REASON)
    client = client_for(outsider_director)
    assert client.get(case_url(case)).status_code == 200

    # The clock passes the expiry: the guardian row is still there until the nightly job ...
    past = timezone.now() - dt.timedelta(minutes=1)
    BreakTheGlassGrant.objects.filter(pk=grant.pk).update(granted_at=past - dt.timedelta(hours=24), expires_at=past)
    assert CaseUserObjectPermission.objects.filter(content_object=case, user=outsider_director, grant=grant).exists()
    # ... but the EXISTS checks the grant's expiry, so access has ended already.
    assert client.get(case_url(case)).status_code == 404
    assert not selectors.cases_visible_to(outsider_director).filter(pk=case.pk).exists()

    grants.case_permissions_refresh()
    assert not CaseUserObjectPermission.objects.filter(content_object=case, user=outsider_director).exists()


@pytest.mark.django_db
def test_a_reason_of_at_least_twenty_characters_is_required(case, outsider_director):
    response = client_for(outsider_director).post(URL, {"case_id": str(case.pk), "reason": "Even kijken"})

    assert response.status_code == 200 and "minstens 20 tekens" in response.content.decode()
    assert not BreakTheGlassGrant.objects.exists()
    with pytest.raises(ValidationError):
        grants.break_the_glass(actor=outsider_director, case=case, reason="  kort  ")


@pytest.mark.django_db
def test_a_bsn_or_a_case_id_is_required_and_an_unknown_one_is_said(outsider_director):
    client = client_for(outsider_director)
    assert "Vul een BSN óf een casus-ID in." in client.post(URL, {"reason": REASON}).content.decode()
    unknown = client.post(URL, {"case_id": "5b7c56e4-1c3a-4a53-9d1b-2f2d0c1f9a11", "reason": REASON})
    assert "Er is geen casus gevonden" in unknown.content.decode()
    assert not BreakTheGlassGrant.objects.exists()


@pytest.mark.django_db
def test_a_process_director_may_use_it_by_case_id(case):
    director = f.UserFactory(process_director=True)
    response = client_for(director).post(URL, {"case_id": str(case.pk), "reason": REASON})

    assert response.status_code == 302
    assert selectors.cases_visible_to(director).filter(pk=case.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["politie", "jou", "administrator", "privacy_officer"])
def test_other_roles_get_404_and_cannot_break_the_glass(case, kind):
    user = f.UserFactory(**{kind: True})
    client = client_for(user)

    assert client.get(URL).status_code == 404
    assert client.post(URL, {"case_id": str(case.pk), "reason": REASON}).status_code == 404
    assert not BreakTheGlassGrant.objects.exists()
    assert AccessLogEntry.objects.filter(user=user, outcome="geweigerd").count() == 2
    with pytest.raises(PermissionDenied):
        grants.break_the_glass(actor=user, case=case, reason=REASON)


@pytest.mark.django_db
def test_a_director_who_already_sees_the_case_needs_no_grant(case, case_director):
    response = client_for(case_director).post(URL, {"case_id": str(case.pk), "reason": REASON})

    assert response.status_code == 302 and response["Location"] == case_url(case)
    assert not BreakTheGlassGrant.objects.exists()
    with pytest.raises(ValidationError):
        grants.break_the_glass(actor=case_director, case=case, reason=REASON)


@pytest.mark.django_db
def test_a_grant_does_not_fill_the_caseload_and_joining_the_team_replaces_it(case, case_director, outsider_director):
    grant = grants.break_the_glass(actor=outsider_director, case=case, reason=REASON)
    assert case.pk not in {c.pk for c in selectors.caseload(outsider_director)}

    from cases import services

    services.team_member_add(actor=case_director, case=case, user=outsider_director)
    row = CaseUserObjectPermission.objects.get(content_object=case, user=outsider_director)
    assert row.grant is None  # the team is now the reason: no longer marked as emergency access
    assert case.pk in {c.pk for c in selectors.caseload(outsider_director)}
    assert selectors.case_get(outsider_director, case.pk).break_the_glass_grant_id is None
    assert grant.pk


@pytest.mark.django_db
def test_the_person_page_of_an_emergency_case_is_marked_too(case, case_director, outsider_director):
    grant = grants.break_the_glass(actor=outsider_director, case=case, reason=REASON)
    selectors_person = selectors.person_get(outsider_director, case.person_id)
    assert selectors_person.break_the_glass_grant_id == grant.pk and not selectors_person.seen_regularly

    response = client_for(outsider_director).get(f"/api/v1/persons/{case.person_id}/")
    assert response.status_code == 200
    entry = AccessLogEntry.objects.latest("at")
    assert entry.break_the_glass and entry.purpose == f"noodtoegang: {grant.pk}"

    member = selectors.person_get(case_director, case.person_id)
    assert member.break_the_glass_grant_id is None and member.seen_regularly
