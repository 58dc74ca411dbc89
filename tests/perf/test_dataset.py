"""The dataset generator (``manage.py generate_dataset``, issue #6) at a small scale: the counts follow
the scale, the fixed subjects are there with their exact numbers, the data obey the models' rules and
the access rules, and the same seed gives the same data. Speed is measured by running it, not here.

At scale 0.001 the fixed director keeps exactly 60 active cases (fixed at every scale); the partner
organisation's 5,000 teams scale to ``partner_team_count(0.001)`` = 5.
"""

import io
import uuid

import pytest
from django.contrib.auth.hashers import is_password_usable
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone
from stdnum.nl import bsn as stdnum_bsn

from cases.access import current_team_q
from cases.models import Action, Case, CaseStatus, CaseTeamMember, Detention, Goal, Offence, Person
from cases.selectors import cases_visible_to
from partners.models import Organisation, Role, User
from perf import dataset
from privacy import grants
from privacy.models import AccessLogEntry, AccessLogSubject, BreakTheGlassGrant
from privacy.pseudonyms import pseudonym
from tests import factories as f

SCALE = 0.001
pytestmark = pytest.mark.django_db


@pytest.fixture
def generated() -> dataset.Report:
    return dataset.generate(scale=SCALE)


@pytest.mark.parametrize("scale", [0.001, 0.002])
def test_row_counts_follow_the_scale(scale):
    from auditlog.models import LogEntry

    report = dataset.generate(scale=scale)

    expected = {name: round(count * scale) for name, count in dataset.COUNTS.items()}
    assert Person.objects.count() == expected["persons"]
    assert Case.objects.count() == expected["cases"]
    assert Offence.objects.count() == expected["offences"]
    assert Action.objects.count() == expected["actions"]
    assert AccessLogEntry.objects.count() == AccessLogSubject.objects.count() == expected["access_log"]
    assert LogEntry.objects.count() == expected["audit"]
    assert Organisation.objects.count() == dataset.sizes(scale).organisations  # the reference 22 plus generated
    assert User.objects.count() == dataset.sizes(scale).users
    assert report.rows("personen (COPY)") == expected["persons"]
    assert report.total_seconds > 0


def test_a_scale_too_small_for_the_fixed_subjects_is_refused():
    with pytest.raises(ValueError, match="te klein"):
        dataset.sizes(0.0001)


def test_the_fixed_subjects_exist_with_their_exact_numbers(generated):
    director = User.objects.get(username=dataset.DIRECTOR)
    assert director.role == Role.CASE_DIRECTOR
    assert Case.objects.filter(case_director=director).count() == dataset.DIRECTOR_ACTIVE_CASES
    assert Case.objects.filter(case_director=director, status=CaseStatus.ACTIEF).count() == 60

    partner_org = Organisation.objects.get(code=dataset.PARTNER_ORGANISATION)
    current = CaseTeamMember.objects.filter(current_team_q(timezone.localdate()), organisation=partner_org)
    assert current.values("case").distinct().count() == dataset.partner_team_count(SCALE) == 5
    partner = User.objects.get(username=dataset.PARTNER, organisation=partner_org, role=Role.PARTNER)
    assert cases_visible_to(partner).count() == 5

    officer = User.objects.get(username=dataset.PRIVACY_OFFICER)
    assert officer.role == Role.PRIVACY_OFFICER
    outsider = User.objects.get(username=dataset.OUTSIDER, role=Role.PARTNER)
    assert outsider.organisation.code == dataset.OUTSIDER_ORGANISATION
    assert not CaseTeamMember.objects.filter(organisation=outsider.organisation).exists()
    assert cases_visible_to(outsider).count() == 0


def test_generated_users_have_no_usable_password_and_sit_in_their_organisations_group(generated):
    users = User.objects.filter(username__startswith=dataset.PREFIX).select_related("organisation")
    assert users.count() == dataset.sizes(SCALE).users
    for user in users:
        assert not is_password_usable(user.password)
        assert list(user.groups.values_list("pk", flat=True)) == [user.organisation.group_id]
    assert set(users.values_list("role", flat=True)) == set(Role.values)


def test_the_guardian_rows_are_exactly_what_privacy_grants_derives(generated):
    assert grants.case_permissions_refresh() == grants.SyncResult()


def test_the_director_sees_exactly_the_cases_they_direct(generated):
    director = User.objects.get(username=dataset.DIRECTOR)
    visible = set(cases_visible_to(director).values_list("pk", flat=True))
    assert visible == set(Case.objects.filter(case_director=director).values_list("pk", flat=True))
    assert len(visible) == 60


def test_the_access_log_carries_the_real_pseudonym_of_each_case_person(generated):
    person_of_case = dict(Case.objects.values_list("pk", "person_id"))
    pseudonyms = {pseudonym(person) for person in Person.objects.values_list("pk", flat=True)}
    subjects = AccessLogSubject.objects.select_related("entry")
    checked = 0
    for subject in subjects:
        assert subject.pseudonym in pseudonyms
        entry = subject.entry
        if entry.object_type == "case" and entry.object_ids:
            assert subject.pseudonym == pseudonym(person_of_case[uuid.UUID(entry.object_ids[0])])
            checked += 1
    assert checked > 0.5 * subjects.count()
    entries = AccessLogEntry.objects
    assert 0.002 < entries.filter(outcome="geweigerd").count() / entries.count() < 0.03
    used = entries.filter(break_the_glass=True)
    assert used.exists()
    for entry in used:
        grant = BreakTheGlassGrant.objects.get(pk=entry.purpose.removeprefix("noodtoegang: "))
        assert grant.granted_at < entry.at < grant.expires_at


def test_the_rows_pass_the_models_validation(generated):
    for model in (Person, Case, Offence, Detention, Goal, Action, CaseTeamMember):
        for row in model.objects.all()[:40]:
            row.full_clean()
    bsns = list(Person.objects.exclude(bsn=None).values_list("bsn", flat=True))
    assert all(stdnum_bsn.is_valid(bsn) for bsn in bsns)
    closed = Case.objects.filter(status=CaseStatus.AFGESLOTEN)
    assert not CaseTeamMember.objects.filter(case__in=closed, ends_on=None).exists()
    assert Person.objects.filter(cases__status=CaseStatus.AFGESLOTEN).filter(cases__status=CaseStatus.ACTIEF).exists()


def _digest_of_a_run(seed: int) -> str:
    with transaction.atomic():
        dataset.generate(seed=seed, scale=SCALE)
        digest = dataset.digest()
        transaction.set_rollback(True)
    return digest


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    first = _digest_of_a_run(7)
    assert Case.objects.count() == 0  # rolled back
    assert _digest_of_a_run(7) == first
    assert _digest_of_a_run(8) != first


def test_the_command_prints_rows_per_table_and_the_total():
    out = io.StringIO()
    call_command("generate_dataset", scale=SCALE, seed=3, stdout=out)
    output = out.getvalue()
    assert "personen" in output and " 100 rijen" in output
    assert "Totaal:" in output
    assert Case.objects.count() == 120


def test_the_command_refuses_a_database_with_cases():
    f.CaseFactory(lokale_pga=True)
    with pytest.raises(CommandError, match="bevat al casussen"):
        call_command("generate_dataset", scale=SCALE, stdout=io.StringIO())
    assert Case.objects.count() == 1


def test_the_command_refuses_sqlite(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="alleen met PostgreSQL"):
        call_command("generate_dataset", scale=SCALE, stdout=io.StringIO())
