"""The sharing matrix as versioned data (DOMAIN.md §8, issue #4).

A ``SharingMatrix`` is one version: a concept while the administrator edits it, then active (exactly
one at a time), then replaced. Its ``SharingRule`` rows give, for a role in a partner domain — or in
one organisation, or in every domain — the ``Access`` level to one ``Category`` with the legal basis it
rests on. Both models are audited (django-auditlog); the active version is never edited in place
(``privacy.services``), so what a partner could see on a given day stays traceable.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from partners.models import Domain, Organisation, Role
from pga.validators import free_text_validators

from ..categories import Access, Category


class MatrixStatus(models.TextChoices):
    CONCEPT = "concept", "Concept"
    ACTIEF = "actief", "Actief"
    VERVANGEN = "vervangen", "Vervangen"


class SharingMatrix(models.Model):
    """One version of the sharing matrix."""

    version = models.PositiveIntegerField("versie", unique=True)
    status = models.CharField("status", max_length=16, choices=MatrixStatus.choices, default=MatrixStatus.CONCEPT)
    note = models.TextField("toelichting", blank=True, validators=free_text_validators)
    activated_at = models.DateTimeField("geactiveerd op", null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="geactiveerd door",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)

    class Meta:
        verbose_name = "deelmatrix"
        verbose_name_plural = "deelmatrices"
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=Q(status="actief"), name="one_active_sharing_matrix"),
        ]

    def __str__(self) -> str:
        return f"Deelmatrix versie {self.version} ({self.get_status_display().lower()})"


class SharingRule(models.Model):
    """One cell: what ``role`` in ``organisation`` (or ``domain``, or every domain when both are empty)
    may do with ``category``. An organisation's cell overrides its domain's, a domain's the general one."""

    matrix = models.ForeignKey(SharingMatrix, verbose_name="deelmatrix", on_delete=models.CASCADE, related_name="rules")
    organisation = models.ForeignKey(
        Organisation, verbose_name="organisatie", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    domain = models.CharField("domein", max_length=16, choices=Domain.choices, blank=True)
    role = models.CharField("rol", max_length=32, choices=Role.choices)
    category = models.CharField("categorie", max_length=16, choices=Category.choices)
    access = models.PositiveSmallIntegerField("toegang", choices=Access.choices, default=Access.GEEN)
    legal_basis = models.TextField("grondslag", validators=free_text_validators)

    class Meta:
        verbose_name = "cel van de deelmatrix"
        verbose_name_plural = "cellen van de deelmatrix"
        ordering = ["matrix", "role", "domain", "organisation", "category"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) | Q(domain=""),
                name="sharing_rule_organisation_or_domain",
                violation_error_message="Kies een organisatie óf een domein, niet allebei.",
            ),
            models.UniqueConstraint(
                fields=["matrix", "organisation", "role", "category"],
                condition=Q(organisation__isnull=False),
                name="sharing_rule_unique_organisation_cell",
                violation_error_message="Deze cel staat al in de deelmatrix.",
            ),
            models.UniqueConstraint(
                fields=["matrix", "domain", "role", "category"],
                condition=Q(organisation__isnull=True),
                name="sharing_rule_unique_domain_cell",
                violation_error_message="Deze cel staat al in de deelmatrix.",
            ),
        ]

    def __str__(self) -> str:
        scope = str(self.organisation) if self.organisation_id else (self.get_domain_display() or "alle domeinen")
        return f"{self.get_role_display()} · {scope} · {self.get_category_display()}: {self.get_access_display()}"

    def clean(self) -> None:
        if self.access > Access.GEEN and not self.legal_basis.strip():
            raise ValidationError({"legal_basis": "Geef de grondslag waarop deze gegevens gedeeld worden."})
