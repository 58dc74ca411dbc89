"""Break-the-glass grants and the privacy officer's review tasks (issue #4)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from pga.validators import free_text_validators

from .access_log import AccessLogEntry


class BreakTheGlassGrant(models.Model):
    """Emergency read access to one case by a case or process director outside its team, with a
    written reason, until ``expires_at`` (UTC; ``settings.PGA_BREAK_THE_GLASS_HOURS`` after granting)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", verbose_name="casus", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="gebruiker", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("reden", validators=free_text_validators)
    granted_at = models.DateTimeField("verleend op (UTC)")
    expires_at = models.DateTimeField("verloopt op (UTC)")
    revoked_at = models.DateTimeField("ingetrokken op (UTC)", null=True, blank=True)

    class Meta:
        verbose_name = "noodtoegang"
        verbose_name_plural = "noodtoegangen"
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "case", "expires_at"], name="btg_user_case_expires")]
        constraints = [models.CheckConstraint(condition=Q(expires_at__gt=models.F("granted_at")), name="btg_expires_after_grant")]

    def __str__(self) -> str:
        return f"Noodtoegang {self.granted_at:%Y-%m-%d %H:%M}"


class ReviewKind(models.TextChoices):
    DENIED = "geweigerd", "Geweigerde toegang"
    BREAK_THE_GLASS = "noodtoegang", "Noodtoegang"


class ReviewOutcome(models.TextChoices):
    OPEN = "open", "Te beoordelen"
    JUSTIFIED = "gerechtvaardigd", "Gerechtvaardigd"
    NOT_JUSTIFIED = "niet_gerechtvaardigd", "Niet gerechtvaardigd"


class PrivacyReview(models.Model):
    """A task for the privacy officer: judge a denied attempt or a break-the-glass use."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("soort", max_length=16, choices=ReviewKind.choices)
    entry = models.ForeignKey(
        AccessLogEntry, verbose_name="logregel", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    grant = models.ForeignKey(
        BreakTheGlassGrant, verbose_name="noodtoegang", on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )
    created_at = models.DateTimeField("aangemaakt op (UTC)")
    outcome = models.CharField("oordeel", max_length=24, choices=ReviewOutcome.choices, default=ReviewOutcome.OPEN)
    note = models.TextField("toelichting", blank=True, validators=free_text_validators)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="beoordeeld door",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("beoordeeld op (UTC)", null=True, blank=True)

    class Meta:
        verbose_name = "privacybeoordeling"
        verbose_name_plural = "privacybeoordelingen"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["outcome", "created_at"], name="review_outcome_created")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_outcome_display().lower()})"
