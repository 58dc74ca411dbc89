"""Every browser page obeys the sharing matrix (DOMAIN.md §8, issue #4): data outside it is absent from
the HTML — and from the template context — while a permitted user sees it. Defaults of matrix v1:
directors read everything; straf partners identificatie, justitieel, plan, netwerk and of zorg only
"care involved: yes/no"; zorg partners identificatie, zorg, plan and of justitieel only the date of the
last offence; sociaal partners identificatie, sociaal, plan.

Each rule is asserted both ways: the forbidden value (an offence description, "LVB", the zorg score,
an agenda note) is not in the forbidden user's page, and is in the permitted user's page. The pages
also note what they showed in the access log. Last, the acceptance check on the demo data.
"""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases.models import Case, Family, FamilyMembership, JournalEntry, Person
from escalation import services as escalation_services
from escalation.models import AgendaItem, Decision, Proposal
from partners.models import User
from privacy.models import AccessLogEntry
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
OFFENCE_TEXT = "Inbraak in een schuur aan de Vleutenseweg"
INSTITUTION = "PI Vught"
ZORG_SCORE_CELL = 'data-leefgebied="zorg"'
INKOMEN_SCORE_CELL = 'data-leefgebied="inkomen"'


@pytest.fixture
def buurtteam_user(db) -> User:
    return f.UserFactory(organisation=f.organisation("buurtteams"))


@pytest.fixture
def full_case(case, case_director, altrecht_user, buurtteam_user):
    """``case`` (Politie in the team) with Altrecht and the Buurtteams in the team too, an offence, a
    current detention, LVB, a drug-network indication, an assessment with a note, and a family."""
    for code in ("altrecht", "buurtteams"):
        f.TeamMemberFactory(case=case, organisation=f.organisation(code), added_by=case_director)
    f.OffenceFactory(case=case, description=OFFENCE_TEXT, committed_on=TODAY - dt.timedelta(days=40))
    f.DetentionFactory(case=case, institution=INSTITUTION)
    Person.objects.filter(pk=case.person_id).update(lvb=True)
    Case.objects.filter(pk=case.pk).update(drug_network_indication="ja")
    f.AssessmentFactory(case=case, zorg=2, inkomen=1, note="Schulden bij de zorgverzekeraar.")
    family = Family.objects.create(name="Familie Oudkerk")
    FamilyMembership.objects.create(
        family=family, person=case.person, role="kind", justification="Zoon van", added_by=case_director
    )
    case.refresh_from_db()
    return case


def page_of(client, user, case):
    client.force_login(user)
    response = client.get(reverse("case_detail", args=[case.pk]))
    assert response.status_code == 200
    return response, response.content.decode()


def last_log() -> AccessLogEntry:
    return AccessLogEntry.objects.order_by("-id").first()


# --- Case page: justitieel facts ---------------------------------------------------------------------


def test_offences_and_detention_are_for_straf_partners_and_directors(client, full_case, case_director, politie_user):
    for user in (case_director, politie_user):
        response, html = page_of(client, user, full_case)
        assert OFFENCE_TEXT in html and INSTITUTION in html
        assert "Vroegste uitstroomdatum" in html and "In detentie" in html and "Netwerk in de drugswereld" in html
        assert "detentions" in response.context and "exit_on" in response.context
        # The exit review's verdict also weighs the zorg and sociaal scores: only who reads them all sees it.
        assert ("Uitstroombespreking" in html) is (user == case_director)


def test_a_zorg_partner_gets_only_the_last_offence_date(client, full_case, altrecht_user):
    response, html = page_of(client, altrecht_user, full_case)
    assert OFFENCE_TEXT not in html and INSTITUTION not in html and "Delict:" not in html
    assert "Vroegste uitstroomdatum" not in html and "In detentie" not in html and "Netwerk in de drugswereld" not in html
    assert "Uitstroombespreking" not in html  # derived from the exit date: justitieel
    assert "Laatste delict" in html
    assert (TODAY - dt.timedelta(days=40)).strftime("%Y-%m-%d") in html
    # Absent from the context, not blanked: the template never received them.
    assert "detentions" not in response.context and "exit_on" not in response.context
    case = response.context["case"]
    with pytest.raises(AttributeError):
        case.in_detention  # noqa: B018
    with pytest.raises(AttributeError):
        case.drug_network_indication  # noqa: B018


def test_a_sociaal_partner_gets_no_justitieel_fact_at_all(client, full_case, buurtteam_user):
    _, html = page_of(client, buurtteam_user, full_case)
    assert OFFENCE_TEXT not in html and "Laatste delict" not in html and "Vroegste uitstroomdatum" not in html


# --- Case page: zorg and sociaal -------------------------------------------------------------------------


def test_lvb_is_shown_only_to_zorg_readers(client, full_case, case_director, politie_user, altrecht_user, buurtteam_user):
    for user in (politie_user, buurtteam_user):
        response, html = page_of(client, user, full_case)
        assert "LVB" not in html
        with pytest.raises(AttributeError):
            response.context["person"].lvb  # noqa: B018
    for user in (altrecht_user, case_director):
        _, html = page_of(client, user, full_case)
        assert "LVB" in html


def test_scores_per_leefgebied_follow_the_matrix(client, full_case, case_director, politie_user, altrecht_user, buurtteam_user):
    expected = {  # user: (zorg score shown, inkomen score shown, note shown)
        politie_user: (False, False, False),
        altrecht_user: (True, False, False),
        buurtteam_user: (False, True, False),
        case_director: (True, True, True),
    }
    for user, (zorg, inkomen, note) in expected.items():
        response, html = page_of(client, user, full_case)
        assert (ZORG_SCORE_CELL in html, INKOMEN_SCORE_CELL in html) == (zorg, inkomen), user
        assert ("Schulden bij de zorgverzekeraar." in html) == note, user
        assert ("zorg" in {row["code"] for row in response.context["scores"]}) == zorg
        assert 'data-leefgebied="motivatie"' in html  # plan: everyone in the team


# --- Case page: team and families ----------------------------------------------------------------------


def test_zorg_partners_in_the_team_are_hidden_from_non_zorg_readers(
    client, full_case, case_director, politie_user, altrecht_user, buurtteam_user
):
    named = f.UserFactory(organisation=f.organisation("altrecht"), first_name="Zorgvuldig", last_name="Behandelaarsma")
    f.TeamMemberFactory(case=full_case, user=named, added_by=case_director)
    response, html = page_of(client, politie_user, full_case)
    assert "Altrecht" not in html and "Behandelaarsma" not in html
    assert "Zorg betrokken: ja" in html
    assert all(member.organisation is None or member.organisation.domain != "zorg" for member in response.context["team"])
    _, html = page_of(client, buurtteam_user, full_case)  # no KENMERK on zorg: not even yes/no
    assert "Altrecht" not in html and "Zorg betrokken" not in html
    for user in (altrecht_user, case_director):
        _, html = page_of(client, user, full_case)
        assert "Altrecht" in html and "Behandelaarsma" in html and "Zorg betrokken" not in html


def test_care_involved_says_no_without_a_zorg_partner(client, case, politie_user):
    _, html = page_of(client, politie_user, case)
    assert "Zorg betrokken: nee" in html


def test_families_are_for_netwerk_readers_only(client, full_case, politie_user, altrecht_user):
    family = Family.objects.get(name="Familie Oudkerk")
    response, html = page_of(client, altrecht_user, full_case)
    assert "Oudkerk" not in html and "families" not in response.context
    assert client.get(reverse("family_detail", args=[family.pk])).status_code == 404
    _, html = page_of(client, politie_user, full_case)
    assert "Familie Oudkerk" in html
    response = client.get(reverse("family_detail", args=[family.pk]))
    assert response.status_code == 200 and escape(full_case.person.full_name) in response.content.decode()
    assert last_log().object_ids == [str(family.pk)] and "netwerk" in last_log().categories


# --- Case page: journal --------------------------------------------------------------------------------


def test_journal_entries_are_shown_by_their_category_with_a_badge(client, full_case, case_director, politie_user, altrecht_user):
    f.JournalEntryFactory(case=full_case, author=case_director, category="zorg", text="Start van de ambulante behandeling")
    f.JournalEntryFactory(case=full_case, author=case_director, category="justitieel", text="Meldplicht bij de reclassering")
    _, html = page_of(client, politie_user, full_case)
    assert "Start van de ambulante behandeling" not in html and "Meldplicht bij de reclassering" in html
    assert 'title="Categorie (deelmatrix)">Justitieel<' in html
    _, html = page_of(client, altrecht_user, full_case)
    assert "Start van de ambulante behandeling" in html and "Meldplicht bij de reclassering" not in html
    assert 'title="Categorie (deelmatrix)">Zorg<' in html


def test_the_journal_form_offers_only_categories_the_user_may_write(client, full_case, politie_user, case_director):
    response, _ = page_of(client, politie_user, full_case)
    choices = [value for value, _ in response.context["journal_form"].fields["category"].choices]
    assert choices == ["justitieel", "plan"]
    response, _ = page_of(client, case_director, full_case)
    assert [value for value, _ in response.context["journal_form"].fields["category"].choices] == [
        "identificatie",
        "justitieel",
        "zorg",
        "sociaal",
        "plan",
        "netwerk",
    ]
    client.force_login(politie_user)
    data = {"kind": "notitie", "occurred_on": TODAY.isoformat(), "text": "Een diagnose", "category": "zorg"}
    response = client.post(reverse("journal_add", args=[full_case.pk]), data)
    assert response.status_code == 200 and "category" in response.context["form"].errors
    assert not JournalEntry.objects.filter(text="Een diagnose").exists()


def test_a_journal_entry_keeps_the_category_its_author_chose(client, full_case, politie_user):
    client.force_login(politie_user)
    data = {"kind": "notitie", "occurred_on": TODAY.isoformat(), "text": "Aangifte opgenomen", "category": "justitieel"}
    response = client.post(reverse("journal_add", args=[full_case.pk]), data)
    assert response.status_code == 302
    assert JournalEntry.objects.get(text="Aangifte opgenomen").category == "justitieel"


# --- Case page: access log -----------------------------------------------------------------------------


def test_the_case_page_notes_the_case_and_the_categories_it_showed(client, full_case, altrecht_user, politie_user):
    page_of(client, altrecht_user, full_case)
    entry = last_log()
    assert entry.object_ids[0] == str(full_case.pk) and entry.action == "lezen"
    assert {"identificatie", "plan", "zorg", "justitieel"} <= set(entry.categories)  # justitieel: the last offence date
    assert "netwerk" not in entry.categories and "sociaal" not in entry.categories
    page_of(client, politie_user, full_case)
    assert "netwerk" in last_log().categories and "sociaal" not in last_log().categories


# --- Caseload and search -------------------------------------------------------------------------------


def caseload_of(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("caseload"), params)
    assert response.status_code == 200
    return response, response.content.decode()


def test_caseload_columns_follow_the_matrix(client, full_case, politie_user, altrecht_user, buurtteam_user):
    offence_on = (TODAY - dt.timedelta(days=40)).strftime("%d-%m-%Y")
    _, html = caseload_of(client, politie_user)
    assert "Laatste delict" in html and offence_on in html and "Vroegste uitstroomdatum" in html and "In detentie" in html
    assert ">LVB<" not in html
    response, html = caseload_of(client, altrecht_user)
    assert "Laatste delict" in html and offence_on in html and ">LVB<" in html
    assert "Vroegste uitstroomdatum" not in html and "In detentie" not in html
    assert response.context["rows"][0].exit_on is None
    _, html = caseload_of(client, buurtteam_user)
    assert "Laatste delict" not in html and offence_on not in html and "Vroegste uitstroomdatum" not in html


def test_sorting_on_the_last_offence_needs_the_column(client, full_case, buurtteam_user, altrecht_user):
    response, _ = caseload_of(client, buurtteam_user, sortering="-laatste_delict")
    assert response.context["ordering"] == "naam"
    response, _ = caseload_of(client, altrecht_user, sortering="-laatste_delict")
    assert response.context["ordering"] == "-laatste_delict"


def test_the_caseload_notes_the_listed_cases_and_a_name_search_redacted(client, full_case, case_director):
    other = f.CaseFactory(lokale_pga=True, case_director=case_director)
    caseload_of(client, case_director)
    entry = last_log()
    assert entry.action == "lijst" and set(entry.object_ids) == {str(full_case.pk), str(other.pk)}
    assert entry.subjects.count() == 2
    caseload_of(client, case_director, naam=full_case.person.surname)
    entry = last_log()
    assert entry.action == "zoeken" and entry.object_ids == [str(full_case.pk)]
    words = len(full_case.person.surname.split())
    assert entry.query == f"naam=[{words} {'woord' if words == 1 else 'woorden'}]" and full_case.person.surname not in entry.query


def test_the_bsn_search_notes_a_redacted_search(client, full_case, case_director):
    client.force_login(case_director)
    response = client.post(reverse("bsn_search"), {"bsn": full_case.person.bsn})
    assert response.status_code == 302
    entry = last_log()
    assert entry.action == "zoeken" and entry.object_ids == [str(full_case.pk)]
    assert entry.query == "bsn=[1 woord]" and full_case.person.bsn not in entry.query


# --- Escalation panel and casusoverleg -----------------------------------------------------------------


def test_rationales_are_shown_only_to_readers_of_their_category(client, full_case, case_director, politie_user, altrecht_user):
    proposal = escalation_services.proposal_create(
        actor=politie_user, case=full_case, to_tier="basisinzet", rationale="Behandeling bij Altrecht loopt goed"
    )
    Proposal.objects.filter(pk=proposal.pk).update(rationale_category="zorg")
    _, html = page_of(client, politie_user, full_case)
    assert "Behandeling bij Altrecht loopt goed" not in html and "Voorstel" in html
    _, html = page_of(client, altrecht_user, full_case)
    assert "Behandeling bij Altrecht loopt goed" in html
    decision = Decision.objects.create(
        case=full_case,
        kind="tier",
        from_tier=full_case.tier,
        to_tier="basisinzet",
        from_status=full_case.status,
        rationale="Diagnose vraagt om een andere aanpak",
        rationale_category="zorg",
        decided_by=case_director,
        decided_by_role=case_director.role,
        decided_by_organisation=case_director.organisation,
    )
    _, html = page_of(client, politie_user, full_case)
    assert "Diagnose vraagt om een andere aanpak" not in html and str(decision) in html
    _, html = page_of(client, altrecht_user, full_case)
    assert "Diagnose vraagt om een andere aanpak" in html


def test_agenda_notes_and_rationales_follow_their_category(client, full_case, politie_user, altrecht_user):
    chair = f.UserFactory(process_director=True)
    f.TeamMemberFactory(case=full_case, organisation=f.organisation("zvhru"))
    conference = escalation_services.conference_create(
        actor=chair, starts_at=timezone.now() + dt.timedelta(days=1), attendees=[politie_user, altrecht_user]
    )
    item = escalation_services.agenda_item_add(actor=chair, conference=conference, case=full_case)
    escalation_services.agenda_item_notes_update(actor=chair, item=item, notes="Opname in de kliniek besproken")
    AgendaItem.objects.filter(pk=item.pk).update(notes_category="zorg")
    url = reverse("conference_detail", args=[conference.pk])
    client.force_login(politie_user)
    response = client.get(url)
    html = response.content.decode()
    assert escape(full_case.person.full_name) in html and "Opname in de kliniek besproken" not in html
    assert response.context["rows"][0]["item"].notes is None
    entry = last_log()
    assert str(full_case.pk) in entry.object_ids and str(conference.pk) in entry.object_ids and "zorg" not in entry.categories
    client.force_login(altrecht_user)
    html = client.get(url).content.decode()
    assert "Opname in de kliniek besproken" in html and "zorg" in last_log().categories


# --- The demo (issue #4, "Tests": the acceptance check) ---------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data, loaded once for the demo tests (last in this module) and rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def demo_case_page(client, username: str, given_names: str, surname: str) -> tuple[Case, str]:
    case = Case.objects.get(person__given_names=given_names, person__surname=surname)
    _, html = page_of(client, User.objects.get(username=username), case)
    return case, html


def test_demo_politie_sees_vincents_offences_but_not_his_lvb(demo, client):
    case, html = demo_case_page(client, "politie", "Vincent", "Bakker")
    assert "Aangehouden bij de verkoop van cocaïne in de wijk." in html
    assert "LVB" not in html
    Person.objects.filter(pk=case.person_id).update(lvb=True)  # even when he has one
    _, html = demo_case_page(client, "politie", "Vincent", "Bakker")
    assert "LVB" not in html
    _, html = demo_case_page(client, "pga.expert", "Vincent", "Bakker")
    assert "LVB" in html


def test_demo_altrecht_sees_dylans_zorg_score_but_only_his_last_offence_date(demo, client):
    case, html = demo_case_page(client, "altrecht", "Dylan", "Visser")
    assert ZORG_SCORE_CELL in html
    for description in (
        "Aangehouden met bolletjes cocaïne bij een dealplek.",
        "Beroving van een scooterbezorger, samen met twee anderen.",
        "Bedreiging van een buurtbewoner die aangifte had gedaan.",
    ):
        assert description not in html
    assert "Delict:" not in html and "Vroegste uitstroomdatum" not in html
    last = case.offences.order_by("-committed_on").first()
    assert "Laatste delict" in html and last.committed_on.strftime("%Y-%m-%d") in html
    _, html = demo_case_page(client, "politie", "Dylan", "Visser")
    assert ZORG_SCORE_CELL not in html and "Beroving van een scooterbezorger, samen met twee anderen." in html
