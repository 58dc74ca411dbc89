"""S4 of issue #6 (perf/load.py): the reading of wrk's result line, the partner token, and one short
real run of gunicorn and wrk. They assert what the benchmark reports and that the token works — never
how fast anything was (that is the benchmark's job)."""

import json

import pytest
from oauth2_provider.models import AccessToken
from rest_framework.test import APIClient

from perf import load
from tests import factories as f

# The standard output of a real run: wrk -t 2 -c 8 -d 5s --latency -s perf/wrk/partner_api.lua, 20,000 cases.
REAL_WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:48567
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.31s     1.15s    3.63s    75.76%
    Req/Sec     8.12      6.04    20.00     76.00%
  Latency Distribution
     50%  647.08ms
     75%    1.97s 
     90%    3.24s 
     99%    3.63s 
  30 requests in 5.01s, 53.12KB read
Requests/sec:      5.99
Transfer/sec:     10.61KB
PGA_WRK {"requests": 30, "duration_s": 5.005677, "errors": {"connect": 0, "read": 0, "write": 0, "timeout": 0, "status": 0}, "latency_ms": {"p50": 647.078, "p95": 3501.898, "p99": 3634.197, "mean": 1309.597, "max": 3634.197}}
"""  # noqa: E501, W291 - wrk's own line and trailing spaces


def test_the_result_line_of_a_real_wrk_run_is_read():
    result = load.parse_wrk_output(REAL_WRK_OUTPUT, label="2 sync")

    assert (result.requests, result.seconds) == (30, 5.005677)
    assert (result.p50_ms, result.p95_ms, result.p99_ms) == (647.078, 3501.898, 3634.197)
    assert result.requests_per_s == pytest.approx(5.993, abs=0.001)
    assert result.errors == dict.fromkeys(load.ERROR_KINDS, 0)
    assert result.line().startswith("2 sync: 6.0 verzoeken/s (30 in 5.0 s), p50 647.1 ms, p95 3501.9 ms")
    assert not result.meets_target()  # 6 requests/s


@pytest.mark.parametrize(
    ("errors", "rps", "p95", "met"),
    [
        ({}, 60, 249.9, True),
        ({}, 59.9, 100, False),
        ({}, 100, 250, False),
        ({"status": 1}, 100, 100, False),  # one answer outside 2xx
        ({"timeout": 2, "connect": 1}, 100, 100, False),
    ],
)
def test_the_target_needs_the_rate_the_p95_and_no_errors(errors, rps, p95, met):
    counts = {kind: errors.get(kind, 0) for kind in load.ERROR_KINDS}
    latency = {"p50": 10.0, "p95": p95, "p99": 300.0, "mean": 20.0, "max": 400.0}
    line = "PGA_WRK " + json.dumps({"requests": int(rps * 10), "duration_s": 10.0, "errors": counts, "latency_ms": latency})

    result = load.parse_wrk_output(f"Running 10s test\n{line}\n")

    assert result.error_count == sum(errors.values())
    assert result.meets_target() is met


@pytest.mark.parametrize(
    "output",
    [
        REAL_WRK_OUTPUT.replace("PGA_WRK", "wrk"),  # the script's done() did not run
        REAL_WRK_OUTPUT.replace('"status": 0', '"statuscode": 0'),
        REAL_WRK_OUTPUT.replace('"p95": 3501.898, ', ""),
        REAL_WRK_OUTPUT.replace('"max": 3634.197}}', '"max": 3634.197}'),
    ],
    ids=["no-line", "error-kind-missing", "percentile-missing", "broken-json"],
)
def test_output_without_a_complete_result_line_is_refused(output):
    with pytest.raises(ValueError, match="PGA_WRK"):
        load.parse_wrk_output(output)


def test_the_partner_token_reads_only_its_organisations_cases(case, case_director):
    hidden = f.CaseFactory(lokale_pga=True)
    f.TeamMemberFactory(case=hidden, organisation=f.organisation("altrecht"), added_by=hidden.case_director)

    bearer = load.partner_token(f.organisation("politie-midden-nederland"))

    token = AccessToken.objects.get(token=bearer.token)
    assert token.user.is_application and token.user.organisation.code == "politie-midden-nederland"
    assert token.scope == "read" and not token.is_expired()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {bearer.token}")
    listed = client.get("/api/v1/cases/")
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [str(case.pk)]
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    assert client.get(f"/api/v1/cases/{hidden.pk}/").status_code == 404
    assert client.patch(f"/api/v1/cases/{case.pk}/", {}, format="json").status_code == 403  # read scope only
    assert load.visible_case_ids(bearer) == [str(case.pk)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_short_real_run_reads_the_partner_api_without_errors():
    """gunicorn (2 workers as gunicorn.conf.py has them) in its own processes reads what the test
    committed; 1 s of warm-up, 2 s measured."""
    director = f.UserFactory(case_director=True)
    politie = f.organisation("politie-midden-nederland")
    for _ in range(3):
        case = f.CaseFactory(lokale_pga=True, case_director=director)
        f.TeamMemberFactory(case=case, organisation=politie, added_by=director)
    shape = load.LoadShape(seconds=2, threads=1, connections=2, list_share=0.5, list_pages=1)

    result = load.throughput(politie, shape=shape, warmup_s=1)

    assert result.requests > 0
    assert result.errors == dict.fromkeys(load.ERROR_KINDS, 0)
    assert 0 < result.p50_ms <= result.p95_ms <= result.p99_ms
    assert result.label == "2 workers zoals gunicorn.conf.py"
