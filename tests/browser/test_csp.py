"""Every page works under the Content-Security-Policy (issue #7; ASVS 4.0.3 14.4.3), in a real browser.

Debian's chromium (Playwright) opens the browser app as a case director (caseload, a case, a journal entry
through htmx, the worklist, the registration form), the sign-in pages with the second factor (the TOTP
set-up page shows an inline SVG QR code), the admin at /beheer/ as an administrator (index, a list, a change
form, an add form; then every page a functioneel beheerder works in, the sharing matrix's inline cells and
django-celery-beat's periodic tasks included), and the API docs at /api/v1/docs/. Chromium reports each
blocked script, style, image or font as a ``securitypolicyviolation`` event and a console error; both are
collected and must stay empty. The policy is never bypassed (no ``bypass_csp``); the listener is an init
script, which CSP does not govern.
"""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from partners.models import User
from tests import factories as f
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Runs in every document before its own scripts: each violation becomes a console error we collect.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  const where = event.sourceFile + ":" + event.lineNumber;
  console.error("CSP-VIOLATION " + event.violatedDirective + " " + event.blockedURI + " " + where);
});
"""


def current_code(user: User) -> str:
    """The TOTP code of ``user``'s newest device right now (django-otp's own ``totp``, as an app computes it)."""
    device = TOTPDevice.objects.filter(user=user).latest("pk")
    return str(totp(device.bin_key, device.step, device.t0, device.digits, device.drift)).zfill(device.digits)


class Browser:
    """One signed-out chromium page on the live server that records CSP violations and page errors."""

    def __init__(self, playwright: Any, base_url: str) -> None:
        self.base_url = base_url
        self.browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self.page = self.browser.new_page(viewport={"width": 1366, "height": 900}, locale="nl-NL")
        self.violations: list[str] = []
        self.second_factor = ""  # the page of the second step PGA showed at the last sign-in, if any
        self.page.add_init_script(REPORT_VIOLATIONS)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.violations.append(f"pageerror {error}"))

    def _console(self, message: Any) -> None:
        text = message.text
        if "CSP-VIOLATION" in text or "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.violations.append(f"{self.page.url}: {text}")

    def open(self, path: str) -> Any:
        response = self.page.goto(f"{self.base_url}{path}")
        self.page.wait_for_load_state("load")
        return response

    def sign_in(self, user: User) -> None:
        """Password, then the second factor when PGA asks for it: the set-up page (a new authenticator, with the
        QR code) or the verify page. Ends on the page PGA sends the user to."""
        from playwright.sync_api import expect

        self.open("/inloggen/")
        self.page.get_by_label("Gebruikersnaam").fill(user.username)
        self.page.get_by_label("Wachtwoord").fill(f.PASSWORD)
        self.page.get_by_role("button", name="Inloggen").click()
        self.page.wait_for_load_state("load")
        if "/inloggen/authenticator/" in self.page.url:
            self.second_factor = "authenticator"
            expect(self.page.get_by_role("img", name=re.compile("QR-code"))).to_be_visible()
            self.page.get_by_label(re.compile("Code uit uw authenticator-app")).fill(current_code(user))
            self.page.get_by_role("button", name="Authenticator bevestigen").click()
            self.page.wait_for_load_state("load")
        elif "/inloggen/tweede-stap/" in self.page.url:
            self.second_factor = "tweede-stap"
            self.page.get_by_label(re.compile("Code uit uw authenticator-app")).fill(current_code(user))
            self.page.get_by_role("button", name="Bevestigen").click()
            self.page.wait_for_load_state("load")
        assert "/inloggen/" not in self.page.url or "herstelcodes" in self.page.content().lower(), self.page.url

    def close(self) -> None:
        self.browser.close()


@pytest.fixture
def browser(live_server) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        session = Browser(playwright, live_server.url)
        try:
            yield session
        finally:
            session.close()


def test_the_browser_app_works_under_the_policy(browser):
    from playwright.sync_api import expect

    director = f.UserFactory(username="csp.regisseur", case_director=True)
    TOTPDevice.objects.create(user=director, name="telefoon", confirmed=True)  # if PGA asks for the second step
    case = f.CaseFactory(person__given_names="Cees", person__surname="Pieters", case_director=director)

    browser.sign_in(director)
    header = browser.open("/").headers["content-security-policy"]
    assert "unsafe-inline" not in header
    expect(browser.page.get_by_role("heading", level=1)).to_have_text("Mijn caseload")

    browser.open(f"/casussen/{case.pk}/")
    expect(browser.page.get_by_role("heading", level=1)).to_have_text("Cees Pieters")
    journal = browser.page.locator("form.pga-journal-form")
    journal.get_by_label("Tekst").fill("Gesprek gehad; afspraken gemaakt.")
    journal.get_by_role("button", name="Toevoegen aan journaal").click()
    status = browser.page.get_by_role("status").filter(has_text="Journaalregel toegevoegd.")
    expect(status).to_be_focused()  # htmx swapped the fragment and pga.js moved the focus: both ran
    browser.page.screenshot(path=SCREENSHOTS / "pga-csp-case.png", full_page=True)

    for path, heading in (("/werklijst/", "Werklijst"), ("/aanmelden/", None)):
        response = browser.open(path)
        assert response.status == 200, path
        if heading:
            expect(browser.page.get_by_role("heading", level=1)).to_contain_text(heading)

    browser.open("/bestaat-niet/")
    expect(browser.page.get_by_role("heading", level=1)).to_have_text("Pagina niet gevonden")

    assert browser.violations == []
    # The watch works: markup with an inline style, as an injection would bring, is blocked and reported.
    browser.page.evaluate("""document.body.insertAdjacentHTML("beforeend", '<p style="color: red">x</p>')""")
    expect(browser.page.locator("p", has_text="x").last).not_to_have_css("color", "rgb(255, 0, 0)")
    browser.page.wait_for_timeout(300)
    assert any("CSP-VIOLATION style-src" in text for text in browser.violations)  # the event
    assert any("Content Security Policy" in text for text in browser.violations)  # chromium's console error


def test_the_api_docs_render_under_the_policy(browser):
    from playwright.sync_api import expect

    browser.sign_in(f.UserFactory(username="csp.docs", case_director=True))
    response = browser.open("/api/v1/docs/")
    assert "unsafe-inline" not in response.headers["content-security-policy"]

    expect(browser.page.locator(".swagger-ui .info .title")).to_contain_text("PGA API", timeout=20_000)
    expect(browser.page.locator(".swagger-ui .opblock").first).to_be_visible()
    assert browser.page.locator(".swagger-ui .opblock").count() > 10
    browser.page.locator(".swagger-ui .opblock-summary").first.click()  # an operation opens, with its example JSON
    expect(browser.page.locator(".swagger-ui .opblock-body").first).to_be_visible()
    expect(browser.page.locator(".swagger-ui .responses-wrapper").first).to_be_visible()
    browser.page.screenshot(path=SCREENSHOTS / "pga-csp-api-docs.png")

    assert browser.violations == []


def test_the_admin_works_under_the_policy(browser):
    from playwright.sync_api import expect

    administrator = f.UserFactory(username="csp.beheerder", administrator=True, is_staff=True)
    administrator.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["partners", "cases"]))
    organisation = f.organisation("politie-midden-nederland")

    browser.sign_in(administrator)  # no authenticator yet: PGA shows the set-up page with the QR code
    assert browser.second_factor == "authenticator"
    browser.open("/beheer/")
    expect(browser.page.locator("#site-name")).to_be_visible()
    expect(browser.page.locator("#content h1")).to_be_visible()

    browser.open("/beheer/partners/organisation/")
    expect(browser.page.locator("#result_list")).to_be_visible()
    browser.page.locator("#action-toggle").check()  # actions.js runs
    expect(browser.page.locator(".action-counter")).to_contain_text("geselecteerd")

    browser.open(f"/beheer/partners/organisation/{organisation.pk}/change/")
    expect(browser.page.locator("form#organisation_form")).to_be_visible()
    browser.page.screenshot(path=SCREENSHOTS / "pga-csp-admin-change.png", full_page=True)

    browser.open("/beheer/partners/user/add/")
    expect(browser.page.locator("#content form")).to_be_visible()

    assert browser.violations == []


def test_the_administrators_admin_pages_work_under_the_policy(browser):
    """The pages of /beheer/ a functioneel beheerder works in: the admin index, the sharing matrix (a concept
    with its inline formset of cells: inlines.js adds the "add another" row), the rule sets, the retention
    periods, the users, the organisations and django-celery-beat's periodic tasks."""
    from django_celery_beat.models import PeriodicTask
    from playwright.sync_api import expect

    from escalation import services as escalation
    from escalation.models import RuleSet, RuleSetStatus
    from privacy import services as privacy
    from privacy.models import MatrixStatus, RetentionPeriod, SharingMatrix

    administrator = f.UserFactory(username="csp.functioneelbeheer", administrator=True, is_staff=True)
    administrator.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["partners", "privacy", "escalation", "django_celery_beat"])
    )
    TOTPDevice.objects.create(user=administrator, name="telefoon", confirmed=True)
    organisation = f.organisation("politie-midden-nederland")
    matrix = privacy.matrix_copy(actor=administrator, matrix=SharingMatrix.objects.get(status=MatrixStatus.ACTIEF))
    draft = escalation.rule_set_create_draft(actor=administrator, based_on=RuleSet.objects.get(status=RuleSetStatus.ACTIVE))
    period = RetentionPeriod.objects.first()
    task = PeriodicTask.objects.filter(crontab__isnull=False).first()
    colleague = f.UserFactory(username="csp.collega", case_director=True)

    browser.sign_in(administrator)  # a fresh sign-in: the sharing matrix and the rule sets ask for one
    pages = [
        "/beheer/",
        "/beheer/privacy/sharingmatrix/",
        f"/beheer/privacy/sharingmatrix/{matrix.pk}/change/",
        "/beheer/escalation/ruleset/",
        f"/beheer/escalation/ruleset/{draft.pk}/change/",
        "/beheer/privacy/retentionperiod/",
        f"/beheer/privacy/retentionperiod/{period.pk}/change/",
        "/beheer/partners/user/",
        f"/beheer/partners/user/{colleague.pk}/change/",
        "/beheer/partners/organisation/",
        f"/beheer/partners/organisation/{organisation.pk}/change/",
        "/beheer/django_celery_beat/periodictask/",
        f"/beheer/django_celery_beat/periodictask/{task.pk}/change/",
        "/beheer/django_celery_beat/periodictask/add/",
    ]
    for path in pages:
        response = browser.open(path)
        assert response.status == 200, path
        assert "unsafe-inline" not in response.headers["content-security-policy"]
        expect(browser.page.locator("#content")).to_be_visible()
        if path.endswith(f"/sharingmatrix/{matrix.pk}/change/"):
            cells = browser.page.locator("#content tr.form-row.dynamic-rules")
            count = cells.count()
            browser.page.get_by_role("button", name=re.compile("^Nog een .* toevoegen$")).click()  # inlines.js adds a cell
            expect(cells).to_have_count(count + 1)
        if path.endswith(f"/periodictask/{task.pk}/change/"):  # the crontab's translation: the (nonced) inline script ran
            expect(browser.page.locator(".field-crontab_translation")).to_be_hidden()
            browser.page.locator("#id_crontab").dispatch_event("change")
            expect(browser.page.locator(".field-crontab .help")).to_contain_text("Translation:")
    assert browser.violations == []
