"""``/api/v1/persons/``: persons the caller may see through a case; update, no create."""

import pytest

from cases.models import Person
from tests import factories as f

from .conftest import HIDDEN, MEMBERS, client_for

PERSONS = "/api/v1/persons/"
PERSON_FIELDS = {
    "id",
    "bsn",
    "given_names",
    "surname_prefix",
    "surname",
    "date_of_birth",
    "gender",
    "wijk",
    "lvb",
    "informed_on",
    "not_informed_reason",
}


def listed(client) -> set[str]:
    response = client.get(PERSONS)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("role", MEMBERS)
def test_members_see_the_person(world, role):
    assert str(world.case.person_id) in listed(client_for(world.users[role]))


@pytest.mark.parametrize("role", HIDDEN)
def test_person_is_absent_for_those_who_may_not_see_the_case(world, role):
    client = client_for(world.users[role])

    assert str(world.case.person_id) not in listed(client)
    assert client.get(f"{PERSONS}{world.case.person_id}/").status_code == 404


def test_person_fields_name_the_wijk_by_code(world):
    body = client_for(world.users["director"]).get(f"{PERSONS}{world.case.person_id}/").json()

    assert set(body) == PERSON_FIELDS
    assert body["wijk"] == "overvecht"
    assert body["bsn"] == world.case.person.bsn


@pytest.mark.parametrize("role", ["politie", "jou"])
def test_partners_do_not_get_the_lvb_key(world, role):
    """``lvb`` is zorg (DOMAIN.md §8): absent — not null — for straf and sociaal partners (issue #4)."""
    response = client_for(world.users[role]).get(f"{PERSONS}{world.case.person_id}/")

    assert response.status_code == 200
    assert set(response.json()) == PERSON_FIELDS - {"lvb"}
    assert '"lvb"' not in response.content.decode()
    listed = client_for(world.users[role]).get(PERSONS).content.decode()
    assert '"lvb"' not in listed


def test_there_is_no_bsn_filter(world):
    """A BSN never travels in a URL: the list ignores a ``bsn`` parameter rather than searching on it."""
    director = world.users["director"]
    f.CaseFactory(lokale_pga=True, case_director=director)
    client = client_for(director)

    assert listed(client) == {row["id"] for row in client.get(PERSONS, {"bsn": world.case.person.bsn}).json()["results"]}
    assert len(listed(client)) == 2


def test_persons_are_not_created_here(world):
    count = Person.objects.count()

    response = client_for(world.users["director"]).post(
        PERSONS, {"given_names": "A", "surname": "B", "date_of_birth": "2001-01-01"}, format="json"
    )

    assert response.status_code == 405
    assert Person.objects.count() == count


def test_persons_are_not_deleted_here(world):
    response = client_for(world.users["director"]).delete(f"{PERSONS}{world.case.person_id}/")

    assert response.status_code == 405
    assert Person.objects.filter(pk=world.case.person_id).exists()


def test_director_updates_the_person(world):
    response = client_for(world.users["director"]).patch(
        f"{PERSONS}{world.case.person_id}/", {"wijk": "zuid", "lvb": True, "surname_prefix": "van"}, format="json"
    )

    assert response.status_code == 200, response.content
    person = Person.objects.get(pk=world.case.person_id)
    assert (person.wijk.code, person.lvb, person.surname_prefix) == ("zuid", True, "van")
    assert response.json()["wijk"] == "zuid"


def test_full_update_replaces_the_identification(world):
    payload = {"given_names": "Dylan", "surname": "Visser", "date_of_birth": "2006-02-28", "gender": "man", "bsn": ""}

    response = client_for(world.users["director"]).put(f"{PERSONS}{world.case.person_id}/", payload, format="json")

    assert response.status_code == 200, response.content
    person = Person.objects.get(pk=world.case.person_id)
    assert (person.full_name, person.bsn, str(person.date_of_birth)) == ("Dylan Visser", None, "2006-02-28")


@pytest.mark.parametrize("role", ["politie", "jou"])
def test_partners_do_not_update_the_person(world, role):
    response = client_for(world.users[role]).patch(f"{PERSONS}{world.case.person_id}/", {"lvb": True}, format="json")

    assert response.status_code == 403
    assert Person.objects.get(pk=world.case.person_id).lvb is False


def test_bsn_of_another_person_is_refused(world):
    response = client_for(world.users["director"]).patch(
        f"{PERSONS}{world.case.person_id}/", {"bsn": world.other_case.person.bsn}, format="json"
    )

    assert response.status_code == 400
    assert "bsn" in response.json()
    assert Person.objects.get(pk=world.case.person_id).bsn != world.other_case.person.bsn


def test_list_runs_a_constant_number_of_queries(db, django_assert_max_num_queries):
    director = f.UserFactory(case_director=True)
    f.CaseFactory.create_batch(40, lokale_pga=True, case_director=director)
    client = client_for(director)

    # Session, user, organisation, count, page, the sharing matrix, the access-log row and its subjects, and
    # the savepoint and release of the request's transaction (issue #4): the same for 40 rows as for one.
    with django_assert_max_num_queries(11):  # + the second-factor device (issue #7)
        response = client.get(PERSONS, {"page_size": 100})

    assert len(response.json()["results"]) == 40
