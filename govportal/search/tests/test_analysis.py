"""Chinese analysis: normalisation, bigram index terms, segmentation, pinyin, queries."""

import pytest

from govportal.search import analysis
from govportal.search.analysis import (
    GOV_TERMS,
    index_terms,
    initials,
    normalize,
    parse_query,
    phrase_tokens,
    pinyin,
    segment,
)
from govportal.search.models import DictionaryWord, SearchTerm, SynonymGroup


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＡＢＣ１２３　政务公开", "abc123 政务公开"),  # full-width → half-width, one space
        ("政務公開  與 資訊", "政务公开 与 资讯"),  # traditional → simplified
        ("  COVID-19\n疫情防控\t", "covid-19 疫情防控"),
        ("", ""),
    ],
)
def test_normalize(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("政务公开", "政务 务公 公开 开"),
        ("税", "税"),
        ("拨打12345热线，", "拨打 打 12345 热线 线"),
        ("Hello, World!", "hello world"),
        ("《政府信息公開條例》", "政府 府信 信息 息公 公开 开条 条例 例"),
        ("。，！", ""),
    ],
)
def test_index_terms_are_bigrams_and_words(text, expected):
    assert index_terms(text) == expected


def test_query_phrases_match_inside_longer_runs():
    # The document run may go on after the query word: no trailing single character.
    assert phrase_tokens("政务").tokens == ("政务",)
    assert phrase_tokens("依申请公开").tokens == ("依申", "申请", "请公", "公开")
    one = phrase_tokens("税")
    assert one.tokens == ("税",) and one.prefix_last
    mixed = phrase_tokens("2024年")
    assert mixed.tokens == ("2024", "年") and mixed.prefix_last
    # The query's own tokens are a contiguous part of the document's.
    doc = index_terms("关于做好2024年度依申请公开工作的通知").split()
    for word in ("依申请公开", "做好2024", "申请公开工作的通"):
        tokens = list(phrase_tokens(word).tokens)
        assert any(doc[i : i + len(tokens)] == tokens for i in range(len(doc))), word


def test_segment_keeps_government_terms_whole():
    words = segment("关于优化营商环境和推进一网通办的实施意见")
    assert "营商环境" in words
    assert "一网通办" in words
    assert "，" not in words and " " not in words
    assert len(GOV_TERMS) >= 100


@pytest.mark.django_db
def test_custom_dictionary_words_are_used_and_reloaded():
    text = "推进数智赋能工程"
    assert "数智赋能" not in segment(text)
    word = DictionaryWord.objects.create(word="数智赋能")
    assert "数智赋能" in segment(text)
    word.enabled = False
    word.save()
    assert "数智赋能" not in segment(text)


@pytest.mark.parametrize(
    ("word", "full", "short"),
    [
        ("政务公开", "zhengwugongkai", "zwgk"),
        ("营商环境", "yingshanghuanjing", "yshj"),
        ("12345热线", "12345rexian", "12345rx"),
    ],
)
def test_pinyin_and_initials(word, full, short):
    assert pinyin(word) == full
    assert initials(word) == short


@pytest.mark.django_db
def test_parse_query_groups_synonyms_and_exclusions():
    SynonymGroup.objects.create(words="社保，社会保险、社会保障")
    parsed = parse_query("社保  缴费 -补缴")
    assert parsed.groups == [["社保", "社会保险", "社会保障"], ["缴费"]]
    assert parsed.excluded == ["补缴"]
    assert set(parsed.highlight_terms) == {"社保", "社会保险", "社会保障", "缴费"}
    assert parsed.highlight_terms[0] == "社会保险"  # longest first, so marks nest well
    # Disabled groups are not used.
    SynonymGroup.objects.update(enabled=False)
    analysis.invalidate_synonyms()
    assert parse_query("社保").groups == [["社保"]]


@pytest.mark.django_db
def test_parse_query_splits_long_unspaced_queries_into_words():
    parsed = parse_query("关于优化营商环境的实施意见")
    words = [g[0] for g in parsed.groups]
    assert "营商环境" in "".join(words)
    assert len(words) >= 3
    assert "的" not in words
    # Short ones stay one phrase; punctuation separates words.
    assert parse_query("依申请公开").groups == [["依申请公开"]]
    assert parse_query("营商环境，年度报告").groups == [["营商环境"], ["年度报告"]]


@pytest.mark.django_db
def test_parse_query_traditional_and_pinyin():
    parsed = parse_query("營商環境")
    assert parsed.normalized == "营商环境" and parsed.traditional_converted
    assert not parse_query("营商环境").traditional_converted
    # Pinyin of the seed terms works before any index exists …
    assert parse_query("zwgk").converted_from_pinyin == "政务公开"
    assert parse_query("yishenqinggongkai").groups[0][0] == "依申请公开"
    # … and index words (SearchTerm) come first, most frequent first.
    SearchTerm.objects.create(
        word="质量强市", pinyin="zhiliangqiangshi", initials="zlqs", doc_count=3
    )
    assert parse_query("zlqs").converted_from_pinyin == "质量强市"
    assert parse_query("ZhiLiang QiangShi").converted_from_pinyin == "质量强市"
    assert parse_query("hello").converted_from_pinyin is None
