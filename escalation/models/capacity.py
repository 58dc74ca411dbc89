"""Capacity: how many active cases a tier, and each director, can carry (DOMAIN.md §3: capacity is scarce).

An administrator sets a capacity per tier (``TierCapacity``) and per director (``DirectorCapacity``);
a director row without a user is the default for every director of that role. A case counts when its
status is ``actief``. Exceeding a capacity is allowed — the decision form warns, it never blocks
(issue #3, "Capacity"); ``escalation.capacity`` computes the numbers.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from cases.models import Tier
from partners.models import Role
from pga.validators import free_text_validators


class TierCapacity(models.Model):
    """The number of active cases one tier can carry (e.g. ZVHRU: 40 for the region)."""

    tier = models.CharField("niveau", max_length=16, choices=Tier.choices, unique=True)
    capacity = models.PositiveIntegerField("capaciteit (actieve casussen)")
    note = models.TextField("toelichting", blank=True, validators=free_text_validators)

    class Meta:
        verbose_name = "capaciteit per niveau"
        verbose_name_plural = "capaciteit per niveau"
        ordering = ["tier"]

    def __str__(self) -> str:
        return f"{self.get_tier_display()}: {self.capacity}"


DIRECTOR_ROLES = [
    (Role.CASE_DIRECTOR.value, Role.CASE_DIRECTOR.label),
    (Role.PROCESS_DIRECTOR.value, Role.PROCESS_DIRECTOR.label),
]


class DirectorCapacity(models.Model):
    """The maximum number of active cases one director directs; without ``user``: the default for ``role``.

    A case director counts the cases they are casusregisseur of, a process director those they are
    procesregisseur of.
    """

    role = models.CharField("rol", max_length=32, choices=DIRECTOR_ROLES)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="regisseur",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"role__in": [Role.CASE_DIRECTOR, Role.PROCESS_DIRECTOR]},
        help_text="Leeg: de standaard voor iedere regisseur met deze rol.",
    )
    capacity = models.PositiveIntegerField("maximum actieve casussen")
    note = models.TextField("toelichting", blank=True, validators=free_text_validators)

    class Meta:
        verbose_name = "capaciteit per regisseur"
        verbose_name_plural = "capaciteit per regisseur"
        ordering = ["role", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["role"],
                condition=Q(user__isnull=True),
                name="one_default_capacity_per_role",
                violation_error_message="Er is al een standaardcapaciteit voor deze rol.",
            ),
        ]

    def __str__(self) -> str:
        who = str(self.user) if self.user_id else f"standaard {self.get_role_display()}"
        return f"{who}: {self.capacity}"

    def clean(self) -> None:
        if self.user is not None and self.user.role != self.role:
            raise ValidationError({"user": "Deze gebruiker heeft een andere rol."})
