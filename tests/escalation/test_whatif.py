"""What-if (proefberekening): a draft rule set tried on every active case (issue #3).

The seed's example: the Top X age limit raised from 23 to 27 moves exactly the cases aged 24–27 that
meet the rest of the Top X criterion from lokale PGA to ZVHRU; nobody else moves.
"""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases.models import Case
from escalation import selectors, services, whatif
from escalation.models import RuleSet, WhatIfMove, WhatIfRun, WhatIfStatus
from escalation.parameters import VERSION_1
from privacy.models import AccessLogEntry
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def top_x_case(age: int, **kwargs) -> Case:
    """An active case meeting every Top X criterion of version 1 except perhaps the age (and doorgroeier too)."""
    person = f.PersonFactory(date_of_birth=TODAY - relativedelta(years=age, days=30))
    case = f.CaseFactory(person=person, drug_network_indication="ja", **({"lokale_pga": True} | kwargs))
    for code, days in (("sr-312", 40), ("sr-285", 100), ("opw-10-3", 300)):
        f.OffenceFactory(case=case, offence_type=f.offence_type(code), committed_on=TODAY - dt.timedelta(days=days))
    f.AssessmentFactory(case=case, assessed_on=TODAY - dt.timedelta(days=5))  # inkomen and motivatie at 2
    return case


@pytest.fixture
def admin():
    return f.UserFactory(administrator=True)


@pytest.fixture
def draft(admin) -> RuleSet:
    draft = services.rule_set_create_draft(actor=admin, based_on=selectors.active_rule_set())
    document = {**VERSION_1, "top_x": {**VERSION_1["top_x"], "age_max": 27}}
    return services.rule_set_update_draft(actor=admin, rule_set=draft, parameters=document, note="Leeftijd 27")


@pytest.fixture
def cases():
    return {age: top_x_case(age) for age in (20, 23, 24, 25, 27, 28)} | {"closed_25": top_x_case(25, afgesloten=True)}


@pytest.fixture
def run(draft, admin, cases, django_capture_on_commit_callbacks) -> WhatIfRun:
    with django_capture_on_commit_callbacks(execute=True):
        run = whatif.whatif_start(actor=admin, draft=draft)
    run.refresh_from_db()
    return run


def test_raising_the_top_x_age_limit_to_27_moves_exactly_the_cases_aged_24_to_27(run, cases):
    assert run.status == WhatIfStatus.DONE
    assert (run.total, run.evaluated) == (6, 6)
    moved = {move.case_id: (move.from_tier, move.to_tier) for move in run.moves.all()}
    assert moved == {cases[age].pk: ("lokale_pga", "zvhru") for age in (24, 25, 27)}
    assert run.matrix == {"zvhru": {"zvhru": 2}, "lokale_pga": {"zvhru": 3}, "basisinzet": {"basisinzet": 1}}
    assert whatif.matrix_rows(run) == [("Lokale PGA", "Top X (ZVHRU)", 3)]


def test_the_task_is_idempotent(run):
    first = sorted(WhatIfMove.objects.filter(run=run).values_list("case_id", "from_tier", "to_tier"))

    whatif.whatif_evaluate(run_id=run.pk)  # a finished run is left as it is
    WhatIfRun.objects.filter(pk=run.pk).update(status=WhatIfStatus.RUNNING)  # delivered again mid-way
    whatif.whatif_evaluate(run_id=run.pk)

    run.refresh_from_db()
    assert run.status == WhatIfStatus.DONE
    assert sorted(WhatIfMove.objects.filter(run=run).values_list("case_id", "from_tier", "to_tier")) == first
    assert run.moves.count() == 3


def test_administrators_see_the_counts_only(client, run, admin, cases):
    client.force_login(admin)
    page = client.get(reverse("whatif_detail", args=[run.pk]))

    assert page.status_code == 200
    assert page.context["rows"] == [("Lokale PGA", "Top X (ZVHRU)", 3)]
    assert page.context["visible_moves"] == []
    assert escape(cases[24].person.full_name) not in page.content.decode()
    assert "Uw casussen" not in page.content.decode()


def test_a_director_sees_only_the_moves_of_cases_they_may_see(client, run, cases):
    director = cases[24].case_director
    client.force_login(director)
    page = client.get(reverse("whatif_detail", args=[run.pk]))

    content = page.content.decode()
    assert [move.case_id for move in page.context["visible_moves"]] == [cases[24].pk]
    assert escape(cases[24].person.full_name) in content
    assert escape(cases[25].person.full_name) not in content and escape(cases[27].person.full_name) not in content
    assert page.context["rows"] == [("Lokale PGA", "Top X (ZVHRU)", 3)]
    # The access log (issue #4): the listed case and its person, and what of them the page showed.
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert (entry.action, entry.object_ids) == ("lijst", [str(cases[24].pk)])
    assert entry.subjects.count() == 1 and set(entry.categories) == {"identificatie", "plan"}


@pytest.mark.parametrize("trait", ["politie", "privacy_officer", "jou"])
def test_outsiders_get_404_on_the_result_and_the_list(client, run, trait):
    client.force_login(f.UserFactory(**{trait: True}))
    assert client.get(reverse("whatif_detail", args=[run.pk])).status_code == 404
    assert client.get(reverse("whatif_list")).status_code == 404


def test_a_process_director_starts_a_run_from_the_page(client, draft, cases, django_capture_on_commit_callbacks):
    client.force_login(f.UserFactory(process_director=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("whatif_list"), {"rule_set": draft.pk})

    run = WhatIfRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("whatif_detail", args=[run.pk])
    assert run.status == WhatIfStatus.DONE and run.moves.count() == 3


def test_a_case_director_may_read_but_not_start(client, draft):
    client.force_login(f.UserFactory(case_director=True))
    assert client.get(reverse("whatif_list")).status_code == 200
    assert client.post(reverse("whatif_list"), {"rule_set": draft.pk}).status_code == 403
    assert not WhatIfRun.objects.exists()


def test_a_queued_run_shows_progress_and_refreshes(client, draft, admin):
    run = whatif.whatif_start(actor=admin, draft=draft)  # on_commit not executed: still queued
    client.force_login(admin)

    page = client.get(reverse("whatif_detail", args=[run.pk]))

    assert page["Refresh"] == "3"
    assert "In de wachtrij: 0 van 0 actieve casussen beoordeeld." in page.content.decode()
