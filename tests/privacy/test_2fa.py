"""The second factor (TOTP) for privacy officers and administrators (issue #4, "Privacy officer"; BIO 9.4.2);
since issue #7 every user has it (tests/partners/test_second_factor.py).

Sign-in here is real: a password POST to the sign-in page and TOTP codes computed from the device's
key with django-otp's own ``totp`` — never ``force_login`` (which counts as fully signed in)."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories as f

pytestmark = pytest.mark.django_db

OFFICER_PAGE = "/privacy/toezicht/"


def sign_in(client, user) -> str:
    response = client.post("/inloggen/", {"username": user.username, "password": f.PASSWORD})
    assert response.status_code == 302
    return response["Location"]


def code(device: TOTPDevice, offset: int = 0) -> str:
    token = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset)
    return str(token).zfill(device.digits)


@pytest.fixture
def officer():
    return f.UserFactory(privacy_officer=True)


def test_officer_without_a_verified_device_is_sent_to_the_verify_page(client, officer):
    device = TOTPDevice.objects.create(user=officer, name="telefoon", confirmed=True)

    after_password = sign_in(client, officer)
    assert after_password.startswith("/inloggen/tweede-stap/")

    response = client.get(OFFICER_PAGE)
    assert response.status_code == 302
    assert response["Location"] == "/inloggen/tweede-stap/?next=%2Fprivacy%2Ftoezicht%2F"

    wrong = client.post(
        "/inloggen/tweede-stap/", {"token": str((int(code(device)) + 1) % 1_000_000).zfill(6), "next": OFFICER_PAGE}
    )
    assert wrong.status_code == 200 and "Deze code klopt niet" in wrong.content.decode()
    assert client.get(OFFICER_PAGE).status_code == 302

    device.refresh_from_db()
    device.throttling_failure_count, device.throttling_failure_timestamp = 0, None  # the wrong code throttles
    device.save()
    right = client.post("/inloggen/tweede-stap/", {"token": code(device), "next": OFFICER_PAGE})
    assert right.status_code == 302 and right["Location"] == OFFICER_PAGE
    page = client.get(OFFICER_PAGE)
    assert page.status_code == 200
    assert "Privacytoezicht" in page.content.decode()


def test_a_used_code_is_not_accepted_twice(client, officer):
    device = TOTPDevice.objects.create(user=officer, name="telefoon", confirmed=True)
    sign_in(client, officer)
    token = code(device)
    assert client.post("/inloggen/tweede-stap/", {"token": token, "next": OFFICER_PAGE}).status_code == 302

    other = django_client()
    sign_in(other, officer)
    again = other.post("/inloggen/tweede-stap/", {"token": token, "next": OFFICER_PAGE})
    assert again.status_code == 200
    assert other.get(OFFICER_PAGE).status_code == 302


def django_client():
    from django.test import Client

    return Client()


def test_first_sign_in_sets_up_the_authenticator_with_a_qr_code(client, officer):
    after_password = sign_in(client, officer)
    assert after_password.startswith("/inloggen/authenticator/")

    page = client.get(after_password)
    body = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in body and 'aria-label="QR-code' in body and "<?xml" not in body
    device = TOTPDevice.objects.get(user=officer)
    assert not device.confirmed
    assert client.get(OFFICER_PAGE).status_code == 302

    confirmed = client.post("/inloggen/authenticator/", {"token": code(device), "next": OFFICER_PAGE})
    assert confirmed.status_code == 200 and "Uw herstelcodes" in confirmed.content.decode()  # issue #7
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(OFFICER_PAGE).status_code == 200


def test_no_second_device_once_one_is_confirmed(client, officer):
    TOTPDevice.objects.create(user=officer, name="telefoon", confirmed=True)
    sign_in(client, officer)
    response = client.get("/inloggen/authenticator/")
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/tweede-stap/")
    assert TOTPDevice.objects.filter(user=officer).count() == 1


def test_administrator_needs_the_second_factor_for_the_admin(client):
    beheerder = f.UserFactory(administrator=True, is_staff=True)
    device = TOTPDevice.objects.create(user=beheerder, name="telefoon", confirmed=True)
    sign_in(client, beheerder)
    response = client.get("/beheer/")
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/tweede-stap/")
    client.post("/inloggen/tweede-stap/", {"token": code(device), "next": "/beheer/"})
    assert client.get("/beheer/").status_code == 200


def test_case_workers_are_asked_for_the_second_factor_too(client):
    director = f.UserFactory(case_director=True)  # since issue #7 (tests/partners/test_second_factor.py)
    assert sign_in(client, director).startswith("/inloggen/authenticator/")
    assert client.get("/").status_code == 302


def test_the_demo_setting_skips_the_second_factor(client, officer, settings):
    settings.PGA_DEMO_SKIP_2FA = True
    assert sign_in(client, officer) == "/"
    assert client.get(OFFICER_PAGE).status_code == 200


def test_test_and_base_settings_do_not_skip_the_second_factor():
    assert django_settings.PGA_DEMO_SKIP_2FA is False


def start_production(**extra: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "SECRET_KEY": "p" * 60,
        "ALLOWED_HOSTS": "pga.example.nl",
        "PGA_PSEUDONYM_KEY": "k" * 40,
        "DATABASE_URL": "postgres://pga@db.example.nl:5432/pga",
        "CACHE_URL": "redis://127.0.0.1:6379/2",  # production refuses a per-process cache (issue #7)
        **extra,
    }
    return subprocess.run(
        [sys.executable, "-c", "import pga.settings.production"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_with_the_demo_shortcut():
    refused = start_production(PGA_DEMO_SKIP_2FA="true")
    assert refused.returncode != 0
    assert "PGA_DEMO_SKIP_2FA is alleen voor de demo" in refused.stderr
    assert start_production().returncode == 0, start_production().stderr
    assert start_production(PGA_DEMO_SKIP_2FA="false").returncode == 0


def test_a_code_from_the_previous_step_still_counts_against_clock_drift(client, officer):
    device = TOTPDevice.objects.create(user=officer, name="telefoon", confirmed=True)
    sign_in(client, officer)
    if time.time() % device.step < 2:  # keep clear of a step boundary while computing
        time.sleep(2)
    response = client.post("/inloggen/tweede-stap/", {"token": code(device, offset=-1), "next": OFFICER_PAGE})
    assert response.status_code == 302
