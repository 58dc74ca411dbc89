"""A fresh sign-in before sensitive actions (issue #7; ASVS 4.0.3 item 3.7.1, BIO 9.4.2).

Changing or activating the sharing matrix, activating a rule set, exports of personal data and
approving destruction ask for the password and the second factor again, unless the user entered them
in the last ``PGA_REAUTHENTICATION_MINUTES`` (default 10) minutes. A stolen or unattended session can
then read what its user reads, but not change who may read what, nor take the data out in bulk, nor
destroy it.

The time of the last full sign-in is kept in the session (``SESSION_KEY``, an ISO 8601 UTC timestamp):
set when the second factor is passed (``partners.otp``), by this module's confirmation page, and by the
identity provider's fresh sign-in (``partners.oidc``, which writes the same key). Wrong passwords here
count towards the lockout like those on the sign-in page (django-axes sees every ``authenticate``).
"""

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

SESSION_KEY = "pga_reauthenticated_at"


def mark_authenticated_now(request: HttpRequest) -> None:
    """Record in the session that its user has just entered all their sign-in factors."""
    request.session[SESSION_KEY] = timezone.now().astimezone(dt.UTC).isoformat()


def authenticated_recently(request: HttpRequest) -> bool:
    """True when the session's last full sign-in lies less than ``PGA_REAUTHENTICATION_MINUTES`` ago."""
    value = request.session.get(SESSION_KEY)
    if not isinstance(value, str):
        return False
    try:
        at = dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return timezone.now() - at < dt.timedelta(minutes=settings.PGA_REAUTHENTICATION_MINUTES)


def reauthentication_url(request: HttpRequest, next_url: str, *, download_from: str | None = None) -> str:
    """Where the user signs in afresh and then returns to ``next_url`` (a path on this site): the
    confirmation page, or the identity provider with ``prompt=login`` for an OIDC session.

    ``download_from``: ``next_url`` is a file download started on that page (a path); after the
    confirmation the user sees "confirmed, the download starts" with a way back there, instead of being
    left on the confirmation form while the browser saves the file."""
    from . import otp

    if otp._signed_in_with_oidc(request):
        from . import oidc

        return str(oidc.reauthentication_url(request, next_url))
    query = {"next": next_url, **({"bestand_van": download_from} if download_from is not None else {})}
    return f"{reverse('reauthenticate')}?{urlencode(query)}"


def _referring_page(request: HttpRequest) -> str:
    """The path (with query) of the page on this site the request came from; the start page otherwise."""
    from .otp import safe_next

    referer = urlsplit(request.META.get("HTTP_REFERER", ""))
    if referer.netloc and referer.netloc != request.get_host():
        return safe_next(request, None)
    return safe_next(request, urlunsplit(("", "", referer.path, referer.query, "")) or None)


def require_recent_authentication(
    view: Callable[..., HttpResponse] | None = None, *, return_to: str | None = None, download: bool = False
) -> Any:
    """View decorator: without a recent full sign-in, redirect to a fresh one first.

    A GET comes back to the same URL afterwards. A POST is refused before anything happens and comes back
    to ``return_to`` (a URL name; default the path that was posted to), where the user starts the action
    again: nothing of it was done or saved. ``download``: the view answers with a file (an attachment);
    after the confirmation the download starts from a page that says so and leads back to the page the
    user clicked on (``reauthentication_url``'s ``download_from``).
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.is_authenticated and not authenticated_recently(request):
                if request.method in ("GET", "HEAD"):
                    back = request.get_full_path()
                else:
                    back = reverse(return_to) if return_to else request.path
                download_from = _referring_page(request) if download and request.method in ("GET", "HEAD") else None
                return redirect(reauthentication_url(request, back, download_from=download_from))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator


class RecentAuthenticationAdminMixin:
    """For a ``ModelAdmin`` whose changes are sensitive (the sharing matrix, rule sets): its list, change
    and add pages, and the actions posted from them, first ask for a fresh sign-in."""

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        return require_recent_authentication(super().changelist_view)(request, extra_context)  # type: ignore[misc]

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return require_recent_authentication(super().changeform_view)(request, *args, **kwargs)  # type: ignore[misc]

    def delete_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return require_recent_authentication(super().delete_view)(request, *args, **kwargs)  # type: ignore[misc]


# --- The confirmation page ---------------------------------------------------------------------


class ReauthenticationForm(forms.Form):
    """The password, and (unless the demo skips it) a code from the authenticator app or a backup code."""

    password = forms.CharField(
        label="Wachtwoord",
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(
            attrs={"class": "utrecht-textbox utrecht-textbox--html-input", "autocomplete": "current-password"}
        ),
    )

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        from .otp import token_field

        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.request = request
        self.with_code = not settings.PGA_DEMO_SKIP_2FA
        if self.with_code:
            self.fields["token"] = token_field(allow_backup_code=True)

    def clean_token(self) -> str:
        from .otp import token_cleaned

        return token_cleaned(self.cleaned_data["token"], allow_backup_code=True)

    def clean(self) -> dict[str, Any]:
        """The password first (a wrong one counts towards the lockout), then the code."""
        from .otp import verify_second_factor

        cleaned = super().clean() or {}
        if "password" not in cleaned:
            return cleaned
        user = self.request.user
        if authenticate(self.request, username=user.get_username(), password=cleaned["password"]) is None:  # type: ignore[union-attr]
            self.add_error("password", "Dit wachtwoord klopt niet.")
        elif self.with_code and "token" in cleaned:
            device, error = verify_second_factor(user, cleaned["token"])
            if device is None:
                self.add_error("token", error)
        return cleaned


@login_required
@require_http_methods(["GET", "POST"])
def reauthenticate(request: HttpRequest) -> HttpResponse:
    """Confirm who you are before a sensitive action, then go on to ``next``."""
    from .otp import safe_next

    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    download_from = request.POST.get("bestand_van") or request.GET.get("bestand_van")
    back = safe_next(request, download_from) if download_from else None
    form = ReauthenticationForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        mark_authenticated_now(request)
        if back is not None:
            return render(request, "registration/reauthenticated_download.html", {"download_url": next_url, "back": back})
        return redirect(next_url)
    return render(request, "registration/reauthenticate.html", {"form": form, "next": next_url, "download_from": back})
