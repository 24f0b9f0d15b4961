"""The demo citizens: sign in as documented, built once however often it runs."""

import pytest

from govportal.citizens import services
from govportal.citizens.demo import DEMO_PASSWORD, build_demo_citizens
from govportal.citizens.models import CitizenProfile

pytestmark = pytest.mark.django_db


def test_demo_citizens_are_idempotent_and_can_sign_in(client):
    first = build_demo_citizens()
    second = build_demo_citizens()
    assert [u.pk for u in first] == [u.pk for u in second]
    assert CitizenProfile.objects.count() == 2
    user = services.find_citizen("email", "citizen@example.com")
    assert services.contact_mobile(user) == "13800138000"
    for identifier in ("citizen@example.com", "13800138000", "13900139000"):
        client.logout()
        response = client.post(
            "/account/login/",
            {"mode": "password", "pw-identifier": identifier, "pw-password": DEMO_PASSWORD},
        )
        assert response.status_code == 302, identifier
