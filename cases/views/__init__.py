"""Browser views of the case app (Dutch UI): caseload, case page, aanmelding and the case forms."""

from .case import case_detail, journal_add
from .caseload import bsn_search, caseload
from .edits import (
    action_add,
    action_edit,
    assessment_add,
    case_direct,
    detention_add,
    detention_edit,
    drug_network_edit,
    goal_add,
    goal_edit,
    offence_add,
    team_add,
    team_remove,
)
from .person import family_add, family_detail, person_edit
from .registration import register, register_existing

__all__ = [
    "action_add",
    "action_edit",
    "assessment_add",
    "bsn_search",
    "case_detail",
    "case_direct",
    "caseload",
    "detention_add",
    "detention_edit",
    "drug_network_edit",
    "family_add",
    "family_detail",
    "goal_add",
    "goal_edit",
    "journal_add",
    "offence_add",
    "person_edit",
    "register",
    "register_existing",
    "team_add",
    "team_remove",
]
