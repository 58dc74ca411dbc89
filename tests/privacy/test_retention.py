"""Retention after closure (issue #5 job 4): periods per outcome, the destruction list, approval and
legal holds, destruction and its tombstone. The erasure-completeness test is in
test_retention_erasure.py. Every job runs for real through the runner against PostgreSQL.
"""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Case, CaseStatus, ClosingReason, JournalEntry, Person
from jobs.models import JobName, JobRun, JobRunStatus, JobTrigger, Notification
from jobs.runner import job_run
from partners.models import Role
from privacy import retention, rights
from privacy.models import (
    PLACEHOLDER_LABEL,
    AccessLogEntry,
    DestructionListItem,
    DestructionRecord,
    DestructionStatus,
    LegalHold,
    RetentionPeriod,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 11, 28)  # a fixed day in the past: the tests let up to a year pass after it
LIST = "/privacy/vernietiging/"
APPROVE = "/privacy/vernietiging/goedkeuren/"


def run(day: dt.date = DAY, status: str = JobRunStatus.GESLAAGD) -> dict[str, int]:
    result = job_run("retention", day=day)
    assert result.status == status, result.error
    return dict(result.counts)


def closed_case(*, closed_on: dt.date, reason: str = ClosingReason.DOELEN_BEHAALD, **fields) -> Case:
    return f.CaseFactory(
        status=CaseStatus.AFGESLOTEN,
        opened_on=closed_on - relativedelta(years=1),
        closed_on=closed_on,
        closing_reason=reason,
        **fields,
    )


def due_case(**fields) -> Case:
    """A case closed (doelen behaald) three years before ``DAY``: past its 24 months."""
    return closed_case(closed_on=DAY - relativedelta(years=3), **fields)


@pytest.fixture
def officer(db):
    # A name no generated person can have: the tests look for persons' names on the officer's pages,
    # whose header shows the officer's own name (a random one once matched a person's surname).
    return f.UserFactory(privacy_officer=True, first_name="Privacy", last_name="Functionaris")


@pytest.fixture
def confirmed(officer):
    """Every period confirmed by the officer (approval refuses placeholder periods)."""
    for period in RetentionPeriod.objects.all():
        retention.period_confirm(actor=officer, period=period)


def item_of(case: Case) -> DestructionListItem:
    return DestructionListItem.objects.exclude(status=DestructionStatus.INGETROKKEN).get(case_ref=case.pk)


# --- Periods per outcome -----------------------------------------------------------------------


def test_every_closing_reason_has_a_seeded_placeholder_period():
    periods = {period.closing_reason: period for period in RetentionPeriod.objects.all()}
    assert set(periods) == set(ClosingReason.values)
    assert all(period.is_placeholder for period in periods.values())
    assert all(period.rationale for period in periods.values())
    # A rejected aanmelding is kept shorter than a completed case (issue #5).
    assert periods[ClosingReason.NIET_OPGENOMEN].months < periods[ClosingReason.DOELEN_BEHAALD].months


M6 = relativedelta(months=6)
M24 = relativedelta(months=24)
ONE_DAY = dt.timedelta(days=1)
# (scenario, closing reason, closed on, day, listed)
PERIOD_SCENARIOS = [
    ("rejected aanmelding, exactly 6 months", ClosingReason.NIET_OPGENOMEN, DAY - M6, DAY, True),
    ("rejected aanmelding, a day short", ClosingReason.NIET_OPGENOMEN, DAY - M6, DAY - ONE_DAY, False),
    ("completed case after 6 months", ClosingReason.DOELEN_BEHAALD, DAY - M6, DAY, False),
    ("completed case, exactly 24 months", ClosingReason.DOELEN_BEHAALD, DAY - M24, DAY, True),
    ("completed case, a day short of 24 months", ClosingReason.DOELEN_BEHAALD, DAY - M24, DAY - ONE_DAY, False),
    ("handed over after 24 months (60)", ClosingReason.OVERGEDRAGEN, DAY - M24, DAY, False),
    # 31 August + 6 months = 28 February (calendar months clamp to the month's end).
    ("month end clamps", ClosingReason.NIET_OPGENOMEN, dt.date(2025, 8, 31), dt.date(2026, 2, 28), True),
    ("month end, the day before", ClosingReason.NIET_OPGENOMEN, dt.date(2025, 8, 31), dt.date(2026, 2, 27), False),
]


@pytest.mark.parametrize(
    ("scenario", "reason", "closed_on", "day", "listed"), PERIOD_SCENARIOS, ids=[s[0] for s in PERIOD_SCENARIOS]
)
def test_the_period_depends_on_the_outcome(scenario, reason, closed_on, day, listed):
    case = closed_case(closed_on=closed_on, reason=reason)
    counts = run(day)
    assert counts["flagged"] == int(listed)
    if listed:
        item = item_of(case)
        assert item.status == DestructionStatus.VOORGESTELD
        assert item.eligible_on == closed_on + relativedelta(months=item.period_months)
        assert item.listed_on == day


def test_periods_are_database_values_an_administrator_changes():
    case = closed_case(closed_on=DAY - M6, reason=ClosingReason.DOELEN_BEHAALD)
    assert run()["flagged"] == 0
    RetentionPeriod.objects.filter(closing_reason=ClosingReason.DOELEN_BEHAALD).update(months=6)
    assert run()["flagged"] == 1
    assert item_of(case).period_months == 6


def test_active_cases_are_never_listed():
    f.CaseFactory(lokale_pga=True, opened_on=DAY - relativedelta(years=5))
    assert run()["flagged"] == 0


# --- Placeholders --------------------------------------------------------------------------------


@pytest.fixture
def beheerder(client):
    user = f.UserFactory(administrator=True, is_staff=True, username="beheerder")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="privacy", content_type__model="retentionperiod"))
    client.force_login(user)
    return user


def test_the_admin_marks_placeholders_and_a_changed_value_needs_confirming_again(client, beheerder, officer):
    period = RetentionPeriod.objects.get(closing_reason=ClosingReason.NIET_OPGENOMEN)
    listing = client.get("/beheer/privacy/retentionperiod/")
    assert listing.status_code == 200
    assert PLACEHOLDER_LABEL in listing.content.decode().lower()

    retention.period_confirm(actor=officer, period=period)
    assert PLACEHOLDER_LABEL not in client.get(f"/beheer/privacy/retentionperiod/{period.pk}/change/").content.decode().lower()
    response = client.post(f"/beheer/privacy/retentionperiod/{period.pk}/change/", {"months": 9, "rationale": "Negen maanden."})
    assert response.status_code == 302
    period.refresh_from_db()
    assert (period.months, period.is_placeholder) == (9, True)
    assert LogEntry.objects.get_for_object(period).filter(actor=beheerder).exists()  # audited


def test_the_admin_keeps_the_confirmation_when_only_the_reasoning_changes(client, beheerder, officer):
    period = RetentionPeriod.objects.get(closing_reason=ClosingReason.OVERIG)
    retention.period_confirm(actor=officer, period=period)
    client.post(f"/beheer/privacy/retentionperiod/{period.pk}/change/", {"months": period.months, "rationale": "Zelfde termijn."})
    period.refresh_from_db()
    assert not period.is_placeholder


def test_the_admin_cannot_add_or_delete_periods(client, beheerder):
    period = RetentionPeriod.objects.first()
    assert client.get("/beheer/privacy/retentionperiod/add/").status_code == 403
    assert client.post(f"/beheer/privacy/retentionperiod/{period.pk}/delete/", {"post": "yes"}).status_code == 403
    assert RetentionPeriod.objects.count() == len(ClosingReason.values)


def test_the_officer_page_marks_placeholders_and_the_officer_confirms_them(client, officer):
    client.force_login(officer)
    assert "Voorlopige waarde, nog te bevestigen door de privacyfunctionaris" in client.get(LIST).content.decode()
    period = RetentionPeriod.objects.get(closing_reason=ClosingReason.NIET_OPGENOMEN)
    response = client.post(f"/privacy/vernietiging/termijnen/{period.pk}/bevestigen/")
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.confirmed_by == officer
    assert LogEntry.objects.get_for_object(period).filter(actor=officer).exists()


def test_approval_waits_for_a_confirmed_period(officer):
    case = due_case()
    run()
    with pytest.raises(ValidationError, match="Bevestig eerst de bewaartermijn"):
        retention.items_approve(actor=officer, item_ids=[item_of(case).pk])
    assert item_of(case).status == DestructionStatus.VOORGESTELD


# --- The list: idempotent, withdrawn, notified -------------------------------------------------------


def test_listing_is_idempotent(officer):
    cases = [due_case() for _ in range(3)]
    first = run()
    assert (first["flagged"], first["already_flagged"]) == (3, 0)
    second = run()
    assert (second["flagged"], second["already_flagged"], second["withdrawn"]) == (0, 3, 0)
    later = run(DAY + dt.timedelta(days=7))
    assert (later["flagged"], later["already_flagged"]) == (0, 3)
    assert DestructionListItem.objects.count() == 3
    assert {item.case_id for item in DestructionListItem.objects.all()} == {case.pk for case in cases}


def test_privacy_officers_are_notified_of_new_items_with_a_number_only(officer):
    due_case(), due_case()
    run()
    notification = Notification.objects.get(user=officer)
    assert (notification.kind, notification.count) == (JobName.RETENTION, 2)
    run()
    assert Notification.objects.filter(user=officer).count() == 1  # nothing new, no new notification


def test_a_reopened_case_is_withdrawn_and_listed_again_when_due_again():
    case = due_case()
    run()
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.ACTIEF, reopened_on=DAY, closed_on=None, closing_reason="")
    assert run()["withdrawn"] == 1
    assert DestructionListItem.objects.get(case_ref=case.pk).status == DestructionStatus.INGETROKKEN
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.AFGESLOTEN, closed_on=DAY - M24, closing_reason=ClosingReason.DOELEN_BEHAALD
    )
    assert run()["flagged"] == 1


def test_the_query_count_of_the_listing_does_not_depend_on_the_number_of_cases(officer):
    def queries(n: int, day: dt.date) -> int:
        for _ in range(n):
            closed_case(closed_on=day - M24)
        job = JobRun.objects.create(job=JobName.RETENTION, as_of=day, trigger=JobTrigger.HANDMATIG)
        with CaptureQueriesContext(connection) as captured:
            result = retention.retention(day=day, run=job)
        assert result.flagged == n
        return len(captured)

    assert queries(2, DAY) == queries(12, DAY + relativedelta(years=1))


# --- Legal holds ---------------------------------------------------------------------------------


def test_a_legal_hold_keeps_a_case_off_the_list(officer):
    case = due_case()
    hold = rights.hold_place(actor=officer, person=case.person, reason="Lopende procedure over de voogdij.")
    counts = run()
    assert (counts["flagged"], counts["already_flagged"]) == (0, 0)
    assert not DestructionListItem.objects.exists()
    rights.hold_lift(actor=officer, hold=hold)
    assert run()["flagged"] == 1


def test_a_hold_placed_after_approval_blocks_destruction_until_lifted(officer, confirmed):
    case = due_case()
    run()
    retention.items_approve(actor=officer, item_ids=[item_of(case).pk])
    hold = rights.hold_place(actor=officer, person=case.person, reason="Bescherming van een kind (art. 23 AVG).")
    counts = run()
    assert (counts["held"], counts["destroyed"]) == (1, 0)
    item = item_of(case)
    assert (item.status, item.hold) == (DestructionStatus.AANGEHOUDEN, hold)
    assert Case.objects.filter(pk=case.pk).exists()

    rights.hold_lift(actor=officer, hold=hold)
    counts = run()
    assert (counts["released"], counts["destroyed"]) == (1, 0)
    item.refresh_from_db()
    assert (item.status, item.approved_by) == (DestructionStatus.VOORGESTELD, None)  # approve again


def test_the_officer_places_a_hold_from_the_list(client, officer):
    case = due_case()
    run()
    client.force_login(officer)
    item = item_of(case)
    page = client.get(f"/privacy/vernietiging/{item.pk}/bewaarplicht/")
    assert page.status_code == 200
    assert case.person.surname not in page.content.decode()
    empty = client.post(f"/privacy/vernietiging/{item.pk}/bewaarplicht/", {"reason": ""}).content.decode()
    assert "Controleer het formulier" in empty and "Geef de reden waarom de gegevens nog niet worden vernietigd." in empty
    item.refresh_from_db()
    assert item.status == DestructionStatus.VOORGESTELD
    response = client.post(f"/privacy/vernietiging/{item.pk}/bewaarplicht/", {"reason": "Civiele procedure loopt nog."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == DestructionStatus.AANGEHOUDEN
    assert item.hold.reason == "Civiele procedure loopt nog."
    assert LegalHold.objects.get(person=case.person, lifted_at__isnull=True).placed_by == officer
    assert run()["destroyed"] == 0


# --- Approval and permissions --------------------------------------------------------------------


def test_the_officer_sees_no_case_content_and_approves_one_or_all_selected(client, officer, confirmed):
    cases = [due_case() for _ in range(3)]
    run()
    client.force_login(officer)
    page = client.get(LIST).content.decode()
    for case in cases:
        assert str(case.pk) in page
        assert case.person.surname not in page and case.person.given_names not in page
    assert "Doelen behaald" in page
    items = [item_of(case) for case in cases]

    assert client.post(APPROVE, {"enkel": items[0].pk, "item": [items[1].pk]}).status_code == 302
    assert [item_of(case).status for case in cases] == [DestructionStatus.GOEDGEKEURD, "voorgesteld", "voorgesteld"]
    client.post(APPROVE, {"item": [items[1].pk, items[2].pk]})
    assert all(item_of(case).status == DestructionStatus.GOEDGEKEURD for case in cases)
    approval = LogEntry.objects.get_for_object(items[0]).get(action=LogEntry.Action.UPDATE)
    assert approval.actor == officer  # audited with the officer
    assert AccessLogEntry.objects.filter(user=officer, purpose="bewaartermijn na afsluiting", action="wijzigen").exists()


def test_an_item_is_approved_once(officer, confirmed):
    case = due_case()
    run()
    retention.items_approve(actor=officer, item_ids=[item_of(case).pk])
    with pytest.raises(ValidationError):
        retention.items_approve(actor=officer, item_ids=[item_of(case).pk])


@pytest.mark.parametrize("role", [Role.CASE_DIRECTOR, Role.PROCESS_DIRECTOR, Role.PARTNER, Role.ADMINISTRATOR])
def test_only_the_privacy_officer_sees_and_decides(client, role, confirmed):
    case = due_case()
    run()
    item = item_of(case)
    user = f.UserFactory(role=role)
    client.force_login(user)
    for url in (LIST, f"/privacy/vernietiging/{item.pk}/bewaarplicht/"):
        assert client.get(url).status_code == 404
    assert client.post(APPROVE, {"enkel": item.pk}).status_code == 404
    period = RetentionPeriod.objects.first()
    assert client.post(f"/privacy/vernietiging/termijnen/{period.pk}/bevestigen/").status_code == 404
    with pytest.raises(PermissionDenied):
        retention.items_approve(actor=user, item_ids=[item.pk])
    with pytest.raises(PermissionDenied):
        retention.item_hold(actor=user, item=item, reason="Geen reden.")
    assert item_of(case).status == DestructionStatus.VOORGESTELD


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert "/privacy/" not in response["Location"].split("?")[0]


def test_the_officer_start_page_links_the_destruction_list(client, officer):
    client.force_login(officer)
    assert LIST in client.get("/privacy/toezicht/").content.decode()


# --- Destruction ---------------------------------------------------------------------------------


def approved_case(officer, **fields) -> Case:
    case = due_case(**fields)
    run()
    retention.items_approve(actor=officer, item_ids=[item_of(case).pk])
    return case


def test_destruction_counts_and_the_tombstone(officer, confirmed):
    case = approved_case(officer, tier="basisinzet")
    for _ in range(2):
        f.OffenceFactory(case=case)
    for _ in range(3):
        f.JournalEntryFactory(case=case, text="Gesprek gehad.")
    person_id = case.person_id
    counts = run()
    assert (counts["destroyed"], counts["failed"]) == (1, 0)
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not Person.objects.filter(pk=person_id).exists()
    record = DestructionRecord.objects.get(case_ref=case.pk)
    assert record.deleted["cases.Offence"] == 2
    assert record.deleted["cases.JournalEntry"] == 3
    assert (record.deleted["cases.Case"], record.deleted["cases.Person"], record.deleted["cases.CasePlan"]) == (1, 1, 1)
    assert record.person_erased
    assert (record.closed_year, record.closed_month) == (
        (DAY - relativedelta(years=3)).year,
        (DAY - relativedelta(years=3)).month,
    )
    assert (record.closing_reason, record.tier, record.period_months) == (ClosingReason.DOELEN_BEHAALD, "basisinzet", 24)
    assert record.approved_by == officer
    item = DestructionListItem.objects.get(case_ref=case.pk)
    assert (item.status, item.case, item.record) == (DestructionStatus.VERNIETIGD, None, record)

    again = run()  # idempotent: nothing left to destroy, nothing listed anew
    assert (again["destroyed"], again["flagged"], again["already_flagged"]) == (0, 0, 0)
    assert DestructionRecord.objects.count() == 1


def test_a_case_with_nothing_to_anonymise_is_destroyed_too(officer, confirmed):
    """Loaded without audit entries (as the demo data are): the tombstone's ``anonymised`` is empty."""
    from auditlog.context import disable_auditlog

    with disable_auditlog():
        case = approved_case(officer)
    counts = run()
    assert (counts["destroyed"], counts["failed"]) == (1, 0)
    assert DestructionRecord.objects.get(case_ref=case.pk).anonymised == {}


def test_the_tombstone_holds_no_personal_data(officer, confirmed):
    case = approved_case(officer)
    person = case.person
    f.JournalEntryFactory(case=case, text=f"Gesprek met {person.full_name}.")
    run()
    record = DestructionRecord.objects.get(case_ref=case.pk)
    values = [str(getattr(record, field.attname)) for field in DestructionRecord._meta.concrete_fields]
    text = " ".join(values).lower()
    for secret in (
        person.given_names,
        person.surname,
        person.bsn,
        person.date_of_birth.isoformat(),
        f"{person.date_of_birth:%d-%m-%Y}",
    ):
        assert secret.lower() not in text
    assert not any(
        isinstance(getattr(record, field.attname), dt.date) and not isinstance(getattr(record, field.attname), dt.datetime)
        for field in DestructionRecord._meta.concrete_fields
    )  # no full dates of the case, only month and year


def test_a_person_with_another_case_is_kept(officer, confirmed):
    case = approved_case(officer)
    current = f.CaseFactory(lokale_pga=True, person=case.person)
    run()
    assert not Case.objects.filter(pk=case.pk).exists()
    assert Person.objects.filter(pk=case.person_id).exists()
    assert Case.objects.filter(pk=current.pk).exists()
    assert not DestructionRecord.objects.get(case_ref=case.pk).person_erased


def test_one_failure_does_not_stop_the_rest_and_is_recorded(officer, confirmed):
    failing, fine = due_case(), due_case()
    entry = f.JournalEntryFactory(case=failing, text="Blijft staan.")
    run()
    retention.items_approve(actor=officer, item_ids=[item_of(failing).pk, item_of(fine).pk])
    # A real refusal by the database, like the access log's triggers: this one row cannot be deleted.
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION test_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER test_refuse_delete BEFORE DELETE ON cases_journalentry FOR EACH ROW "
            f"WHEN (OLD.id = '{entry.pk}'::uuid) EXECUTE FUNCTION test_refuse_delete()"
        )
    counts = run(status=JobRunStatus.DEELS_MISLUKT)  # a run with failed parts is not "geslaagd"
    assert (counts["destroyed"], counts["failed"]) == (1, 1)
    assert not Case.objects.filter(pk=fine.pk).exists()
    assert Case.objects.filter(pk=failing.pk).exists()
    assert JournalEntry.objects.filter(case=failing).count() == 1  # the whole case rolled back, not half of it
    item = item_of(failing)
    assert item.status == DestructionStatus.GOEDGEKEURD
    assert item.error.splitlines()[0] == "InternalError"  # the type and code locations, no message
    assert failing.person.surname not in item.error
    assert not DestructionRecord.objects.filter(case_ref=failing.pk).exists()


def test_destroying_checks_the_state_under_lock(officer, confirmed):
    from privacy.erasure import case_destroy

    case = due_case()
    run()
    with pytest.raises(ValidationError):
        case_destroy(item=item_of(case))  # proposed, not approved
    assert Case.objects.filter(pk=case.pk).exists()


def test_the_job_runs_in_the_runner_with_timestamps():
    due_case()
    job = job_run("retention", day=DAY)
    assert job.status == JobRunStatus.GESLAAGD
    assert job.finished_at is not None and job.finished_at <= timezone.now()
    assert set(job.counts) >= {"flagged", "already_flagged", "destroyed", "failed", "withdrawn", "held", "released", "notified"}


def test_the_officer_sees_the_history_of_destroyed_cases(client, officer, confirmed):
    case = approved_case(officer)
    surname = case.person.surname
    run()
    client.force_login(officer)
    page = client.get(LIST).content.decode()
    record = DestructionRecord.objects.get(case_ref=case.pk)
    assert str(case.pk) in page
    assert f"{record.closed_month:02d}-{record.closed_year}" in page
    assert "cases.JournalEntry" in page or "cases.Case" in page
    assert surname not in page
