"""The jobs benchmark (``manage.py bench_jobs``, issue #5 "Speed") runs end to end on a tiny caseload, so
it cannot rot. It asserts what the benchmark reports and that it cleans up — never how fast anything was.

Transactional: the benchmark commits its data, because a gunicorn page server and a second thread read it.
"""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from cases.models import Case
from escalation.models import ReviewFlag
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CASES = 200


def bench(**options) -> str:
    out = io.StringIO()
    call_command("bench_jobs", cases=CASES, warm_runs=1, requests=5, warmup=1, stdout=out, **options)
    return out.getvalue()


def test_bench_jobs_reports_the_jobs_and_the_caseload_page_and_cleans_up():
    output = bench()

    for job in ("exit_review", "periodic_review", "stagnation"):
        assert re.search(rf"{job} koud: [\d.]+ s, \d+ queries", output)
        assert re.search(rf"{job} warm: mediaan [\d.]+ s over 1 runs, \d+ queries, \{{'flagged': 0,", output)
    flagged = int(re.search(r"signalen uitstroomtoets: (\d+) \(", output).group(1))
    assert 0.1 * CASES <= flagged <= 0.6 * CASES  # the generator puts 20–40 % past the exit date
    for server in ("zoals ingesteld", "jit uit"):
        assert re.search(rf"Mijn caseload \({server}\), alleen: 5 verzoeken, mediaan [\d.]+ ms, p95 [\d.]+ ms", output)
        assert re.search(rf"Mijn caseload \({server}\), tijdens uitstroomtoets: 5 verzoeken, .* p95 [\d.]+ ms", output)
        assert re.search(rf"Verslechtering p95 \({server}\): [+-][\d.]+ %", output)
    assert len(re.findall(r"uitstroomtoets tijdens de meting: [1-9]\d* runs", output)) == 2
    assert Case.objects.count() == 0
    assert ReviewFlag.objects.count() == 0


def test_bench_jobs_refuses_a_database_with_cases_of_its_own():
    f.CaseFactory(lokale_pga=True)
    with pytest.raises(CommandError, match="aparte"):
        bench()
    assert Case.objects.count() == 1
