from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        from . import (
            audit,  # noqa: F401 - registers the sharing matrix and reviews with django-auditlog
            rights,  # noqa: F401 - registers subject requests and legal holds with django-auditlog
        )
