"""The sharing matrix in the admin: concepts are edited, the active version is read-only, activation
goes through the audited service (issue #4; DOMAIN.md §8). The access log is not in the admin."""

import html

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django_otp.plugins.otp_totp.models import TOTPDevice

from partners.models import Role
from privacy import policy, services
from privacy.categories import Access, Category
from privacy.models import (
    AccessLogEntry,
    AccessLogSeal,
    AccessLogSubject,
    BreakTheGlassGrant,
    MatrixStatus,
    PrivacyReview,
    SharingMatrix,
    SharingRule,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

CHANGELIST = "/beheer/privacy/sharingmatrix/"


@pytest.fixture
def beheerder(client):
    user = f.UserFactory(role=Role.ADMINISTRATOR, is_staff=True, username="beheerder")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="privacy"))
    client.force_login(user)
    return user


def active() -> SharingMatrix:
    return SharingMatrix.objects.get(status=MatrixStatus.ACTIEF)


def test_access_log_and_reviews_are_not_in_the_admin():
    for model in (AccessLogEntry, AccessLogSubject, AccessLogSeal, PrivacyReview, BreakTheGlassGrant):
        assert not admin.site.is_registered(model), model


def test_the_active_matrix_is_read_only(client, beheerder):
    matrix = active()
    page = client.get(f"{CHANGELIST}{matrix.pk}/change/")
    assert page.status_code == 200
    assert b'name="note"' not in page.content and b'name="rules-0-access"' not in page.content
    client.post(f"{CHANGELIST}{matrix.pk}/change/", {"note": "gewijzigd"})
    matrix.refresh_from_db()
    assert matrix.note != "gewijzigd"


def test_copy_edit_and_activate_a_concept(client, beheerder):
    old = active()
    response = client.post(CHANGELIST, {"action": "copy_as_concept", "_selected_action": [old.pk]})
    assert response.status_code == 302
    concept = SharingMatrix.objects.get(status=MatrixStatus.CONCEPT)
    assert concept.version == old.version + 1 and concept.rules.count() == old.rules.count()

    page = client.get(f"{CHANGELIST}{concept.pk}/change/")
    assert b'name="rules-0-access"' in page.content and b'name="note"' in page.content

    politie = f.organisation("politie-midden-nederland")
    rule = SharingRule.objects.create(
        matrix=concept, organisation=politie, role="partner", category="sociaal", access=Access.LEZEN, legal_basis="Proef."
    )
    response = client.post(CHANGELIST, {"action": "activate", "_selected_action": [concept.pk]}, follow=True)
    assert "is nu de actieve deelmatrix" in response.content.decode(), [str(m) for m in response.context["messages"]]
    concept.refresh_from_db()
    old.refresh_from_db()
    assert (concept.status, concept.activated_by, old.status) == (MatrixStatus.ACTIEF, beheerder, MatrixStatus.VERVANGEN)
    assert policy.disclosure_for(f.UserFactory(politie=True)).level(Category.SOCIAAL) == Access.LEZEN
    assert LogEntry.objects.get_for_object(concept).filter(actor=beheerder).exists()
    assert LogEntry.objects.get_for_object(rule).exists()

    again = client.post(CHANGELIST, {"action": "activate", "_selected_action": [concept.pk]}, follow=True)
    assert "is geen concept" in again.content.decode()


def test_only_administrators_copy_and_activate():
    officer = f.UserFactory(privacy_officer=True)
    with pytest.raises(PermissionDenied):
        services.matrix_copy(actor=officer, matrix=active())
    beheerder = f.UserFactory(administrator=True)
    concept = services.matrix_copy(actor=beheerder, matrix=active())
    with pytest.raises(PermissionDenied):
        services.matrix_activate(actor=officer, matrix=concept)
    with pytest.raises(ValidationError):
        services.matrix_activate(actor=beheerder, matrix=active())
    assert SharingMatrix.objects.filter(status=MatrixStatus.ACTIEF).count() == 1


def test_no_secret_key_of_an_authenticator_in_the_admin(client, beheerder):
    officer = f.UserFactory(privacy_officer=True)
    device = TOTPDevice.objects.create(user=officer, name="telefoon", confirmed=True)
    beheerder.user_permissions.add(*Permission.objects.filter(content_type__app_label="otp_totp"))
    page = client.get(f"/beheer/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200
    assert device.key not in page.content.decode()
    assert client.get(f"/beheer/otp_totp/totpdevice/{device.pk}/qrcode/").status_code in (302, 404)


def inline_data(matrix: SharingMatrix, changes: dict[int, dict]) -> dict:
    rules = list(matrix.rules.all())  # the inline's order: SharingRule.Meta.ordering
    data = {
        "note": matrix.note,
        "rules-TOTAL_FORMS": len(rules),
        "rules-INITIAL_FORMS": len(rules),
        "rules-MIN_NUM_FORMS": 0,
        "rules-MAX_NUM_FORMS": 1000,
    }
    for i, rule in enumerate(rules):
        values = {
            "id": rule.pk,
            "matrix": matrix.pk,
            "role": rule.role,
            "domain": rule.domain,
            "organisation": rule.organisation_id or "",
            "category": rule.category,
            "access": rule.access,
            "legal_basis": rule.legal_basis,
        }
        values.update(changes.get(rule.pk, {}))
        data.update({f"rules-{i}-{key}": value for key, value in values.items()})
    return data


def test_a_concept_cell_is_edited_inline_and_needs_a_legal_basis(client, beheerder):
    concept = services.matrix_copy(actor=beheerder, matrix=active())
    cell = concept.rules.get(role="partner", domain="straf", category="sociaal")
    url = f"{CHANGELIST}{concept.pk}/change/"

    refused = client.post(url, inline_data(concept, {cell.pk: {"access": Access.LEZEN, "legal_basis": ""}}))
    assert refused.status_code == 200 and "Geef de grondslag" in refused.content.decode()

    saved = client.post(url, inline_data(concept, {cell.pk: {"access": Access.LEZEN, "legal_basis": "Convenant art. 5."}}))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    cell.refresh_from_db()
    assert (cell.access, cell.legal_basis) == (Access.LEZEN, "Convenant art. 5.")
    assert LogEntry.objects.get_for_object(cell).filter(actor=beheerder, action=LogEntry.Action.UPDATE).exists()


def test_the_matrix_list_and_its_seeded_texts_are_dutch_without_internal_references(client, beheerder):
    page = html.unescape(client.get("/beheer/privacy/sharingmatrix/").content.decode())
    assert "Aangemaakt op" in page and "Created at" not in page
    for matrix in SharingMatrix.objects.all():
        texts = [matrix.note, *matrix.rules.values_list("legal_basis", flat=True)]
        assert not any("DOMAIN.md" in text or "issue #" in text for text in texts)
