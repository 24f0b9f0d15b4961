"""Idle staff sessions end after GOVPORTAL_IDLE_TIMEOUT_MINUTES; citizens are not affected."""

import time

import pytest

from govportal.accounts.middleware import LAST_ACTIVITY
from govportal.accounts.tests.conftest import (
    actions_since,
    audit_mark,
    is_logged_in,
    password_login,
)
from govportal.conftest import make_user

pytestmark = pytest.mark.django_db


def idle_for(client, minutes: float) -> None:
    session = client.session
    session[LAST_ACTIVITY] = int(time.time() - minutes * 60)
    session.save()


@pytest.fixture
def clerk(db):
    return make_user("clerk", is_staff=True, is_superuser=True)


@pytest.mark.parametrize(
    ("idle_minutes", "still_in"),
    [(5, True), (29, True), (31, False), (600, False)],
)
def test_staff_session_ends_after_thirty_idle_minutes(
    client, clerk, settings, idle_minutes, still_in
):
    assert settings.GOVPORTAL_IDLE_TIMEOUT_MINUTES == 30
    password_login(client, "clerk")
    idle_for(client, idle_minutes)
    mark = audit_mark()
    response = client.get("/admin/pages/")
    assert is_logged_in(client) is still_in
    if still_in:
        assert response.status_code == 200
        assert actions_since(mark, "auth.idle_logout") == []
        return
    assert response.url == "/admin/login/?next=/admin/pages/"
    login_page = client.get(response.url).content.decode()
    assert "由于长时间未操作，您已安全退出" in login_page
    (entry,) = actions_since(mark, "auth.idle_logout")
    assert entry.username == "clerk"
    # Signing in again starts a fresh idle clock.
    assert password_login(client, "clerk", next_url="/admin/pages/").url == "/admin/pages/"
    assert client.get("/admin/pages/").status_code == 200


def test_activity_is_written_at_most_once_a_minute(client, clerk):
    client.force_login(clerk)
    client.get("/admin/")
    first = client.session[LAST_ACTIVITY]
    client.get("/admin/pages/")
    assert client.session[LAST_ACTIVITY] == first  # no session write for every request
    idle_for(client, 2)
    client.get("/admin/pages/")
    assert client.session[LAST_ACTIVITY] >= first


def test_timeout_is_configurable_and_can_be_off(client, clerk, settings):
    settings.GOVPORTAL_IDLE_TIMEOUT_MINUTES = 10
    client.force_login(clerk)
    idle_for(client, 11)
    assert client.get("/admin/").status_code == 302
    assert not is_logged_in(client)

    settings.GOVPORTAL_IDLE_TIMEOUT_MINUTES = 0
    client.force_login(clerk)
    idle_for(client, 600)
    assert client.get("/admin/").status_code == 200


def test_citizens_are_not_timed_out(client):
    citizen = make_user("citizen_chen")
    client.force_login(citizen)
    idle_for(client, 600)
    client.get("/")
    assert is_logged_in(client)
