"""The jobs in the admin (/beheer/): what ran, the periods the jobs use, what waits for the broker (issue #5).

- Taakuitvoeringen (``JobRun``): read-only. A run is the record of what happened; only the runner
  writes it, so no one can add, change or delete one here.
- Termijnen van de taken (``JobSettings``): the one row, edited by the functioneel beheerder. It can be
  added only while it does not exist and is never deleted (the jobs would silently fall back to the
  defaults).
- Wachtende taken (``PendingTask``): read-only; ``jobs.outbox_flush`` sends them once Redis is back.
- The schedule is django-celery-beat's own admin (periodieke taken, crontabs, intervallen). Its action
  "run selected tasks" goes through ``jobs.outbox`` here, so it answers normally when Redis is down.

What an administrator may do is data, as everywhere in /beheer/: the model permissions of the user.
"""

import json
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.formats import number_format
from django_celery_beat.admin import PeriodicTaskAdmin
from django_celery_beat.models import PeriodicTask

from .models import JobRun, JobSettings, PendingTask
from .outbox import enqueue

COUNT_LABELS = {
    "flagged": "gesignaleerd",
    "already_flagged": "al gesignaleerd",
    "withdrawn": "ingetrokken",
    "settled": "afgehandeld",
    "held": "aangehouden",
    "released": "weer voorgesteld",
    "destroyed": "vernietigd",
    "failed": "mislukt",
    "notified": "gemeld",
}


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown to whoever has the view permission; nothing is added, changed or deleted."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    list_display = (
        "job",
        "as_of",
        "trigger",
        "status",
        "started_at",
        "finished_at",
        "duration",
        "counts_text",
        "note",
        "error_type",
    )
    list_filter = ("job", "status", "trigger")
    date_hierarchy = "as_of"
    fields = (
        "job",
        "as_of",
        "trigger",
        "status",
        "started_at",
        "finished_at",
        "duration",
        "counts_text",
        "note",
        "error",
        "task_id",
    )
    readonly_fields = fields

    @admin.display(description="duur")
    def duration(self, obj: JobRun) -> str:
        seconds = obj.duration_seconds
        return "" if seconds is None else f"{number_format(seconds, 1)} s"

    @admin.display(description="aantallen")
    def counts_text(self, obj: JobRun) -> str:
        """The counts in a fixed order (the database does not keep the order of a JSON object's keys)."""
        names = [name for name in COUNT_LABELS if name in obj.counts] + sorted(set(obj.counts) - set(COUNT_LABELS))
        return ", ".join(f"{COUNT_LABELS.get(name, name.replace('_', ' '))}: {obj.counts[name]}" for name in names)

    @admin.display(description="fout")
    def error_type(self, obj: JobRun) -> str:
        return obj.error.partition("\n")[0]


@admin.register(JobSettings)
class JobSettingsAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "exit_review_due_days",
        "periodic_review_months",
        "stagnation_months",
        "review_due_days",
        "updated_at",
    )
    readonly_fields = ("updated_at",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not JobSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: JobSettings, form: Any, change: bool) -> None:
        obj.pk = 1  # the one row (JobSettings: constraint job_settings_single_row)
        super().save_model(request, obj, form, change)


@admin.register(PendingTask)
class PendingTaskAdmin(ReadOnlyAdmin):
    list_display = ("task", "args", "kwargs", "created_at", "attempts", "last_error")
    fields = list_display
    readonly_fields = fields


if admin.site.is_registered(PeriodicTask):
    admin.site.unregister(PeriodicTask)


@admin.register(PeriodicTask)
class BeatPeriodicTaskAdmin(PeriodicTaskAdmin):
    """django-celery-beat's admin; running tasks by hand goes through the outbox (no error page without Redis)."""

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """The start time's date and time inputs each get a name of their own for screen readers (Django's
        split widget has one label for both; axe-core "label", WCAG 2.1 1.3.1 and 4.1.2)."""
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "start_time" and field is not None:
            date, time = field.widget.widgets
            date.attrs["aria-label"] = "Startdatum"
            time.attrs["aria-label"] = "Starttijd"
        return field

    @admin.action(description="Geselecteerde taken nu uitvoeren", permissions=["change"])
    def run_tasks(self, request: HttpRequest, queryset: QuerySet[PeriodicTask]) -> None:
        self.celery_app.loader.import_default_modules()
        unknown = sorted({entry.task for entry in queryset if entry.task not in self.celery_app.tasks})
        if unknown:
            self.message_user(request, f"Onbekende taak: {', '.join(unknown)}.", messages.ERROR)
            return
        entries = list(queryset)
        for entry in entries:
            enqueue(self.celery_app.tasks[entry.task], *json.loads(entry.args or "[]"), **json.loads(entry.kwargs or "{}"))
        what = "1 taak" if len(entries) == 1 else f"{len(entries)} taken"
        self.message_user(request, f"{what} aangeboden aan de worker; zie de taakuitvoeringen.", messages.SUCCESS)
