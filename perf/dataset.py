"""The national-scale dataset generator (issue #6 "Dataset generator"): ``manage.py generate_dataset``.

Fills a fresh, migrated PostgreSQL database with realistic, fake data at national scale (DOMAIN.md §9:
one to two orders of magnitude above Utrecht). At ``scale=1.0`` (``COUNTS``): 200 organisations (the
22 reference ones of partners/migrations/0002 plus generated ones per Zorg- en Veiligheidshuis region,
each with its auth group), 2,000 users, 100,000 persons, 120,000 cases over the three tiers,
1,000,000 offences, 300,000 plan actions, 5,000,000 access-log rows and 1,000,000 auditlog entries.
Every count is multiplied by ``scale`` (at least what the fixed subjects need).

The data follow the models' rules: a person has at most one case that is not closed (20 % of the
persons have a closed earlier case and a current one); closed cases have a date and reason and their
team entries end on the closing date; from ``lokale_pga`` a case has a case director, a ``zvhru`` case
a process director (DOMAIN.md §3); BSNs (8 % of persons) pass the eleven-check and lie in the 9999…
range; offences use the reference offence types and end in ``sepot``/``vrijspraak`` too; the guardian
rows are exactly what ``privacy.grants`` derives (written set-based in SQL); every access-log row has
the person's real keyed pseudonym (``privacy.pseudonyms``). Regie organisations (gemeenten, ZVH's) are
never in a team as an organisation: their directors see their cases through the director rows.

Fixed subjects for the benchmarks (``DIRECTOR`` … below, ``fixed_subjects``): the case director
``ds-cd-0000`` directs exactly 60 active cases and nothing else, at every scale; the partner
organisation ``ds-jeugdzorg-groot`` is in the current team of exactly ``partner_team_count(scale)``
cases (5,000 at scale 1.0, scaled, at least 1) with its partner user ``ds-partner-0000``; the privacy
officer ``ds-po-0000``; ``ds-outsider-0000``, a partner of an organisation in no team. Every
generated user has an unusable password: benchmarks log in with ``force_login`` or tokens.

Deterministic: the same seed, scale and day give identical rows (UUIDs from a seeded ``random.Random``,
server-side values from ``hashint8extended`` of the row number, explicit integer ids). Fast: Python
rows go in with ``COPY`` (``pga.db.copy_rows``), committed per batch of cases; the access log and the
audit entries are generated inside PostgreSQL (``INSERT … SELECT FROM generate_series``) with the
secondary indexes and foreign keys of those tables dropped during the load and rebuilt after it; the
run ends with ``VACUUM ANALYZE``, as autovacuum would have it in production.
"""

import datetime as dt
import hashlib
import random
import time
from collections.abc import Sequence
from typing import Any

from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from cases.models import Case
from partners.models import Organisation, Role, User, organisation_group_name
from pga.db import copy_rows
from privacy.models import AccessLogEntry, AccessLogSubject, CaseGroupObjectPermission, CaseUserObjectPermission

from . import dataset_access_log, dataset_audit, dataset_cases
from . import dataset_catalogue as cat
from .dataset_context import (
    COUNTS,
    DIRECTOR,
    DIRECTOR_ACTIVE_CASES,
    OUTSIDER,
    OUTSIDER_ORGANISATION,
    OUTSIDER_ORGANISATION_NAME,
    PARTNER,
    PARTNER_ORGANISATION,
    PARTNER_ORGANISATION_NAME,
    PARTNER_TEAMS,
    PREFIX,
    PRIVACY_OFFICER,
    SEED,
    Context,
    Progress,
    Region,
    Report,
    Sizes,
    bulk_load,
    next_id,
    partner_team_count,
    sizes,
)

__all__ = [
    "COUNTS",
    "DIRECTOR",
    "DIRECTOR_ACTIVE_CASES",
    "OUTSIDER",
    "OUTSIDER_ORGANISATION",
    "PARTNER",
    "PARTNER_ORGANISATION",
    "PARTNER_TEAMS",
    "PREFIX",
    "PRIVACY_OFFICER",
    "SEED",
    "Report",
    "Sizes",
    "digest",
    "fixed_subjects",
    "generate",
    "partner_team_count",
    "refusal",
    "sizes",
]


def refusal() -> str | None:
    """Why this database may not be filled (Dutch), or ``None``: only PostgreSQL, and only a fresh
    migrated database — no cases and no users of an earlier run."""
    if connection.vendor != "postgresql":
        return "generate_dataset werkt alleen met PostgreSQL: zet DATABASE_URL=postgres://…"
    if Case.objects.exists():
        return (
            "Deze database bevat al casussen. Gebruik een verse, gemigreerde database: "
            "createdb pga_bench && DATABASE_URL=postgres://…/pga_bench python manage.py migrate"
        )
    if User.objects.filter(username__startswith=PREFIX).exists():
        return "Deze database bevat al gegenereerde gebruikers van een eerdere run; begin met een verse database."
    return None


def fixed_subjects() -> dict[str, str]:
    """The usernames and organisation code the benchmarks use, by purpose."""
    return {
        "case_director": DIRECTOR,
        "partner_organisation": PARTNER_ORGANISATION,
        "partner": PARTNER,
        "privacy_officer": PRIVACY_OFFICER,
        "outsider": OUTSIDER,
        "outsider_organisation": OUTSIDER_ORGANISATION,
    }


def generate(*, seed: int = SEED, scale: float = 1.0, today: dt.date | None = None, progress: Progress | None = None) -> Report:
    """Fill the database (see the module docstring) and return what was written.

    ``seed`` makes the run reproducible; ``scale`` multiplies every count (``sizes``); ``today`` is
    the day the data are "as of" (default: today, local time — dates are relative to it, the access
    log ends at its midnight); ``progress(step, rows, seconds)`` is called after each step. Raises
    ``ValueError`` (Dutch) for a database ``refusal`` names or a scale that is too small. Commits per
    batch when called outside a transaction; inside one (tests) everything stays in it.
    """
    reason = refusal()
    if reason:
        raise ValueError(reason)
    started = time.perf_counter()
    today = today or timezone.localdate()
    ctx = Context(
        rng=random.Random(seed),  # noqa: S311 - reproducible fake data, nothing secret
        seed=seed,
        sizes=sizes(scale),
        today=today,
        now=timezone.make_aware(dt.datetime.combine(today, dt.time.min)),
        report=Report(),
        progress=progress,
    )
    with connection.cursor() as cursor:
        cursor.execute("SET work_mem = '256MB'")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SET synchronous_commit = off")  # a crash loses a batch; the run starts over anyway
    _organisations(ctx)
    _users(ctx)
    dataset_cases.write(ctx)
    _permissions(ctx)
    dataset_access_log.write(ctx)
    _audit(ctx)
    _finish(ctx)
    ctx.report.total_seconds = time.perf_counter() - started
    return ctx.report


# --- Organisations and users -----------------------------------------------------------------------


def _organisations(ctx: Context) -> None:
    """The reference organisations plus generated ones (``dataset_catalogue``), each with its group."""
    started = time.perf_counter()
    reference = list(Organisation.objects.order_by("pk").values_list("pk", "code", "domain"))
    wanted = max(2, ctx.sizes.organisations - len(reference))
    rows = [
        (PARTNER_ORGANISATION, PARTNER_ORGANISATION_NAME, "sociaal", False, None),
        (OUTSIDER_ORGANISATION, OUTSIDER_ORGANISATION_NAME, "sociaal", False, None),
        *cat.organisations(wanted - 2),
    ]
    group_id, org_id = next_id(Group), next_id(Organisation)
    groups, organisations = [], []
    for offset, (code, name, domain, may_register, _region) in enumerate(rows):
        groups.append({"id": group_id + offset, "name": organisation_group_name(code)})
        organisations.append(
            {
                "id": org_id + offset,
                "code": code,
                "name": name,
                "domain": domain,
                "may_register": may_register,
                "active_from": dt.date(2021, 9, 1),
                "active_until": None,
                "group_id": group_id + offset,
            }
        )
    with transaction.atomic():
        copy_rows(Group, groups, ctx.now)
        copy_rows(Organisation, organisations, ctx.now)
    for pk, code, domain in reference:
        ctx.org_ids[code], ctx.org_domain[pk] = pk, domain
    for offset, (code, _name, domain, _may_register, _region) in enumerate(rows):
        ctx.org_ids[code], ctx.org_domain[org_id + offset] = org_id + offset, domain
    _regions(ctx, rows)
    ctx.step("organisaties (met groep)", len(organisations), started)


def _regions(ctx: Context, generated: Sequence[tuple[Any, ...]]) -> None:
    """Utrecht from the reference organisations, then each generated region that has a gemeente."""
    ids = ctx.org_ids
    utrecht_partners = [pk for code, pk in ids.items() if ctx.org_domain[pk] != "regie" and not code.startswith(PREFIX)]
    national = [ids[code] for code in (*cat.NATIONAL_STRAF, *(row[0] for row in cat.EXTRA)) if code in ids]
    ctx.regions.append(Region(ids["gemeente-utrecht"], ids["zvhru"], ids["politie-midden-nederland"], sorted(utrecht_partners)))
    politie_units = [ids[row[0]] for row in generated if row[4] == cat.POLITIE]
    by_region: dict[str, list[tuple[Any, ...]]] = {}
    for row in generated:
        if row[4] not in (None, cat.POLITIE):
            by_region.setdefault(row[4], []).append(row)
    for number, (_region, members) in enumerate(by_region.items()):
        gemeente = [ids[row[0]] for row in members if row[0].startswith(f"{PREFIX}gemeente-")]
        if not gemeente:
            continue
        zvh = [ids[row[0]] for row in members if row[0].startswith(f"{PREFIX}zvh-")]
        local = [ids[row[0]] for row in members if ctx.org_domain[ids[row[0]]] != "regie"]
        politie = politie_units[number % len(politie_units)] if politie_units else ids["politie-midden-nederland"]
        ctx.regions.append(Region(gemeente[0], zvh[0] if zvh else ids["zvhru"], politie, [*local, politie, *national]))


def _users(ctx: Context) -> None:
    """``sizes.users`` in total (there are none before): the fixed subjects, then by role: case
    directors in the gemeenten, process directors in the ZVH's, partners in the partner organisations,
    administrators and privacy officers in the gemeenten. Passwords unusable; each user in their
    organisation's group (the equivalent of ``organisation_memberships_sync``, in SQL)."""
    started = time.perf_counter()
    total, ids = ctx.sizes.users, ctx.org_ids
    gemeenten = [region.gemeente for region in ctx.regions]
    zvhs = sorted({region.zvh for region in ctx.regions})
    partner_orgs = sorted(pk for pk, domain in ctx.org_domain.items() if domain != "regie" and pk != ids[OUTSIDER_ORGANISATION])
    per_role = {
        Role.ADMINISTRATOR: max(1, round(total * 0.01)),
        Role.PRIVACY_OFFICER: max(1, round(total * 0.01)),
        Role.CASE_DIRECTOR: max(3, round(total * 0.25)),
        Role.PROCESS_DIRECTOR: max(2, round(total * 0.05)),
    }
    per_role[Role.PARTNER] = total - sum(per_role.values())
    plan: list[tuple[str, str, int]] = [
        (DIRECTOR, Role.CASE_DIRECTOR, ids["gemeente-utrecht"]),
        (PRIVACY_OFFICER, Role.PRIVACY_OFFICER, ids["gemeente-utrecht"]),
        (PARTNER, Role.PARTNER, ids[PARTNER_ORGANISATION]),
        (OUTSIDER, Role.PARTNER, ids[OUTSIDER_ORGANISATION]),
    ]
    prefixes = {
        Role.CASE_DIRECTOR: ("cd", gemeenten, 1),
        Role.PROCESS_DIRECTOR: ("pd", zvhs, 0),
        Role.PARTNER: ("partner", partner_orgs, 2),  # ds-partner-0000 and the outsider are fixed
        Role.ADMINISTRATOR: ("beheer", gemeenten, 0),
        Role.PRIVACY_OFFICER: ("po", gemeenten, 1),
    }
    role: str
    for role, (short, organisations, fixed) in prefixes.items():
        first = 1 if role in (Role.CASE_DIRECTOR, Role.PRIVACY_OFFICER, Role.PARTNER) else 0
        for number in range(first, per_role[role] - fixed + first):
            plan.append((f"{PREFIX}{short}-{number:04d}", role, organisations[number % len(organisations)]))
    user_id = next_id(User)
    rows = []
    for offset, (username, role, organisation) in enumerate(plan):
        pk = user_id + offset
        given, surname = ctx.rng.choice(cat.GIVEN_NAMES), ctx.rng.choice(cat.SURNAMES)
        rows.append(
            {
                "id": pk,
                "password": "!",  # unusable (Django's UNUSABLE_PASSWORD_PREFIX)
                "last_login": None,
                "is_superuser": False,
                "username": username,
                "first_name": given,
                "last_name": surname,
                "email": f"{username}@example.org",
                "is_staff": role == Role.ADMINISTRATOR,
                "is_active": True,
                "date_joined": ctx.now - dt.timedelta(days=ctx.rng.randint(30, 1800)),
                "role": role,
                "is_application": False,
                "organisation_id": organisation,
            }
        )
        ctx.user_ids[username], ctx.user_role[pk], ctx.user_org[pk] = pk, role, organisation
        if role == Role.PARTNER and username not in (PARTNER, OUTSIDER):
            ctx.users_by_org.setdefault(organisation, []).append(pk)
    _assign_directors(ctx)
    with transaction.atomic():
        copy_rows(User, rows, ctx.now)
        _memberships()
    ctx.step("gebruikers (met groepslidmaatschap)", len(rows), started)


def _assign_directors(ctx: Context) -> None:
    by_org: dict[int, list[int]] = {}
    for pk, role in ctx.user_role.items():
        if role in (Role.CASE_DIRECTOR, Role.PROCESS_DIRECTOR):
            by_org.setdefault(ctx.user_org[pk], []).append(pk)
    fixed = ctx.user_ids[DIRECTOR]
    ctx.all_directors = [pk for pk, role in ctx.user_role.items() if role == Role.CASE_DIRECTOR and pk != fixed]
    ctx.all_process_directors = [pk for pk, role in ctx.user_role.items() if role == Role.PROCESS_DIRECTOR]
    for region in ctx.regions:
        region.directors = [pk for pk in by_org.get(region.gemeente, []) if pk != fixed] or ctx.all_directors
        region.process_directors = by_org.get(region.zvh, []) or ctx.all_process_directors


def _memberships() -> None:
    table = User.groups.through._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (id, user_id, group_id) "  # noqa: S608 - model table
            f"SELECT (SELECT COALESCE(MAX(id), 0) FROM {table}) + row_number() OVER (ORDER BY u.id), u.id, o.group_id "
            "FROM partners_user u JOIN partners_organisation o ON o.id = u.organisation_id "
            "WHERE u.username LIKE %s AND o.group_id IS NOT NULL",
            [f"{PREFIX}%"],
        )


# --- Guardian rows --------------------------------------------------------------------------------


def _permissions(ctx: Context) -> None:
    """The rows ``privacy.grants`` derives, for every case, in two ``INSERT … SELECT``: a user row per
    director and per named user in the team today, a group row per organisation in the team today
    (the rule of ``cases.access.current_team_q``). No active break-the-glass grants exist."""
    started = time.perf_counter()
    user_table, group_table = CaseUserObjectPermission._meta.db_table, CaseGroupObjectPermission._meta.db_table
    current = "t.starts_on <= %(today)s AND (t.ends_on IS NULL OR t.ends_on >= %(today)s)"
    permission = (
        "(SELECT p.id FROM auth_permission p JOIN django_content_type ct ON ct.id = p.content_type_id "
        "WHERE ct.app_label = 'cases' AND ct.model = 'case' AND p.codename = 'view_case')"
    )
    params = {"today": ctx.today}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {user_table} (id, content_object_id, user_id, permission_id, grant_id) "  # noqa: S608 - model tables
            f"SELECT (SELECT COALESCE(MAX(id), 0) FROM {user_table}) + row_number() OVER (ORDER BY case_id, user_id), "
            f"case_id, user_id, {permission}, NULL FROM ("
            "SELECT id AS case_id, case_director_id AS user_id FROM cases_case WHERE case_director_id IS NOT NULL "
            "UNION SELECT id, process_director_id FROM cases_case WHERE process_director_id IS NOT NULL "
            f"UNION SELECT t.case_id, t.user_id FROM cases_caseteammember t WHERE t.user_id IS NOT NULL AND {current}"
            ") AS wanted",
            params,
        )
        ctx.step("casusrechten gebruikers (guardian)", cursor.rowcount, started)
        started = time.perf_counter()
        cursor.execute(
            f"INSERT INTO {group_table} (id, content_object_id, group_id, permission_id) "  # noqa: S608 - model tables
            f"SELECT (SELECT COALESCE(MAX(id), 0) FROM {group_table}) + row_number() OVER (ORDER BY case_id, group_id), "
            f"case_id, group_id, {permission} FROM ("
            "SELECT DISTINCT t.case_id, o.group_id FROM cases_caseteammember t "
            f"JOIN partners_organisation o ON o.id = t.organisation_id WHERE {current}"
            ") AS wanted",
            params,
        )
        ctx.step("casusrechten organisaties (guardian)", cursor.rowcount, started)


# --- Audit entries ----------------------------------------------------------------------------------


def _audit(ctx: Context) -> None:
    """``sizes.audit`` django-auditlog entries (``perf.dataset_audit``)."""
    started = time.perf_counter()
    written = dataset_audit.audit_entries(ctx.sizes.audit, ctx.seed, ctx.now, bulk_load)
    ctx.step("auditlog", written, started)


# --- Finishing --------------------------------------------------------------------------------------


BIG_TABLES = (
    "privacy_accesslogentry",
    "privacy_accesslogsubject",
    "auditlog_logentry",
    "cases_offence",
    "cases_caseteammember",
    "cases_action",
    "privacy_caseuserobjectpermission",
    "privacy_casegroupobjectpermission",
)


def _finish(ctx: Context) -> None:
    """Identity sequences past the explicit ids; ``VACUUM ANALYZE`` of the big tables (``ANALYZE``
    inside a transaction, where VACUUM cannot run)."""
    started = time.perf_counter()
    models: list[type[Model]] = [Group, Organisation, User, User.groups.through, CaseUserObjectPermission]
    models += [CaseGroupObjectPermission, AccessLogEntry, AccessLogSubject, LogEntry]
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST((SELECT MAX(id) FROM {table}), 1))",  # noqa: S608
                [table],
            )
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        for table in BIG_TABLES:
            cursor.execute(f"{command} {table}")
        cursor.execute("DROP TABLE IF EXISTS ds_pairs, ds_denied, ds_btg")
    ctx.step(f"{'ANALYZE' if connection.in_atomic_block else 'VACUUM ANALYZE'} grote tabellen", 0, started)


# --- Checking --------------------------------------------------------------------------------------

DIGEST_TABLES = (
    "auth_group",
    "partners_organisation",
    "partners_user",
    "partners_user_groups",
    "cases_person",
    "cases_case",
    "cases_caseplan",
    "cases_offence",
    "cases_detention",
    "cases_goal",
    "cases_action",
    "cases_caseteammember",
    "privacy_caseuserobjectpermission",
    "privacy_casegroupobjectpermission",
    "privacy_accesslogentry",
    "privacy_accesslogsubject",
    "privacy_breaktheglassgrant",
    "privacy_privacyreview",
    "auditlog_logentry",
)


def digest() -> str:
    """MD5 over every row of the tables the generator writes (each table's rows sorted by their text):
    equal digests mean identical data. For tests at small scale — it reads whole tables."""
    parts = []
    with connection.cursor() as cursor:
        for table in DIGEST_TABLES:
            cursor.execute(f"SELECT md5(COALESCE(string_agg(md5(t::text), '' ORDER BY md5(t::text)), '')) FROM {table} t")  # noqa: S608
            parts.append(cursor.fetchone()[0])
    return hashlib.md5("".join(parts).encode()).hexdigest()  # noqa: S324 - a checksum, not security
