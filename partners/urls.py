"""Browser URLs of the partners app: sign in (with the second factor, ``partners.otp``), a fresh sign-in before
sensitive actions (``partners.reauth``), the user's own sign-in security, and sign out."""

from django.urls import path

from . import otp, reauth, views

urlpatterns = [
    path("inloggen/", views.SignInView.as_view(), name="login"),
    path("uitloggen/", views.SignOutView.as_view(), name="logout"),
    path("inloggen/tweede-stap/", otp.otp_verify, name="otp_verify"),
    path("inloggen/authenticator/", otp.otp_setup, name="otp_setup"),
    path("inloggen/bevestigen/", reauth.reauthenticate, name="reauthenticate"),
    path("account/beveiliging/", otp.account_security, name="account_security"),
]
