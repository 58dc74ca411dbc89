"""Privacy models: the sharing matrix, the access log, oversight, the rights of the person concerned
and retention after closure."""

from .access_log import AccessAction, AccessLogEntry, AccessLogSeal, AccessLogSubject, Outcome
from .grants import CaseGroupObjectPermission, CaseUserObjectPermission
from .matrix import MatrixStatus, SharingMatrix, SharingRule
from .oversight import BreakTheGlassGrant, PrivacyReview, ReviewKind, ReviewOutcome
from .retention import (
    OPEN_STATUSES,
    PLACEHOLDER_LABEL,
    DestructionListItem,
    DestructionRecord,
    DestructionStatus,
    RetentionPeriod,
)
from .subject_rights import LegalHold, RequestKind, RequestStatus, SubjectRequest

__all__ = [
    "OPEN_STATUSES",
    "PLACEHOLDER_LABEL",
    "AccessAction",
    "AccessLogEntry",
    "AccessLogSeal",
    "AccessLogSubject",
    "BreakTheGlassGrant",
    "CaseGroupObjectPermission",
    "CaseUserObjectPermission",
    "DestructionListItem",
    "DestructionRecord",
    "DestructionStatus",
    "LegalHold",
    "MatrixStatus",
    "Outcome",
    "PrivacyReview",
    "RequestKind",
    "RequestStatus",
    "RetentionPeriod",
    "ReviewKind",
    "ReviewOutcome",
    "SharingMatrix",
    "SharingRule",
    "SubjectRequest",
]
