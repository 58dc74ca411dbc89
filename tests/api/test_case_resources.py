"""Access to a case and everything under it, as an exhaustive matrix: route × role.

For every route: anonymous callers get 401; outsiders, members of another case's team, and the
administrator and privacy officer of an organisation in the team get 404 and change nothing; a team
member without the right gets 403 (405 where the method does not exist) and changes nothing; a
permitted member succeeds and the change is in the database (issue #2, "Who may see and do what").

The sharing matrix (DOMAIN.md §8, issue #4) narrows it: offences and detentions are justitieel, so
the sociaal partner (JoU) gets 403 on every method of them; an assessment holds zorg and sociaal
scores, so only the director (who writes every category) records one. ``tests/api/test_sharing.py``
checks the values of forbidden categories are absent from the bodies.
"""

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from cases.models import Action, Assessment, Case, CaseTeamMember, Detention, Goal, JournalEntry, Offence, Person

from .conftest import HIDDEN, ROLES, World, client_for, days_ago

ALL_MEMBERS = frozenset({"director", "politie", "jou"})
NOBODY: frozenset[str] = frozenset()


@dataclasses.dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: Callable[[World], str]
    shows: Callable[[World], Any] | None = None  # reads: the id the body must contain
    writers: frozenset[str] = NOBODY  # writes: roles that may
    payload: Callable[[World], dict[str, Any]] | None = None
    effect: Callable[[World], bool] | None = None  # writes: True once the change is in the database
    success: int = 200
    refused: int = 403  # a member without the right; 405 where the method does not exist
    readers: frozenset[str] = ALL_MEMBERS  # whom the sharing matrix shows the resource at all (others: 403)

    def __str__(self) -> str:
        return f"{self.method} {self.name}"

    def expected(self, role: str) -> int:
        if role == "anonymous":
            return 401
        if role in HIDDEN:
            return 404
        if role not in self.readers:
            return 403
        if self.shows is not None or role in self.writers:
            return self.success
        return self.refused


def read(name: str, path: Callable[[World], str], shows: Callable[[World], Any], readers: frozenset[str] = ALL_MEMBERS) -> Route:
    return Route(name, "GET", path, shows=shows, readers=readers)


JUSTICE_READERS = frozenset({"director", "politie"})  # the matrix: justitieel for directors and straf partners


def fresh(model: type, pk: Any) -> Any:
    return model.objects.get(pk=pk)


ROUTES = [
    # The case and its person
    read("case", lambda w: w.url(), lambda w: w.case.pk),
    Route(
        "case",
        "PATCH",
        lambda w: w.url(),
        writers=frozenset({"director"}),
        payload=lambda w: {"target_group": "top_x", "reason": "Vaker in beeld"},
        effect=lambda w: fresh(Case, w.case.pk).target_group == "top_x",
    ),
    Route(
        "case",
        "PUT",
        lambda w: w.url(),
        writers=frozenset({"director"}),
        payload=lambda w: {"target_group": "top_x"},
        effect=lambda w: fresh(Case, w.case.pk).target_group == "top_x",
    ),
    Route(
        "case",
        "DELETE",
        lambda w: w.url(),
        refused=405,
        effect=lambda w: not Case.objects.filter(pk=w.case.pk).exists(),
    ),
    read("person", lambda w: f"/api/v1/persons/{w.case.person_id}/", lambda w: w.case.person_id),
    Route(
        "person",
        "PATCH",
        lambda w: f"/api/v1/persons/{w.case.person_id}/",
        writers=frozenset({"director"}),
        payload=lambda w: {"lvb": True},
        effect=lambda w: fresh(Person, w.case.person_id).lvb,
    ),
    # Offences: straf partners record; only the source organisation corrects
    read("offences", lambda w: w.url("offences"), lambda w: w.offence.pk, JUSTICE_READERS),
    Route(
        "offences",
        "POST",
        lambda w: w.url("offences"),
        writers=frozenset({"politie"}),
        payload=lambda w: {"committed_on": days_ago(5), "offence_type": "sr-312", "description": "Via de API"},
        effect=lambda w: Offence.objects.filter(case=w.case, description="Via de API").exists(),
        success=201,
        readers=JUSTICE_READERS,
    ),
    read("offence", lambda w: w.url("offences", w.offence.pk), lambda w: w.offence.pk, JUSTICE_READERS),
    Route(
        "offence",
        "PATCH",
        lambda w: w.url("offences", w.offence.pk),
        writers=frozenset({"politie"}),
        payload=lambda w: {"outcome": "sepot"},
        effect=lambda w: fresh(Offence, w.offence.pk).outcome == "sepot",
        readers=JUSTICE_READERS,
    ),
    Route(
        "offence",
        "DELETE",
        lambda w: w.url("offences", w.offence.pk),
        refused=405,
        effect=lambda w: not Offence.objects.filter(pk=w.offence.pk).exists(),
        readers=JUSTICE_READERS,
    ),
    # Detentions: straf partners and the directors
    read("detentions", lambda w: w.url("detentions"), lambda w: w.detention.pk, JUSTICE_READERS),
    Route(
        "detentions",
        "POST",
        lambda w: w.url("detentions"),
        writers=frozenset({"director", "politie"}),
        payload=lambda w: {"institution": "PI Vught", "started_on": days_ago(3)},
        effect=lambda w: Detention.objects.filter(case=w.case, institution="PI Vught").exists(),
        success=201,
        readers=JUSTICE_READERS,
    ),
    read("detention", lambda w: w.url("detentions", w.detention.pk), lambda w: w.detention.pk, JUSTICE_READERS),
    Route(
        "detention",
        "PATCH",
        lambda w: w.url("detentions", w.detention.pk),
        writers=frozenset({"director", "politie"}),
        payload=lambda w: {"released_on": timezone.localdate().isoformat()},
        effect=lambda w: fresh(Detention, w.detention.pk).released_on is not None,
        readers=JUSTICE_READERS,
    ),
    # The plan: the directors edit goals and actions; the owning organisation updates its actions
    read("goals", lambda w: w.url("goals"), lambda w: w.goal.pk),
    Route(
        "goals",
        "POST",
        lambda w: w.url("goals"),
        writers=frozenset({"director"}),
        payload=lambda w: {"leefgebied": "inkomen", "description": "Schuldenplan"},
        effect=lambda w: Goal.objects.filter(plan__case=w.case, description="Schuldenplan").exists(),
        success=201,
    ),
    read("goal", lambda w: w.url("goals", w.goal.pk), lambda w: w.goal.pk),
    Route(
        "goal",
        "PATCH",
        lambda w: w.url("goals", w.goal.pk),
        writers=frozenset({"director"}),
        payload=lambda w: {"achieved": True},
        effect=lambda w: fresh(Goal, w.goal.pk).achieved,
    ),
    read("actions", lambda w: w.url("actions"), lambda w: w.action.pk),
    Route(
        "actions",
        "POST",
        lambda w: w.url("actions"),
        writers=frozenset({"director"}),
        payload=lambda w: {
            "goal": str(w.goal.pk),
            "description": "Buddy zoeken",
            "owning_organisation": "jou",
            "kind": "perspectief_bieden",
        },
        effect=lambda w: Action.objects.filter(goal=w.goal, description="Buddy zoeken").exists(),
        success=201,
    ),
    read("action", lambda w: w.url("actions", w.action.pk), lambda w: w.action.pk),
    Route(
        "action",
        "PATCH",
        lambda w: w.url("actions", w.action.pk),
        writers=frozenset({"director", "jou"}),  # the action is JoU's
        payload=lambda w: {"status": "lopend"},
        effect=lambda w: fresh(Action, w.action.pk).status == "lopend",
    ),
    # Assessments: who writes zorg, sociaal and plan (the director); the journal: every team member writes
    # (in plan, the default category); nothing is edited afterwards
    read("assessments", lambda w: w.url("assessments"), lambda w: w.assessment.pk),
    Route(
        "assessments",
        "POST",
        lambda w: w.url("assessments"),
        writers=frozenset({"director"}),
        payload=lambda w: {
            "dagbesteding": 3,
            "zorg": 2,
            "huisvesting": 4,
            "identiteitsbewijs": 5,
            "inkomen": 1,
            "motivatie": 2,
            "note": "Via de API",
        },
        effect=lambda w: Assessment.objects.filter(case=w.case, note="Via de API").exists(),
        success=201,
    ),
    read("assessment", lambda w: w.url("assessments", w.assessment.pk), lambda w: w.assessment.pk),
    Route(
        "assessment",
        "PATCH",
        lambda w: w.url("assessments", w.assessment.pk),
        refused=405,
        payload=lambda w: {"inkomen": 5},
        effect=lambda w: fresh(Assessment, w.assessment.pk).inkomen == 5,
    ),
    read("journal", lambda w: w.url("journal"), lambda w: w.journal.pk),
    Route(
        "journal",
        "POST",
        lambda w: w.url("journal"),
        writers=ALL_MEMBERS,
        payload=lambda w: {"text": "Contactmoment via de API", "kind": "contact"},
        effect=lambda w: JournalEntry.objects.filter(case=w.case, text="Contactmoment via de API").exists(),
        success=201,
    ),
    read("journal entry", lambda w: w.url("journal", w.journal.pk), lambda w: w.journal.pk),
    Route(
        "journal entry",
        "DELETE",
        lambda w: w.url("journal", w.journal.pk),
        refused=405,
        effect=lambda w: not JournalEntry.objects.filter(pk=w.journal.pk).exists(),
    ),
    # The team: the directors manage it
    read("team", lambda w: w.url("team"), lambda w: w.team_entry.pk),
    Route(
        "team",
        "POST",
        lambda w: w.url("team"),
        writers=frozenset({"director"}),
        payload=lambda w: {"organisation": "altrecht"},
        effect=lambda w: CaseTeamMember.objects.filter(case=w.case, organisation__code="altrecht").exists(),
        success=201,
    ),
    read("team entry", lambda w: w.url("team", w.team_entry.pk), lambda w: w.team_entry.pk),
    Route(
        "team entry",
        "DELETE",
        lambda w: w.url("team", w.team_entry.pk),
        writers=frozenset({"director"}),
        effect=lambda w: fresh(CaseTeamMember, w.team_entry.pk).ends_on is not None,
        success=204,
    ),
]


def call(client, route: Route, world: World):
    payload = route.payload(world) if route.payload else None
    return getattr(client, route.method.lower())(route.path(world), payload, format="json")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_access_matrix(world, route, role):
    expected = route.expected(role)
    person_name = world.case.person.surname

    response = call(client_for(world.users.get(role)), route, world)

    assert response.status_code == expected, response.content
    if route.effect is not None:
        assert route.effect(world) is (expected == route.success)
    if route.shows is not None and expected == 200:
        assert str(route.shows(world)) in response.content.decode()
    if expected in (401, 404):
        assert set(response.json()) == {"detail"}
        assert person_name not in response.content.decode()


NESTED = [
    ("offences", "offence", {"outcome": "sepot"}, lambda w: fresh(Offence, w.offence.pk).outcome == "sepot"),
    ("detentions", "detention", {"institution": "Elders"}, lambda w: fresh(Detention, w.detention.pk).institution == "Elders"),
    ("goals", "goal", {"achieved": True}, lambda w: fresh(Goal, w.goal.pk).achieved),
    ("actions", "action", {"status": "afgerond"}, lambda w: fresh(Action, w.action.pk).status == "afgerond"),
    ("assessments", "assessment", None, None),
    ("journal", "journal", None, None),
    ("team", "team_entry", None, None),
]


@pytest.mark.parametrize(("resource", "attribute", "patch", "effect"), NESTED, ids=[row[0] for row in NESTED])
def test_rows_of_a_case_are_not_reachable_through_another_case(world, resource, attribute, patch, effect):
    """The director of the other case sees only that case's rows, even with this case's row ids."""
    row = getattr(world, attribute)
    client = client_for(world.other_case.case_director)
    other = f"/api/v1/cases/{world.other_case.pk}/{resource}/"

    listed = client.get(other)
    detail = client.get(f"{other}{row.pk}/")

    assert listed.status_code == 200
    assert str(row.pk) not in listed.content.decode()
    assert detail.status_code == 404
    if patch is not None:
        assert client.patch(f"{other}{row.pk}/", patch, format="json").status_code == 404
        assert not effect(world)


def test_team_delete_ends_the_membership_yesterday_and_keeps_the_history(world):
    client = client_for(world.users["director"])

    response = client.delete(world.url("team", world.team_entry.pk))

    assert response.status_code == 204
    entry = fresh(CaseTeamMember, world.team_entry.pk)
    assert entry.ends_on == timezone.localdate() - dt.timedelta(days=1)
    listed = client.get(world.url("team")).json()["results"]
    assert str(entry.pk) not in [row["id"] for row in listed]
    assert client.get(world.url("team", entry.pk)).status_code == 404
    # Politie left the team: its partner no longer sees the case.
    assert client_for(world.users["politie"]).get(world.url()).status_code == 404


def test_offence_is_shown_with_codes_and_derived_flags(world):
    response = client_for(world.users["politie"]).get(world.url("offences", world.offence.pk))

    assert response.json() == {
        "id": str(world.offence.pk),
        "committed_on": world.offence.committed_on.isoformat(),
        "offence_type": "sr-310",
        "outcome": "open",
        "description": "",
        "source_organisation": "politie-midden-nederland",
        "serious": True,
        "drug_related": False,
        "violent": False,
        "counts": True,
        "recorded_at": response.json()["recorded_at"],
        "legal_basis": "",  # recorded by the factory, not through the service: no matrix cell
    }


def test_recorded_offence_takes_the_callers_organisation_as_source(world):
    response = client_for(world.users["politie"]).post(
        world.url("offences"), {"committed_on": days_ago(1), "offence_type": "opw-10-3"}, format="json"
    )

    assert response.status_code == 201, response.content
    offence = Offence.objects.get(pk=response.json()["id"])
    assert offence.source_organisation.code == "politie-midden-nederland"
    assert offence.recorded_by == world.users["politie"]
    assert response.json()["drug_related"] is True


def test_action_under_a_goal_of_another_case_is_refused(world):
    foreign_goal = Goal.objects.create(
        plan=world.other_case.plan, leefgebied="zorg", description="Elders", created_by=world.users["director"]
    )
    payload = {"goal": str(foreign_goal.pk), "description": "Verkeerd", "owning_organisation": "jou", "kind": "grenzen_stellen"}

    response = client_for(world.users["director"]).post(world.url("actions"), payload, format="json")

    assert response.status_code == 400
    assert response.json() == {"goal": ["Onbekend doel."]}
    assert not Action.objects.filter(description="Verkeerd").exists()


def test_action_owner_may_not_change_what_only_the_directors_change(world):
    response = client_for(world.users["jou"]).patch(
        world.url("actions", world.action.pk), {"description": "Anders"}, format="json"
    )

    assert response.status_code == 400
    assert "description" in response.json()
    assert fresh(Action, world.action.pk).description != "Anders"


def test_action_stays_under_its_goal(world):
    other_goal = Goal.objects.create(
        plan=world.case.plan, leefgebied="zorg", description="Ander doel", created_by=world.users["director"]
    )

    response = client_for(world.users["director"]).patch(
        world.url("actions", world.action.pk), {"goal": str(other_goal.pk)}, format="json"
    )

    assert response.status_code == 400
    assert "goal" in response.json()
    assert fresh(Action, world.action.pk).goal_id == world.goal.pk


def test_journal_entry_records_author_and_organisation(world):
    response = client_for(world.users["jou"]).post(world.url("journal"), {"text": "Gesproken op straat"}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["author"], body["organisation"], body["kind"]) == ("jongerenwerker", "jou", "notitie")
    assert body["occurred_on"] == timezone.localdate().isoformat()


def test_team_entry_for_a_named_user(world):
    response = client_for(world.users["director"]).post(world.url("team"), {"user": "jongerenwerker"}, format="json")

    assert response.status_code == 201, response.content
    assert CaseTeamMember.objects.filter(case=world.case, user=world.users["jou"], ends_on__isnull=True).exists()


def test_team_entry_is_an_organisation_or_a_user_not_both(world):
    count = CaseTeamMember.objects.count()

    response = client_for(world.users["director"]).post(
        world.url("team"), {"user": "agent", "organisation": "altrecht"}, format="json"
    )

    assert response.status_code == 400
    assert "detail" in response.json()
    assert CaseTeamMember.objects.count() == count


def test_nested_list_runs_a_constant_number_of_queries(world, django_assert_max_num_queries):
    from tests import factories as f

    for _ in range(30):
        f.OffenceFactory(case=world.case, recorded_by=world.users["politie"])
    client = client_for(world.users["director"])

    # Session, user, organisation, the case, the sharing matrix, count and page, the access-log row and
    # its subjects, and the request's savepoint and release (its transaction, issue #4): 11 for 31 rows.
    with django_assert_max_num_queries(12):  # + the second-factor device (issue #7)
        response = client.get(world.url("offences"), {"page_size": 100})

    assert len(response.json()["results"]) == 31
