"""De werklijst (issue #5): per role what it lists, what outsiders never see, the exit date under the
sharing matrix, closing a flag, a decision settling flags, and a constant number of queries.

Flags come from the real nightly job (``jobs.runner.job_run``) against PostgreSQL, as in
tests/jobs/test_exit_review.py; every date is relative to today, so "overdue" means what it says.
"""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases.models import ActionStatus, Tier
from escalation import services
from escalation.models import CaseConference, FlagKind, FlagStatus, ReviewFlag
from escalation.review_services import SETTLED_BY_DECISION, review_flag_close
from jobs.models import JobRunStatus
from jobs.runner import job_run
from privacy.categories import Access, Category
from privacy.models import AccessLogEntry, MatrixStatus, SharingMatrix, SharingRule
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = relativedelta(months=12)
WORKLIST = "/werklijst/"
NOTE_REQUIRED = "Schrijf kort op hoe het signaal is afgehandeld."


def exit_review(day: dt.date = TODAY) -> None:
    assert job_run("exit_review", day=day).status == JobRunStatus.GESLAAGD


def past_exit(director, **fields):
    """A lokale-PGA case of ``director`` whose earliest exit date (opening + 12 months) has passed."""
    return f.CaseFactory(lokale_pga=True, case_director=director, opened_on=TODAY - 2 * YEAR, **fields)


def flag_of(case) -> ReviewFlag:
    return ReviewFlag.objects.get(case=case, kind=FlagKind.UITSTROOM)


def page(client, user) -> str:
    client.force_login(user)
    response = client.get(WORKLIST)
    assert response.status_code == 200
    return response.content.decode()


def close_url(flag: ReviewFlag) -> str:
    return reverse("review_flag_close", kwargs={"flag_id": flag.pk})


def close(client, flag: ReviewFlag, note: str, back: str = "werklijst"):
    prefix = f"signaal-{flag.pk}"
    return client.post(close_url(flag), {f"{prefix}-note": note, f"{prefix}-terug": back})


# --- What each role sees ---------------------------------------------------------------------------


def test_the_case_director_sees_their_flags_with_reason_due_date_and_a_link_to_the_case(client, case_director):
    late = f.CaseFactory(lokale_pga=True, case_director=case_director, opened_on=TODAY - 3 * YEAR)
    exit_review(TODAY - dt.timedelta(days=40))  # due 12 days ago
    recent = f.CaseFactory(lokale_pga=True, case_director=case_director, opened_on=TODAY - YEAR - dt.timedelta(days=5))
    exit_review(TODAY)  # due in 28 days
    html = page(client, case_director)
    assert "Uitstroomtoets (2)" in html
    for case in (late, recent):
        assert escape(case.person.full_name) in html
        assert reverse("case_detail", kwargs={"case_id": case.pk}) in html
        assert f"{flag_of(case).due_on:%d-%m-%Y}" in html
    assert "De vroegste uitstroomdatum is verstreken" in html
    assert html.count("Termijn verstreken") == 1
    assert f'id="signaal-{flag_of(late).pk}" data-overdue="ja"' in html
    assert f'id="signaal-{flag_of(recent).pk}" data-overdue="nee"' in html


def test_flags_are_grouped_by_kind(client, case_director):
    case = past_exit(case_director)
    exit_review()
    f.ActionFactory(goal=f.GoalFactory(plan=case.plan), due_on=TODAY - dt.timedelta(days=10))
    assert job_run("stagnation", day=TODAY).counts["flagged"] == 1
    html = page(client, case_director)
    assert "Uitstroomtoets (1)" in html and "Stagnatie (1)" in html
    assert html.index("Uitstroomtoets (1)") < html.index("Stagnatie (1)")
    assert 'id="signalen-stagnatie"' in html


def test_the_process_director_sees_the_top_x_flags_and_the_conference_they_are_proposed_for(client):
    top_x = f.CaseFactory(zvhru=True, opened_on=TODAY - 2 * YEAR)
    chair = top_x.process_director
    conference = CaseConference.objects.create(starts_at=timezone.now() + dt.timedelta(days=3), chair=chair)
    other_director = f.UserFactory(case_director=True)
    lokale = past_exit(other_director)
    exit_review()
    html = page(client, chair)
    assert escape(top_x.person.full_name) in html
    held_on = timezone.localtime(conference.starts_at)
    assert f'Voorgesteld voor het overleg van <time datetime="{held_on:%Y-%m-%d}">{held_on:%d-%m-%Y}</time>' in html
    assert escape(lokale.person.full_name) not in html
    # The case director of the Top X case handles it too, without the chair's conference line.
    director_html = page(client, top_x.case_director)
    assert escape(top_x.person.full_name) in director_html and "Voorgesteld voor het overleg" not in director_html


def test_a_case_without_a_director_lands_on_the_worklist_of_whoever_registered_it(client):
    registrar = f.UserFactory(case_director=True)
    case = f.CaseFactory(actief=True, tier=Tier.BASISINZET, registered_by=registrar, opened_on=TODAY - 2 * YEAR)
    f.TeamMemberFactory(case=case, user=registrar, added_by=registrar)
    assert job_run("periodic_review", day=TODAY).counts["flagged"] == 1
    html = page(client, registrar)
    assert "Periodieke toetsing (1)" in html and escape(case.person.full_name) in html


def test_a_partner_in_the_team_sees_no_flags_of_the_directors(client, case, politie_user):
    case.opened_on = TODAY - 2 * YEAR
    case.save()
    exit_review()
    html = page(client, politie_user)
    assert "Geen open signalen." in html
    assert escape(case.person.full_name) not in html
    detail = client.get(reverse("case_detail", kwargs={"case_id": case.pk})).content.decode()
    assert 'id="signalen"' not in detail


def test_an_outsider_sees_nothing_of_other_cases(client, case_director):
    mine = past_exit(case_director)
    theirs = past_exit(f.UserFactory(case_director=True))
    f.ActionFactory(goal=f.GoalFactory(plan=theirs.plan), due_on=TODAY - dt.timedelta(days=3))
    exit_review()
    html = page(client, case_director)
    assert escape(mine.person.full_name) in html
    assert escape(theirs.person.full_name) not in html and str(theirs.pk) not in html
    assert f'id="signaal-{flag_of(theirs).pk}"' not in html
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert entry.view == "worklist"
    assert entry.object_ids == [str(mine.pk)]


def test_administrators_and_privacy_officers_list_no_case_content(client):
    case = past_exit(f.UserFactory(case_director=True))
    exit_review()
    for user in (f.UserFactory(administrator=True), f.UserFactory(privacy_officer=True)):
        html = page(client, user)
        assert escape(case.person.full_name) not in html and "Open signalen" not in html


def test_open_proposals_the_director_decides_are_listed(client, case, case_director, politie_user):
    services.proposal_create(actor=politie_user, case=case, to_tier=Tier.BASISINZET, rationale="Gaat goed; afschalen.")
    html = page(client, case_director)
    assert "Open voorstellen voor u (1)" in html
    assert escape(case.person.full_name) in html and "Basisinzet" in html


def test_overdue_actions_on_directed_cases_are_listed(client, case, case_director, politie_user):
    goal = f.GoalFactory(plan=case.plan)
    f.ActionFactory(goal=goal, description="Schuldhulp regelen", due_on=TODAY - dt.timedelta(days=4))
    f.ActionFactory(goal=goal, description="Afgerond werk", due_on=TODAY - dt.timedelta(days=4), status=ActionStatus.AFGEROND)
    f.ActionFactory(goal=goal, description="Nog niet aan de beurt", due_on=TODAY + dt.timedelta(days=4))
    html = page(client, case_director)
    assert "Achterstallige acties (1)" in html
    assert "Schuldhulp regelen" in html and "Afgerond werk" not in html and "Nog niet aan de beurt" not in html
    assert "Schuldhulp regelen" not in page(client, politie_user)  # a team member, not its director


# --- The exit date under the sharing matrix ----------------------------------------------------------


def test_the_exit_date_is_shown_to_who_may_see_it_and_logged_as_justitieel(client, case_director):
    case = past_exit(case_director)
    exit_review()
    html = page(client, case_director)
    assert "Vroegste uitstroomdatum</th>" in html
    assert f'<td class="utrecht-table__cell pga-nowrap"><time datetime="{flag_of(case).basis_on:%Y-%m-%d}"' in html
    assert str(Category.JUSTITIEEL) in AccessLogEntry.objects.order_by("-id").first().categories


def test_the_exit_date_is_absent_for_a_director_the_matrix_shares_no_justitieel_with(client, case_director):
    case = past_exit(case_director)
    exit_review()
    SharingRule.objects.create(
        matrix=SharingMatrix.objects.get(status=MatrixStatus.ACTIEF),
        organisation=case_director.organisation,
        role="case_director",
        category=Category.JUSTITIEEL,
        access=Access.GEEN,
        legal_basis="Test: geen justitiële gegevens.",
    )
    flag = flag_of(case)
    html = page(client, case_director)
    assert "Uitstroomtoets (1)" in html and escape(case.person.full_name) in html  # they still handle it
    assert "Vroegste uitstroomdatum" not in html
    assert f"{flag.basis_on:%d-%m-%Y}" not in html and f"{flag.basis_on:%Y-%m-%d}" not in html
    categories = AccessLogEntry.objects.order_by("-id").first().categories
    assert str(Category.JUSTITIEEL) not in categories and str(Category.PLAN) in categories
    detail = client.get(reverse("case_detail", kwargs={"case_id": case.pk})).content.decode()
    assert 'id="signalen"' in detail and "Vroegste uitstroomdatum</dt>" not in detail
    form_page = client.get(close_url(flag)).content.decode()
    assert f"{flag.basis_on:%d-%m-%Y}" not in form_page


# --- Closing a flag ------------------------------------------------------------------------------------


def test_the_director_closes_a_flag_with_a_note(client, case_director):
    case = past_exit(case_director)
    exit_review()
    flag = flag_of(case)
    client.force_login(case_director)
    response = close(client, flag, "  Besproken met de jongere: blijft nog een half jaar in de aanpak.  ")
    assert response.status_code == 302 and response["Location"] == f"{WORKLIST}#signalen"
    flag.refresh_from_db()
    assert flag.status == FlagStatus.AFGEHANDELD
    assert (flag.closed_by, flag.closed_on) == (case_director, TODAY)
    assert flag.closing_note == "Besproken met de jongere: blijft nog een half jaar in de aanpak."
    entry = LogEntry.objects.get_for_object(flag).get()
    assert entry.actor == case_director and "afgehandeld" in str(entry.changes)
    html = client.get(WORKLIST).content.decode()
    assert "Signaal ‘Uitstroomtoets’ afgehandeld." in html and "Geen open signalen." in html
    # A handled flag is not raised again for the same exit date.
    exit_review()
    assert ReviewFlag.objects.filter(case=case).count() == 1


def test_closing_from_the_case_page_returns_to_the_case(client, case_director):
    case = past_exit(case_director)
    exit_review()
    flag = flag_of(case)
    client.force_login(case_director)
    detail = client.get(reverse("case_detail", kwargs={"case_id": case.pk})).content.decode()
    assert 'id="signalen"' in detail and f'action="{close_url(flag)}"' in detail
    response = close(client, flag, "Afgeschaald besproken in het casusteam.", back="casus")
    assert response["Location"] == reverse("case_detail", kwargs={"case_id": case.pk}) + "#signalen"
    assert flag_of(case).status == FlagStatus.AFGEHANDELD
    # The case page keeps how it was handled, when and by whom.
    detail = client.get(reverse("case_detail", kwargs={"case_id": case.pk})).content.decode()
    history = detail.split("Eerder gesloten signalen (1)")[1].split("</details>")[0]
    assert "Uitstroomtoets</strong> — afgehandeld" in history
    assert f"{TODAY:%d-%m-%Y}" in history and escape(str(case_director)) in history
    assert "Afgeschaald besproken in het casusteam." in history
    assert "Geen open signalen." in detail


@pytest.mark.parametrize("note", ["", "   \n  "])
def test_a_flag_is_not_closed_without_a_note(client, case_director, note):
    case = past_exit(case_director)
    exit_review()
    flag = flag_of(case)
    client.force_login(case_director)
    response = close(client, flag, note)
    assert response.status_code == 200
    html = response.content.decode()
    assert NOTE_REQUIRED in html and "Controleer het formulier" in html
    flag.refresh_from_db()
    assert (flag.status, flag.closed_by, flag.closed_on, flag.closing_note) == (FlagStatus.OPEN, None, None, "")
    assert not LogEntry.objects.get_for_object(flag).exists()


def test_line_breaks_count_as_the_browser_counts_them(client, case_director):
    """A textarea counts a line break as one character and sends CRLF: 1,000 characters as the user typed
    them are accepted; one more is refused."""
    case = past_exit(case_director)
    exit_review()
    client.force_login(case_director)
    lines = "\r\n".join(["x" * 99] * 10)  # 990 letters and 9 line breaks: 999 as the user sees them
    assert close(client, flag_of(case), lines + "y" * 2).status_code == 200  # 1,001: refused
    assert flag_of(case).status == FlagStatus.OPEN
    assert close(client, flag_of(case), lines + "y").status_code == 302  # 1,000: accepted
    assert flag_of(case).closing_note == lines.replace("\r\n", "\n") + "y"


def test_a_note_with_control_characters_is_refused(client, case_director):
    case = past_exit(case_director)
    exit_review()
    client.force_login(case_director)
    response = close(client, flag_of(case), "Besproken\x07 met de jongere")
    assert response.status_code == 200 and "Bevat niet-toegestane stuurtekens." in response.content.decode()
    assert flag_of(case).status == FlagStatus.OPEN


def test_whoever_does_not_handle_the_flag_gets_404(client, case, case_director, politie_user):
    case.opened_on = TODAY - 2 * YEAR
    case.save()
    exit_review()
    flag = flag_of(case)
    other_director = f.UserFactory(case_director=True)
    for user in (politie_user, other_director, f.UserFactory(privacy_officer=True)):
        client.force_login(user)
        assert close(client, flag, "Ik handel dit af.").status_code == 404
        assert client.get(close_url(flag)).status_code == 404
    assert flag_of(case).status == FlagStatus.OPEN
    assert AccessLogEntry.objects.order_by("-id").first().outcome == "geweigerd"


def test_the_service_refuses_non_handlers_and_flags_already_closed(case, case_director, politie_user):
    case.opened_on = TODAY - 2 * YEAR
    case.save()
    exit_review()
    flag = flag_of(case)
    with pytest.raises(Http404):
        review_flag_close(actor=politie_user, flag=flag, note="Niet mijn signaal.")
    review_flag_close(actor=case_director, flag=flag, note="Besproken.")
    with pytest.raises(ValidationError) as error:
        review_flag_close(actor=case_director, flag=flag, note="Nog eens.")
    assert error.value.message_dict == {"note": ["Dit signaal is al gesloten."]}
    assert flag_of(case).closing_note == "Besproken."


# --- A decision settles the flags ------------------------------------------------------------------------


def test_a_decision_on_the_case_settles_its_open_flags(case_director):
    case = past_exit(case_director)
    other = past_exit(case_director)
    exit_review()
    f.ActionFactory(goal=f.GoalFactory(plan=case.plan), due_on=TODAY - dt.timedelta(days=10))
    job_run("stagnation", day=TODAY)
    services.decision_make(
        actor=case_director, case=case, from_tier=Tier.LOKALE_PGA, to_tier=Tier.BASISINZET, rationale="Doelen gehaald; afschalen."
    )
    settled = ReviewFlag.objects.filter(case=case)
    assert {flag.kind for flag in settled} == {FlagKind.UITSTROOM, FlagKind.STAGNATIE}
    for flag in settled:
        assert (flag.status, flag.closed_by, flag.closed_on, flag.closing_note) == (
            FlagStatus.AFGEHANDELD,
            None,
            TODAY,
            SETTLED_BY_DECISION,
        )
    assert flag_of(other).status == FlagStatus.OPEN


# --- Queries ---------------------------------------------------------------------------------------------


def _worklist_queries(client, director, cases: int) -> int:
    for _ in range(cases):
        case = past_exit(director)
        f.ActionFactory(goal=f.GoalFactory(plan=case.plan), due_on=TODAY - dt.timedelta(days=2))
        services.proposal_create(actor=director, case=case, to_tier=Tier.BASISINZET, rationale="Afschalen?")
    exit_review()
    client.force_login(director)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(WORKLIST)
    assert response.status_code == 200
    assert response.content.decode().count('class="utrecht-table__row pga-flag"') == cases
    return len(queries)


def test_the_worklist_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    few = _worklist_queries(client, f.UserFactory(case_director=True), 2)
    many = _worklist_queries(client, f.UserFactory(case_director=True), 12)
    assert few == many
    director = f.UserFactory(case_director=True)
    _worklist_queries(client, director, 3)
    with django_assert_max_num_queries(20):
        client.get(WORKLIST)
