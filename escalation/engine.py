"""The recommendation: which tier the criteria point to, and whether an exit review is due.

``recommend`` is pure: the same snapshot and rule-set version give the same recommendation.
``recommended_tier`` is the highest tier whose criterion holds, else ``basisinzet`` (issue #3);
``exit_review`` is reported on its own and never hides an escalation. The engine only recommends —
people decide, and no code here changes a tier (DOMAIN.md §5.5).
"""

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from cases.models import Tier

from .criteria import CRITERIA, CriterionResult
from .parameters import Rules
from .snapshot import CaseSnapshot

# Which tier a criterion points to when it holds. Tiers lowest first, as in DOMAIN.md §3.
CRITERION_TIERS = {"top_x": Tier.ZVHRU, "doorgroeier": Tier.LOKALE_PGA}
TIER_ORDER = (Tier.BASISINZET, Tier.LOKALE_PGA, Tier.ZVHRU)


@dataclasses.dataclass(frozen=True)
class Recommendation:
    """The engine's advice for one case; ``evaluated_at`` is an aware datetime (UTC in ``as_dict``)."""

    recommended_tier: str
    current_tier: str
    exit_review: bool
    criteria: tuple[CriterionResult, ...]
    rule_set_version: int
    evaluated_at: dt.datetime

    @property
    def differs(self) -> bool:
        """True when the advice is another tier than the current one."""
        return self.recommended_tier != self.current_tier

    def recommended_tier_label(self) -> str:
        return Tier(self.recommended_tier).label

    def as_dict(self) -> dict[str, Any]:
        """The advice as a record, JSON-ready: what a decision stores as its snapshot of the advice
        (``Decision.recommendation``), with every fact. Each criterion lists its fact texts and, per fact,
        the categories it reveals (``fact_categories``) and its finer parts (``fact_parts``), so a stored
        advice can later be cut for a viewer exactly like a live one. Never served as it is: the API and
        the pages show ``escalation.disclosure.advice_shown`` of it."""
        return {
            "recommended_tier": self.recommended_tier,
            "current_tier": self.current_tier,
            "exit_review": self.exit_review,
            "criteria": [
                {
                    "code": result.code,
                    "met": result.met,
                    "facts": [fact.text for fact in result.facts],
                    "fact_categories": [sorted(fact.categories) for fact in result.facts],
                    "fact_parts": [
                        [{"text": part.text, "categories": sorted(part.categories)} for part in fact.parts]
                        for fact in result.facts
                    ],
                }
                for result in self.criteria
            ],
            "rule_set_version": self.rule_set_version,
            "evaluated_at": self.evaluated_at.astimezone(dt.UTC).isoformat(),
        }


def recommend(snapshot: CaseSnapshot, rule_set: Rules, *, evaluated_at: dt.datetime | None = None) -> Recommendation:
    """Evaluate every criterion of ``rule_set`` on ``snapshot``.

    ``evaluated_at`` (aware) defaults to now; pass it to make the result fully reproducible.
    """
    results = tuple(criterion(snapshot, rule_set.parameters) for criterion in CRITERIA)
    met = {result.code for result in results if result.met}
    return Recommendation(
        recommended_tier=highest_tier(CRITERION_TIERS[code] for code in met if code in CRITERION_TIERS),
        current_tier=snapshot.current_tier,
        exit_review="exit" in met,
        criteria=results,
        rule_set_version=rule_set.version,
        evaluated_at=evaluated_at or timezone.now(),
    )


def highest_tier(tiers: Iterable[str]) -> str:
    """The highest of ``tiers`` in the escalation model's order; ``basisinzet`` when there are none."""
    return str(max(tiers, key=TIER_ORDER.index, default=Tier.BASISINZET))
