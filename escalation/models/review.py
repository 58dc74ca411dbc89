"""Review flags: the signals the nightly jobs raise on a case for its directors (issue #5).

- ``uitstroom``: the earliest exit date (DOMAIN.md §5.6) has passed — review for exit or de-escalation;
- ``periodiek``: the periodic proportionality review is overdue (DOMAIN.md §5, §8);
- ``stagnatie``: the case sits in one tier without a decision while actions are overdue.

A flag is raised once for what it is about (``basis_on``: the exit date, the review's due date, the
date since which the case has been without a decision): at most one open flag per case and kind, and
never a second open-or-handled flag for the same basis — a withdrawn flag does not count, so a flag
withdrawn because a later offence moved the exit date returns if that offence is corrected away.
Flag ids are integers: the jobs insert them with one ``INSERT … SELECT`` on PostgreSQL and SQLite.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases.models import Case
from pga.validators import free_text_validators

from .conference import CaseConference


class FlagKind(models.TextChoices):
    UITSTROOM = "uitstroom", "Uitstroomtoets"
    PERIODIEK = "periodiek", "Periodieke toetsing"
    STAGNATIE = "stagnatie", "Stagnatie"


class FlagStatus(models.TextChoices):
    OPEN = "open", "Open"
    AFGEHANDELD = "afgehandeld", "Afgehandeld"
    INGETROKKEN = "ingetrokken", "Ingetrokken"


class ReviewFlag(models.Model):
    """One signal on one case. Dates are local (Europe/Amsterdam) calendar days.

    ``basis_on``: the date the signal is about; ``raised_on``: the job's day; ``due_on``: handle by.
    ``conference``: for a Top X case, the next casusoverleg it was proposed for. ``closed_by`` is empty
    when a job closed the flag (withdrawn, or settled by a decision).
    """

    id = models.BigAutoField(primary_key=True)
    case = models.ForeignKey(Case, verbose_name="casus", on_delete=models.CASCADE, related_name="review_flags")
    kind = models.CharField("soort", max_length=16, choices=FlagKind.choices)
    status = models.CharField("status", max_length=16, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    reason = models.CharField("reden", max_length=300)
    basis_on = models.DateField("betreft datum")
    raised_on = models.DateField("gesignaleerd op")
    due_on = models.DateField("af te handelen voor")
    conference = models.ForeignKey(
        CaseConference, verbose_name="voorgesteld voor", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    job_run = models.ForeignKey("jobs.JobRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    closed_on = models.DateField("gesloten op", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="gesloten door", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closing_note = models.TextField("toelichting", blank=True, validators=free_text_validators)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "signaal"
        verbose_name_plural = "signalen"
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "kind"])]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=Q(status="open"),
                name="one_open_flag_per_case_and_kind",
                violation_error_message="Deze casus heeft al een open signaal van deze soort.",
            ),
            models.UniqueConstraint(
                fields=["case", "kind", "basis_on"],
                condition=~Q(status="ingetrokken"),
                name="flag_raised_once_per_basis",
                violation_error_message="Dit signaal is al eens gegeven.",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_on__isnull=False),
                name="closed_flag_has_date",
                violation_error_message="Een gesloten signaal heeft een datum.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display().lower()})"
