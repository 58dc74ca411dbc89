"""What of the escalation advice a viewer may see — the one place that decides it (DOMAIN.md §8, issue #4).

``advice_shown(advice, visible)`` turns a live ``Recommendation`` or a stored one (``Decision.
recommendation``, the record of ``Recommendation.as_dict()``) into an ``AdviceShown`` for a viewer who
reads the fact categories ``visible``. The API (``escalation.api.recommendation``, ``…api.decisions``),
the case page's advice panel (``escalation.views``), the conference pages and the what-if page all go
through it, so the browser and the API show the same verdicts and the same facts. The rules:

1. **Facts.** A fact is shown when the viewer *reads* every category it reveals (``FACT_CATEGORIES``
   onto the sharing matrix; the ``kenmerk`` level is not reading). A fact the viewer may not see whole
   is replaced by those of its ``parts`` they may see: a fact over the assessment becomes one fact per
   leefgebied score, each with its own category, so a zorg partner sees the zorg score and a sociaal
   partner the sociaal scores (``escalation.criteria.SCORE_CATEGORIES``).
2. **Verdicts.** A criterion's verdict (``met``) is shown only when every fact it was judged on is shown
   whole; otherwise it is absent — "Voldaan" on facts the viewer may not read would reveal them.
3. **Exit review.** ``exit_review`` *is* the verdict of the ``exit`` criterion (earliest exit date,
   derived from the last offence, and the blocking scores): shown only with that verdict.
4. **The recommended tier** is shown to whoever reads ``plan``, even when they read none of the facts
   it was derived from. DOMAIN.md §8 files decisions — and so the tier, the level the plan is carried
   out on — under ``plan``, and draws the legal line at the *details*: "a care partner does not see
   offence details and a police officer does not see diagnoses". The advised tier names no offence,
   score or diagnosis; every team member already reads the case's current tier as ``plan``
   (``privacy.policy.FIELDS["case"]["tier"]``) and will read the tier the directors decide on; and the
   advice is what they discuss in the casusoverleg (DOMAIN.md §5.5: the engine only recommends, people
   decide). Nothing in DOMAIN.md asks to hide it, so it is shown; *why* it is advised (the verdicts and
   facts) follows rules 1–2. A viewer without ``plan`` gets no tier, current or advised.

Absent, not null (ADR 0011): ``AdviceShown.as_dict`` omits every key the viewer may not see, and a
template gets ``None`` for them — the hidden values are not in the object at all.
"""

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

from cases.models import Case, Tier
from cases.selectors import cases_visible_to
from partners.models import User
from privacy import policy
from privacy.categories import Category

from .criteria import AREAS, ID, JUST, LABELS, NET, FactCategory
from .engine import Recommendation

FACT_CATEGORIES: dict[FactCategory, Category] = {fact: Category(fact.value) for fact in FactCategory}
"""How the advice's fact categories map onto the sharing matrix (issue #4: derived values carry their
sources' category). Offence, detention and drug-network facts and the earliest exit date are
``justitieel``; each leefgebied score has its own category (``criteria.SCORE_CATEGORIES``) and a fact
over all scores has all of them; age ``identificatie``; families ``netwerk``. A fact needs *reading*
access to each of its categories: the ``kenmerk`` level (a zorg partner's "date of the last offence")
reveals no fact, as the exit fact also states the earliest exit date."""

EVERY_CATEGORY = frozenset(FactCategory)
EXIT_REVIEW_CATEGORIES = JUST | AREAS
"""What an exit review (the exit criterion's verdict) is judged on: the earliest exit date and the scores."""


def fact_categories_read(disclosure: policy.Disclosure) -> frozenset[FactCategory]:
    """The fact categories ``disclosure`` lets its user read (for cases already known to be visible)."""
    return frozenset(fact for fact, category in FACT_CATEGORIES.items() if disclosure.reads(category))


def fact_categories_visible_to(viewer: User, case: Case) -> frozenset[FactCategory]:
    """The data categories (DOMAIN.md §8) of ``case`` whose facts ``viewer`` may see: those the sharing
    matrix lets them read (``privacy.policy.disclosure_for``), none when they may not see the case
    (``cases.selectors.cases_visible_to``). Two queries at most (the matrix once per request)."""
    if not cases_visible_to(viewer).filter(pk=case.pk).exists():
        return frozenset()
    return fact_categories_read(policy.disclosure_for(viewer))


class Verdict(StrEnum):
    """A criterion's verdict as shown: ``met`` True, False, or None (the directors judge)."""

    VOLDAAN = "voldaan"
    NIET_VOLDAAN = "niet_voldaan"
    TE_BEOORDELEN = "te_beoordelen"

    @classmethod
    def of(cls, met: bool | None) -> "Verdict":
        return cls.TE_BEOORDELEN if met is None else cls.VOLDAAN if met else cls.NIET_VOLDAAN

    @property
    def met(self) -> bool | None:
        return None if self is Verdict.TE_BEOORDELEN else self is Verdict.VOLDAAN


@dataclasses.dataclass(frozen=True)
class CriterionShown:
    """One criterion as a viewer may see it: ``verdict`` None when it was judged on facts they may not see."""

    code: str
    verdict: Verdict | None
    facts: tuple[str, ...]

    @property
    def label(self) -> str:
        return LABELS.get(self.code, self.code)

    def as_dict(self) -> dict[str, Any]:
        """The API shape: ``met`` absent with the verdict."""
        data: dict[str, Any] = {"code": self.code}
        if self.verdict is not None:
            data["met"] = self.verdict.met
        data["facts"] = list(self.facts)
        return data


@dataclasses.dataclass(frozen=True)
class AdviceShown:
    """The advice as a viewer may see it. ``None``: not shown (absent from ``as_dict``). ``categories``:
    the categories it discloses, for the access log."""

    recommended_tier: str | None
    current_tier: str | None
    exit_review: bool | None
    criteria: tuple[CriterionShown, ...]
    rule_set_version: int | None
    evaluated_at: dt.datetime | None
    categories: frozenset[str]

    @property
    def differs(self) -> bool:
        return self.recommended_tier is not None and self.recommended_tier != self.current_tier

    @property
    def complete(self) -> bool:
        """True when every criterion shows its verdict (nothing was judged on hidden facts)."""
        return all(criterion.verdict is not None for criterion in self.criteria)

    def recommended_tier_label(self) -> str:
        return Tier(self.recommended_tier).label if self.recommended_tier else ""

    def as_dict(self) -> dict[str, Any]:
        """The API shape (``RecommendationSerializer``), JSON-ready, without the keys not shown."""
        data: dict[str, Any] = {}
        for key in ("recommended_tier", "current_tier", "exit_review"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        data["criteria"] = [criterion.as_dict() for criterion in self.criteria]
        if self.rule_set_version is not None:
            data["rule_set_version"] = self.rule_set_version
        if self.evaluated_at is not None:
            data["evaluated_at"] = self.evaluated_at.astimezone(dt.UTC).isoformat()
        return data


def advice_shown(advice: Recommendation | Mapping[str, Any], visible: Iterable[FactCategory]) -> AdviceShown:
    """``advice`` (live, or a stored record) as a viewer who reads the fact categories ``visible`` may
    see it, by the rules of the module docstring. The advice itself is never changed."""
    record = advice.as_dict() if isinstance(advice, Recommendation) else advice
    allowed = frozenset(visible)
    disclosed: set[str] = set()
    criteria = []
    for criterion in record.get("criteria", ()):
        code = str(criterion.get("code", ""))
        texts = [str(text) for text in criterion.get("facts", ())]
        kept: list[str] = []
        whole = True
        layout = zip(texts, _categories(criterion, code, len(texts)), _parts(criterion, len(texts)), strict=True)
        for text, needs, parts in layout:
            if needs <= allowed:
                kept.append(text)
                disclosed |= {str(category) for category in needs}
                continue
            whole = False
            for part_text, part_needs in parts:
                if part_needs <= allowed:
                    kept.append(part_text)
                    disclosed |= {str(category) for category in part_needs}
        verdict = Verdict.of(criterion["met"]) if whole and "met" in criterion else None
        criteria.append(CriterionShown(code, verdict, tuple(kept)))
    exit_judged = any(criterion.code == "exit" and criterion.verdict is not None for criterion in criteria)
    tier_shown = FactCategory.PLAN in allowed
    if tier_shown:
        disclosed.add(str(Category.PLAN))
    evaluated_at = record.get("evaluated_at")
    return AdviceShown(
        recommended_tier=record.get("recommended_tier") if tier_shown else None,
        current_tier=record.get("current_tier") if tier_shown else None,
        exit_review=record.get("exit_review") if exit_judged else None,
        criteria=tuple(criteria),
        rule_set_version=record.get("rule_set_version"),
        evaluated_at=dt.datetime.fromisoformat(evaluated_at) if isinstance(evaluated_at, str) else evaluated_at,
        categories=frozenset(disclosed),
    )


def tier_shown(visible: Iterable[FactCategory]) -> bool:
    """Whether advised tiers may be shown (rule 4): to whoever reads ``plan`` — e.g. the what-if page's moves."""
    return FactCategory.PLAN in frozenset(visible)


# --- Stored advice ----------------------------------------------------------------------------------


def _categories(criterion: Mapping[str, Any], code: str, count: int) -> list[frozenset[FactCategory]]:
    """The categories of a criterion's ``count`` facts: as recorded (``fact_categories``), else from the
    table of the criteria's layout before they were recorded (``LEGACY_FACT_CATEGORIES``). A category
    this code does not know counts as every category (deny by default)."""
    recorded = criterion.get("fact_categories")
    if isinstance(recorded, Sequence) and len(recorded) == count:
        return [_as_categories(names) for names in recorded]
    return legacy_fact_categories(code, count)


def _parts(criterion: Mapping[str, Any], count: int) -> list[list[tuple[str, frozenset[FactCategory]]]]:
    recorded = criterion.get("fact_parts")
    if not (isinstance(recorded, Sequence) and len(recorded) == count):
        return [[] for _ in range(count)]
    return [[(str(part.get("text", "")), _as_categories(part.get("categories"))) for part in parts] for parts in recorded]


def _as_categories(names: Any) -> frozenset[FactCategory]:
    try:
        return frozenset(FactCategory(name) for name in names)
    except (TypeError, ValueError):
        return EVERY_CATEGORY


# Decisions taken before the advice recorded its fact categories keep only the texts, in the order
# ``escalation.criteria`` then stated them. Conservative: a position that may hold a fact without
# categories is listed with those it can hold, and an assessment fact with every score's category.
LEGACY_FACT_CATEGORIES: dict[str, tuple[frozenset[FactCategory], ...]] = {
    "top_x": (ID, JUST, JUST, AREAS),
    "doorgroeier": (ID, JUST, JUST, AREAS),
    "zvh_complex": (frozenset(), AREAS, JUST),
    "exit": (JUST, AREAS),
}


def legacy_fact_categories(code: str, count: int) -> list[frozenset[FactCategory]]:
    """The categories of the ``count`` facts of a stored criterion ``code`` without recorded categories.
    ``crimineel_systeem``: a "to be judged" line, then family facts (``netwerk``). Unknown criteria or
    positions: every category, so only a viewer who reads everything sees them (deny by default)."""
    if code == "crimineel_systeem":
        return [frozenset(), *[NET] * (count - 1)][:count]
    known = LEGACY_FACT_CATEGORIES.get(code, ())
    return [known[index] if index < len(known) else EVERY_CATEGORY for index in range(count)]
