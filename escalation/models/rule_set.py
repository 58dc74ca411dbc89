"""Rule sets (beoordelingskaders): the versioned, data-only parameters of the escalation criteria.

DOMAIN.md §5 asks for criteria that are data, not code, and versioned, with every recommendation
recording the version it used. A rule set is ``draft`` while an administrator edits it, ``active``
once activated (exactly one at a time — a partial unique constraint), and ``retired`` when another
version took its place. Only drafts change; ``escalation.services`` holds those rules.
The parameters are one JSON document whose schema is ``escalation.parameters``
(docs/decisions/0007-rule-sets-as-data.md).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property

from pga.validators import free_text_validators

from ..parameters import Rules, parameters_parse


class RuleSetStatus(models.TextChoices):
    DRAFT = "draft", "Concept"
    ACTIVE = "active", "Actief"
    RETIRED = "retired", "Vervallen"


class RuleSet(models.Model):
    """One version of the beoordelingskader. ``parameters``: see ``escalation.parameters``."""

    version = models.PositiveIntegerField("versie", unique=True)
    status = models.CharField("status", max_length=16, choices=RuleSetStatus.choices, default=RuleSetStatus.DRAFT)
    parameters = models.JSONField("parameters")
    note = models.TextField(
        "toelichting",
        blank=True,
        validators=free_text_validators,
        help_text="Waar de waarden vandaan komen en wat nog met de ketenpartners te bevestigen is.",
    )
    based_on = models.ForeignKey(
        "self", verbose_name="gebaseerd op", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="aangemaakt door",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="geactiveerd door",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    activated_at = models.DateTimeField("geactiveerd op", null=True, blank=True)
    retired_at = models.DateTimeField("vervallen op", null=True, blank=True)

    class Meta:
        verbose_name = "beoordelingskader"
        verbose_name_plural = "beoordelingskaders"
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status=RuleSetStatus.ACTIVE),
                name="one_active_rule_set",
                violation_error_message="Er is al een actief beoordelingskader.",
            ),
            models.CheckConstraint(
                condition=Q(status=RuleSetStatus.DRAFT) | Q(activated_at__isnull=False),
                name="rule_set_activated_has_date",
                violation_error_message="Een actief of vervallen beoordelingskader heeft een activeringsdatum.",
            ),
            models.CheckConstraint(
                condition=~Q(status=RuleSetStatus.RETIRED) | Q(retired_at__isnull=False),
                name="rule_set_retired_has_date",
                violation_error_message="Een vervallen beoordelingskader heeft een datum van vervallen.",
            ),
        ]

    def __str__(self) -> str:
        return f"Beoordelingskader versie {self.version} ({self.get_status_display().lower()})"

    def clean(self) -> None:
        try:
            parameters_parse(self.parameters)
        except ValidationError as error:
            messages = [f"{key}: {message}" for key, texts in error.message_dict.items() for message in texts]
            raise ValidationError({"parameters": messages}) from None

    @cached_property
    def rules(self) -> Rules:
        """The typed parameters with this version. Raises ``ValidationError`` for an invalid document."""
        return Rules(version=self.version, parameters=parameters_parse(self.parameters))
