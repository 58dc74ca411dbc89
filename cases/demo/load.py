"""Load and remove the demo data as a whole (``manage.py load_demo``).

``demo_load`` creates the accounts, the OAuth2 clients, the two named cases (through the services)
and the generated cohort (validated, bulk-inserted); the caller wraps it in one transaction.
``demo_delete`` removes exactly what the demo made: the cases registered by demo accounts with their
persons and families, the demo applications and the demo accounts. Anything else that still points
at a demo account stops it with ``DemoDataInUseError`` rather than being deleted.
"""

import dataclasses

from auditlog.context import disable_auditlog
from django.db.models import Count, ProtectedError, Q
from django.utils import timezone
from oauth2_provider.models import Application

from cases.models import (
    Action,
    ActionStatus,
    Assessment,
    Case,
    CaseStatus,
    Detention,
    Family,
    FamilyMembership,
    Goal,
    JournalEntry,
    Offence,
    Person,
    Tier,
)
from partners.models import User, organisation_memberships_sync
from privacy.grants import case_permissions_refresh

from . import accounts
from .cohort import cohort_build
from .context import Demo, reference_check
from .named import BSNS, named_cases_create
from .rows import rows_save

SEED = 20210930  # "Grenzen stellen, perspectief bieden", September 2021


class DemoDataInUseError(Exception):
    """Demo data cannot be removed because other data still refers to it."""


def demo_exists() -> bool:
    """True when any demo account exists (the demo was loaded, at least in part)."""
    return User.objects.filter(username__in=accounts.USERNAMES).exists()


def demo_load(*, password: str) -> "Summary":
    """Create all demo data; returns the counts. Raises ``ReferenceDataMissingError`` before migrate."""
    reference_check()
    users = accounts.accounts_create(password=password)
    accounts.clients_create(password=password)
    known_bsns = [bsn for bsn in Person.objects.exclude(bsn=None).values_list("bsn", flat=True) if bsn]
    demo = Demo.start(seed=SEED, users=users, reserved_bsns=[*BSNS, *known_bsns])
    named_cases_create(demo)
    rows_save(cohort_build(demo))
    # The cohort is bulk-inserted: derive its guardian rows and group memberships (issue #4).
    organisation_memberships_sync()
    case_permissions_refresh()
    return summary()


def demo_delete() -> None:
    """Remove the demo data (without audit entries: it is fictitious). Raises ``DemoDataInUseError``."""
    users = User.objects.filter(username__in=[*accounts.USERNAMES, *accounts.APPLICATION_USERNAMES])
    cases = Case.objects.filter(registered_by__in=users)
    person_ids = set(cases.values_list("person_id", flat=True))
    family_ids = set(FamilyMembership.objects.filter(person_id__in=person_ids).values_list("family_id", flat=True))
    try:
        with disable_auditlog():
            cases.delete()
            Person.objects.filter(pk__in=person_ids, cases__isnull=True).delete()
            Family.objects.filter(pk__in=family_ids, memberships__isnull=True).delete()
            users.delete()  # the applications go with their service users
    except ProtectedError as error:
        raise DemoDataInUseError(
            f"{len(error.protected_objects)} gegevens buiten de demo verwijzen nog naar demo-accounts."
        ) from None


@dataclasses.dataclass(frozen=True)
class Summary:
    """Counts of the demo data, without any personal data."""

    counts: dict[str, int]
    by_tier: dict[str, int]
    by_status: dict[str, int]

    def __str__(self) -> str:
        c = self.counts
        return "\n".join(
            (
                f"Accounts: {c['accounts']} (wachtwoord: DEMO_PASSWORD, standaard 'pga-demo'); OAuth2-clients: {c['clients']}",
                f"Personen: {c['persons']}; casussen: {c['cases']}",
                "  per niveau: " + ", ".join(f"{tier} {self.by_tier.get(tier, 0)}" for tier in Tier.values),
                "  per status: " + ", ".join(f"{status} {self.by_status.get(status, 0)}" for status in CaseStatus.values),
                f"Delicten: {c['offences']}; detenties: {c['detentions']} (nu in detentie: {c['detained']})",
                f"Doelen: {c['goals']}; acties: {c['actions']} (over de datum: {c['overdue']})",
                f"Beoordelingen: {c['assessments']}; journaalregels: {c['journal']}",
                f"Families: {c['families']} ({c['family_members']} leden)",
            )
        )


def summary() -> Summary:
    """Counts of the demo cases and what hangs under them."""
    today = timezone.localdate()
    demo_users = User.objects.filter(username__in=accounts.USERNAMES)
    cases = Case.objects.filter(registered_by__in=demo_users)
    in_case, in_plan = Q(case__in=cases), Q(goal__plan__case__in=cases)
    detentions = Detention.objects.filter(in_case)
    actions = Action.objects.filter(in_plan)
    counts = {
        "accounts": demo_users.count(),
        "clients": Application.objects.filter(client_id__in=accounts.CLIENT_IDS).count(),
        "persons": Person.objects.filter(cases__in=cases).distinct().count(),
        "cases": cases.count(),
        "offences": Offence.objects.filter(in_case).count(),
        "detentions": detentions.count(),
        "detained": detentions.filter(started_on__lte=today).filter(Q(released_on=None) | Q(released_on__gt=today)).count(),
        "goals": Goal.objects.filter(plan__case__in=cases).count(),
        "actions": actions.count(),
        "overdue": actions.filter(status__in=(ActionStatus.OPEN, ActionStatus.LOPEND), due_on__lt=today).count(),
        "assessments": Assessment.objects.filter(in_case).count(),
        "journal": JournalEntry.objects.filter(in_case).count(),
        "families": Family.objects.filter(memberships__person__cases__in=cases).distinct().count(),
        "family_members": FamilyMembership.objects.filter(person__cases__in=cases).values("pk").distinct().count(),
    }
    by_tier = dict(cases.values_list("tier").annotate(n=Count("pk")).order_by())
    by_status = dict(cases.values_list("status").annotate(n=Count("pk")).order_by())
    return Summary(counts, by_tier, by_status)
