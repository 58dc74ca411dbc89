"""The rights of the person concerned (AVG art. 12, 15, 16, 17; issue #4): requests with a one-month
deadline and a reasoned decision, the inzage document with its disclosure register, the correction
history, and erasure as a decision that a legal hold blocks."""

import datetime as dt
import json

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape
from rest_framework.test import APIClient

from cases.models import Case, CaseStatus, Family, FamilyMembership, Person
from escalation.models import Decision
from partners.models import Role
from privacy import rights
from privacy.models import (
    AccessAction,
    AccessLogEntry,
    AccessLogSubject,
    LegalHold,
    Outcome,
    RequestKind,
    RequestStatus,
    SubjectRequest,
)
from privacy.pseudonyms import pseudonym
from tests import factories as f

OFFENCE_TEXT = "Inbraak in een schuur aan de Kanaalstraat"


@pytest.fixture
def officer(db):
    return f.UserFactory(privacy_officer=True, username="privacyfunctionaris")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def make_request(officer, person, kind=RequestKind.INZAGE, received_on=None) -> SubjectRequest:
    return rights.request_register(
        actor=officer,
        person=person,
        kind=kind,
        received_on=received_on or timezone.localdate(),
        description="Betrokkene vraagt per brief om zijn gegevens.",
    )


# --- the deadline (art. 12(3)) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (dt.date(2026, 1, 31), dt.date(2026, 2, 28)),
        (dt.date(2028, 1, 31), dt.date(2028, 2, 29)),  # leap year
        (dt.date(2026, 3, 31), dt.date(2026, 4, 30)),
        (dt.date(2026, 3, 15), dt.date(2026, 4, 15)),
        (dt.date(2026, 12, 31), dt.date(2027, 1, 31)),
    ],
)
def test_due_date_is_one_calendar_month_after_receipt(received, due):
    assert rights.due_on_for(received) == due


@pytest.mark.django_db
def test_registering_by_bsn_posts_the_bsn_and_sets_the_due_date(officer, case):
    person = case.person
    response = client_for(officer).post(
        "/privacy/verzoeken/nieuw/",
        {"bsn": person.bsn, "kind": "correctie", "received_on": "2026-01-31", "description": "Mijn adres klopt niet."},
    )

    assert response.status_code == 302
    created = SubjectRequest.objects.get()
    assert (created.person, created.kind, created.received_on) == (person, "correctie", dt.date(2026, 1, 31))
    assert created.due_on == dt.date(2026, 2, 28) and created.status == RequestStatus.OPEN
    assert created.registered_by == officer
    assert person.bsn not in response["Location"] and str(created.pk) in response["Location"]
    assert AccessLogEntry.objects.get(action=AccessAction.CREATE).user == officer


@pytest.mark.django_db
def test_registering_by_person_id_and_refusing_an_unknown_bsn(officer, case):
    client = client_for(officer)
    response = client.post(
        "/privacy/verzoeken/nieuw/",
        {"person_id": str(case.person_id), "kind": "inzage", "received_on": "2026-02-10", "description": "Inzage."},
    )
    assert response.status_code == 302 and SubjectRequest.objects.get().person == case.person

    unknown = f.PersonFactory.build().bsn
    response = client.post(
        "/privacy/verzoeken/nieuw/", {"bsn": unknown, "kind": "inzage", "received_on": "2026-02-10", "description": "x"}
    )
    assert response.status_code == 200 and "Er is geen persoon met dit BSN." in response.content.decode()
    assert SubjectRequest.objects.count() == 1


@pytest.mark.django_db
def test_finding_a_person_by_bsn_goes_to_their_uuid_page_without_the_bsn_in_the_address(officer, case):
    response = client_for(officer).post("/privacy/personen/zoeken/", {"bsn": case.person.bsn})

    assert response.status_code == 302
    assert response["Location"] == f"/privacy/personen/{case.person_id}/"
    search = AccessLogEntry.objects.get(action=AccessAction.SEARCH)
    assert search.query == "bsn=[1 woord]" and case.person.bsn not in json.dumps(search.object_ids)


# --- the list of open requests -------------------------------------------------------------------


@pytest.mark.django_db
def test_open_requests_are_listed_by_due_date_with_the_overdue_ones_marked(officer):
    today = timezone.localdate()
    late = make_request(officer, f.PersonFactory(surname="Laatkomer"), received_on=today - dt.timedelta(days=45))
    soon = make_request(officer, f.PersonFactory(surname="Binnenkort"), received_on=today - dt.timedelta(days=20))
    fresh = make_request(officer, f.PersonFactory(surname="Vandaag"), kind=RequestKind.VERWIJDERING)
    decided = make_request(officer, f.PersonFactory(surname="Afgehandeld"), received_on=today - dt.timedelta(days=60))
    rights.request_decide(actor=officer, subject_request=decided, status="afgewezen", decision="Geen gegevens gevonden.")

    assert [(r.pk, r.overdue) for r in rights.requests_open(today)] == [(late.pk, True), (soon.pk, False), (fresh.pk, False)]

    page = client_for(officer).get("/privacy/verzoeken/").content.decode()
    open_part = page.split('id="open-titel"')[1].split('id="zoeken-titel"')[0]
    assert open_part.index("Laatkomer") < open_part.index("Binnenkort") < open_part.index("Vandaag")
    assert "Afgehandeld" not in open_part
    assert open_part.count("Termijn verstreken") == 1
    assert 'data-overdue="ja"' in open_part.split("Laatkomer")[0].rsplit("<tr", 1)[1]


# --- only the privacy officer --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("trait", ["case_director", "process_director", "politie", "administrator"])
def test_other_roles_get_404_on_every_page(trait, officer, case):
    request = make_request(officer, case.person, kind=RequestKind.VERWIJDERING)
    hold = rights.hold_place(actor=officer, person=case.person, reason="Bescherming van een kind.")
    user = case.case_director if trait == "case_director" else f.UserFactory(**{trait: True})
    client = client_for(user)
    person = f"/privacy/personen/{case.person_id}"
    gets = [
        "/privacy/verzoeken/",
        "/privacy/verzoeken/nieuw/",
        f"/privacy/verzoeken/{request.pk}/",
        "/privacy/personen/zoeken/",
        f"{person}/",
        f"{person}/inzage/",
        f"{person}/inzage/?format=json",
        f"{person}/inzage/json/",
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = {
        "/privacy/verzoeken/nieuw/": {"bsn": case.person.bsn, "kind": "inzage", "received_on": "2026-01-05", "description": "x"},
        f"/privacy/verzoeken/{request.pk}/": {"status": "toegewezen", "decision": "Toegewezen."},
        "/privacy/personen/zoeken/": {"bsn": case.person.bsn},
        f"{person}/bewaarplicht/": {"reason": "Nog een."},
        f"{person}/bewaarplicht/{hold.pk}/opheffen/": {},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    request.refresh_from_db()
    hold.refresh_from_db()
    assert SubjectRequest.objects.count() == 1 and request.status == RequestStatus.OPEN
    assert LegalHold.objects.count() == 1 and hold.lifted_at is None
    with pytest.raises(PermissionDenied):
        rights.request_decide(actor=user, subject_request=request, status="afgewezen", decision="Nee.")
    denied = AccessLogEntry.objects.filter(user=user, outcome=Outcome.DENIED)
    assert denied.count() == len(gets) + len(posts) and all(entry.status_code == 404 for entry in denied)


# --- inzage (art. 15) ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_inzage_html_and_json_hold_the_offence_and_who_saw_it(officer, case, politie_user):
    f.OffenceFactory(case=case, description=OFFENCE_TEXT, legal_basis="Art. 16 Wpg (politiegegevens).")
    f.JournalEntryFactory(case=case, author=case.case_director, category="zorg", text="Gesprek met de GGZ-behandelaar.")
    family = Family.objects.create(name="Familie Kanaalstraat")
    FamilyMembership.objects.create(
        family=family, person=case.person, role="kind", justification="Broer zit ook in de aanpak.", added_by=case.case_director
    )
    # A prior access: a team member of the police reads the case and its offences through the API.
    api = APIClient()
    api.force_login(politie_user)
    assert api.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    assert OFFENCE_TEXT in api.get(f"/api/v1/cases/{case.pk}/offences/").content.decode()
    client = client_for(officer)

    html = client.get(f"/privacy/personen/{case.person_id}/inzage/").content.decode()

    assert OFFENCE_TEXT in html and "Art. 16 Wpg (politiegegevens)." in html and "Gesprek met de GGZ-behandelaar." in html
    register = html.split('id="verstrekkingen-titel"')[1]
    assert "Politie Midden-Nederland" in register and escape(str(politie_user)) in register
    assert '<style media="print" nonce="' in html  # allowed by the page's CSP nonce (issue #7)

    response = client.get(f"/privacy/personen/{case.person_id}/inzage/?format=json")
    document = response.json()
    assert response["Content-Type"] == "application/json"
    assert [section["category"] for section in document["categories"]] == [
        "identificatie",
        "justitieel",
        "zorg",
        "sociaal",
        "plan",
        "netwerk",
    ]
    sections = {section["category"]: section["items"] for section in document["categories"]}
    offence = next(item for item in sections["justitieel"] if item["kind"] == "offence")
    assert {"name": "description", "value": OFFENCE_TEXT}.items() <= next(
        field for field in offence["fields"] if field["name"] == "description"
    ).items()
    assert offence["source_organisation"] == "Politie Midden-Nederland"
    assert any(item["kind"] == "journal" for item in sections["zorg"])
    assert [item["kind"] for item in sections["netwerk"]] == ["family"]
    assert "Broer zit ook in de aanpak." in html and "Familie Kanaalstraat" in html
    assert any(field["value"] == case.person.bsn for field in sections["identificatie"][0]["fields"])
    police_reads = [row for row in document["disclosure_register"] if row["organisation"] == "Politie Midden-Nederland"]
    assert len(police_reads) == 2 and police_reads[0]["user"] == str(politie_user)
    assert police_reads[0]["purpose"] == f"casus {case.pk}" and "Justitieel" in police_reads[0]["categories"]
    assert police_reads[0]["break_the_glass"] is False
    # The first inzage (the HTML page) is itself in the register by the time of the JSON export.
    assert document["disclosure_register"][-1]["action"] == "Afdrukken"
    assert client.get(f"/privacy/personen/{case.person_id}/inzage/json/").json()["person"] == str(case.person_id)

    mine = AccessLogEntry.objects.filter(user=officer, subjects__pseudonym=pseudonym(case.person_id))
    assert sorted(mine.values_list("action", flat=True)) == ["afdrukken", "exporteren", "exporteren"]


def _full_case(person: Person, director, *, closed: bool) -> Case:
    traits = {"afgesloten": True} if closed else {"status": CaseStatus.ACTIEF}
    case = f.CaseFactory(person=person, tier="lokale_pga", case_director=director, **traits)
    f.TeamMemberFactory(case=case, organisation=f.organisation("politie-midden-nederland"), added_by=director)
    f.OffenceFactory(case=case)
    f.DetentionFactory(case=case)
    f.AssessmentFactory(case=case, assessed_by=director)
    f.JournalEntryFactory(case=case, author=director)
    goal = f.GoalFactory(plan=case.plan, created_by=director)
    f.ActionFactory(goal=goal, created_by=director)
    Decision.objects.create(
        case=case,
        kind="tier",
        from_tier="basisinzet",
        to_tier="lokale_pga",
        from_status="actief",
        rationale="Opschalen na overleg.",
        decided_by=director,
        decided_by_role=Role.CASE_DIRECTOR,
        decided_by_organisation=director.organisation,
        recommendation={"tier": "lokale_pga"},
    )
    return case


@pytest.mark.django_db
def test_inzage_queries_do_not_grow_with_the_number_of_cases(officer, case_director):
    one, five = f.PersonFactory(), f.PersonFactory()
    _full_case(one, case_director, closed=False)
    for closed in (True, True, True, True, False):
        _full_case(five, case_director, closed=closed)
    client = client_for(officer)
    client.get(f"/privacy/personen/{one.pk}/inzage/")  # warm up (content types, the session)

    counts = {}
    for person in (one, five):
        for suffix in ("inzage/", "inzage/json/"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(f"/privacy/personen/{person.pk}/{suffix}")
            assert response.status_code == 200
            counts[(person.pk, suffix)] = len(queries)

    assert counts[(one.pk, "inzage/")] == counts[(five.pk, "inzage/")]
    assert counts[(one.pk, "inzage/json/")] == counts[(five.pk, "inzage/json/")]
    document = client.get(f"/privacy/personen/{five.pk}/inzage/json/").json()
    kinds = [item["kind"] for section in document["categories"] for item in section["items"]]
    assert kinds.count("offence") == 5 and kinds.count("action") == 5 and kinds.count("decision") == 10


# --- correction (art. 16) ------------------------------------------------------------------------


@pytest.mark.django_db
def test_correction_request_shows_old_and_new_values(officer, case):
    person = case.person
    old_surname = person.surname
    offence = f.OffenceFactory(case=case, description="Eerste lezing.")
    with set_actor(case.case_director):
        person.surname = "Gecorrigeerd"
        person.save()
        offence.description = "Gecorrigeerde lezing."
        offence.save()
    f.OffenceFactory(description="Delict van een ander.")  # someone else's record stays out
    request = make_request(officer, person, kind=RequestKind.CORRECTIE)

    page = client_for(officer).get(f"/privacy/verzoeken/{request.pk}/").content.decode()

    history = page.split('id="geschiedenis-titel"')[1]
    # Faker's Dutch surnames include 's Gravensande: compare as the template writes them, HTML-escaped.
    assert f"<del>{escape(old_surname)}</del> → <ins>Gecorrigeerd</ins>" in history
    assert escape(str(case.case_director)) in history
    assert "<del>Eerste lezing.</del> → <ins>Gecorrigeerde lezing.</ins>" in history
    assert "Politie Midden-Nederland" in history  # the offence's source, by name
    assert "Delict van een ander." not in history
    assert "gewone wijzigpagina" in history  # the correction itself is the case director's


# --- erasure (art. 17) ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_erasure_cannot_be_granted_while_a_legal_hold_is_active(officer, case):
    request = make_request(officer, case.person, kind=RequestKind.VERWIJDERING)
    hold = rights.hold_place(actor=officer, person=case.person, reason="Bescherming van het kind van betrokkene.")

    for status in ("toegewezen", "deels_toegewezen"):
        with pytest.raises(ValidationError) as refused:
            rights.request_decide(actor=officer, subject_request=request, status=status, decision="Wissen.")
        assert refused.value.messages[0].startswith("Er geldt een bewaarplicht (legal hold): Bescherming van het kind")

    client = client_for(officer)
    page = client.post(f"/privacy/verzoeken/{request.pk}/", {"status": "toegewezen", "decision": "Wissen."})
    assert page.status_code == 200 and "Er geldt een bewaarplicht (legal hold)" in page.content.decode()
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN and request.decided_at is None

    # Lifting the hold through the page makes granting possible; the page says who destroys the data.
    assert (
        client.post(f"/privacy/personen/{case.person_id}/bewaarplicht/{hold.pk}/opheffen/", {"verzoek": request.pk}).status_code
        == 302
    )
    response = client.post(
        f"/privacy/verzoeken/{request.pk}/", {"status": "toegewezen", "decision": "Geen grond meer om te bewaren."}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.GRANTED
    assert Person.objects.filter(pk=case.person_id).exists()  # the retention job erases, not this decision
    assert "bewaartermijntaak" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_erasure_may_be_refused_with_reasons_while_a_legal_hold_is_active(officer, case):
    request = make_request(officer, case.person, kind=RequestKind.VERWIJDERING)
    rights.hold_place(actor=officer, person=case.person, reason="Bescherming van een kind.")

    decided = rights.request_decide(
        actor=officer, subject_request=request, status="afgewezen", decision="Bewaren beschermt het kind (art. 17 lid 3 AVG)."
    )

    assert decided.status == RequestStatus.REFUSED


@pytest.mark.django_db
def test_a_decision_needs_reasons_and_is_final(officer, case):
    request = make_request(officer, case.person)
    with pytest.raises(ValidationError) as missing:
        rights.request_decide(actor=officer, subject_request=request, status="toegewezen", decision="  ")
    assert "decision" in missing.value.message_dict
    with pytest.raises(ValidationError):
        rights.request_decide(actor=officer, subject_request=request, status="open", decision="Open.")

    rights.request_decide(actor=officer, subject_request=request, status="toegewezen", decision="Inzage verstrekt.")
    with pytest.raises(ValidationError, match="al besloten"):
        rights.request_decide(actor=officer, subject_request=request, status="afgewezen", decision="Toch niet.")


@pytest.mark.django_db
def test_decisions_and_legal_holds_are_audited(officer, case):
    request = make_request(officer, case.person, kind=RequestKind.VERWIJDERING)
    client = client_for(officer)
    before = timezone.now()

    client.post(f"/privacy/personen/{case.person_id}/bewaarplicht/", {"reason": "Lopende procedure.", "verzoek": request.pk})
    hold = LegalHold.objects.get()
    client.post(f"/privacy/personen/{case.person_id}/bewaarplicht/{hold.pk}/opheffen/")
    client.post(f"/privacy/verzoeken/{request.pk}/", {"status": "afgewezen", "decision": "Bewaren is nodig voor een ander."})

    request.refresh_from_db()
    assert request.decided_by == officer and request.decided_at >= before
    assert request.decided_at.utcoffset() == dt.timedelta(0)
    request_log = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(SubjectRequest), object_pk=str(request.pk)
    ).order_by("timestamp")
    assert [entry.action for entry in request_log] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    decision_entry = request_log.last()
    assert decision_entry is not None and decision_entry.actor == officer
    assert decision_entry.changes_dict["status"] == ["open", "afgewezen"]
    hold_log = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(LegalHold), object_pk=str(hold.pk))
    assert hold_log.count() == 2 and {entry.actor for entry in hold_log} == {officer}
    # The writes are in the access log too, with the person's pseudonym.
    assert AccessLogSubject.objects.filter(entry__user=officer, pseudonym=pseudonym(case.person_id)).count() >= 3


def test_the_stored_advice_reads_as_dutch_lines_not_json():
    advice = {
        "recommended_tier": "zvhru",
        "criteria": [
            {"code": "top_x", "met": True, "facts": ["3 delicten in 24 maanden (minimaal 3)"]},
            {"code": "zvh_complex", "met": None, "facts": []},
        ],
        "fact_categories": [["justitieel"]],
    }

    text = rights.advice_text(advice)

    assert text.splitlines() == [
        "Geadviseerd niveau: Top X (ZVHRU)",
        "Top X → ZVHRU: voldaan",
        "  – 3 delicten in 24 maanden (minimaal 3)",
        "Complexe casus ZVH: door de regisseurs te beoordelen",
    ]
    assert "recommended_tier" not in text and "{" not in text


@pytest.mark.django_db
def test_inzage_holds_the_signals_and_how_they_were_handled(officer, case):
    """The nightly jobs' signals are data about the person too (issue #5): kind, dates and the closing
    note; an exit review under justitieel (it rests on the last offence's date), others under plan."""
    import datetime as dt

    from escalation.models import FlagStatus, ReviewFlag
    from jobs.runner import job_run

    case.opened_on = case.opened_on - dt.timedelta(days=800)
    case.save()
    job_run("exit_review")
    job_run("periodic_review")
    ReviewFlag.objects.filter(case=case, kind="periodiek").update(
        status=FlagStatus.AFGEHANDELD, closed_on=case.opened_on, closed_by=case.case_director, closing_note="Getoetst met JoU."
    )
    document = client_for(officer).get(f"/privacy/personen/{case.person_id}/inzage/?format=json").json()
    flags = {
        section["category"]: [item for item in section["items"] if item["kind"] == "review_flag"]
        for section in document["categories"]
    }
    (exit_flag,) = flags["justitieel"]
    (periodic,) = flags["plan"]
    assert exit_flag["title"].startswith("Signaal")
    assert {field["name"]: field["value"] for field in exit_flag["fields"]}["kind"] == "uitstroom"
    values = {field["name"]: field["value"] for field in periodic["fields"]}
    assert (values["kind"], values["status"], values["closing_note"]) == ("periodiek", "afgehandeld", "Getoetst met JoU.")
