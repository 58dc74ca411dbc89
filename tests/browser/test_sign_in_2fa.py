"""Signing in with the second factor in a real browser (ASVS 4.0.3 V2.8, BIO 9.4.2; ``partners.otp``).

First time (a PGA-expert: every role has the second factor): after the password the user sets up an
authenticator from the key the page shows as text; a wrong code is refused with a Dutch message, the right
one lets them in, after the backup codes are shown once; one of those codes works instead of the app.
Later (a privacy officer with a device): the verification page asks for the current code.
Each page is audited with axe-core (``tests.browser.axe``) and photographed.
"""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.signin import SET_UP, TOKEN_LABEL, VERIFY, device_code, device_for, enter_code, key_code, path_of, shown_key

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def wrong(code: str) -> str:
    return str((int(code) + 1) % 1_000_000).zfill(6)


def password_step(browsing, username: str) -> None:
    page = browsing.page
    browsing.goto("/inloggen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    browsing.check("inloggen")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(f.PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen").click()


def test_first_sign_in_sets_up_the_authenticator_from_the_key_on_the_page(browsing):
    director = f.UserFactory(case_director=True, username="pga.nieuw")  # every role has the second factor
    page = browsing.page

    password_step(browsing, "pga.nieuw")
    assert path_of(page) == SET_UP
    expect(page.get_by_role("heading", level=1)).to_have_text("Authenticator instellen")
    expect(page.get_by_role("img", name=re.compile("QR-code"))).to_be_visible()
    key = shown_key(page)
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})+", key), key
    browsing.check("authenticator instellen")

    enter_code(page, wrong(key_code(key)))
    assert path_of(page) == SET_UP
    expect(page.get_by_role("alert")).to_contain_text("Deze code klopt niet")
    expect(page.get_by_label(TOKEN_LABEL)).to_have_accessible_description(re.compile("klopt niet"))
    browsing.check("authenticator instellen, foute code")
    assert not TOTPDevice.objects.get(user=director).confirmed

    page.wait_for_timeout(1_100)  # django-otp throttles: after one wrong code the next try waits a second
    enter_code(page, key_code(shown_key(page)))
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw herstelcodes")  # shown once, right after set-up
    codes = page.locator("main ol li")
    expect(codes).to_have_count(10)
    backup_code = codes.first.inner_text().strip()
    browsing.check("herstelcodes")
    page.get_by_role("link", name="Ik heb de codes bewaard, verder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn caseload")
    assert TOTPDevice.objects.get(user=director).confirmed

    # Phone left at home: sign out, and in again with a backup code (one of the ten is then used up).
    with page.expect_navigation():
        page.get_by_role("button", name="Uitloggen").click()
    password_step(browsing, "pga.nieuw")
    assert path_of(page) == VERIFY
    enter_code(page, backup_code)
    expect(page).not_to_have_url(re.compile("/inloggen/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Beveiliging van uw account")
    expect(page.get_by_role("status")).to_contain_text("U bent ingelogd met een herstelcode. U hebt er nog 9.")
    browsing.check("beveiliging na herstelcode")
    assert browsing.errors == []
    browsing.audit.assert_clean()


def test_a_user_with_an_authenticator_enters_the_current_code(browsing):
    officer = f.UserFactory(privacy_officer=True, username="fg.bekend")
    device = device_for(officer)
    page = browsing.page

    password_step(browsing, "fg.bekend")
    assert path_of(page) == VERIFY
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweede stap van inloggen")
    browsing.check("tweede stap")

    browsing.goto("/privacy/toezicht/")  # not in yet: back to the second step
    assert path_of(page) == VERIFY

    enter_code(page, wrong(device_code(device)))
    expect(page.get_by_role("alert")).to_contain_text("Deze code klopt niet")
    browsing.check("tweede stap, foute code")

    page.wait_for_timeout(1_100)  # the throttle after one wrong code
    enter_code(page, device_code(device))
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacytoezicht")  # the page asked for first

    assert browsing.errors == []
    browsing.audit.assert_clean()
