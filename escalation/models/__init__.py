"""Escalation data: rule sets (the beoordelingskader), proposals and decisions (issue #3)."""

from .capacity import DirectorCapacity, TierCapacity
from .conference import AgendaItem, AgendaSource, CaseConference, ConferenceAddendum, ConferenceStatus
from .decision import Decision, DecisionKind, Proposal, ProposalStatus
from .review import FlagKind, FlagStatus, ReviewFlag
from .rule_set import RuleSet, RuleSetStatus
from .whatif import WhatIfMove, WhatIfRun, WhatIfStatus

__all__ = [
    "AgendaItem",
    "AgendaSource",
    "CaseConference",
    "ConferenceAddendum",
    "ConferenceStatus",
    "Decision",
    "DecisionKind",
    "DirectorCapacity",
    "FlagKind",
    "FlagStatus",
    "Proposal",
    "ProposalStatus",
    "ReviewFlag",
    "RuleSet",
    "RuleSetStatus",
    "TierCapacity",
    "WhatIfMove",
    "WhatIfRun",
    "WhatIfStatus",
]
