"""The PGA-expert's daily path in a real browser (Debian's chromium through Playwright):
sign in (password and second factor), open the caseload, open Vincent Bakker's case, add a journal entry, see it on the timeline.

Playwright never downloads a browser here: the test drives Debian's /usr/bin/chromium. Screenshots of the caseload and
the case page go to /tmp/pga-*.png (or $PGA_SCREENSHOT_DIR) for a human to judge the design.
"""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from cases.models import ActionKind, ActionStatus, DrugNetworkIndication, JournalEntry, Leefgebied, TargetGroup
from partners.models import User
from tests import factories as f
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS
from tests.browser.signin import device_for, sign_in

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; serialized rollback restores the reference data
    # (organisations, wijken, offence types) that a transactional flush would otherwise remove.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _vincent(director: User) -> None:
    """Vincent (DOMAIN.md §10): a doorgroeier in lokale PGA with a job, a debt plan and messengers."""
    today = timezone.localdate()
    person = f.PersonFactory(
        given_names="Vincent", surname="Bakker", date_of_birth=today - relativedelta(years=22, days=40), wijk=f.wijk("overvecht")
    )
    case = f.CaseFactory(
        person=person,
        lokale_pga=True,
        case_director=director,
        registered_by=director,
        target_group=TargetGroup.DOORGROEIER,
        drug_network_indication=DrugNetworkIndication.JA,
        opened_on=today - dt.timedelta(days=150),
    )
    for code in ("politie-midden-nederland", "jou"):
        f.TeamMemberFactory(case=case, organisation=f.organisation(code), added_by=director)
    f.OffenceFactory(case=case, offence_type=f.offence_type("opw-10-3"), committed_on=today - relativedelta(months=2))
    f.AssessmentFactory(
        case=case, assessed_by=director, dagbesteding=3, zorg=4, huisvesting=3, identiteitsbewijs=4, inkomen=2, motivatie=2
    )
    job = f.GoalFactory(
        plan=case.plan,
        leefgebied=Leefgebied.DAGBESTEDING,
        description="Werk vinden en houden",
        achieved=True,
        created_by=director,
    )
    f.ActionFactory(
        goal=job, description="VOG aanvragen met steun", status=ActionStatus.AFGEROND, due_on=today - dt.timedelta(days=20)
    )
    debts = f.GoalFactory(
        plan=case.plan, leefgebied=Leefgebied.INKOMEN, description="Schulden aflossen volgens plan (3 jaar)", created_by=director
    )
    f.ActionFactory(
        goal=debts, description="Schuldregeling afsluiten", status=ActionStatus.LOPEND, due_on=today - dt.timedelta(days=3)
    )
    drive = f.GoalFactory(
        plan=case.plan, leefgebied=Leefgebied.MOTIVATIE, description="Volhouden zonder oude vrienden", created_by=director
    )
    f.ActionFactory(
        goal=drive,
        description="Twee credible messengers die hij altijd kan bellen",
        owning_organisation=f.organisation("jou"),
        kind=ActionKind.PERSPECTIEF_BIEDEN,
        due_on=today + dt.timedelta(days=30),
    )
    f.ActionFactory(
        goal=drive,
        description="Meldplicht bij wijkagent",
        owning_organisation=f.organisation("politie-midden-nederland"),
        kind=ActionKind.GRENZEN_STELLEN,
        due_on=today + dt.timedelta(days=10),
    )
    f.JournalEntryFactory(
        case=case, author=director, text="Kennismaking met Vincent en zijn moeder.", occurred_on=today - dt.timedelta(days=140)
    )


@pytest.fixture
def pga_expert() -> User:
    director = f.UserFactory(username="pga.expert", first_name="Sanne", last_name="de Wit", case_director=True)
    device_for(director)
    _vincent(director)
    others = [
        ("Dylan", "", "Visser", "zuidwest", {"zvhru": True}),
        ("Noah", "de", "Jong", "overvecht", {"lokale_pga": True}),
        ("Ilias", "", "El Amrani", "west", {}),
        ("Milan", "", "Smit", "noordwest", {"lokale_pga": True}),
        ("Emre", "", "Yilmaz", "zuid", {"actief": True}),
        ("Jesse", "", "Mulder", "leidsche-rijn", {"lokale_pga": True}),
        ("Sem", "", "Bos", "binnenstad", {}),
    ]
    for index, (given, prefix, surname, wijk, traits) in enumerate(others):
        case = f.CaseFactory(
            person__given_names=given,
            person__surname_prefix=prefix,
            person__surname=surname,
            person__wijk=f.wijk(wijk),
            case_director=director,
            **traits,
        )
        if index % 2 == 0:
            f.OffenceFactory(case=case, committed_on=timezone.localdate() - dt.timedelta(days=45 * (index + 1)))
        if index == 1:
            f.DetentionFactory(case=case)
    return director


def test_pga_expert_adds_a_journal_entry_and_sees_it_on_the_timeline(live_server, pga_expert):
    from playwright.sync_api import expect, sync_playwright

    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="nl-NL")
        page.on("pageerror", lambda error: errors.append(str(error)))
        try:
            page.goto(f"{live_server.url}/inloggen/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
            page.keyboard.press("Tab")
            expect(page.get_by_role("link", name="Direct naar de inhoud")).to_be_focused()
            sign_in(page, live_server.url, pga_expert)  # password and second factor

            expect(page.get_by_role("heading", level=1)).to_have_text("Mijn caseload")
            table = page.get_by_role("table")
            expect(table.get_by_role("row")).to_have_count(1 + 8)
            page.screenshot(path=SCREENSHOTS / "pga-caseload.png", full_page=True)

            table.get_by_role("link", name="Bakker, Vincent").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Vincent Bakker")
            case_url = page.url

            journal = page.locator("form.pga-journal-form")
            journal.get_by_label("Tekst").fill("Vincent belde zelf: het werk bevalt, de eerste aflossing is gedaan.")
            journal.get_by_role("button", name="Toevoegen aan journaal").click()

            timeline = page.locator("#tijdlijn .pga-timeline")
            expect(timeline.locator("li").first).to_contain_text("het werk bevalt, de eerste aflossing is gedaan")
            status = page.get_by_role("status").filter(has_text="Journaalregel toegevoegd.")
            expect(status).to_be_visible()
            expect(status).to_be_focused()  # pga.js tells keyboard and screen-reader users what happened
            expect(page.get_by_label("Tekst")).to_have_value("")
            assert page.url == case_url  # htmx swapped the timeline in place
            page.screenshot(path=SCREENSHOTS / "pga-case.png", full_page=True)

            page.reload()
            expect(page.locator("#tijdlijn .pga-timeline li").first).to_contain_text("de eerste aflossing is gedaan")

            # WCAG 1.4.10 reflow: on a phone-sized screen nothing scrolls sideways.
            page.set_viewport_size({"width": 360, "height": 800})
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
        finally:
            browser.close()
    assert errors == []
    entry = JournalEntry.objects.get(text__startswith="Vincent belde zelf")
    assert (entry.author.username, entry.case.person.surname) == ("pga.expert", "Bakker")
