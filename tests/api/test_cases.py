"""``/api/v1/cases/``: the caseload (filters, ordering, pagination, constant queries), the aanmelding,
and case updates through ``services.case_update``."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from cases.models import Case, CaseChange, CaseTeamMember, Person
from tests import factories as f

from .conftest import HIDDEN, MEMBERS, client_for, days_ago

CASES = "/api/v1/cases/"
CASE_FIELDS = {
    "id",
    "person",
    "tier",
    "status",
    "target_group",
    "case_director",
    "process_director",
    "drug_network_indication",
    "registering_organisation",
    "opened_on",
    "reopened_on",
    "closed_on",
    "closing_reason",
    "closing_note",
    "last_offence_on",
    "earliest_exit_on",
    "in_detention",
}


def ids(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- Reading -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", MEMBERS)
def test_members_find_the_case_in_their_list(world, role):
    assert str(world.case.pk) in ids(client_for(world.users[role]).get(CASES))


@pytest.mark.parametrize("role", HIDDEN)
def test_case_is_absent_from_the_list_of_those_who_may_not_see_it(world, role):
    response = client_for(world.users[role]).get(CASES)

    assert str(world.case.pk) not in ids(response)
    assert world.case.person.surname not in response.content.decode()


def test_member_of_the_other_team_sees_only_the_other_case(world):
    assert ids(client_for(world.users["other_team"]).get(CASES)) == {str(world.other_case.pk)}


JUSTICE_FIELDS = {"drug_network_indication", "last_offence_on", "earliest_exit_on", "in_detention"}


def test_case_shows_the_fields_of_the_issue_with_its_facts(world):
    response = client_for(world.users["director"]).get(f"{CASES}{world.case.pk}/")

    body = response.json()
    assert set(body) == CASE_FIELDS | {"care_involved"}
    assert body["person"] == str(world.case.person_id)
    assert body["case_director"] == "regisseur"
    assert body["registering_organisation"] == "gemeente-utrecht"
    assert body["last_offence_on"] == world.offence.committed_on.isoformat()
    assert body["earliest_exit_on"] == (world.offence.committed_on + relativedelta(months=12)).isoformat()
    assert body["in_detention"] is True  # the world's detention has no release date
    assert "bsn" not in response.content.decode()


def test_the_case_follows_the_sharing_matrix(world):
    """Straf partners see the justitieel facts and "care involved: yes/no"; sociaal partners neither — the
    keys are absent, not null (DOMAIN.md §8, issue #4)."""
    politie = client_for(world.users["politie"]).get(f"{CASES}{world.case.pk}/")
    jou = client_for(world.users["jou"]).get(f"{CASES}{world.case.pk}/")

    assert set(politie.json()) == CASE_FIELDS | {"care_involved"}
    assert set(jou.json()) == CASE_FIELDS - JUSTICE_FIELDS
    assert world.offence.committed_on.isoformat() not in jou.content.decode()


def test_dismissed_offence_does_not_count_for_the_exit_date(world):
    world.offence.outcome = "sepot"
    world.offence.save()

    body = client_for(world.users["director"]).get(f"{CASES}{world.case.pk}/").json()

    assert body["last_offence_on"] is None
    assert body["earliest_exit_on"] == (world.case.opened_on + relativedelta(months=12)).isoformat()


@pytest.mark.parametrize(
    ("query", "match"),
    [
        ({"tier": "zvhru"}, "top"),
        ({"status": "afgesloten"}, "closed"),
        ({"target_group": "top_x"}, "top"),
        ({"wijk": "zuidwest"}, "zuidwest"),
        ({"naam": "visser"}, "zuidwest"),
        ({"naam": "  DYLAN   viss  "}, "zuidwest"),
    ],
)
def test_list_filters(db, query, match):
    director = f.UserFactory(case_director=True)

    def person(given_names: str, surname: str, wijk: str = "overvecht") -> Person:
        return f.PersonFactory(given_names=given_names, surname=surname, wijk=f.wijk(wijk))

    cases = {
        "plain": f.CaseFactory(lokale_pga=True, case_director=director, person=person("Sem", "Aydin")),
        "top": f.CaseFactory(zvhru=True, case_director=director, person=person("Noah", "Bakker")),
        "closed": f.CaseFactory(
            lokale_pga=True,
            case_director=director,
            person=person("Finn", "Jansen"),
            status="afgesloten",
            closed_on=timezone.localdate(),
            closing_reason="verhuisd",
        ),
        "zuidwest": f.CaseFactory(lokale_pga=True, case_director=director, person=person("Dylan", "Visser", "zuidwest")),
    }

    found = ids(client_for(director).get(CASES, query))

    assert found == {str(cases[match].pk)}


def test_unknown_filter_value_is_a_400(world):
    response = client_for(world.users["director"]).get(CASES, {"wijk": "atlantis"})

    assert response.status_code == 400
    assert "wijk" in response.json()


def test_ordering_by_name(db):
    director = f.UserFactory(case_director=True)
    for surname in ("Bakker", "Aydin", "Visser"):
        f.CaseFactory(lokale_pga=True, case_director=director, person=f.PersonFactory(surname=surname))
    client = client_for(director)

    def surnames(ordering: str) -> list[str]:
        rows = client.get(CASES, {"ordering": ordering}).json()["results"]
        return [Person.objects.get(pk=row["person"]).surname for row in rows]

    assert surnames("naam") == ["Aydin", "Bakker", "Visser"]
    assert surnames("-naam") == ["Visser", "Bakker", "Aydin"]


def test_pagination_defaults_to_25_and_clamps_to_100(db):
    director = f.UserFactory(case_director=True)
    f.CaseFactory.create_batch(101, lokale_pga=True, case_director=director)
    client = client_for(director)

    default = client.get(CASES).json()
    huge = client.get(CASES, {"page_size": 1_000_000}).json()
    second = client.get(CASES, {"page_size": 100, "page": 2}).json()

    assert (default["count"], len(default["results"])) == (101, 25)
    assert len(huge["results"]) == 100
    assert len(second["results"]) == 1


@pytest.mark.parametrize("count", [10, 100])
def test_list_runs_a_constant_number_of_queries(db, django_assert_max_num_queries, count):
    """Session, user, organisation, count and page, the facts of the page's rows (``selectors.
    case_facts_attach``, issue #6), the sharing matrix, the access-log row and its subjects, and the
    savepoint and release of the request's transaction (issue #4): the same number for 10 and for 100 rows."""
    director = f.UserFactory(case_director=True)
    for case in f.CaseFactory.create_batch(count, lokale_pga=True, case_director=director):
        f.OffenceFactory(case=case)
        f.DetentionFactory(case=case)
        f.TeamMemberFactory(case=case, organisation=f.organisation("jou"), added_by=director)
    client = client_for(director)

    with django_assert_max_num_queries(12):  # + the second-factor device (issue #7)
        response = client.get(CASES, {"page_size": 100})

    assert len(response.json()["results"]) == count
    assert all(row["last_offence_on"] and row["in_detention"] for row in response.json()["results"])


# --- Registering (aanmelding) ------------------------------------------------------------------


def new_person(**overrides) -> dict:
    return {
        "bsn": "111222333",
        "given_names": "Vincent",
        "surname": "Bakker",
        "date_of_birth": "2004-03-01",
        "gender": "man",
        "wijk": "overvecht",
        "informed_on": days_ago(1),
        **overrides,
    }


def test_registering_organisation_registers_a_new_person(world):
    politie = world.users["politie"]
    payload = {"person": new_person(), "target_group": "doorgroeier", "team": ["jou"]}

    response = client_for(politie).post(CASES, payload, format="json")

    assert response.status_code == 201, response.content
    case = Case.objects.get(pk=response.json()["id"])
    assert case.person.bsn == "111222333"
    assert case.person.wijk.code == "overvecht"
    assert (case.status, case.tier, case.registered_by) == ("aangemeld", "basisinzet", politie)
    assert case.registering_organisation.code == "politie-midden-nederland"
    teams = set(CaseTeamMember.objects.filter(case=case).values_list("organisation__code", flat=True))
    assert teams == {"politie-midden-nederland", "jou"}
    assert response.json()["earliest_exit_on"] == (timezone.localdate() + relativedelta(months=12)).isoformat()


def test_registering_an_existing_visible_person(world):
    closed = f.CaseFactory(afgesloten=True, case_director=world.users["director"])

    response = client_for(world.users["director"]).post(
        CASES,
        {"person_id": str(closed.person_id), "target_group": "doorgroeier", "tier": "lokale_pga", "case_director": "regisseur"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert Case.objects.filter(person=closed.person).count() == 2


def test_an_invisible_person_is_as_unknown_as_a_missing_one(world):
    client = client_for(world.users["politie"])
    base = {"target_group": "doorgroeier"}
    cases = Case.objects.count()

    invisible = client.post(CASES, {**base, "person_id": str(world.other_case.person_id)}, format="json")
    missing = client.post(CASES, {**base, "person_id": "2f0d3c0e-0000-4000-8000-000000000000"}, format="json")

    assert invisible.status_code == missing.status_code == 400
    assert invisible.json() == missing.json() == {"person_id": ["Onbekende persoon."]}
    assert Case.objects.count() == cases


@pytest.mark.parametrize("role", ["jou", "other_team", "admin_in_team", "privacy_in_team"])
def test_only_registering_organisations_register(world, role):
    persons = Person.objects.count()

    response = client_for(world.users[role]).post(CASES, {"person": new_person(), "target_group": "doorgroeier"}, format="json")

    assert response.status_code == 403
    assert Person.objects.count() == persons


def test_known_bsn_gives_only_whom_to_contact(world):
    hidden = world.other_case.person
    persons = Person.objects.count()

    response = client_for(world.users["politie"]).post(
        CASES, {"person": new_person(bsn=hidden.bsn), "target_group": "doorgroeier"}, format="json"
    )

    assert response.status_code == 400
    message = response.json()["person"]["bsn"][0]
    assert "neem contact op met de casusregisseur bij Gemeente Utrecht" in message
    assert hidden.surname not in response.content.decode()
    assert str(hidden.pk) not in response.content.decode()
    assert Person.objects.count() == persons


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"target_group": "doorgroeier"}, "person"),
        ({"target_group": "doorgroeier", "person": new_person(), "person_id": "PLACEHOLDER"}, "person"),
    ],
    ids=["neither", "both"],
)
def test_new_person_or_existing_person_not_both(world, payload, field):
    if payload.get("person_id") == "PLACEHOLDER":
        payload = {**payload, "person_id": str(world.case.person_id)}

    response = client_for(world.users["director"]).post(CASES, payload, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_failed_registration_saves_no_person(world):
    """The person is created inside the registration's transaction: a case error undoes it."""
    persons = Person.objects.count()

    response = client_for(world.users["politie"]).post(
        CASES, {"person": new_person(), "target_group": "doorgroeier", "tier": "lokale_pga"}, format="json"
    )

    assert response.status_code == 400
    assert "case_director" in response.json()
    assert Person.objects.count() == persons


# --- Updating ----------------------------------------------------------------------------------


def test_director_hands_over_with_a_recorded_change(world):
    successor = f.UserFactory(case_director=True, username="opvolger")

    response = client_for(world.users["director"]).patch(
        f"{CASES}{world.case.pk}/", {"case_director": "opvolger", "reason": "Verlof"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["case_director"] == "opvolger"
    assert response.json()["last_offence_on"] == world.offence.committed_on.isoformat()
    change = CaseChange.objects.get(case=world.case, kind="case_director")
    assert (change.to_user, change.reason) == (successor, "Verlof")


@pytest.mark.parametrize("body", [{"tier": "zvhru"}, {"status": "afgesloten", "closing_reason": "verhuisd"}])
def test_tier_and_status_move_only_by_a_decision(world, body):
    response = client_for(world.users["director"]).patch(f"{CASES}{world.case.pk}/", {**body, "reason": "x"}, format="json")

    assert response.status_code == 400
    field = next(iter(body))
    assert "besluit" in response.json()[field][0]
    case = Case.objects.get(pk=world.case.pk)
    assert (case.tier, case.status) == ("lokale_pga", world.case.status)


def test_straf_partner_records_the_drug_network_indication(world):
    url = f"{CASES}{world.case.pk}/"

    by_jou = client_for(world.users["jou"]).patch(url, {"drug_network_indication": "ja"}, format="json")
    by_politie = client_for(world.users["politie"]).patch(url, {"drug_network_indication": "ja"}, format="json")

    assert by_jou.status_code == 403
    assert by_politie.status_code == 200
    assert Case.objects.get(pk=world.case.pk).drug_network_indication == "ja"


def test_handing_over_to_a_user_who_is_not_a_case_director_is_refused(world):
    response = client_for(world.users["director"]).patch(f"{CASES}{world.case.pk}/", {"case_director": "agent"}, format="json")

    assert response.status_code == 400
    assert "case_director" in response.json()
    assert Case.objects.get(pk=world.case.pk).case_director == world.users["director"]


def test_handing_over_is_audited_with_the_actor(world):
    successor = f.UserFactory(case_director=True, username="opvolger")

    response = client_for(world.users["director"]).patch(
        f"{CASES}{world.case.pk}/", {"case_director": "opvolger", "reason": "Overdracht"}, format="json"
    )

    assert response.status_code == 200, response.content
    entry = LogEntry.objects.get_for_object(world.case).latest("timestamp")
    assert entry.actor == world.users["director"]
    assert Case.objects.get(pk=world.case.pk).case_director == successor


def test_read_only_fields_are_ignored_not_written(world):
    opened_on = world.case.opened_on

    response = client_for(world.users["director"]).patch(
        f"{CASES}{world.case.pk}/", {"opened_on": "2000-01-01", "person": str(world.other_case.person_id)}, format="json"
    )

    assert response.status_code == 200
    world.case.refresh_from_db()
    assert world.case.opened_on == opened_on != dt.date(2000, 1, 1)
    assert world.case.person_id != world.other_case.person_id


def test_person_with_a_running_case_is_not_registered_twice(world):
    cases = Case.objects.count()

    response = client_for(world.users["director"]).post(
        CASES, {"person_id": str(world.case.person_id), "target_group": "top_x"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"person_id": ["Deze persoon heeft al een lopende casus."]}
    assert Case.objects.count() == cases


def test_a_hand_over_without_a_reason_is_refused(world):
    f.UserFactory(case_director=True, username="opvolger")
    response = client_for(world.users["director"]).patch(f"{CASES}{world.case.pk}/", {"case_director": "opvolger"}, format="json")

    assert response.status_code == 400
    assert "reason" in response.json()
    assert Case.objects.get(pk=world.case.pk).case_director == world.users["director"]


def test_a_name_and_birth_date_match_needs_confirmation(world):
    known = world.case.person
    person = new_person(bsn=None, surname=known.surname.upper(), date_of_birth=known.date_of_birth.isoformat())
    payload = {"person": person, "target_group": "doorgroeier"}
    client = client_for(world.users["politie"])

    refused = client.post(CASES, payload, format="json")
    assert refused.status_code == 400
    assert "confirm_new_person" in refused.json()
    assert not Case.objects.filter(person__surname=known.surname.upper()).exists()

    confirmed = client.post(CASES, {**payload, "confirm_new_person": True}, format="json")
    assert confirmed.status_code == 201, confirmed.content
