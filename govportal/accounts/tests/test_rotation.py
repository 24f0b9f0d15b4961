"""Password rotation (GOVPORTAL_PASSWORD_MAX_AGE_DAYS) and history (no reuse of the last 5)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.test.utils.form_data import querydict_from_html

import pytest
from bs4 import BeautifulSoup

from govportal.accounts.models import PasswordHistory
from govportal.accounts.tests.conftest import actions_since, audit_mark
from govportal.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

REUSED = "不能使用最近 5 次用过的密码，请换一个新密码。"


def account_form(client):
    """What the account page posts, as a browser sends it (every panel's fields)."""
    html = client.get("/admin/account/").content.decode()
    soup = BeautifulSoup(html, "html.parser")
    form = soup.find("input", attrs={"name": "password-old_password"}).find_parent("form")
    return querydict_from_html(str(form))


def age_password(user, days: int) -> None:
    get_user_model().objects.filter(pk=user.pk).update(
        password_changed_at=timezone.now() - timedelta(days=days)
    )


@pytest.fixture
def clerk(db):
    return make_user("clerk", is_staff=True, is_superuser=True)


def test_set_password_stamps_the_change(clerk):
    before = timezone.now()
    user = get_user_model().objects.get(pk=clerk.pk)
    user.set_password("Xin!mima-2026a")
    user.save()
    user.refresh_from_db()
    assert user.password_changed_at >= before


@pytest.mark.parametrize(
    ("max_age", "age", "expired"),
    [(90, 89, False), (90, 91, True), (30, 31, True), (0, 3650, False)],
)
def test_expiry(clerk, settings, max_age, age, expired):
    settings.GOVPORTAL_PASSWORD_MAX_AGE_DAYS = max_age
    age_password(clerk, age)
    clerk.refresh_from_db()
    assert clerk.password_expired() is expired


def test_expired_password_sends_staff_to_the_password_form_until_changed(client, clerk):
    age_password(clerk, 91)
    client.force_login(clerk)
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/account/")
    page = client.get("/admin/account/").content.decode()
    assert "您的密码已超过 90 天未更换" in page
    assert client.get("/admin/").url.startswith("/admin/account/")  # still, until changed

    # Reusing the current password is refused, with the reason.
    data = account_form(client)
    data["name_email-first_name"], data["name_email-last_name"] = "办", "事员"
    data["password-old_password"] = PASSWORD
    data["password-new_password1"] = data["password-new_password2"] = PASSWORD
    with translation.override("zh-hans"):
        response = client.post("/admin/account/", data)
    assert REUSED in response.content.decode()
    assert client.get("/admin/").status_code == 302

    mark = audit_mark()
    new = "Huan!xinmima-2026"
    data["password-new_password1"] = data["password-new_password2"] = new
    assert client.post("/admin/account/", data).status_code == 302
    assert client.get("/admin/").status_code == 200  # the session survived the change
    assert len(actions_since(mark, "account.password_change")) == 1


def test_citizens_passwords_do_not_expire_in_the_admin_sense(client, settings):
    citizen = make_user("citizen_chen")
    age_password(citizen, 400)
    client.force_login(citizen)
    assert client.get("/").status_code in (200, 404)


def test_the_last_five_passwords_are_refused(clerk):
    user = get_user_model().objects.get(pk=clerk.pk)
    history = [f"Mima!{n}-changed-2026" for n in range(6)]
    for password in history:
        validate_password(password, user=user)
        user.set_password(password)
        user.save()
    assert PasswordHistory.objects.filter(user=user).count() == 5  # only five kept

    for password in history[1:]:  # the last five, the current one included
        with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
            validate_password(password, user=user)
        assert REUSED in error.value.messages
    # The sixth-last (and the first, from make_user) may come back.
    validate_password(history[0], user=user)
    validate_password(PASSWORD, user=user)


def test_admin_user_form_refuses_a_recent_password(client, db):
    boss = make_user("boss", is_superuser=True, is_staff=True)
    clerk = make_user("clerk2", is_staff=True)
    client.force_login(boss)
    data = {
        "username": "clerk2",
        "email": "clerk2@example.gov.cn",
        "first_name": "办",
        "last_name": "事员",
        "is_active": "on",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    response = client.post(reverse("wagtailusers_users:edit", args=(clerk.pk,)), data)
    assert response.status_code == 200
    assert REUSED in response.content.decode()
