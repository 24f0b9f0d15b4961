"""Encrypted fields: ciphertext in the database, plain values in Python, lookups by index."""

from django.core.exceptions import FieldError
from django.db import connection, models
from django.test import override_settings
from django.test.utils import isolate_apps

import pytest

from govportal.privacy.fields import BlindIndexField, EncryptedCharField, lookup
from govportal.privacy.keys import DecryptionError, current_key_id, key_id
from govportal.privacy.tests.conftest import stored
from govportal.privacy.tests.testapp.models import Applicant, Letter, Person

pytestmark = pytest.mark.django_db

ID_CARD = "11010519491231002X"


def make_person(**fields) -> Person:
    values = {"name": "张三丰", "phone": "13812341234", "id_card": ID_CARD,
              "address": "浙江省杭州市西湖区文三路90号", "email": "zhangsan@example.com"}  # fmt: skip
    values.update(fields)
    return Person.objects.create(**values)


def test_values_are_encrypted_at_rest_and_read_back_plain():
    person = make_person()
    for column, plain in [("name", "张三丰"), ("phone", "13812341234"), ("id_card", ID_CARD),
                          ("address", "浙江省杭州市西湖区文三路90号")]:  # fmt: skip
        raw = stored(Person, person.pk, column)
        assert raw.startswith(current_key_id() + "$")
        assert plain not in raw and "张" not in raw and "1381234" not in raw
    again = Person.objects.get(pk=person.pk)
    assert (again.name, again.phone, again.id_card, again.email) == (
        "张三丰", "13812341234", ID_CARD, "zhangsan@example.com",
    )  # fmt: skip
    assert Person.objects.filter(pk=person.pk).values_list("address", flat=True)[0] == (
        "浙江省杭州市西湖区文三路90号"
    )


def test_equal_values_encrypt_differently():
    a, b = make_person(), make_person()
    assert stored(Person, a.pk, "phone") != stored(Person, b.pk, "phone")


def test_null_and_blank_are_kept_as_such():
    person = make_person(id_card=None, phone="", address="")
    assert stored(Person, person.pk, "id_card") is None
    assert stored(Person, person.pk, "phone") == ""
    again = Person.objects.get(pk=person.pk)
    assert (again.id_card, again.phone, again.address) == (None, "", "")
    assert list(Person.objects.filter(id_card__isnull=True)) == [person]


def test_max_length_applies_to_the_plaintext_not_the_ciphertext():
    person = Person(name="张" * 50, phone="13812341234")
    person.full_clean()  # the ciphertext is far longer than 50, the column is text
    person.save()
    assert Person.objects.get(pk=person.pk).name == "张" * 50
    person.name = "张" * 51
    with pytest.raises(Exception, match="50"):
        person.full_clean()


def test_model_validation_uses_the_field_validators():
    person = Person(name="张三", phone="12345", id_card="110105194912310021")
    with pytest.raises(Exception) as error:
        person.full_clean()
    assert set(error.value.message_dict) == {"phone", "id_card"}


@pytest.mark.parametrize("lookup_name", ["exact", "icontains", "startswith", "in", "gt"])
def test_lookups_that_cannot_work_on_ciphertext_are_refused(lookup_name):
    value = ["13812341234"] if lookup_name == "in" else "13812341234"
    with pytest.raises(FieldError, match="BlindIndexField"):
        Person.objects.filter(**{f"phone__{lookup_name}": value}).exists()
    with pytest.raises(FieldError, match="BlindIndexField"):
        Person.objects.filter(phone="13812341234").exists()


def test_blind_index_finds_rows_by_any_spelling_without_decrypting():
    wanted = make_person(phone="13812341234")
    make_person(phone="13900001111", id_card=None)
    for spelling in ["13812341234", "+86 138-1234-1234", "１３８ １２３４ １２３４"]:
        assert list(lookup(Person, "phone", spelling)) == [wanted]
    assert list(lookup(Person, "id_card", "11010519491231002x")) == [wanted]
    assert list(lookup(Person.objects.filter(note="其他"), "phone", "13812341234")) == []
    assert list(lookup(Person, "phone", "")) == []
    assert list(lookup(Person, "phone", None)) == []
    raw_index = stored(Person, wanted.pk, "phone_index")
    assert len(raw_index) == 64 and "1381234" not in raw_index
    assert stored(Person, wanted.pk, "id_card_index") is not None


def test_blind_index_follows_changes_and_empties():
    person = make_person(phone="13812341234")
    person.phone = "13900001111"
    person.save()
    assert list(lookup(Person, "phone", "13900001111")) == [person]
    assert not lookup(Person, "phone", "13812341234").exists()
    person.id_card = None
    person.save()
    assert stored(Person, person.pk, "id_card_index") is None


def test_saving_a_source_without_its_index_is_refused():
    person = make_person()
    person.phone = "13900001111"
    with pytest.raises(ValueError, match="phone_index"):
        person.save(update_fields=["phone"])
    person.save(update_fields=["phone", "phone_index"])
    assert list(lookup(Person, "phone", "13900001111")) == [person]
    person.note = "只改备注"
    person.save(update_fields=["note"])  # other fields: no index involved


def test_lookup_on_a_field_without_index_is_an_error():
    with pytest.raises(FieldError, match="没有 BlindIndexField"):
        lookup(Person, "name", "张三丰")


def test_bulk_create_and_multi_table_inheritance():
    Person.objects.bulk_create([Person(name="李四", phone="13700000001")])
    applicant = Applicant.objects.create(name="王五", phone="13700000002", employer="示例市发改委")
    with connection.cursor() as cursor:
        cursor.execute("SELECT employer FROM privacy_tests_applicant")
        (raw,) = cursor.fetchone()
    assert raw.startswith(current_key_id() + "$") and "发改委" not in raw
    assert Applicant.objects.get().employer == "示例市发改委"
    assert [p.name for p in Person.objects.order_by("pk")] == ["李四", "王五"]
    assert list(lookup(Applicant, "phone", "13700000002")) == [applicant]


def test_altered_ciphertext_is_detected():
    person = make_person()
    raw = stored(Person, person.pk, "name")
    forged = raw[:-6] + ("AAAAAA" if not raw.endswith("AAAAAA") else "BBBBBB")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE privacy_tests_person SET name = %s WHERE id = %s", [forged, person.pk]
        )
    with pytest.raises(DecryptionError, match="altered or is corrupt"):
        Person.objects.get(pk=person.pk)


def test_value_under_an_unknown_key_names_the_key(key_a, key_b):
    with override_settings(GOVPORTAL_FIELD_KEYS=[key_a]):
        person = make_person()
    with (
        override_settings(GOVPORTAL_FIELD_KEYS=[key_b]),
        pytest.raises(DecryptionError, match=f"encrypted with key {key_id(key_a)}"),
    ):
        Person.objects.get(pk=person.pk)


@isolate_apps("govportal.privacy.tests.testapp")
def test_model_checks_refuse_indexes_on_ciphertext_and_bad_sources():
    class Broken(models.Model):  # noqa: DJ008 — never saved
        phone = EncryptedCharField(max_length=20, unique=True)
        note = models.CharField(max_length=10)
        note_index = BlindIndexField(source="note")
        ghost_index = BlindIndexField(source="ghost")

        class Meta:
            app_label = "privacy_tests"

    ids = [error.id for error in Broken.check()]
    assert ids.count("privacy.E101") == 1
    assert ids.count("privacy.E102") == 2


def test_letter_fields_use_their_masks():
    letter = Letter.objects.create(name="欧阳娜娜", phone="+86 138 1234 1234")
    field = Letter._meta.get_field("phone")
    assert field.masked(letter.phone) == "138****1234"
    assert Letter._meta.get_field("name").masked(letter.name) == "欧阳**"
    assert Person._meta.get_field("note").__class__.__name__ == "CharField"


def test_queryset_update_and_bulk_update_encrypt_too():
    a, b = make_person(phone="13800000001"), make_person(phone="13800000002")
    Person.objects.filter(pk=a.pk).update(name="李四")
    a.address, b.address = "北京市海淀区A路1号", "北京市海淀区B路2号"
    Person.objects.bulk_update([a, b], ["address"])
    for pk, name, address in [
        (a.pk, "李四", "北京市海淀区A路1号"),
        (b.pk, "张三丰", "北京市海淀区B路2号"),
    ]:
        assert "李" not in stored(Person, pk, "name") and "北京" not in stored(
            Person, pk, "address"
        )
        again = Person.objects.get(pk=pk)
        assert (again.name, again.address) == (name, address)
