from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Casussen"

    def ready(self) -> None:
        from . import audit  # noqa: F401  (registers the models with django-auditlog)
