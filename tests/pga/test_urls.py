"""Small URLs of the site itself: the icon browsers ask for, the admin's name."""

import pytest
from django.test import Client

from tests import factories as f


@pytest.mark.django_db
def test_favicon_ico_leads_to_the_pga_icon_for_anyone():
    response = Client().get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith(".svg") and "/static/img/favicon" in response["Location"]
    assert Client().get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_the_admin_is_called_pga_beheer(client):
    client.force_login(f.UserFactory(administrator=True, is_staff=True))

    page = client.get("/beheer/").content.decode()

    assert "PGA-beheer" in page and "Django" not in page
