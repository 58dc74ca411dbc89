"""The access log of the dataset generator (``perf.dataset``, issue #6), generated inside PostgreSQL.

One ``INSERT … SELECT FROM generate_series`` per batch writes the entries and their subjects (one data-
modifying statement). Who looks at what comes from ``ds_pairs``: every director of a case and, per
team entry, one user of the organisation or the named user; values are drawn with
``hashint8extended(row number, seed)``, so the same seed gives the same rows.
"""

import datetime as dt
import io
import time
import uuid
from typing import Any

from django.db import connection, transaction

from partners.models import Role
from pga.db import copy_rows
from privacy.models import AccessLogEntry, AccessLogSubject, BreakTheGlassGrant, PrivacyReview

from . import dataset_catalogue as cat
from .dataset_context import LOG_BATCH, LOG_DAYS, PRIVACY_OFFICER, Context, bulk_load, next_id


def _temp_tables(ctx: Context) -> tuple[int, int]:
    """``ds_pairs``: who may look at which case (directors, team organisations' users, named users);
    ``ds_denied``: partner users who try; returns their sizes."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS ds_pairs, ds_denied, ds_btg")
        cursor.execute(
            "CREATE TEMP TABLE ds_pairs (n bigint PRIMARY KEY, case_id uuid, person_id uuid, pseudonym text, "
            "user_id bigint, organisation_id bigint, role text)"
        )
        cursor.execute("CREATE TEMP TABLE ds_denied (n bigint PRIMARY KEY, user_id bigint, organisation_id bigint, role text)")
        cursor.execute(
            "CREATE TEMP TABLE ds_btg (i bigint PRIMARY KEY, grant_id uuid, case_id uuid, pseudonym text, "
            "user_id bigint, organisation_id bigint)"
        )
        pairs = "\n".join(
            f"{n}\t{case}\t{person}\t{alias}\t{user}\t{ctx.user_org[user]}\t{ctx.user_role[user]}"
            for n, (case, person, alias, user) in enumerate(ctx.pairs)
        )
        cursor.cursor.copy_expert("COPY ds_pairs FROM STDIN", _Lines(pairs))  # type: ignore[attr-defined]
        partners = sorted(pk for pk, role in ctx.user_role.items() if role == Role.PARTNER)
        denied = "\n".join(f"{n}\t{pk}\t{ctx.user_org[pk]}\t{Role.PARTNER.value}" for n, pk in enumerate(partners))
        cursor.cursor.copy_expert("COPY ds_denied FROM STDIN", _Lines(denied))  # type: ignore[attr-defined]
        cursor.execute("ANALYZE ds_pairs")
        cursor.execute("ANALYZE ds_denied")
    return len(ctx.pairs), len(partners)


class _Lines:
    """A file-like object over one string, for ``copy_expert`` (a trailing newline added)."""

    def __init__(self, text: str) -> None:
        self._buffer = io.StringIO(text + "\n" if text else "")

    def read(self, size: int = -1) -> str:
        return self._buffer.read(size)

    def readline(self, size: int = -1) -> str:
        return self._buffer.readline(size)


def _break_the_glass_rows(ctx: Context, total: int) -> list[tuple[int, uuid.UUID, Any, str, int, int]]:
    """A few access-log rows (about 1 in 50,000, at least one) where a director outside the team used
    emergency access: (row number, grant id, case, pseudonym, director, organisation)."""
    rng = ctx.rng
    count = max(1, total // 50_000)
    rows = []
    for number in sorted(rng.sample(range(1, total + 1), count)):
        case_id, _, alias, user = rng.choice(ctx.pairs)
        outsiders = [pk for pk in ctx.all_directors if pk != user]
        director = rng.choice(outsiders or ctx.all_directors)
        rows.append((number, ctx.uuid(), case_id, alias, director, ctx.user_org[director]))
    return rows


ACCESS_LOG_SQL = """
WITH src AS MATERIALIZED (
    SELECT g.i, hashint8extended(g.i, %(seed)s) AS h1, hashint8extended(g.i, %(seed)s + 1) AS h2,
           (g.i - 1) * %(days)s / %(total)s AS day_no,
           ((g.i - 1) * %(days)s %% %(total)s)::float8 / %(total)s AS f
    FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) AS g(i)
), pick AS MATERIALIZED (
    SELECT s.i, s.h1, s.h2, p.case_id, p.person_id, p.pseudonym,
           CASE WHEN b.i IS NOT NULL THEN 'btg' WHEN (s.h2 & 1023) < 10 THEN 'denied' ELSE 'ok' END AS kind,
           COALESCE(b.user_id, CASE WHEN (s.h2 & 1023) < 10 THEN d.user_id ELSE p.user_id END) AS user_id,
           COALESCE(b.organisation_id, CASE WHEN (s.h2 & 1023) < 10 THEN d.organisation_id ELSE p.organisation_id END)
               AS organisation_id,
           CASE WHEN b.i IS NOT NULL THEN 'case_director' WHEN (s.h2 & 1023) < 10 THEN d.role ELSE p.role END AS role,
           b.grant_id, b.case_id AS btg_case, b.pseudonym AS btg_pseudonym,
           (s.h1 >> 20) & 1023 AS r,
           %(start)s::timestamptz + make_interval(days => s.day_no::int, secs =>
               CASE WHEN s.f < 0.04 THEN s.f / 0.04 * 21600
                    WHEN s.f < 0.96 THEN 21600 + (s.f - 0.04) / 0.92 * 46800
                    ELSE 68400 + (s.f - 0.96) / 0.04 * 17999 END) AS at
    FROM src s
    JOIN ds_pairs p ON p.n = ((s.h1 %% %(pairs)s) + %(pairs)s) %% %(pairs)s
    JOIN ds_denied d ON d.n = (((s.h2 >> 10) %% %(denied)s) + %(denied)s) %% %(denied)s
    LEFT JOIN ds_btg b ON b.i = s.i
), shaped AS MATERIALIZED (
    SELECT k.*,
        CASE WHEN k.kind <> 'ok' THEN 'lezen' WHEN k.r < 780 THEN 'lezen' WHEN k.r < 830 THEN 'lijst'
             WHEN k.r < 900 THEN 'wijzigen' WHEN k.r < 950 THEN 'aanmaken' WHEN k.r < 980 THEN 'zoeken'
             WHEN k.r < 995 THEN 'exporteren' WHEN k.r < 1010 THEN 'afdrukken' ELSE 'controle' END AS action,
        COALESCE(k.btg_case, k.case_id) AS the_case, COALESCE(k.btg_pseudonym, k.pseudonym) AS the_pseudonym
    FROM pick k
), entries AS (
    INSERT INTO privacy_accesslogentry (id, at, user_id, organisation_id, role, application, action, view, object_type,
        object_ids, categories, purpose, break_the_glass, outcome, status_code, client_ip, request_id, query)
    SELECT %(entry_base)s + i, at, user_id, organisation_id, role, '', action,
        CASE action WHEN 'lijst' THEN 'caseload' WHEN 'wijzigen' THEN 'person_edit' WHEN 'aanmaken' THEN 'journal_add'
             WHEN 'zoeken' THEN 'bsn_search' WHEN 'exporteren' THEN 'caseload_export' WHEN 'controle' THEN 'register'
             ELSE 'case_detail' END,
        CASE action WHEN 'wijzigen' THEN 'person' WHEN 'zoeken' THEN 'person' WHEN 'controle' THEN 'person'
             WHEN 'aanmaken' THEN 'journal' ELSE 'case' END,
        CASE action WHEN 'wijzigen' THEN jsonb_build_array(person_id::text) WHEN 'zoeken' THEN jsonb_build_array(person_id::text)
             WHEN 'controle' THEN '[]'::jsonb
             WHEN 'aanmaken' THEN jsonb_build_array(md5(%(seed)s || ':journal:' || i)::uuid::text)
             ELSE jsonb_build_array(the_case::text) END,
        CASE WHEN kind = 'denied' THEN '[]'::jsonb
             WHEN action IN ('wijzigen', 'zoeken', 'controle') THEN '["identificatie"]'::jsonb
             WHEN action = 'aanmaken' THEN '["plan"]'::jsonb
             WHEN role IN ('case_director', 'process_director')
                 THEN '["identificatie", "justitieel", "netwerk", "plan", "sociaal", "zorg"]'::jsonb
             ELSE '["identificatie", "plan", "sociaal"]'::jsonb END,
        CASE WHEN kind = 'btg' THEN 'noodtoegang: ' || grant_id::text
             WHEN action = 'controle' THEN 'hit/no-hit-controle (aanmelding)'
             WHEN action IN ('lijst', 'exporteren', 'zoeken') THEN '' ELSE 'casus ' || the_case::text END,
        kind = 'btg',
        CASE WHEN kind = 'denied' THEN 'geweigerd' ELSE 'toegestaan' END,
        CASE WHEN kind = 'denied' THEN 404 WHEN action IN ('wijzigen', 'aanmaken') THEN 302 ELSE 200 END,
        ('10.' || ((h2 >> 20) & 255) || '.' || ((h2 >> 28) & 255) || '.' || ((h2 >> 36) & 255))::inet,
        md5(%(seed)s || ':request:' || i),
        CASE WHEN action = 'zoeken' THEN 'bsn=[1 woord]' ELSE '' END
    FROM shaped
)
INSERT INTO privacy_accesslogsubject (id, entry_id, pseudonym)
SELECT %(subject_base)s + i, %(entry_base)s + i, the_pseudonym FROM shaped
"""


def write(ctx: Context) -> None:
    """``sizes.access_log`` rows over the last ``LOG_DAYS`` days (UTC), ids in time order, mostly office
    hours; each with one ``AccessLogSubject`` (the person's pseudonym). About 1 % denied (a partner
    outside the team, 404), a few break-the-glass uses with their (expired, reviewed) grants."""
    started = time.perf_counter()
    total = ctx.sizes.access_log
    pairs, denied = _temp_tables(ctx)
    btg = _break_the_glass_rows(ctx, total)
    with connection.cursor() as cursor:
        body = "\n".join(f"{i}\t{grant}\t{case}\t{alias}\t{user}\t{org}" for i, grant, case, alias, user, org in btg)
        cursor.cursor.copy_expert("COPY ds_btg FROM STDIN", _Lines(body))  # type: ignore[attr-defined]
    entry_base, subject_base = next_id(AccessLogEntry) - 1, next_id(AccessLogSubject) - 1
    start = ctx.now.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0) - dt.timedelta(days=LOG_DAYS)
    params = {
        "seed": ctx.seed,
        "days": LOG_DAYS,
        "total": total,
        "start": start,
        "pairs": pairs,
        "denied": denied,
        "entry_base": entry_base,
        "subject_base": subject_base,
    }
    ctx.step("toegangslog: voorbereiding", 0, started)
    began = time.perf_counter()
    with bulk_load([AccessLogEntry, AccessLogSubject]):
        for lo in range(1, total + 1, LOG_BATCH):
            with transaction.atomic(), connection.cursor() as cursor:
                batch: dict[str, Any] = {**params, "lo": lo, "hi": min(lo + LOG_BATCH - 1, total)}
                cursor.execute(ACCESS_LOG_SQL, batch)
        ctx.step("toegangslog (regels; betrokkenen in dezelfde statements)", total, began)
        ctx.record("toegangslog-betrokkenen", total, 0.0)
        began = time.perf_counter()
    ctx.step("toegangslog: indexen en sleutels terug", 0, began)
    _grants(ctx, btg, entry_base)


def _grants(ctx: Context, btg: list[tuple[int, uuid.UUID, Any, str, int, int]], entry_base: int) -> None:
    """The expired break-the-glass grants the log rows name, each judged justified by the privacy officer."""
    started = time.perf_counter()
    at = dict(AccessLogEntry.objects.filter(pk__in=[entry_base + i for i, *_ in btg]).values_list("pk", "at"))
    grants, reviews = [], []
    officer = ctx.user_ids[PRIVACY_OFFICER]
    for i, grant_id, case_id, _, user, _ in btg:
        granted = at[entry_base + i] - dt.timedelta(minutes=2)
        grants.append(
            {
                "id": grant_id,
                "case_id": case_id,
                "user_id": user,
                "reason": ctx.rng.choice(cat.BTG_REASONS),
                "granted_at": granted,
                "expires_at": granted + dt.timedelta(hours=24),
                "revoked_at": None,
            }
        )
        reviews.append(
            {
                "id": ctx.uuid(),
                "kind": "noodtoegang",
                "entry_id": None,
                "grant_id": grant_id,
                "created_at": granted,
                "outcome": "gerechtvaardigd",
                "note": "Toegang was nodig en is beperkt gebleven.",
                "reviewed_by_id": officer,
                "reviewed_at": min(granted + dt.timedelta(days=3), ctx.now),
            }
        )
    with transaction.atomic():
        copy_rows(BreakTheGlassGrant, grants, ctx.now)
        copy_rows(PrivacyReview, reviews, ctx.now)
    ctx.step("noodtoegangen (verlopen, beoordeeld)", len(grants), started)
