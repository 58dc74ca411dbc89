from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partners en gebruikers"

    def ready(self) -> None:
        from . import audit  # noqa: F401  (registers the models with django-auditlog)
