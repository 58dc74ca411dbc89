"""Partner applications: OAuth2 client credentials, scopes, the organisation's active period, audit actor.

A token acts as the application's service user (docs/decisions/0002-partner-applications.md), so it
sees exactly the cases whose team includes its organisation.
"""

import datetime as dt

from auditlog.models import LogEntry
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import JournalEntry
from tests import factories as f

from .conftest import days_ago


def test_client_credentials_token_reads_the_cases_of_its_organisation(world, politie_app):
    response = politie_app.token_response(APIClient())

    assert response.status_code == 200, response.content
    assert set(response.json()["scope"].split()) == {"read", "write"}
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access_token']}")
    listed = {row["id"] for row in client.get("/api/v1/cases/").json()["results"]}
    assert listed == {str(world.case.pk)}
    assert client.get(f"/api/v1/cases/{world.other_case.pk}/").status_code == 404


def test_wrong_secret_gets_no_token(politie_app):
    politie_app.secret = "geraden"

    response = politie_app.token_response(APIClient())

    assert response.status_code == 401
    assert "access_token" not in response.json()


def test_write_with_a_token_is_audited_with_the_service_user(world, politie_app):
    client = politie_app.client("read write")

    response = client.post(world.url("journal"), {"text": "Aangehouden in Overvecht"}, format="json")

    assert response.status_code == 201, response.content
    entry = JournalEntry.objects.get(pk=response.json()["id"])
    assert entry.author == politie_app.user
    assert entry.organisation.code == "politie-midden-nederland"
    log = LogEntry.objects.get_for_object(entry).get()
    assert log.actor == politie_app.user
    assert log.actor.is_application


def test_straf_application_records_an_offence(world, politie_app):
    response = politie_app.client().post(
        world.url("offences"), {"committed_on": days_ago(2), "offence_type": "sr-310"}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["source_organisation"] == "politie-midden-nederland"


def test_read_token_may_not_write(world, politie_app):
    client = politie_app.client("read")
    count = JournalEntry.objects.count()

    read = client.get(world.url("journal"))
    write = client.post(world.url("journal"), {"text": "Mag niet"}, format="json")

    assert read.status_code == 200
    assert write.status_code == 403
    assert write.json() == {"detail": "Uw token mist scope `write`: vraag bij /oauth/token/ een token aan met die scope."}
    assert JournalEntry.objects.count() == count


def test_a_read_token_may_ask_the_hit_no_hit_question(world, politie_app):
    """The check is a POST but changes nothing: it needs scope ``read`` only."""
    response = politie_app.client("read").post("/api/v1/persons/check/", {"bsn": "999911107"}, format="json")

    assert response.status_code == 200 and response.json() == {"known": False}


def test_token_without_read_scope_may_not_read(world, politie_app):
    response = politie_app.client("write").get(world.url())

    assert response.status_code == 403
    assert world.case.person.surname not in response.content.decode()


def test_organisation_past_its_until_date_loses_access(world, politie_app):
    client = politie_app.client()  # token obtained while the organisation still took part
    politie = f.organisation("politie-midden-nederland")
    politie.active_until = timezone.localdate() - dt.timedelta(days=1)
    politie.save()

    listed = client.get("/api/v1/cases/")
    detail = client.get(world.url())
    write = client.post(world.url("journal"), {"text": "Te laat"}, format="json")
    new_token = politie_app.token_response(APIClient())

    assert listed.status_code in (401, 403)
    assert detail.status_code in (401, 403)
    assert write.status_code in (401, 403)
    for response in (listed, detail):
        assert str(world.case.pk) not in response.content.decode()
    assert not JournalEntry.objects.filter(text="Te laat").exists()
    assert new_token.status_code == 401


def test_deactivated_service_user_loses_access(world, politie_app):
    client = politie_app.client()
    politie_app.user.is_active = False
    politie_app.user.save()

    assert client.get(world.url()).status_code in (401, 403)


def test_application_of_an_organisation_outside_every_team_sees_nothing(world):
    from partners.services import partner_application_create

    application, secret = partner_application_create(organisation=f.organisation("lister"), name="Lister")
    client = APIClient()
    token = client.post(
        "/oauth/token/",
        {"grant_type": "client_credentials", "scope": "read", "client_id": application.client_id, "client_secret": secret},
    ).json()["access_token"]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    assert client.get("/api/v1/cases/").json()["results"] == []
    assert client.get(world.url("offences")).status_code == 404


def test_invalid_bearer_token_is_a_401(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer niet-geldig")

    response = client.get("/api/v1/cases/")

    assert response.status_code == 401
    assert "results" not in response.json()
