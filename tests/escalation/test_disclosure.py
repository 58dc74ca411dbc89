"""The advice as each viewer may see it: one cut (``escalation.disclosure.advice_shown``) for the case page,
the conference page and the API (DOMAIN.md §8, issue #4).

For a zorg partner (Altrecht), a straf partner (Politie), a sociaal partner (JoU) and a director, the
case page's "Advies" panel and ``GET …/recommendation/`` show a verdict for the same criteria and the
same facts; texts of facts the viewer may not read appear in neither; and a decision's stored advice is
cut the same way. Default matrix (``privacy/migrations/0002_default_matrix.py``): directors read every
category; straf partners identificatie, justitieel, plan, netwerk; zorg partners identificatie, zorg,
plan; sociaal partners identificatie, sociaal, plan.
"""

import datetime as dt
import html
import json
import re

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from cases.models import DrugNetworkIndication, Family, FamilyMembership
from escalation import disclosure, selectors, services
from escalation.criteria import SCORE_CATEGORIES, FactCategory
from escalation.engine import recommend
from privacy import policy
from privacy.categories import Category
from tests import factories as f
from tests.api.conftest import client_for

from .snapshots import RULES, snapshot

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
OFFENCE_DESCRIPTION = "Handel in cocaïne vanuit een bestelbus"
VIEWERS = ["director", "politie", "altrecht", "jou"]
READS = {
    "director": set(FactCategory),
    "politie": {FactCategory.IDENTIFICATIE, FactCategory.JUSTITIEEL, FactCategory.PLAN, FactCategory.NETWERK},
    "altrecht": {FactCategory.IDENTIFICATIE, FactCategory.ZORG, FactCategory.PLAN},
    "jou": {FactCategory.IDENTIFICATIE, FactCategory.SOCIAAL, FactCategory.PLAN},
}


@pytest.fixture
def world(case, politie_user, altrecht_user):
    """``case`` meeting the doorgroeier criterion, with every kind of fact: a drug offence, a current
    detention, a drug-network indication, an assessment with a zorg and sociaal problems, a family —
    and Politie, Altrecht and JoU in the team."""
    case.person.date_of_birth = TODAY - relativedelta(years=22, days=10)
    case.person.save()
    case.drug_network_indication = DrugNetworkIndication.JA
    case.save()
    director = case.case_director
    f.OffenceFactory(
        case=case,
        offence_type=f.offence_type("opw-10-3"),
        committed_on=TODAY - dt.timedelta(days=60),
        description=OFFENCE_DESCRIPTION,
    )
    f.DetentionFactory(case=case)
    f.AssessmentFactory(case=case, assessed_on=TODAY - dt.timedelta(days=5), zorg=2, inkomen=1, huisvesting=4)
    family = Family.objects.create(name="Familie Oudkerk")
    FamilyMembership.objects.create(family=family, person=case.person, role="kind", justification="Zoon van", added_by=director)
    for code in ("altrecht", "jou"):
        f.TeamMemberFactory(case=case, organisation=f.organisation(code), added_by=director)
    users = {"director": director, "politie": politie_user, "altrecht": altrecht_user, "jou": f.UserFactory(jou=True)}
    return case, users


VERDICTS = {True: "Voldaan", False: "Niet voldaan", None: "Te beoordelen"}


def api_view(advice: dict) -> dict[str, tuple[str | None, list[str]]]:
    """``{code: (verdict label or None, facts)}`` of an API advice."""
    return {c["code"]: (VERDICTS[c["met"]] if "met" in c else None, c["facts"]) for c in advice["criteria"]}


def page_view(page: str) -> dict[str, tuple[str | None, list[str]]]:
    """The same of the case page's "Advies" panel: per criterion heading its badge, then its facts."""
    section = page[page.index('<section id="advies"') :]
    section = section[: section.index("</section>")]
    shown = {}
    for chunk in section.split('data-criterium="')[1:]:
        code, rest = chunk.split('"', 1)
        heading, after = rest.split("</h3>", 1)
        badge = re.search(r'utrecht-status-badge--\w+">([^<]+)</span>', heading)
        shown[code] = (badge.group(1) if badge else None, [html.unescape(fact) for fact in re.findall(r"<li>(.*?)</li>", after)])
    return shown


def forbidden_texts(case, reads: set[FactCategory]) -> list[str]:
    """The texts of the full advice's facts and parts that reveal a category ``reads`` lacks."""
    texts = []
    for criterion in selectors.recommendation_for(case).criteria:
        for fact in criterion.facts:
            if not fact.categories <= reads:
                texts.append(fact.text)
            texts += [part.text for part in fact.parts if not part.categories <= reads]
    return texts


@pytest.mark.parametrize("who", VIEWERS)
def test_the_case_page_and_the_api_show_the_same_verdicts_and_facts(client, world, who):
    case, users = world
    client.force_login(users[who])

    page = client.get(reverse("case_detail", kwargs={"case_id": case.pk})).content.decode()
    api = client_for(users[who]).get(f"/api/v1/cases/{case.pk}/recommendation/")

    assert api.status_code == 200
    advice = api.json()
    assert page_view(page) == api_view(advice)
    assert ("Uitstroombespreking" in page) == ("exit_review" in advice)
    assert advice["recommended_tier"] == "lokale_pga" and "Geadviseerd niveau" in page  # plan: every team member
    for text in forbidden_texts(case, READS[who]):
        assert text not in page and text not in json.dumps(advice, ensure_ascii=False), text
    assert OFFENCE_DESCRIPTION not in json.dumps(advice, ensure_ascii=False)


def test_who_sees_which_verdicts_and_scores(client, world):
    case, users = world
    seen = {who: api_view(client_for(users[who]).get(f"/api/v1/cases/{case.pk}/recommendation/").json()) for who in VIEWERS}
    verdicts = {who: {code: verdict for code, (verdict, _) in shown.items()} for who, shown in seen.items()}
    facts = {who: [fact for _, listed in shown.values() for fact in listed] for who, shown in seen.items()}

    assert verdicts["director"]["doorgroeier"] == "Voldaan"
    assert all(verdict is not None for verdict in verdicts["director"].values())
    # Every assessment-based criterion is judged over the zorg and sociaal scores: no partner reads both.
    for who in ("politie", "altrecht", "jou"):
        assert verdicts[who]["doorgroeier"] is verdicts[who]["top_x"] is verdicts[who]["exit"] is None, who
    # Politie reads justitieel and netwerk: the crimineel-systeem line (family facts) keeps its "Te beoordelen".
    assert verdicts["politie"]["crimineel_systeem"] == "Te beoordelen"
    assert verdicts["altrecht"]["crimineel_systeem"] is verdicts["jou"]["crimineel_systeem"] is None
    # The assessment, split per score: each partner sees the scores of its own categories.
    day = (TODAY - dt.timedelta(days=5)).isoformat()
    assert f"zorg 2: op 1–2 (beoordeling {day})" in facts["altrecht"]
    assert not any(fact.startswith(("inkomen", "huisvesting")) for fact in facts["altrecht"])
    assert f"inkomen 1: op 1–2 (beoordeling {day})" in facts["jou"]
    assert f"huisvesting 4: niet op 1–2 (beoordeling {day})" in facts["jou"]
    assert not any(fact.startswith("zorg") for fact in facts["jou"])
    assert not any(fact.startswith(("zorg", "inkomen")) for fact in facts["politie"])
    assert f"motivatie 2: op 1–2 (beoordeling {day})" in facts["politie"]  # motivatie is plan
    # The director gets the whole fact, not its parts.
    assert any(
        fact.startswith("3 leefgebieden op 1–2 (minimaal 2): zorg 2, inkomen 1, motivatie 2") for fact in facts["director"]
    )
    assert not any(fact.startswith("zorg 2:") for fact in facts["director"])
    assert any("Opiumwet" in fact for fact in facts["politie"]) and not any("Opiumwet" in fact for fact in facts["altrecht"])


@pytest.mark.parametrize("who", VIEWERS)
def test_a_decision_serves_its_stored_advice_cut_like_the_live_one(world, who):
    case, users = world
    body = {"from_tier": "lokale_pga", "to_tier": "basisinzet", "rationale": "Goed op weg", "rationale_category": "plan"}
    made = client_for(users["director"]).post(f"/api/v1/cases/{case.pk}/decisions/", body, format="json")
    assert made.status_code == 201, made.content

    live = client_for(users[who]).get(f"/api/v1/cases/{case.pk}/recommendation/").json()
    stored = client_for(users[who]).get(f"/api/v1/cases/{case.pk}/decisions/").json()["results"][0]["recommendation"]

    assert api_view(stored) == api_view(live)
    assert ("exit_review" in stored) == ("exit_review" in live)
    assert not any("fact_categories" in criterion or "fact_parts" in criterion for criterion in stored["criteria"])


@pytest.mark.parametrize("who", VIEWERS)
def test_the_conference_page_shows_the_tier_and_the_exit_review_as_the_api_does(client, world, who):
    case, users = world
    chair = f.UserFactory(process_director=True)
    f.TeamMemberFactory(case=case, organisation=f.organisation("zvhru"))
    organisations = [f.organisation(code) for code in ("politie-midden-nederland", "altrecht", "jou")]
    conference = services.conference_create(
        actor=chair, starts_at=timezone.now() + dt.timedelta(days=1), attendees=[users["director"]], organisations=organisations
    )
    services.agenda_item_add(actor=chair, conference=conference, case=case)
    client.force_login(users[who])

    response = client.get(reverse("conference_detail", kwargs={"conference_id": conference.pk}))
    advice = client_for(users[who]).get(f"/api/v1/cases/{case.pk}/recommendation/").json()

    row = response.context["rows"][0]["advice"]
    assert isinstance(row, disclosure.AdviceShown)
    assert (row.recommended_tier, row.exit_review) == (advice["recommended_tier"], advice.get("exit_review"))
    assert api_view(row.as_dict()) == api_view(advice)
    assert "Lokale PGA" in response.content.decode()


# --- The cut itself ---------------------------------------------------------------------------------


def test_the_score_categories_are_those_of_the_sharing_policy():
    for area, category in SCORE_CATEGORIES.items():
        assert policy.FIELDS["assessment"][area].categories == {Category(category.value)}, area


def test_a_fact_judged_on_hidden_data_takes_the_verdict_with_it():
    recommendation = recommend(snapshot(), RULES)
    zorg_only = {FactCategory.IDENTIFICATIE, FactCategory.JUSTITIEEL, FactCategory.ZORG, FactCategory.PLAN}

    shown = disclosure.advice_shown(recommendation, zorg_only)

    top_x = next(criterion for criterion in shown.criteria if criterion.code == "top_x")
    assert top_x.verdict is None and "met" not in top_x.as_dict()
    assert "zorg 4: niet op 1–2 (beoordeling 2026-06-05)" in top_x.facts
    assert not any(fact.startswith(("inkomen", "2 leefgebieden")) for fact in top_x.facts)
    assert shown.exit_review is None and "exit_review" not in shown.as_dict()
    assert shown.recommended_tier == recommendation.recommended_tier
    assert shown.categories == {"identificatie", "justitieel", "zorg", "plan"}
    assert recommendation.criteria[0].met is True  # the advice itself is unchanged


def test_without_plan_there_is_no_tier():
    shown = disclosure.advice_shown(recommend(snapshot(), RULES), {FactCategory.IDENTIFICATIE})

    assert (shown.recommended_tier, shown.current_tier, shown.differs) == (None, None, False)
    assert list(shown.as_dict()) == ["criteria", "rule_set_version", "evaluated_at"]


def test_who_reads_everything_sees_the_advice_whole():
    recommendation = recommend(snapshot(in_detention=True), RULES)

    shown = disclosure.advice_shown(recommendation, FactCategory)

    record = recommendation.as_dict()
    expected = [{"code": c["code"], "met": c["met"], "facts": c["facts"]} for c in record["criteria"]]
    assert shown.as_dict()["criteria"] == expected
    assert shown.exit_review is record["exit_review"] and shown.complete


def test_a_decision_stored_before_the_categories_were_recorded_is_cut_by_position():
    record = recommend(snapshot(in_detention=True), RULES).as_dict()
    legacy = {**record, "criteria": [{key: c[key] for key in ("code", "met", "facts")} for c in record["criteria"]]}
    visible = {FactCategory.IDENTIFICATIE, FactCategory.PLAN, FactCategory.SOCIAAL}

    shown = disclosure.advice_shown(legacy, visible)

    assert all(criterion.verdict is None for criterion in shown.criteria if criterion.code in ("top_x", "exit"))
    assert not any("Sr " in fact or "inkomen" in fact for criterion in shown.criteria for fact in criterion.facts)
    assert disclosure.advice_shown(legacy, FactCategory).as_dict()["criteria"] == [
        {"code": c["code"], "met": c["met"], "facts": c["facts"]} for c in record["criteria"]
    ]


def test_an_unknown_stored_fact_is_shown_only_to_who_reads_everything():
    advice = {"criteria": [{"code": "nieuw_criterium", "met": True, "facts": ["iets nieuws"]}]}

    cut = disclosure.advice_shown(advice, set(FactCategory) - {FactCategory.NETWERK})
    whole = disclosure.advice_shown(advice, FactCategory)

    assert cut.as_dict()["criteria"] == [{"code": "nieuw_criterium", "facts": []}]
    assert whole.as_dict()["criteria"] == advice["criteria"]
