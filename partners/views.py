"""Sign in and sign out for the browser, with Django's own auth views.

Sign-out is POST only (Django 5): a link or an image cannot sign someone out. A user who is already
signed in and opens the sign-in page goes straight to their caseload. After the password every user
goes on to the second factor (``partners.otp``). Wrong passwords count towards a lockout (django-axes,
``AXES_*`` settings).
"""

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.urls import reverse

from . import otp


class SignInForm(AuthenticationForm):
    """Django's sign-in form with the Utrecht textbox class on both inputs, without autofocus."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "utrecht-textbox utrecht-textbox--html-input"
            # No autofocus: keyboard and screen-reader users start at the skip link and the heading.
            field.widget.attrs.pop("autofocus", None)


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "session_hours": settings.PGA_SESSION_ABSOLUTE_HOURS}

    def get_success_url(self) -> str:
        """After the password, the second factor (``partners.otp``)."""
        url = super().get_success_url()
        if otp.is_second_factor_missing(self.request.user, self.request):
            return otp.second_factor_url(self.request, url)
        return url


class SignOutView(auth_views.LogoutView):
    """POST only; redirects to ``LOGOUT_REDIRECT_URL``: the sign-in page, which then says "U bent
    uitgelogd" (``?sessie=uitgelogd``), or in OIDC mode the identity provider's sign-out."""

    def get_success_url(self) -> str:
        url = str(super().get_success_url())
        return f"{url}?sessie=uitgelogd" if url == reverse(settings.LOGIN_URL) else url
