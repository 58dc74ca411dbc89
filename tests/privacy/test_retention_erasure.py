"""Erasure completeness (issue #5 job 4): after destruction, the person's name, BSN and date of birth
appear in no text column of the database — every text, varchar, json and jsonb column of every table
in the public schema, django-auditlog's stored changes included — while an unrelated person's data is
untouched. A rich case is built through the models and services, approved, and destroyed by the real
job through the runner against PostgreSQL.
"""

import datetime as dt
import random

import pytest
from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.utils import timezone

from cases.demo.bsn import fake_bsn
from cases.models import (
    Case,
    CaseChange,
    CaseStatus,
    ChangeKind,
    ClosingReason,
    Family,
    FamilyMembership,
    FamilyRole,
    JournalEntry,
    Person,
    Tier,
)
from escalation.models import (
    AgendaItem,
    AgendaSource,
    CaseConference,
    ConferenceAddendum,
    ConferenceStatus,
    Decision,
    FlagKind,
    FlagStatus,
    Proposal,
    ReviewFlag,
)
from jobs.models import JobRunStatus
from jobs.runner import job_run
from privacy import grants, retention, rights, services
from privacy.models import (
    AccessLogEntry,
    AccessLogSubject,
    DestructionListItem,
    DestructionRecord,
    PrivacyReview,
    RequestKind,
    RequestStatus,
    RetentionPeriod,
    ReviewOutcome,
    SubjectRequest,
)
from privacy.pseudonyms import pseudonym
from tests import factories as f

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 11, 28)  # a fixed day in the past: the tests let up to a year pass after it
CLOSED_ON = DAY - relativedelta(years=3)
DOB = dt.date(2003, 7, 19)
OTHER_DOB = dt.date(2001, 2, 11)
TEXT_TYPES = ("text", "character varying", "character", "json", "jsonb")


def secrets_of(person: Person) -> list[str]:
    """What must be gone: name variants, each name part on its own (all distinctive here), BSN, date of birth."""
    return [
        person.full_name,
        f"{person.given_names.split()[0]} {person.surname_prefix} {person.surname}",
        f"{person.given_names.split()[0]} {person.surname}",
        person.given_names.split()[0],
        person.surname,
        person.bsn,
        person.date_of_birth.isoformat(),
        f"{person.date_of_birth:%d-%m-%Y}",
    ]


def text_columns() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.table_name, c.column_name FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.data_type = ANY(%s)
            ORDER BY 1, 2
            """,
            [list(TEXT_TYPES)],
        )
        return list(cursor.fetchall())


def occurrences(needles: list[str]) -> dict[str, list[str]]:
    """``{"table.column": [needles found]}`` over every text column of every table in the public schema."""
    found: dict[str, list[str]] = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, column in text_columns():
            hits = []
            for needle in needles:
                sql = f"SELECT EXISTS (SELECT 1 FROM {quote(table)} WHERE {quote(column)}::text ILIKE %s)"  # noqa: S608 - names from the catalogue
                cursor.execute(sql, [f"%{needle}%"])
                if cursor.fetchone()[0]:
                    hits.append(needle)
            if hits:
                found[f"{table}.{column}"] = hits
    return found


def rich_case(person: Person, officer, director, outsider) -> tuple[Case, dict]:
    """A closed ZVHRU case with everything that can carry the person's name, BSN or date of birth."""
    name, bsn, born = person.full_name, person.bsn, f"{person.date_of_birth:%d-%m-%Y}"
    case = f.CaseFactory(
        zvhru=True,
        person=person,
        case_director=director,
        opened_on=CLOSED_ON - relativedelta(years=2),
        closing_note=f"{name} is uitgestroomd.",
    )
    f.TeamMemberFactory(case=case, organisation=f.organisation("politie-midden-nederland"), added_by=director)
    f.OffenceFactory(case=case, committed_on=CLOSED_ON - relativedelta(months=14), description=f"{name} ({bsn}) op heterdaad.")
    f.DetentionFactory(
        case=case, started_on=CLOSED_ON - relativedelta(months=13), released_on=CLOSED_ON - relativedelta(months=12)
    )
    f.AssessmentFactory(case=case, assessed_on=CLOSED_ON - relativedelta(months=3), note=f"{name}, geboren {born}.")
    journal = f.JournalEntryFactory(case=case, author=director, text=f"Gesprek met {name}.")
    journal.text = f"Gesprek met {name} (BSN {bsn}), geboren {person.date_of_birth.isoformat()}."
    journal.save()  # an auditlog update entry with the old and new text
    goal = f.GoalFactory(plan=case.plan, description=f"{name} vindt werk")
    f.ActionFactory(goal=goal, description=f"Sollicitatie {name}")
    CaseChange.objects.create(
        case=case,
        kind=ChangeKind.TIER,
        from_value="lokale_pga",
        to_value="zvhru",
        reason=f"{name} escaleert",
        changed_by=director,
    )
    Proposal.objects.create(
        case=case,
        from_tier=Tier.LOKALE_PGA,
        to_tier=Tier.ZVHRU,
        rationale=f"Voorstel voor {name}",
        proposed_by=director,
        organisation=director.organisation,
    )
    Decision.objects.create(
        case=case,
        kind="status",
        from_tier=Tier.ZVHRU,
        from_status=CaseStatus.ACTIEF,
        to_status=CaseStatus.AFGESLOTEN,
        closing_reason=ClosingReason.DOELEN_BEHAALD,
        rationale=f"{name} heeft de doelen behaald",
        decided_by=director,
        decided_by_role=director.role,
        decided_by_organisation=director.organisation,
        decided_on=CLOSED_ON,
        recommendation={"toelichting": f"{name} {bsn}"},
    )
    ReviewFlag.objects.create(
        case=case,
        kind=FlagKind.PERIODIEK,
        status=FlagStatus.AFGEHANDELD,
        reason="Periodieke toetsing",
        basis_on=CLOSED_ON,
        raised_on=CLOSED_ON,
        due_on=CLOSED_ON,
        closed_on=CLOSED_ON,
        closing_note=f"{name} besproken",
    )
    grant = grants.break_the_glass(actor=outsider, case=case, reason=f"Spoed: {name} is vermist, BSN {bsn}.")
    first_use = AccessLogEntry.objects.create(
        at=timezone.now(),
        user=outsider,
        action="lezen",
        object_type="case",
        object_ids=[str(case.pk)],
        purpose=grants.break_the_glass_purpose(grant.pk),
        break_the_glass=True,
    )
    AccessLogSubject.objects.create(entry=first_use, pseudonym=pseudonym(person.pk))
    review = PrivacyReview.objects.get(grant=grant)
    services.review_record(actor=officer, review=review, outcome=ReviewOutcome.JUSTIFIED, note=f"Terecht: {name} was vermist.")
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.AFGESLOTEN, closed_on=CLOSED_ON, closing_reason=ClosingReason.DOELEN_BEHAALD
    )
    case.refresh_from_db()
    case.closing_note = f"{name} is uitgestroomd; geboren {born}."
    case.save()  # an auditlog update entry of the case
    return case, {"review": review, "first_use": first_use}


def test_after_destruction_the_person_appears_in_no_text_column(officer_and_world):
    world = officer_and_world
    person, other = world["person"], world["other"]
    secrets = secrets_of(person)
    assert set(occurrences(secrets))  # the data is really there before

    before = snapshot(other, world)
    job = job_run("retention", day=DAY)
    assert job.status == JobRunStatus.GESLAAGD, job.error
    assert (job.counts["destroyed"], job.counts["failed"]) == (1, 0)

    assert occurrences(secrets) == {}
    assert snapshot(other, world) == before  # the unrelated person's own records are untouched
    assert set(occurrences(secrets_of(other)))  # and still there

    # What was kept, without the person: the shared family, the minutes, the request, the review.
    shared = Family.objects.get(pk=world["shared_family"].pk)
    assert shared.description == f"[verwijderd] is neef van {other.full_name}."
    conference = CaseConference.objects.get(pk=world["conference"].pk)
    assert conference.notes == f"Besproken: [verwijderd] ([verwijderd]) en {other.full_name}."
    assert AgendaItem.objects.filter(conference=conference).count() == 1  # the other case's item stays
    addendum = ConferenceAddendum.objects.get(conference=conference)
    assert addendum.text == "Aanvulling: [verwijderd] is geboren op [verwijderd]."
    request = SubjectRequest.objects.get(pk=world["request"].pk)
    assert (request.person, request.status) == (None, RequestStatus.GRANTED)
    review = PrivacyReview.objects.get(pk=world["review"].pk)
    assert (review.grant, review.entry, review.note) == (None, world["first_use"], "Terecht: [verwijderd] was vermist.")
    assert not Family.objects.filter(pk=world["own_family"].pk).exists()  # left without members
    record = DestructionRecord.objects.get(case_ref=world["case"].pk)
    assert record.person_erased and record.anonymised["auditlog.LogEntry"] > 0
    for model in ("cases.Case", "cases.Person", "cases.JournalEntry", "escalation.AgendaItem", "privacy.BreakTheGlassGrant"):
        assert record.deleted[model] >= 1, model

    # The access log is untouched: the row of the grant's use is still there, with the pseudonym only.
    assert AccessLogSubject.objects.filter(entry=world["first_use"], pseudonym=pseudonym(person.pk)).exists()


def snapshot(other: Person, world: dict) -> dict:
    other_case = world["other_case"]
    logs = LogEntry.objects.filter(object_pk__in=[str(other.pk), str(other_case.pk)]).order_by("pk")
    return {
        "person": Person.objects.filter(pk=other.pk).values().get(),
        "case": Case.objects.filter(pk=other_case.pk).values().get(),
        "journal": list(JournalEntry.objects.filter(case=other_case).values_list("text", flat=True)),
        "agenda": list(AgendaItem.objects.filter(case=other_case).values_list("notes", flat=True)),
        "membership": list(FamilyMembership.objects.filter(person=other).values_list("justification", flat=True)),
        "logs": list(logs.values_list("changes", "object_repr")),
    }


@pytest.fixture
def officer_and_world(db) -> dict:
    officer = f.UserFactory(privacy_officer=True)
    director = f.UserFactory(case_director=True)
    outsider = f.UserFactory(case_director=True)
    rng = random.Random(5_2026)
    person = f.PersonFactory(
        given_names="Quirijn Adalbert", surname_prefix="van der", surname="Zwaluwstaart", bsn=fake_bsn(rng), date_of_birth=DOB
    )
    person.wijk = f.wijk("zuidwest")
    person.save()  # an auditlog update entry of the person
    other = f.PersonFactory(given_names="Ottoline", surname="Brederode-Kwast", bsn=fake_bsn(rng), date_of_birth=OTHER_DOB)
    name = person.full_name
    case, extra = rich_case(person, officer, director, outsider)
    other_case = f.CaseFactory(lokale_pga=True, person=other)
    f.JournalEntryFactory(case=other_case, text=f"Gesprek met {other.full_name}.")

    own_family = Family.objects.create(name="Familie Van der Zwaluwstaart", description=f"Gezin van {name}")
    FamilyMembership.objects.create(
        family=own_family, person=person, role=FamilyRole.KIND, justification="Zoon", added_by=director
    )
    shared = Family.objects.create(name="Familie Oost", description="Neven.")
    shared.description = f"{name} is neef van {other.full_name}."
    shared.save()  # an auditlog update entry of a family that survives
    FamilyMembership.objects.create(
        family=shared, person=person, role=FamilyRole.OVERIG, justification=f"{name} is neef", added_by=director
    )
    FamilyMembership.objects.create(
        family=shared, person=other, role=FamilyRole.OVERIG, justification=f"{other.full_name} is nicht", added_by=director
    )

    conference = CaseConference.objects.create(
        starts_at=timezone.now() - relativedelta(years=3, months=2),
        chair=director,
        notes=f"Besproken: {name} ({person.bsn}) en {other.full_name}.",
    )
    AgendaItem.objects.create(conference=conference, case=case, source=AgendaSource.HANDMATIG, notes=f"{name}: gaat goed")
    AgendaItem.objects.create(
        conference=conference, case=other_case, source=AgendaSource.HANDMATIG, notes=f"{other.full_name}: start"
    )
    CaseConference.objects.filter(pk=conference.pk).update(
        status=ConferenceStatus.AFGEROND, finalised_at=timezone.now(), finalised_by=director
    )
    ConferenceAddendum.objects.create(
        conference=conference, text=f"Aanvulling: {name} is geboren op {DOB.isoformat()}.", added_by=director
    )

    hold = rights.hold_place(actor=officer, person=person, reason=f"Onderzoek naar {name}")
    rights.hold_lift(actor=officer, hold=hold)
    request = rights.request_register(
        actor=officer,
        person=person,
        kind=RequestKind.VERWIJDERING,
        received_on=timezone.localdate(),
        description=f"{name} (BSN {person.bsn}) vraagt om verwijdering.",
    )
    rights.request_decide(
        actor=officer, subject_request=request, status=RequestStatus.GRANTED, decision=f"Toegewezen aan {name}."
    )

    for period in RetentionPeriod.objects.all():
        retention.period_confirm(actor=officer, period=period)
    assert job_run("retention", day=DAY).counts["flagged"] == 1
    item = DestructionListItem.objects.get(case=case)
    retention.items_approve(actor=officer, item_ids=[item.pk])
    return {
        "person": person,
        "other": other,
        "case": case,
        "other_case": other_case,
        "own_family": own_family,
        "shared_family": shared,
        "conference": conference,
        "request": request,
        **extra,
    }
