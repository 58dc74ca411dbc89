"""Retention after closure (issue #5 job 4; DOMAIN.md §8 "kept no longer than needed").

- ``RetentionPeriod``: per closing reason (``cases.ClosingReason``) how many calendar months after
  ``Case.closed_on`` a closed case is kept. Administrators edit the values in /beheer/; a value nobody
  has confirmed is a *placeholder* (``confirmed_at`` empty) and every screen says so, until the privacy
  officer confirms it. Changing the number of months clears the confirmation.
- ``DestructionListItem``: a closed case past its period, proposed for destruction by the nightly job.
  The privacy officer approves it or places a legal hold; the job destroys approved items. Statuses
  and their allowed moves: ``privacy.retention.MOVES``.
- ``DestructionRecord``: the tombstone of one destroyed case — what was destroyed (row counts per
  table), when and on whose approval. It holds no personal data: no names, BSN, dates of birth or free
  text; of the closing date only month and year.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from cases.models import ClosingReason, Tier

PLACEHOLDER_LABEL = "voorlopige waarde, nog te bevestigen door de privacyfunctionaris"
"""Shown wherever an unconfirmed retention period appears (admin, officer pages)."""


class RetentionPeriod(models.Model):
    """How long a case closed for ``closing_reason`` is kept: ``months`` calendar months after its
    closing date. One row per closing reason (seeded by migration 0005 with placeholder values)."""

    closing_reason = models.CharField("reden afsluiting", max_length=32, choices=ClosingReason.choices, unique=True)
    months = models.PositiveSmallIntegerField(
        "bewaartermijn (maanden na afsluiting)", validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    rationale = models.TextField("onderbouwing", blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="bevestigd door",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("bevestigd op (UTC)", null=True, blank=True)
    updated_at = models.DateTimeField("gewijzigd op", auto_now=True)

    class Meta:
        verbose_name = "bewaartermijn"
        verbose_name_plural = "bewaartermijnen"
        ordering = ["closing_reason"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True, confirmed_by__isnull=True)
                | Q(confirmed_at__isnull=False, confirmed_by__isnull=False),
                name="retention_period_confirmed_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_closing_reason_display()}: {self.months} maanden"

    @property
    def is_placeholder(self) -> bool:
        """True while no privacy officer has confirmed the value."""
        return self.confirmed_at is None


class DestructionStatus(models.TextChoices):
    VOORGESTELD = "voorgesteld", "Voorgesteld"
    GOEDGEKEURD = "goedgekeurd", "Goedgekeurd"
    AANGEHOUDEN = "aangehouden", "Aangehouden (bewaarplicht)"
    VERNIETIGD = "vernietigd", "Vernietigd"
    INGETROKKEN = "ingetrokken", "Ingetrokken"


OPEN_STATUSES = (DestructionStatus.VOORGESTELD, DestructionStatus.GOEDGEKEURD, DestructionStatus.AANGEHOUDEN)
"""Statuses of an item still waiting for something (the officer, the job, or a lifted hold)."""


class DestructionListItem(models.Model):
    """One case on the destruction list. Dates are Europe/Amsterdam calendar days.

    ``eligible_on``: ``closed_on`` + the period (calendar months); ``listed_on``: the job's day.
    ``case`` becomes empty when the case is destroyed; ``case_ref`` keeps its UUID. Integer ids: the
    job inserts items with one ``INSERT … SELECT`` (``pga.db.insert_select``).
    """

    id = models.BigAutoField(primary_key=True)
    case = models.ForeignKey(
        "cases.Case", verbose_name="casus", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    case_ref = models.UUIDField("casusnummer")
    status = models.CharField("status", max_length=16, choices=DestructionStatus.choices, default=DestructionStatus.VOORGESTELD)
    listed_on = models.DateField("op de lijst gezet op")
    eligible_on = models.DateField("te vernietigen vanaf")
    period_months = models.PositiveSmallIntegerField("bewaartermijn (maanden)")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="goedgekeurd door",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField("goedgekeurd op (UTC)", null=True, blank=True)
    hold = models.ForeignKey(
        "privacy.LegalHold", verbose_name="bewaarplicht", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    job_run = models.ForeignKey("jobs.JobRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    error = models.TextField("fout bij vernietigen", blank=True, help_text="Soort fout en plaats in de code; nooit gegevens.")
    created_at = models.DateTimeField("aangemaakt op (UTC)")

    class Meta:
        verbose_name = "vernietigingslijst: casus"
        verbose_name_plural = "vernietigingslijst"
        ordering = ["eligible_on", "id"]
        indexes = [models.Index(fields=["status", "eligible_on"], name="destruction_status_eligible")]
        constraints = [
            models.UniqueConstraint(
                fields=["case_ref"],
                condition=~Q(status="ingetrokken"),
                name="one_destruction_item_per_case",
                violation_error_message="Deze casus staat al op de vernietigingslijst.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["goedgekeurd", "vernietigd"]) | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="approved_destruction_has_approver",
                violation_error_message="Een goedgekeurde vernietiging heeft een goedkeurder.",
            ),
        ]

    def __str__(self) -> str:
        return f"Vernietigingslijst: casus {str(self.case_ref)[:8]} ({self.get_status_display().lower()})"


class DestructionRecord(models.Model):
    """The tombstone of one destroyed case. ``deleted``: ``{model label: rows deleted}``;
    ``anonymised``: ``{model label: rows kept without the person's data}``. No personal data."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.OneToOneField(
        DestructionListItem, verbose_name="lijstregel", on_delete=models.SET_NULL, null=True, blank=True, related_name="record"
    )
    case_ref = models.UUIDField("casusnummer", unique=True)
    closing_reason = models.CharField("reden afsluiting", max_length=32, choices=ClosingReason.choices)
    tier = models.CharField("niveau", max_length=16, choices=Tier.choices)
    closed_year = models.PositiveSmallIntegerField("afgesloten in (jaar)")
    closed_month = models.PositiveSmallIntegerField(
        "afgesloten in (maand)", validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    period_months = models.PositiveSmallIntegerField("toegepaste bewaartermijn (maanden)")
    person_erased = models.BooleanField("persoon verwijderd", help_text="Nee: de persoon heeft nog een andere casus.")
    deleted = models.JSONField("verwijderde rijen per tabel", default=dict, blank=True)
    anonymised = models.JSONField("geanonimiseerde rijen per tabel", default=dict, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="goedgekeurd door", on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField("goedgekeurd op (UTC)")
    destroyed_at = models.DateTimeField("vernietigd op (UTC)")
    job_run = models.ForeignKey("jobs.JobRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "vernietigingsverklaring"
        verbose_name_plural = "vernietigingsverklaringen"
        ordering = ["-destroyed_at"]

    def __str__(self) -> str:
        return f"Vernietigd: casus {str(self.case_ref)[:8]} ({self.destroyed_at:%Y-%m-%d})"
