"""The partners app, and Dutch names in the admin (/beheer/) for the third-party apps it relies on.

django-axes, django-oauth-toolkit and django-otp's TOTP plugin name themselves and some of their models
in English strings that no translation catalog reaches (locale/nl covers the rest). The configs below
are those apps' own, with a Dutch ``verbose_name``; ``INSTALLED_APPS`` names them instead of the apps.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPAppConfig
from oauth2_provider.apps import DOTConfig


class PartnersConfig(AppConfig):
    default = True  # the config of "partners" in INSTALLED_APPS; the others below are named explicitly
    name = "partners"
    verbose_name = "Partners en gebruikers"

    def ready(self) -> None:
        # audit registers the models with django-auditlog; sessions records the time of sign-in (the
        # absolute session limit).
        from . import audit, sessions  # noqa: F401


class AxesConfig(AxesAppConfig):
    default = False
    verbose_name = "Inlogpogingen en blokkades"


class OAuth2ProviderConfig(DOTConfig):
    default = False
    verbose_name = "Partnerkoppelingen (OAuth2)"

    def ready(self) -> None:
        super().ready()
        application = self.get_model("Application")
        application._meta.verbose_name = "partnerapplicatie"
        application._meta.verbose_name_plural = "partnerapplicaties"


class TOTPConfig(TOTPAppConfig):
    default = False
    verbose_name = "Tweede stap (authenticator-apps)"

    def ready(self) -> None:
        super().ready()
        device = self.get_model("TOTPDevice")
        device._meta.verbose_name = "authenticator-app"
        device._meta.verbose_name_plural = "authenticator-apps"
