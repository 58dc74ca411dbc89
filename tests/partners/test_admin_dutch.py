"""The sign-in records of django-axes and the partner applications of django-oauth-toolkit in the admin
(/beheer/) are in Dutch: neither app ships Dutch, so PGA's own catalog (locale/nl, in LOCALE_PATHS)
translates them. That no word of Django or another app changes is tested in tests/jobs/test_admin_dutch.py.

What the catalog cannot reach stays English (see the catalog's header): the app names "Axes", "Django
OAuth Toolkit" and "Otp_Totp", the model names of the applications and TOTP devices, and the field names
of django-otp's devices. Those are not asserted here."""

import html

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.models import Permission
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from partners.models import BackupCodeDevice, Role
from partners.services import partner_application_create
from tests import factories as f

pytestmark = pytest.mark.django_db

AXES_ENGLISH = (
    "Access attempts",
    "Access failures",
    "Access logs",
    "Attempt Time",
    "IP Address",
    "User Agent",
    "Failed Logins",
    "Locked Out",
    "Attempt Remaining",
    "Clean up expired attempts",
    "Logout Time",
    "Access lock out",
)


@pytest.fixture
def beheerder(client):
    """The functioneel beheerder with the permissions of the sign-in records, applications and second factors,
    as in tests/partners/test_admin.py; force_login counts as a fresh sign-in with the second factor
    (tests/conftest.py, partners/sessions.py)."""
    user = f.UserFactory(role=Role.ADMINISTRATOR, is_staff=True, username="beheerder")
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["axes", "oauth2_provider", "otp_totp", "partners"])
    )
    client.force_login(user)
    return user


def page_text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def attempt(username: str, failures: int) -> AccessAttempt:
    return AccessAttempt.objects.create(
        username=username,
        ip_address="10.0.0.1",
        user_agent="Firefox",
        http_accept="text/html",
        path_info="/inloggen/",
        get_data="",
        post_data="username=" + username,
        failures_since_start=failures,
    )


def test_the_admin_index_names_the_sign_in_records_in_dutch(client, beheerder):
    text = page_text(client.get("/beheer/"))
    for dutch in ("Inlogpogingen", "Mislukte inlogpogingen", "Inlogregistraties"):
        assert dutch in text, dutch
    for english in ("Access attempts", "Access failures", "Access logs"):
        assert english not in text, english


def test_the_access_attempt_list_is_in_dutch(client, beheerder):
    attempt("geblokkeerd", settings.AXES_FAILURE_LIMIT)
    attempt("bijna", settings.AXES_FAILURE_LIMIT - 2)
    text = page_text(client.get("/beheer/axes/accessattempt/"))
    for dutch in (
        "Tijdstip inlogpoging",
        "IP-adres",
        "Browser (user-agent)",
        "Gebruikersnaam",
        "Pad",
        "Aantal mislukte pogingen",
        "Geblokkeerd",  # the filter and the status of the first attempt
        "2 poging(en) over",
        "Verlopen inlogpogingen opruimen",
        "Selecteer inlogpoging om te wijzigen",
    ):
        assert dutch in text, dutch
    for english in AXES_ENGLISH:
        assert english not in text, english


def test_an_access_attempt_is_in_dutch(client, beheerder):
    record = attempt("geblokkeerd", settings.AXES_FAILURE_LIMIT)
    text = page_text(client.get(f"/beheer/axes/accessattempt/{record.pk}/change/"))
    for dutch in (
        "inlogpoging wijzigen",
        "Formuliergegevens",
        "Metagegevens",
        "GET-gegevens",
        "POST-gegevens",
        "HTTP-Accept-header",
        "Verloop van een inlogpoging",  # the expiration, a reverse relation: labelled with its model's name
    ):
        assert dutch in text, dutch
    for english in ("Form Data", "Meta Data", "GET Data", "POST Data", "HTTP Accept", "Access attempt expiration", *AXES_ENGLISH):
        assert english not in text, english


def test_the_failure_and_sign_in_lists_are_in_dutch(client, beheerder):
    AccessFailureLog.objects.create(
        username="geblokkeerd", ip_address="10.0.0.1", user_agent="Firefox", path_info="/inloggen/", locked_out=True
    )
    AccessLog.objects.create(username="beheerder", ip_address="10.0.0.1", user_agent="Firefox", path_info="/inloggen/")
    failures = page_text(client.get("/beheer/axes/accessfailurelog/"))
    assert "Selecteer mislukte inlogpoging om te wijzigen" in failures and "Geblokkeerd" in failures
    sign_ins = page_text(client.get("/beheer/axes/accesslog/"))
    assert "Selecteer inlogregistratie om te wijzigen" in sign_ins and "Tijdstip uitloggen" in sign_ins
    for english in AXES_ENGLISH:
        assert english not in failures and english not in sign_ins, english


def test_the_lockout_messages_of_axes_are_in_dutch():
    with translation.override("nl"):
        assert str(settings.AXES_COOLOFF_MESSAGE) == (
            "Account geblokkeerd: te veel mislukte inlogpogingen. Probeer het later opnieuw."
        )
        assert str(settings.AXES_PERMALOCK_MESSAGE).startswith("Account geblokkeerd:")


def test_a_partner_application_is_in_dutch(client, beheerder):
    application, _ = partner_application_create(organisation=f.organisation("politie-midden-nederland"), name="BVH")
    listed = page_text(client.get("/beheer/oauth2_provider/application/"))
    assert "Client-ID" in listed and "Client ID" not in listed
    text = page_text(client.get(f"/beheer/oauth2_provider/application/{application.pk}/change/"))
    for dutch in (
        "Client-ID",
        "Soort autorisatie (grant type)",
        "Met de eigen sleutel van de applicatie (client credentials)",
        "Aangemaakt",
        "Gewijzigd",
        "Gebruiker",
        "Naam",
    ):
        assert dutch in text, dutch
    for english in ("Client ID", "Authorization grant type", "Client credentials", "Created", "Updated"):
        assert english not in text, english


def test_the_backup_code_list_is_in_dutch(client, beheerder):
    """The model and column names of partners.BackupCodeDevice are PGA's own Dutch; django-otp's field names
    ("User", "Created at", "Last used at") are replaced by Dutch columns in privacy/admin.py."""
    officer = f.UserFactory(privacy_officer=True)
    BackupCodeDevice.objects.create(user=officer, name="herstelcodes").codes_replace(3)
    text = page_text(client.get("/beheer/partners/backupcodedevice/"))
    assert "Selecteer set herstelcodes om te bekijken" in text and "Ongebruikte codes" in text
    assert "Select backup code" not in text and "Codes left" not in text
    assert "Ingesteld op" in text and "Created at" not in text and "Last used at" not in text


def test_the_third_party_apps_and_their_models_have_dutch_names(client, beheerder):
    text = page_text(client.get("/beheer/"))
    for dutch in (
        "Inlogpogingen en blokkades",
        "Partnerkoppelingen (OAuth2)",
        "Partnerapplicaties",
        "Tweede stap (authenticator-apps)",
        "Authenticator-apps",
    ):
        assert dutch in text, dutch
    for english in ("Axes", "Django OAuth Toolkit", "Applications", "Otp_Totp", "TOTP devices"):
        assert english not in text, english
    # The index's column headings that only screen readers hear (Django has no Dutch for them).
    assert "Naam van het model" in text and "Model name" not in text and "Add link" not in text


def test_the_authenticator_list_is_in_dutch(client, beheerder):
    TOTPDevice.objects.create(user=beheerder, name="Authenticator-app", confirmed=True)

    text = page_text(client.get("/beheer/otp_totp/totpdevice/"))

    for dutch in ("gebruiker", "bevestigd", "ingesteld op", "laatst gebruikt op", "Authenticator-app"):
        assert dutch.lower() in text.lower(), dutch
    for english in ("Created at", "Last used at", "Confirmed", "Op confirmed"):
        assert english not in text, english
