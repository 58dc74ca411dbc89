"""What the second-factor pages tell the user (issue #7): a wait after wrong codes is named as a wait with its
seconds, not as a wrong code; the account page says what holds in the demo without a second factor."""

import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories as f

from .signin import code, device_for, password_step, sign_in

pytestmark = pytest.mark.django_db


def wrong(device: TOTPDevice) -> str:
    return str((int(code(device)) + 500_000) % 1_000_000).zfill(6)


def test_the_right_code_during_the_wait_after_wrong_ones_at_set_up_is_told_as_a_wait(client, case_director):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert password_step(client, case_director).startswith("/inloggen/authenticator/")
        client.get("/inloggen/authenticator/?next=/")
        device = TOTPDevice.objects.get(user=case_director)
        first = client.post("/inloggen/authenticator/", {"token": wrong(device), "next": "/"}).content.decode()
        assert "Deze code klopt niet" in first

        during = client.post("/inloggen/authenticator/", {"token": code(device), "next": "/"}).content.decode()
        assert "Te veel onjuiste codes na elkaar. Wacht 1 seconde en probeer" in during  # django-otp: 2^(1-1) s
        assert "Deze code klopt niet" not in during
        device.refresh_from_db()
        assert device.confirmed is False

        traveller.shift(2)
        after = client.post("/inloggen/authenticator/", {"token": code(device), "next": "/"})
        assert after.status_code == 200 and "herstelcodes" in after.content.decode().lower()
        device.refresh_from_db()
        assert device.confirmed is True


def test_the_wait_at_the_second_step_doubles_and_names_its_seconds(client, case_director):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        device = sign_in(client, case_director)
        client.post("/uitloggen/")
        password_step(client, case_director)
        for wait in (0, 1, 2):  # each wrong code after the previous wait: 1, 2, 4 seconds (django-otp)
            traveller.shift(wait)
            client.post("/inloggen/tweede-stap/", {"token": wrong(device), "next": "/"})

        during = client.post("/inloggen/tweede-stap/", {"token": code(device), "next": "/"}).content.decode()
        assert re.search(r"Wacht 4 seconden en probeer het dan opnieuw", during)
        assert client.get("/").status_code == 302


def test_the_account_page_in_the_demo_without_a_second_factor_says_so(client, case_director, settings):
    settings.PGA_DEMO_SKIP_2FA = True
    client.force_login(case_director)

    page = client.get("/account/beveiliging/").content.decode()

    assert "In deze demo is de tweede stap uitgeschakeld" in page
    assert "inlogsysteem van uw organisatie" not in page and "Nieuwe herstelcodes maken" not in page


def test_the_account_page_shows_the_codes_left_with_a_second_factor(client, case_director):
    sign_in(client, case_director)

    page = client.get("/account/beveiliging/").content.decode()

    assert "Nieuwe herstelcodes maken" in page and "ongebruikte herstelcode" in page
    assert "In deze demo" not in page and "inlogsysteem van uw organisatie" not in page


def test_no_page_shows_the_main_navigation_before_the_second_factor(case_director):
    """Not the second factor's own pages, nor an error page such a session reaches (a failed CSRF check)."""
    browser = Client(enforce_csrf_checks=True)
    device_for(case_director)
    page = browser.get("/inloggen/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    browser.post("/inloggen/", {"username": case_director.username, "password": f.PASSWORD, "csrfmiddlewaretoken": token})

    step = browser.get("/inloggen/tweede-stap/?next=/")
    refused = browser.post("/inloggen/tweede-stap/", {"token": "123456", "next": "/"})  # no CSRF token

    assert step.status_code == 200 and refused.status_code == 403
    for response in (step, refused):
        body = response.content.decode()
        assert 'aria-label="Hoofdmenu"' not in body and "Uitloggen" in body
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', step.content.decode())[1]  # rotated at sign-in
    data = {"token": code(device_for(case_director)), "next": "/", "csrfmiddlewaretoken": token}
    assert browser.post("/inloggen/tweede-stap/", data).status_code == 302
    assert 'aria-label="Hoofdmenu"' in browser.get("/").content.decode()
