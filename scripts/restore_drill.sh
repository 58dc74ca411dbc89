#!/usr/bin/env bash
# Restore drill of PGA's PostgreSQL database (docs/deployment.md, "Hersteltest"); run it e.g. quarterly.
#
#   scripts/restore_drill.sh [SOURCE_URL]        (make restore-drill RESTORE_SOURCE=postgres://…)
#
# 1. pg_dump -Fc of the source database (default: $DATABASE_URL), in one snapshot;
# 2. pg_restore of that dump into a new scratch database on the same server (or at $SCRATCH_URL);
# 3. `manage.py migrate --check` against the scratch database: the restored schema is the one this
#    release of PGA expects (run the drill with the release you would restore with);
# 4. the row count of every table in the public schema, compared with the source's counts *in the
#    snapshot that was dumped* (a live source keeps writing, access-log rows above all, so counting it
#    later would differ for the wrong reason);
# 5. drops the scratch database (also on failure; KEEP_SCRATCH=1 keeps it) and prints a short report.
#
# Exit code 0 only when every step succeeded and every count matched; 1 on a mismatch, another non-zero
# code when a step failed. Needs pg_dump, pg_restore and psql of the server's major version or newer,
# the right to create databases, and the environment that manage.py runs with (DJANGO_SETTINGS_MODULE
# and its variables; production: the same .env as the web service). Nothing here is written to the
# source database: its session is READ ONLY. The dump is written to a private temporary directory
# ($TMPDIR) and removed afterwards; it holds personal data, so keep TMPDIR on an encrypted disk.
#
# Source of the practice: BIO 12.3.1 (back-ups are tested regularly), ASVS 4.0.3 V1.14 / AVG art. 32(1)(c)
# and (d) (the ability to restore availability and access in a timely manner, regularly tested).
set -euo pipefail

cd "$(dirname "$0")/.."

source_url=${1:-${DATABASE_URL:-}}
if [[ -z "${source_url}" ]]; then
    echo "Usage: $0 SOURCE_URL (or set DATABASE_URL)" >&2
    exit 2
fi
PYTHON=${PYTHON:-.venv/bin/python}
[[ -x "${PYTHON}" ]] || PYTHON=python3

# Split postgres://user@host:port/name?options into the server part and the database name.
source_server=${source_url%/*}
source_name=${source_url##*/}
source_name=${source_name%%\?*}
scratch_url=${SCRATCH_URL:-${source_server}/pga_restore_drill_$(date -u +%Y%m%d%H%M%S)_$$}
scratch_server=${scratch_url%/*}
scratch_name=${scratch_url##*/}
scratch_name=${scratch_name%%\?*}
if [[ "${scratch_server}/${scratch_name}" == "${source_server}/${source_name}" ]]; then
    echo "The scratch database may not be the source database (${source_name})." >&2
    exit 2
fi
if [[ ! "${scratch_name}" =~ ^[a-z_][a-z0-9_]*$ ]]; then
    echo "The scratch database name must be lower-case letters, digits and underscores: ${scratch_name}" >&2
    exit 2
fi

# Every table of the public schema with its exact row count, "name|count" per line, sorted by name.
COUNT_ROWS="SELECT table_name || '|' || (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I',
    table_schema, table_name), false, true, '')))[1]::text FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name;"
KEY_TABLES=(cases_person cases_case partners_user privacy_accesslogentry auditlog_logentry django_migrations)

work=$(mktemp -d "${TMPDIR:-/tmp}/pga-restore-drill-XXXXXX")
chmod 700 "${work}"
scratch_created=0
cleanup() {
    if [[ -n "${SOURCE_SESSION_PID:-}" ]]; then
        kill "${SOURCE_SESSION_PID}" 2>/dev/null || true
    fi
    if [[ "${scratch_created}" == 1 && "${KEEP_SCRATCH:-0}" != 1 ]]; then
        dropdb --if-exists --maintenance-db="${scratch_server}/postgres" "${scratch_name}" || true
    fi
    rm -rf "${work}"
}
trap cleanup EXIT

started=$(date +%s)
echo "Restore drill: ${source_name} -> ${scratch_name} ($(date -u +%Y-%m-%dT%H:%M:%SZ))"

# 1. One read-only REPEATABLE READ session on the source exports its snapshot; pg_dump dumps exactly
#    that snapshot and the counts below are taken in it.
coproc SOURCE_SESSION { psql "${source_url}" -X -q -A -t -v ON_ERROR_STOP=1 2>&1; }
echo "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT pg_export_snapshot();" >&"${SOURCE_SESSION[1]}"
read -r -t 60 snapshot <&"${SOURCE_SESSION[0]}" || { echo "No snapshot from the source database." >&2; exit 3; }
if [[ ! "${snapshot}" =~ ^[0-9A-F-]+$ ]]; then
    echo "No snapshot from the source database: ${snapshot}" >&2
    exit 3
fi
echo "${COUNT_ROWS} SELECT '--end--';" >&"${SOURCE_SESSION[1]}"
: >"${work}/source-counts"
counted=0
while read -r -t 3600 line <&"${SOURCE_SESSION[0]}"; do
    if [[ "${line}" == "--end--" ]]; then
        counted=1
        break
    fi
    if [[ ! "${line}" =~ ^[a-z0-9_]+\|[0-9]+$ ]]; then
        echo "Counting the source's rows failed: ${line}" >&2
        exit 3
    fi
    echo "${line}" >>"${work}/source-counts"
done
if [[ "${counted}" != 1 ]]; then
    echo "Counting the source's rows did not finish." >&2
    exit 3
fi
pg_dump --format=custom --snapshot="${snapshot}" --file="${work}/source.dump" "${source_url}"
echo "COMMIT;" >&"${SOURCE_SESSION[1]}"
exec {SOURCE_SESSION[1]}>&-
dump_size=$(du -h "${work}/source.dump" | cut -f1)
echo "1. pg_dump -Fc: ${dump_size}"

# 2. Restore into the scratch database, stopping at the first error.
createdb --maintenance-db="${scratch_server}/postgres" "${scratch_name}"
scratch_created=1
pg_restore --exit-on-error --no-owner --dbname="${scratch_url}" "${work}/source.dump"
echo "2. pg_restore into ${scratch_name}: done"

# 3. The schema is the one this release expects: no migration left to apply.
if ! DATABASE_URL="${scratch_url}" "${PYTHON}" manage.py migrate --check --noinput >"${work}/migrate.log" 2>&1; then
    cat "${work}/migrate.log" >&2
    echo "3. manage.py migrate --check: FAILED (unapplied migrations, or the database could not be read)" >&2
    exit 4
fi
echo "3. manage.py migrate --check: no unapplied migrations"

# 4. Row counts, table by table.
psql "${scratch_url}" -X -q -A -t -v ON_ERROR_STOP=1 -c "${COUNT_ROWS}" >"${work}/restored-counts"
mismatches=0
tables=0
rows=0
while IFS='|' read -r table count; do
    tables=$((tables + 1))
    rows=$((rows + count))
    restored=$(grep -m 1 "^${table}|" "${work}/restored-counts" | cut -d'|' -f2 || true)
    if [[ "${restored}" != "${count}" ]]; then
        echo "   MISMATCH ${table}: source ${count}, restored ${restored:-missing}" >&2
        mismatches=$((mismatches + 1))
    fi
done <"${work}/source-counts"
extra=$(cut -d'|' -f1 "${work}/restored-counts" | grep -vxF -f <(cut -d'|' -f1 "${work}/source-counts") || true)
if [[ -n "${extra}" ]]; then
    echo "   MISMATCH: tables only in the restore: ${extra//$'\n'/, }" >&2
    mismatches=$((mismatches + 1))
fi
if [[ "${tables}" == 0 ]]; then
    echo "   MISMATCH: the source has no tables in its public schema" >&2
    mismatches=$((mismatches + 1))
fi
for table in "${KEY_TABLES[@]}"; do
    count=$(grep -m 1 "^${table}|" "${work}/source-counts" | cut -d'|' -f2 || true)
    echo "   ${table}: ${count:-absent}"
done
echo "4. Row counts: ${tables} tables, ${rows} rows, ${mismatches} mismatches"

echo "5. Scratch database $([[ "${KEEP_SCRATCH:-0}" == 1 ]] && echo "kept: ${scratch_name}" || echo "dropped")"
echo "Duration: $(($(date +%s) - started)) s"
if ((mismatches > 0)); then
    echo "RESULT: FAILED" >&2
    exit 1
fi
echo "RESULT: OK"
