from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partners en gebruikers"

    def ready(self) -> None:
        # audit registers the models with django-auditlog; sessions records the time of sign-in (the
        # absolute session limit).
        from . import audit, sessions  # noqa: F401
