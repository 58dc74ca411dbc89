"""Error messages partner developers get: Dutch, specific, never a Python repr — in the usual shape
(a map of field to messages, or ``detail``)."""

import datetime as dt
import hashlib

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken
from rest_framework.test import APIClient

from cases.models import Case
from tests import factories as f

from .conftest import client_for

CASES = "/api/v1/cases/"


def new_person(**overrides) -> dict:
    return {"given_names": "Vincent", "surname": "Bakker", "date_of_birth": "2004-03-01", **overrides}


def register(world, **body):
    return client_for(world.users["politie"]).post(CASES, {"target_group": "doorgroeier", **body}, format="json")


# --- UUIDs in a body ---------------------------------------------------------------------------


@pytest.mark.parametrize("person_id", ["geen-uuid", "1234", 12, ["c059b079-378d-45c2-8d0a-d8111d0fc17b"]])
def test_a_malformed_person_id_is_not_a_valid_uuid(world, person_id):
    response = register(world, person_id=person_id)

    assert response.status_code == 400
    assert response.json() == {"person_id": ["Geen geldige UUID."]}


def test_a_malformed_goal_on_an_action_is_not_a_valid_uuid(world):
    response = client_for(world.users["director"]).post(
        world.url("actions"),
        {"goal": "doel-1", "description": "Werk zoeken", "owning_organisation": "jou", "kind": "perspectief_bieden"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"goal": ["Geen geldige UUID."]}


# --- Tokens ------------------------------------------------------------------------------------


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_an_unknown_bearer_token_is_invalid_or_expired(db):
    response = bearer("verzonnen-token").get(CASES)

    assert response.status_code == 401
    assert response.json() == {
        "detail": "Het toegangstoken is ongeldig of verlopen. Vraag een nieuw token aan bij /oauth/token/."
    }
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_an_expired_bearer_token_is_invalid_or_expired(politie_app):
    token = politie_app.token()
    checksum = hashlib.sha256(token.encode()).hexdigest()  # tokens are stored as checksums only (RFC 9700)
    AccessToken.objects.filter(token_checksum=checksum).update(expires=timezone.now() - dt.timedelta(seconds=1))

    response = bearer(token).get(CASES)

    assert response.status_code == 401
    assert "ongeldig of verlopen" in response.json()["detail"]


def test_no_credentials_at_all_is_still_not_authenticated(db):
    response = APIClient().get(CASES)

    assert response.status_code == 401
    assert "ongeldig of verlopen" not in response.json()["detail"]


# --- Codes and choices -------------------------------------------------------------------------


def test_a_list_where_one_wijk_code_is_expected(world):
    response = register(world, person=new_person(wijk=["sr-310"]))

    assert response.status_code == 400
    assert response.json() == {"person": {"wijk": ["Geef één code als tekst, geen lijst."]}}


@pytest.mark.parametrize(("value", "kind"), [(["sr-310"], "lijst"), ({"code": "sr-310"}, "object"), (310, "getal")])
def test_an_offence_type_that_is_not_one_text_code(world, value, kind):
    response = client_for(world.users["politie"]).post(
        world.url("offences"), {"offence_type": value, "committed_on": "2024-01-01"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["offence_type"] == [f"Geef één code als tekst, geen {kind}."]


def test_an_unknown_code_names_what_is_unknown(world):
    response = register(world, person=new_person(wijk="atlantis"))

    assert response.json() == {"person": {"wijk": ['Onbekende wijk "atlantis".']}}


def test_team_must_be_a_list_of_codes(world):
    response = register(world, person=new_person(), team="jou")

    assert response.json()["team"] == ['Geef een lijst van organisatiecodes, bijvoorbeeld `["jou"]`.']


def test_a_list_where_one_choice_is_expected(world):
    response = client_for(world.users["director"]).patch(f"{CASES}{world.case.pk}/", {"target_group": ["top_x"]}, format="json")

    assert response.status_code == 400
    assert response.json() == {"target_group": ["Geef één waarde, geen lijst."]}


def test_untranslated_drf_messages_are_dutch(world):
    # The director registers: ``lvb`` is zorg, which a straf registrant may not send at all (issue #4).
    response = client_for(world.users["director"]).post(
        CASES,
        {"target_group": "doorgroeier", "person": new_person(lvb="misschien", given_names=["Vincent"])},
        format="json",
    )

    assert response.json() == {"person": {"lvb": ["Geef true of false."], "given_names": ["Geef tekst."]}}


def test_a_person_that_is_not_an_object(world):
    response = register(world, person="Vincent Bakker")

    assert response.json() == {"person": ["Verwacht een JSON-object met velden."]}


# --- Usernames ---------------------------------------------------------------------------------


def test_registering_with_a_case_director_who_is_not_one(world):
    cases = Case.objects.count()

    response = register(world, person=new_person(), tier="lokale_pga", case_director=world.users["politie"].username)

    assert response.status_code == 400
    assert response.json() == {"case_director": ["Deze gebruiker is geen actieve casusregisseur."]}
    assert Case.objects.count() == cases


def test_handing_over_to_an_inactive_case_director(world):
    gone = f.UserFactory(case_director=True, is_active=False)

    response = client_for(world.users["director"]).patch(
        f"{CASES}{world.case.pk}/", {"case_director": gone.username, "reason": "Overdracht"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"case_director": ["Deze gebruiker is geen actieve casusregisseur."]}


def test_a_username_that_does_not_exist_is_unknown(world):
    response = register(world, person=new_person(), case_director="niemand")

    assert response.json() == {"case_director": ['Onbekende gebruiker "niemand".']}


def test_a_team_user_who_is_an_application(world, politie_app):
    response = client_for(world.users["director"]).post(world.url("team"), {"user": politie_app.user.username}, format="json")

    assert response.status_code == 400
    assert response.json() == {"user": ["Deze gebruiker is geen actieve medewerker."]}


# --- Request bodies ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{", "Ongeldige JSON: veldnaam tussen dubbele aanhalingstekens verwacht (regel 1, kolom 2)."),
        (b'{"target_group": }', "Ongeldige JSON: waarde verwacht (regel 1, kolom 18)."),
        (b'{"a": 1 "b": 2}', "Ongeldige JSON: komma verwacht (regel 1, kolom 9)."),
        (b'{"a": 1}\n{"b": 2}', "Ongeldige JSON: meer gegevens na het einde van het document (regel 2, kolom 1)."),
        (b'{"a": NaN}', "Ongeldige JSON: NaN en Infinity zijn geen geldige JSON."),
        (b'{"a": "\xff"}', "Ongeldige JSON: de body is geen geldige UTF-8."),
    ],
)
def test_json_parse_errors_are_dutch(world, body, message):
    response = client_for(world.users["politie"]).post(CASES, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"detail": message}


def test_a_document_nested_too_deep_is_dutch(world):
    response = client_for(world.users["politie"]).post(CASES, b"[" * 100_000, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"detail": "Ongeldige JSON: het document is te diep genest."}


def test_a_body_that_is_not_json_says_what_to_send(world):
    response = client_for(world.users["politie"]).post(
        CASES, "target_group=doorgroeier", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 415
    assert response.json() == {"detail": 'Stuur de gegevens als JSON, met de header "Content-Type: application/json".'}


def test_a_wrong_date_format_is_explained_in_dutch(world):
    """DRF's Dutch catalogue says "Date heeft het verkeerde formaat"; partners get one Dutch sentence."""
    response = client_for(world.users["director"]).post(
        CASES, {"target_group": "doorgroeier", "person": new_person(date_of_birth="12-04-2005")}, format="json"
    )

    assert response.json() == {"person": {"date_of_birth": ["Geen geldige datum: gebruik JJJJ-MM-DD."]}}
