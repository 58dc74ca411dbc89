"""The OpenAPI 3 schema at ``/api/v1/schema/`` and the docs UI at ``/api/v1/docs/``."""

import re

import jsonschema
import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from .conftest import client_for

SCHEMA = "/api/v1/schema/"
NESTED = ("offences", "detentions", "goals", "actions", "assessments", "journal", "team")


@pytest.fixture(scope="module")
def schema(tmp_path_factory) -> dict:
    """The schema as CI builds it: validated, and failing on any generator warning."""
    path = tmp_path_factory.mktemp("schema") / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def test_schema_has_every_resource_of_the_issue(schema):
    paths = set(schema["paths"])

    expected = {"/api/v1/cases/", "/api/v1/cases/{id}/", "/api/v1/persons/", "/api/v1/persons/{id}/"}
    for resource in NESTED:
        expected |= {f"/api/v1/cases/{{case_id}}/{resource}/", f"/api/v1/cases/{{case_id}}/{resource}/{{id}}/"}
    assert expected <= paths


def test_persons_cannot_be_created_and_nothing_is_deleted_but_team_entries(schema):
    assert "post" not in schema["paths"]["/api/v1/persons/"]
    deletes = {path for path, operations in schema["paths"].items() if "delete" in operations}
    assert deletes == {"/api/v1/cases/{case_id}/team/{id}/"}


def test_every_route_with_an_id_documents_404(schema):
    for path, operations in schema["paths"].items():
        if "{" not in path:
            continue
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert "404" in operation["responses"], f"{method.upper()} {path}"


def test_ids_in_urls_are_uuids_and_no_bsn_anywhere_in_a_url(schema):
    for path, operations in schema["paths"].items():
        assert "bsn" not in path
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                assert parameter["name"] != "bsn"
                if parameter["in"] == "path":
                    assert parameter["schema"]["format"] == "uuid", f"{parameter['name']} in {path}"


def test_writes_need_the_write_scope(schema):
    operation = schema["paths"]["/api/v1/cases/{case_id}/journal/"]

    assert {"oauth2": ["read"]} in operation["get"]["security"]
    assert {"oauth2": ["write"]} in operation["post"]["security"]
    flow = schema["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"]
    assert flow["tokenUrl"] == "/oauth/token/"


def test_reference_data_is_named_by_code(schema):
    person = schema["components"]["schemas"]["Person"]["properties"]
    offence = schema["components"]["schemas"]["Offence"]["properties"]

    assert person["wijk"]["type"] == offence["offence_type"]["type"] == "string"
    assert set(schema["components"]["schemas"]["Case"]["properties"]) >= {
        "id",
        "person",
        "tier",
        "status",
        "target_group",
        "case_director",
        "last_offence_on",
        "earliest_exit_on",
    }


def texts(node, key=None):
    """Every ``description``, ``summary`` and ``title`` anywhere in the schema, with where it is."""
    if isinstance(node, dict):
        for name, value in node.items():
            if name in ("description", "summary", "title") and isinstance(value, str):
                yield f"{key}.{name}", value
            else:
                yield from texts(value, f"{key}.{name}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from texts(item, f"{key}[{index}]")


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method != "parameters":
                yield method.upper(), path, operation


# Developer notes that must stay out of the partner documentation: RST markup, internal modules,
# drf-spectacular's English defaults, references to internal documents.
LEAKS = ("``", "services.", "selectors.", "A UUID string identifying", "DOMAIN.md", "paginated result set", "per page")


def test_no_developer_notes_in_the_documentation(schema):
    leaks = [(where, text) for where, text in texts(schema) for leak in LEAKS if leak in text]

    assert leaks == []


ENGLISH = re.compile(r"\b(the|and|list|create|retrieve|update|destroy|partial|case|person|caller|returns?)\b", re.IGNORECASE)


def test_every_operation_has_a_dutch_summary_and_description(schema):
    for method, path, operation in operations(schema):
        assert operation.get("summary"), f"{method} {path}"
        assert len(operation.get("description", "")) > len(operation["summary"]), f"{method} {path}"
        prose = re.sub(r"`[^`]*`", "", operation["summary"] + " " + operation["description"])  # field names are English
        assert not ENGLISH.search(prose), f"{method} {path}"


def test_every_operation_has_a_dutch_tag_that_is_described(schema):
    declared = {tag["name"] for tag in settings.SPECTACULAR_SETTINGS["TAGS"]}
    assert {tag["name"] for tag in schema["tags"]} == declared

    for method, path, operation in operations(schema):
        assert len(operation["tags"]) == 1 and operation["tags"][0] in declared, f"{method} {path}: {operation['tags']}"


def test_every_component_is_described(schema):
    undescribed = [name for name, component in schema["components"]["schemas"].items() if not component.get("description")]

    assert undescribed == []


def test_path_parameters_are_described_in_dutch(schema):
    for method, path, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path":
                assert parameter["description"].startswith("UUID van "), f"{parameter['name']} in {method} {path}"


def test_operations_with_a_body_document_413_and_415(schema):
    with_body = [
        (method, path, operation) for method, path, operation in operations(schema) if method in ("POST", "PUT", "PATCH")
    ]

    assert len(with_body) >= 7 + 2 + 4 + 2  # creates under a case, case writes, patches under a case, person writes
    for method, path, operation in with_body:
        assert "Het verzoek is te groot." in operation["responses"]["413"]["description"], f"{method} {path}"
        assert "415" in operation["responses"], f"{method} {path}"


def test_every_response_is_described(schema):
    for method, path, operation in operations(schema):
        for code, response in operation["responses"].items():
            assert response["description"], f"{code} of {method} {path}"


def test_pagination_is_documented(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/cases/{case_id}/journal/"]["get"]["parameters"]}

    assert "standaard 25, maximaal 100" in parameters["page_size"]["description"]
    assert parameters["page"]["description"].startswith("Paginanummer")


def test_the_introduction_guides_a_partner_developer(schema):
    guide = schema["info"]["description"]

    for topic in ("/oauth/token/", "`read`", "`write`", "`detail`", "404", "BSN", "`confirm_new_person`", "`page_size`"):
        assert topic in guide, topic


def test_schema_is_served(client, db):
    response = client.get(SCHEMA)

    assert response.status_code == 200
    assert response.content.startswith(b"openapi: 3")


def test_docs_are_served_without_a_cdn(client, db):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn." not in html
    # The init script is served separately (no inline script under the Content-Security-Policy).
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and "/api/v1/schema/" in script.content.decode()
    assert "/api/v1/docs/?script=" in html


def test_the_schema_documents_every_field_whatever_the_matrix_hides(schema):
    """Schema generation has no caller, so ``Disclosed`` keeps every field (issue #4): partner developers
    see them all, each optional in responses because the matrix may leave it out."""
    components = schema["components"]["schemas"]

    assert {"lvb", "bsn"} <= set(components["Person"]["properties"])
    assert {"zorg", "inkomen", "note", "legal_basis"} <= set(components["Assessment"]["properties"])
    assert {"last_offence_on", "earliest_exit_on", "in_detention", "care_involved"} <= set(components["Case"]["properties"])
    assert {"category", "legal_basis"} <= set(components["JournalEntry"]["properties"])
    assert "legal_basis" in components["Offence"]["properties"]
    assert {"rationale", "rationale_category"} <= set(components["Decision"]["properties"])
    assert {"notes", "notes_category"} <= set(components["AgendaItem"]["properties"])
    assert "lvb" not in components["Person"].get("required", [])


# --- Responses match the schema (found by tests/api/test_schemathesis.py, issue #7) ---------------


def documented(schema: dict, path: str, method: str, status: str) -> dict:
    """The documented body schema of one response, with the components it refers to (for jsonschema)."""
    response = schema["paths"][path][method]["responses"][status]
    return {**response["content"]["application/json"]["schema"], "components": schema["components"]}


def test_an_unreadable_body_answers_400_in_the_documented_shape(schema, world, politie_app):
    response = politie_app.client().post(world.url("journal"), "\x00", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"].startswith("Ongeldige JSON")
    jsonschema.validate(response.json(), documented(schema, "/api/v1/cases/{case_id}/journal/", "post", "400"))


def test_errors_in_a_nested_person_answer_400_in_the_documented_shape(schema, world):
    body = {"person": {"given_names": "Vin\tcent", "surname": "Bakker", "date_of_birth": "2004-03-01"}, "target_group": "top_x"}

    response = client_for(world.users["politie"]).post("/api/v1/cases/", body, format="json")

    assert response.status_code == 400
    assert set(response.json()["person"]) == {"given_names"}
    jsonschema.validate(response.json(), documented(schema, "/api/v1/cases/", "post", "400"))


def test_the_closing_reason_of_an_open_case_is_blank_and_documented_so(schema, world):
    response = client_for(world.users["politie"]).get(world.url())

    assert response.status_code == 200 and response.json()["closing_reason"] == ""
    closing_reason = schema["components"]["schemas"]["Case"]["properties"]["closing_reason"]
    jsonschema.validate("", {**closing_reason, "components": schema["components"]})


def test_fields_the_matrix_may_leave_out_are_not_required_in_responses(schema, world):
    response = client_for(world.users["politie"]).get(world.url("assessments", world.assessment.pk))

    assert response.status_code == 200
    assert "zorg" not in response.json()  # the matrix does not share zorg with the police
    components = schema["components"]["schemas"]
    for name in ("Person", "Case", "Assessment"):
        assert "required" not in components[name], name
    assert "rationale" not in components["Decision"]["required"] and "rationale" not in components["Proposal"]["required"]
    assert "notes" not in components["AgendaItem"]["required"]
    assert "required" in components["PersonRequest"]  # requests keep their required fields
    jsonschema.validate(response.json(), documented(schema, "/api/v1/cases/{case_id}/assessments/{id}/", "get", "200"))


def test_every_operation_documents_429_with_retry_after(schema):
    for method, path, operation in operations(schema):
        response = operation["responses"]["429"]
        assert response["headers"]["Retry-After"]["schema"]["type"] == "integer", f"{method} {path}"
        assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_a_stale_decision_answers_409_in_the_documented_shape(schema, world):
    body = {"from_tier": "basisinzet", "to_tier": "lokale_pga", "rationale": "Nieuwe feiten"}

    response = client_for(world.users["director"]).post(world.url("decisions"), body, format="json")

    assert response.status_code == 409
    assert response.json()["current_tier"] == "lokale_pga"
    jsonschema.validate(response.json(), documented(schema, "/api/v1/cases/{case_id}/decisions/", "post", "409"))


def test_the_hit_check_limit_documents_503_when_its_counter_is_unreachable(schema):
    """``FailClosedScopedRateThrottle`` refuses with 503 (tests/pga/test_redis_down.py); only the operations
    that count against the hit-check limit can answer it."""
    with_503 = {(method, path) for method, path, operation in operations(schema) if "503" in operation["responses"]}

    assert with_503 == {("POST", "/api/v1/cases/"), ("POST", "/api/v1/persons/check/")}
