"""Effective per-case permissions in django-guardian (issue #4, "Case-level access"): derived from the
dated team, the directors and break-the-glass grants by one idempotent service; read with EXISTS."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import selectors, services
from partners.models import Organisation, organisation_memberships_sync
from privacy import grants, tasks
from privacy.models import CaseGroupObjectPermission, CaseUserObjectPermission
from tests import factories as f

TODAY = timezone.localdate()


def user_rows(case) -> set[tuple[int, object]]:
    return set(CaseUserObjectPermission.objects.filter(content_object=case).values_list("user_id", "grant_id"))


def group_rows(case) -> set[int]:
    return set(CaseGroupObjectPermission.objects.filter(content_object=case).values_list("group_id", flat=True))


def visible(user, case) -> bool:
    return selectors.cases_visible_to(user).filter(pk=case.pk).exists()


@pytest.mark.django_db
def test_rows_follow_directors_named_members_and_organisations(case, case_director):
    named = f.UserFactory(altrecht=True)
    f.TeamMemberFactory(case=case, user=named, added_by=case_director)
    politie = f.organisation("politie-midden-nederland")

    assert user_rows(case) == {(case_director.pk, None), (named.pk, None)}
    assert group_rows(case) == {politie.group_id}
    assert all(row.permission.codename == "view_case" for row in CaseUserObjectPermission.objects.filter(content_object=case))


@pytest.mark.django_db
def test_sync_is_idempotent_and_repairs_rows(case, case_director):
    assert grants.case_permissions_sync(case) == grants.SyncResult(0, 0, 0)
    CaseUserObjectPermission.objects.filter(content_object=case).delete()
    stray = f.UserFactory(jou=True)
    CaseUserObjectPermission.objects.create(
        content_object=case, user=stray, permission=CaseGroupObjectPermission.objects.filter(content_object=case).get().permission
    )

    assert grants.case_permissions_sync(case) == grants.SyncResult(created=1, deleted=1, updated=0)
    assert grants.case_permissions_sync(case) == grants.SyncResult(0, 0, 0)
    assert user_rows(case) == {(case_director.pk, None)}


@pytest.mark.django_db
def test_team_services_sync_inside_their_transaction(case, case_director):
    altrecht = f.UserFactory(altrecht=True)
    assert not visible(altrecht, case)

    member = services.team_member_add(actor=case_director, case=case, organisation=altrecht.organisation)
    assert visible(altrecht, case)
    assert altrecht.organisation.group_id in group_rows(case)

    services.team_member_remove(actor=case_director, member=member)
    assert not visible(altrecht, case)


@pytest.mark.django_db
def test_a_hand_over_moves_the_directors_row(case, case_director):
    successor = f.UserFactory(case_director=True)
    services.case_update(actor=case_director, case=case, case_director=successor, reason="Overdracht wegens verlof.")

    assert visible(successor, case)
    assert not visible(case_director, case)  # Gemeente Utrecht is not in this case's team


@pytest.mark.django_db
def test_a_registration_gives_the_registrant_sight_at_once():
    registrant = f.UserFactory(case_director=True)
    case = services.case_register(
        actor=registrant,
        target_group="doorgroeier",
        person_data={"given_names": "Test", "surname": "Persoon", "date_of_birth": dt.date(2005, 1, 1)},
        confirm_new_person=True,
    )
    colleague = f.UserFactory(case_director=True)  # same organisation, which joined the team
    assert visible(registrant, case) and visible(colleague, case)


@pytest.mark.django_db
def test_organisation_rows_count_only_for_case_worker_roles(case):
    politie = f.organisation("politie-midden-nederland")
    administrator = f.UserFactory(administrator=True, organisation=politie)
    officer = f.UserFactory(privacy_officer=True, organisation=politie)
    partner = f.UserFactory(politie=True)

    assert visible(partner, case)
    assert not visible(administrator, case) and not visible(officer, case)


@pytest.mark.django_db
def test_inactive_users_and_organisations_see_nothing(case):
    partner = f.UserFactory(politie=True)
    partner.is_active = False
    assert not visible(partner, case)
    partner.is_active = True
    Organisation.objects.filter(pk=partner.organisation_id).update(active_until=TODAY - dt.timedelta(days=1))
    partner.organisation.refresh_from_db()
    assert not visible(partner, case)


@pytest.mark.django_db
def test_visibility_is_one_query_starting_from_the_guardian_rows(case):
    partner = f.UserFactory(politie=True)
    with CaptureQueriesContext(connection) as queries:
        ids = list(selectors.cases_visible_to(partner).values_list("pk", flat=True))

    assert ids == [case.pk]
    assert len(queries) == 1
    sql = queries[0]["sql"]
    # The user's rows and the organisation's rows, one id list: PostgreSQL probes only those cases (issue #6).
    assert '"cases_case"."id" IN' in sql and " UNION " in sql
    assert '"privacy_caseuserobjectpermission"' in sql and '"privacy_casegroupobjectpermission"' in sql
    # Not the dated team, and not guardian's generic tables (which get_objects_for_user would read).
    assert "cases_caseteammember" not in sql and "guardian_" not in sql
    source = Path(selectors.__file__).read_text()
    assert "get_objects_for_user(" not in source and "guardian.shortcuts" not in source


@pytest.mark.django_db
def test_another_day_falls_back_to_the_dated_team(case, case_director):
    planned = f.UserFactory(altrecht=True)
    later = TODAY + dt.timedelta(days=3)
    f.TeamMemberFactory(case=case, organisation=planned.organisation, starts_on=later, added_by=case_director)

    assert not visible(planned, case)
    with CaptureQueriesContext(connection) as queries:
        assert selectors.cases_visible_to(planned, day=later).filter(pk=case.pk).exists()
    assert "cases_caseteammember" in queries[0]["sql"]


@pytest.mark.django_db
def test_the_nightly_refresh_follows_entries_that_start_and_end(case, case_director):
    tomorrow = TODAY + dt.timedelta(days=1)
    starting = f.UserFactory(altrecht=True)
    ending = f.UserFactory(jou=True)
    f.TeamMemberFactory(case=case, organisation=starting.organisation, starts_on=tomorrow, added_by=case_director)
    f.TeamMemberFactory(case=case, organisation=ending.organisation, ends_on=TODAY, added_by=case_director)
    assert not visible(starting, case) and visible(ending, case)

    result = grants.case_permissions_refresh(today=tomorrow)

    assert (result.created, result.deleted) == (1, 1)
    assert visible(starting, case) and not visible(ending, case)
    assert grants.case_permissions_refresh(today=tomorrow) == grants.SyncResult(0, 0, 0)


@pytest.mark.django_db
def test_the_command_and_the_task_rebuild_the_rows(case, case_director):
    CaseUserObjectPermission.objects.all().delete()
    CaseGroupObjectPermission.objects.all().delete()

    out = io.StringIO()
    call_command("sync_case_permissions", stdout=out)
    assert "Casusrechten bijgewerkt: 2 toegevoegd" in out.getvalue()
    assert user_rows(case) == {(case_director.pk, None)}
    assert len(group_rows(case)) == 1

    CaseGroupObjectPermission.objects.all().delete()
    assert tasks.case_permissions_refresh.delay().get() == {"created": 1, "deleted": 0, "updated": 0}


@pytest.mark.django_db
def test_organisations_have_a_group_and_users_are_in_it():
    assert not Organisation.objects.filter(group__isnull=True).exists()
    new = Organisation.objects.create(code="nieuwe-partner", name="Nieuwe partner", domain="sociaal")
    assert new.group is not None and new.group.name == "organisatie:nieuwe-partner"

    user = f.UserFactory(politie=True)
    assert list(user.groups.all()) == [f.organisation("politie-midden-nederland").group]
    user.organisation = new
    user.save()
    assert list(user.groups.all()) == [new.group]

    extra = Group.objects.create(name="iets anders")
    user.groups.add(extra)
    user.groups.through.objects.filter(user=user, group=new.group).delete()
    organisation_memberships_sync([user.pk])  # other groups are left alone
    assert set(user.groups.all()) == {new.group, extra}
