"""The second factor for every user of the browser app: TOTP (django-otp) with backup codes (issue #7;
issue #4 started it for privacy officers and administrators).

ASVS 4.0.3 level 2 (2.7, 2.8, 2.6) and BIO 9.4.2 ask for multi-factor authentication wherever personal
data of this kind can be read. So after the password:

- a user without a confirmed TOTP device sets one up first (``otp_setup``: a QR code as inline SVG,
  made with the ``qrcode`` package, and the key as text for typing in), confirmed with a first code,
  and then gets ten backup codes, shown once (``partners.models.BackupCodeDevice``, stored hashed);
- a user with one enters the current six-digit code, or a backup code (``otp_verify``); django-otp
  throttles wrong codes (each failure doubles the wait) and refuses a TOTP code used before.

Until then ``SecondFactorMiddleware`` lets the session reach only the sign-in, second-factor and
sign-out pages: any other page sends the user to the second factor (with ``next``), and the API treats
such a session as no session at all. Setting up a device is only possible while the user has no
confirmed one, so a stolen password cannot add a device; a lost phone is reset by a technical
superuser, who deletes the device in the admin. A user makes new backup codes on the security page
(``account_security``), after a fresh sign-in (``partners.reauth``).

A session that signed in through the municipality's identity provider (``PGA_LOGIN = "oidc"``,
``partners.oidc``) had its second factor there and is not asked again. ``PGA_DEMO_SKIP_2FA`` (default
off) lets the embedded demo skip the second factor; ``pga/settings/production.py`` refuses it.
Partner applications (service users with a bearer token) never sign in to the browser app.
"""

import base64
import io
import math
from collections.abc import Callable
from typing import Any

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import reauth
from .models import BACKUP_CODE_LENGTH, BackupCode, BackupCodeDevice, backup_code_normalised

DEVICE_NAME = "PGA-authenticator"
BACKUP_DEVICE_NAME = "Herstelcodes"
# Paths a session without its second factor may still reach (besides these pages themselves).
OPEN_PREFIXES = ("/static/", "/oidc/")
# Paths served to bearer tokens: a session without its second factor is ignored there, not redirected.
API_PREFIXES = ("/api/", "/oauth/")


def needs_second_factor(user: Any) -> bool:
    """True for every signed-in person (whatever the demo setting); false for partner applications."""
    return bool(getattr(user, "is_authenticated", False) and not getattr(user, "is_application", False))


def is_second_factor_missing(user: Any, request: HttpRequest | None = None) -> bool:
    """True when ``user`` must still pass the second factor in this session (``request``, when given,
    tells whether the session signed in through the identity provider, which did the second factor)."""
    if settings.PGA_DEMO_SKIP_2FA or not needs_second_factor(user):
        return False
    if request is not None and _signed_in_with_oidc(request):
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (callable(is_verified) and is_verified())


def second_factor_context(request: HttpRequest) -> dict[str, bool]:
    """Template context for every page: ``second_factor_pending`` is True while the session has passed
    the password but not yet the second factor; the layout then shows no main navigation (templates/base.html),
    on the error pages such a session can reach as well as on the second factor's own. No query: django-otp's
    middleware has already loaded the session's device."""
    user = getattr(request, "user", None)
    return {"second_factor_pending": user is not None and is_second_factor_missing(user, request)}


def _signed_in_with_oidc(request: HttpRequest) -> bool:
    if getattr(settings, "PGA_LOGIN", "password") != "oidc":
        return False
    from . import oidc

    return bool(oidc.signed_in_with_oidc(request))


def safe_next(request: HttpRequest, value: str | None) -> str:
    """``value`` when it is a path on this site, else the caseload (no open redirect; ASVS 5.1.5)."""
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return value
    return reverse(settings.LOGIN_REDIRECT_URL)


def second_factor_url(request: HttpRequest, next_url: str) -> str:
    """The page that comes next for a user who still lacks the second factor: set-up or verification."""
    has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()  # type: ignore[misc]
    name = "otp_verify" if has_device else "otp_setup"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def redirect_to(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect, or for an htmx request one that reloads the whole page (not a fragment swap). Reads the
    header itself: this runs in middleware before django-htmx's."""
    if request.headers.get("HX-Request") == "true":
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


class SecondFactorMiddleware:
    """Keeps a session that has only passed the password out of everything but the sign-in pages.

    Placed after ``django_otp.middleware.OTPMiddleware`` (which tells whether the session is verified).
    API paths: the session is ignored (``request.user`` anonymous), so only a bearer token counts.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.open_paths: frozenset[str] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_second_factor_missing(request.user, request):
            if request.path.startswith(API_PREFIXES):
                request.user = AnonymousUser()
            elif not self._is_open(request.path):
                return redirect_to(request, second_factor_url(request, request.get_full_path()))
        return self.get_response(request)

    def _is_open(self, path: str) -> bool:
        if self.open_paths is None:
            self.open_paths = frozenset(reverse(name) for name in ("login", "logout", "otp_verify", "otp_setup"))
        return path in self.open_paths or path.startswith(OPEN_PREFIXES)


# --- Forms -------------------------------------------------------------------------------------


def token_field(*, allow_backup_code: bool) -> forms.CharField:
    """The code field: six digits from the authenticator app or, where ``allow_backup_code``, a backup code."""
    attrs = {
        "class": "utrecht-textbox utrecht-textbox--html-input",
        "autocomplete": "one-time-code",
        "autocapitalize": "none",
        "spellcheck": "false",
    }
    if not allow_backup_code:
        return forms.CharField(
            label="Code uit uw authenticator-app",
            max_length=16,
            help_text="Zes cijfers; de code verandert elke 30 seconden.",
            widget=forms.TextInput(attrs={**attrs, "inputmode": "numeric"}),
        )
    return forms.CharField(
        label="Code uit uw authenticator-app of een herstelcode",
        max_length=32,
        help_text=(
            "Zes cijfers uit de app; de code verandert elke 30 seconden. Telefoon niet bij de hand? "
            "Vul dan een van uw herstelcodes in (tien tekens, bijvoorbeeld abcde-23456)."
        ),
        widget=forms.TextInput(attrs=attrs),
    )


def token_cleaned(text: str, *, allow_backup_code: bool) -> str:
    """``text`` without spaces when it has the shape of a TOTP code (six digits) or, where allowed, of a
    backup code; raises ``ValidationError`` with a Dutch message otherwise."""
    token = "".join(text.split())
    if token.isdigit() and len(token) == 6:
        return token
    if allow_backup_code and len(backup_code_normalised(token)) == BACKUP_CODE_LENGTH:
        return token
    if allow_backup_code:
        raise forms.ValidationError("Vul zes cijfers uit de app in, of een herstelcode van tien tekens.")
    raise forms.ValidationError("Vul de zes cijfers uit de app in.")


class TokenForm(forms.Form):
    """One code: from the authenticator app or, where ``allow_backup_code``, a backup code."""

    def __init__(self, *args: Any, allow_backup_code: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.allow_backup_code = allow_backup_code
        self.fields["token"] = token_field(allow_backup_code=allow_backup_code)

    def clean_token(self) -> str:
        return token_cleaned(self.cleaned_data["token"], allow_backup_code=self.allow_backup_code)


def verify_second_factor(user: Any, token: str) -> tuple[Any, str]:
    """Check a cleaned ``token`` (``token_cleaned``) against ``user``'s confirmed devices: six digits
    against the authenticator, anything else against the backup codes (which are used up). Returns
    ``(device, "")``, or ``(None, a Dutch message)``. Wrong codes throttle the device."""
    is_backup_code = not token.isdigit()
    model = BackupCodeDevice if is_backup_code else TOTPDevice
    device = model.objects.filter(user=user, confirmed=True).first()  # type: ignore[attr-defined]
    if device is None and is_backup_code:
        return None, "U hebt geen herstelcodes. Gebruik de code uit de app."
    if device is None:
        return None, "Er is geen authenticator ingesteld."
    throttled = throttled_message(device)
    if throttled:
        return None, throttled
    if device.verify_token(token):
        return device, ""
    if is_backup_code:
        return None, "Deze herstelcode klopt niet of is al gebruikt."
    return None, "Deze code klopt niet of is al gebruikt."


def throttled_message(device: Any) -> str:
    """``""`` when ``device`` may check a code now; else a Dutch message with the wait in whole seconds.

    django-otp's throttling doubles the wait after each wrong code (1, 2, 4 … seconds; ``ThrottlingMixin``)
    and refuses even the right code meanwhile: the user must hear that, not "the code is wrong"."""
    allowed, info = device.verify_is_allowed()
    if allowed:
        return ""
    locked_until = (info or {}).get("locked_until")
    seconds = math.ceil((locked_until - timezone.now()).total_seconds()) if locked_until else 0
    wait = f"Wacht {seconds} seconde{'' if seconds == 1 else 'n'}" if seconds > 0 else "Wacht even"
    return f"Te veel onjuiste codes na elkaar. {wait} en probeer het dan opnieuw met de code die uw app dan toont."


def backup_codes_left(user: Any) -> int:
    """How many unused backup codes ``user`` has (0 without a set)."""
    return BackupCode.objects.filter(device__user=user, device__confirmed=True).count()


def backup_codes_new(user: Any) -> list[str]:
    """A new set of ``PGA_BACKUP_CODE_COUNT`` backup codes for ``user``; the old ones stop working."""
    device, _ = BackupCodeDevice.objects.get_or_create(user=user, defaults={"name": BACKUP_DEVICE_NAME, "confirmed": True})
    return device.codes_replace(settings.PGA_BACKUP_CODE_COUNT)


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


def _second_factor_passed(request: HttpRequest, device: Any) -> None:
    otp_login(request, device)
    request.session.cycle_key()  # a new session id once the second factor is in (ASVS 3.2.1)
    reauth.mark_authenticated_now(request)


# --- Pages -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Enter the current TOTP code of the confirmed device, or a backup code."""
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if not is_second_factor_missing(request.user, request):
        return redirect(next_url)
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():  # type: ignore[misc]
        return redirect(second_factor_url(request, next_url))
    form = TokenForm(request.POST or None, allow_backup_code=True)
    if request.method == "POST" and form.is_valid():
        device, error = verify_second_factor(request.user, form.cleaned_data["token"])
        if device is None:
            form.add_error("token", error)
        else:
            _second_factor_passed(request, device)
            if isinstance(device, BackupCodeDevice):
                return redirect(f"{reverse('account_security')}?{urlencode({'next': next_url, 'herstelcode': 'gebruikt'})}")
            return redirect(next_url)
    return render(request, "registration/otp_verify.html", {"form": form, "next": next_url})


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Set up the first TOTP device: scan the QR code, confirm with a code, note the backup codes.
    Only without a confirmed device."""
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if not is_second_factor_missing(request.user, request):
        return redirect(next_url)
    devices = TOTPDevice.objects.filter(user=request.user)  # type: ignore[misc]
    if devices.filter(confirmed=True).exists():
        return redirect(f"{reverse('otp_verify')}?{urlencode({'next': next_url})}")
    device = devices.filter(confirmed=False).first() or TOTPDevice.objects.create(
        user=request.user, name=DEVICE_NAME, confirmed=False
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttled = throttled_message(device)
        if throttled:
            form.add_error("token", throttled)
        elif device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            _second_factor_passed(request, device)
            codes = backup_codes_new(request.user)
            return render(request, "registration/backup_codes.html", {"codes": codes, "next": next_url, "first_time": True})
        else:
            form.add_error("token", "Deze code klopt niet. Controleer de tijd op uw telefoon en probeer het opnieuw.")
    context = {"form": form, "next": next_url, "qr": qr_svg(device.config_url), "key": _key_text(device)}
    return render(request, "registration/otp_setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def account_security(request: HttpRequest) -> HttpResponse:
    """The user's own sign-in security: the authenticator, the backup codes left, and new backup codes
    (POST, after a fresh sign-in: a new set replaces the old one, shown once)."""
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST":
        if not reauth.authenticated_recently(request):
            return redirect(reauth.reauthentication_url(request, reverse("account_security")))
        codes = backup_codes_new(request.user)
        return render(request, "registration/backup_codes.html", {"codes": codes, "next": next_url, "first_time": False})
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()  # type: ignore[misc]
    context = {
        "device": device,
        "codes_left": backup_codes_left(request.user),
        "code_used": request.GET.get("herstelcode") == "gebruikt",
        "next": next_url,
        "signed_in_with_oidc": _signed_in_with_oidc(request),
        "demo_without_second_factor": settings.PGA_DEMO_SKIP_2FA,
    }
    return render(request, "registration/account_security.html", context)
