"""What-if runs: a draft rule set evaluated against the active one over all active cases (issue #3).

A run records which draft was compared with which active version, its progress (cases evaluated of
the total), and its result: ``matrix`` counts every pair "advice now → advice under the draft", and
one ``WhatIfMove`` per case whose advice would change. Administrators see the counts only; others see
the moves of the cases they may see (``escalation.whatif``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from cases.models import Case, Tier

from .rule_set import RuleSet


class WhatIfStatus(models.TextChoices):
    QUEUED = "queued", "In de wachtrij"
    RUNNING = "running", "Bezig"
    DONE = "done", "Klaar"
    FAILED = "failed", "Mislukt"


class WhatIfRun(models.Model):
    """One evaluation of ``draft`` against ``baseline``. ``matrix``: ``{from tier: {to tier: count}}``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    draft = models.ForeignKey(RuleSet, verbose_name="concept", on_delete=models.PROTECT, related_name="+")
    baseline = models.ForeignKey(RuleSet, verbose_name="vergeleken met", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("status", max_length=16, choices=WhatIfStatus.choices, default=WhatIfStatus.QUEUED)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField("actieve casussen", default=0)
    evaluated = models.PositiveIntegerField("beoordeeld", default=0)
    matrix = models.JSONField("verschuivingen", default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = "proefberekening"
        verbose_name_plural = "proefberekeningen"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Proefberekening versie {self.draft.version} tegen versie {self.baseline.version}"

    @property
    def finished(self) -> bool:
        return self.status in (WhatIfStatus.DONE, WhatIfStatus.FAILED)


class WhatIfMove(models.Model):
    """A case whose advice would change under the run's draft: ``from_tier`` now, ``to_tier`` then."""

    run = models.ForeignKey(WhatIfRun, on_delete=models.CASCADE, related_name="moves")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    from_tier = models.CharField(max_length=16, choices=Tier.choices)
    to_tier = models.CharField(max_length=16, choices=Tier.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "case"], name="one_move_per_case_per_run")]

    def __str__(self) -> str:
        return f"{self.get_from_tier_display()} → {self.get_to_tier_display()}"
