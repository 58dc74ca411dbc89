"""Writes for partners: users and the partner applications that call the API.

A partner application authenticates with OAuth2 client credentials. It acts as a service user of
its organisation (``User.is_application``), so the API applies exactly the browser's access rules
(docs/decisions/0002-partner-applications.md).
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from oauth2_provider.models import Application

from .models import Organisation, Role, User

APPLICATION_USERNAME_PREFIX = "app."


@transaction.atomic
def partner_application_create(
    *, organisation: Organisation, name: str, client_id: str | None = None, client_secret: str | None = None
) -> tuple[Application, str]:
    """Create an OAuth2 client-credentials application for ``organisation``.

    Returns ``(application, client_secret)``: the plain secret is shown once; only its hash is stored.
    ``client_id``/``client_secret`` default to random values (the demo passes fixed ones).
    Raises ``ValidationError`` when the organisation does not take part or the client id is taken.
    """
    if not organisation.is_active_on():
        raise ValidationError({"organisation": "Deze organisatie neemt niet (meer) deel."})
    client_id = client_id or secrets.token_urlsafe(24)
    if Application.objects.filter(client_id=client_id).exists():
        raise ValidationError({"client_id": "Deze client-id bestaat al."})
    client_secret = client_secret or secrets.token_urlsafe(48)
    user = User(
        username=f"{APPLICATION_USERNAME_PREFIX}{client_id}"[:150],
        organisation=organisation,
        role=Role.PARTNER,
        is_application=True,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    application = Application(
        name=name,
        user=user,
        client_id=client_id,
        client_secret=client_secret,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
    )
    application.full_clean()
    application.save()
    return application, client_secret
