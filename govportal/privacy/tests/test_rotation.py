"""Key rotation: data under key A, keys "B,A", rotate, then A can go."""

import io

from django.core.management import CommandError, call_command
from django.test import override_settings

import pytest

from govportal.privacy.fields import lookup
from govportal.privacy.keys import key_id
from govportal.privacy.tests.conftest import stored
from govportal.privacy.tests.testapp.models import Applicant, Letter, Person

pytestmark = pytest.mark.django_db

ENCRYPTED = {
    Person: ["name", "phone", "id_card", "address", "email"],
    Applicant: ["employer"],
    Letter: ["name", "phone"],
}


def populate() -> list[Person]:
    people = [
        Person.objects.create(
            name=f"测试{i}号",
            phone=f"1380000000{i}",
            id_card="11010519491231002X",
            address="浙江省杭州市西湖区文三路90号",
            email=f"p{i}@example.com",
        )  # fmt: skip
        for i in range(7)
    ]
    people.append(Person.objects.create(name="空值", phone="", id_card=None))
    people.append(Applicant.objects.create(name="申请人", phone="13900000009", employer="某局"))
    Letter.objects.create(name="写信人", phone="13700000000")
    return people


def key_ids_in_use() -> set[str]:
    ids = set()
    for model, columns in ENCRYPTED.items():
        for pk in model._base_manager.values_list("pk", flat=True):
            for column in columns:
                value = stored(model, pk, column)
                if value:
                    ids.add(value.split("$", 1)[0])
    return ids


def rotate(*args) -> str:
    out = io.StringIO()
    call_command("rotate_field_keys", *args, stdout=out)
    return out.getvalue()


def test_rotation_moves_every_value_to_the_newest_key(key_a, key_b):
    with override_settings(GOVPORTAL_FIELD_KEYS=[key_a]):
        people = populate()
        index_under_a = stored(Person, people[0].pk, "phone_index")
        assert key_ids_in_use() == {key_id(key_a)}

    with override_settings(GOVPORTAL_FIELD_KEYS=[key_b, key_a]):
        # Before rotating, data under A still reads and is still found.
        assert Person.objects.get(pk=people[0].pk).name == "测试0号"
        assert list(lookup(Person, "phone", "13800000000")) == [people[0]]
        # New writes already use B.
        Letter.objects.create(name="新来信", phone="13700000001")
        assert key_ids_in_use() == {key_id(key_a), key_id(key_b)}

        output = rotate("--batch-size", "3")
        assert f"最新密钥 {key_id(key_b)}" in output
        assert "privacy_tests.Person: 3/9 行已检查" in output  # progress per batch
        assert "privacy_tests.Person: 9/9 行已检查，已重新加密 9 行" in output
        assert "privacy_tests.Applicant: 1/1 行已检查，已重新加密 1 行" in output
        assert "privacy_tests.Letter: 2/2 行已检查，已重新加密 1 行" in output
        assert "可以从 GOVPORTAL_FIELD_KEYS 删除旧密钥" in output
        assert key_ids_in_use() == {key_id(key_b)}
        assert stored(Person, people[0].pk, "phone_index") != index_under_a

        # Idempotent: a second run finds nothing to do.
        assert "完成：已重新加密 0 行。" in rotate()

    with override_settings(GOVPORTAL_FIELD_KEYS=[key_b]):  # A removed
        person = Person.objects.get(pk=people[0].pk)
        assert (person.name, person.phone, person.id_card, person.email) == (
            "测试0号", "13800000000", "11010519491231002X", "p0@example.com",
        )  # fmt: skip
        assert Person.objects.get(pk=people[7].pk).id_card is None
        assert Applicant.objects.get().employer == "某局"
        assert sorted(Letter.objects.values_list("name", flat=True)) == ["写信人", "新来信"]
        assert list(lookup(Person, "phone", "+86 138 0000 0000")) == [people[0]]
        assert list(lookup(Person, "id_card", "11010519491231002x").order_by("pk")) == people[:7]


def test_dry_run_counts_and_writes_nothing(key_a, key_b):
    with override_settings(GOVPORTAL_FIELD_KEYS=[key_a]):
        populate()
    with override_settings(GOVPORTAL_FIELD_KEYS=[key_b, key_a]):
        output = rotate("--dry-run")
        assert "privacy_tests.Person: 9/9 行已检查，需重新加密 9 行" in output
        assert "（未写入）" in output
        assert key_ids_in_use() == {key_id(key_a)}


def test_rotation_refuses_when_an_old_key_was_removed_too_early(key_a, key_b):
    with override_settings(GOVPORTAL_FIELD_KEYS=[key_a]):
        populate()
    with (
        override_settings(GOVPORTAL_FIELD_KEYS=[key_b]),
        pytest.raises(CommandError, match=f"key {key_id(key_a)}.*把旧密钥放回"),
    ):
        rotate()


def test_rotation_fills_missing_blind_indexes():
    people = populate()
    Person.objects.update(phone_index=None)  # e.g. an index added after the rows existed
    assert not lookup(Person, "phone", "13800000003").exists()
    output = rotate()
    # Values are already under the newest key; the 8 rows with a phone number get an index.
    assert "privacy_tests.Person: 9/9 行已检查，已重新加密 8 行" in output
    assert list(lookup(Person, "phone", "13800000003")) == [people[3]]
    assert "已重新加密 0 行" in rotate()


def test_batch_size_must_be_positive():
    with pytest.raises(CommandError, match="batch-size"):
        rotate("--batch-size", "0")
