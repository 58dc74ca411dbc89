"""The table of allowed moves and who decides them, without a database (issue #3)."""

import pytest

from escalation.moves import Move, deciding_role, is_allowed

B, L, Z = "basisinzet", "lokale_pga", "zvhru"
AANGEMELD, ACTIEF, AFGESLOTEN = "aangemeld", "actief", "afgesloten"


@pytest.mark.parametrize(
    ("from_tier", "to_tier", "allowed"),
    [
        (B, L, True),
        (L, B, True),
        (L, Z, True),
        (Z, L, True),
        (Z, B, True),  # a Top X case may leave for the basisinzet directly
        (B, Z, False),  # no jump from basisinzet straight to Top X
        (B, B, False),
        (Z, Z, False),
    ],
)
def test_tier_moves(from_tier, to_tier, allowed):
    assert is_allowed(Move(from_tier=from_tier, from_status=ACTIEF, to_tier=to_tier)) is allowed


@pytest.mark.parametrize(
    ("from_status", "to_status", "allowed"),
    [
        (AANGEMELD, ACTIEF, True),  # accept
        (AANGEMELD, AFGESLOTEN, True),  # reject
        (ACTIEF, AFGESLOTEN, True),  # close
        (AFGESLOTEN, ACTIEF, True),  # reopen
        (ACTIEF, AANGEMELD, False),
        (AFGESLOTEN, AANGEMELD, False),
        (ACTIEF, ACTIEF, False),
    ],
)
def test_status_moves(from_status, to_status, allowed):
    assert is_allowed(Move(from_tier=L, from_status=from_status, to_status=to_status)) is allowed


def test_a_move_is_a_tier_or_a_status_move_never_both_or_neither():
    assert not is_allowed(Move(from_tier=L, from_status=ACTIEF))
    assert not is_allowed(Move(from_tier=L, from_status=ACTIEF, to_tier=Z, to_status=AFGESLOTEN))


@pytest.mark.parametrize(
    ("move", "role"),
    [
        (Move(L, ACTIEF, to_tier=Z), "process_director"),
        (Move(Z, ACTIEF, to_tier=L), "process_director"),
        (Move(Z, ACTIEF, to_tier=B), "process_director"),
        (Move(Z, AANGEMELD, to_status=ACTIEF), "process_director"),
        (Move(Z, ACTIEF, to_status=AFGESLOTEN), "process_director"),
        (Move(Z, AFGESLOTEN, to_status=ACTIEF), "process_director"),
        (Move(B, ACTIEF, to_tier=L), "case_director"),
        (Move(L, ACTIEF, to_tier=B), "case_director"),
        (Move(L, AANGEMELD, to_status=ACTIEF), "case_director"),
        (Move(B, ACTIEF, to_status=AFGESLOTEN), "case_director"),
    ],
)
def test_who_decides(move, role):
    assert deciding_role(move) == role


@pytest.mark.parametrize(
    ("move", "role", "is_case_director", "has_director", "allowed"),
    [
        (Move(L, ACTIEF, to_tier=Z), "process_director", False, True, True),
        (Move(L, ACTIEF, to_tier=Z), "case_director", True, True, False),
        (Move(L, ACTIEF, to_tier=B), "case_director", True, True, True),
        (Move(L, ACTIEF, to_tier=B), "case_director", False, True, False),  # someone else's case
        (Move(B, AANGEMELD, to_status=ACTIEF), "case_director", False, False, True),  # undirected: takes it
        (Move(B, AANGEMELD, to_status=ACTIEF), "partner", False, False, False),
        (Move(L, ACTIEF, to_tier=B), "process_director", False, True, False),
    ],
)
def test_may_decide(move, role, is_case_director, has_director, allowed):
    from escalation.moves import may_decide

    assert may_decide(move, role=role, is_case_director=is_case_director, case_has_case_director=has_director) is allowed
