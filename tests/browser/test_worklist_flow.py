"""The werklijst in a real browser (Debian's chromium through Playwright; issue #5): a case director
signs in, sees the number of new signals in the navigation, opens the werklijst and closes an exit-review
flag with a note — first without one, to see the Dutch error.

Playwright never downloads a browser here: the test drives /usr/bin/chromium. A screenshot of the
werklijst goes to /tmp/pga-worklist.png (or $PGA_SCREENSHOT_DIR) for a human to judge the design.
"""

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from escalation.models import FlagStatus, ReviewFlag
from jobs.runner import job_run
from partners.models import User
from tests import factories as f
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS
from tests.browser.signin import device_for, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def director() -> User:
    """A case director with one lokale-PGA case past its earliest exit date, flagged by the nightly job."""
    director = f.UserFactory(username="regisseur.werklijst", case_director=True)
    device_for(director)
    f.CaseFactory(
        person__given_names="Vincent",
        person__surname="Bakker",
        lokale_pga=True,
        case_director=director,
        opened_on=timezone.localdate() - relativedelta(years=2),
    )
    job_run("exit_review")
    return director


def test_case_director_closes_a_flag_from_the_worklist(live_server, director):
    from playwright.sync_api import expect, sync_playwright

    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="nl-NL")
        page.on("pageerror", lambda error: errors.append(str(error)))
        try:
            sign_in(page, live_server.url, director)  # password and second factor
            expect(page.get_by_role("heading", level=1)).to_have_text("Mijn caseload")

            nav = page.get_by_role("navigation", name="Hoofdmenu")
            worklist_link = nav.get_by_role("link", name="Werklijst 1 nieuw signaal")
            expect(worklist_link).to_be_visible()
            page.locator("header").screenshot(path=SCREENSHOTS / "pga-worklist-badge.png")
            worklist_link.click()

            expect(page.get_by_role("heading", level=1)).to_have_text("Werklijst")
            expect(nav.get_by_role("link", name="Werklijst", exact=True)).to_be_visible()  # read: no badge
            expect(page.get_by_text("1 nieuw signaal: Uitstroomtoets")).to_be_visible()
            expect(page.get_by_role("heading", name="Uitstroomtoets (1)")).to_be_visible()
            flag = page.locator("tr.pga-flag")
            expect(flag.get_by_role("link", name="Vincent Bakker")).to_be_visible()
            page.screenshot(path=SCREENSHOTS / "pga-worklist.png", full_page=True)

            flag.get_by_text("Afhandelen", exact=True).click()
            flag.get_by_role("button", name="Signaal afhandelen").click()
            expect(page.get_by_role("alert")).to_contain_text("Schrijf kort op hoe het signaal is afgehandeld.")

            page.get_by_label("Toelichting").fill("Besproken met Vincent: hij blijft nog een half jaar in de aanpak.")
            page.get_by_role("button", name="Afhandelen").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Werklijst")
            expect(page.get_by_role("status").filter(has_text="Signaal ‘Uitstroomtoets’ afgehandeld.")).to_be_visible()
            expect(page.get_by_text("Geen open signalen.")).to_be_visible()
        finally:
            browser.close()
    assert errors == []
    flag_row = ReviewFlag.objects.get(case__case_director=director)
    assert (flag_row.status, flag_row.closed_by) == (FlagStatus.AFGEHANDELD, director)
    assert flag_row.closing_note.startswith("Besproken met Vincent")
