"""The REST API obeys the sharing matrix (DOMAIN.md §8, issue #4): status codes, and no value of a
forbidden category anywhere in the response body.

The default matrix (``privacy/migrations/0002_default_matrix.py``): directors read and write every
category; straf partners (Politie) identificatie, justitieel, plan, netwerk and of zorg only "care
involved"; zorg partners (Altrecht) identificatie, zorg, plan and of justitieel only the date of the
last offence; sociaal partners (JoU) identificatie, sociaal, plan.
"""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from cases.models import Assessment, Case, Detention, JournalEntry, Offence, Person
from escalation import services as escalation_services
from escalation.models import Decision, Proposal
from partners.models import User
from privacy.categories import Access, Category
from privacy.models import AccessLogEntry, MatrixStatus, Outcome, SharingMatrix, SharingRule
from tests import factories as f

from .conftest import World, client_for, days_ago

OFFENCE_TEXT = "Inbraak met een breekijzer aan de Kanaalstraat"
ASSESSMENT_NOTE = "Depressieve klachten; in behandeling bij de GGZ"
NOT_SHARED = "De deelmatrix deelt"


@pytest.fixture
def shared(world: World) -> World:
    """The API test world with a described offence, an assessment note, and Altrecht (zorg) in the team."""
    world.offence.description = OFFENCE_TEXT
    world.offence.save()
    world.assessment.note = ASSESSMENT_NOTE
    world.assessment.save()
    f.TeamMemberFactory(case=world.case, organisation=f.organisation("altrecht"), added_by=world.users["director"])
    world.users["altrecht"] = f.UserFactory(altrecht=True, username="ggz-behandelaar")
    return world


def body_of(response) -> str:
    return response.content.decode()


# --- Offences and detentions: justitieel as a whole ----------------------------------------------

JUSTICE_CALLS = [
    ("get", lambda w: w.url("offences"), None),
    ("get", lambda w: w.url("offences", w.offence.pk), None),
    ("post", lambda w: w.url("offences"), {"committed_on": days_ago(2), "offence_type": "sr-310", "description": "Nieuw"}),
    ("patch", lambda w: w.url("offences", w.offence.pk), {"outcome": "sepot"}),
    ("get", lambda w: w.url("detentions"), None),
    ("get", lambda w: w.url("detentions", w.detention.pk), None),
    ("post", lambda w: w.url("detentions"), {"institution": "PI Vught", "started_on": days_ago(1)}),
    ("patch", lambda w: w.url("detentions", w.detention.pk), {"institution": "Elders"}),
]


@pytest.mark.parametrize("role", ["jou", "altrecht"])
@pytest.mark.parametrize(("method", "path", "payload"), JUSTICE_CALLS, ids=[f"{c[0]}-{i}" for i, c in enumerate(JUSTICE_CALLS)])
def test_justitieel_records_are_403_for_partners_the_matrix_does_not_share_them_with(shared, role, method, path, payload):
    offences, detentions = Offence.objects.count(), Detention.objects.count()

    response = getattr(client_for(shared.users[role]), method)(path(shared), payload, format="json")

    assert response.status_code == 403, response.content
    assert response.json()["detail"].startswith(NOT_SHARED)
    assert response.json()["detail"].endswith("niet met uw organisatie.")
    assert OFFENCE_TEXT not in body_of(response) and "PI Nieuwegein" not in body_of(response)
    assert (Offence.objects.count(), Detention.objects.count()) == (offences, detentions)
    assert Offence.objects.get(pk=shared.offence.pk).outcome == "open"
    assert Detention.objects.get(pk=shared.detention.pk).institution == "PI Nieuwegein"


@pytest.mark.parametrize("role", ["director", "politie"])
def test_justitieel_readers_see_the_offences_with_their_provenance(shared, role):
    client = client_for(shared.users[role])

    offences = client.get(shared.url("offences"))
    detentions = client.get(shared.url("detentions"))

    assert offences.status_code == detentions.status_code == 200
    assert OFFENCE_TEXT in body_of(offences) and "PI Nieuwegein" in body_of(detentions)
    assert all("legal_basis" in row for row in offences.json()["results"])


def test_a_recorded_offence_stores_the_legal_basis_of_the_matrix_cell(shared):
    payload = {"committed_on": days_ago(3), "offence_type": "sr-312", "description": "Via de API"}

    response = client_for(shared.users["politie"]).post(shared.url("offences"), payload, format="json")

    assert response.status_code == 201, response.content
    cell = SharingRule.objects.get(matrix__status=MatrixStatus.ACTIEF, role="partner", domain="straf", category="justitieel")
    assert response.json()["legal_basis"] == cell.legal_basis == Offence.objects.get(pk=response.json()["id"]).legal_basis


def test_one_access_log_row_per_request_with_the_categories_shown(shared):
    before = AccessLogEntry.objects.count()

    client_for(shared.users["politie"]).get(shared.url("offences"))
    allowed = AccessLogEntry.objects.order_by("-pk").first()
    client_for(shared.users["jou"]).get(shared.url("offences"))
    denied = AccessLogEntry.objects.order_by("-pk").first()

    assert AccessLogEntry.objects.count() == before + 2
    assert allowed.outcome == Outcome.ALLOWED and "justitieel" in allowed.categories
    assert str(shared.offence.pk) in allowed.object_ids
    assert denied.outcome == Outcome.DENIED and "justitieel" not in denied.categories
    assert denied.user == shared.users["jou"]


# --- Goals and actions: plan as a whole ----------------------------------------------------------


def test_goals_and_actions_are_403_where_the_matrix_shares_no_plan(shared):
    jou = shared.users["jou"]
    SharingRule.objects.create(
        matrix=SharingMatrix.objects.get(status=MatrixStatus.ACTIEF),
        organisation=jou.organisation,
        role="partner",
        category=Category.PLAN,
        access=Access.GEEN,
        legal_basis="Geen plan van aanpak voor deze organisatie.",
    )
    client = client_for(jou)

    for path in (shared.url("goals"), shared.url("goals", shared.goal.pk), shared.url("actions")):
        response = client.get(path)
        assert response.status_code == 403
        assert response.json()["detail"].startswith(NOT_SHARED)
        assert shared.goal.description not in body_of(response)
    patched = client.patch(shared.url("actions", shared.action.pk), {"status": "lopend"}, format="json")
    assert patched.status_code == 403
    assert client_for(shared.users["politie"]).get(shared.url("goals")).status_code == 200


# --- Journal: each entry in its author's category ------------------------------------------------

READS = {
    "director": set(Category),
    "politie": {Category.IDENTIFICATIE, Category.JUSTITIEEL, Category.PLAN, Category.NETWERK},
    "jou": {Category.IDENTIFICATIE, Category.SOCIAAL, Category.PLAN},
    "altrecht": {Category.IDENTIFICATIE, Category.ZORG, Category.PLAN},
}


def journal_text(category: str) -> str:
    return f"Vertrouwelijke notitie in categorie {category}"


@pytest.mark.parametrize("role", list(READS))
def test_the_journal_lists_only_entries_of_categories_the_caller_reads(shared, role):
    entries = {
        category: f.JournalEntryFactory(
            case=shared.case, author=shared.users["director"], category=category, text=journal_text(category)
        )
        for category in Category
    }
    client = client_for(shared.users[role])

    listed = client.get(shared.url("journal"))

    assert listed.status_code == 200
    for category, entry in entries.items():
        readable = category in READS[role]
        assert (journal_text(category) in body_of(listed)) is readable, category
        detail = client.get(shared.url("journal", entry.pk))
        assert detail.status_code == (200 if readable else 404)
        if not readable:
            assert journal_text(category) not in body_of(detail)
    assert {row["category"] for row in listed.json()["results"]} == {str(c) for c in READS[role]}


def test_a_journal_entry_is_written_only_in_a_category_the_author_writes(shared):
    client = client_for(shared.users["politie"])

    refused = client.post(shared.url("journal"), {"text": "Opgenomen in de kliniek", "category": "zorg"}, format="json")
    accepted = client.post(shared.url("journal"), {"text": "Aangehouden op het station", "category": "justitieel"}, format="json")

    assert refused.status_code == 403 and "deelmatrix" in refused.json()["detail"]
    assert not JournalEntry.objects.filter(text="Opgenomen in de kliniek").exists()
    assert accepted.status_code == 201, accepted.content
    assert accepted.json()["category"] == "justitieel"
    assert accepted.json()["legal_basis"]
    assert "Aangehouden op het station" not in body_of(client_for(shared.users["jou"]).get(shared.url("journal")))


def test_a_journal_entry_defaults_to_plan(shared):
    response = client_for(shared.users["jou"]).post(shared.url("journal"), {"text": "Gesproken"}, format="json")

    assert response.status_code == 201
    assert response.json()["category"] == "plan"


# --- Team: zorg partners only for who reads zorg -------------------------------------------------


@pytest.mark.parametrize(("role", "sees"), [("director", True), ("altrecht", True), ("politie", False), ("jou", False)])
def test_zorg_partners_in_the_team_are_listed_only_for_zorg_readers(shared, role, sees):
    named = f.TeamMemberFactory(case=shared.case, user=shared.users["altrecht"], added_by=shared.users["director"])
    agent = f.TeamMemberFactory(case=shared.case, user=shared.users["politie"], added_by=shared.users["director"])
    client = client_for(shared.users[role])

    listed = client.get(shared.url("team"))

    assert listed.status_code == 200
    assert ("altrecht" in body_of(listed)) is sees
    assert ("ggz-behandelaar" in body_of(listed)) is sees
    assert client.get(shared.url("team", named.pk)).status_code == (200 if sees else 404)
    assert str(shared.team_entry.pk) in body_of(listed)  # Politie's entries are plan for everyone
    assert str(agent.pk) in body_of(listed)


# --- Assessments: scores per category ------------------------------------------------------------

SOCIAL_SCORES = {"dagbesteding", "huisvesting", "identiteitsbewijs", "inkomen"}
ALWAYS_SHOWN = {"id", "assessed_on", "motivatie", "assessed_by", "created_at", "legal_basis"}


@pytest.mark.parametrize(
    ("role", "fields"),
    [
        ("director", ALWAYS_SHOWN | SOCIAL_SCORES | {"zorg", "note"}),
        ("politie", ALWAYS_SHOWN),
        ("jou", ALWAYS_SHOWN | SOCIAL_SCORES),
        ("altrecht", ALWAYS_SHOWN | {"zorg"}),
    ],
)
def test_assessments_show_only_the_scores_of_categories_the_caller_reads(shared, role, fields):
    client = client_for(shared.users[role])

    detail = client.get(shared.url("assessments", shared.assessment.pk))
    listed = client.get(shared.url("assessments"))

    assert detail.status_code == listed.status_code == 200
    assert set(detail.json()) == fields
    assert set(listed.json()["results"][0]) == fields
    assert ('"zorg"' in body_of(detail)) is ("zorg" in fields)
    assert (ASSESSMENT_NOTE in body_of(listed)) is ("note" in fields)


@pytest.mark.parametrize(
    ("role", "payload"),
    [
        ("politie", {"motivatie": 3}),
        ("jou", {"dagbesteding": 3, "huisvesting": 4, "identiteitsbewijs": 5, "inkomen": 1, "motivatie": 3}),
        ("altrecht", {"zorg": 2, "motivatie": 3}),
    ],
)
def test_partners_record_no_assessment(shared, role, payload):
    """Even with every score they may see: an assessment is zorg, sociaal and plan (issue #4)."""
    count = Assessment.objects.count()

    response = client_for(shared.users[role]).post(shared.url("assessments"), payload, format="json")

    assert response.status_code == 403
    assert "deelmatrix" in response.json()["detail"]
    assert Assessment.objects.count() == count


def test_the_director_records_an_assessment_with_its_legal_bases(shared):
    payload = {"dagbesteding": 3, "zorg": 2, "huisvesting": 4, "identiteitsbewijs": 5, "inkomen": 1, "motivatie": 2}

    response = client_for(shared.users["director"]).post(shared.url("assessments"), payload, format="json")

    assert response.status_code == 201, response.content
    assert "Art. 9 AVG" in response.json()["legal_basis"]  # the zorg cell's basis is among them


# --- Persons and cases ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["politie", "jou"])
def test_lvb_is_absent_for_who_does_not_read_zorg(shared, role):
    Person.objects.filter(pk=shared.case.person_id).update(lvb=True)
    client = client_for(shared.users[role])

    for path in (f"/api/v1/persons/{shared.case.person_id}/", "/api/v1/persons/"):
        response = client.get(path)
        assert response.status_code == 200
        assert '"lvb"' not in body_of(response)
    assert '"lvb":true' in body_of(client_for(shared.users["altrecht"]).get(f"/api/v1/persons/{shared.case.person_id}/"))


def test_a_zorg_partner_sees_only_the_last_offence_date_of_the_justitieel_case_fields(shared):
    response = client_for(shared.users["altrecht"]).get(shared.url())

    body = response.json()
    assert response.status_code == 200
    assert body["last_offence_on"] == shared.offence.committed_on.isoformat()
    assert not {"drug_network_indication", "earliest_exit_on", "in_detention"} & set(body)
    assert body["care_involved"] is True


def test_the_caseload_is_not_ordered_by_offence_dates_for_who_may_not_see_them(world):
    """Ordering by the last offence would reveal it: JoU gets the name order instead (issue #4)."""
    director, jou = world.users["director"], world.users["jou"]
    for surname, days in (("Aydin", 5), ("Visser", 400)):
        case = f.CaseFactory(lokale_pga=True, case_director=director, person=f.PersonFactory(surname=surname))
        f.OffenceFactory(case=case, committed_on=timezone.localdate() - dt.timedelta(days=days))
        f.TeamMemberFactory(case=case, organisation=jou.organisation, added_by=director)

    def order(user, ordering: str) -> list[str]:
        rows = client_for(user).get("/api/v1/cases/", {"ordering": ordering}).json()["results"]
        return [Person.objects.get(pk=row["person"]).surname for row in rows if row["person"] != str(world.case.person_id)]

    assert order(director, "laatste_delict") == ["Visser", "Aydin"]
    assert order(jou, "laatste_delict") == order(jou, "naam") == ["Aydin", "Visser"]
    assert order(jou, "-laatste_delict") == ["Aydin", "Visser"]


# --- The recommendation --------------------------------------------------------------------------


def criteria(response) -> dict[str, dict]:
    return {criterion["code"]: criterion for criterion in response.json()["criteria"]}


def test_the_recommendation_leaves_out_facts_and_verdicts_of_categories_not_read(shared):
    url = f"/api/v1/cases/{shared.case.pk}/recommendation/"
    director, politie, jou, altrecht = (client_for(shared.users[r]).get(url) for r in ("director", "politie", "jou", "altrecht"))

    assert {r.status_code for r in (director, politie, jou, altrecht)} == {200}
    # The director reads everything: every fact, every verdict.
    assert "Sr 310" in body_of(director) and "leefgebied" in body_of(director)
    assert all("met" in criterion for criterion in criteria(director).values())
    # Politie: offences yes, leefgebied scores (zorg and sociaal) no — nor the verdicts judged on them.
    assert "Sr 310" in body_of(politie) and "leefgebied" not in body_of(politie)
    assert "met" not in criteria(politie)["top_x"]
    # JoU and Altrecht: no offence, detention or drug-network fact, no exit date, no verdict built on them.
    for response in (jou, altrecht):
        text = body_of(response)
        assert "Sr 310" not in text and "netwerk in de drugswereld" not in text and "uitstroomdatum" not in text
        assert "in detentie" not in text
        assert "met" not in criteria(response)["top_x"] and "met" not in criteria(response)["exit"]
        assert criteria(response)["crimineel_systeem"]["facts"] == ["Door de regisseurs te beoordelen"]


# --- Decisions and proposals ---------------------------------------------------------------------

RATIONALE = "Psychose; behandeling bij de GGZ loopt"


def test_a_decision_is_served_with_its_rationale_and_advice_cut_to_the_matrix(shared):
    director = shared.users["director"]
    body = {"from_tier": "lokale_pga", "to_tier": "basisinzet", "rationale": RATIONALE, "rationale_category": "zorg"}
    made = client_for(director).post(f"/api/v1/cases/{shared.case.pk}/decisions/", body, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["rationale"] == RATIONALE and "Sr 310" in body_of(made)
    url = f"/api/v1/cases/{shared.case.pk}/decisions/"

    politie, jou, altrecht = (client_for(shared.users[r]).get(url) for r in ("politie", "jou", "altrecht"))

    for response in (politie, jou):
        assert response.status_code == 200
        row = response.json()["results"][0]
        assert "rationale" not in row and row["rationale_category"] == "zorg"
        assert RATIONALE not in body_of(response)
    assert "Sr 310" in body_of(politie) and "leefgebied" not in body_of(politie)
    assert "Sr 310" not in body_of(jou) and "Sr 310" not in body_of(altrecht)
    assert "met" not in next(c for c in jou.json()["results"][0]["recommendation"]["criteria"] if c["code"] == "top_x")
    assert altrecht.json()["results"][0]["rationale"] == RATIONALE
    # The record itself keeps the full advice: only the answer is cut.
    assert "Sr 310" in str(Decision.objects.get(pk=made.json()["id"]).recommendation)


def test_a_proposal_rationale_is_written_and_read_by_category(shared):
    url = f"/api/v1/cases/{shared.case.pk}/proposals/"
    politie = client_for(shared.users["politie"])

    refused = politie.post(url, {"to_tier": "zvhru", "rationale": "Opgenomen", "rationale_category": "zorg"}, format="json")
    made = politie.post(
        url, {"to_tier": "zvhru", "rationale": "Drie woninginbraken", "rationale_category": "justitieel"}, format="json"
    )
    listed_for_jou = client_for(shared.users["jou"]).get(url)

    assert refused.status_code == 403 and not Proposal.objects.filter(rationale="Opgenomen").exists()
    assert made.status_code == 201, made.content
    assert listed_for_jou.status_code == 200
    assert "rationale" not in listed_for_jou.json()["results"][0]
    assert "Drie woninginbraken" not in body_of(listed_for_jou)
    assert "Drie woninginbraken" in body_of(politie.get(url))


# --- The casusoverleg ----------------------------------------------------------------------------


def test_agenda_notes_are_absent_unless_the_caller_reads_their_category(shared):
    chair = f.UserFactory(process_director=True)
    f.TeamMemberFactory(case=shared.case, user=chair, added_by=shared.users["director"])
    politie = shared.users["politie"]
    conference = escalation_services.conference_create(
        actor=chair, starts_at=timezone.now() + dt.timedelta(days=1), organisations=[politie.organisation]
    )
    item = escalation_services.agenda_item_add(actor=chair, conference=conference, case=shared.case)
    escalation_services.agenda_item_notes_update(actor=chair, item=item, notes="Crisisopname overwogen", notes_category="zorg")
    url = f"/api/v1/conferences/{conference.pk}/items/"

    for_politie = client_for(politie).get(url)
    for_chair = client_for(chair).get(url)

    assert for_politie.status_code == for_chair.status_code == 200
    row = for_politie.json()["results"][0]
    assert "notes" not in row and row["notes_category"] == "zorg"
    assert "Crisisopname" not in body_of(for_politie)
    assert for_chair.json()["results"][0]["notes"] == "Crisisopname overwogen"


# --- The demo (issue #4, "Tests") ----------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module's demo tests and rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def demo_case(given_names: str, surname: str) -> Case:
    return Case.objects.get(person__given_names=given_names, person__surname=surname)


def demo_user(username: str) -> User:
    return User.objects.get(username=username)


@pytest.mark.django_db
def test_demo_politie_sees_vincents_offences_but_not_his_lvb(demo):
    vincent = demo_case("Vincent", "Bakker")
    Person.objects.filter(pk=vincent.person_id).update(lvb=True)  # a value that must not leak
    client = client_for(demo_user("politie"))

    offences = client.get(f"/api/v1/cases/{vincent.pk}/offences/")
    person = client.get(f"/api/v1/persons/{vincent.person_id}/")

    assert offences.status_code == 200
    assert "Aangehouden bij de verkoop van cocaïne in de wijk." in body_of(offences)
    assert person.status_code == 200
    assert "lvb" not in person.json() and '"lvb"' not in body_of(person)
    assert '"lvb"' not in body_of(client.get(f"/api/v1/cases/{vincent.pk}/"))


@pytest.mark.django_db
def test_demo_altrecht_sees_dylans_zorg_score_but_not_his_offences(demo):
    dylan = demo_case("Dylan", "Visser")
    client = client_for(demo_user("altrecht"))

    assessments = client.get(f"/api/v1/cases/{dylan.pk}/assessments/")
    offences = client.get(f"/api/v1/cases/{dylan.pk}/offences/")
    case = client.get(f"/api/v1/cases/{dylan.pk}/")

    assert assessments.status_code == 200
    assert all("zorg" in row and "inkomen" not in row for row in assessments.json()["results"])
    assert offences.status_code == 403 and offences.json()["detail"].startswith(NOT_SHARED)
    for description in Offence.objects.filter(case=dylan).exclude(description="").values_list("description", flat=True):
        assert description not in body_of(offences) and description not in body_of(case)
    justice_fields = {"last_offence_on", "earliest_exit_on", "in_detention", "drug_network_indication"}
    assert case.status_code == 200
    assert justice_fields & set(case.json()) == {"last_offence_on"}
    assert case.json()["last_offence_on"] is not None
