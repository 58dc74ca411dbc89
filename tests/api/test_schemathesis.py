"""Schemathesis against the OpenAPI schema the API publishes at ``/api/v1/schema/`` (issue #7).

Every operation of the schema is called in-process through the Django WSGI application, as a partner
application (Politie Midden-Nederland, in the team of the ``world`` case) with a bearer token of scope
``read write``. The path parameters are the ids of real rows the application may see (the case, its
offence, goal, team entry, …), so many calls reach 200/201 and their bodies are checked against the
schema; the bodies and queries are generated from the schema, valid (positive) and invalid (negative).
A few runs go as an outsider application (404), with a read-only token (403) and without a token (401).

Checks on every response: no server error, a documented status code, a documented Content-Type, a
body that matches the documented schema, and documented response headers (schemathesis'
``response_headers_conformance``). ASVS 4.0.3 V13.1.5 (requests and responses match the contract),
V13.2.5 (content type) and V7.4.1 (no stack traces).

Bounded for CI: Hypothesis runs derandomized (a fixed seed), without shrinking or its example database,
with ``MAX_EXAMPLES`` valid and ``NEGATIVE_EXAMPLES`` invalid cases per operation. Each example runs
in a savepoint that is rolled back, so every example sees the same world.
"""

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from escalation import services as escalation_services
from partners.services import partner_application_create
from tests import factories as f

from .conftest import PartnerApp, World

SCHEMA_URL = "/api/v1/schema/"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
MAX_EXAMPLES = 8
NEGATIVE_EXAMPLES = 4
METHODS = ("get", "put", "patch", "post", "delete")


def _operations() -> list[tuple[str, str, bool]]:
    """``(METHOD, path, takes_input)`` of every operation, read at collection time from the generator the
    schema view uses (no request needed); the tests themselves load the schema over HTTP. ``takes_input``:
    the operation has a body or a query parameter, so schemathesis can make invalid (negative) cases."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (
            method.upper(),
            path,
            "requestBody" in operation or any(parameter["in"] != "path" for parameter in operation.get("parameters", [])),
        )
        for path, operations in generated["paths"].items()
        for method, operation in operations.items()
        if method in METHODS
    ]


OPERATIONS = _operations()
IDS = [f"{method} {path}" for method, path, _ in OPERATIONS]


class InTestTransaction:
    """The project's WSGI application, sharing the test's database connection and transaction.

    Django closes "old" connections when a request starts and when its response is closed; inside a
    test transaction that would drop the connection. Like Django's own test client, this disconnects
    that handler for the duration of one request, response included.
    """

    def __init__(self) -> None:
        self.handler = WSGIHandler()

    def __call__(self, environ: dict, start_response: Callable) -> list[bytes]:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = self.handler(environ, start_response)
            try:
                return list(response)
            finally:
                response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def published_schema(django_db_setup, django_db_blocker):
    """The schema as the application publishes it, fetched once over WSGI and bound to the in-process
    application. The schema view writes nothing; its request's transaction is rolled back anyway."""
    with django_db_blocker.unblock(), transaction.atomic():
        schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, InTestTransaction())
        transaction.set_rollback(True)
    return schema


@pytest.fixture
def api_schema(published_schema, db, settings):
    settings.PGA_API_RATE = "100000/min"  # schemathesis' calls must not run into the general rate limit
    return published_schema


@dataclasses.dataclass
class Ids:
    """Path parameters per path template: the rows of ``world`` the partner may see."""

    by_path: dict[str, dict[str, str]]

    def for_path(self, path: str) -> dict[str, str]:
        return self.by_path.get(path, {})


@pytest.fixture
def ids(world: World) -> Ids:
    """``world`` plus a proposal, a decision (with its stored advice) and a casusoverleg with the case on
    its agenda, so every route has a real id, and every list a row, that the partner (Politie) may see."""
    chair = f.UserFactory(process_director=True)
    f.TeamMemberFactory(case=world.case, user=chair, added_by=world.users["director"])
    politie = world.users["politie"].organisation
    conference = escalation_services.conference_create(
        actor=chair, starts_at=timezone.now() + dt.timedelta(days=1), organisations=[politie]
    )
    escalation_services.agenda_item_add(actor=chair, conference=conference, case=world.case)
    escalation_services.proposal_create(
        actor=world.users["politie"], case=world.case, to_tier="zvhru", rationale="Drie woninginbraken"
    )
    escalation_services.decision_make(
        actor=world.users["director"],
        case=world.case,
        from_tier="lokale_pga",
        to_tier="basisinzet",
        rationale="Stabiel sinds een jaar",
    )
    case = str(world.case.pk)
    under_case = {
        "offences": world.offence,
        "detentions": world.detention,
        "goals": world.goal,
        "actions": world.action,
        "assessments": world.assessment,
        "journal": world.journal,
        "team": world.team_entry,
    }
    by_path = {"/api/v1/cases/{id}/": {"id": case}, "/api/v1/persons/{id}/": {"id": str(world.case.person_id)}}
    by_path["/api/v1/conferences/{conference_id}/items/"] = {"conference_id": str(conference.pk)}
    for _, path, _ in OPERATIONS:
        if path.startswith("/api/v1/cases/{case_id}/"):
            by_path[path] = {"case_id": case}
            resource = path.split("/")[5]
            if path.endswith("{id}/"):
                by_path[path]["id"] = str(under_case[resource].pk)
    return Ids(by_path)


def outsider_app() -> PartnerApp:
    """An application of Reclassering Nederland, whose organisation is in no team of ``world``."""
    application, secret = partner_application_create(
        organisation=f.organisation("reclassering-nederland"), name="Reclassering-koppeling"
    )
    return PartnerApp(application.client_id, secret, application.user)


def run(
    api_schema,
    method: str,
    path: str,
    *,
    path_parameters: dict[str, str],
    token: str | None,
    mode: GenerationMode = GenerationMode.POSITIVE,
    max_examples: int = MAX_EXAMPLES,
    expect: Callable[[int], bool] = lambda status: True,
) -> list[int]:
    """Call ``method path`` with generated cases and validate every response; returns the status codes.

    ``expect`` must hold for every status code (e.g. "is 404" for an outsider). Raises the first
    failing check (schemathesis' ``FailureGroup``, with a curl command to reproduce it).
    """
    operation = api_schema[path][method]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    statuses: list[int] = []

    @settings(
        max_examples=max_examples,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
    def call(case):
        with transaction.atomic():
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            transaction.set_rollback(True)  # every example starts from the same world
        statuses.append(response.status_code)
        assert expect(response.status_code), f"{method} {path}: {response.status_code} {response.text[:500]}"

    call()
    return statuses


@pytest.mark.parametrize(("method", "path", "takes_input"), OPERATIONS, ids=IDS)
def test_partner_application_gets_documented_answers(api_schema, ids, politie_app, method, path, takes_input):
    token = politie_app.token("read write")

    valid = run(api_schema, method, path, path_parameters=ids.for_path(path), token=token)
    invalid = (
        run(
            api_schema,
            method,
            path,
            path_parameters=ids.for_path(path),
            token=token,
            mode=GenerationMode.NEGATIVE,
            max_examples=NEGATIVE_EXAMPLES,
        )
        if takes_input
        else []
    )

    assert len(valid) >= 1 and len(invalid) >= (1 if takes_input else 0)
    if method == "GET":
        assert 200 in valid, f"no example reached the data: {sorted(valid)}"


UNDER_A_CASE = [(method, path) for method, path, _ in OPERATIONS if path.startswith("/api/v1/cases/{")]


@pytest.mark.parametrize(("method", "path"), UNDER_A_CASE)
def test_outsider_application_gets_404_under_a_case_it_is_not_in(api_schema, ids, method, path):
    token = outsider_app().token("read write")

    statuses = run(
        api_schema,
        method,
        path,
        path_parameters=ids.for_path(path),
        token=token,
        max_examples=1,
        expect=lambda status: status == 404,
    )

    assert statuses


@pytest.mark.parametrize(("method", "path"), [(method, path) for method, path, _ in OPERATIONS if method != "GET"])
def test_read_only_token_gets_403_on_writes(api_schema, politie_app, method, path):
    """The scope is checked before the case is looked up, so the generated ids do for the path."""
    token = politie_app.token("read")
    read_scope_suffices = path == "/api/v1/persons/check/"  # a question, not a change (pga.api.permissions)

    statuses = run(
        api_schema,
        method,
        path,
        path_parameters={},
        token=token,
        max_examples=1,
        expect=lambda status: (status != 403) if read_scope_suffices else status == 403,
    )

    assert statuses


@pytest.mark.parametrize(("method", "path"), [(method, path) for method, path, _ in OPERATIONS], ids=IDS)
def test_without_a_token_every_operation_answers_401(api_schema, method, path):
    statuses = run(
        api_schema,
        method,
        path,
        path_parameters={},
        token=None,
        max_examples=1,
        expect=lambda status: status == 401,
    )

    assert statuses
