"""The sharing matrix, break-the-glass grants and the privacy officer's reviews are audited with
django-auditlog (issue #4): who changed which cell, who activated which version, who took emergency
access and when it was revoked, who judged which access and how. The actor is
the signed-in user (``pga.middleware``). Access-log rows are not registered: they are never changed
(migration 0003) and are their own record."""

from auditlog.registry import auditlog

from .models import BreakTheGlassGrant, PrivacyReview, SharingMatrix, SharingRule

for model in (SharingMatrix, SharingRule, BreakTheGlassGrant, PrivacyReview):
    if not auditlog.contains(model):
        auditlog.register(model)
