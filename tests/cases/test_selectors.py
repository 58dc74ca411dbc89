"""Who sees which case: the baseline access rule as an exhaustive matrix (issue #2)."""

import datetime as dt

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import selectors
from cases.models import OffenceOutcome
from cases.timeline import timeline
from partners.models import Role
from privacy.policy import disclosure_for
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - dt.timedelta(days=1)
TOMORROW = TODAY + dt.timedelta(days=1)


def _sees(user, case) -> bool:
    return selectors.cases_visible_to(user).filter(pk=case.pk).exists()


@pytest.mark.parametrize(
    ("role", "org_code", "entry", "sees"),
    [
        # organisation in the team: case-worker roles see, administrator/privacy officer never
        (Role.PARTNER, "politie-midden-nederland", "organisation", True),
        (Role.CASE_DIRECTOR, "politie-midden-nederland", "organisation", True),
        (Role.PROCESS_DIRECTOR, "politie-midden-nederland", "organisation", True),
        (Role.ADMINISTRATOR, "politie-midden-nederland", "organisation", False),
        (Role.PRIVACY_OFFICER, "politie-midden-nederland", "organisation", False),
        # named member: case-worker roles see; an administrator named before their role changed does not
        # (administrators and privacy officers never see case content, DOMAIN.md §2, issue #4)
        (Role.PARTNER, "altrecht", "named", True),
        (Role.ADMINISTRATOR, "altrecht", "named", False),
        # not in the team at all
        (Role.PARTNER, "altrecht", None, False),
        (Role.CASE_DIRECTOR, "gemeente-utrecht", None, False),
        (Role.PROCESS_DIRECTOR, "zvhru", None, False),
    ],
)
def test_visibility_by_role_and_membership(case, role, org_code, entry, sees):
    user = f.UserFactory(role=role, organisation=f.organisation(org_code))
    if entry == "named":
        f.TeamMemberFactory(case=case, user=user)
    assert _sees(user, case) is sees
    assert selectors.persons_visible_to(user).filter(pk=case.person_id).exists() is sees


def test_directors_see_their_cases():
    case = f.CaseFactory(zvhru=True)
    assert _sees(case.case_director, case)
    assert _sees(case.process_director, case)


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "sees"),
    [
        (YESTERDAY, None, True),
        (TODAY, TODAY, True),  # inclusive bounds
        (TOMORROW, None, False),  # not yet
        (YESTERDAY - dt.timedelta(days=5), YESTERDAY, False),  # removed: until yesterday
    ],
)
def test_team_entries_are_dated_and_inclusive(case, starts_on, ends_on, sees):
    user = f.UserFactory(altrecht=True)
    f.TeamMemberFactory(case=case, organisation=user.organisation, starts_on=starts_on, ends_on=ends_on)
    assert _sees(user, case) is sees


def test_deactivated_user_sees_nothing(case, politie_user):
    politie_user.is_active = False
    politie_user.save()
    assert not selectors.cases_visible_to(politie_user).exists()


def test_organisation_past_its_until_date_loses_all_access(case, politie_user):
    organisation = politie_user.organisation
    organisation.active_until = YESTERDAY
    organisation.save()
    politie_user.refresh_from_db()
    assert not selectors.cases_visible_to(politie_user).exists()
    assert _sees(case.case_director, case)  # other organisations keep their access


def test_case_get_is_404_for_outsiders_and_malformed_ids(case, outsider):
    with pytest.raises(Http404):
        selectors.case_get(outsider, case.pk)
    with pytest.raises(Http404):
        selectors.case_get(case.case_director, "not-a-uuid")
    assert selectors.case_get(case.case_director, str(case.pk)) == case


def test_last_offence_ignores_dismissed_and_acquitted(case):
    f.OffenceFactory(case=case, committed_on=TODAY - dt.timedelta(days=300))
    f.OffenceFactory(case=case, committed_on=TODAY - dt.timedelta(days=10), outcome=OffenceOutcome.SEPOT)
    f.OffenceFactory(case=case, committed_on=TODAY - dt.timedelta(days=5), outcome=OffenceOutcome.VRIJSPRAAK)
    row = selectors.case_get(case.case_director, case.pk)
    assert row.last_offence_on == TODAY - dt.timedelta(days=300)


def test_in_detention_follows_the_dates(case):
    f.DetentionFactory(case=case, started_on=TODAY - dt.timedelta(days=40), released_on=TODAY - dt.timedelta(days=3))
    assert selectors.case_get(case.case_director, case.pk).in_detention is False
    f.DetentionFactory(case=case, started_on=TODAY - dt.timedelta(days=2))
    assert selectors.case_get(case.case_director, case.pk).in_detention is True


def test_family_shows_only_members_the_viewer_may_see(case, politie_user):
    from cases.models import Family, FamilyMembership

    hidden_case = f.CaseFactory(lokale_pga=True)
    family = Family.objects.create(name="Familie Test")
    FamilyMembership.objects.create(
        family=family, person=case.person, role="kind", justification="Broer", added_by=case.case_director
    )
    FamilyMembership.objects.create(
        family=family, person=hidden_case.person, role="kind", justification="Broer", added_by=case.case_director
    )
    [membership] = selectors.family_memberships_visible_to(politie_user, case.person)
    assert [m.person for m in membership.family.visible_members] == [case.person]


def test_duplicate_check_tells_outsiders_only_whom_to_contact(case, outsider):
    gemeente = f.UserFactory(case_director=True)
    visible = selectors.person_duplicates(case.case_director, bsn=case.person.bsn)
    assert visible.visible == [case.person]
    assert visible.known_elsewhere == []
    hidden = selectors.person_duplicates(gemeente, surname=case.person.surname.upper(), date_of_birth=case.person.date_of_birth)
    assert hidden.visible == []
    [hit] = hidden.known_elsewhere
    assert hit.in_active_approach is True
    assert hit.contact_organisation == "Gemeente Utrecht"
    assert selectors.person_duplicates(outsider, bsn="111222333").found is False


def test_timeline_has_every_kind_newest_first(case):
    f.OffenceFactory(case=case, committed_on=TODAY - dt.timedelta(days=30))
    f.JournalEntryFactory(case=case, occurred_on=TODAY, text="Gesprek gehad")
    f.DetentionFactory(case=case, started_on=TODAY - dt.timedelta(days=20))
    items = [item for item in timeline(case, disclosure_for(case.case_director)) if item.kind != "team"]
    assert [item.kind for item in items] == ["journal", "detention", "offence"]
    assert items[0].text == "Gesprek gehad"


def test_an_unfiltered_caseload_of_a_partner_is_counted_from_the_guardian_rows(case, politie_user):
    """Issue #6: the count of a partner's unfiltered caseload needs no join with the cases."""
    f.CaseFactory(lokale_pga=True)  # a case Politie is not in
    listed = selectors.caseload_for_paging(politie_user, selectors.caseload(politie_user, facts=False), filtered=False)

    with CaptureQueriesContext(connection) as queries:
        count = listed.count()

    assert count == selectors.cases_listed(politie_user).count() == 1
    assert '"cases_case"' not in queries[0]["sql"]
    assert [c.pk for c in listed[0:10]] == [case.pk]


def test_a_filtered_caseload_and_a_directors_caseload_count_the_cases_themselves(case, case_director, politie_user):
    """Directors may hold break-the-glass rows that lists leave out, and filters narrow the list: both
    are counted on the cases."""
    cases = selectors.caseload(case_director, facts=False)
    assert selectors.caseload_for_paging(case_director, cases, filtered=False) is cases
    partner_cases = selectors.caseload(politie_user, facts=False)
    assert selectors.caseload_for_paging(politie_user, partner_cases, filtered=True) is partner_cases
