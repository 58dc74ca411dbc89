"""The sharing matrix and the privacy officer's reviews are audited with django-auditlog (issue #4):
who changed which cell, who activated which version, who judged which access and how. The actor is
the signed-in user (``pga.middleware``). Access-log rows are not registered: they are never changed
(migration 0003) and are their own record."""

from auditlog.registry import auditlog

from .models import PrivacyReview, SharingMatrix, SharingRule

for model in (SharingMatrix, SharingRule, PrivacyReview):
    if not auditlog.contains(model):
        auditlog.register(model)
