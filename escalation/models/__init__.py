"""Escalation data: rule sets (the beoordelingskader), proposals and decisions (issue #3)."""

from .decision import Decision, DecisionKind, Proposal, ProposalStatus
from .rule_set import RuleSet, RuleSetStatus

__all__ = ["Decision", "DecisionKind", "Proposal", "ProposalStatus", "RuleSet", "RuleSetStatus"]
