"""The plan van aanpak: goals per leefgebied, and actions assigned to partners (DOMAIN.md §6).

Every action has an owning organisation, optionally a responsible professional, a due date and a
status, and is tagged ``grenzen_stellen`` (repressive) or ``perspectief_bieden`` (preventive).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from partners.models import Organisation
from pga.validators import free_text_validators

from .case import Case
from .facts import Leefgebied
from .reference import Intervention


class CasePlan(models.Model):
    """The plan of one case; created with the case."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="plan")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "plan van aanpak"
        verbose_name_plural = "plannen van aanpak"

    def __str__(self) -> str:
        return f"Plan van aanpak ({self.case_id})"


class Goal(models.Model):
    """A goal on one leefgebied."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(CasePlan, on_delete=models.CASCADE, related_name="goals")
    leefgebied = models.CharField("leefgebied", max_length=32, choices=Leefgebied.choices)
    description = models.TextField("doel", validators=free_text_validators)
    achieved = models.BooleanField("behaald", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "doel"
        verbose_name_plural = "doelen"
        ordering = ["leefgebied", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_leefgebied_display()}: {self.description[:60]}"

    def clean(self) -> None:
        if not (self.description or "").strip():
            raise ValidationError({"description": "Omschrijf het doel."})


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    LOPEND = "lopend", "Lopend"
    AFGEROND = "afgerond", "Afgerond"
    VERVALLEN = "vervallen", "Vervallen"


class ActionKind(models.TextChoices):
    GRENZEN_STELLEN = "grenzen_stellen", "Grenzen stellen"
    PERSPECTIEF_BIEDEN = "perspectief_bieden", "Perspectief bieden"


class Action(models.Model):
    """An action under a goal, owned by a partner organisation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField("actie", validators=free_text_validators)
    owning_organisation = models.ForeignKey(Organisation, verbose_name="eigenaar", on_delete=models.PROTECT, related_name="+")
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="verantwoordelijke",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField("uiterlijk op", null=True, blank=True)
    status = models.CharField("status", max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    kind = models.CharField("soort", max_length=32, choices=ActionKind.choices)
    intervention = models.ForeignKey(
        Intervention, verbose_name="interventie", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "actie"
        verbose_name_plural = "acties"
        ordering = ["due_on", "created_at"]

    def __str__(self) -> str:
        return self.description[:80]

    def clean(self) -> None:
        if not (self.description or "").strip():
            raise ValidationError({"description": "Omschrijf de actie."})
        if (
            self.responsible_user is not None
            and self.owning_organisation_id
            and self.responsible_user.organisation_id != self.owning_organisation_id
        ):
            raise ValidationError({"responsible_user": "De verantwoordelijke werkt niet bij de eigenaar van de actie."})

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.due_on and self.due_on < timezone.localdate() and self.status in (ActionStatus.OPEN, ActionStatus.LOPEND)
        )
