"""The admin is not a way around the access rules (DOMAIN.md §2): a functioneel beheerder cannot
promote themselves, take over a partner application or read the audit trail's personal data."""

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth.models import Permission
from oauth2_provider.models import AccessToken, Application

from partners.models import Role
from partners.services import partner_application_create
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def beheerder(client):
    user = f.UserFactory(role=Role.ADMINISTRATOR, is_staff=True, username="beheerder")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["partners", "oauth2_provider"]))
    client.force_login(user)
    return user


def test_tokens_and_audit_entries_are_not_in_the_admin():
    assert not admin.site.is_registered(AccessToken)
    assert not admin.site.is_registered(LogEntry)


def test_beheerder_cannot_promote_themselves(client, beheerder):
    response = client.get(f"/beheer/partners/user/{beheerder.pk}/change/")
    assert response.status_code in (302, 403) or b'name="role"' not in response.content
    client.post(
        f"/beheer/partners/user/{beheerder.pk}/change/",
        {
            "username": "beheerder",
            "role": "partner",
            "organisation": f.organisation("politie-midden-nederland").pk,
            "is_superuser": "on",
        },
    )
    beheerder.refresh_from_db()
    assert (beheerder.role, beheerder.is_superuser) == (Role.ADMINISTRATOR, False)


def test_beheerder_cannot_grant_superuser_or_set_passwords(client, beheerder):
    colleague = f.UserFactory(case_director=True, is_staff=False)
    page = client.get(f"/beheer/partners/user/{colleague.pk}/change/")
    assert page.status_code == 200
    assert b'name="is_superuser"' not in page.content
    assert client.get(f"/beheer/partners/user/{colleague.pk}/password/").status_code == 403


def test_beheerder_cannot_change_an_applications_secret_or_user(client, beheerder):
    application, _ = partner_application_create(organisation=f.organisation("politie-midden-nederland"), name="BVH")
    stored_secret = Application.objects.get(pk=application.pk).client_secret
    director = f.UserFactory(case_director=True)
    client.post(
        f"/beheer/oauth2_provider/application/{application.pk}/change/",
        {"name": "Hernoemd", "client_secret": "bekend-geheim", "user": director.pk},
    )
    application.refresh_from_db()
    assert application.name == "Hernoemd"
    assert (application.client_secret, application.user.is_application) == (stored_secret, True)
    assert client.get("/beheer/oauth2_provider/application/add/").status_code == 403
