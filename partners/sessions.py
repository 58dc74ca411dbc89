"""Session limits (issue #7; ASVS 4.0.3 items 3.3.1 and 3.3.2 at level 3, BIO 9.4.2).

- **Idle: 15 minutes** (``PGA_SESSION_IDLE_MINUTES``, ``SESSION_COOKIE_AGE``). The session store (the
  database) refuses a session past its expiry; ``SessionLimitsMiddleware`` moves the expiry on with the
  user's activity by saving the session at most once a minute (a quarter of the limit when that is
  shorter), so the limit holds to the minute without a write on every request. The cookie also ends
  with the browser.
- **Absolute: 12 hours** after sign-in (``PGA_SESSION_ABSOLUTE_HOURS``), however active the user was:
  ``SessionLimitsMiddleware`` ends the session (on the server) and sends the user to the
  sign-in page, which says why. The time of sign-in is kept in the session (``SIGNED_IN_AT``, ISO 8601
  UTC), set when Django logs the user in; a signed-in session without it counts as expired.
- A new session id at sign-in (Django's ``login``) and again after the second factor (``partners.otp``);
  sign-out flushes the session on the server (Django's ``logout``).
"""

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from . import reauth

SIGNED_IN_AT = "pga_signed_in_at"
LAST_SEEN = "pga_seen_at"  # seconds since the epoch of the last save for activity
EXPIRED_PARAMETER = {"sessie": "verlopen"}  # the sign-in page explains why the user is there again


@receiver(user_logged_in, dispatch_uid="partners.sessions.signed_in")
def _signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Start the absolute limit, and count the sign-in as fresh for sensitive actions."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = timezone.now().astimezone(dt.UTC).isoformat()
        request.session[LAST_SEEN] = int(time.time())
        reauth.mark_authenticated_now(request)


def session_expired(request: HttpRequest) -> bool:
    """True when a signed-in session is older than ``PGA_SESSION_ABSOLUTE_HOURS`` (or has no sign-in time)."""
    value = request.session.get(SIGNED_IN_AT)
    try:
        signed_in_at = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        signed_in_at = None
    if signed_in_at is None:
        return True
    return timezone.now() - signed_in_at >= dt.timedelta(hours=settings.PGA_SESSION_ABSOLUTE_HOURS)


def _activity_noted(request: HttpRequest) -> None:
    """Save the session (moving its expiry on) when the last save for activity is long enough ago."""
    now = int(time.time())
    step = max(1, min(60, settings.SESSION_COOKIE_AGE // 4))
    seen = request.session.get(LAST_SEEN)
    if not isinstance(seen, int) or now - seen >= step:
        request.session[LAST_SEEN] = now


class SessionLimitsMiddleware:
    """Ends a session ``PGA_SESSION_ABSOLUTE_HOURS`` after sign-in, and keeps an active one from idling
    out. Reads only the session: a request without a signed-in session (a bearer token) costs nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if AUTH_SESSION_KEY in request.session and session_expired(request):
            logout(request)
            if not request.path.startswith(("/api/", "/oauth/")):
                from .otp import redirect_to

                query = urlencode({"next": request.get_full_path(), **EXPIRED_PARAMETER})
                return redirect_to(request, f"{reverse('login')}?{query}")
        elif AUTH_SESSION_KEY in request.session:
            _activity_noted(request)
        return self.get_response(request)
