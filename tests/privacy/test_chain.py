"""The access log is append-only in the database and chained by hashes (NEN 7513 §6; BIO 12.4.2; issue #4)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from privacy import chain
from privacy.chain import seal_pending, verify
from privacy.models import AccessLogEntry, AccessLogSeal, AccessLogSubject
from privacy.tasks import access_log_seal


def entry(**kwargs) -> AccessLogEntry:
    values = {"at": timezone.now() - timezone.timedelta(hours=1), "action": "lezen", "object_type": "case"}
    values.update(kwargs)
    return AccessLogEntry.objects.create(**values)


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["entry", "subject", "seal"])
def test_database_refuses_update_and_delete_of_access_log_rows(model):
    assert connection.vendor == "postgresql"
    row = entry()
    if model == "subject":
        row = AccessLogSubject.objects.create(entry=row, pseudonym="a" * 64)
    elif model == "seal":
        row = AccessLogSeal.objects.create(
            first_entry_id=row.pk,
            last_entry_id=row.pk,
            entry_count=1,
            previous_hash="0" * 64,
            hash="1" * 64,
            sealed_at=timezone.now(),
        )
    manager = type(row).objects
    with pytest.raises(DatabaseError, match="alleen aanvulbaar"), transaction.atomic():
        manager.filter(pk=row.pk).update(id=row.pk)
    with pytest.raises(DatabaseError, match="alleen aanvulbaar"), transaction.atomic():
        manager.filter(pk=row.pk).delete()
    assert manager.filter(pk=row.pk).exists()


def logged(n: int, *, minutes_ago: int = 60) -> list[AccessLogEntry]:
    rows = []
    for i in range(n):
        row = entry(at=timezone.now() - timezone.timedelta(minutes=minutes_ago), object_ids=[f"id-{i}"], categories=["plan"])
        AccessLogSubject.objects.create(entry=row, pseudonym=f"{i:064x}")
        rows.append(row)
    return rows


def disable_trigger(table: str) -> None:
    """Simulates someone with owner rights: only inside the test's transaction, rolled back after it."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending (deferred FK) trigger events on the table
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@pytest.mark.django_db
def test_seal_then_verify_is_clean_and_sealing_is_idempotent():
    rows = logged(3)
    recent = entry(at=timezone.now())  # still settling: not sealed yet

    seal = seal_pending()

    assert seal is not None
    assert (seal.first_entry_id, seal.last_entry_id, seal.entry_count) == (1, rows[-1].pk, 3)  # the first seal starts at id 1
    assert seal.previous_hash == chain.GENESIS and len(seal.hash) == 64
    assert seal_pending() is None  # nothing new
    later = seal_pending(now=timezone.now() + timezone.timedelta(minutes=10))
    assert later is not None and later.first_entry_id == rows[-1].pk + 1 and later.last_entry_id == recent.pk
    assert later.previous_hash == seal.hash

    report = verify()
    assert report.ok, report.problems
    assert (report.seals, report.entries) == (2, 4)
    out = io.StringIO()
    call_command("verify_access_log", stdout=out)
    assert "Toegangslog intact: 2 zegel(s), 4 regel(s)" in out.getvalue()


@pytest.mark.django_db
def test_a_changed_row_is_reported_and_the_command_exits_1():
    rows = logged(3)
    seal_pending()
    disable_trigger("privacy_accesslogentry")
    AccessLogEntry.objects.filter(pk=rows[1].pk).update(purpose="verdoezeld")

    report = verify()
    assert [problem.message for problem in report.problems] == [
        "de hash klopt niet: regels zijn gewijzigd, verwijderd of toegevoegd."
    ]
    with pytest.raises(CommandError) as error:
        call_command("verify_access_log", stdout=io.StringIO(), stderr=io.StringIO())
    assert error.value.returncode == 1


@pytest.mark.django_db
def test_a_changed_pseudonym_is_reported():
    rows = logged(2)
    seal_pending()
    disable_trigger("privacy_accesslogsubject")
    AccessLogSubject.objects.filter(entry=rows[0]).update(pseudonym="f" * 64)
    assert not verify().ok


@pytest.mark.django_db
def test_a_deleted_row_is_reported():
    rows = logged(3)
    seal_pending()
    disable_trigger("privacy_accesslogsubject")
    disable_trigger("privacy_accesslogentry")
    AccessLogSubject.objects.filter(entry=rows[2]).delete()
    AccessLogEntry.objects.filter(pk=rows[2].pk).delete()

    messages = [problem.message for problem in verify().problems]
    assert "1 regel(s) ontbreken (verwijderd na verzegeling)." in messages


@pytest.mark.django_db
def test_a_row_inserted_below_a_seal_is_reported():
    rows = logged(3)
    seal_pending()
    # Take an id inside the sealed range that no row has (a gap left by a rolled-back request).
    disable_trigger("privacy_accesslogsubject")
    disable_trigger("privacy_accesslogentry")
    AccessLogSubject.objects.filter(entry=rows[1]).delete()
    AccessLogEntry.objects.filter(pk=rows[1].pk).delete()
    seal = AccessLogSeal.objects.get()
    disable_trigger("privacy_accesslogseal")
    AccessLogSeal.objects.filter(pk=seal.pk).delete()
    seal_pending()  # sealed again with the gap
    entry(id=rows[1].pk)  # a row slipped in afterwards

    messages = [problem.message for problem in verify().problems]
    assert "1 regel(s) toegevoegd na verzegeling." in messages


@pytest.mark.django_db
def test_a_deleted_seal_breaks_the_chain():
    logged(1)
    seal_pending()
    logged(1)
    seal_pending()
    disable_trigger("privacy_accesslogseal")
    AccessLogSeal.objects.order_by("last_entry_id").first().delete()
    messages = [problem.message for problem in verify().problems]
    assert any("vorige zegel" in message for message in messages)


@pytest.mark.django_db
def test_seal_skips_while_another_run_holds_the_lock():
    logged(1)
    other = connections.create_connection("default")  # a second session, as a second worker would have
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [chain.LOCK_KEY])
        assert access_log_seal.delay().get() is None
        assert not AccessLogSeal.objects.exists()
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [chain.LOCK_KEY])
        assert access_log_seal.delay().get() == AccessLogSeal.objects.get().pk
    finally:
        other.close()


def test_beat_seals_every_ten_minutes(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="privacy.access_log_seal")  # installed by jobs/migrations/0002_schedule.py
    assert (task.enabled, task.interval.every, task.interval.period) == (True, 600, "seconds")
