"""Demo accounts and partner applications (issue #2, "Demo on a fresh machine").

Every account signs in with the demo password: the environment variable ``DEMO_PASSWORD``, default
``pga-demo``. The four partner applications get client id ``demo-<partner>`` and the same password as
client secret. Names are made up by Faker (``nl_NL``) from a fixed seed. ``beheerder`` is staff and
may manage organisations, users, reference lists and applications in /beheer/ — never case content,
which is not in the admin at all.
"""

import os
from typing import NamedTuple

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db.models import Q
from faker import Faker

from partners.models import Organisation, Role, User
from partners.services import APPLICATION_USERNAME_PREFIX, partner_application_create

DEFAULT_PASSWORD = "pga-demo"  # noqa: S105 — the documented demo password, never used in production
SEED = 20211
ADMIN_MODELS = (
    ("partners", "organisation"),
    ("partners", "user"),
    ("cases", "wijk"),
    ("cases", "offencetype"),
    ("cases", "intervention"),
    ("oauth2_provider", "application"),
    ("escalation", "ruleset"),
    ("escalation", "tiercapacity"),
    ("escalation", "directorcapacity"),
    ("privacy", "sharingmatrix"),
    ("privacy", "sharingrule"),
    ("privacy", "retentionperiod"),
    # Scheduled jobs (issue #5): runs (read only), periods, kept tasks, and the beat schedule.
    ("jobs", "jobrun"),
    ("jobs", "jobsettings"),
    ("jobs", "pendingtask"),
    ("django_celery_beat", "periodictask"),
    ("django_celery_beat", "crontabschedule"),
    ("django_celery_beat", "intervalschedule"),
)


class Account(NamedTuple):
    username: str
    role: str
    organisation: str  # organisation code (partners/migrations/0002_organisations.py)
    is_staff: bool = False


ACCOUNTS = (
    Account("pga.expert", Role.CASE_DIRECTOR, "gemeente-utrecht"),
    *(Account(f"pga.expert{n}", Role.CASE_DIRECTOR, "gemeente-utrecht") for n in range(2, 6)),
    Account("procesregisseur", Role.PROCESS_DIRECTOR, "zvhru"),
    Account("procesregisseur2", Role.PROCESS_DIRECTOR, "zvhru"),
    Account("politie", Role.PARTNER, "politie-midden-nederland"),
    Account("reclassering", Role.PARTNER, "reclassering-nederland"),
    Account("altrecht", Role.PARTNER, "altrecht"),
    Account("jou", Role.PARTNER, "jou"),
    Account("om", Role.PARTNER, "openbaar-ministerie"),
    Account("buurtteam", Role.PARTNER, "buurtteams"),
    Account("beheerder", Role.ADMINISTRATOR, "gemeente-utrecht", is_staff=True),
    Account("privacy", Role.PRIVACY_OFFICER, "gemeente-utrecht"),
)
USERNAMES = tuple(account.username for account in ACCOUNTS)
CASE_DIRECTORS = tuple(a.username for a in ACCOUNTS if a.role == Role.CASE_DIRECTOR)
PROCESS_DIRECTORS = tuple(a.username for a in ACCOUNTS if a.role == Role.PROCESS_DIRECTOR)

# (client id, organisation code, application name)
CLIENTS = (
    ("demo-politie", "politie-midden-nederland", "Demo Politie Midden-Nederland"),
    ("demo-reclassering", "reclassering-nederland", "Demo Reclassering Nederland"),
    ("demo-altrecht", "altrecht", "Demo Altrecht"),
    ("demo-jou", "jou", "Demo JoU Jongerenwerk"),
)
CLIENT_IDS = tuple(client_id for client_id, _, _ in CLIENTS)
APPLICATION_USERNAMES = tuple(f"{APPLICATION_USERNAME_PREFIX}{client_id}" for client_id in CLIENT_IDS)


def demo_password() -> str:
    """The demo password: ``DEMO_PASSWORD`` from the environment, else ``pga-demo``."""
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD


def accounts_create(*, password: str) -> dict[str, User]:
    """Create the demo accounts; returns them by username. One password hash serves all (speed)."""
    faker = Faker("nl_NL")
    faker.seed_instance(SEED)
    organisations = Organisation.objects.in_bulk([a.organisation for a in ACCOUNTS], field_name="code")
    hashed = make_password(password)
    users = {}
    for account in ACCOUNTS:
        user = User(
            username=account.username,
            first_name=faker.first_name(),
            last_name=faker.last_name(),
            organisation=organisations[account.organisation],
            role=account.role,
            is_staff=account.is_staff,
            password=hashed,
            email=f"{account.username}@demo.pga.invalid",  # notification e-mails (the demo prints them)
        )
        user.full_clean()
        users[account.username] = user
    User.objects.bulk_create(users.values())
    _grant_admin_permissions(users["beheerder"])
    return users


def _grant_admin_permissions(user: User) -> None:
    models = Q()
    for app_label, model in ADMIN_MODELS:
        models |= Q(content_type__app_label=app_label, content_type__model=model)
    user.user_permissions.set(Permission.objects.filter(models).exclude(codename__startswith="delete_"))


def clients_create(*, password: str) -> None:
    """Create the four OAuth2 client-credentials applications, secret = the demo password."""
    for client_id, code, name in CLIENTS:
        organisation = Organisation.objects.get(code=code)
        partner_application_create(organisation=organisation, name=name, client_id=client_id, client_secret=password)
