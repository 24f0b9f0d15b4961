"""Chinese text analysis (中文分析) for the search index and for queries.

Two ways of looking at text, used for different things:

* **Index terms** (:func:`index_terms`): every run of Chinese characters becomes its
  overlapping character bigrams (政务公开 → 政务 务公 公开) followed by the run's last
  character on its own (开); latin letters and digits become lower-case words. The
  database's full-text engine indexes these tokens, and a query word is searched as the
  *phrase* of its own bigrams (:func:`phrase_tokens`). Any Chinese string of two or more
  characters inside a document is therefore found — the same answer as a substring scan,
  100 % recall by construction, whatever a segmenter thinks the words are. The trailing
  single character lets one-character queries (税) be answered with a prefix match.
* **Words** (:func:`segment`): jieba with the government dictionary (:data:`GOV_TERMS` +
  the admin-edited :class:`~govportal.search.models.DictionaryWord`), used to split long
  queries into words, to build the term list behind pinyin input and "did you mean", and
  nowhere in the index itself.

Everything indexed and every query goes through :func:`normalize` first: full-width →
half-width (NFKC), traditional → simplified (OpenCC t2s), latin lower-cased.
"""

from __future__ import annotations

import functools
import hashlib
import operator
import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field

#: Seed dictionary of government terms (政务术语): jieba keeps them whole, pinyin and
#: initials input reach them even before the index has been read; the demo loader turns
#: them into DictionaryWord rows editors can extend.
GOV_TERMS: tuple[str, ...] = (
    "营商环境",
    "优化营商环境",
    "政务公开",
    "信息公开",
    "政府信息公开",
    "依申请公开",
    "主动公开",
    "政府信息公开年度报告",
    "年度报告",
    "放管服",
    "放管服改革",
    "一网通办",
    "一网统管",
    "一件事一次办",
    "最多跑一次",
    "跨省通办",
    "全程网办",
    "不见面审批",
    "12345热线",
    "政务服务",
    "政务服务中心",
    "便民服务",
    "行政审批",
    "行政许可",
    "行政处罚",
    "行政复议",
    "行政诉讼",
    "权责清单",
    "负面清单",
    "双随机一公开",
    "政策解读",
    "政策文件",
    "规范性文件",
    "决策公开",
    "执行公开",
    "管理公开",
    "服务公开",
    "结果公开",
    "政府工作报告",
    "财政预算",
    "财政决算",
    "三公经费",
    "政府采购",
    "招标投标",
    "公共资源交易",
    "重大项目",
    "民生实事",
    "社会保险",
    "社保",
    "医疗保险",
    "医保",
    "养老保险",
    "失业保险",
    "工伤保险",
    "住房公积金",
    "公积金",
    "最低生活保障",
    "低保",
    "特困供养",
    "乡村振兴",
    "脱贫攻坚",
    "共同富裕",
    "高质量发展",
    "新型城镇化",
    "生态环境",
    "环境保护",
    "安全生产",
    "应急管理",
    "疫情防控",
    "食品安全",
    "市场监管",
    "统一社会信用代码",
    "营业执照",
    "个体工商户",
    "小微企业",
    "减税降费",
    "留抵退税",
    "稳岗返还",
    "就业创业",
    "人才引进",
    "义务教育",
    "学前教育",
    "不动产登记",
    "户籍管理",
    "居住证",
    "身份证",
    "出入境",
    "人大代表建议",
    "政协委员提案",
    "建议提案",
    "领导信箱",
    "书记信箱",
    "市长信箱",
    "政民互动",
    "网上调查",
    "在线访谈",
    "征集调查",
    "意见征集",
    "垃圾分类",
    "城市更新",
    "老旧小区改造",
    "数字政府",
    "法治政府建设",
    "基层治理",
    "河湖长制",
    "碳达峰",
    "碳中和",
    "新闻发布会",
    "人事任免",
    "机构职能",
    "领导之窗",
    "统计数据",
    "统计公报",
    "国民经济和社会发展统计公报",
    "审计报告",
    "督查检查",
    "互联网+政务服务",
)

# Chinese (and Japanese kana) characters: runs of these become bigrams.
_CJK = (
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef\U00030000-\U0003134f"
)
_RUN_RE = re.compile(rf"([{_CJK}]+)|([0-9a-z\u00c0-\u024f]+)")
_CJK_RE = re.compile(rf"[{_CJK}]")
_CJK_ONLY_RE = re.compile(rf"^[{_CJK}]+$")
_WS_RE = re.compile(r"\s+")
_LATIN_WORD_RE = re.compile(r"^[a-z]+$")
# Query separators: whitespace and punctuation split a query into words.
_QUERY_SPLIT_RE = re.compile(rf"[^{_CJK}0-9a-z\u00c0-\u024f\-]+")

#: Function words dropped from long, unspaced queries (they would only narrow the phrase).
STOPWORDS = frozenset("的了和与及在是对等之或把被为从向将于以其并而")


@functools.cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """NFKC, traditional → simplified, lower case; whitespace kept as it is."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    if _CJK_RE.search(text):
        text = _t2s().convert(text)
    return text.lower()


def normalize(text: str) -> str:
    """规范化: full-width → half-width, traditional → simplified, lower case, one space."""
    return _WS_RE.sub(" ", fold(text)).strip()


def to_simplified(text: str) -> str:
    """Only the traditional → simplified step of :func:`normalize`."""
    return _t2s().convert(text) if text and _CJK_RE.search(text) else text


def is_cjk(text: str) -> bool:
    return bool(text) and bool(_CJK_ONLY_RE.match(text))


def _tokens(normalized: str) -> list[str]:
    tokens: list[str] = []
    extend, append, add = tokens.extend, tokens.append, operator.add
    for cjk, latin in _RUN_RE.findall(normalized):
        if cjk:
            extend(map(add, cjk, cjk[1:]))  # the bigrams
            append(cjk[-1])
        else:
            append(latin)
    return tokens


def index_tokens(text: str, *, normalized: bool = False) -> list[str]:
    """The tokens of :func:`index_terms` as a list."""
    return _tokens(text if normalized else normalize(text))


def index_terms(text: str, *, normalized: bool = False) -> str:
    """The token string fed to the database's full-text engine (see the module doc)."""
    return " ".join(index_tokens(text, normalized=normalized))


@dataclass(frozen=True)
class PhraseTokens:
    """How one query word is matched: the phrase of these tokens, the last one maybe as a
    prefix (a word that ends in one Chinese character: 税 → 税*, 2024年 → 2024 年*)."""

    tokens: tuple[str, ...]
    prefix_last: bool = False


def phrase_tokens(word: str) -> PhraseTokens | None:
    """The phrase that finds ``word`` (normalized) as a substring of indexed text.

    The index holds, for each Chinese run, its bigrams and then its last character. A
    query word's own tokens are the same except at its end, where the document's run may
    go on: there the trailing single character is dropped (政务 → 政务, not 政务 务) or,
    for a run of one character, becomes a prefix token.
    """
    matches = list(_RUN_RE.finditer(word))
    if not matches:
        return None
    tokens = _tokens(word)
    last = matches[-1].group(1)
    if last is None:
        return PhraseTokens(tuple(tokens))
    if len(last) == 1:
        return PhraseTokens(tuple(tokens), prefix_last=True)
    return PhraseTokens(tuple(tokens[:-1]))


# --- segmentation ------------------------------------------------------------------

_jieba_lock = threading.Lock()
_jieba_state: dict = {"tokenizer": None, "fingerprint": None, "checked": 0.0, "words": set()}
#: Seconds between checks of the dictionary table (other processes may have edited it).
RELOAD_CHECK_SECONDS = 10.0


def _dictionary_rows() -> list[tuple[str, int]]:
    try:
        from .models import DictionaryWord

        return list(
            DictionaryWord.objects.filter(enabled=True)
            .order_by("word")
            .values_list("word", "weight")
        )
    except Exception:  # noqa: BLE001 — no table yet (migrations), still segment
        return []


def _fingerprint(rows) -> str:
    return hashlib.sha1(repr(rows).encode(), usedforsecurity=False).hexdigest()


def invalidate_dictionary() -> None:
    """Make the next :func:`segment` re-read the custom dictionary (called on save)."""
    _jieba_state["checked"] = 0.0


def tokenizer():
    """The process's jieba tokenizer with GOV_TERMS and the enabled DictionaryWords."""
    state = _jieba_state
    now = time.monotonic()
    if state["tokenizer"] is not None and now - state["checked"] < RELOAD_CHECK_SECONDS:
        return state["tokenizer"]
    with _jieba_lock:
        rows = _dictionary_rows()
        fingerprint = _fingerprint(rows)
        if state["tokenizer"] is None:
            import logging

            import jieba

            logging.getLogger("jieba").setLevel(logging.WARNING)
            jieba.setLogLevel(logging.WARNING)
            tk = jieba.Tokenizer()
            tk.initialize()
            for term in GOV_TERMS:
                tk.add_word(normalize(term), freq=10000)
            state["tokenizer"] = tk
        tk = state["tokenizer"]
        if fingerprint != state["fingerprint"]:
            new_words = {normalize(word): weight for word, weight in rows}
            for word in state["words"] - set(new_words):
                if word not in GOV_TERMS:
                    tk.del_word(word)
            for word, weight in new_words.items():
                tk.add_word(word, freq=weight)
            state["words"] = set(new_words)
            state["fingerprint"] = fingerprint
        state["checked"] = now
        return tk


def segment(text: str, *, search_mode: bool = True) -> list[str]:
    """分词: the words of ``text`` (normalized), jieba search mode by default (long words
    and the shorter words inside them); punctuation and spaces dropped."""
    text = normalize(text)
    if not text:
        return []
    tk = tokenizer()
    words = [w for w in (w.strip() for w in tk.cut(text)) if w and _RUN_RE.search(w)]
    return with_subwords(words) if search_mode else words


def with_subwords(words: list[str]) -> list[str]:
    """Each word preceded by the dictionary words inside it, of every length (优化营商环境
    → 优化, 营商, 环境, 营商环境, 优化营商环境) — more than jieba's own search mode."""
    freq = tokenizer().FREQ
    out: list[str] = []
    for word in words:
        if len(word) > 2 and is_cjk(word):
            for size in range(2, len(word)):
                for i in range(len(word) - size + 1):
                    piece = word[i : i + size]
                    if freq.get(piece):
                        out.append(piece)
        out.append(word)
    return out


# --- pinyin ----------------------------------------------------------------------


def pinyin(word: str) -> str:
    """全拼: full pinyin without tones or spaces (政务公开 → zhengwugongkai)."""
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(normalize(word), style=Style.NORMAL)).replace(" ", "").lower()


def initials(word: str) -> str:
    """首字母: the first letter of each syllable (政务公开 → zwgk); digits kept."""
    from pypinyin import Style, lazy_pinyin

    parts = lazy_pinyin(normalize(word), style=Style.FIRST_LETTER)
    return "".join(p if not p.isdigit() else p for p in parts).replace(" ", "").lower()


# --- synonyms --------------------------------------------------------------------

_syn_state: dict = {"map": None, "checked": 0.0}


def invalidate_synonyms() -> None:
    _syn_state["checked"] = 0.0
    _syn_state["map"] = None


_SYN_SPLIT_RE = re.compile(r"[\s,，、;；|/]+")


def synonym_map() -> dict[str, tuple[str, ...]]:
    """word → the other words of its enabled SynonymGroups (normalized), cached ~10 s."""
    now = time.monotonic()
    if _syn_state["map"] is not None and now - _syn_state["checked"] < RELOAD_CHECK_SECONDS:
        return _syn_state["map"]
    from .models import SynonymGroup

    mapping: dict[str, list[str]] = {}
    try:
        groups = list(SynonymGroup.objects.filter(enabled=True).values_list("words", flat=True))
    except Exception:  # noqa: BLE001 — no table yet
        groups = []
    for words in groups:
        members = []
        for w in _SYN_SPLIT_RE.split(words):
            w = normalize(w)
            if w and w not in members:
                members.append(w)
        for w in members:
            bucket = mapping.setdefault(w, [])
            bucket.extend(o for o in members if o != w and o not in bucket)
    result = {w: tuple(others) for w, others in mapping.items()}
    _syn_state.update(map=result, checked=now)
    return result


def synonyms(word: str) -> tuple[str, ...]:
    return synonym_map().get(word, ())


# --- queries ---------------------------------------------------------------------


@dataclass
class ParsedQuery:
    """A query as the engine reads it: an AND of groups, each an OR of phrases."""

    original: str
    normalized: str
    groups: list[list[str]] = field(default_factory=list)
    converted_from_pinyin: str | None = None
    traditional_converted: bool = False
    excluded: list[str] = field(default_factory=list)
    highlight_terms: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.groups


#: Unspaced Chinese chunks up to this length are searched as one phrase; longer ones are
#: split into words (AND), so 北京市优化营商环境政策 finds documents with those words apart.
MAX_PHRASE_CHARS = 6


def _split_long_chunk(chunk: str) -> list[str]:
    words = [w for w in segment(chunk, search_mode=False) if w not in STOPWORDS]
    merged: list[str] = []
    for w in words:
        if len(w) == 1 and is_cjk(w) and merged and is_cjk(merged[-1][-1]):
            merged[-1] += w  # a lone character stays with its neighbour: 北京+市
        else:
            merged.append(w)
    if len(merged) > 1 and len(merged[0]) == 1 and is_cjk(merged[0]):
        merged[1] = merged[0] + merged[1]
        merged.pop(0)
    return merged or [chunk]


def pinyin_lookup(text: str) -> str | None:
    """The Chinese word a latin query spells in pinyin or initials (zwgk → 政务公开)."""
    text = text.replace(" ", "").lower()
    if not _LATIN_WORD_RE.match(text) or len(text) < 2:
        return None
    from .models import SearchTerm

    try:
        term = (
            SearchTerm.objects.filter(pinyin=text).order_by("-doc_count", "word").first()
            or SearchTerm.objects.filter(initials=text).order_by("-doc_count", "word").first()
        )
    except Exception:  # noqa: BLE001 — no table yet
        term = None
    if term is not None:
        return term.word
    seeds = _seed_pinyin()
    return seeds[0].get(text) or seeds[1].get(text)


@functools.cache
def _seed_pinyin() -> tuple[dict[str, str], dict[str, str]]:
    full: dict[str, str] = {}
    short: dict[str, str] = {}
    for term in GOV_TERMS:
        full.setdefault(pinyin(term), term)
        short.setdefault(initials(term), term)
    return full, short


def parse_query(q: str) -> ParsedQuery:
    """Read a query: normalize, split into words, add synonyms, read pinyin/initials."""
    q = (q or "")[:200]
    normalized = normalize(q)
    parsed = ParsedQuery(original=q, normalized=normalized)
    no_t2s = _WS_RE.sub(" ", unicodedata.normalize("NFKC", q).lower()).strip()
    parsed.traditional_converted = no_t2s != normalized

    words: list[str] = []
    for raw in normalized.split(" "):
        if raw.startswith("-") and len(raw) > 1:
            for part in _QUERY_SPLIT_RE.split(raw[1:]):
                part = part.strip("-")
                if part and phrase_tokens(part):
                    parsed.excluded.append(part)
            continue
        for chunk in _QUERY_SPLIT_RE.split(raw):
            chunk = chunk.strip("-")
            if not chunk or not phrase_tokens(chunk):
                continue
            if is_cjk(chunk) and len(chunk) > MAX_PHRASE_CHARS:
                words.extend(_split_long_chunk(chunk))
            else:
                words.append(chunk)

    # A latin-only query may be pinyin: zhengwugongkai / zwgk → 政务公开.
    if words and all(_LATIN_WORD_RE.match(w) for w in words):
        converted = pinyin_lookup("".join(words))
        if converted:
            parsed.converted_from_pinyin = converted
            parsed.groups.append([converted, *synonyms(converted)])
            # The latin words still count, as an alternative (e.g. "ppp" in a document).
            if len(words) == 1:
                parsed.groups[0].append(words[0])
            words = []

    seen: set[str] = set()
    for word in words:
        if word in seen:
            continue
        seen.add(word)
        group = [word]
        group.extend(s for s in synonyms(word) if s not in group)
        parsed.groups.append(group)
    highlight: list[str] = []
    for group in parsed.groups:
        for phrase in group:
            if phrase not in highlight:
                highlight.append(phrase)
    parsed.highlight_terms = sorted(highlight, key=len, reverse=True)
    return parsed


def _connect_invalidation() -> None:
    """Edits in this process take effect at once; other processes within ~10 s."""
    from django.db.models.signals import post_delete, post_save

    def synonyms_changed(**kwargs):
        invalidate_synonyms()

    def dictionary_changed(**kwargs):
        invalidate_dictionary()

    for signal in (post_save, post_delete):
        signal.connect(
            synonyms_changed,
            sender="govsearch.SynonymGroup",
            weak=False,
            dispatch_uid=f"govsearch-synonyms-{id(signal)}",
        )
        signal.connect(
            dictionary_changed,
            sender="govsearch.DictionaryWord",
            weak=False,
            dispatch_uid=f"govsearch-dictionary-{id(signal)}",
        )


_connect_invalidation()


def dictionary_words() -> list[str]:
    """The enabled custom dictionary words."""
    return [word for word, _weight in _dictionary_rows()]


def warm() -> None:
    """Load jieba's and pypinyin's dictionaries now (gunicorn ``post_worker_init``), not
    in the first visitor's search: about 4 s and 130 MB per process, paid at start-up."""
    segment("优化营商环境政策文件")
    pinyin("政务公开")
    normalize("政務公開")
