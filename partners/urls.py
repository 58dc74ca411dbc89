"""Browser URLs of the partners app: sign in (with the second factor for some roles, ``partners.otp``) and sign out."""

from django.urls import path

from . import otp, views

urlpatterns = [
    path("inloggen/", views.SignInView.as_view(), name="login"),
    path("uitloggen/", views.SignOutView.as_view(), name="logout"),
    path("inloggen/tweede-stap/", otp.otp_verify, name="otp_verify"),
    path("inloggen/authenticator/", otp.otp_setup, name="otp_setup"),
]
