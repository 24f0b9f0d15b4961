"""`check --deploy`: no default-named staff accounts, no demo/default passwords."""

import pytest

from govportal.accounts.checks import check_default_accounts
from govportal.accounts.demo import DEMO_PASSWORD
from govportal.conftest import make_user

pytestmark = pytest.mark.django_db


def error_ids() -> list[str]:
    return [error.id for error in check_default_accounts(None)]


def test_personal_accounts_pass():
    make_user("zhang_wei", is_staff=True, is_superuser=True)
    make_user("li_na", is_staff=True)
    assert error_ids() == []


@pytest.mark.parametrize(
    ("username", "extra", "expected"),
    [
        ("admin", {"is_superuser": True, "is_staff": True}, ["govportal.accounts.E001"]),
        ("Administrator", {"is_staff": True}, ["govportal.accounts.E001"]),
        ("root", {"is_staff": True}, ["govportal.accounts.E001"]),
        ("guest", {}, []),  # no staff rights: not an admin account
        ("test", {"is_staff": True, "is_active": False}, []),  # deactivated
    ],
)
def test_default_names_with_staff_rights_fail(username, extra, expected):
    make_user(username, **extra)
    assert error_ids() == expected


def test_demo_password_fails_and_names_the_accounts():
    user = make_user("city_editor")
    user.set_password(DEMO_PASSWORD)
    user.save()
    errors = check_default_accounts(None)
    assert [e.id for e in errors] == ["govportal.accounts.E002"]
    assert "city_editor" in errors[0].msg
    assert "Demo@2026gov" not in errors[0].msg  # never print the password itself


def test_the_demo_fails_the_check():
    from govportal.accounts.demo import build_demo_security
    from govportal.audit.demo import build_demo_audit

    build_demo_audit()
    build_demo_security()
    assert "govportal.accounts.E002" in error_ids()
