"""Writes: every change to a case goes through these services, from the browser and the API alike.

Each service takes keyword-only arguments, checks the actor's right (``cases.access``; a forbidden
write raises ``PermissionDenied`` → 403), validates with ``full_clean`` (``ValidationError`` with Dutch
messages per field → 400 / form errors) and saves in one transaction, so nothing is half-saved.
Callers pass a case they obtained through ``cases.selectors.case_get`` (outsiders already got 404).
django-auditlog records every change with the actor.

The sharing matrix (DOMAIN.md §8, issue #4) guards the write side too: after the act, each service
asks for write access to the categories the record holds (``sharing.require_writes``) and stores the
legal basis it was written under (``sharing.legal_basis_for``).

``case``: registration, direction, moves applied by decisions, person and family, team.
``facts``: offences, detentions, assessments, journal, goals and actions.
"""

from .case import (
    PERSON_FIELDS,
    case_move_apply,
    case_register,
    case_update,
    family_member_add,
    person_update,
    team_member_add,
    team_member_remove,
    team_organisation_join,
)
from .facts import (
    action_create,
    action_update,
    assessment_record,
    detention_record,
    detention_update,
    goal_create,
    goal_update,
    journal_entry_add,
    offence_correct,
    offence_record,
)

__all__ = [
    "PERSON_FIELDS",
    "action_create",
    "action_update",
    "assessment_record",
    "case_move_apply",
    "case_register",
    "case_update",
    "detention_record",
    "detention_update",
    "family_member_add",
    "goal_create",
    "goal_update",
    "journal_entry_add",
    "offence_correct",
    "offence_record",
    "person_update",
    "team_member_add",
    "team_member_remove",
    "team_organisation_join",
]
