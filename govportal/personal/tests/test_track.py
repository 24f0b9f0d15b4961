"""办件查询 (/my/track/): no account, masked output, no enumeration, rate limit per address."""

import pytest

from govportal.audit.models import AuditRecord
from govportal.personal.tests.testapp.models import SampleCase

pytestmark = pytest.mark.django_db

NOT_FOUND = "未查询到相符的办件"


@pytest.fixture
def case(db):
    return SampleCase.objects.create(
        kind="sample_request",
        title="申请公开 13800138000 提到的道路规划",
        tracking_code="YSQ2026000123",
        verification="8000",
        applicant_name="张三丰",
        phone="13800138000",
        status="办理中",
    )


def post(client, code, verification, **extra):
    return client.post("/my/track/", {"tracking_code": code, "verification": verification}, **extra)


def test_form_explains_what_to_enter(client):
    page = client.get("/my/track/").content.decode()
    assert "查询码" in page and "验证信息" in page
    assert "测试申请：申请人手机号码后4位" in page
    assert 'for="id_tracking_code"' in page and 'for="id_verification"' in page


def test_found_case_shows_masked_personal_data_only(client, case):
    response = post(client, "ysq2026000123", "8000")
    page = response.content.decode()
    assert response.status_code == 200
    assert "查询结果" in page and "测试申请" in page and "办理中" in page
    assert "张**" in page and "138****8000" in page
    assert "张三丰" not in page and "13800138000" not in page
    assert NOT_FOUND not in page


@pytest.mark.parametrize(
    "code,verification",
    [("YSQ2026000123", "1234"), ("YSQ2026000999", "8000"), ("YSQ2026000999", "1234")],
)
def test_wrong_code_or_verification_get_the_same_answer(client, case, code, verification):
    response = post(client, code, verification)
    page = response.content.decode()
    assert response.status_code == 200
    assert NOT_FOUND in page and "查询结果" not in page
    # What the visitor typed is kept.
    assert f'value="{code}"' in page and f'value="{verification}"' in page


def test_empty_fields_get_clear_messages(client):
    page = post(client, "", "").content.decode()
    assert "请输入查询码。" in page and "请输入验证信息。" in page
    assert 'aria-invalid="true"' in page


def test_lookups_are_rate_limited_per_address(client, case, settings):
    settings.GOVPORTAL_TRACK_LIMIT = 3
    for _ in range(3):
        assert post(client, "YSQ2026000999", "0000").status_code == 200
    refused = post(client, "YSQ2026000123", "8000")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "查询过于频繁，请 1 小时后再试" in page
    assert "查询结果" not in page
    assert 'value="YSQ2026000123"' in page  # kept
    post(client, "YSQ2026000123", "8000")
    # One audit record per window, not one per refused attempt.
    records = AuditRecord.objects.filter(action="personal.track_throttled")
    assert records.count() == 1
    assert records.get().outcome == "denied"
    # Another address is not affected.
    other = post(client, "YSQ2026000123", "8000", REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 200 and "查询结果" in other.content.decode()


def test_lookup_is_never_cached_and_uses_post(client, case):
    response = client.get("/my/track/?tracking_code=YSQ2026000123&verification=8000")
    assert "查询结果" not in response.content.decode()
    assert "no-cache" in response["Cache-Control"]
