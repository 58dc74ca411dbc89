"""The plain snapshot of a case that the criteria read: facts on one reference date, no database.

``escalation.selectors.snapshots_for`` builds snapshots in batches; tests build them by hand. Only
counting offences (not ``sepot``/``vrijspraak``) committed on or before the reference date are in
``offences``; ``scores`` are those of the most recent assessment on or before that date (DOMAIN.md
§11, five-point scale, 1 = acute problem). Ages are whole years on the reference date.
"""

import dataclasses
import datetime as dt
from typing import NamedTuple

from cases.rules import earliest_exit_on


class OffenceFact(NamedTuple):
    """A counting offence: date committed, statute label (``"Opiumwet 10 lid 3"``) and its flags.

    ``serious``: statutory maximum ≥ 4 years or life (DOMAIN.md §5.4).
    """

    committed_on: dt.date
    statute: str
    serious: bool
    drug_related: bool
    violent: bool


class FamilyFact(NamedTuple):
    """The person's membership of a family network (DOMAIN.md §5.3): family name and role label."""

    family: str
    role: str


@dataclasses.dataclass(frozen=True)
class CaseSnapshot:
    """What the criteria may know of one case on ``reference_date``.

    ``scores``: ``(leefgebied code, score 1–5)`` pairs of the latest assessment in DOMAIN.md §6
    order, or None when there is none; ``assessed_on`` its date. ``started_on``: the case's
    reopening date, else its opening date (for the earliest exit date, DOMAIN.md §5.6).
    """

    reference_date: dt.date
    age: int
    current_tier: str
    status: str
    drug_network_indication: str
    offences: tuple[OffenceFact, ...]
    scores: tuple[tuple[str, int], ...] | None
    assessed_on: dt.date | None
    started_on: dt.date
    in_detention: bool
    families: tuple[FamilyFact, ...] = ()

    @property
    def last_offence_on(self) -> dt.date | None:
        return max((offence.committed_on for offence in self.offences), default=None)

    def earliest_exit_on(self, exit_period_months: int) -> dt.date:
        """The earliest exit date for an exit period in calendar months (``cases.rules.earliest_exit_on``).

        The period comes from the rule set being evaluated, so a draft rule set with another period
        gives its own answer (what-if); the case page shows the active rule set's date.
        """
        return earliest_exit_on(
            last_offence_on=self.last_offence_on, started_on=self.started_on, exit_period_months=exit_period_months
        )
