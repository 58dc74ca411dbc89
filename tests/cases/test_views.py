"""The browser UI: who gets which page (404 for outsiders, 403 for forbidden acts), forms that refuse
bad input with a Dutch field error and save nothing, successful posts, the BSN search, the
aanmelding's duplicate check, and a caseload that costs the same number of queries at any size.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases.models import (
    Action,
    ActionStatus,
    Assessment,
    Case,
    CaseChange,
    CaseStatus,
    CaseTeamMember,
    Detention,
    Goal,
    JournalEntry,
    Offence,
    Person,
    Tier,
)
from partners.models import Role
from tests import factories as f

TODAY = timezone.localdate
VALID_BSN = "111222333"  # passes the eleven-check


@pytest.fixture
def director_client(client, case_director):
    client.force_login(case_director)
    return client


@pytest.fixture
def goal(case, case_director):
    return f.GoalFactory(plan=case.plan, created_by=case_director)


@pytest.fixture
def action(goal, case_director):
    return f.ActionFactory(goal=goal, created_by=case_director, owning_organisation=f.organisation("politie-midden-nederland"))


@pytest.fixture
def team_entry(case):
    return case.team.get(organisation__code="politie-midden-nederland")


def case_urls(case, goal, action, team_entry) -> dict[str, str]:
    """Every POST form URL under ``case``."""
    kw = {"case_id": case.pk}
    return {
        "journal_add": reverse("journal_add", kwargs=kw),
        "offence_add": reverse("offence_add", kwargs=kw),
        "detention_add": reverse("detention_add", kwargs=kw),
        "assessment_add": reverse("assessment_add", kwargs=kw),
        "drug_network_edit": reverse("drug_network_edit", kwargs=kw),
        "goal_add": reverse("goal_add", kwargs=kw),
        "goal_edit": reverse("goal_edit", kwargs={**kw, "goal_id": goal.pk}),
        "action_add": reverse("action_add", kwargs={**kw, "goal_id": goal.pk}),
        "action_edit": reverse("action_edit", kwargs={**kw, "action_id": action.pk}),
        "team_add": reverse("team_add", kwargs=kw),
        "team_remove": reverse("team_remove", kwargs={**kw, "member_id": team_entry.pk}),
        "case_direct": reverse("case_direct", kwargs=kw),
    }


def row_counts() -> dict[str, int]:
    models = (Person, Case, CaseTeamMember, Offence, Detention, Assessment, JournalEntry, Goal, Action, CaseChange)
    return {model.__name__: model.objects.count() for model in models}


def field_errors(response, field: str) -> list[str]:
    form = response.context["form"]
    return form.errors.get(field, [])


# --- Sign in / sign out -------------------------------------------------------------------------


def test_caseload_requires_sign_in(client, db):
    response = client.get(reverse("caseload"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sign_in_leads_to_caseload_and_sign_out_is_post_only(client, case_director):
    response = client.post(reverse("login"), {"username": case_director.username, "password": f.PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/inloggen/authenticator/?next=%2F"  # then the second factor (issue #7)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response["Location"] == f"{reverse('login')}?sessie=uitgelogd"
    assert client.get(reverse("caseload")).status_code == 302


def test_wrong_password_gives_a_dutch_error(client, case_director):
    response = client.post(reverse("login"), {"username": case_director.username, "password": "fout"})
    assert response.status_code == 200
    assert "Voer een juiste gebruikersnaam en wachtwoord in" in response.content.decode()


# --- Caseload -----------------------------------------------------------------------------------


def test_caseload_lists_only_visible_cases(director_client, case):
    hidden = f.CaseFactory(lokale_pga=True)
    response = director_client.get(reverse("caseload"))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("case_detail", args=[case.pk]) in html
    assert reverse("case_detail", args=[hidden.pk]) not in html
    assert [row.case.pk for row in response.context["rows"]] == [case.pk]


def test_caseload_shows_the_columns(director_client, case):
    f.OffenceFactory(case=case, committed_on=TODAY() - dt.timedelta(days=30))
    f.DetentionFactory(case=case, started_on=TODAY() - dt.timedelta(days=5))
    html = director_client.get(reverse("caseload")).content.decode()
    for header in (
        "Naam",
        "Leeftijd",
        "Wijk",
        "Niveau",
        "Status",
        "Doelgroep",
        "Casusregisseur",
        "Laatste delict",
        "Vroegste uitstroomdatum",
    ):
        assert f">{header}<" in html or f">{header}<span" in html
    assert "In detentie" in html
    assert (TODAY() - dt.timedelta(days=30)).strftime("%d-%m-%Y") in html
    assert str(case.person.age) in html


def test_caseload_filters_on_name_and_tier(director_client, case, case_director):
    other = f.CaseFactory(case_director=case_director, person__surname="Zwartkop", tier=Tier.BASISINZET)
    response = director_client.get(reverse("caseload"), {"naam": "zwartkop"})
    assert [row.case.pk for row in response.context["rows"]] == [other.pk]
    response = director_client.get(reverse("caseload"), {"tier": "lokale_pga"})
    assert [row.case.pk for row in response.context["rows"]] == [case.pk]


def test_caseload_unknown_wijk_filter_shows_a_dutch_error(director_client, case):
    response = director_client.get(reverse("caseload"), {"wijk": "atlantis"})
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()


def test_caseload_sorts_by_name_both_ways(director_client, case_director):
    for surname in ("Bakker", "Visser", "Aarts"):
        f.CaseFactory(case_director=case_director, person__surname=surname)
    ascending = director_client.get(reverse("caseload"), {"sortering": "naam"}).context["rows"]
    descending = director_client.get(reverse("caseload"), {"sortering": "-naam"}).context["rows"]
    assert [r.case.person.surname for r in ascending] == ["Aarts", "Bakker", "Visser"]
    assert [r.case.person.surname for r in descending] == ["Visser", "Bakker", "Aarts"]


def test_caseload_pages_by_25_and_clamps_a_huge_page_size(director_client, case_director):
    f.CaseFactory.create_batch(30, case_director=case_director)
    first = director_client.get(reverse("caseload"))
    assert len(first.context["rows"]) == 25
    assert len(director_client.get(reverse("caseload"), {"pagina": 2}).context["rows"]) == 5
    huge = director_client.get(reverse("caseload"), {"per_pagina": "1000000"})
    assert huge.context["page_size"] == 100
    assert len(huge.context["rows"]) == 30


@pytest.mark.parametrize("rows", [10, 100])
def test_caseload_query_count_does_not_grow_with_the_page(director_client, case_director, django_assert_max_num_queries, rows):
    """Session, user, organisation, the sharing matrix, count, page, the page's case facts (one query
    for the rows of the page, issue #6), wijk choices, escalation's panels for directors (capacity:
    three, open proposals: one), the unread-notification count for the Werklijst badge, the access-log
    row and its subjects (two inserts) and the request's savepoint and its release: the same seventeen
    queries for 10 or 100 rows."""
    for case in f.CaseFactory.create_batch(rows, lokale_pga=True, case_director=case_director):
        f.OffenceFactory(case=case)
        f.DetentionFactory(case=case)
    with django_assert_max_num_queries(18):  # + the second-factor device (issue #7)
        response = director_client.get(reverse("caseload"), {"per_pagina": 100})
    assert len(response.context["rows"]) == rows
    assert response.content.decode().count('class="utrecht-link utrecht-link--html-a" href="/casussen/') == rows


# --- BSN search ---------------------------------------------------------------------------------


def test_bsn_search_answers_only_a_post(director_client, case):
    """A GET (even one carrying a BSN) searches nothing: it goes back to the caseload, without the BSN."""
    response = director_client.get(reverse("bsn_search"), {"bsn": case.person.bsn})
    assert response.status_code == 302 and response["Location"] == reverse("caseload")


def test_bsn_search_redirects_to_the_case_without_the_bsn(director_client, case):
    response = director_client.post(reverse("bsn_search"), {"bsn": case.person.bsn})
    assert response.status_code == 302
    assert response["Location"] == reverse("case_detail", args=[case.pk])
    assert case.person.bsn not in response["Location"]


@pytest.mark.parametrize(
    ("bsn", "message"),
    [
        ("12345", "Een BSN bestaat uit precies 9 cijfers."),
        ("123456780", "Dit BSN klopt niet (elfproef)."),
        ("000000000", "000000000 is geen geldig BSN."),
        ("12345678a", "Een BSN bestaat uit precies 9 cijfers."),
    ],
)
def test_bsn_search_refuses_an_invalid_bsn(director_client, case, bsn, message):
    response = director_client.post(reverse("bsn_search"), {"bsn": bsn})
    assert response.status_code == 200
    assert field_errors(response, "bsn") == [message]


def test_bsn_search_says_nothing_about_persons_the_user_may_not_see(director_client, case):
    hidden = f.CaseFactory(lokale_pga=True)
    response = director_client.post(reverse("bsn_search"), {"bsn": hidden.person.bsn})
    html = response.content.decode()
    assert response.status_code == 200
    assert "geen persoon met dit BSN gevonden" in html
    assert hidden.person.surname not in html
    assert str(hidden.pk) not in html


# --- Case page ----------------------------------------------------------------------------------


def test_case_page_shows_the_case(director_client, case, goal, action, case_director):
    f.AssessmentFactory(case=case, assessed_by=case_director, inkomen=2)
    f.JournalEntryFactory(case=case, author=case_director, text="Gesprek met moeder gevoerd.")
    f.OffenceFactory(case=case)
    response = director_client.get(reverse("case_detail", args=[case.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert escape(case.person.full_name) in html
    for leefgebied in ("Dagbesteding", "Zorg", "Huisvesting", "Identiteitsbewijs", "Inkomen", "Motivatie"):
        assert leefgebied in html
    assert escape(goal.description) in html
    assert escape(action.description) in html
    assert "Niet zelfredzaam" in html  # inkomen 2
    assert "Gesprek met moeder gevoerd." in html
    assert "Politie Midden-Nederland" in html
    assert "Vroegste uitstroomdatum" in html


def test_case_page_marks_an_overdue_action(director_client, case, goal):
    f.ActionFactory(goal=goal, due_on=TODAY() - dt.timedelta(days=3), status=ActionStatus.OPEN, description="Te late actie")
    html = director_client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Te laat" in html


def test_case_page_shows_only_visible_family_members(director_client, case, case_director):
    from cases.models import Family, FamilyMembership

    family = Family.objects.create(name="Familie B.")
    sibling_case = f.CaseFactory(lokale_pga=True, case_director=case_director, person__given_names="Zichtbaar")
    hidden_case = f.CaseFactory(lokale_pga=True, person__given_names="Onzichtbaar")
    for person in (case.person, sibling_case.person, hidden_case.person):
        FamilyMembership.objects.create(
            family=family, person=person, role="broer_zus", justification="Broers.", added_by=case_director
        )
    html = director_client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert escape(sibling_case.person.full_name) in html
    assert escape(hidden_case.person.full_name) not in html


def test_case_page_offers_only_allowed_forms(client, case, politie_user):
    client.force_login(politie_user)
    html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert reverse("offence_add", args=[case.pk]) in html
    assert reverse("goal_add", args=[case.pk]) not in html
    assert reverse("team_add", args=[case.pk]) not in html


def test_outsider_gets_404_on_the_case_page(client, case, outsider):
    client.force_login(outsider)
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 404


def test_outsider_gets_404_on_every_form_of_the_case(client, case, goal, action, team_entry, outsider):
    client.force_login(outsider)
    before = row_counts()
    for name, url in case_urls(case, goal, action, team_entry).items():
        assert client.post(url, {"text": "x"}).status_code == 404, name
        assert client.get(url).status_code in (404, 405), name
    assert row_counts() == before


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.PRIVACY_OFFICER])
def test_administrator_and_privacy_officer_of_a_team_organisation_get_404(client, case, role):
    user = f.UserFactory(role=role, organisation=f.organisation("gemeente-utrecht"))
    f.TeamMemberFactory(case=case, organisation=user.organisation)
    client.force_login(user)
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 404


@pytest.mark.parametrize("name", ["goal_add", "goal_edit", "action_add", "team_add", "team_remove", "case_direct"])
def test_team_member_without_the_right_gets_403(client, case, goal, action, team_entry, politie_user, name):
    client.force_login(politie_user)
    before = row_counts()
    response = client.post(case_urls(case, goal, action, team_entry)[name], {"description": "x", "leefgebied": "zorg"})
    assert response.status_code == 403
    assert "casusregisseur" in response.content.decode() or "regisseurs" in response.content.decode()
    assert row_counts() == before


def test_non_straf_partner_may_not_record_an_offence(client, case, case_director):
    jou = f.UserFactory(jou=True)
    f.TeamMemberFactory(case=case, organisation=jou.organisation, added_by=case_director)
    client.force_login(jou)
    data = {"committed_on": "2024-01-01", "offence_type": "sr-310", "outcome": "open"}
    response = client.post(reverse("offence_add", args=[case.pk]), data)
    assert response.status_code == 403
    assert "strafdomein" in response.content.decode()
    assert Offence.objects.count() == 0


def test_partner_of_another_organisation_may_not_edit_an_action(client, case, goal, case_director):
    jou = f.UserFactory(jou=True)
    f.TeamMemberFactory(case=case, organisation=jou.organisation, added_by=case_director)
    action = f.ActionFactory(goal=goal, owning_organisation=f.organisation("politie-midden-nederland"))
    client.force_login(jou)
    response = client.post(reverse("action_edit", args=[case.pk, action.pk]), {"status": "afgerond"})
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_owning_partner_updates_only_status_owner_and_due_date(client, case, action, politie_user):
    client.force_login(politie_user)
    url = reverse("action_edit", args=[case.pk, action.pk])
    response = client.get(url)
    assert set(response.context["form"].fields) == {"responsible_user", "due_on", "status"}
    response = client.post(url, {"status": "lopend", "due_on": "", "responsible_user": politie_user.pk})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.responsible_user_id) == (ActionStatus.LOPEND, politie_user.pk)


# --- Forms: bad input re-renders with a Dutch field error and saves nothing ---------------------


@pytest.fixture
def registration_data():
    return {
        "bsn": VALID_BSN,
        "given_names": "Sem",
        "surname_prefix": "de",
        "surname": "Groot",
        "date_of_birth": "2005-04-12",
        "gender": "man",
        "wijk": "overvecht",
        "informed_on": TODAY().isoformat(),
        "not_informed_reason": "",
        "target_group": "doorgroeier",
        "tier": "basisinzet",
        "case_director": "",
        "process_director": "",
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"bsn": "12345678"}, "bsn", "Een BSN bestaat uit precies 9 cijfers."),
        ({"bsn": "123456780"}, "bsn", "Dit BSN klopt niet (elfproef)."),
        ({"bsn": "000000000"}, "bsn", "000000000 is geen geldig BSN."),
        (
            {"date_of_birth": (TODAY() + dt.timedelta(days=2)).isoformat()},
            "date_of_birth",
            "De geboortedatum ligt in de toekomst.",
        ),
        ({"date_of_birth": "12-04-2005x"}, "date_of_birth", "Voer een geldige datum in."),
        ({"wijk": "atlantis"}, "wijk", "Selecteer een geldige keuze. Deze keuze is niet beschikbaar."),
        ({"surname": "Gro\x00ot"}, "surname", "Null-tekens zijn niet toegestaan."),
        ({"surname": "Gro\x07ot"}, "surname", "Bevat niet-toegestane tekens (zoals tabs, regeleinden of stuurtekens)."),
        ({"informed_on": "", "not_informed_reason": "x" * 10_001}, "not_informed_reason", None),
        ({"given_names": ""}, "given_names", "Dit veld is vereist."),
        ({"tier": "lokale_pga"}, "case_director", "Vanaf lokale PGA heeft een casus een casusregisseur."),
    ],
)
def test_registration_refuses_bad_input(director_client, registration_data, changes, field, message):
    before = row_counts()
    response = director_client.post(reverse("register"), {**registration_data, **changes})
    assert response.status_code == 200
    errors = field_errors(response, field)
    assert errors, response.context["form"].errors
    if message:
        assert message in errors
    else:
        assert "10000" in errors[0]
    assert row_counts() == before
    assert 'aria-describedby="id_' in response.content.decode()
    assert "Controleer het formulier" in response.content.decode()


def test_registration_creates_person_and_case(director_client, registration_data, case_director):
    response = director_client.post(reverse("register"), {**registration_data, "team_organisations": ["jou"]})
    person = Person.objects.get(bsn=VALID_BSN)
    case = person.cases.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("case_detail", args=[case.pk])
    assert VALID_BSN not in response["Location"]
    assert case.registering_organisation.code == "gemeente-utrecht"
    # The registrant does not direct this basisinzet case, so their organisation joins (an intake).
    assert set(case.team.values_list("organisation__code", flat=True)) == {"jou", "gemeente-utrecht"}


def test_registration_only_for_registering_organisations(db, client, registration_data):
    jou = f.UserFactory(jou=True)
    client.force_login(jou)
    assert client.get(reverse("register")).status_code == 403
    assert client.post(reverse("register"), registration_data).status_code == 403
    assert Person.objects.count() == 0


def test_registration_offers_a_visible_duplicate(director_client, registration_data, case):
    data = {
        **registration_data,
        "bsn": "",
        "surname": case.person.surname,
        "date_of_birth": case.person.date_of_birth.isoformat(),
    }
    before = row_counts()
    response = director_client.post(reverse("register"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert escape(case.person.full_name) in html
    assert reverse("case_detail", args=[case.pk]) in html
    assert row_counts() == before


def test_registration_reveals_only_whom_to_contact_for_a_hidden_duplicate(director_client, registration_data):
    # Distinctive names: Faker's small pool could otherwise match the signed-in user's name.
    hidden = f.CaseFactory(
        lokale_pga=True, status=CaseStatus.ACTIEF, person__given_names="Xandro", person__surname="Verborgenheim"
    )
    data = {**registration_data, "bsn": hidden.person.bsn}
    before = row_counts()
    response = director_client.post(reverse("register"), data)
    html = response.content.decode()
    expected = "Deze persoon is al bekend in een actieve aanpak; neem contact op met de casusregisseur bij Gemeente Utrecht."
    assert expected in html
    for secret in (hidden.person.given_names, hidden.person.surname, str(hidden.pk), str(hidden.person.pk)):
        assert secret not in html
    assert row_counts() == before
    # Ticking "another person" does not get past a BSN that is already known.
    response = director_client.post(reverse("register"), {**data, "confirm_new": "on"})
    assert "Deze persoon is al bekend in een actieve aanpak" in " ".join(field_errors(response, "bsn"))
    assert row_counts() == before


def test_registration_continues_after_confirming_a_name_match_is_someone_else(director_client, registration_data, case):
    data = {**registration_data, "surname": case.person.surname, "date_of_birth": case.person.date_of_birth.isoformat()}
    assert director_client.post(reverse("register"), data).status_code == 200
    response = director_client.post(reverse("register"), {**data, "confirm_new": "on"})
    assert response.status_code == 302
    assert Person.objects.filter(bsn=VALID_BSN).exists()


def test_new_case_for_a_visible_person_with_a_closed_case(director_client, case_director):
    closed = f.CaseFactory(case_director=case_director, afgesloten=True)
    url = reverse("register_existing", args=[closed.person.pk])
    response = director_client.post(url, {"target_group": "doorgroeier", "tier": "basisinzet"})
    assert response.status_code == 302
    assert closed.person.cases.count() == 2


def test_new_case_for_an_invisible_person_is_404(director_client):
    hidden = f.CaseFactory(afgesloten=True)
    response = director_client.post(reverse("register_existing", args=[hidden.person.pk]), {"target_group": "doorgroeier"})
    assert response.status_code == 404
    assert hidden.person.cases.count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"committed_on": "2999-01-01"}, "committed_on", "De pleegdatum ligt in de toekomst."),
        ({"committed_on": "1990-01-01"}, "committed_on", "De pleegdatum ligt vóór de geboortedatum."),
        ({"offence_type": "sr-9999"}, "offence_type", "Selecteer een geldige keuze. Deze keuze is niet beschikbaar."),
        ({"description": "a\x00b"}, "description", "Null-tekens zijn niet toegestaan."),
        ({"description": "x" * 10_001}, "description", None),
    ],
)
def test_offence_form_refuses_bad_input(client, case, politie_user, data, field, message):
    client.force_login(politie_user)
    valid = {"committed_on": (TODAY() - dt.timedelta(days=10)).isoformat(), "offence_type": "opw-10-3", "outcome": "open"}
    response = client.post(reverse("offence_add", args=[case.pk]), {**valid, **data})
    assert response.status_code == 200
    errors = field_errors(response, field)
    assert (message in errors) if message else ("10000" in errors[0])
    assert Offence.objects.count() == 0


def test_offence_is_recorded(client, case, politie_user):
    client.force_login(politie_user)
    data = {"committed_on": (TODAY() - dt.timedelta(days=10)).isoformat(), "offence_type": "opw-10-3", "outcome": "open"}
    response = client.post(reverse("offence_add", args=[case.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("case_detail", args=[case.pk]) + "#tijdlijn"
    offence = Offence.objects.get()
    assert (offence.case_id, offence.source_organisation.code) == (case.pk, "politie-midden-nederland")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"text": ""}, "text", "Dit veld is vereist."),
        ({"text": "a\x00b"}, "text", "Null-tekens zijn niet toegestaan."),
        ({"text": "a\x1bb"}, "text", "Bevat niet-toegestane stuurtekens."),
        ({"text": "x" * 10_001}, "text", None),
        ({"occurred_on": "2999-01-01"}, "occurred_on", "De datum ligt in de toekomst."),
        ({"kind": "roddel"}, "kind", "Selecteer een geldige keuze. roddel is geen beschikbare keuze."),
    ],
)
def test_journal_form_refuses_bad_input(director_client, case, data, field, message):
    valid = {"kind": "contact", "occurred_on": TODAY().isoformat(), "text": "Gesprek."}
    response = director_client.post(reverse("journal_add", args=[case.pk]), {**valid, **data})
    assert response.status_code == 200
    errors = field_errors(response, field)
    assert (message in errors) if message else ("10000" in errors[0])
    assert JournalEntry.objects.count() == 0


def test_journal_entry_keeps_tabs_and_newlines(director_client, case):
    text = "Regel 1\n\tRegel 2"
    response = director_client.post(
        reverse("journal_add", args=[case.pk]), {"kind": "notitie", "occurred_on": TODAY().isoformat(), "text": text}
    )
    assert response.status_code == 302
    assert JournalEntry.objects.get().text == text


def test_journal_entry_by_htmx_returns_the_updated_timeline(director_client, case):
    data = {"kind": "contact", "occurred_on": TODAY().isoformat(), "text": "Belafspraak nagekomen."}
    response = director_client.post(reverse("journal_add", args=[case.pk]), data, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="tijdlijn"' in html
    assert "Belafspraak nagekomen." in html
    assert "Journaalregel toegevoegd." in html
    assert JournalEntry.objects.filter(case=case).count() == 1


def test_journal_entry_by_htmx_with_errors_keeps_the_text(director_client, case):
    data = {"kind": "contact", "occurred_on": "2999-01-01", "text": "Mijn lange verslag"}
    response = director_client.post(reverse("journal_add", args=[case.pk]), data, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "De datum ligt in de toekomst." in html
    assert "Mijn lange verslag" in html
    assert JournalEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"started_on": "2999-01-01"}, "started_on", "De begindatum ligt in de toekomst."),
        ({"released_on": "2000-01-01"}, "released_on", "De vrijlating ligt vóór de begindatum."),
        ({"institution": "PI\x00"}, "institution", "Null-tekens zijn niet toegestaan."),
    ],
)
def test_detention_form_refuses_bad_input(director_client, case, data, field, message):
    valid = {"institution": "PI Utrecht", "started_on": (TODAY() - dt.timedelta(days=3)).isoformat()}
    response = director_client.post(reverse("detention_add", args=[case.pk]), {**valid, **data})
    assert message in field_errors(response, field)
    assert Detention.objects.count() == 0


def test_detention_is_recorded_and_shown(director_client, case):
    data = {"institution": "PI Utrecht", "started_on": (TODAY() - dt.timedelta(days=3)).isoformat()}
    assert director_client.post(reverse("detention_add", args=[case.pk]), data).status_code == 302
    html = director_client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "In detentie" in html
    assert "Detentie: PI Utrecht" in html


ASSESSMENT = {"dagbesteding": 3, "zorg": 3, "huisvesting": 4, "identiteitsbewijs": 5, "inkomen": 2, "motivatie": 2}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"inkomen": 6}, "inkomen"),
        ({"zorg": 0}, "zorg"),
        ({"motivatie": ""}, "motivatie"),
        ({"assessed_on": "2999-01-01"}, "assessed_on"),
    ],
)
def test_assessment_form_refuses_bad_input(director_client, case, data, field):
    response = director_client.post(
        reverse("assessment_add", args=[case.pk]), {"assessed_on": TODAY().isoformat(), **ASSESSMENT, **data}
    )
    assert field_errors(response, field)
    assert Assessment.objects.count() == 0


def test_assessment_is_recorded(director_client, case):
    response = director_client.post(reverse("assessment_add", args=[case.pk]), {"assessed_on": TODAY().isoformat(), **ASSESSMENT})
    assert response.status_code == 302
    assert Assessment.objects.get().scores() == ASSESSMENT


def test_goal_and_action_are_added_and_edited(director_client, case, politie_user):
    response = director_client.post(reverse("goal_add", args=[case.pk]), {"leefgebied": "inkomen", "description": "Schuldenplan"})
    assert response.status_code == 302
    goal = Goal.objects.get()
    response = director_client.post(
        reverse("goal_edit", args=[case.pk, goal.pk]),
        {"leefgebied": "inkomen", "description": "Schuldenplan 3 jaar", "achieved": ""},
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.description == "Schuldenplan 3 jaar"
    action_data = {
        "description": "Aanmelden bij schuldhulp",
        "kind": "perspectief_bieden",
        "owning_organisation": "politie-midden-nederland",
        "due_on": (TODAY() + dt.timedelta(days=14)).isoformat(),
        "status": "open",
    }
    response = director_client.post(reverse("action_add", args=[case.pk, goal.pk]), action_data)
    assert response.status_code == 302
    assert Action.objects.get().owning_organisation.code == "politie-midden-nederland"


def test_action_with_a_responsible_user_of_another_organisation_is_refused(director_client, case, goal, politie_user):
    f.TeamMemberFactory(case=case, organisation=f.organisation("werk-en-inkomen"))
    data = {
        "description": "Gesprek",
        "kind": "grenzen_stellen",
        "owning_organisation": "werk-en-inkomen",
        "responsible_user": politie_user.pk,
        "status": "open",
    }
    response = director_client.post(reverse("action_add", args=[case.pk, goal.pk]), data)
    assert field_errors(response, "responsible_user") == ["De verantwoordelijke werkt niet bij de eigenaar van de actie."]
    assert Action.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"description": ""}, "description", "Dit veld is vereist."),
        ({"description": "   "}, "description", "Omschrijf het doel."),
        ({"leefgebied": "geluk"}, "leefgebied", "Selecteer een geldige keuze. geluk is geen beschikbare keuze."),
    ],
)
def test_goal_form_refuses_bad_input(director_client, case, data, field, message):
    response = director_client.post(reverse("goal_add", args=[case.pk]), {"leefgebied": "zorg", "description": "Doel", **data})
    assert message in field_errors(response, field)
    assert Goal.objects.count() == 0


def test_team_member_is_added_and_removed(director_client, case):
    response = director_client.post(reverse("team_add", args=[case.pk]), {"organisation": "altrecht"})
    assert response.status_code == 302
    entry = case.team.get(organisation__code="altrecht")
    assert entry.ends_on is None
    response = director_client.post(reverse("team_remove", args=[case.pk, entry.pk]))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.ends_on == TODAY() - dt.timedelta(days=1)


def test_team_form_needs_an_organisation_or_a_person(director_client, case):
    before = row_counts()
    response = director_client.post(reverse("team_add", args=[case.pk]), {"organisation": "", "user": ""})
    assert "Kies een organisatie óf een persoon." in response.context["form"].non_field_errors()
    assert row_counts() == before


def test_team_form_refuses_a_member_twice(director_client, case):
    before = row_counts()
    response = director_client.post(reverse("team_add", args=[case.pk]), {"organisation": "politie-midden-nederland"})
    assert "Staat al in het casusteam." in response.context["form"].non_field_errors()
    assert row_counts() == before


def test_an_ended_team_entry_cannot_be_ended_again(director_client, case, team_entry):
    team_entry.ends_on = TODAY() - dt.timedelta(days=10)
    team_entry.save()
    assert director_client.post(reverse("team_remove", args=[case.pk, team_entry.pk])).status_code == 404
    team_entry.refresh_from_db()
    assert team_entry.ends_on == TODAY() - dt.timedelta(days=10)


def test_a_goal_or_action_of_another_case_is_404(director_client, case, case_director):
    other = f.CaseFactory(lokale_pga=True, case_director=case_director)
    other_goal = f.GoalFactory(plan=other.plan)
    other_action = f.ActionFactory(goal=other_goal)
    data = {"leefgebied": "zorg", "description": "Gekaapt"}
    assert director_client.post(reverse("goal_edit", args=[case.pk, other_goal.pk]), data).status_code == 404
    assert director_client.post(reverse("action_add", args=[case.pk, other_goal.pk]), {"description": "x"}).status_code == 404
    assert (
        director_client.post(reverse("action_edit", args=[case.pk, other_action.pk]), {"status": "afgerond"}).status_code == 404
    )
    other_goal.refresh_from_db()
    assert other_goal.description == "Werk vinden"
    assert other_goal.actions.count() == 1


def test_team_remove_is_post_only(director_client, case, team_entry):
    assert director_client.get(reverse("team_remove", args=[case.pk, team_entry.pk])).status_code == 405


def test_hand_over_is_recorded_with_its_reason(director_client, case, case_director):
    successor = f.UserFactory(case_director=True)
    data = {
        "tier": case.tier,
        "status": case.status,
        "target_group": case.target_group,
        "case_director": successor.pk,
        "process_director": "",
        "reason": "Overdracht wegens verlof.",
    }
    response = director_client.post(reverse("case_direct", args=[case.pk]), data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.case_director == successor
    change = CaseChange.objects.get(case=case)
    assert (change.kind, change.reason, change.from_user, change.to_user) == (
        "case_director",
        "Overdracht wegens verlof.",
        case_director,
        successor,
    )


def test_a_hand_over_needs_a_reason(director_client, case):
    successor = f.UserFactory(case_director=True)
    data = {"target_group": case.target_group, "case_director": successor.pk, "reason": ""}
    response = director_client.post(reverse("case_direct", args=[case.pk]), data)
    assert "Onderbouw de overdracht van de regie." in field_errors(response, "reason")
    case.refresh_from_db()
    assert case.case_director != successor
    assert CaseChange.objects.count() == 0


def test_drug_network_indication_by_a_straf_partner(client, case, politie_user):
    client.force_login(politie_user)
    response = client.post(reverse("drug_network_edit", args=[case.pk]), {"drug_network_indication": "ja"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.drug_network_indication == "ja"


def test_forbidden_page_is_dutch_and_says_why(director_client, case):
    response = director_client.post(reverse("drug_network_edit", args=[case.pk]), {"drug_network_indication": "ja"})
    assert response.status_code == 403
    assert "Alleen ketenpartners uit het strafdomein leggen de netwerkindicatie vast." in response.content.decode()


def test_pages_are_dutch_with_a_skip_link_one_h1_and_no_inline_script(director_client, case):
    urls = [
        reverse("caseload"),
        reverse("case_detail", args=[case.pk]),
        reverse("register"),
        reverse("offence_add", args=[case.pk]).replace("delicten", "detenties"),
        reverse("assessment_add", args=[case.pk]),
    ]
    for url in urls:
        html = director_client.get(url).content.decode()
        assert '<html lang="nl">' in html, url
        assert 'href="#inhoud"' in html and 'id="inhoud"' in html, url
        assert html.count("<h1") == 1, url
        assert "<script>" not in html and " on" + "click=" not in html, url


def test_handing_over_lands_on_the_caseload_not_a_404(director_client, case):
    successor = f.UserFactory(case_director=True)
    response = director_client.post(
        reverse("case_direct", args=[case.pk]),
        {
            "tier": case.tier,
            "status": case.status,
            "target_group": case.target_group,
            "case_director": successor.pk,
            "reason": "Verlof",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("caseload")
    case.refresh_from_db()
    assert case.case_director == successor
    assert director_client.get(reverse("case_detail", args=[case.pk])).status_code == 404


def test_an_action_owner_must_be_in_the_team(director_client, case, goal):
    data = {"description": "Intake", "kind": "perspectief_bieden", "owning_organisation": "altrecht", "status": "open"}
    response = director_client.post(reverse("action_add", args=[case.pk, goal.pk]), data)
    assert "staat niet in het casusteam" in " ".join(field_errors(response, "owning_organisation"))
    assert Action.objects.count() == 0


def test_detention_release_is_recorded_by_a_straf_partner(client, case, politie_user):
    detention = f.DetentionFactory(case=case, started_on=TODAY() - dt.timedelta(days=30))
    url = reverse("detention_edit", args=[case.pk, detention.pk])
    data = {
        "institution": detention.institution,
        "started_on": detention.started_on.isoformat(),
        "released_on": TODAY().isoformat(),
    }
    jou = f.UserFactory(jou=True)
    f.TeamMemberFactory(case=case, organisation=jou.organisation)
    client.force_login(jou)
    assert client.post(url, data).status_code == 403
    client.force_login(politie_user)
    assert client.post(url, data).status_code == 302
    detention.refresh_from_db()
    assert detention.released_on == TODAY()
    other = f.DetentionFactory()
    assert client.get(reverse("detention_edit", args=[case.pk, other.pk])).status_code == 404


def test_a_straf_registrant_is_not_offered_lvb_and_a_sent_lvb_is_ignored(client, politie_user, registration_data):
    """LVB is zorg data (DOMAIN.md §8): politie may register a person but not record a diagnosis."""
    client.force_login(politie_user)
    assert 'name="lvb"' not in client.get(reverse("register")).content.decode()

    response = client.post(reverse("register"), {**registration_data, "lvb": "on"})

    assert response.status_code == 302
    assert Person.objects.get(bsn=VALID_BSN).lvb is False
