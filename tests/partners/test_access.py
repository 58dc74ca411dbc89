"""Deactivating a user or passing an organisation's until date ends all access, sessions included."""

import datetime as dt

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone
from oauth2_provider.models import Application

from partners.services import partner_application_create
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_user_of_an_active_organisation_authenticates():
    user = f.UserFactory(politie=True)
    assert authenticate(RequestFactory().post("/inloggen/"), username=user.username, password=f.PASSWORD) == user


def test_organisation_past_its_until_date_cannot_sign_in():
    user = f.UserFactory(politie=True)
    organisation = user.organisation
    organisation.active_until = timezone.localdate() - dt.timedelta(days=1)
    organisation.save()
    assert authenticate(RequestFactory().post("/inloggen/"), username=user.username, password=f.PASSWORD) is None


def test_organisation_not_yet_active_cannot_sign_in():
    user = f.UserFactory(politie=True)
    organisation = user.organisation
    organisation.active_from = timezone.localdate() + dt.timedelta(days=1)
    organisation.save()
    assert authenticate(RequestFactory().post("/inloggen/"), username=user.username, password=f.PASSWORD) is None


def test_deactivation_ends_an_open_session(client):
    user = f.UserFactory(politie=True)
    client.force_login(user)
    assert client.session.get("_auth_user_id") == str(user.pk)
    user.is_active = False
    user.save()
    response = client.get("/beheer/")
    assert response.wsgi_request.user.is_authenticated is False


def test_expired_organisation_ends_an_open_session(client):
    user = f.UserFactory(politie=True)
    client.force_login(user)
    user.organisation.active_until = timezone.localdate() - dt.timedelta(days=1)
    user.organisation.save()
    response = client.get("/beheer/")
    assert response.wsgi_request.user.is_authenticated is False


def test_user_without_organisation_is_refused_unless_technical_superuser():
    plain = f.UserFactory(organisation=None)
    assert authenticate(RequestFactory().post("/inloggen/"), username=plain.username, password=f.PASSWORD) is None
    root = f.UserFactory(organisation=None, is_superuser=True, username="root")
    assert authenticate(RequestFactory().post("/inloggen/"), username=root.username, password=f.PASSWORD) == root


def test_partner_application_gets_a_service_user_and_a_hashed_secret():
    application, secret = partner_application_create(organisation=f.organisation("altrecht"), name="Altrecht EPD")
    stored = Application.objects.get(pk=application.pk)
    assert stored.client_secret != secret  # only the hash is stored
    assert stored.user.is_application and stored.user.organisation.code == "altrecht"
    assert not stored.user.has_usable_password()


def test_no_application_for_an_organisation_that_left():
    organisation = f.organisation("lister")
    organisation.active_until = timezone.localdate() - dt.timedelta(days=1)
    organisation.save()
    with pytest.raises(ValidationError):
        partner_application_create(organisation=organisation, name="Lister")
    assert not Application.objects.exists()
