"""Lockout against password guessing (issue #7; ASVS 2.2.1, BIO 9.4.2; django-axes): five wrong passwords
for a username lock it for 15 minutes, logged in the database and the application log (without the
password); the re-authentication page counts too."""

import datetime as dt
import logging

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client
from django.utils import timezone

from tests import factories as f

from .signin import code, sign_in

pytestmark = pytest.mark.django_db

WRONG = "niet-het-wachtwoord-987"


def attempt(client: Client, user, password: str):
    return client.post("/inloggen/", {"username": user.username, "password": password})


def test_five_wrong_passwords_lock_the_username_for_15_minutes(client, case_director, caplog):
    caplog.set_level(logging.INFO)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(4):
            response = attempt(client, case_director, WRONG)
            assert response.status_code == 200
            assert "Voer een juiste gebruikersnaam en wachtwoord in" in response.content.decode()
        locked = attempt(client, case_director, WRONG)
        assert locked.status_code == 429
        assert "Inloggen tijdelijk geblokkeerd" in locked.content.decode()
        assert "Probeer het over 15 minuten opnieuw." in locked.content.decode()
        another = '<a class="utrecht-link utrecht-link--html-a" href="/inloggen/">Inloggen met een ander account</a>'
        assert another in locked.content.decode()

        right = attempt(Client(), case_director, f.PASSWORD)  # the right password, from anywhere
        assert right.status_code == 429
        assert "_auth_user_id" not in client.session

        assert AccessAttempt.objects.get(username=case_director.username).failures_since_start >= 5
        assert AccessFailureLog.objects.filter(username=case_director.username, locked_out=True).exists()
        assert any(r.getMessage().startswith("AXES: Locking out") for r in caplog.records)
        assert WRONG not in caplog.text and f.PASSWORD not in caplog.text
        stored = AccessAttempt.objects.get(username=case_director.username)
        assert WRONG not in stored.post_data and f.PASSWORD not in stored.post_data  # the password is never kept

        traveller.shift(dt.timedelta(minutes=15, seconds=1))
        after = Client()
        response = attempt(after, case_director, f.PASSWORD)
        assert response.status_code == 302 and response["Location"].startswith("/inloggen/")


def test_other_users_are_not_locked_out(client, case_director):
    for _ in range(5):
        attempt(client, case_director, WRONG)
    colleague = f.UserFactory(case_director=True)
    response = attempt(Client(), colleague, f.PASSWORD)
    assert response.status_code == 302


def test_a_success_resets_the_count(client, case_director):
    for _ in range(4):
        attempt(client, case_director, WRONG)
    sign_in(Client(), case_director)
    for _ in range(4):
        assert attempt(client, case_director, WRONG).status_code == 200


def test_wrong_passwords_on_the_re_authentication_page_count_too(client, case_director):
    device = sign_in(client, case_director)
    for _ in range(4):
        response = client.post("/inloggen/bevestigen/", {"password": WRONG, "token": code(device), "next": "/"})
        assert response.status_code == 200
        assert "Dit wachtwoord klopt niet." in response.content.decode()
    fifth = client.post("/inloggen/bevestigen/", {"password": WRONG, "token": code(device), "next": "/"})
    assert fifth.status_code == 429
    assert attempt(Client(), case_director, f.PASSWORD).status_code == 429


def test_an_unknown_username_gets_the_same_answers(client):
    stranger = f.UserFactory.build(username="bestaat-niet")
    for _ in range(4):
        response = attempt(client, stranger, WRONG)
        assert response.status_code == 200
    assert attempt(client, stranger, WRONG).status_code == 429  # as for a real account: no enumeration
