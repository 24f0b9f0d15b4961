"""超期主动公开 report: entries published more than 20 working days after 成文日期, in the
user's sites only, for people with a role on some site; CSV export audited."""

import csv
import datetime
import io

from django.urls import reverse

import pytest

from govportal.audit.models import AuditRecord
from govportal.conftest import make_user

from .conftest import make_entry

workdays = pytest.importorskip(
    "govportal.core.workdays", reason="govportal.core.workdays (another helper's work) is missing"
)

URL = reverse("disclosure_late_report")
D = datetime.date
# 2025 National Day: 10-01..10-08 off; Sunday 09-28 and Saturday 10-11 are make-up working
# days (调休).
WRITTEN = D(2025, 9, 22)


def published_after(n: int) -> datetime.date:
    return workdays.add_workdays(WRITTEN, n)


@pytest.fixture
def late(cats):
    entries = {
        n: make_entry(cats.index_a, title=f"用时{n}个工作日", written_date=WRITTEN, published=published_after(n))
        for n in (5, 20, 21, 30)
    }  # fmt: skip
    entries["b"] = make_entry(
        cats.index_b, title="乙站超期", written_date=WRITTEN, published=published_after(40)
    )
    entries["draft"] = make_entry(
        cats.index_a,
        title="未发布超期",
        written_date=WRITTEN,
        published=published_after(40),
        live=False,
    )
    return entries


def listed(response) -> list[str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select("table tbody td a")]


def test_calendar_spans_the_holiday(db):  # overrides are read from the database
    # 20 working days from 2025-09-22 end after National Day, counting both make-up days:
    # 9-23..26 (4), 9-28 (5), 9-29..30 (7), 10-9..11 (10), 10-13..17 (15), 10-20..24 (20).
    assert published_after(20) == D(2025, 10, 24)
    assert workdays.workdays_between(WRITTEN, D(2025, 10, 24)) == 20
    assert workdays.workdays_between(WRITTEN, D(2025, 10, 27)) == 21


@pytest.mark.parametrize(
    ("user_key", "expected"),
    [
        ("a.admin", ["用时30个工作日", "用时21个工作日"]),
        ("a.editor", ["用时30个工作日", "用时21个工作日"]),
        ("b.admin", ["乙站超期"]),
    ],
)
def test_lists_entries_over_twenty_working_days_in_the_users_sites(
    client, cats, late, user_key, expected
):
    site, role = user_key.split(".")
    client.force_login(getattr(getattr(cats.group, site), role))
    response = client.get(URL)
    assert response.status_code == 200
    assert listed(response) == expected
    html = response.content.decode()
    assert "超期主动公开" in html


def test_superuser_sees_every_site(client, cats, late, superuser):
    client.force_login(superuser)
    assert set(listed(client.get(URL))) == {"用时30个工作日", "用时21个工作日", "乙站超期"}


def test_site_filter_keeps_to_the_users_sites(client, cats, late, superuser):
    client.force_login(superuser)
    response = client.get(URL, {"site": cats.group.b.site.pk})
    assert listed(response) == ["乙站超期"]


def test_people_without_a_site_role_are_refused(client, cats, late):
    staff = make_user("sysadmin_like", is_staff=True)
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    refused = client.get(URL)  # Wagtail turns the refusal into a message on the dashboard
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")
    client.logout()
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_csv_export_is_audited(client, cats, late):
    client.force_login(cats.group.a.admin)
    response = client.get(URL, {"export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["索引号", "名称"]
    by_title = {r[1]: r for r in rows[1:]}
    assert set(by_title) == {"用时30个工作日", "用时21个工作日"}
    assert by_title["用时21个工作日"][-2:] == ["21", "1"]
    record = (
        AuditRecord.objects.filter(action="disclosure.export_late_report").order_by("-seq").first()
    )
    assert record is not None and record.after == {"format": "csv", "rows": 2}
