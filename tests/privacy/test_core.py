"""The privacy core: the default sharing matrix, absent keys in the API, and one access-log row per request."""

import pytest
from django.db import connection
from rest_framework.test import APIClient

from privacy import policy
from privacy.categories import Access, Category
from privacy.models import AccessLogEntry, AccessLogSubject, Outcome
from privacy.pseudonyms import pseudonym
from tests import factories as f


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("politie", {"identificatie": 2, "justitieel": 3, "zorg": 1, "sociaal": 0, "plan": 3, "netwerk": 2}),
        ("altrecht", {"identificatie": 2, "justitieel": 1, "zorg": 3, "sociaal": 0, "plan": 3, "netwerk": 0}),
        ("jou", {"identificatie": 2, "justitieel": 0, "zorg": 0, "sociaal": 3, "plan": 3, "netwerk": 0}),
        ("case_director", {category.value: 3 for category in Category}),
        ("administrator", {category.value: 0 for category in Category}),
        ("privacy_officer", {category.value: 0 for category in Category}),
    ],
)
def test_default_matrix_follows_domain_md_section_8(kind, expected):
    user = f.UserFactory(**{kind: True})
    disclosure = policy.disclosure_for(user)
    assert {category.value: int(disclosure.level(category)) for category in Category} == expected


@pytest.mark.django_db
def test_an_organisation_cell_overrides_its_domain_cell():
    from privacy.models import SharingMatrix, SharingRule

    matrix = SharingMatrix.objects.get(status="actief")
    altrecht = f.organisation("altrecht")
    SharingRule.objects.create(
        matrix=matrix, organisation=altrecht, role="partner", category="sociaal", access=Access.LEZEN, legal_basis="Test."
    )
    assert policy.disclosure_for(f.UserFactory(altrecht=True)).level(Category.SOCIAAL) == Access.LEZEN
    assert policy.disclosure_for(f.UserFactory(role="partner", organisation=f.organisation("inforsa"))).level("sociaal") == 0


@pytest.mark.django_db
def test_case_api_omits_keys_outside_the_matrix(case, politie_user, case_director):
    altrecht = f.UserFactory(altrecht=True)
    f.TeamMemberFactory(case=case, organisation=altrecht.organisation, added_by=case_director)
    url = f"/api/v1/cases/{case.pk}/"

    politie = api(politie_user).get(url).json()
    assert {"last_offence_on", "earliest_exit_on", "in_detention", "care_involved"} <= politie.keys()
    assert politie["care_involved"] is True

    zorg = api(altrecht).get(url).json()
    assert "last_offence_on" in zorg
    assert not {"earliest_exit_on", "in_detention", "drug_network_indication"} & zorg.keys()

    person = api(politie_user).get(f"/api/v1/persons/{case.person_id}/").json()
    assert "lvb" not in person and person["surname"] == case.person.surname


@pytest.mark.django_db
def test_one_access_log_row_per_request_with_a_pseudonym(case, politie_user):
    api(politie_user).get(f"/api/v1/cases/{case.pk}/")

    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.organisation, entry.role) == (politie_user, politie_user.organisation, "partner")
    assert entry.outcome == Outcome.ALLOWED and entry.status_code == 200
    assert str(case.pk) in entry.object_ids and "justitieel" in entry.categories and "zorg" in entry.categories
    assert [s.pseudonym for s in AccessLogSubject.objects.filter(entry=entry)] == [pseudonym(case.person_id)]
    assert entry.request_id and entry.purpose == f"casus {case.pk}"


@pytest.mark.django_db
def test_an_outsider_gets_404_and_a_denied_row(case, outsider):
    response = api(outsider).get(f"/api/v1/cases/{case.pk}/")

    assert response.status_code == 404
    entry = AccessLogEntry.objects.get()
    assert entry.outcome == Outcome.DENIED and entry.object_ids == [str(case.pk)]
    assert case.person.surname not in response.content.decode()  # the outsider learns nothing …
    # … but the privacy officer's "who tried to see person X" finds the attempt.
    assert [s.pseudonym for s in AccessLogSubject.objects.filter(entry=entry)] == [pseudonym(case.person_id)]


@pytest.mark.django_db
def test_no_access_log_no_personal_data(case, politie_user):
    with connection.cursor() as cursor:  # rolled back with the test's transaction
        cursor.execute("ALTER TABLE privacy_accesslogentry RENAME TO privacy_accesslogentry_away")

    response = api(politie_user).get(f"/api/v1/cases/{case.pk}/")

    assert response.status_code == 503
    assert case.person.surname not in response.content.decode()
    assert "toegangslog" in response.json()["detail"]
