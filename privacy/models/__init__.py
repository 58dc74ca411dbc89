"""Privacy models: the sharing matrix, the access log, oversight and the rights of the person concerned."""

from .access_log import AccessAction, AccessLogEntry, AccessLogSeal, AccessLogSubject, Outcome
from .grants import CaseGroupObjectPermission, CaseUserObjectPermission
from .matrix import MatrixStatus, SharingMatrix, SharingRule
from .oversight import BreakTheGlassGrant, PrivacyReview, ReviewKind, ReviewOutcome
from .subject_rights import LegalHold, RequestKind, RequestStatus, SubjectRequest

__all__ = [
    "AccessAction",
    "AccessLogEntry",
    "AccessLogSeal",
    "AccessLogSubject",
    "BreakTheGlassGrant",
    "CaseGroupObjectPermission",
    "CaseUserObjectPermission",
    "LegalHold",
    "MatrixStatus",
    "Outcome",
    "PrivacyReview",
    "RequestKind",
    "RequestStatus",
    "ReviewKind",
    "ReviewOutcome",
    "SharingMatrix",
    "SharingRule",
    "SubjectRequest",
]
