"""The case domain: persons, families, cases with their teams, facts and plans (DOMAIN.md §2–§6)."""

from .case import (
    Case,
    CaseChange,
    CaseStatus,
    CaseTeamMember,
    ChangeKind,
    ClosingReason,
    DrugNetworkIndication,
    TargetGroup,
    Tier,
)
from .facts import Assessment, Detention, JournalEntry, JournalKind, Leefgebied, Offence, OffenceOutcome
from .person import Family, FamilyMembership, FamilyRole, Gender, Person
from .plan import Action, ActionKind, ActionStatus, CasePlan, Goal
from .reference import Intervention, OffenceType, Wijk

__all__ = [
    "Action",
    "ActionKind",
    "ActionStatus",
    "Assessment",
    "Case",
    "CaseChange",
    "CasePlan",
    "CaseStatus",
    "CaseTeamMember",
    "ChangeKind",
    "ClosingReason",
    "Detention",
    "DrugNetworkIndication",
    "Family",
    "FamilyMembership",
    "FamilyRole",
    "Gender",
    "Goal",
    "Intervention",
    "JournalEntry",
    "JournalKind",
    "Leefgebied",
    "Offence",
    "OffenceOutcome",
    "OffenceType",
    "Person",
    "TargetGroup",
    "Tier",
    "Wijk",
]
