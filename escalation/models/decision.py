"""Proposals and decisions: how a case moves between tiers and statuses (issue #3, DOMAIN.md §3).

A proposal is anyone in the team saying "this case should move"; a decision is the move itself, taken
by the role that may take it (``escalation.moves``), with a rationale and a snapshot of what the rule
engine recommended at that moment — agreeing with it or not. Decisions are never edited.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from cases.models import Case, CaseStatus, ClosingReason, Tier
from partners.models import Organisation, Role
from pga.validators import free_text_validators
from privacy.categories import Category


class ProposalStatus(models.TextChoices):
    OPEN = "open", "Open"
    BESLOTEN = "besloten", "Besloten"


class Proposal(models.Model):
    """A proposal to move a case to another tier; open until a decision on that case settles it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="proposals")
    from_tier = models.CharField("van niveau", max_length=16, choices=Tier.choices)
    to_tier = models.CharField("naar niveau", max_length=16, choices=Tier.choices)
    rationale = models.TextField("onderbouwing", validators=free_text_validators)
    rationale_category = models.CharField(
        "categorie van de onderbouwing", max_length=16, choices=Category.choices, default=Category.PLAN
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("status", max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.OPEN)
    decision = models.ForeignKey("Decision", on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "voorstel"
        verbose_name_plural = "voorstellen"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "to_tier"])]

    def __str__(self) -> str:
        return f"Voorstel {self.get_from_tier_display()} → {self.get_to_tier_display()}"


class DecisionKind(models.TextChoices):
    TIER = "tier", "Niveau"
    STATUS = "status", "Status"


class Decision(models.Model):
    """One decided move, as it was decided: who (user, role, organisation), when, why, on what advice."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField("soort", max_length=16, choices=DecisionKind.choices)
    from_tier = models.CharField("van niveau", max_length=16, choices=Tier.choices)
    to_tier = models.CharField("naar niveau", max_length=16, choices=Tier.choices, blank=True)
    from_status = models.CharField("van status", max_length=16, choices=CaseStatus.choices)
    to_status = models.CharField("naar status", max_length=16, choices=CaseStatus.choices, blank=True)
    closing_reason = models.CharField("reden afsluiting", max_length=32, choices=ClosingReason.choices, blank=True)
    rationale = models.TextField("onderbouwing", validators=free_text_validators)
    rationale_category = models.CharField(
        "categorie van de onderbouwing", max_length=16, choices=Category.choices, default=Category.PLAN
    )
    override_reason = models.TextField(
        "reden afwijking uitstroomdatum",
        blank=True,
        validators=free_text_validators,
        help_text="Reden om af te sluiten vóór de vroegste uitstroomdatum (minimaal een jaar na het laatste delict).",
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by_role = models.CharField("rol", max_length=32, choices=Role.choices)
    decided_by_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField("datum", default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)
    recommendation = models.JSONField("advies op dat moment", default=dict)
    agrees_with_recommendation = models.BooleanField("volgt het advies", null=True, blank=True)
    conference = models.ForeignKey(
        "CaseConference",
        verbose_name="casusoverleg",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )

    class Meta:
        verbose_name = "besluit"
        verbose_name_plural = "besluiten"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="tier") & ~models.Q(to_tier="") & models.Q(to_status=""))
                | (models.Q(kind="status") & models.Q(to_tier="") & ~models.Q(to_status="")),
                name="decision_is_a_tier_or_a_status_move",
                violation_error_message="Een besluit gaat over het niveau óf over de status.",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == DecisionKind.TIER:
            return f"Besluit {self.get_from_tier_display()} → {self.get_to_tier_display()}"
        return f"Besluit {self.get_from_status_display()} → {self.get_to_status_display()}"
