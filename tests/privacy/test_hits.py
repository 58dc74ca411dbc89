"""Hit/no-hit (issue #4, DOMAIN.md §8): ``POST /api/v1/persons/check/`` answers only ``known`` and
whom to contact, only to registering organisations, rate-limited, and every check is logged; the
aanmelding's duplicate check gives the same answer for people the registrant may not see."""

import datetime as dt
import json

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from cases import services
from cases.models import CaseStatus, Person
from partners.services import partner_application_create
from privacy import hits
from privacy.models import AccessAction, AccessLogEntry, AccessLogSubject, Outcome
from privacy.pseudonyms import pseudonym
from tests import factories as f
from tests.api.conftest import PartnerApp

CHECK = "/api/v1/persons/check/"
UNKNOWN_BSN = "111222333"  # passes the eleven-check; no fixture uses it


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def check(user, **body):
    return api(user).post(CHECK, body, format="json")


@pytest.fixture
def politie(db):
    """A registering partner (Politie Midden-Nederland) in no team of the cases below."""
    return f.UserFactory(politie=True)


@pytest.fixture
def hidden(db):
    """An open case, directed from Gemeente Utrecht, whose team Politie is not in."""
    return f.CaseFactory(
        lokale_pga=True,
        person__given_names="Xandro Jurriaan",
        person__surname_prefix="van",
        person__surname="Verborgenheim",
        person__date_of_birth=dt.date(2004, 5, 17),
    )


def secrets_of(person: Person) -> list[str]:
    return [person.bsn, person.given_names, person.surname, str(person.pk), person.date_of_birth.isoformat()]


def test_an_unknown_bsn_is_a_no_hit_and_is_logged(politie):
    response = check(politie, bsn=UNKNOWN_BSN)

    assert response.status_code == 200
    assert response.json() == {"known": False}
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.outcome, entry.user) == (AccessAction.CHECK, Outcome.ALLOWED, politie)
    assert entry.query == "bsn=[1 woord]" and UNKNOWN_BSN not in entry.query
    assert not AccessLogSubject.objects.exists()


def test_a_known_bsn_says_only_whom_to_contact(politie, hidden):
    response = check(politie, bsn=hidden.person.bsn)

    assert response.status_code == 200
    assert response.json() == {"known": True, "contacts": [{"organisation": "Gemeente Utrecht", "role": "casusregisseur"}]}
    body = response.content.decode()
    for secret in [*secrets_of(hidden.person), str(hidden.pk), str(hidden.case_director)]:
        assert secret not in body
    entry = AccessLogEntry.objects.get()
    assert entry.action == AccessAction.CHECK and entry.object_ids == []
    # The privacy officer sees that Politie checked on this person; the log holds no BSN or name.
    assert [s.pseudonym for s in entry.subjects.all()] == [pseudonym(hidden.person_id)]
    assert hidden.person.bsn not in json.dumps([entry.query, entry.purpose, entry.object_ids])


def test_name_and_date_of_birth_match_without_case_and_with_the_prefix_in_the_surname(politie, hidden):
    person = hidden.person
    response = check(politie, given_names="XANDRO  jurriaan", surname="Van Verborgenheim", date_of_birth="2004-05-17")

    assert response.json()["known"] is True
    assert check(politie, given_names=person.given_names, surname=person.surname, date_of_birth="2004-05-17").json()["known"]
    # Another date of birth or other given names: someone else.
    assert check(politie, given_names=person.given_names, surname=person.surname, date_of_birth="2004-05-18").json() == {
        "known": False
    }
    assert check(politie, given_names="Xandro", surname=person.surname, date_of_birth="2004-05-17").json() == {"known": False}
    assert AccessLogEntry.objects.filter(action=AccessAction.CHECK).count() == 4


def test_a_person_whose_cases_are_all_closed_is_not_known(politie):
    closed = f.CaseFactory(afgesloten=True)

    assert check(politie, bsn=closed.person.bsn).json() == {"known": False}
    # The check still concerned the person: the privacy officer can find it.
    assert AccessLogSubject.objects.get().pseudonym == pseudonym(closed.person_id)


def test_contacts_per_open_case_director_or_registrant_sorted_without_repeats(politie, hidden):
    person = hidden.person
    namesake = f.PersonFactory(given_names=person.given_names, surname=person.surname, date_of_birth=person.date_of_birth)
    f.CaseFactory(person=namesake, registering_organisation=f.organisation("politie-midden-nederland"))  # no director yet
    third = f.PersonFactory(given_names=person.given_names, surname=person.surname, date_of_birth=person.date_of_birth)
    f.CaseFactory(person=third, lokale_pga=True)  # another director at Gemeente Utrecht

    response = check(politie, given_names=person.given_names, surname=person.surname, date_of_birth="2004-05-17")

    assert response.json() == {
        "known": True,
        "contacts": [
            {"organisation": "Gemeente Utrecht", "role": "casusregisseur"},
            {"organisation": "Politie Midden-Nederland", "role": "aanmelder"},
        ],
    }
    assert AccessLogSubject.objects.count() == 3


def test_a_visible_person_gets_the_same_answer(hidden):
    """The check answers about the person, not about what the caller sees: nothing more for a member."""
    response = check(hidden.case_director, bsn=hidden.person.bsn)

    assert response.json() == {"known": True, "contacts": [{"organisation": "Gemeente Utrecht", "role": "casusregisseur"}]}


@pytest.mark.parametrize("kind", ["altrecht", "jou", "administrator", "privacy_officer"])
def test_organisations_that_do_not_register_get_403_and_a_denied_row(kind, hidden):
    user = f.UserFactory(**{kind: True})  # administrators and privacy officers of Gemeente Utrecht, too

    response = check(user, bsn=hidden.person.bsn)

    assert response.status_code == 403
    assert response.json() == {"detail": hits.NOT_REGISTERING}
    assert "known" not in response.content.decode()
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.outcome, entry.status_code) == (AccessAction.CHECK, Outcome.DENIED, 403)
    assert not AccessLogSubject.objects.exists()


def test_anonymous_callers_get_401_or_403_and_nothing_else(db, hidden):
    response = APIClient().post(CHECK, {"bsn": hidden.person.bsn}, format="json")

    assert response.status_code in (401, 403)
    assert "known" not in response.content.decode()


def test_hit_check_itself_refuses_non_registering_users(db):
    with pytest.raises(PermissionDenied):
        hits.hit_check(f.UserFactory(altrecht=True), bsn=UNKNOWN_BSN)


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({}, "detail", "Geef óf een `bsn`"),
        ({"bsn": UNKNOWN_BSN, "surname": "Jansen"}, "detail", "Geef óf een `bsn`"),
        ({"bsn": "111222334"}, "bsn", "elfproef"),
        ({"bsn": "12345"}, "bsn", "9 cijfers"),
        ({"surname": "Jansen", "date_of_birth": "2004-05-17"}, "given_names", "Vul dit in"),
        ({"given_names": "Jan", "surname": "Jansen\tX", "date_of_birth": "2004-05-17"}, "surname", "niet-toegestane tekens"),
        ({"given_names": "Jan", "surname": "Jansen", "date_of_birth": "17-05-2004"}, "date_of_birth", "JJJJ-MM-DD"),
        ({"given_names": "Jan", "surname": "Jansen", "date_of_birth": "2999-01-01"}, "date_of_birth", "in de toekomst"),
    ],
    ids=["empty", "both", "elfproef", "length", "incomplete", "control", "date", "future"],
)
def test_bad_questions_get_400_in_dutch(politie, body, field, message):
    response = check(politie, **body)

    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert not AccessLogEntry.objects.filter(outcome=Outcome.ALLOWED).exists()  # no check was made


def test_checks_are_rate_limited_per_caller(politie):
    allowed = int(settings.PGA_HIT_CHECK_RATE.split("/")[0])
    client = api(politie)

    answers = [client.post(CHECK, {"bsn": UNKNOWN_BSN}, format="json").status_code for _ in range(allowed)]
    throttled = client.post(CHECK, {"bsn": UNKNOWN_BSN}, format="json")

    assert answers == [200] * allowed
    assert throttled.status_code == 429
    assert throttled.json()["detail"].startswith("Te veel controles achter elkaar. Probeer het over ")
    assert int(throttled["Retry-After"]) > 0
    assert AccessLogEntry.objects.filter(action=AccessAction.CHECK).count() == allowed  # refused: not a check
    # Another caller has a budget of their own.
    assert check(f.UserFactory(politie=True), bsn=UNKNOWN_BSN).status_code == 200


def test_a_partner_application_checks_with_the_read_scope(db, hidden):
    """A question asked with POST: it changes nothing, so scope ``read`` is what it needs."""
    application, secret = partner_application_create(organisation=f.organisation("openbaar-ministerie"), name="OM-koppeling")
    app = PartnerApp(application.client_id, secret, application.user)

    assert app.client("write").post(CHECK, {"bsn": hidden.person.bsn}, format="json").status_code == 403
    response = app.client("read").post(CHECK, {"bsn": hidden.person.bsn}, format="json")

    assert response.json()["known"] is True
    assert AccessLogEntry.objects.filter(action=AccessAction.CHECK, outcome=Outcome.ALLOWED).get().application == app.client_id


# --- The aanmelding gives the same answer ----------------------------------------------------


def test_the_aanmelding_refuses_a_hidden_bsn_with_the_check_s_contacts(politie, hidden):
    answer = hits.hit_check(politie, bsn=hidden.person.bsn)
    data = {"bsn": hidden.person.bsn, "given_names": "Nieuw", "surname": "Iemand", "date_of_birth": dt.date(2003, 1, 1)}

    with pytest.raises(ValidationError) as refused:
        services.case_register(actor=politie, target_group="doorgroeier", person_data=data)

    [message] = refused.value.message_dict["bsn"]
    for contact in answer.contacts:
        assert f"de {contact.role} bij {contact.organisation}" in message
    for secret in secrets_of(hidden.person):
        assert secret not in message


def test_the_aanmelding_names_every_contact_of_a_name_match(politie, hidden):
    person = hidden.person
    namesake = f.PersonFactory(surname=person.surname, date_of_birth=person.date_of_birth)
    f.CaseFactory(person=namesake, registering_organisation=f.organisation("openbaar-ministerie"))
    data = {"given_names": "Nieuw", "surname": person.surname, "date_of_birth": person.date_of_birth}

    with pytest.raises(ValidationError) as refused:
        services.case_register(actor=politie, target_group="doorgroeier", person_data=data)

    [message] = refused.value.message_dict["confirm_new_person"]
    assert "neem contact op met de casusregisseur bij Gemeente Utrecht of de aanmelder bij Openbaar Ministerie." in message


def test_the_aanmelding_says_nothing_about_a_hidden_person_whose_cases_are_closed(politie):
    closed = f.CaseFactory(afgesloten=True, person__surname="Afgeslotenheim")
    data = {"given_names": "Nieuw", "surname": closed.person.surname, "date_of_birth": closed.person.date_of_birth}

    case = services.case_register(actor=politie, target_group="doorgroeier", person_data=data)

    assert case.status == CaseStatus.AANGEMELD and case.person != closed.person


def test_the_api_aanmelding_logs_a_hidden_hit_as_a_check(politie, hidden):
    body = {
        "person": {"bsn": hidden.person.bsn, "given_names": "Nieuw", "surname": "Iemand", "date_of_birth": "2003-01-01"},
        "target_group": "doorgroeier",
    }

    response = api(politie).post("/api/v1/cases/", body, format="json")

    assert response.status_code == 400
    assert "neem contact op met de casusregisseur bij Gemeente Utrecht" in response.json()["person"]["bsn"][0]
    entry = AccessLogEntry.objects.get()
    assert entry.action == AccessAction.CHECK
    assert [s.pseudonym for s in entry.subjects.all()] == [pseudonym(hidden.person_id)]


# --- Documentation -----------------------------------------------------------------------------


def test_the_check_is_documented_in_dutch_with_its_errors(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"][CHECK]["post"]

    assert operation["tags"] == ["Hit/no-hit"]
    assert {"200", "400", "401", "403", "429"} <= set(operation["responses"])
    assert "organisaties die mogen aanmelden" in operation["description"]
    assert "Retry-After" in operation["responses"]["429"]["description"]
    assert "mag niemand aanmelden" in operation["responses"]["403"]["description"]
    assert set(schema["components"]["schemas"]["Hit"]["properties"]) == {"known", "contacts"}


def test_the_aanmelding_shares_the_checks_rate_limit(politie):
    """Registering answers "already known?" too: it cannot be used to get round the check's limit."""
    allowed = int(settings.PGA_HIT_CHECK_RATE.split("/")[0])
    client = api(politie)
    for _ in range(allowed):
        assert client.post(CHECK, {"bsn": UNKNOWN_BSN}, format="json").status_code == 200

    response = client.post(
        "/api/v1/cases/",
        {"target_group": "doorgroeier", "person": {"given_names": "Sem", "surname": "Groot", "date_of_birth": "2005-04-12"}},
        format="json",
    )

    assert response.status_code == 429
    assert response.json()["detail"].startswith("Te veel aanmeldingen en hit/no-hit-controles achter elkaar.")
    assert client.get("/api/v1/cases/").status_code == 200  # reading the caseload is not limited
