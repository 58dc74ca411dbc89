"""Rule sets are audited with django-auditlog: who created, edited, activated and retired which version
(issue #3). The actor is the signed-in administrator (``pga.middleware``)."""

from auditlog.registry import auditlog

from .models import RuleSet

auditlog.register(RuleSet)
