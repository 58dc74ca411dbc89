"""Changes to organisations and users are audited like case data (who changed whose role, when)."""

from auditlog.registry import auditlog

from .models import Organisation, User

auditlog.register(Organisation)
auditlog.register(User, exclude_fields=["password", "last_login"])
