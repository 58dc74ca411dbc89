"""Real sign-in for tests: a password POST to the sign-in page and TOTP codes computed from the device's
key with django-otp's own ``totp`` — not ``force_login``, which skips both (tests/conftest.py)."""

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from partners.models import User
from tests import factories as f


def password_step(client: Client, user: User, password: str = f.PASSWORD) -> str:
    """POST the password; returns where the sign-in page sends the user next (asserts a redirect)."""
    response = client.post("/inloggen/", {"username": user.username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def code(device: TOTPDevice, offset: int = 0) -> str:
    """The device's current six-digit code (``offset`` steps of 30 s away)."""
    token = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset)
    return str(token).zfill(device.digits)


def device_for(user: User) -> TOTPDevice:
    """The user's confirmed authenticator, made when missing."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="telefoon", confirmed=True)


def sign_in(client: Client, user: User) -> TOTPDevice:
    """Password and second factor, for real; returns the device used."""
    device = device_for(user)
    assert password_step(client, user).startswith("/inloggen/tweede-stap/")
    response = client.post("/inloggen/tweede-stap/", {"token": code(device), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/", response.content.decode()[:500]
    return device
