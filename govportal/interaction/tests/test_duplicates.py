"""重复来信检查: bigram similarity of Chinese text, limited to open letters of the mailbox."""

from datetime import timedelta

from django.utils import timezone

import pytest

from govportal.interaction.duplicates import similar_open_letters, similarity, tokens
from govportal.interaction.taxonomy import Status

from .test_models import mailbox, make_letter  # noqa: F401 — the fixture

STREETLIGHT = (
    "幸福小区门口路灯不亮",
    "幸福小区东门口的路灯已经坏了一个多月，晚上出行很不方便，请尽快维修。",
)


def test_tokens_are_bigrams_of_chinese_and_whole_ascii_words():
    assert tokens("路灯不亮！") == {"路灯", "灯不", "不亮"}
    assert tokens("G107国道 KM12") == {"g107", "国道", "km12"}
    assert tokens("，。") == set()
    assert tokens("灯") == {"灯"}
    assert tokens("ＡＢＣ１２") == {"abc12"}  # full-width letters and digits normalised


@pytest.mark.parametrize(
    ("a", "b", "similar"),
    [
        ("幸福小区门口路灯不亮，请维修", "幸福小区门口的路灯不亮了，请尽快维修", True),
        ("幸福小区门口路灯不亮，请维修", "咨询2026年义务教育招生政策", False),
        ("", "任何内容", False),
    ],
)
def test_similarity_separates_the_same_matter_from_another(a, b, similar):
    assert (similarity(tokens(a), tokens(b)) >= 0.45) is similar


def test_finds_an_open_similar_letter_in_the_same_mailbox(mailbox):  # noqa: F811
    first = make_letter(mailbox, title=STREETLIGHT[0], body=STREETLIGHT[1])
    make_letter(mailbox, title="咨询义务教育招生政策", body="请问2026年小学入学需要准备哪些材料？",
                phone="13900001111")  # fmt: skip
    matches = similar_open_letters(
        mailbox, "幸福小区路灯坏了", "幸福小区东门口路灯坏了一个多月了，晚上出行不方便，请维修。",
        phone="13700002222",
    )  # fmt: skip
    assert [m.letter.pk for m in matches] == [first.pk]
    assert not matches[0].same_writer


def test_closed_old_and_other_mailbox_letters_are_not_candidates(mailbox):  # noqa: F811
    closed = make_letter(mailbox, title=STREETLIGHT[0], body=STREETLIGHT[1], status=Status.CLOSED)
    old = make_letter(mailbox, title=STREETLIGHT[0], body=STREETLIGHT[1])
    old.submitted_at = timezone.now() - timedelta(days=120)
    old.save(update_fields=["submitted_at"])
    assert similar_open_letters(mailbox, *STREETLIGHT) == []
    assert similar_open_letters(mailbox, *STREETLIGHT, exclude=closed) == []


def test_the_same_writer_needs_less_overlap(mailbox):  # noqa: F811
    earlier = make_letter(
        mailbox, title="幸福小区路灯", body="东门口路灯坏了。", phone="13812345678"
    )
    text = ("再次反映幸福小区路灯问题", "上次反映的东门口路灯至今没有修好，另外西门口也坏了两盏。")
    assert similar_open_letters(mailbox, *text, phone="13700000000") == []
    [match] = similar_open_letters(mailbox, *text, phone="138-1234-5678")
    assert match.letter.pk == earlier.pk and match.same_writer
