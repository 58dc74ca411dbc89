"""Editing a person's identification data, linking a family with a justification, and the family page
that shows only the members the viewer may see."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from cases.models import Family, FamilyMembership
from privacy.models import AccessLogEntry
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def director_client(client, case):
    client.force_login(case.case_director)
    return client


def person_form(person, **overrides):
    data = {
        "bsn": person.bsn,
        "given_names": person.given_names,
        "surname_prefix": person.surname_prefix,
        "surname": person.surname,
        "date_of_birth": person.date_of_birth.isoformat(),
        "gender": person.gender,
        "wijk": person.wijk.code,
        "informed_on": person.informed_on.isoformat(),
        "not_informed_reason": "",
    }
    return {**data, **overrides}


def test_director_edits_the_person(director_client, case):
    response = director_client.post(reverse("person_edit", args=[case.pk]), person_form(case.person, wijk="zuid", lvb="on"))
    assert response.status_code == 302
    case.person.refresh_from_db()
    assert (case.person.wijk.code, case.person.lvb) == ("zuid", True)


@pytest.mark.parametrize("bsn", ["123456789", "000000000", "12345678"])
def test_invalid_bsn_on_edit_is_a_field_error_and_saves_nothing(director_client, case, bsn):
    before = case.person.bsn
    response = director_client.post(reverse("person_edit", args=[case.pk]), person_form(case.person, bsn=bsn, surname="Anders"))
    assert response.status_code == 200
    assert response.context["form"].errors["bsn"]
    case.person.refresh_from_db()
    assert case.person.bsn == before
    assert case.person.surname != "Anders"


def test_a_bsn_of_someone_else_is_refused(director_client, case):
    other = f.PersonFactory()
    response = director_client.post(reverse("person_edit", args=[case.pk]), person_form(case.person, bsn=other.bsn))
    assert response.status_code == 200
    assert "andere persoon" in " ".join(response.context["form"].errors["bsn"])


def test_partner_may_not_edit_the_person_and_outsider_gets_404(client, case, politie_user, outsider):
    client.force_login(politie_user)
    assert client.post(reverse("person_edit", args=[case.pk]), person_form(case.person)).status_code == 403
    client.force_login(outsider)
    assert client.get(reverse("person_edit", args=[case.pk])).status_code == 404
    assert client.get(reverse("family_add", args=[case.pk])).status_code == 404


def test_linking_a_family_needs_a_justification(director_client, case):
    url = reverse("family_add", args=[case.pk])
    response = director_client.post(url, {"family_name": "Familie Kaya", "role": "kind", "justification": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["justification"]
    assert not Family.objects.exists()
    response = director_client.post(url, {"family_name": "Familie Kaya", "role": "kind", "justification": "Broer van bekende"})
    assert response.status_code == 302
    membership = FamilyMembership.objects.get(person=case.person)
    assert (membership.family.name, membership.justification, membership.added_by) == (
        "Familie Kaya",
        "Broer van bekende",
        case.case_director,
    )


def test_only_visible_families_are_offered(director_client, case):
    hidden_case = f.CaseFactory(lokale_pga=True)
    hidden = Family.objects.create(name="Verborgen familie")
    FamilyMembership.objects.create(
        family=hidden, person=hidden_case.person, role="ouder", justification="x", added_by=hidden_case.case_director
    )
    response = director_client.get(reverse("family_add", args=[case.pk]))
    assert hidden not in response.context["form"].fields["family"].queryset
    response = director_client.post(
        reverse("family_add", args=[case.pk]), {"family": str(hidden.pk), "role": "kind", "justification": "Poging"}
    )
    assert response.status_code == 200
    assert not FamilyMembership.objects.filter(person=case.person).exists()


def test_family_page_shows_only_visible_members(client, case, politie_user):
    hidden_case = f.CaseFactory(lokale_pga=True, person__given_names="Xandro", person__surname="Verborgenheim")
    family = Family.objects.create(name="Familie Demir")
    for person in (case.person, hidden_case.person):
        FamilyMembership.objects.create(
            family=family, person=person, role="kind", justification="Broers", added_by=case.case_director
        )
    client.force_login(politie_user)
    response = client.get(reverse("family_detail", args=[family.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert escape(case.person.full_name) in html  # a name like "d' Heripon" is escaped in the HTML
    assert "Verborgenheim" not in html
    assert [membership.person for membership, _ in response.context["members"]] == [case.person]


def test_family_page_is_404_without_a_visible_member(client, case, outsider):
    family = Family.objects.create(name="Familie Demir")
    FamilyMembership.objects.create(
        family=family, person=case.person, role="kind", justification="x", added_by=case.case_director
    )
    client.force_login(outsider)
    assert client.get(reverse("family_detail", args=[family.pk])).status_code == 404


def test_family_page_needs_netwerk_and_notes_what_it_shows(client, case, politie_user, altrecht_user):
    """Family relations are ``netwerk`` data (DOMAIN.md §8, issue #4): a zorg partner in the team gets
    404, logged as denied; a straf partner (netwerk: read) gets the page, noted with the persons shown."""
    f.TeamMemberFactory(case=case, organisation=f.organisation("altrecht"), added_by=case.case_director)
    family = Family.objects.create(name="Familie Demir")
    FamilyMembership.objects.create(
        family=family, person=case.person, role="kind", justification="x", added_by=case.case_director
    )
    client.force_login(altrecht_user)
    assert client.get(reverse("family_detail", args=[family.pk])).status_code == 404
    denied = AccessLogEntry.objects.order_by("-id").first()
    assert denied.outcome == "geweigerd" and denied.object_ids == [str(family.pk)]
    client.force_login(politie_user)
    assert client.get(reverse("family_detail", args=[family.pk])).status_code == 200
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert entry.object_ids == [str(family.pk)] and entry.subjects.count() == 1
    assert set(entry.categories) == {"identificatie", "netwerk"}
