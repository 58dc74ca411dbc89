"""django-auditlog registration: changes to the jobs' periods are audited with the administrator as actor."""

from auditlog.registry import auditlog

from .models import JobSettings

auditlog.register(JobSettings)
