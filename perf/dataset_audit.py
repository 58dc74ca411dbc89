"""The dataset generator's django-auditlog entries (``perf.dataset``, issue #6), generated inside PostgreSQL.

Entries as django-auditlog writes them for the registered case models (cases/audit.py): ``action`` 0
(create) or 1 (update), ``changes`` as ``{"field": ["old", "new"]}`` with values as text and ``"None"``
for none (auditlog's default, ``AUDITLOG_STORE_JSON_CHANGES`` off), the object's UUID as ``object_pk``,
the actor, a timestamp at the change. ``object_repr`` is the model's name and the start of the UUID,
and the changes leave names out: the generated audit log holds no (fake) personal data.

The pieces below are taken in order until the total is reached; a piece that is only partly needed is
sampled evenly over its rows (ordered by time), so the entries spread over the whole period.
"""

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction


@dataclasses.dataclass(frozen=True)
class Piece:
    """One kind of audit entry: the model, auditlog's action, and a SELECT giving per object
    ``pk`` (text), ``repr``, ``actor`` (user id), ``ts`` (timestamptz) and ``changes`` (jsonb)."""

    name: str
    model: str
    action: int
    select: str


PIECES = (
    Piece(
        "casus aangemaakt",
        "case",
        0,
        "SELECT id::text AS pk, 'casus ' || left(id::text, 8) AS repr, registered_by_id AS actor, created_at AS ts, "
        "jsonb_build_object("
        "'id', jsonb_build_array('None', id::text), 'tier', jsonb_build_array('None', tier), "
        "'status', jsonb_build_array('None', 'aangemeld'), 'target_group', jsonb_build_array('None', target_group), "
        "'opened_on', jsonb_build_array('None', opened_on::text), "
        "'case_director', jsonb_build_array('None', COALESCE(case_director_id::text, 'None'))"
        ")"
        " AS changes FROM cases_case",
    ),
    Piece(
        "persoon aangemaakt",
        "person",
        0,
        "SELECT p.id::text, 'persoon ' || left(p.id::text, 8), c.registered_by_id, p.created_at, "
        "jsonb_build_object("
        "'id', jsonb_build_array('None', p.id::text), 'gender', jsonb_build_array('None', p.gender), "
        "'lvb', jsonb_build_array('None', CASE WHEN p.lvb THEN 'True' ELSE 'False' END)"
        ")"
        " FROM cases_person p JOIN (SELECT DISTINCT ON (person_id) person_id, registered_by_id FROM cases_case "
        "ORDER BY person_id, opened_on) c ON c.person_id = p.id",
    ),
    Piece(
        "casus actief",
        "case",
        1,
        "SELECT id::text, 'casus ' || left(id::text, 8), COALESCE(case_director_id, registered_by_id), "
        "(opened_on + 7)::timestamp AT TIME ZONE 'Europe/Amsterdam' + interval '10 hours', "
        "jsonb_build_object('status', jsonb_build_array('aangemeld', 'actief')) FROM cases_case WHERE status <> 'aangemeld'",
    ),
    Piece(
        "actie aangemaakt",
        "action",
        0,
        "SELECT id::text, 'actie ' || left(id::text, 8), created_by_id, created_at, "
        "jsonb_build_object("
        "'id', jsonb_build_array('None', id::text), 'description', jsonb_build_array('None', description), "
        "'status', jsonb_build_array('None', 'open'), 'kind', jsonb_build_array('None', kind), "
        "'owning_organisation', jsonb_build_array('None', owning_organisation_id::text), "
        "'due_on', jsonb_build_array('None', COALESCE(due_on::text, 'None'))"
        ")"
        " FROM cases_action",
    ),
    Piece(
        "doel aangemaakt",
        "goal",
        0,
        "SELECT id::text, 'doel ' || left(id::text, 8), created_by_id, created_at, "
        "jsonb_build_object("
        "'id', jsonb_build_array('None', id::text), 'leefgebied', jsonb_build_array('None', leefgebied), "
        "'description', jsonb_build_array('None', description)"
        ")"
        " FROM cases_goal",
    ),
    Piece(
        "teamlid toegevoegd",
        "caseteammember",
        0,
        "SELECT id::text, 'teamlid ' || left(id::text, 8), added_by_id, created_at, "
        "jsonb_build_object("
        "'id', jsonb_build_array('None', id::text), "
        "'organisation', jsonb_build_array('None', COALESCE(organisation_id::text, 'None')), "
        "'user', jsonb_build_array('None', COALESCE(user_id::text, 'None')), "
        "'starts_on', jsonb_build_array('None', starts_on::text)"
        ")"
        " FROM cases_caseteammember",
    ),
    Piece(
        "casus afgesloten",
        "case",
        1,
        "SELECT id::text, 'casus ' || left(id::text, 8), COALESCE(case_director_id, registered_by_id), updated_at, "
        "jsonb_build_object('status', jsonb_build_array('actief', 'afgesloten'), "
        "'closed_on', jsonb_build_array('None', closed_on::text), 'closing_reason', jsonb_build_array('', closing_reason)) "
        "FROM cases_case WHERE status = 'afgesloten'",
    ),
    Piece(
        "delict vastgelegd",
        "offence",
        0,
        "SELECT id::text, 'delict ' || left(id::text, 8), recorded_by_id, recorded_at, "
        "jsonb_build_object("
        "'id', jsonb_build_array('None', id::text), 'offence_type', jsonb_build_array('None', offence_type_id::text), "
        "'committed_on', jsonb_build_array('None', committed_on::text), 'outcome', jsonb_build_array('None', outcome)"
        ")"
        " FROM cases_offence",
    ),
)

INSERT = """
INSERT INTO auditlog_logentry (id, content_type_id, object_pk, object_id, object_repr, serialized_data, action,
    changes_text, changes, actor_id, cid, remote_addr, remote_port, timestamp, additional_data, actor_email)
SELECT %(base)s + row_number() OVER (ORDER BY n), %(content_type)s, pk, NULL, repr, NULL, %(action)s, '', changes, actor,
    NULL, ('10.' || ((h >> 8) & 255) || '.' || ((h >> 16) & 255) || '.' || ((h >> 24) & 255))::inet, NULL,
    LEAST(ts, %(now)s), NULL, NULL
FROM (
    SELECT x.*, hashint8extended(x.n, %(seed)s) AS h
    FROM (SELECT row_number() OVER (ORDER BY s.ts, s.pk) AS n, s.* FROM ({select}) AS s (pk, repr, actor, ts, changes)) x
) y
WHERE (n * %(take)s) / %(available)s > ((n - 1) * %(take)s) / %(available)s
"""


def _available(select: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({select}) AS s")  # noqa: S608 - fixed SQL of this module
        return int(cursor.fetchone()[0])


def audit_entries(total: int, seed: int, now: dt.datetime, bulk_load: Callable[[list[Any]], Any]) -> int:
    """Write ``total`` auditlog entries (``PIECES`` in order, see the module docstring) with explicit
    ids after the highest present; returns the number written (``total`` unless the case tables hold
    fewer objects than that). ``bulk_load`` is ``perf.dataset._bulk_load`` (indexes off during the load)."""
    written = 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM auditlog_logentry")
        base = int(cursor.fetchone()[0])
    with bulk_load([LogEntry]):
        for number, piece in enumerate(PIECES):
            if written >= total:
                break
            available = _available(piece.select)
            take = min(available, total - written)
            if not take:
                continue
            content_type = ContentType.objects.get(app_label="cases", model=piece.model).pk
            params: dict[str, Any] = {
                "base": base + written,
                "content_type": content_type,
                "action": piece.action,
                "now": now,
                "seed": seed + number,
                "take": take,
                "available": available,
            }
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(INSERT.replace("{select}", piece.select), params)
                written += cursor.rowcount
    return written
