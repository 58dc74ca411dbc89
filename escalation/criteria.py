"""The escalation criteria (beoordelingskader, DOMAIN.md §5) as pure functions over a ``CaseSnapshot``.

Each criterion takes a snapshot and the rule set's ``Parameters`` and returns whether it holds
(``met``) and the facts it looked at, as readable Dutch sentences, each tagged with the data
categories of DOMAIN.md §8 it reveals (so facts a viewer may not see can be left out).

A fact over the assessment (multiproblematiek, the scores that hold an exit back) is judged over all
six scores, so it reveals every score's category (``AREAS``). It also carries ``parts``: one fact per
score, tagged with that score's own category (``SCORE_CATEGORIES``, as ``privacy.policy.FIELDS
["assessment"]``), which ``escalation.disclosure`` shows instead to a viewer who reads only some of
them — a zorg partner sees the zorg score, a sociaal partner the sociaal ones (issue #4).

Shared rules (issue #3): windows are inclusive — an offence on ``reference_date − window_months``
counts, one a day earlier does not, nor one after the reference date; ages are whole years on the
reference date; a leefgebied "at 1–2" scores at most ``problem_score_max``.

``zvh_complex`` (§5.5) and ``crimineel_systeem`` (§5.3) are ticked by the directors with a
justification; in version 1 they are shown with their facts and ``met=None``, never evaluated.
"""

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from .parameters import OFFENCE_FLAG_LABELS, OffenceFlag, Parameters
from .snapshot import CaseSnapshot, OffenceFact


class FactCategory(StrEnum):
    """The data categories of DOMAIN.md §8; the privacy rules of issue #4 decide who sees which."""

    IDENTIFICATIE = "identificatie"
    JUSTITIEEL = "justitieel"
    ZORG = "zorg"
    SOCIAAL = "sociaal"
    PLAN = "plan"
    NETWERK = "netwerk"


class Fact(NamedTuple):
    """A readable fact and the categories it reveals (empty: reveals no personal data).

    ``parts``: finer facts, each revealing less, that together say what this one says about the
    categories a viewer reads (e.g. one fact per leefgebied score); empty when the fact is indivisible.
    """

    text: str
    categories: frozenset[FactCategory] = frozenset()
    parts: tuple["Fact", ...] = ()


@dataclasses.dataclass(frozen=True)
class CriterionResult:
    """``met``: True/False when evaluated, None when the directors decide (not evaluated)."""

    code: str
    met: bool | None
    facts: tuple[Fact, ...]

    @property
    def label(self) -> str:
        return LABELS[self.code]


LABELS = {
    "top_x": "Top X → ZVHRU",
    "doorgroeier": "Doorgroeier → lokale PGA",
    "zvh_complex": "Complexe casus ZVH",
    "crimineel_systeem": "Crimineel systeem",
    "exit": "Uitstroom",
}
TO_BE_JUDGED = Fact("Door de regisseurs te beoordelen")
ID, JUST = frozenset({FactCategory.IDENTIFICATIE}), frozenset({FactCategory.JUSTITIEEL})
NET, PLAN = frozenset({FactCategory.NETWERK}), frozenset({FactCategory.PLAN})
SCORE_CATEGORIES: dict[str, FactCategory] = {
    "dagbesteding": FactCategory.SOCIAAL,
    "zorg": FactCategory.ZORG,
    "huisvesting": FactCategory.SOCIAAL,
    "identiteitsbewijs": FactCategory.SOCIAAL,
    "inkomen": FactCategory.SOCIAAL,
    "motivatie": FactCategory.PLAN,
}
"""The category of each leefgebied score (issue #4: the zorg score is ``zorg``; inkomen, huisvesting,
identiteitsbewijs and dagbesteding ``sociaal``; motivatie ``plan``), as ``privacy.policy.FIELDS
["assessment"]`` — ``tests/escalation/test_disclosure.py`` checks the two agree."""
# A fact about the assessment counts over all six scores, so it also says something about the ``zorg``
# score (health data, DOMAIN.md §8) even when it names only social-domain leefgebieden.
AREAS = frozenset(SCORE_CATEGORIES.values())


def top_x(snapshot: CaseSnapshot, parameters: Parameters) -> CriterionResult:
    """§5.2: age within bounds, ≥ N offences in the window of which ≥ K serious, and multiproblematiek."""
    p = parameters.top_x
    age_ok, age_fact = _age(snapshot.age, p.age_min, p.age_max)
    offences = offences_in_window(snapshot, p.window_months)
    serious = [offence for offence in offences if offence.serious]
    areas_ok, areas_fact = _problem_areas(snapshot, parameters.problem_score_max, p.min_problem_areas)
    facts = (
        age_fact,
        _offences_fact(f"{_delicten(offences)} in {p.window_months} maanden (minimaal {p.min_offences})", offences),
        _offences_fact(f"waarvan {len(serious)} ernstig, strafmaximum ≥ 4 jaar (minimaal {p.min_serious_offences})", serious),
        areas_fact,
    )
    met = age_ok and len(offences) >= p.min_offences and len(serious) >= p.min_serious_offences and areas_ok
    return CriterionResult("top_x", met, facts)


def doorgroeier(snapshot: CaseSnapshot, parameters: Parameters) -> CriterionResult:
    """§5.1: age within bounds, ≥ N offences with one of the flags in the window, drug network, multiproblematiek."""
    p = parameters.doorgroeier
    age_ok, age_fact = _age(snapshot.age, p.age_min, p.age_max)
    offences = [offence for offence in offences_in_window(snapshot, p.window_months) if has_flag(offence, p.offence_flags)]
    flags = " of ".join(OFFENCE_FLAG_LABELS[flag] for flag in p.offence_flags)
    network_ok = not p.drug_network_required or snapshot.drug_network_indication == "ja"
    required = "vereist" if p.drug_network_required else "niet vereist"
    areas_ok, areas_fact = _problem_areas(snapshot, parameters.problem_score_max, p.min_problem_areas)
    facts = (
        age_fact,
        _offences_fact(f"{_delicten(offences)} in {p.window_months} maanden, {flags} (minimaal {p.min_offences})", offences),
        Fact(f"netwerk in de drugswereld: {snapshot.drug_network_indication} ({required})", JUST),
        areas_fact,
    )
    return CriterionResult("doorgroeier", age_ok and len(offences) >= p.min_offences and network_ok and areas_ok, facts)


def exit_review(snapshot: CaseSnapshot, parameters: Parameters) -> CriterionResult:
    """§5.6: the earliest exit date is on or before the reference date, and no leefgebied at the blocking score."""
    p = parameters.exit
    exit_on = snapshot.earliest_exit_on(p.period_months)
    last = snapshot.last_offence_on
    base = (
        f"laatste delict {last.isoformat()}"
        if last and last >= snapshot.started_on
        else f"start casus {snapshot.started_on.isoformat()}"
    )
    passed = exit_on <= snapshot.reference_date
    state = "bereikt" if passed else "nog niet bereikt"
    date_fact = Fact(f"vroegste uitstroomdatum {exit_on.isoformat()} ({base} + {p.period_months} maanden): {state}", JUST)
    blocked, blocking_fact = _blocking_areas(snapshot, p.blocking_score)
    return CriterionResult("exit", passed and not blocked, (date_fact, blocking_fact))


def zvh_complex(snapshot: CaseSnapshot, parameters: Parameters) -> CriterionResult:
    """§5.5, decided by the directors: shown with the leefgebied problems and any current detention."""
    _, areas_fact = _problem_areas(snapshot, parameters.problem_score_max, None)
    facts = [TO_BE_JUDGED, areas_fact]
    if snapshot.in_detention:
        facts.append(Fact("op de peildatum in detentie", JUST))
    return CriterionResult("zvh_complex", None, tuple(facts))


def crimineel_systeem(snapshot: CaseSnapshot, parameters: Parameters) -> CriterionResult:
    """§5.3, decided by the directors: shown with the person's recorded family networks."""
    families = [Fact(f"lid van familie {family.family} ({family.role.lower()})", NET) for family in snapshot.families]
    return CriterionResult(
        "crimineel_systeem", None, (TO_BE_JUDGED, *(families or [Fact("geen familieverband vastgelegd", NET)]))
    )


# Evaluation and display order: the two escalations (highest tier first), the directors' criteria, exit.
CRITERIA: tuple[Callable[[CaseSnapshot, Parameters], CriterionResult], ...] = (
    top_x,
    doorgroeier,
    zvh_complex,
    crimineel_systeem,
    exit_review,
)


# --- Helpers ---------------------------------------------------------------------------------------


def offences_in_window(snapshot: CaseSnapshot, months: int) -> list[OffenceFact]:
    """Offences committed from ``reference_date − months`` (calendar months) up to ``reference_date``,
    both inclusive; newest first, ties by statute, so the facts read the same whatever the input order."""
    start = snapshot.reference_date - relativedelta(months=months)
    inside = [offence for offence in snapshot.offences if start <= offence.committed_on <= snapshot.reference_date]
    return sorted(inside, key=lambda offence: (-offence.committed_on.toordinal(), offence.statute))


def has_flag(offence: OffenceFact, flags: Iterable[OffenceFlag]) -> bool:
    return any(getattr(offence, flag.value) for flag in flags)


def problem_areas(snapshot: CaseSnapshot, max_score: int) -> list[tuple[str, int]]:
    """Leefgebieden of the latest assessment scoring 1…``max_score``, in DOMAIN.md §6 order."""
    return [(area, score) for area, score in snapshot.scores or () if score <= max_score]


def _age(age: int, minimum: int | None, maximum: int) -> tuple[bool, Fact]:
    bounds = f"{minimum}–{maximum}" if minimum is not None else f"tot en met {maximum}"
    return (minimum is None or minimum <= age) and age <= maximum, Fact(f"leeftijd {age} (grens {bounds})", ID)


def _delicten(offences: list[OffenceFact]) -> str:
    return f"{len(offences)} delict" if len(offences) == 1 else f"{len(offences)} delicten"


def _offences_fact(head: str, offences: list[OffenceFact]) -> Fact:
    """``head``, then the offences as ``2026-05-01 Opiumwet 10 lid 3``, newest first."""
    listed = ", ".join(f"{offence.committed_on.isoformat()} {offence.statute}" for offence in offences)
    return Fact(head + (f": {listed}" if listed else ""), JUST)


def _scale(max_score: int) -> str:
    return "1" if max_score == 1 else f"1–{max_score}"


def _problem_areas(snapshot: CaseSnapshot, max_score: int, minimum: int | None) -> tuple[bool, Fact]:
    """Multiproblematiek: at least ``minimum`` leefgebieden at 1…``max_score`` (``None``: only shown)."""
    if snapshot.scores is None:
        return minimum == 0, NO_ASSESSMENT
    areas = problem_areas(snapshot, max_score)
    noun = "leefgebied" if len(areas) == 1 else "leefgebieden"
    listed = ", ".join(f"{area} {score}" for area, score in areas)
    bound = "" if minimum is None else f" (minimaal {minimum})"
    text = f"{len(areas)} {noun} op {_scale(max_score)}{bound}" + (f": {listed}" if listed else "")
    fact = Fact(text + _assessed(snapshot.assessed_on), AREAS, _score_parts(snapshot, max_score))
    return minimum is not None and len(areas) >= minimum, fact


def _blocking_areas(snapshot: CaseSnapshot, blocking_score: int) -> tuple[bool, Fact]:
    """Leefgebieden at or below ``blocking_score`` hold the exit back; without an assessment nothing does."""
    if blocking_score == 0:
        return False, Fact("de scores op de leefgebieden houden uitstroom niet tegen")
    if snapshot.scores is None:
        return False, NO_ASSESSMENT
    blocking = problem_areas(snapshot, blocking_score)
    parts = _score_parts(snapshot, blocking_score)
    if not blocking:
        return False, Fact(f"geen leefgebied op {_scale(blocking_score)}" + _assessed(snapshot.assessed_on), AREAS, parts)
    listed = ", ".join(f"{area} {score}" for area, score in blocking)
    return True, Fact(f"leefgebied op {_scale(blocking_score)}: {listed}" + _assessed(snapshot.assessed_on), AREAS, parts)


def _score_parts(snapshot: CaseSnapshot, max_score: int) -> tuple[Fact, ...]:
    """One fact per leefgebied score, with that score's own category: ``inkomen 2: op 1–2 (beoordeling …)``."""
    scale = _scale(max_score)
    return tuple(
        Fact(
            f"{area} {score}: {'op' if score <= max_score else 'niet op'} {scale}" + _assessed(snapshot.assessed_on),
            frozenset({SCORE_CATEGORIES[area]}),
        )
        for area, score in snapshot.scores or ()
    )


# Whether an assessment was recorded is plan data (``privacy.policy.FIELDS["assessment"]["assessed_on"]``).
NO_ASSESSMENT = Fact("geen beoordeling van de leefgebieden vastgelegd", PLAN)


def _assessed(day: dt.date | None) -> str:
    return f" (beoordeling {day.isoformat()})" if day else ""
