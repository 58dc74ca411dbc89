"""The benchmarks' own machinery (``perf.bench``, issue #6) on a small generated dataset: each raw-SQL
baseline returns what the app shows (the bench stops with ``BenchError`` otherwise), and ``check``
reports a ratio more than 20 % above the recorded one. Times are not asserted — only the rows, the
404s and the query counts the scenarios report."""

import json

import pytest

from cases import selectors
from perf import bench, dataset

pytestmark = pytest.mark.django_db

SCALE = 0.001


@pytest.fixture
def subjects() -> bench.Subjects:
    dataset.generate(scale=SCALE)
    return bench.Subjects.load()


def test_the_subjects_are_the_datasets_fixed_users(subjects):
    assert subjects.director.username == dataset.DIRECTOR
    assert subjects.partner.username == dataset.PARTNER
    assert subjects.case.case_director_id == subjects.director.pk


def test_the_bench_refuses_a_database_without_the_dataset():
    with pytest.raises(bench.BenchError, match="make dataset"):
        bench.Subjects.load()


def test_the_caseload_baselines_list_the_same_first_page_as_the_app(subjects):
    results = bench.s1_caseload(subjects, runs=2, warmup=0, partner_token=None)

    assert [result.key for result in results] == ["s1_page_director", "s1_api_director", "s1_page_partner", "s1_api_partner"]
    assert results[0].extra["cases"] == selectors.cases_listed(subjects.director).count() >= dataset.DIRECTOR_ACTIVE_CASES
    assert results[2].extra["cases"] == selectors.cases_listed(subjects.partner).count() > 0
    for result in results:
        assert result.queries and result.queries == result.extra["queries_page_size_100"]  # constant in page size
        assert result.baseline_ms is not None and result.runs == 2


def test_a_baseline_that_lists_other_cases_stops_the_bench(subjects, monkeypatch):
    wrong = bench.caseload_baseline

    def reversed_order(user, permission_id, page_size=25):
        page, count = wrong(user, permission_id, page_size)
        return [(page[0].replace("ORDER BY p.surname, p.given_names", "ORDER BY p.surname DESC, p.given_names"), page[1]), count]

    monkeypatch.setattr(bench, "caseload_baseline", reversed_order)
    with pytest.raises(bench.BenchError, match="andere casussen"):
        bench.s1_caseload(subjects, runs=1, warmup=0, partner_token=None)


def test_the_case_and_the_denied_paths_answer_200_and_404(subjects):
    case = bench.s2_case(subjects, runs=2, warmup=0)
    denied = bench.s3_denied(subjects, runs=2, warmup=0)

    assert [result.key for result in case + denied] == ["s2_page", "s2_api", "s3_page", "s3_api"]
    assert all(result.queries for result in case + denied)


def test_the_exit_sweep_flags_what_the_sql_baseline_selects(subjects):
    results = bench.s5_jobs(warm_runs=1)

    sweep, rules = results
    assert sweep.key == "s5_exit_review_cold" and sweep.extra["flagged"] > 0
    assert rules.key == "s5_caseload_rules" and rules.queries


def test_the_privacy_officers_pages_answer(subjects):
    results = bench.s6_privacy_officer(subjects, runs=2, warmup=0)

    assert [result.key for result in results] == ["s6_person_log", "s6_user_log"]
    assert all(result.queries for result in results)


def _result(key: str, median: float, baseline: float | None, runs: int = 30, **extra) -> bench.Result:
    return bench.Result(key, key, "doel", runs, median, median, 1, baseline, True, extra)


def test_check_reports_a_ratio_more_than_20_percent_above_the_recorded_one(tmp_path):
    recorded = tmp_path / "recorded.json"
    bench.record([_result("s2_page", 10.0, 2.0), _result("s2_api", 10.0, 2.0)], recorded)

    regressions, single_runs = bench.check([_result("s2_page", 11.9, 2.0), _result("s2_api", 12.1, 2.0)], recorded)

    assert len(regressions) == 1 and regressions[0].startswith("s2_api") and single_runs == []
    assert json.loads(recorded.read_text())["results"]["s2_page"]["ratio"] == 5.0


def test_check_reports_throughput_where_there_is_no_baseline_without_failing(tmp_path):
    recorded = tmp_path / "recorded.json"
    bench.record([_result("s4_partner_api", 100.0, None, requests_per_s=60.0)], recorded)

    assert bench.check([_result("s4_partner_api", 100.0, None, requests_per_s=50.0)], recorded) == ([], [])
    regressions, indicative = bench.check([_result("s4_partner_api", 100.0, None, requests_per_s=47.0)], recorded)
    assert regressions == [] and indicative == ["s4_partner_api: 47 verzoeken/s (vastgelegd 60)"]


def test_check_reports_a_single_run_without_counting_it_as_a_regression(tmp_path):
    recorded = tmp_path / "recorded.json"
    bench.record([_result("s5_exit_review_cold", 2000.0, 400.0, runs=1)], recorded)

    regressions, single_runs = bench.check([_result("s5_exit_review_cold", 4000.0, 400.0, runs=1)], recorded)

    assert regressions == [] and len(single_runs) == 1 and single_runs[0].startswith("s5_exit_review_cold")


def test_check_needs_a_recorded_run(tmp_path):
    with pytest.raises(bench.BenchError, match="vastgelegde meting"):
        bench.check([], tmp_path / "missing.json")


def test_p95_of_twenty_samples_lies_between_the_two_highest():
    samples = [float(n) for n in range(1, 21)]
    assert 19.0 <= bench.p95(samples) <= 20.0
    assert bench.p95([7.0]) == 7.0
