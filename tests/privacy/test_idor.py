"""IDOR attempts on the rich case of ``test_authorisation_matrix`` (issue #4, "Tests"): another case's
ids in this case's URLs, another case's goal in a body, an organisation or author smuggled into a body
where the server decides them, repeated query parameters, and a journal entry of a category the
caller cannot read. Every attempt is refused without a trace of the other data, and logged.
"""

import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Action, CaseTeamMember, Detention, Goal, JournalEntry, Offence, Person
from privacy.categories import Category
from privacy.models import Outcome
from tests import factories as f

from .test_authorisation_matrix import API, Subject, World, body, logged, signed_in
from .test_authorisation_matrix import world as world

pytestmark = pytest.mark.django_db

DIRECTOR = Subject("case_director", "directs")
POLITIE = Subject("partner_straf", "organisation")
ALTRECHT = Subject("partner_zorg", "organisation")
JOU = Subject("partner_sociaal", "organisation")
FOREIGN_TEXT = "Buitenlandse rij van een andere casus: Pruimenboom"


@dataclasses.dataclass
class Foreign:
    """Rows under another case (``world.other_case``), which this case's director does not see."""

    offence: Offence
    detention: Detention
    goal: Goal
    action: Action
    journal: JournalEntry
    team_entry: CaseTeamMember


@pytest.fixture(scope="module")
def foreign(world: World, django_db_blocker) -> Iterator[Foreign]:
    with django_db_blocker.unblock():  # inside the world's transaction: rolled back with it
        other = world.other_case
        director = other.case_director
        goal = f.GoalFactory(plan=other.plan, description=FOREIGN_TEXT, created_by=director)
        yield Foreign(
            offence=f.OffenceFactory(case=other, description=FOREIGN_TEXT),
            detention=f.DetentionFactory(case=other, institution=FOREIGN_TEXT),
            goal=goal,
            action=f.ActionFactory(goal=goal, description=FOREIGN_TEXT, created_by=director),
            journal=f.JournalEntryFactory(case=other, author=director, text=FOREIGN_TEXT),
            team_entry=CaseTeamMember.objects.get(case=other, organisation__code="altrecht"),
        )


def api(world: World, subject: Subject) -> Any:
    from rest_framework.test import APIClient

    return signed_in(world.user(subject), APIClient())


def browser(world: World, subject: Subject) -> Client:
    return signed_in(world.user(subject), Client())


# --- Another case's ids in this case's URLs -------------------------------------------------------

FOREIGN_ROWS = [
    ("offences", "offence", {"outcome": "sepot"}, POLITIE),
    ("detentions", "detention", {"institution": "Elders"}, DIRECTOR),
    ("goals", "goal", {"achieved": True}, DIRECTOR),
    ("actions", "action", {"status": "afgerond"}, DIRECTOR),
    ("journal", "journal", None, DIRECTOR),
    ("team", "team_entry", None, DIRECTOR),
]


def snapshot(row: Any) -> dict[str, Any]:
    return {k: v for k, v in type(row).objects.filter(pk=row.pk).values().get().items() if k != "updated_at"}


@pytest.mark.parametrize(("resource", "attribute", "patch", "subject"), FOREIGN_ROWS, ids=[row[0] for row in FOREIGN_ROWS])
def test_another_cases_row_under_this_case_is_404(world, foreign, resource, attribute, patch, subject):
    """A member who may read and write ``resource`` in this case puts another case's row id in its URL."""
    row = getattr(foreign, attribute)
    client = api(world, subject)
    url = world.url(resource, row.pk)
    before = snapshot(row)

    responses = [logged(lambda: client.get(url))]
    if patch is not None:
        responses.append(logged(lambda: client.patch(url, patch, format="json")))
    if resource == "team":
        responses.append(logged(lambda: client.delete(url)))

    for response, rows in responses:
        assert response.status_code == 404, body(response)
        assert FOREIGN_TEXT not in body(response)
        assert [r.outcome for r in rows] == [Outcome.DENIED]
    assert snapshot(row) == before
    assert client.get(world.url(resource)).status_code == 200  # the same member reads this case's own rows


BROWSER_FOREIGN = [
    ("detention_edit", "detention", "get"),
    ("goal_edit", "goal", "get"),
    ("action_add", "goal", "get"),
    ("action_edit", "action", "get"),
    ("team_remove", "team_entry", "post"),
]


@pytest.mark.parametrize(("view", "attribute", "method"), BROWSER_FOREIGN, ids=[row[0] for row in BROWSER_FOREIGN])
def test_another_cases_row_in_a_browser_url_is_404(world, foreign, view, attribute, method):
    row = getattr(foreign, attribute)
    client = browser(world, DIRECTOR)
    before = snapshot(row)

    response, rows = logged(lambda: getattr(client, method)(reverse(view, args=[world.case.pk, row.pk])))

    assert response.status_code == 404
    assert FOREIGN_TEXT not in body(response)
    assert len(rows) == 1
    assert snapshot(row) == before
    if view == "team_remove":  # and with the form fields filled in, the same
        response = client.post(reverse(view, args=[world.case.pk, row.pk]), {"ends_on": timezone.localdate().isoformat()})
        assert response.status_code == 404 and snapshot(row) == before


def test_another_cases_goal_in_an_action_body_is_400_even_when_the_caller_directs_both(world):
    sibling = f.CaseFactory(lokale_pga=True, case_director=world.director)
    goal = f.GoalFactory(plan=sibling.plan, description="Doel van de andere casus", created_by=world.director)
    client = api(world, DIRECTOR)
    payload = {"goal": str(goal.pk), "description": "Verkeerd geplaatst", "owning_organisation": "jou", "kind": "grenzen_stellen"}
    count = Action.objects.count()

    response, rows = logged(lambda: client.post(world.url("actions"), payload, format="json"))

    assert response.status_code == 400
    assert "goal" in response.json()
    assert Action.objects.count() == count
    assert len(rows) == 1


def test_a_browser_action_under_another_cases_goal_is_404(world):
    sibling = f.CaseFactory(lokale_pga=True, case_director=world.director)
    goal = f.GoalFactory(plan=sibling.plan, description="Doel van de andere casus", created_by=world.director)
    data = {"description": "Verkeerd geplaatst", "owning_organisation": f.organisation("jou").pk, "kind": "grenzen_stellen"}
    count = Action.objects.count()

    response = browser(world, DIRECTOR).post(reverse("action_add", args=[world.case.pk, goal.pk]), data)

    assert response.status_code == 404
    assert Action.objects.count() == count


# --- Organisations and authors the server decides ------------------------------------------------


def test_a_smuggled_journal_organisation_and_author_are_ignored(world):
    jou = world.user(JOU)
    payload = {"text": "Gesproken bij de skatebaan", "organisation": "altrecht", "author": world.director.username}

    response = api(world, JOU).post(world.url("journal"), payload, format="json")

    assert response.status_code == 201, body(response)
    entry = JournalEntry.objects.get(pk=response.json()["id"])
    assert (entry.organisation, entry.author) == (jou.organisation, jou)
    assert (response.json()["organisation"], response.json()["author"]) == ("jou", jou.username)


def test_a_smuggled_organisation_in_the_journal_form_is_ignored(world):
    jou = world.user(JOU)
    data = {
        "kind": "notitie",
        "occurred_on": timezone.localdate().isoformat(),
        "text": "Via het formulier",
        "category": "plan",
        "organisation": f.organisation("altrecht").pk,
        "author": world.director.pk,
    }

    response = browser(world, JOU).post(reverse("journal_add", args=[world.case.pk]), data)

    assert response.status_code == 302
    entry = JournalEntry.objects.get(text="Via het formulier")
    assert (entry.organisation, entry.author) == (jou.organisation, jou)


@pytest.mark.parametrize("resource", ["offences", "detentions"])
def test_a_smuggled_source_organisation_and_recorder_are_ignored(world, resource):
    politie = world.user(POLITIE)
    payload: dict[str, Any] = {"source_organisation": "openbaar-ministerie", "recorded_by": world.director.username}
    if resource == "offences":
        payload |= {"committed_on": (timezone.localdate() - dt.timedelta(days=2)).isoformat(), "offence_type": "sr-310"}
    else:
        payload |= {"institution": "PI Zwolle", "started_on": (timezone.localdate() - dt.timedelta(days=2)).isoformat()}

    response = api(world, POLITIE).post(world.url(resource), payload, format="json")

    assert response.status_code == 201, body(response)
    model = Offence if resource == "offences" else Detention
    stored = model.objects.get(pk=response.json()["id"])
    assert stored.source_organisation == politie.organisation
    assert stored.recorded_by == politie
    assert response.json()["source_organisation"] == "politie-midden-nederland"


def test_a_smuggled_source_organisation_does_not_let_another_organisation_correct_an_offence(world):
    """Only the source organisation corrects an offence; naming itself the source in the body changes nothing."""
    straf_outside_team = world.user(Subject("partner_straf", "named"))  # Openbaar Ministerie, named in the team
    payload = {"outcome": "sepot", "source_organisation": straf_outside_team.organisation.code}

    response = api(world, Subject("partner_straf", "named")).patch(
        world.url("offences", world.offence.pk), payload, format="json"
    )

    assert response.status_code == 403
    offence = Offence.objects.get(pk=world.offence.pk)
    assert (offence.outcome, offence.source_organisation.code) == ("open", "politie-midden-nederland")


# --- Repeated query parameters ----------------------------------------------------------------------


BY_NAME = ["Aardappel", "Zuurkool", "Zwaluwenburg"]
BY_LAST_OFFENCE = ["Zuurkool", "Zwaluwenburg", "Aardappel"]


@pytest.fixture
def ordered(world: World) -> None:
    """Two more cases with JoU (sociaal) and Altrecht (zorg) in the team. By name: Aardappel, Zuurkool,
    Zwaluwenburg; by the last offence, newest first: Zuurkool, Zwaluwenburg, Aardappel."""
    for surname, days in (("Aardappel", 400), ("Zuurkool", 5)):
        case = f.CaseFactory(lokale_pga=True, case_director=world.director, person=f.PersonFactory(surname=surname))
        f.OffenceFactory(case=case, committed_on=timezone.localdate() - dt.timedelta(days=days))
        for code in ("jou", "altrecht"):
            f.TeamMemberFactory(case=case, organisation=f.organisation(code), added_by=world.director)


def surnames(response: Any) -> list[str]:
    """The surnames of the ``ordered`` cases in the order of the response (other cases left out)."""
    ids = [uuid.UUID(row["person"]) for row in response.json()["results"]]
    names = dict(Person.objects.filter(pk__in=ids).values_list("pk", "surname"))
    return [names[person] for person in ids if names[person] in BY_NAME]


@pytest.mark.parametrize(
    "query",
    [
        "ordering=naam&ordering=-laatste_delict",
        "ordering=-laatste_delict&ordering=naam",
        "ordering=-laatste_delict&ordering=-laatste_delict",
        "naam=a&naam=b",
        "naam=Zuurkool&naam=Aardappel&ordering=-laatste_delict",
        "page=1&page=2",
        "page=2&page=1",
        "page_size=1&page_size=abc",
        "ordering=naam&ordering=naam&page=1&page=1&naam=&naam=",
    ],
)
@pytest.mark.parametrize("subject", [JOU, ALTRECHT], ids=str)
def test_repeated_query_parameters_never_fail_and_never_order_by_a_hidden_column(world, ordered, subject, query):
    response, rows = logged(lambda: api(world, subject).get(f"{API}/cases/?{query}"))

    assert response.status_code in (200, 404), body(response)  # 404: a page past the last one
    assert response["Content-Type"].startswith("application/json")
    assert len(rows) <= 1
    if response.status_code != 200:
        return
    order = surnames(response)
    assert order == sorted(order) or order == [name for name in BY_LAST_OFFENCE if name in order]
    if subject == JOU:  # the sociaal partner does not see the last offence: its order never shows through
        assert order == [name for name in BY_NAME if name in order]
        assert "last_offence_on" not in body(response)
    if "laatste_delict" in query.rsplit("ordering=", 1)[-1] and subject == ALTRECHT and "page=2" not in query:
        assert order == [name for name in BY_LAST_OFFENCE if name in order]  # the zorg partner may sort on the date it sees


@pytest.mark.parametrize(
    "query", ["sortering=naam&sortering=-laatste_delict", "sortering=-laatste_delict&sortering=-laatste_delict"]
)
def test_repeated_sorting_in_the_browser_caseload_never_orders_by_a_hidden_column(world, ordered, query):
    response = browser(world, JOU).get(f"{reverse('caseload')}?{query}&pagina=1&pagina=2")

    assert response.status_code == 200
    assert response.context["ordering"] == "naam"
    html = body(response)
    positions = [html.index(name) for name in BY_NAME]
    assert positions == sorted(positions)


# --- A journal entry of a category the caller cannot read --------------------------------------


@pytest.mark.parametrize(
    ("subject", "category"),
    [
        (JOU, Category.ZORG),
        (JOU, Category.JUSTITIEEL),
        (ALTRECHT, Category.SOCIAAL),
        (POLITIE, Category.ZORG),
        (POLITIE, Category.SOCIAAL),
    ],
    ids=str,
)
def test_a_journal_entry_of_an_unread_category_is_404(world, subject, category):
    entry = world.journal[category]

    response, rows = logged(lambda: api(world, subject).get(world.url("journal", entry.pk)))

    assert response.status_code == 404
    assert entry.text not in body(response)
    assert [r.outcome for r in rows] == [Outcome.DENIED]


def test_unknown_and_malformed_ids_are_404_not_500(world):
    client = api(world, DIRECTOR)
    for url in (
        world.url("offences", "not-a-uuid"),
        world.url("journal", "1 OR 1=1"),
        f"{API}/cases/../persons/x/",
        world.url("team", "00000000-0000-0000-0000-000000000000"),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
