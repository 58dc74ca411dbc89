"""Bad input gives a clear 4xx error and saves nothing — never a 500 (issue #2, "Bad input")."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from cases.models import Case, JournalEntry, Offence, Person
from tests import factories as f

from .conftest import client_for, days_ago

CASES = "/api/v1/cases/"
TOMORROW = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
TOO_LONG = "x" * 10_001


def person(**overrides) -> dict:
    return {"given_names": "Vincent", "surname": "Bakker", "date_of_birth": "2004-03-01", "wijk": "overvecht", **overrides}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"bsn": "12345678"}, "bsn"),  # eight digits
        ({"bsn": "1234567890"}, "bsn"),  # ten digits
        ({"bsn": "123456789"}, "bsn"),  # fails the eleven-check
        ({"bsn": "000000000"}, "bsn"),
        ({"bsn": "12345678a"}, "bsn"),
        ({"bsn": "１１１２２２３３３"}, "bsn"),  # full-width digits
        ({"date_of_birth": TOMORROW}, "date_of_birth"),
        ({"date_of_birth": "1850-01-01"}, "date_of_birth"),
        ({"date_of_birth": "2004-02-30"}, "date_of_birth"),
        ({"date_of_birth": "morgen"}, "date_of_birth"),
        ({"wijk": "atlantis"}, "wijk"),
        ({"wijk": "Overvecht"}, "wijk"),  # codes are lowercase
        ({"given_names": "Vin\x00cent"}, "given_names"),
        ({"given_names": "Vin\tcent"}, "given_names"),
        ({"surname": "Bak\nker"}, "surname"),
        ({"surname": "Bak\x1bker"}, "surname"),
        ({"surname": "x" * 201}, "surname"),
        ({"not_informed_reason": TOO_LONG}, "not_informed_reason"),
        ({"not_informed_reason": "Niet \x00 bereikbaar"}, "not_informed_reason"),
        ({"informed_on": TOMORROW}, "informed_on"),
        ({"gender": "x"}, "gender"),
        ({"surname": None}, "surname"),
        ({"given_names": ["Vincent"]}, "given_names"),
    ],
)
def test_bad_person_on_registration(world, overrides, field):
    persons, cases = Person.objects.count(), Case.objects.count()

    response = client_for(world.users["politie"]).post(
        CASES, {"person": person(**overrides), "target_group": "doorgroeier"}, format="json"
    )

    assert response.status_code == 400, response.content
    assert field in response.json()["person"]
    assert (Person.objects.count(), Case.objects.count()) == (persons, cases)


def test_bad_lvb_on_registration_by_a_registrant_who_may_write_zorg(world):
    """``lvb`` is zorg (DOMAIN.md §8): a case director writes it, so a bad value is a 400 about the field."""
    persons, cases = Person.objects.count(), Case.objects.count()

    response = client_for(world.users["director"]).post(
        CASES, {"person": person(lvb="misschien"), "target_group": "doorgroeier"}, format="json"
    )

    assert response.status_code == 400, response.content
    assert "lvb" in response.json()["person"]
    assert (Person.objects.count(), Case.objects.count()) == (persons, cases)


@pytest.mark.parametrize("lvb", [True, False, "misschien"])
def test_a_straf_registrant_may_not_send_lvb_at_all(world, lvb):
    """Politie registers but does not see or write zorg (issue #4): sending ``lvb`` is refused with 403."""
    persons, cases = Person.objects.count(), Case.objects.count()

    response = client_for(world.users["politie"]).post(
        CASES, {"person": person(lvb=lvb), "target_group": "doorgroeier"}, format="json"
    )

    assert response.status_code == 403, response.content
    assert "deelmatrix" in response.json()["detail"] and "lvb" in response.json()["detail"]
    assert (Person.objects.count(), Case.objects.count()) == (persons, cases)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"target_group": "onbekend"}, "target_group"),
        ({"target_group": "doorgroeier", "tier": "top"}, "tier"),
        ({"target_group": "doorgroeier", "team": ["atlantis"]}, "team"),
        ({"target_group": "doorgroeier", "team": "jou"}, "team"),
        ({"target_group": "doorgroeier", "case_director": "niemand"}, "case_director"),
        ({"target_group": "doorgroeier", "person_id": "geen-uuid"}, "person_id"),
        ({"target_group": "doorgroeier", "person_id": 12}, "person_id"),
    ],
)
def test_bad_registration(world, payload, field):
    cases = Case.objects.count()

    response = client_for(world.users["politie"]).post(CASES, {"person": person(), **payload}, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Case.objects.count() == cases


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"committed_on": TOMORROW}, "committed_on"),
        ({"committed_on": "1990-01-01"}, "committed_on"),  # before the person was born
        ({"offence_type": "sr-999"}, "offence_type"),
        ({"offence_type": "SR-310"}, "offence_type"),
        ({"offence_type": "sr-310\x00"}, "offence_type"),
        ({"outcome": "schuldig"}, "outcome"),
        ({"description": TOO_LONG}, "description"),
        ({"description": "bel\x07"}, "description"),
        ({"description": "C1\x85teken"}, "description"),
    ],
)
def test_bad_offence(world, payload, field):
    count = Offence.objects.count()

    response = client_for(world.users["politie"]).post(
        world.url("offences"), {"committed_on": days_ago(3), "offence_type": "sr-310", **payload}, format="json"
    )

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Offence.objects.count() == count


def test_bad_offence_correction_changes_nothing(world):
    response = client_for(world.users["politie"]).patch(
        world.url("offences", world.offence.pk), {"outcome": "sepot", "committed_on": TOMORROW}, format="json"
    )

    assert response.status_code == 400
    assert Offence.objects.get(pk=world.offence.pk).outcome == "open"


@pytest.mark.parametrize(
    ("route", "payload", "field"),
    [
        ("detentions", {"institution": "PI\tVught", "started_on": days_ago(1)}, "institution"),
        ("detentions", {"institution": "PI Vught", "started_on": TOMORROW}, "started_on"),
        ("detentions", {"institution": "PI Vught", "started_on": days_ago(1), "released_on": days_ago(5)}, "released_on"),
        ("goals", {"leefgebied": "geluk", "description": "Blij zijn"}, "leefgebied"),
        ("goals", {"leefgebied": "zorg", "description": "   "}, "description"),
        (
            "assessments",
            {"dagbesteding": 6, "zorg": 1, "huisvesting": 1, "identiteitsbewijs": 1, "inkomen": 1, "motivatie": 1},
            "dagbesteding",
        ),
        (
            "assessments",
            {"dagbesteding": 0, "zorg": 1, "huisvesting": 1, "identiteitsbewijs": 1, "inkomen": 1, "motivatie": 1},
            "dagbesteding",
        ),
        (
            "assessments",
            {"dagbesteding": 10**100, "zorg": 1, "huisvesting": 1, "identiteitsbewijs": 1, "inkomen": 1, "motivatie": 1},
            "dagbesteding",
        ),
        ("assessments", {"dagbesteding": 2, "zorg": 1, "huisvesting": 1, "identiteitsbewijs": 1, "inkomen": 1}, "motivatie"),
        ("journal", {"text": TOO_LONG}, "text"),
        ("journal", {"text": "nul\x00byte"}, "text"),
        ("journal", {"text": "Morgen", "occurred_on": TOMORROW}, "occurred_on"),
        ("journal", {"text": "Soort", "kind": "roddel"}, "kind"),
        ("team", {"organisation": "atlantis"}, "organisation"),
        ("team", {"user": "niemand"}, "user"),
        ("actions", {"description": "x", "owning_organisation": "jou", "kind": "grenzen_stellen", "goal": "nee"}, "goal"),
        ("actions", {"description": "x", "owning_organisation": "jou", "kind": "soms", "goal": None}, "kind"),
        (
            "actions",
            {"description": "x", "owning_organisation": "jou", "kind": "grenzen_stellen", "intervention": "magie"},
            "intervention",
        ),
    ],
)
def test_bad_nested_input(world, route, payload, field):
    if payload.get("goal") is None and route == "actions":
        payload = {**payload, "goal": str(world.goal.pk)}
    before = client_for(world.users["director"]).get(world.url(route)).json()["count"]

    response = client_for(world.users["director"]).post(world.url(route), payload, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert client_for(world.users["director"]).get(world.url(route)).json()["count"] == before


def test_free_text_keeps_tabs_and_newlines_and_accepts_the_maximum(world):
    client = client_for(world.users["jou"])

    lines = client.post(world.url("journal"), {"text": "Regel 1\n\tRegel 2\r\nRegel 3"}, format="json")
    longest = client.post(world.url("journal"), {"text": "x" * 10_000}, format="json")

    assert lines.status_code == longest.status_code == 201
    assert JournalEntry.objects.get(pk=lines.json()["id"]).text == "Regel 1\n\tRegel 2\r\nRegel 3"
    assert len(JournalEntry.objects.get(pk=longest.json()["id"]).text) == 10_000


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/cases/{bad}/"),
        ("patch", "/api/v1/cases/{bad}/"),
        ("get", "/api/v1/persons/{bad}/"),
        ("patch", "/api/v1/persons/{bad}/"),
        ("get", "/api/v1/cases/{bad}/offences/"),
        ("post", "/api/v1/cases/{bad}/journal/"),
        ("get", "/api/v1/cases/{case}/offences/{bad}/"),
        ("patch", "/api/v1/cases/{case}/actions/{bad}/"),
        ("get", "/api/v1/cases/{case}/journal/{bad}/"),
        ("delete", "/api/v1/cases/{case}/team/{bad}/"),
    ],
)
@pytest.mark.parametrize("bad", ["niet-een-uuid", "1", "00000000-0000-0000-0000-000000000000", "%00", "' OR 1=1 --"])
def test_malformed_or_unknown_id_in_the_url_is_a_json_404(world, method, path, bad):
    url = path.format(bad=bad, case=world.case.pk)

    response = getattr(client_for(world.users["director"]), method)(url, {"text": "x"}, format="json")

    assert response.status_code == 404, response.content
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("{niet json", "application/json", 400),
        ('{"text": "open', "application/json", 400),
        ("[" * 100_000, "application/json", 400),
        ("[1, 2]", "application/json", 400),
        ("null", "application/json", 400),
        ('"tekst"', "application/json", 400),
        ("\xff\xfe", "application/json", 400),
        ("text=hallo", "application/x-www-form-urlencoded", 415),
        ("<text>hallo</text>", "application/xml", 415),
    ],
)
def test_unreadable_body_is_refused(world, body, content_type, status):
    count = JournalEntry.objects.count()

    response = client_for(world.users["jou"]).generic("POST", world.url("journal"), body.encode("latin-1"), content_type)

    assert response.status_code == status, response.content
    assert "detail" in response.json()
    assert JournalEntry.objects.count() == count


def test_nan_is_not_a_number(world):
    response = client_for(world.users["jou"]).generic(
        "POST",
        world.url("assessments"),
        json.dumps({"dagbesteding": 1, "zorg": 1, "huisvesting": 1, "identiteitsbewijs": 1, "inkomen": 1})[:-1]
        + ', "motivatie": NaN}',
        "application/json",
    )

    assert response.status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        {"page_size": "1000000"},
        {"page_size": "-5"},
        {"page_size": "0"},
        {"page_size": "veel"},
        {"page_size": "9" * 400},
    ],
)
def test_odd_page_sizes_fall_back_or_clamp(world, query):
    director = world.users["director"]
    for _ in range(3):
        f.CaseFactory(lokale_pga=True, case_director=director)

    response = client_for(director).get(CASES, query)

    assert response.status_code == 200
    assert response.json()["count"] == 4
    assert len(response.json()["results"]) == 4


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"naam": "nul\x00"}, 400),
        ({"naam": "x" * 101}, 400),
        ({"tier": "top"}, 400),
        ({"status": "\x00"}, 400),
        ({"wijk": "\x00"}, 400),
        ({"page": "twee"}, 404),
        ({"page": "99999"}, 404),
        ({"ordering": "bsn"}, 200),  # unknown ordering falls back to the name
    ],
)
def test_odd_query_parameters(world, query, status):
    response = client_for(world.users["director"]).get(CASES, query)

    assert response.status_code == status, response.content
    if status != 200:
        assert world.case.person.surname not in response.content.decode()
