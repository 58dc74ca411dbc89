"""API test fixtures: signed-in clients, OAuth2 tokens, and a case with everything under it.

``world`` is the case the access matrix runs against: case director, a straf partner (Politie) and a
sociaal partner (JoU) in the team; a second case whose team is Altrecht; and the people who must see
nothing of the first case — an outsider, a member of the other case's team, and the administrator
and privacy officer of an organisation that *is* in the team.
"""

import base64
import dataclasses
import datetime as dt
from collections.abc import Callable
from urllib.parse import urlencode

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import Action, Assessment, Case, CaseTeamMember, Detention, Goal, JournalEntry, Offence
from partners.models import Role, User
from partners.services import partner_application_create
from tests import factories as f

API = "/api/v1"

MEMBERS = ("director", "politie", "jou")
HIDDEN = ("outsider", "other_team", "admin_in_team", "privacy_in_team")
ROLES = (*MEMBERS, *HIDDEN, "anonymous")


@dataclasses.dataclass
class World:
    case: Case
    other_case: Case
    offence: Offence
    detention: Detention
    goal: Goal
    action: Action
    assessment: Assessment
    journal: JournalEntry
    team_entry: CaseTeamMember
    users: dict[str, User]

    def url(self, *parts: object) -> str:
        return "/".join([API, "cases", str(self.case.pk), *map(str, parts)]) + "/"


def client_for(user: User | None) -> APIClient:
    """A session client for ``user`` (the browser's authentication), or an anonymous one."""
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def api_client() -> Callable[[User | None], APIClient]:
    return client_for


@pytest.fixture
def world(db) -> World:
    politie, jou, altrecht = (f.organisation(code) for code in ("politie-midden-nederland", "jou", "altrecht"))
    director = f.UserFactory(case_director=True, username="regisseur")
    case = f.CaseFactory(lokale_pga=True, case_director=director)
    team_entry = f.TeamMemberFactory(case=case, organisation=politie, added_by=director)
    f.TeamMemberFactory(case=case, organisation=jou, added_by=director)
    other_case = f.CaseFactory(lokale_pga=True)
    f.TeamMemberFactory(case=other_case, organisation=altrecht, added_by=other_case.case_director)
    goal = f.GoalFactory(plan=case.plan, created_by=director)
    users = {
        "director": director,
        "politie": f.UserFactory(politie=True, username="agent"),
        "jou": f.UserFactory(jou=True, username="jongerenwerker"),
        "outsider": f.UserFactory(role=Role.PARTNER, organisation=f.organisation("reclassering-nederland")),
        "other_team": f.UserFactory(altrecht=True),
        "admin_in_team": f.UserFactory(administrator=True, organisation=politie),
        "privacy_in_team": f.UserFactory(privacy_officer=True, organisation=politie),
    }
    return World(
        case=case,
        other_case=other_case,
        offence=f.OffenceFactory(case=case, recorded_by=users["politie"]),
        detention=f.DetentionFactory(case=case),
        goal=goal,
        action=f.ActionFactory(goal=goal, owning_organisation=jou, created_by=director),
        assessment=f.AssessmentFactory(case=case, assessed_by=director),
        journal=f.JournalEntryFactory(case=case, author=director),
        team_entry=team_entry,
        users=users,
    )


def days_ago(days: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=days)).isoformat()


# --- OAuth2 ------------------------------------------------------------------------------------


@dataclasses.dataclass
class PartnerApp:
    client_id: str
    secret: str
    user: User

    def token_response(self, client: APIClient, scope: str = "read write"):
        credentials = base64.b64encode(f"{self.client_id}:{self.secret}".encode()).decode()
        return client.post(
            "/oauth/token/",
            urlencode({"grant_type": "client_credentials", "scope": scope}),
            content_type="application/x-www-form-urlencoded",
            HTTP_AUTHORIZATION=f"Basic {credentials}",
        )

    def token(self, scope: str = "read write") -> str:
        response = self.token_response(APIClient(), scope)
        assert response.status_code == 200, response.content
        return response.json()["access_token"]

    def client(self, scope: str = "read write") -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {self.token(scope)}")
        return client


@pytest.fixture
def politie_app(db) -> PartnerApp:
    application, secret = partner_application_create(
        organisation=f.organisation("politie-midden-nederland"), name="Politie-koppeling"
    )
    return PartnerApp(application.client_id, secret, application.user)
