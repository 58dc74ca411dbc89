"""The casusoverleg in the browser and the API: 404 for non-attendees, filtered items, the chair's forms."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases.models import Action, ActionKind, Leefgebied, Tier
from escalation import services
from escalation.models import ConferenceStatus, Decision
from tests import factories as f
from tests.api.conftest import client_for

from .test_conferences import top_x_case

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def chair(db):
    return f.UserFactory(process_director=True)


@pytest.fixture
def meeting(chair, case, case_director):
    """A conference with two items: ``case`` (its case director attends) and a ZVHRU case only the chair sees."""
    conference = services.conference_create(
        actor=chair, starts_at=timezone.now() + dt.timedelta(days=1), attendees=[case_director]
    )
    f.TeamMemberFactory(case=case, organisation=f.organisation("zvhru"))
    zvhru_case = top_x_case(chair)
    f.TeamMemberFactory(case=zvhru_case, organisation=f.organisation("zvhru"))  # the chair keeps seeing it after afschalen
    services.agenda_item_add(actor=chair, conference=conference, case=case)
    services.agenda_item_add(actor=chair, conference=conference, case=zvhru_case)
    return conference, zvhru_case


def page(conference):
    return reverse("conference_detail", kwargs={"conference_id": conference.pk})


def test_the_chair_sees_the_whole_agenda_and_the_forms(client, chair, meeting, case):
    conference, zvhru_case = meeting
    client.force_login(chair)
    html = client.get(page(conference)).content.decode()
    assert escape(case.person.full_name) in html and escape(zvhru_case.person.full_name) in html
    assert "Besluit vastleggen" in html and "Verslag vaststellen" in html
    assert "Casusoverleg" in client.get(reverse("conference_list")).content.decode()


def test_an_attendee_sees_only_items_of_cases_they_may_see(client, case_director, meeting, case):
    conference, zvhru_case = meeting
    client.force_login(case_director)
    html = client.get(page(conference)).content.decode()
    assert escape(case.person.full_name) in html and escape(zvhru_case.person.full_name) not in html
    assert "Besluit vastleggen" not in html
    url = reverse("conference_item_notes", kwargs={"conference_id": conference.pk, "item_id": conference.items.first().pk})
    assert client.post(url, {"notes": "x"}).status_code == 403


def test_non_attendees_get_404_on_the_page_and_the_api(client, meeting, outsider):
    conference, _ = meeting
    for user in (outsider, f.UserFactory(process_director=True)):
        client.force_login(user)
        assert client.get(page(conference)).status_code == 404
        assert client_for(user).get(f"/api/v1/conferences/{conference.pk}/items/").status_code == 404
        assert client_for(user).get("/api/v1/conferences/").json()["count"] == 0


def test_the_api_lists_conferences_and_filters_items(chair, case_director, meeting, case):
    conference, _ = meeting
    listed = client_for(case_director).get("/api/v1/conferences/").json()
    assert [row["id"] for row in listed["results"]] == [str(conference.pk)]
    items = client_for(case_director).get(f"/api/v1/conferences/{conference.pk}/items/").json()
    assert (items["count"], items["results"][0]["case"]) == (1, str(case.pk))
    assert client_for(chair).get(f"/api/v1/conferences/{conference.pk}/items/").json()["count"] == 2
    decision = services.decision_make(
        actor=chair, case=case, from_tier=Tier.LOKALE_PGA, to_tier=Tier.ZVHRU, rationale="Opschalen", conference=conference
    )
    items = client_for(case_director).get(f"/api/v1/conferences/{conference.pk}/items/").json()
    assert items["results"][0]["decisions"] == [str(decision.pk)]
    assert client_for(chair).post("/api/v1/conferences/", {}, format="json").status_code == 405


def test_a_decision_from_the_page_links_the_conference(client, chair, meeting):
    conference, zvhru_case = meeting
    item = conference.items.get(case=zvhru_case)
    client.force_login(chair)
    url = reverse("conference_item_decision", kwargs={"conference_id": conference.pk, "item_id": item.pk})
    response = client.post(url, {"from_tier": Tier.ZVHRU, "move": "tier:lokale_pga", "rationale": "Afschalen besproken"})
    assert response.status_code == 302
    decision = Decision.objects.get(case=zvhru_case)
    assert (decision.conference, decision.to_tier) == (conference, Tier.LOKALE_PGA)
    assert "Afschalen besproken" in client.get(page(conference)).content.decode()


def test_an_action_item_from_the_page_lands_in_the_plan(client, chair, meeting):
    conference, zvhru_case = meeting
    item = conference.items.get(case=zvhru_case)
    client.force_login(chair)
    url = reverse("conference_item_action", kwargs={"conference_id": conference.pk, "item_id": item.pk})
    data = {
        "description": "Gesprek over werk",
        "owning_organisation": f.organisation("altrecht").pk,
        "due_on": (TODAY + dt.timedelta(days=7)).isoformat(),
        "kind": ActionKind.PERSPECTIEF_BIEDEN,
        "leefgebied": Leefgebied.DAGBESTEDING,
    }
    assert client.post(url, data).status_code == 200  # Altrecht not yet in this case's team: an error on the form
    f.TeamMemberFactory(case=zvhru_case, organisation=f.organisation("altrecht"))
    assert client.post(url, data).status_code == 302
    assert Action.objects.filter(goal__plan__case=zvhru_case, description="Gesprek over werk").exists()


def test_finalising_locks_the_page_and_offers_the_addendum(client, chair, meeting):
    conference, zvhru_case = meeting
    client.force_login(chair)
    assert client.post(reverse("conference_finalise", kwargs={"conference_id": conference.pk})).status_code == 302
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.AFGEROND
    html = client.get(page(conference)).content.decode()
    assert "Besluit vastleggen" not in html and "Aanvulling toevoegen" in html
    item = conference.items.get(case=zvhru_case)
    url = reverse("conference_item_notes", kwargs={"conference_id": conference.pk, "item_id": item.pk})
    assert client.post(url, {"notes": "Achteraf"}).status_code == 200
    item.refresh_from_db()
    assert item.notes == ""
    addendum = reverse("conference_addendum", kwargs={"conference_id": conference.pk})
    assert client.post(addendum, {"text": "Nagekomen afspraak"}).status_code == 302
    assert "Nagekomen afspraak" in client.get(page(conference)).content.decode()


def test_process_directors_plan_a_conference_and_find_it_in_the_nav(client, chair, case_director):
    client.force_login(chair)
    assert 'href="/casusoverleg/"' in client.get(reverse("caseload")).content.decode()
    starts = (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("conference_create"), {"starts_at": starts, "attendees": [case_director.pk]})
    assert response.status_code == 302
    client.force_login(case_director)
    assert client.get(reverse("conference_create")).status_code == 403
    assert 'href="/casusoverleg/"' not in client.get(reverse("caseload")).content.decode()


def test_agenda_and_minutes_print_without_navigation_or_forms(client, chair, meeting):
    conference, _ = meeting
    client.force_login(chair)
    html = client.get(page(conference)).content.decode()
    assert 'pga-print.css" media="print"' in html
    assert html.count('class="pga-no-print"') >= conference.items.count()  # each item's forms are hidden on paper
    css = (settings.BASE_DIR / "static" / "css" / "pga-print.css").read_text()
    for selector in (".pga-header", ".pga-nav", ".pga-no-print", "form", "button"):
        assert selector in css.split("display: none", 1)[0]


def test_the_chair_sees_capacity_next_to_the_agenda(client, chair, meeting):
    conference, _ = meeting
    client.force_login(chair)
    html = client.get(page(conference)).content.decode()
    assert "Capaciteit" in html
    assert "Top X (ZVHRU)" in html
