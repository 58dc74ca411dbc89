"""The demo's named cases get the recommendations issue #3 promises (DOMAIN.md §10).

The demo is loaded once for this module (inside a transaction rolled back at the end).
"""

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from cases.models import Case
from escalation.selectors import recommendation_for, recommendations_for

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def named(given_names: str, surname: str) -> Case:
    return Case.objects.get(person__given_names=given_names, person__surname=surname)


def criteria_met(recommendation) -> dict[str, bool | None]:
    return {criterion.code: criterion.met for criterion in recommendation.criteria}


def test_vincent_bakker_is_recommended_lokale_pga(demo):
    recommendation = recommendation_for(named("Vincent", "Bakker"))

    assert (recommendation.recommended_tier, recommendation.current_tier) == ("lokale_pga", "lokale_pga")
    assert criteria_met(recommendation) == {
        "top_x": False,  # one offence, not three
        "doorgroeier": True,
        "zvh_complex": None,
        "crimineel_systeem": None,
        "exit": False,  # his last offence was two months ago: about ten months to go
    }


def test_dylan_visser_is_recommended_zvhru(demo):
    recommendation = recommendation_for(named("Dylan", "Visser"))

    assert (recommendation.recommended_tier, recommendation.current_tier) == ("zvhru", "zvhru")
    assert recommendation.exit_review is False
    facts = next(criterion for criterion in recommendation.criteria if criterion.code == "top_x").facts
    assert facts[0].text == "leeftijd 20 (grens tot en met 23)"
    assert facts[1].text.startswith("3 delicten in 24 maanden (minimaal 3): ")
    assert "Sr 312 lid 1" in facts[2].text


def test_the_whole_demo_caseload_is_evaluated(demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(2 + 4):  # rule set, ids, one batch
        recommendations = dict(recommendations_for(Case.objects.exclude(status="afgesloten")))

    assert len(recommendations) == Case.objects.exclude(status="afgesloten").count()
