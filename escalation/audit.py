"""Rule sets and review flags are audited with django-auditlog: who created, edited, activated and
retired which rule-set version (issue #3), and who closed which review flag with what note (issue #5).
The actor is the signed-in user (``pga.middleware``); a flag a job raised, withdrew or settled in one
set-based statement has no auditlog entry — its ``JobRun`` accounts for it."""

from auditlog.registry import auditlog

from .models import ReviewFlag, RuleSet

auditlog.register(RuleSet)
auditlog.register(ReviewFlag)
