"""The OpenAPI 3 schema at ``/api/v1/schema/`` and the docs UI at ``/api/v1/docs/``."""

import pytest
import yaml
from django.core.management import call_command

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
    assert "/api/v1/schema/" in html
