"""Scheduled jobs: their runs, their administrator-editable periods, the notifications they send, and
the outbox that keeps work when the broker is down (issue #5, ARCHITECTURE.md "Jobs").

- ``JobRun``: one run of one job (``jobs.runner``): when, as of which day, how it was started, what it
  counted, and — on failure — the exception's type and code location (never its message or locals,
  which may hold personal data).
- ``JobSettings``: the one row of periods the jobs use (months, days). The exit period itself belongs
  to the active rule set (``escalation.parameters``, DOMAIN.md §5.6); retention periods per outcome
  to ``privacy.RetentionPeriod``.
- ``Notification``: "there is something new on your worklist" for one user from one run. The text
  holds no personal data (it is also e-mailed); the worklist behind the link reads through the
  selectors.
- ``PendingTask``: a Celery task that could not be handed to the broker, kept until it can.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone


class JobName(models.TextChoices):
    """The jobs ``python manage.py run_job`` and the beat schedule know (``jobs.runner.JOBS``)."""

    EXIT_REVIEW = "exit_review", "Uitstroomtoets"
    PERIODIC_REVIEW = "periodic_review", "Periodieke toetsing"
    STAGNATION = "stagnation", "Stagnatie"
    RETENTION = "retention", "Bewaartermijn na afsluiting"


class JobRunStatus(models.TextChoices):
    BEZIG = "bezig", "Bezig"
    GESLAAGD = "geslaagd", "Geslaagd"
    DEELS_MISLUKT = "deels_mislukt", "Deels mislukt"
    MISLUKT = "mislukt", "Mislukt"
    OVERGESLAGEN = "overgeslagen", "Overgeslagen"
    AFGEBROKEN = "afgebroken", "Afgebroken"


class JobTrigger(models.TextChoices):
    PLANNING = "planning", "Planning (beat)"
    HANDMATIG = "handmatig", "Handmatig (run_job)"


class JobRun(models.Model):
    """One run of a job. ``counts``: ``{"flagged": n, "already_flagged": m, …}``; times in UTC."""

    job = models.CharField("taak", max_length=32, choices=JobName.choices)
    as_of = models.DateField("peildatum")
    trigger = models.CharField("gestart door", max_length=16, choices=JobTrigger.choices)
    status = models.CharField("status", max_length=16, choices=JobRunStatus.choices, default=JobRunStatus.BEZIG)
    started_at = models.DateTimeField("begonnen", default=timezone.now)
    finished_at = models.DateTimeField("klaar", null=True, blank=True)
    counts = models.JSONField("aantallen", default=dict, blank=True)
    note = models.CharField("toelichting", max_length=300, blank=True)
    error = models.TextField("fout", blank=True, help_text="Soort fout en plaats in de code; nooit gegevens.")
    task_id = models.CharField("Celery-taak", max_length=64, blank=True)

    class Meta:
        verbose_name = "taakuitvoering"
        verbose_name_plural = "taakuitvoeringen"
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["job", "as_of", "status"])]

    def __str__(self) -> str:
        return f"{self.get_job_display()} {self.as_of:%d-%m-%Y} ({self.get_status_display().lower()})"

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


def _months(label: str, default: int, help_text: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, default=default, help_text=help_text, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )


def _days(label: str, default: int, help_text: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, default=default, help_text=help_text, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )


class JobSettings(models.Model):
    """The periods of the review jobs; exactly one row (``pk = 1``), edited by the functioneel beheerder.

    - ``exit_review_due_days``: days the case director has to handle an exit-review flag (DOMAIN.md §5.6).
    - ``periodic_review_months``: an active case is reviewed at least this often (issue #5: 6 months).
    - ``stagnation_months``: a case this long in one tier without a decision, with overdue actions, is
      flagged as stagnating.
    - ``review_due_days``: days to handle a periodic-review or stagnation flag.
    """

    exit_review_due_days = _days(
        "afhandeltermijn uitstroomtoets (dagen)",
        28,
        "Zoveel dagen na het signaal moet de casusregisseur de uitstroomtoets hebben afgehandeld (1–365). "
        "De uitstroomtermijn zelf (maanden na het laatste delict) staat in het beoordelingskader.",
    )
    periodic_review_months = _months(
        "periodieke toetsing: elke (maanden)",
        6,
        "Een actieve casus wordt minstens zo vaak op proportionaliteit getoetst (1–120).",
    )
    stagnation_months = _months(
        "stagnatie: zelfde niveau zonder besluit (maanden)",
        6,
        "Zo lang zonder besluit, met achterstallige acties, en de casus wordt als stagnerend gesignaleerd (1–120).",
    )
    review_due_days = _days(
        "afhandeltermijn periodieke toetsing en stagnatie (dagen)",
        28,
        "Zoveel dagen na het signaal moet het zijn afgehandeld (1–365).",
    )
    updated_at = models.DateTimeField("gewijzigd op", auto_now=True)

    class Meta:
        verbose_name = "instelling"
        verbose_name_plural = "termijnen van de taken"
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="job_settings_single_row")]

    def __str__(self) -> str:
        return "Termijnen van de taken"

    @classmethod
    def current(cls) -> "JobSettings":
        """The one row (created with its defaults when missing)."""
        settings_row, _ = cls.objects.get_or_create(pk=1)
        return settings_row


class Notification(models.Model):
    """New items on one user's worklist from one job run: ``count`` of ``kind``. No personal data."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField("soort", max_length=32, choices=JobName.choices)
    count = models.PositiveIntegerField("aantal", default=1)
    job_run = models.ForeignKey(JobRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications")
    created_at = models.DateTimeField("aangemaakt", default=timezone.now)
    read_at = models.DateTimeField("gelezen", null=True, blank=True)
    emailed_at = models.DateTimeField("gemaild", null=True, blank=True)

    class Meta:
        verbose_name = "melding"
        verbose_name_plural = "meldingen"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [
            models.UniqueConstraint(fields=["user", "job_run"], name="one_notification_per_user_per_run"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.count}"


class PendingTask(models.Model):
    """A Celery task kept in the database because the broker refused it (``jobs.outbox``).

    ``jobs.outbox_flush`` hands it over again once the broker is back; ``attempts`` counts the tries.
    Arguments are ids and dates only, never personal data (STYLE.md: tasks take ids).
    """

    task = models.CharField("taak", max_length=200)
    args = models.JSONField("argumenten", default=list, blank=True)
    kwargs = models.JSONField("benoemde argumenten", default=dict, blank=True)
    created_at = models.DateTimeField("aangemaakt", default=timezone.now)
    attempts = models.PositiveIntegerField("pogingen", default=0)
    last_error = models.CharField("laatste fout", max_length=200, blank=True)

    class Meta:
        verbose_name = "wachtende taak"
        verbose_name_plural = "wachtende taken"
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.task
