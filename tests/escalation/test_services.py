"""Rule sets: only administrators create, edit and activate them; exactly one is active; all audited."""

import datetime as dt
import threading

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone

from escalation import selectors, services
from escalation.models import RuleSet, RuleSetStatus
from escalation.parameters import VERSION_1
from partners.models import Role
from privacy.categories import Access, Category
from privacy.models import MatrixStatus, SharingMatrix, SharingRule
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(db):
    return f.UserFactory(administrator=True, username="beheerder")


def draft_of(actor, **exit_parameters) -> RuleSet:
    draft = services.rule_set_create_draft(actor=actor, based_on=selectors.active_rule_set())
    if exit_parameters:
        parameters = {**draft.parameters, "exit": {**draft.parameters["exit"], **exit_parameters}}
        draft = services.rule_set_update_draft(actor=actor, rule_set=draft, parameters=parameters, note="Proef.")
    return draft


def test_version_1_is_shipped_active_and_marked_to_be_confirmed():
    (active,) = RuleSet.objects.filter(status=RuleSetStatus.ACTIVE)

    assert (active.version, active.parameters) == (1, VERSION_1)
    assert "te bevestigen met de ketenpartners" in active.note
    assert active.activated_at is not None


def test_a_draft_copies_its_source_with_the_next_version(administrator):
    draft = draft_of(administrator)

    assert (draft.version, draft.status, draft.based_on.version) == (2, RuleSetStatus.DRAFT, 1)
    assert (draft.parameters, draft.created_by) == (VERSION_1, administrator)


def test_activating_retires_the_active_version(administrator):
    draft = draft_of(administrator, period_months=6)

    with set_actor(administrator):
        services.rule_set_activate(actor=administrator, rule_set=draft)

    statuses = dict(RuleSet.objects.values_list("version", "status"))
    assert statuses == {1: RuleSetStatus.RETIRED, 2: RuleSetStatus.ACTIVE}
    draft.refresh_from_db()
    assert (draft.activated_by, selectors.active_rule_set().version, selectors.exit_period_months()) == (administrator, 2, 6)
    assert RuleSet.objects.get(version=1).retired_at == draft.activated_at


def test_activation_is_audited_with_the_actor(administrator):
    draft = draft_of(administrator)

    with set_actor(administrator):
        services.rule_set_activate(actor=administrator, rule_set=draft)

    activated = LogEntry.objects.get_for_object(draft).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    retired = LogEntry.objects.get_for_object(RuleSet.objects.get(version=1)).latest("timestamp")
    assert activated.actor == retired.actor == administrator
    assert activated.changes_dict["status"] == ["draft", "active"]
    assert retired.changes_dict["status"] == ["active", "retired"]


@pytest.mark.parametrize(
    "traits",
    [{"case_director": True}, {"process_director": True}, {"politie": True}, {"privacy_officer": True}, {"is_superuser": True}],
    ids=["case_director", "process_director", "partner", "privacy_officer", "superuser"],
)
def test_only_administrators_manage_rule_sets(administrator, traits):
    someone = f.UserFactory(**traits)
    draft = draft_of(administrator)

    with pytest.raises(PermissionDenied):
        services.rule_set_activate(actor=someone, rule_set=draft)
    with pytest.raises(PermissionDenied):
        services.rule_set_create_draft(actor=someone, based_on=draft)
    with pytest.raises(PermissionDenied):
        services.rule_set_update_draft(actor=someone, rule_set=draft, parameters=VERSION_1, note="")
    assert selectors.active_rule_set().version == 1


def test_an_inactive_administrator_cannot_activate(administrator):
    draft = draft_of(administrator)
    administrator.is_active = False

    with pytest.raises(PermissionDenied):
        services.rule_set_activate(actor=administrator, rule_set=draft)


def test_only_a_draft_is_activated_or_edited(administrator):
    active = selectors.active_rule_set()

    with pytest.raises(ValidationError, match="geen concept"):
        services.rule_set_activate(actor=administrator, rule_set=active)
    with pytest.raises(ValidationError, match="Alleen een concept"):
        services.rule_set_update_draft(actor=administrator, rule_set=active, parameters=VERSION_1, note="")
    active.refresh_from_db()
    assert active.status == RuleSetStatus.ACTIVE


def test_invalid_parameters_are_refused(administrator):
    draft = draft_of(administrator)
    broken = {**VERSION_1, "top_x": {**VERSION_1["top_x"], "age_max": "drieëntwintig"}}

    with pytest.raises(ValidationError) as caught:
        services.rule_set_update_draft(actor=administrator, rule_set=draft, parameters=broken, note="")

    assert "top_x.age_max: Verwacht een geheel getal." in caught.value.message_dict["parameters"]
    draft.refresh_from_db()
    assert draft.parameters == VERSION_1


def test_the_database_refuses_a_second_active_rule_set(administrator):
    draft = draft_of(administrator)

    with pytest.raises(IntegrityError), transaction.atomic():
        RuleSet.objects.filter(pk=draft.pk).update(status=RuleSetStatus.ACTIVE, activated_at=draft.created_at)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_activations_leave_exactly_one_active():
    administrator = f.UserFactory(role=Role.ADMINISTRATOR)
    drafts = [draft_of(administrator), draft_of(administrator)]
    barrier, errors = threading.Barrier(2), []

    def activate(draft: RuleSet) -> None:
        try:
            barrier.wait()
            services.rule_set_activate(actor=administrator, rule_set=draft)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=activate, args=(draft,)) for draft in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert RuleSet.objects.filter(status=RuleSetStatus.ACTIVE).count() == 1
    assert RuleSet.objects.filter(status=RuleSetStatus.RETIRED).count() == 2


# --- Conference notes and addenda in a category the chair writes (DOMAIN.md §8, issue #4) ------------


@pytest.mark.django_db
def test_agenda_notes_and_addenda_keep_a_category_the_chair_writes(case):
    chair = f.UserFactory(process_director=True)
    f.TeamMemberFactory(case=case, user=chair)
    conference = services.conference_create(actor=chair, starts_at=timezone.now() + dt.timedelta(days=1))
    item = services.agenda_item_add(actor=chair, conference=conference, case=case)

    item = services.agenda_item_notes_update(actor=chair, item=item, notes="Opname", notes_category=Category.ZORG)
    item = services.agenda_item_notes_update(actor=chair, item=item, notes="Opname, nu thuis")
    assert (item.notes, item.notes_category) == ("Opname, nu thuis", Category.ZORG)  # the category stays

    SharingRule.objects.create(
        matrix=SharingMatrix.objects.get(status=MatrixStatus.ACTIEF),
        organisation=chair.organisation,
        role=chair.role,
        category=Category.ZORG,
        access=Access.LEZEN,
        legal_basis="Alleen lezen.",
    )
    chair = type(chair).objects.get(pk=chair.pk)  # a fresh user: the matrix is read once per user object
    with pytest.raises(PermissionDenied, match="zorggegevens"):
        services.agenda_item_notes_update(actor=chair, item=item, notes="Anders")
    services.conference_finalise(actor=chair, conference=conference)
    with pytest.raises(PermissionDenied, match="zorggegevens"):
        services.conference_addendum_add(actor=chair, conference=conference, text="Nog iets", category=Category.ZORG)
    addendum = services.conference_addendum_add(actor=chair, conference=conference, text="Afspraak nagekomen")
    assert addendum.category == Category.PLAN
