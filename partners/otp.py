"""The second factor (TOTP, django-otp) for privacy officers and administrators (issue #4, "Privacy officer").

BIO 9.4.2 asks for strong authentication where the risk calls for it: the privacy officer reads the
whole access log and the administrator changes the sharing matrix and the accounts. So, for these two
roles (and a technical superuser), after the password:

- a user without a confirmed TOTP device sets one up first (``otp_setup``: a QR code as inline SVG,
  made with the ``qrcode`` package, and the key as text for typing in), confirmed with a first code;
- a user with one enters the current six-digit code (``otp_verify``); django-otp throttles wrong codes
  (each failure doubles the wait) and refuses a code that was used before.

Until then ``SecondFactorMiddleware`` sends them from ``/privacy/`` and ``/beheer/`` to that page (with
``next``), and signing in leads there directly (``partners.views.SignInView``). Other roles are not
asked; their pages hold no log or configuration. Setting up a device is only possible while the user
has no confirmed one, so a stolen password cannot add a device; a lost phone is reset by a technical
superuser, who deletes the device in the admin.

``PGA_DEMO_SKIP_2FA`` (default off) lets the embedded demo skip the second factor for its demo
accounts; ``pga/settings/production.py`` refuses to start with it on.
"""

import base64
import io
from collections.abc import Callable
from typing import Any

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Role

SECOND_FACTOR_ROLES = frozenset({Role.PRIVACY_OFFICER, Role.ADMINISTRATOR})
PROTECTED_PREFIXES = ("/privacy/", "/beheer/")
DEVICE_NAME = "PGA-authenticator"


def needs_second_factor(user: Any) -> bool:
    """True for a signed-in privacy officer, administrator or superuser (whatever the demo setting)."""
    return bool(
        getattr(user, "is_authenticated", False) and (getattr(user, "role", "") in SECOND_FACTOR_ROLES or user.is_superuser)
    )


def is_second_factor_missing(user: Any) -> bool:
    """True when ``user`` must still pass the second factor in this session."""
    if settings.PGA_DEMO_SKIP_2FA or not needs_second_factor(user):
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (callable(is_verified) and is_verified())


def _safe_next(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return value
    return reverse(settings.LOGIN_REDIRECT_URL)


def second_factor_url(request: HttpRequest, next_url: str) -> str:
    """The page that comes next for a user who still lacks the second factor: set-up or verification."""
    has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()  # type: ignore[misc]
    name = "otp_verify" if has_device else "otp_setup"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


class SecondFactorMiddleware:
    """Keeps privacy officers and administrators without a verified second factor out of ``/privacy/``
    and ``/beheer/``. Placed after ``django_otp.middleware.OTPMiddleware``; other paths cost nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(PROTECTED_PREFIXES) and is_second_factor_missing(request.user):
            return HttpResponseRedirect(second_factor_url(request, request.get_full_path()))
        return self.get_response(request)


# --- Pages -------------------------------------------------------------------------------------


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code uit uw authenticator-app",
        min_length=6,
        max_length=8,
        help_text="Zes cijfers; de code verandert elke 30 seconden.",
        widget=forms.TextInput(
            attrs={
                "class": "utrecht-textbox utrecht-textbox--html-input",
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "spellcheck": "false",
            }
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit():
            raise forms.ValidationError("De code bestaat alleen uit cijfers.")
        return token


def qr_svg(data: str) -> SafeString:
    """``data`` as a QR code in inline SVG (no image request, no third party; the key stays on the page)."""
    out = io.BytesIO()
    qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).save(out)
    svg = out.getvalue().decode()
    svg = svg[svg.index("<svg") :]  # drop the XML declaration: the SVG sits inside HTML
    return mark_safe(svg.replace("<svg ", '<svg role="img" aria-label="QR-code met de sleutel voor uw authenticator-app" ', 1))  # noqa: S308 - generated by qrcode from our own data


def _key_text(device: TOTPDevice) -> str:
    """The key in base32 groups of four, for typing into an app that cannot scan."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Enter the current TOTP code of the confirmed device."""
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if not needs_second_factor(request.user) or not is_second_factor_missing(request.user):
        return redirect(next_url)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()  # type: ignore[misc]
    if device is None:
        return redirect(second_factor_url(request, next_url))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", "Te veel onjuiste codes. Wacht even en probeer het dan opnieuw.")
        elif device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            request.session.cycle_key()  # a new session id once the second factor is in
            return redirect(next_url)
        else:
            form.add_error("token", "Deze code klopt niet of is al gebruikt.")
    return render(request, "registration/otp_verify.html", {"form": form, "next": next_url})


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Set up the first TOTP device: scan the QR code, confirm with a code. Only without a confirmed device."""
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if not needs_second_factor(request.user):
        return redirect(next_url)
    devices = TOTPDevice.objects.filter(user=request.user)  # type: ignore[misc]
    if devices.filter(confirmed=True).exists():
        return redirect(f"{reverse('otp_verify')}?{urlencode({'next': next_url})}")
    device = devices.filter(confirmed=False).first() or TOTPDevice.objects.create(
        user=request.user, name=DEVICE_NAME, confirmed=False
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            request.session.cycle_key()
            return redirect(next_url)
        form.add_error("token", "Deze code klopt niet. Controleer de tijd op uw telefoon en probeer het opnieuw.")
    context = {"form": form, "next": next_url, "qr": qr_svg(device.config_url), "key": _key_text(device)}
    return render(request, "registration/otp_setup.html", context)
