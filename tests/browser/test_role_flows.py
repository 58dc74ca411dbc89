"""The main path of every role (DOMAIN.md §2) in a real browser, each page audited with axe-core.

One test per role, signed in for real (password and second factor, ``tests.browser.signin``):

- PGA-expert (casusregisseur): caseload, a case, the werklijst, a new registration (aanmelden);
- procesregisseur ZVHRU: the casusoverleg list, a conference, notes on an agenda item;
- ketenpartner (police): only the cases of its teams, and the 404 page for any other case;
- privacyfunctionaris: the access log (privacytoezicht) and a data-subject request;
- functioneel beheerder: the admin (/beheer/) and the sharing matrix, and the proefberekeningen.

Every page must have no axe-core violation of impact serious or critical against WCAG 2.1 A/AA
(``tests.browser.axe``), the Django admin's pages included (our additions: templates/admin/).
Screenshots go to ``PGA_SCREENSHOT_DIR`` (``pga-<page>.png``).
"""

import datetime as dt
import re

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case, TargetGroup
from escalation import services as escalation
from escalation.models import AgendaItem, RuleSet, RuleSetStatus
from jobs.runner import job_run
from partners.models import Role, User
from privacy import rights
from privacy.models import RequestKind, SubjectRequest
from tests import factories as f
from tests.browser.signin import device_for, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TODAY = timezone.localdate()


def heading(page):
    return page.get_by_role("heading", level=1)


def nav(page):
    return page.get_by_role("navigation", name="Hoofdmenu")


# --- PGA-expert ---------------------------------------------------------------------------------


@pytest.fixture
def director() -> User:
    """A PGA-expert with three cases; one lokale-PGA case is past its earliest exit date (a werklijst
    signal) and has an overdue action."""
    director = f.UserFactory(username="pga.expert", first_name="Sanne", last_name="de Wit", case_director=True)
    device_for(director)
    vincent = f.CaseFactory(
        person__given_names="Vincent",
        person__surname="Bakker",
        lokale_pga=True,
        case_director=director,
        opened_on=TODAY - relativedelta(years=2),
    )
    f.TeamMemberFactory(case=vincent, organisation=f.organisation("politie-midden-nederland"), added_by=director)
    goal = f.GoalFactory(plan=vincent.plan, description="Werk vinden en houden", created_by=director)
    f.ActionFactory(goal=goal, description="VOG aanvragen met steun", due_on=TODAY - dt.timedelta(days=3), created_by=director)
    f.JournalEntryFactory(case=vincent, author=director, text="Kennismaking met Vincent en zijn moeder.")
    f.CaseFactory(person__given_names="Noah", person__surname="Jong", case_director=director, actief=True)
    f.CaseFactory(person__given_names="Dylan", person__surname="Visser", case_director=director, lokale_pga=True)
    job_run("exit_review")
    return director


def test_pga_expert_opens_caseload_case_worklist_and_registers_a_case(browsing, director):
    page = browsing.page
    sign_in(page, browsing.base_url, director)

    expect(heading(page)).to_have_text("Mijn caseload")
    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(1 + 3)
    browsing.check("caseload")

    table.get_by_role("link", name="Bakker, Vincent").click()
    expect(heading(page)).to_have_text("Vincent Bakker")
    expect(page.get_by_text("VOG aanvragen met steun", exact=True).first).to_be_visible()
    browsing.check("casus")

    nav(page).get_by_role("link", name=re.compile("^Werklijst")).click()
    expect(heading(page)).to_have_text("Werklijst")
    expect(page.get_by_role("heading", name="Uitstroomtoets (1)")).to_be_visible()
    expect(page.get_by_role("region", name="Achterstallige acties (1)").first).to_contain_text("VOG aanvragen met steun")
    browsing.check("werklijst")

    nav(page).get_by_role("link", name="Aanmelden").click()
    expect(heading(page)).to_have_text("Aanmelden")
    browsing.check("aanmelden")
    page.get_by_role("button", name="Aanmelden").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Controleer het formulier")
    summary.get_by_role("link", name="Voornamen: Dit veld is vereist.").click()
    expect(page.get_by_label("Voornamen")).to_be_focused()
    browsing.check("aanmelden met fouten")

    page.get_by_label("BSN").fill("111222333")
    page.get_by_label("Voornamen").fill("Sem")
    page.get_by_label("Achternaam", exact=True).fill("Groot")
    page.get_by_label("Geboortedatum").fill("2005-04-12")
    page.get_by_label("Doelgroep").select_option(TargetGroup.DOORGROEIER.value)
    page.get_by_role("button", name="Aanmelden").click()
    expect(heading(page)).to_have_text("Sem Groot")
    expect(page.get_by_role("status").first).to_be_visible()

    assert browsing.errors == []
    assert Case.objects.get(person__given_names="Sem", person__surname="Groot").registered_by == director
    browsing.audit.assert_clean()


# --- Procesregisseur ---------------------------------------------------------------------------


@pytest.fixture
def chair() -> User:
    """A procesregisseur who chairs tomorrow's casusoverleg with one Top X case on the agenda."""
    chair = f.UserFactory(username="procesregisseur", process_director=True)
    device_for(chair)
    case = f.CaseFactory(
        zvhru=True,
        person__given_names="Ilias",
        person__surname="El Amrani",
        person__date_of_birth=TODAY - relativedelta(years=20, days=3),
        process_director=chair,
        opened_on=TODAY - dt.timedelta(days=200),
    )
    f.TeamMemberFactory(case=case, organisation=f.organisation("zvhru"))
    for days in (60, 90, 120):
        f.OffenceFactory(case=case, committed_on=TODAY - dt.timedelta(days=days))
    conference = escalation.conference_create(actor=chair, starts_at=timezone.now() + dt.timedelta(days=1), attendees=[])
    escalation.agenda_item_add(actor=chair, conference=conference, case=case)
    return chair


def test_procesregisseur_opens_the_casusoverleg_and_records_notes(browsing, chair):
    page = browsing.page
    sign_in(page, browsing.base_url, chair)

    nav(page).get_by_role("link", name="Casusoverleg").click()
    expect(heading(page)).to_have_text("Casusoverleg")
    upcoming = page.get_by_role("region", name="Komend en open")
    expect(upcoming.get_by_role("row")).to_have_count(2)
    browsing.check("casusoverleg")

    upcoming.get_by_role("link").first.click()
    expect(heading(page)).to_have_text(re.compile(r"^Casusoverleg \w+ \d+ \w+ \d{4}, \d\d:\d\d$"))
    item = page.get_by_role("article").filter(has=page.get_by_role("link", name="Ilias El Amrani"))
    expect(item).to_be_visible()
    browsing.check("casusoverleg detail")

    item.get_by_text("Notities bewerken").click()
    item.get_by_label("Notities").fill("Ilias heeft werk gevonden; politie ziet geen nieuwe meldingen.")
    item.get_by_role("button", name="Notities opslaan").click()
    expect(page.get_by_role("article").first).to_contain_text("Ilias heeft werk gevonden")
    browsing.check("casusoverleg na notities")

    assert browsing.errors == []
    assert AgendaItem.objects.get().notes.startswith("Ilias heeft werk gevonden")
    browsing.audit.assert_clean()


# --- Ketenpartner ------------------------------------------------------------------------------


def test_police_sees_only_its_team_cases_and_a_404_for_another(browsing):
    agent = f.UserFactory(username="politie", politie=True)
    device_for(agent)
    ours = f.CaseFactory(person__given_names="Milan", person__surname="Smit", lokale_pga=True)
    f.TeamMemberFactory(case=ours, organisation=f.organisation("politie-midden-nederland"))
    other = f.CaseFactory(person__given_names="Emre", person__surname="Yilmaz", lokale_pga=True)
    f.TeamMemberFactory(case=other, organisation=f.organisation("jou"))
    page = browsing.page
    sign_in(page, browsing.base_url, agent)

    expect(heading(page)).to_have_text("Mijn caseload")
    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(2)
    expect(table.get_by_role("link", name="Smit, Milan")).to_be_visible()
    expect(page.get_by_text("Yilmaz")).to_have_count(0)
    browsing.check("caseload politie")

    table.get_by_role("link", name="Smit, Milan").click()
    expect(heading(page)).to_have_text("Milan Smit")
    browsing.check("casus politie")

    response = browsing.goto(f"/casussen/{other.pk}/")
    assert response is not None and response.status == 404
    expect(heading(page)).to_have_text("Pagina niet gevonden")
    expect(page.get_by_text("Yilmaz")).to_have_count(0)
    browsing.check("404")

    assert browsing.errors == []
    browsing.audit.assert_clean()


# --- Privacyfunctionaris -----------------------------------------------------------------------


def test_privacy_officer_reads_the_access_log_and_a_data_subject_request(browsing, case, case_director):
    officer = f.UserFactory(username="privacy", privacy_officer=True)
    device_for(officer)
    viewer = Client()
    viewer.force_login(case_director)
    assert viewer.get(f"/casussen/{case.pk}/").status_code == 200  # a line in the access log
    rights.request_register(
        actor=officer,
        person=case.person,
        kind=RequestKind.INZAGE,
        received_on=TODAY,
        description="Betrokkene vraagt per brief om zijn gegevens.",
    )
    page = browsing.page
    sign_in(page, browsing.base_url, officer)

    nav(page).get_by_role("link", name="Privacytoezicht").click()
    expect(heading(page)).to_have_text("Privacytoezicht")
    browsing.check("privacytoezicht")

    page.get_by_role("link", name="Wat deed gebruiker U?").click()
    page.get_by_label("Gebruikersnaam").fill(case_director.username)
    page.get_by_role("button", name="Zoek logregels").click()
    results = page.get_by_role("table")
    expect(results.get_by_role("row").nth(1)).to_be_visible()
    expect(results).to_contain_text("Lezen")
    browsing.check("toegangslog gebruiker")

    nav(page).get_by_role("link", name="Verzoeken betrokkenen").click()
    expect(heading(page)).to_have_text("Verzoeken van betrokkenen")
    browsing.check("verzoeken")
    page.get_by_role("table").get_by_role("link").first.click()
    expect(heading(page)).to_have_text("Inzage (art. 15 AVG)")
    expect(page.get_by_text("Betrokkene vraagt per brief om zijn gegevens.")).to_be_visible()
    browsing.check("verzoek")

    assert browsing.errors == []
    assert SubjectRequest.objects.count() == 1
    browsing.audit.assert_clean()


# --- Functioneel beheerder ---------------------------------------------------------------------


def test_administrator_opens_the_admin_and_the_sharing_matrix(browsing):
    beheerder = f.UserFactory(username="beheerder", role=Role.ADMINISTRATOR, is_staff=True)
    beheerder.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["privacy", "escalation", "partners", "django_celery_beat"])
    )
    device_for(beheerder)
    page = browsing.page
    sign_in(page, browsing.base_url, beheerder)

    # An administrator starts in the admin (no caseload). Its pages come from Django's own admin templates,
    # with our additions (templates/admin/, static/css/pga-admin.css): audited like every other page.
    expect(page).to_have_url(re.compile("/beheer/$"))
    browsing.check("beheer")
    page.get_by_role("link", name="Deelmatrices").click()
    expect(heading(page)).to_have_text(re.compile("deelmatrix", re.IGNORECASE))
    active = page.get_by_role("row", name=re.compile("Deelmatrix versie 1"))
    expect(active.get_by_role("cell", name="Actief", exact=True)).to_be_visible()
    browsing.check("beheer deelmatrices")
    active.get_by_role("link", name="1", exact=True).click()
    expect(page.get_by_role("main")).to_contain_text("Deelmatrix versie 1 (actief)")
    expect(page.get_by_role("table").first.get_by_role("row").nth(1)).to_be_visible()  # the cells (rules)
    browsing.check("beheer deelmatrix versie 1")

    # The other pages a functioneel beheerder works in: a list and a form of each.
    for path, name in (
        ("/beheer/escalation/ruleset/", "beheer beoordelingskaders"),
        (f"/beheer/escalation/ruleset/{RuleSet.objects.get(status=RuleSetStatus.ACTIVE).pk}/change/", "beheer beoordelingskader"),
        ("/beheer/privacy/retentionperiod/", "beheer bewaartermijnen"),
        ("/beheer/partners/user/", "beheer gebruikers"),
        ("/beheer/partners/organisation/", "beheer organisaties"),
        ("/beheer/partners/organisation/add/", "beheer organisatie toevoegen"),
        ("/beheer/django_celery_beat/periodictask/", "beheer periodieke taken"),
    ):
        assert browsing.goto(path).status == 200, path
        expect(page.locator("#content")).to_be_visible()
        browsing.check(name)

    # Django's split date-and-time widget (the start time) has one label for two inputs: jobs/admin.py names each.
    assert browsing.goto("/beheer/django_celery_beat/periodictask/add/").status == 200
    expect(page.get_by_label("Starttijd")).to_be_visible()
    browsing.check("beheer periodieke taak toevoegen")

    browsing.goto("/proefberekeningen/")
    expect(heading(page)).to_have_text("Proefberekeningen")
    expect(nav(page).get_by_role("link", name="Beheer")).to_be_visible()
    browsing.check("proefberekeningen")

    assert browsing.errors == []  # the admin's pages included: nothing blocked by the CSP, no script errors
    browsing.audit.assert_clean()
