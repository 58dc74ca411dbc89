"""The restore drill (scripts/restore_drill.sh, docs/deployment.md; issue #7) run for real against the
test PostgreSQL: dump the test database with rows this test committed, restore it into a scratch
database, check migrations and row counts, drop the scratch database.

The failure cases put a ``pg_restore`` first on PATH that runs the real one and then damages the restored
copy, as a truncated dump or a restore into an older schema would: the drill must notice and fail.
"""

import os
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from cases.models import Case, JournalEntry
from tests import factories as f

from .helpers import BASE_DIR

SCRIPT = BASE_DIR / "scripts" / "restore_drill.sh"

committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def source_url() -> str:
    database = connection.settings_dict
    host = database["HOST"] or "127.0.0.1"
    port = database["PORT"] or "5432"
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    return f"postgres://{database['USER']}{password}@{host}:{port}/{database['NAME']}"


def scratch_databases() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE 'pga_restore_drill_%'")
        return [row[0] for row in cursor.fetchall()]


def run_drill(path_prefix: Path | None = None, **extra: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "pga.settings.test", **extra}
    if path_prefix is not None:
        environment["PATH"] = f"{path_prefix}:{environment['PATH']}"
    return subprocess.run(  # noqa: S603 - our own script, fixed arguments
        ["/bin/bash", str(SCRIPT), source_url()],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def damaging_pg_restore(tmp_path: Path, sql: str) -> Path:
    """A directory with a ``pg_restore`` that restores for real, then runs ``sql`` on the restored copy."""
    directory = tmp_path / "bin"
    directory.mkdir()
    wrapper = directory / "pg_restore"
    wrapper.write_text(
        "#!/usr/bin/env bash\nset -euo pipefail\n"
        f'/usr/bin/pg_restore "$@"\n'
        'for argument in "$@"; do [[ "$argument" == --dbname=* ]] && target=${argument#--dbname=}; done\n'
        f'psql "$target" -X -q -v ON_ERROR_STOP=1 -c "{sql}"\n'
    )
    wrapper.chmod(0o755)
    return directory


@pytest.fixture
def committed_rows(case):
    """Rows in the source that the drill must find back: cases with persons, teams and journal entries."""
    f.CaseFactory.create_batch(3)
    f.JournalEntryFactory.create_batch(4, case=case)
    return {"cases": Case.objects.count(), "journal": JournalEntry.objects.count()}


@committed
def test_the_drill_restores_the_database_and_finds_every_row_back(committed_rows):
    before = scratch_databases()
    result = run_drill()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3. manage.py migrate --check: no unapplied migrations" in result.stdout
    assert f"   cases_case: {committed_rows['cases']}\n" in result.stdout
    assert ", 0 mismatches" in result.stdout
    assert result.stdout.rstrip().endswith("RESULT: OK")
    assert scratch_databases() == before  # the scratch database is dropped


@committed
def test_a_restore_that_lost_rows_fails_the_drill(committed_rows, tmp_path):
    before = scratch_databases()
    table = JournalEntry._meta.db_table
    delete_one = f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} LIMIT 1)"  # noqa: S608 - a model's table name
    result = run_drill(damaging_pg_restore(tmp_path, delete_one))
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"MISMATCH {table}: source {committed_rows['journal']}, restored {committed_rows['journal'] - 1}" in result.stderr
    assert "RESULT: FAILED" in result.stderr
    assert scratch_databases() == before


@committed
def test_a_restore_with_an_unapplied_migration_fails_the_drill(committed_rows, tmp_path):
    before = scratch_databases()
    latest = "DELETE FROM django_migrations WHERE id = (SELECT max(id) FROM django_migrations WHERE app = 'cases')"
    result = run_drill(damaging_pg_restore(tmp_path, latest))
    assert result.returncode == 4, result.stdout + result.stderr
    assert "manage.py migrate --check: FAILED" in result.stderr
    assert scratch_databases() == before


def test_the_drill_refuses_the_source_as_its_scratch_database():
    result = run_drill(SCRATCH_URL=source_url())
    assert result.returncode == 2
    assert "The scratch database may not be the source database" in result.stderr
