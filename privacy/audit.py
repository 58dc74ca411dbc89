"""The sharing matrix, break-the-glass grants and the privacy officer's reviews are audited with
django-auditlog (issue #4): who changed which cell, who activated which version, who took emergency
access and when it was revoked, who judged which access and how; who changed or confirmed a retention
period and who approved which destruction (issue #5; the tombstones themselves are never changed). The actor is
the signed-in user (``pga.middleware``). Access-log rows are not registered: they are never changed
(migration 0003) and are their own record."""

from auditlog.registry import auditlog

from .models import (
    BreakTheGlassGrant,
    DestructionListItem,
    DestructionRecord,
    PrivacyReview,
    RetentionPeriod,
    SharingMatrix,
    SharingRule,
)

for model in (
    SharingMatrix,
    SharingRule,
    BreakTheGlassGrant,
    PrivacyReview,
    RetentionPeriod,
    DestructionListItem,
    DestructionRecord,
):
    if not auditlog.contains(model):
        auditlog.register(model)
