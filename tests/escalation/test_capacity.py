"""Capacity per tier and per director (issue #3, "Capacity"; DOMAIN.md §3): numbers, the caseload
summary for directors, and the warning — never a refusal — on the decision form."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from cases.models import Case, CaseStatus, Tier
from escalation.capacity import capacity_loads, director_summary
from escalation.models import DecisionKind, DirectorCapacity, TierCapacity
from partners.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_placeholders_for_utrecht_are_seeded():
    assert dict(TierCapacity.objects.values_list("tier", "capacity")) == {"lokale_pga": 120, "zvhru": 40}
    defaults = DirectorCapacity.objects.filter(user__isnull=True)
    assert dict(defaults.values_list("role", "capacity")) == {"case_director": 60, "process_director": 20}


@pytest.mark.parametrize("extra", [1, 12])
def test_loads_count_active_cases_per_tier_and_director_in_five_queries(django_assert_num_queries, extra):
    director = f.UserFactory(case_director=True)
    process_director = f.UserFactory(process_director=True)
    f.CaseFactory.create_batch(extra, lokale_pga=True, case_director=director)
    f.CaseFactory.create_batch(2, zvhru=True, case_director=director, process_director=process_director)
    f.CaseFactory(lokale_pga=True, case_director=director, afgesloten=True)  # closed: does not count
    f.CaseFactory()  # aangemeld: does not count
    DirectorCapacity.objects.create(role=Role.CASE_DIRECTOR, user=director, capacity=10)

    with django_assert_num_queries(5):
        loads = capacity_loads()

    assert (loads.tiers[Tier.LOKALE_PGA].active, loads.tiers[Tier.LOKALE_PGA].capacity) == (extra, 120)
    assert (loads.tiers[Tier.ZVHRU].active, loads.tiers[Tier.ZVHRU].capacity) == (2, 40)
    assert loads.tiers[Tier.BASISINZET].capacity is None
    own = loads.director(director)
    assert (own.active, own.capacity, own.over) == (extra + 2, 10, extra + 2 > 10)
    assert (loads.director(process_director).active, loads.director(process_director).capacity) == (2, 20)


def test_a_directors_summary_takes_three_queries(django_assert_num_queries):
    director = f.UserFactory(case_director=True)
    f.CaseFactory.create_batch(3, lokale_pga=True, case_director=director)
    f.CaseFactory(lokale_pga=True)

    with django_assert_num_queries(3):
        own, tiers = director_summary(director)

    assert (own.active, own.capacity) == (3, 60)
    assert [(load.label, load.active, load.capacity) for load in tiers] == [("Lokale PGA", 4, 120), ("Top X (ZVHRU)", 0, 40)]


def test_the_caseload_shows_a_director_their_capacity(client):
    director = f.UserFactory(case_director=True)
    f.CaseFactory.create_batch(2, lokale_pga=True, case_director=director)
    client.force_login(director)

    page = client.get(reverse("caseload")).content.decode()

    assert "Uw caseload: 2 van 60" in page
    assert "Lokale PGA: 2 van 120 actieve casussen" in page
    assert "Top X (ZVHRU): 0 van 40 actieve casussen" in page


def test_partners_see_no_capacity_on_the_caseload(client, case, politie_user):
    client.force_login(politie_user)
    assert "Uw caseload" not in client.get(reverse("caseload")).content.decode()


def test_the_decision_form_warns_when_a_tier_would_go_over_capacity_and_still_decides(client):
    director = f.UserFactory(case_director=True)
    f.CaseFactory(lokale_pga=True)
    case = f.CaseFactory(actief=True, case_director=director)
    TierCapacity.objects.filter(tier=Tier.LOKALE_PGA).update(capacity=1)
    client.force_login(director)
    url = reverse("decision_add", args=[case.pk])

    form = client.get(url).content.decode()
    response = client.post(url, {"from_tier": "basisinzet", "move": "tier:lokale_pga", "rationale": "Doorgroeier"})

    assert "Dit besluit brengt niveau Lokale PGA boven de capaciteit: 2 van 1." in form
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).tier == Tier.LOKALE_PGA
    assert case.decisions.get().kind == DecisionKind.TIER
    warnings = [str(message) for message in get_messages(response.wsgi_request)]
    assert "Dit besluit brengt niveau Lokale PGA boven de capaciteit: 2 van 1." in warnings


def test_the_decision_form_warns_when_the_director_would_go_over_capacity(client):
    director = f.UserFactory(case_director=True)
    f.CaseFactory(lokale_pga=True, case_director=director)
    DirectorCapacity.objects.create(role=Role.CASE_DIRECTOR, user=director, capacity=1)
    case = f.CaseFactory(case_director=director)  # aangemeld: accepting it adds to the caseload
    client.force_login(director)

    form = client.get(reverse("decision_add", args=[case.pk])).content.decode()

    assert f"Dit besluit brengt de caseload van {director} boven de capaciteit: 2 van 1." in form
    assert "niveau Basisinzet" not in form  # basisinzet has no capacity


def test_no_warning_within_capacity(client, case):
    client.force_login(case.case_director)
    assert "Let op de capaciteit" not in client.get(reverse("decision_add", args=[case.pk])).content.decode()
    assert case.status == CaseStatus.ACTIEF


def test_administrators_edit_capacity_in_the_admin(client):
    admin = f.UserFactory(administrator=True, is_staff=True)
    admin.user_permissions.set(Permission.objects.filter(content_type__app_label="escalation", codename__contains="capacity"))
    client.force_login(admin)
    zvhru = TierCapacity.objects.get(tier=Tier.ZVHRU)

    assert client.get("/beheer/escalation/directorcapacity/").status_code == 200
    response = client.post(f"/beheer/escalation/tiercapacity/{zvhru.pk}/change/", {"tier": "zvhru", "capacity": 45, "note": ""})

    assert response.status_code == 302
    zvhru.refresh_from_db()
    assert zvhru.capacity == 45
