"""A fresh sign-in before sensitive actions (issue #7; ASVS 3.7.1): changing or activating the sharing
matrix, activating a rule set, exports, approving destruction. A sign-in counts as fresh for 10 minutes;
after that the action is refused before anything happens, and done after the password and a code."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.utils import timezone
from django.utils.http import urlencode

from escalation import selectors, services
from escalation.models import RuleSetStatus
from partners.models import Role
from privacy.models import DestructionStatus, RetentionPeriod
from privacy.retention import period_confirm
from tests import factories as f
from tests.privacy.test_retention import due_case, item_of, run

from .signin import code, sign_in

pytestmark = pytest.mark.django_db

STALE = dt.timedelta(minutes=11)  # past PGA_REAUTHENTICATION_MINUTES, within the 15 idle minutes


def confirm(client, device, next_url: str):
    response = client.post("/inloggen/bevestigen/", {"password": f.PASSWORD, "token": code(device, offset=1), "next": next_url})
    assert response.status_code == 302 and response["Location"] == next_url, response.content.decode()[:300]


def test_approving_destruction_asks_for_a_fresh_sign_in_and_nothing_is_approved_before(client):
    officer = f.UserFactory(privacy_officer=True, first_name="Privacy", last_name="Functionaris")
    for period in RetentionPeriod.objects.all():
        period_confirm(actor=officer, period=period)
    case = due_case()
    run()
    item = item_of(case)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        device = sign_in(client, officer)
        traveller.shift(STALE)

        refused = client.post("/privacy/vernietiging/goedkeuren/", {"enkel": str(item.pk)})
        assert refused.status_code == 302
        assert refused["Location"] == "/inloggen/bevestigen/?next=%2Fprivacy%2Fvernietiging%2F"
        item.refresh_from_db()
        assert item.status == DestructionStatus.VOORGESTELD

        page = client.get(refused["Location"]).content.decode()
        assert "Bevestig dat u het bent" in page and 'name="token"' in page
        confirm(client, device, "/privacy/vernietiging/")
        approved = client.post("/privacy/vernietiging/goedkeuren/", {"enkel": str(item.pk)})
        assert approved.status_code == 302 and approved["Location"] == "/privacy/vernietiging/"
        item.refresh_from_db()
        assert item.status == DestructionStatus.GOEDGEKEURD


def test_the_caseload_export_asks_for_a_fresh_sign_in(client, case, case_director):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        device = sign_in(client, case_director)
        assert client.get("/export/caseload.csv").status_code == 200  # just signed in: fresh
        traveller.shift(STALE)
        refused = client.get("/export/caseload.csv", HTTP_REFERER="http://testserver/?pagina=2")
        assert refused.status_code == 302
        assert refused["Location"] == "/inloggen/bevestigen/?next=%2Fexport%2Fcaseload.csv&bestand_van=%2F%3Fpagina%3D2"
        form = client.get(refused["Location"]).content.decode()
        assert '<input type="hidden" name="bestand_van" value="/?pagina=2">' in form

        # The export is a download: the browser would save a redirect's page as the file and stay on the
        # form. So the confirmation answers with a page that starts the download and leads back.
        confirmed = client.post(
            "/inloggen/bevestigen/",
            {
                "password": f.PASSWORD,
                "token": code(device, offset=1),
                "next": "/export/caseload.csv",
                "bestand_van": "/?pagina=2",
            },
        )
        page = confirmed.content.decode()
        assert confirmed.status_code == 200 and "Bevestigd" in page
        assert '<meta http-equiv="refresh" content="0;url=/export/caseload.csv">' in page
        assert 'href="/export/caseload.csv">Download het bestand</a>' in page and 'href="/?pagina=2">Terug' in page
        export = client.get("/export/caseload.csv")
        assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize(
    ("referer", "back"),
    [("https://elders.example/pagina/", "/"), ("", "/"), ("http://testserver/casussen/?x=1", "/casussen/?x=1")],
    ids=["another-site", "none", "this-site"],
)
def test_the_way_back_after_a_download_is_a_page_of_this_site(client, case_director, referer, back):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sign_in(client, case_director)
        traveller.shift(STALE)
        refused = client.get("/export/caseload.csv", HTTP_REFERER=referer)
        assert refused["Location"] == f"/inloggen/bevestigen/?{urlencode({'next': '/export/caseload.csv', 'bestand_van': back})}"


def test_a_download_link_posted_elsewhere_cannot_lead_off_site(client, case_director):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        device = sign_in(client, case_director)
        traveller.shift(STALE)
        data = {"password": f.PASSWORD, "token": code(device, offset=1), "next": "/export/caseload.csv"}
        confirmed = client.post("/inloggen/bevestigen/", {**data, "bestand_van": "https://elders.example/"})
        assert 'href="/">Terug' in confirmed.content.decode() and "elders.example" not in confirmed.content.decode()


def test_a_wrong_code_does_not_confirm(client, case_director):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        device = sign_in(client, case_director)
        traveller.shift(STALE)
        wrong = str((int(code(device, offset=1)) + 1) % 1_000_000).zfill(6)
        response = client.post("/inloggen/bevestigen/", {"password": f.PASSWORD, "token": wrong, "next": "/export/caseload.csv"})
        assert response.status_code == 200
        assert "Deze code klopt niet of is al gebruikt." in response.content.decode()
        assert client.get("/export/caseload.csv").status_code == 302


def test_activating_a_rule_set_asks_for_a_fresh_sign_in(client):
    beheerder = f.UserFactory(role=Role.ADMINISTRATOR, is_staff=True, username="beheerder")
    beheerder.user_permissions.set(Permission.objects.filter(content_type__app_label="escalation"))
    draft = services.rule_set_create_draft(actor=beheerder, based_on=selectors.active_rule_set())
    changelist = "/beheer/escalation/ruleset/"
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        device = sign_in(client, beheerder)
        traveller.shift(STALE)
        refused = client.post(changelist, {"action": "activate", "_selected_action": [draft.pk]})
        assert refused.status_code == 302 and refused["Location"].startswith("/inloggen/bevestigen/")
        draft.refresh_from_db()
        assert draft.status == RuleSetStatus.DRAFT

        confirm(client, device, changelist)
        client.post(changelist, {"action": "activate", "_selected_action": [draft.pk]})
        draft.refresh_from_db()
        assert draft.status == RuleSetStatus.ACTIVE


def test_the_sharing_matrix_pages_ask_for_a_fresh_sign_in(client):
    beheerder = f.UserFactory(role=Role.ADMINISTRATOR, is_staff=True, username="matrixbeheerder")
    beheerder.user_permissions.set(Permission.objects.filter(content_type__app_label="privacy"))
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        device = sign_in(client, beheerder)
        assert client.get("/beheer/privacy/sharingmatrix/").status_code == 200
        traveller.shift(STALE)
        refused = client.get("/beheer/privacy/sharingmatrix/")
        assert refused.status_code == 302
        assert refused["Location"] == "/inloggen/bevestigen/?next=%2Fbeheer%2Fprivacy%2Fsharingmatrix%2F"
        confirm(client, device, "/beheer/privacy/sharingmatrix/")
        assert client.get("/beheer/privacy/sharingmatrix/").status_code == 200


def test_reading_is_not_interrupted(client, case, case_director):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sign_in(client, case_director)
        traveller.shift(STALE)
        assert client.get("/").status_code == 200
        assert client.get(f"/casussen/{case.pk}/").status_code == 200


def test_the_confirmation_page_does_not_redirect_elsewhere(client, case_director):
    device = sign_in(client, case_director)
    response = client.post(
        "/inloggen/bevestigen/", {"password": f.PASSWORD, "token": code(device, offset=1), "next": "https://elders.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
