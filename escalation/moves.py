"""Which moves between tiers and statuses exist, and who decides them (issue #3, DOMAIN.md §3).

Tiers: basisinzet ↔ lokale PGA ↔ ZVHRU, and ZVHRU → basisinzet (a Top X case can leave the approach
directly). Statuses: aangemeld → actief (accept), aangemeld/actief → afgesloten (reject with reason
``niet_opgenomen``, or close), afgesloten → actief (reopen).

Who decides (the system recommends, people decide): every move into or out of ``zvhru``, and
accepting, closing or reopening a ``zvhru`` case, is a decision of a procesregisseur (role
``process_director``); the same moves for ``basisinzet``/``lokale_pga`` cases are the case director's.
Partners only propose. This module is pure: no database, so the matrix is tested as a table.
"""

import dataclasses

from cases.models import CaseStatus, Tier
from partners.models import Role

TIER_MOVES: dict[str, frozenset[str]] = {
    Tier.BASISINZET: frozenset({Tier.LOKALE_PGA}),
    Tier.LOKALE_PGA: frozenset({Tier.BASISINZET, Tier.ZVHRU}),
    Tier.ZVHRU: frozenset({Tier.LOKALE_PGA, Tier.BASISINZET}),
}

STATUS_MOVES: dict[str, frozenset[str]] = {
    CaseStatus.AANGEMELD: frozenset({CaseStatus.ACTIEF, CaseStatus.AFGESLOTEN}),
    CaseStatus.ACTIEF: frozenset({CaseStatus.AFGESLOTEN}),
    CaseStatus.AFGESLOTEN: frozenset({CaseStatus.ACTIEF}),
}


@dataclasses.dataclass(frozen=True)
class Move:
    """One requested move: a tier move (``to_tier``) or a status move (``to_status``), never both."""

    from_tier: str
    from_status: str
    to_tier: str | None = None
    to_status: str | None = None

    @property
    def involves_zvhru(self) -> bool:
        """Into or out of ZVHRU, or any status move of a ZVHRU case."""
        return Tier.ZVHRU in (self.from_tier, self.to_tier)


def is_allowed(move: Move) -> bool:
    """True when the move is in the table (and is exactly one of a tier or a status move)."""
    if (move.to_tier is None) == (move.to_status is None):
        return False
    if move.to_tier is not None:
        return move.to_tier in TIER_MOVES.get(move.from_tier, frozenset())
    return move.to_status in STATUS_MOVES.get(move.from_status, frozenset())


def deciding_role(move: Move) -> str:
    """The role that decides ``move``: ``process_director`` for anything touching ZVHRU, else ``case_director``."""
    return Role.PROCESS_DIRECTOR if move.involves_zvhru else Role.CASE_DIRECTOR


def may_decide(move: Move, *, role: str, is_case_director: bool, case_has_case_director: bool) -> bool:
    """True when someone with ``role`` (the case's case director or not) takes ``move``.

    Process directors take what touches ZVHRU; the rest is the case's case director's — or, while a
    case has none, any case director's (who then takes the direction).
    """
    if deciding_role(move) == Role.PROCESS_DIRECTOR:
        return role == Role.PROCESS_DIRECTOR
    return is_case_director or (not case_has_case_director and role == Role.CASE_DIRECTOR)
