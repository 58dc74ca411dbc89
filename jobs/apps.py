"""The jobs app: the runner, run records, periods and notifications of the scheduled jobs (issue #5)."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Taken"

    def ready(self) -> None:
        from . import audit  # noqa: F401 - registers JobSettings with django-auditlog
