"""Sessions (issue #7; ASVS 3.2.1, 3.3.1, 3.3.2 at level 3, 3.4, 4.2.2): a new id at sign-in, ended on
the server at sign-out, 15 minutes idle and 12 hours absolute, and the cookies' attributes.

Time moves with time-machine, so Django's own session expiry is what is tested, not a copy of it."""

import datetime as dt
import os
import subprocess
import sys
import time

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.utils import timezone

from tests import factories as f

from .signin import password_step, sign_in

pytestmark = pytest.mark.django_db

SESSION_COOKIE = django_settings.SESSION_COOKIE_NAME


def test_signing_in_gives_a_new_session_id_at_each_step(client, case_director):
    client.get("/inloggen/")
    client.session["voor"] = "inloggen"  # a session that exists before sign-in
    before = client.session
    before.save()
    anonymous_id = client.cookies[SESSION_COOKIE].value

    password_step(client, case_director)
    after_password = client.cookies[SESSION_COOKIE].value
    assert after_password != anonymous_id
    assert not SessionStore().exists(anonymous_id)

    from .signin import code, device_for

    client.post("/inloggen/tweede-stap/", {"token": code(device_for(case_director)), "next": "/"})
    after_code = client.cookies[SESSION_COOKIE].value
    assert after_code != after_password
    assert not SessionStore().exists(after_password)


def test_a_session_used_after_sign_out_is_refused(client, case_director):
    sign_in(client, case_director)
    stolen = client.cookies[SESSION_COOKIE].value
    signed_out = client.post("/uitloggen/")
    assert signed_out.status_code == 302 and signed_out["Location"] == "/inloggen/?sessie=uitgelogd"
    assert not SessionStore().exists(stolen)
    assert "U bent uitgelogd." in client.get(signed_out["Location"]).content.decode()

    replay = Client()
    replay.cookies[SESSION_COOKIE] = stolen
    response = replay.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")
    assert replay.get("/api/v1/cases/").status_code in (401, 403)


def test_sign_out_is_post_only(client, case_director):
    sign_in(client, case_director)
    assert client.get("/uitloggen/").status_code == 405
    assert client.get("/").status_code == 200


def test_an_idle_session_ends_after_the_idle_limit(client, case_director, settings):
    """Real time, with a 4-second limit instead of 15 minutes (the setting is checked below)."""
    settings.SESSION_COOKIE_AGE = 4
    sign_in(client, case_director)
    time.sleep(2.5)
    assert client.get("/").status_code == 200  # activity renews the limit
    time.sleep(2.5)
    assert client.get("/").status_code == 200  # 5 s in, never 4 idle
    time.sleep(4.5)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")


def test_the_idle_limit_is_15_minutes():
    assert django_settings.SESSION_COOKIE_AGE == 15 * 60


def test_a_session_ends_12_hours_after_sign_in_however_active(client, case_director):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        sign_in(client, case_director)
        for _ in range(11 * 6 + 5):  # a request every 10 minutes for 11 h 50 min
            traveller.shift(dt.timedelta(minutes=10))
            assert client.get("/werklijst/").status_code == 200
        traveller.shift(dt.timedelta(minutes=10))
        response = client.get("/werklijst/")
        assert response.status_code == 302
        assert response["Location"] == "/inloggen/?next=%2Fwerklijst%2F&sessie=verlopen"
        page = client.get(response["Location"]).content.decode()
        assert "Uw sessie is beëindigd: na 12 uur logt iedereen opnieuw in." in page
        assert client.get("/").status_code == 302  # ended on the server, not only redirected once


def test_the_session_cookie_is_httponly_samesite_and_ends_with_the_browser(client, case_director):
    sign_in(client, case_director)
    cookie = client.cookies[SESSION_COOKIE]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == ""  # a browser-session cookie; the server enforces the idle limit
    assert client.cookies[django_settings.CSRF_COOKIE_NAME]["httponly"] is True


def test_csrf_is_enforced_on_sign_in_sign_out_and_writes(case, case_director):
    browser = Client(enforce_csrf_checks=True)
    refused = browser.post("/inloggen/", {"username": case_director.username, "password": f.PASSWORD})
    assert refused.status_code == 403
    assert "_auth_user_id" not in browser.session

    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(case_director)
    write = signed_in.post(f"/casussen/{case.pk}/journaal/", {"text": "zonder token", "category": "netwerk"})
    assert write.status_code == 403
    assert not case.journal.filter(text="zonder token").exists()
    assert signed_in.post("/uitloggen/").status_code == 403
    assert signed_in.get("/").status_code == 200  # still signed in: the forged sign-out did nothing


def run_production(code: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "SECRET_KEY": "p" * 60,
        "ALLOWED_HOSTS": "pga.example.nl",
        "PGA_PSEUDONYM_KEY": "k" * 40,
        "DATABASE_URL": "postgres://pga@db.example.nl:5432/pga",
        "CACHE_URL": "redis://127.0.0.1:6379/2",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "DJANGO_SETTINGS_MODULE": "pga.settings.production",
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and a fixed snippet
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings as s; {code}"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_cookies_are_host_prefixed_and_secure():
    result = run_production(
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SESSION_COOKIE_DOMAIN, s.CSRF_COOKIE_DOMAIN, s.SESSION_COOKIE_PATH, s.SESSION_COOKIE_AGE)"
    )
    assert result.returncode == 0, result.stderr
    session_name, csrf_name, session_secure, csrf_secure, session_domain, csrf_domain, path, age = result.stdout.split()
    assert session_name.startswith("__Host-") and csrf_name.startswith("__Host-")
    assert (session_secure, csrf_secure) == ("True", "True")
    assert (session_domain, csrf_domain, path) == ("None", "None", "/")  # what the __Host- prefix requires
    assert int(age) == 15 * 60
