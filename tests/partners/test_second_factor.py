"""The second factor for every user (issue #7; ASVS 2.7, 2.8, 2.6; BIO 9.4.2): TOTP with backup codes.

Sign-in is real here (tests/partners/signin.py). The privacy officer's flow of issue #4 is in
tests/privacy/test_2fa.py."""

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from partners.models import BackupCode, BackupCodeDevice, Role
from tests import factories as f

from .signin import code, device_for, password_step, sign_in

pytestmark = pytest.mark.django_db

ROLES = {
    Role.CASE_DIRECTOR: {"case_director": True},
    Role.PROCESS_DIRECTOR: {"process_director": True},
    Role.PARTNER: {"politie": True},
    Role.PRIVACY_OFFICER: {"privacy_officer": True},
    Role.ADMINISTRATOR: {"administrator": True, "is_staff": True},
}


def set_up_authenticator(client: Client, user) -> tuple[TOTPDevice, str]:
    """First sign-in: the password, then the set-up page, confirmed with a code. Returns the device and
    the page that shows the backup codes."""
    assert password_step(client, user).startswith("/inloggen/authenticator/")
    client.get("/inloggen/authenticator/?next=/")
    device = TOTPDevice.objects.get(user=user)
    response = client.post("/inloggen/authenticator/", {"token": code(device), "next": "/"})
    assert response.status_code == 200
    return device, response.content.decode()


def backup_codes_on(page: str) -> list[str]:
    import re

    return re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", page)


@pytest.mark.parametrize("role", list(ROLES), ids=str)
def test_every_role_passes_the_second_factor_before_any_page(client, role):
    user = f.UserFactory(**ROLES[role])
    after_password = password_step(client, user)
    assert after_password.startswith("/inloggen/authenticator/")

    for page in ("/", "/werklijst/", "/privacy/toezicht/", "/beheer/", "/account/beveiliging/"):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith("/inloggen/authenticator/?next="), page

    device, _ = set_up_authenticator(client, user)
    device.refresh_from_db()
    assert device.confirmed
    landing = {Role.PRIVACY_OFFICER: "/privacy/toezicht/", Role.ADMINISTRATOR: "/beheer/"}.get(role, "/")
    assert client.get(landing).status_code == 200


def test_a_session_without_its_second_factor_is_no_session_for_the_api(client, case, case_director):
    device_for(case_director)
    password_step(client, case_director)
    response = client.get("/api/v1/cases/")
    assert response.status_code in (401, 403)
    assert "results" not in response.json()


def test_an_htmx_request_without_the_second_factor_reloads_the_whole_page(client, case_director):
    device_for(case_director)
    password_step(client, case_director)
    response = client.get("/werklijst/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/inloggen/tweede-stap/?next=")


def test_set_up_shows_ten_backup_codes_once_and_stores_only_salted_hashes(client, case_director):
    _, page = set_up_authenticator(client, case_director)
    codes = backup_codes_on(page)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "U ziet deze codes alleen nu" in page

    stored = list(BackupCode.objects.filter(device__user=case_director))
    assert len(stored) == 10
    plain = {c.replace("-", "") for c in codes}
    for row in stored:
        assert row.digest not in plain and len(row.digest) == 64
    assert len({bytes(row.salt) for row in stored}) == 10  # a salt per code

    assert client.get("/").status_code == 200  # signed in after the set-up
    again = client.get("/account/beveiliging/")
    assert not backup_codes_on(again.content.decode())  # never shown again
    assert "nog 10 ongebruikte herstelcodes" in again.content.decode()


def test_a_backup_code_signs_in_once(client, case_director):
    _, page = set_up_authenticator(client, case_director)
    first = backup_codes_on(page)[0]
    client.post("/uitloggen/")

    password_step(client, case_director)
    typed = first.upper().replace("-", " ")  # case and spacing don't matter
    response = client.post("/inloggen/tweede-stap/", {"token": typed, "next": "/"})
    assert response.status_code == 302
    assert response["Location"].startswith("/account/beveiliging/")
    notice = client.get(response["Location"]).content.decode()
    assert "U bent ingelogd met een herstelcode. U hebt er nog 9." in notice
    assert client.get("/").status_code == 200
    client.post("/uitloggen/")

    other = Client()
    password_step(other, case_director)
    reused = other.post("/inloggen/tweede-stap/", {"token": first, "next": "/"})
    assert reused.status_code == 200
    assert "Deze herstelcode klopt niet of is al gebruikt." in reused.content.decode()
    assert other.get("/").status_code == 302


def test_wrong_backup_codes_are_throttled(client, case_director):
    _, page = set_up_authenticator(client, case_director)
    good = backup_codes_on(page)[1]
    client.post("/uitloggen/")
    password_step(client, case_director)
    client.post("/inloggen/tweede-stap/", {"token": "zzzzz-zzzzz", "next": "/"})
    throttled = client.post("/inloggen/tweede-stap/", {"token": good, "next": "/"})
    assert "Te veel onjuiste codes" in throttled.content.decode()
    assert BackupCodeDevice.objects.get(user=case_director).throttling_failure_count == 1


def test_a_malformed_code_gets_a_specific_message(client, case_director):
    device_for(case_director)
    password_step(client, case_director)
    response = client.post("/inloggen/tweede-stap/", {"token": "12ab", "next": "/"})
    assert "Vul zes cijfers uit de app in, of een herstelcode van tien tekens." in response.content.decode()
    huge = client.post("/inloggen/tweede-stap/", {"token": "9" * 10_000, "next": "/"})
    assert huge.status_code == 200 and "niet meer dan 32 tekens" in huge.content.decode()


def test_new_backup_codes_need_a_fresh_sign_in_and_replace_the_old_ones(client, case_director, settings):
    _, page = set_up_authenticator(client, case_director)
    old = backup_codes_on(page)
    settings.PGA_REAUTHENTICATION_MINUTES = 0  # the sign-in a moment ago no longer counts as fresh

    response = client.post("/account/beveiliging/")
    assert response.status_code == 302
    assert response["Location"] == "/inloggen/bevestigen/?next=%2Faccount%2Fbeveiliging%2F"
    assert BackupCode.objects.filter(device__user=case_director).count() == 10

    settings.PGA_REAUTHENTICATION_MINUTES = 10
    confirmed = client.post("/inloggen/bevestigen/", {"password": f.PASSWORD, "token": old[0], "next": "/account/beveiliging/"})
    assert confirmed.status_code == 302
    new_page = client.post("/account/beveiliging/").content.decode()
    new = backup_codes_on(new_page)
    assert len(new) == 10 and not set(new) & set(old)
    assert "Uw vorige herstelcodes werken niet meer." in new_page

    device = BackupCodeDevice.objects.get(user=case_director)
    assert not device.verify_token(old[1])
    device.throttle_reset()
    assert device.verify_token(new[0])


def test_no_second_device_can_be_added_with_only_the_password(client, case_director):
    device_for(case_director)
    password_step(client, case_director)
    response = client.get("/inloggen/authenticator/")
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/tweede-stap/")
    assert TOTPDevice.objects.filter(user=case_director).count() == 1


def test_the_admin_has_no_sign_in_of_its_own(client):
    response = client.get("/beheer/login/?next=/beheer/")
    assert response.status_code == 302
    assert response["Location"] == "/inloggen/?next=/beheer/"


def test_a_full_sign_in_reaches_the_caseload(client, case_director):
    sign_in(client, case_director)
    assert "Mijn caseload" in client.get("/").content.decode()


MAIN_NAV = 'aria-label="Hoofdmenu"'


def test_the_main_navigation_shows_only_after_the_second_factor(client, case_director):
    """Before the second factor the session reaches nothing but its pages: no main navigation there, only
    the sign-out. After it, every page has the navigation again."""
    device = device_for(case_director)
    assert password_step(client, case_director).startswith("/inloggen/tweede-stap/")
    verify = client.get("/inloggen/tweede-stap/?next=/").content.decode()
    assert "Tweede stap van inloggen" in verify
    assert MAIN_NAV not in verify and "Mijn caseload" not in verify
    assert "Uitloggen" in verify

    response = client.post("/inloggen/tweede-stap/", {"token": code(device), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    caseload = client.get("/").content.decode()
    assert MAIN_NAV in caseload and 'href="/">Mijn caseload</a>' in caseload.replace(' aria-current="page"', "")


def test_setting_up_the_authenticator_shows_no_main_navigation_until_the_codes_are_noted(client, case_director):
    assert password_step(client, case_director).startswith("/inloggen/authenticator/")
    set_up = client.get("/inloggen/authenticator/?next=/").content.decode()
    assert "Authenticator instellen" in set_up
    assert MAIN_NAV not in set_up and "Uitloggen" in set_up

    _, codes = set_up_authenticator(client, case_director)
    assert "Uw herstelcodes" in codes
    assert MAIN_NAV not in codes and "Uitloggen" in codes  # first "Ik heb de codes bewaard, verder"

    assert MAIN_NAV in client.get("/").content.decode()
    new_codes = client.post("/account/beveiliging/").content.decode()  # new codes later: signed in, with the navigation
    assert "Uw herstelcodes" in new_codes and MAIN_NAV in new_codes
