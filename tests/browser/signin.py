"""Signing in through the browser, second factor included: the one way every browser test signs in.

The sign-in is real: the password on ``/inloggen/`` and then whichever second-factor page the application
shows (``partners.otp``; ASVS 4.0.3 V2.8, BIO 9.4.2):

- ``/inloggen/tweede-stap/`` for a user with a confirmed TOTP device: the current code is computed from
  that device's key with django-otp's own ``totp`` (as ``tests/privacy/test_2fa.py`` does);
- ``/inloggen/authenticator/`` for a user without one: the code is computed from the key the page shows
  as text, as a person would type that key into an authenticator app;
  the page then shows the new backup codes once, and the user goes on with "Ik heb de codes bewaard, verder";
- no second-factor page at all, should the application not ask for one.

Never ``force_login``: that would skip exactly what these tests are about.
"""

import base64
import re
import time
from urllib.parse import quote, urlparse

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from partners.models import User
from tests import factories as f

SIGN_IN = "/inloggen/"
VERIFY = "/inloggen/tweede-stap/"
SET_UP = "/inloggen/authenticator/"
# "Code uit uw authenticator-app" when setting up; "... of een herstelcode" when verifying.
TOKEN_LABEL = re.compile(r"^Code uit uw authenticator-app")
STEP = 30  # seconds per TOTP code (RFC 6238; django-otp's default, which partners.otp keeps)


def device_for(user: User) -> TOTPDevice:
    """A confirmed TOTP device for ``user`` (created when missing), as if set up on an earlier day."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="telefoon", confirmed=True)


def device_code(device: TOTPDevice) -> str:
    """The six-digit code ``device`` accepts now.

    django-otp refuses a code from a time step it already accepted (``last_t``, against replay); within
    that step the code of the next step is used, which the default tolerance of one step accepts."""
    device.refresh_from_db()
    now = int((time.time() - device.t0) // device.step)  # django-otp's counter is this minus the drift
    counter = max(now - device.drift, device.last_t + 1)
    token = totp(device.bin_key, device.step, device.t0, device.digits, drift=now - counter)
    return str(token).zfill(device.digits)


def key_code(key_text: str) -> str:
    """The current six-digit code for a base32 key as a set-up page shows it (groups of four, any case)."""
    key = re.sub(r"\s", "", key_text).upper()
    key += "=" * (-len(key) % 8)
    return str(totp(base64.b32decode(key), STEP, 0, 6)).zfill(6)


def shown_key(page: Page) -> str:
    """The key the set-up page shows as text (for an app that cannot scan the QR code)."""
    key = page.locator(".pga-otp-key")
    expect(key).to_be_visible()
    return key.inner_text()


def enter_code(page: Page, code: str) -> None:
    """Type ``code`` into the second-factor form and submit it with Enter, as a keyboard user would."""
    field = page.get_by_label(TOKEN_LABEL)
    field.fill(code)
    with page.expect_navigation():
        field.press("Enter")


def path_of(page: Page) -> str:
    return urlparse(page.url).path


def sign_in(page: Page, base_url: str, user: User, *, next_path: str = "", password: str = f.PASSWORD) -> None:
    """Sign ``user`` in from the sign-in page through whichever second-factor page follows.

    ``next_path``: where to go afterwards (the application's default page when empty). Fails (Playwright
    ``AssertionError``) when the user does not end up signed in on a page outside ``/inloggen/``."""
    url = base_url + SIGN_IN + (f"?next={quote(next_path)}" if next_path else "")
    page.goto(url)
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen").click()
    if path_of(page) == VERIFY:
        enter_code(page, device_code(TOTPDevice.objects.get(user=user, confirmed=True)))
    elif path_of(page) == SET_UP:
        enter_code(page, key_code(shown_key(page)))
        expect(page.get_by_role("heading", level=1)).to_have_text("Uw herstelcodes")
        with page.expect_navigation():
            page.get_by_role("link", name="Ik heb de codes bewaard, verder").click()
    expect(page).not_to_have_url(re.compile(r"/inloggen/"))
