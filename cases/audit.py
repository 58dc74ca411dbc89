"""Every create/update/delete of personal data is audited with django-auditlog (DOMAIN.md §8).

The actor is the signed-in user, or for API calls the partner application's service user (the
bearer token is resolved in middleware before auditlog reads it, see pga/settings/base.py).
"""

from auditlog.registry import auditlog

from . import models

for model in (
    models.Person,
    models.Family,
    models.FamilyMembership,
    models.Case,
    models.CaseTeamMember,
    models.CaseChange,
    models.Offence,
    models.Detention,
    models.Assessment,
    models.JournalEntry,
    models.CasePlan,
    models.Goal,
    models.Action,
):
    auditlog.register(model)
