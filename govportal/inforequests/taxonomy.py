"""依申请公开 classifications shared by the workflow and the annual report (年度报告).

The lists follow the 政府信息公开条例 (2019) and the 2021 annual-report template
(国办公开办函〔2021〕30号), table 三 "收到和处理政府信息公开申请情况":

* :class:`ApplicantType` — the report's columns: 自然人, and 法人或其他组织 split into
  商业企业 / 科研机构 / 社会公益组织 / 法律服务机构 / 其他.
* :class:`AnswerType` — the seven answers of Art. 36 (plus 其他处理决定 for the report rows
  no Art. 36 item covers: 信访类申请, 公开出版物, 大量反复申请, 逾期未补正 …).
* :class:`Outcome` — the report's rows under 三、本年度办理结果, one per request.
  :data:`OUTCOMES_FOR_ANSWER` says which rows each answer type may take.
"""

from django.db import models


class ApplicantType(models.TextChoices):
    NATURAL = "natural", "自然人"
    COMMERCIAL = "commercial", "商业企业"
    RESEARCH = "research", "科研机构"
    PUBLIC_INTEREST = "public_interest", "社会公益组织"
    LEGAL_SERVICE = "legal_service", "法律服务机构"
    OTHER_ORG = "other_org", "其他组织"

    @classmethod
    def legal_person_types(cls) -> list[str]:
        return [t for t in cls.values if t != cls.NATURAL]


class ReceivedVia(models.TextChoices):
    ONLINE = "online", "网上申请"
    LETTER = "letter", "信函申请"
    IN_PERSON = "in_person", "当面申请"
    FAX = "fax", "传真申请"
    EMAIL = "email", "电子邮件申请"
    OTHER = "other", "其他形式"


class IdType(models.TextChoices):
    ID_CARD = "id_card", "居民身份证"
    PASSPORT = "passport", "护照"
    HK_MACAO = "hk_macao", "港澳居民来往内地通行证"
    TAIWAN = "taiwan", "台湾居民来往大陆通行证"
    CREDIT_CODE = "credit_code", "统一社会信用代码"
    OTHER = "other", "其他证件"


class Delivery(models.TextChoices):
    """获取信息的方式 (申请表: 提供方式 / 获取方式 merged)."""

    ONLINE = "online", "在线获取（个人中心站内信）"
    EMAIL = "email", "电子邮件"
    POST = "post", "邮寄纸质件"
    PICKUP = "pickup", "当面领取"
    INSPECT = "inspect", "现场查阅"


class Status(models.TextChoices):
    SUBMITTED = "submitted", "待登记"  # online, not yet confirmed by staff (no 收到日期 yet)
    PROCESSING = "processing", "办理中"
    CLARIFYING = "clarifying", "待补正"
    CONSULTING = "consulting", "征求意见中"
    ANSWERED = "answered", "已答复"
    WITHDRAWN = "withdrawn", "已撤回"

    @classmethod
    def open_values(cls) -> list[str]:
        return [cls.SUBMITTED, cls.PROCESSING, cls.CLARIFYING, cls.CONSULTING]


class AnswerType(models.TextChoices):
    """条例第三十六条: how the agency answers (the answer letter's template)."""

    ALREADY_PUBLIC = "already_public", "已主动公开（告知获取的方式和途径）"
    DISCLOSED = "disclosed", "予以公开（提供信息或告知获取的方式、途径和时间）"
    WITHHELD = "withheld", "不予公开（告知并说明理由）"
    NOT_EXIST = "not_exist", "经检索没有所申请的信息（告知该信息不存在）"
    NOT_THIS_AGENCY = "not_this_agency", "不属于本机关负责公开（告知负责公开的机关）"
    REPEAT = "repeat", "重复申请（告知不予重复处理）"
    SPECIAL_REGISTER = (
        "special_register",
        "工商、不动产登记资料等（告知依照有关法律、行政法规办理）",
    )
    OTHER = "other", "其他处理决定"


class Outcome(models.TextChoices):
    """Rows of table 三 (本年度办理结果) of the 2021 annual-report template."""

    PUBLIC = "public", "予以公开"
    PARTIAL = "partial", "部分公开"
    WITHHELD_SECRET = "withheld_secret", "不予公开：属于国家秘密"
    WITHHELD_LAW = "withheld_law", "不予公开：其他法律行政法规禁止公开"
    WITHHELD_SECURITY = "withheld_security", "不予公开：危及“三安全一稳定”"
    WITHHELD_THIRD_PARTY = "withheld_third_party", "不予公开：保护第三方合法权益"
    WITHHELD_INTERNAL = "withheld_internal", "不予公开：属于三类内部事务信息"
    WITHHELD_PROCESS = "withheld_process", "不予公开：属于四类过程性信息"
    WITHHELD_ENFORCEMENT = "withheld_enforcement", "不予公开：属于行政执法案卷"
    WITHHELD_QUERY = "withheld_query", "不予公开：属于行政查询事项"
    UNABLE_NOT_HELD = "unable_not_held", "无法提供：本机关不掌握相关政府信息"
    UNABLE_NEEDS_MAKING = "unable_needs_making", "无法提供：没有现成信息需要另行制作"
    UNABLE_UNCLEAR = "unable_unclear", "无法提供：补正后申请内容仍不明确"
    NOT_PROCESSED_PETITION = "np_petition", "不予处理：信访举报投诉类申请"
    NOT_PROCESSED_REPEAT = "np_repeat", "不予处理：重复申请"
    NOT_PROCESSED_PUBLICATION = "np_publication", "不予处理：要求提供公开出版物"
    NOT_PROCESSED_EXCESSIVE = "np_excessive", "不予处理：无正当理由大量反复申请"
    NOT_PROCESSED_CONFIRM = "np_confirm", "不予处理：要求行政机关确认或重新出具已获取信息"
    OTHER_NO_CLARIFICATION = (
        "other_no_clarification",
        ("其他处理：申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    )
    OTHER_FEE_UNPAID = (
        "other_fee_unpaid",
        ("其他处理：申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    )
    OTHER = "other", "其他处理：其他"


#: The report's groups of outcome rows, in template order: (key, heading, outcomes).
OUTCOME_GROUPS: list[tuple[str, str, list[str]]] = [
    ("public", "（一）予以公开", [Outcome.PUBLIC]),
    ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [Outcome.PARTIAL]),
    ("withheld", "（三）不予公开", [o for o in Outcome.values if o.startswith("withheld_")]),
    ("unable", "（四）无法提供", [o for o in Outcome.values if o.startswith("unable_")]),
    ("not_processed", "（五）不予处理", [o for o in Outcome.values if o.startswith("np_")]),
    ("other", "（六）其他处理", [o for o in Outcome.values if o.startswith("other")]),
]

OUTCOMES_FOR_ANSWER: dict[str, list[str]] = {
    AnswerType.ALREADY_PUBLIC: [Outcome.PUBLIC],
    AnswerType.DISCLOSED: [Outcome.PUBLIC, Outcome.PARTIAL],
    AnswerType.WITHHELD: OUTCOME_GROUPS[2][2],
    AnswerType.NOT_EXIST: OUTCOME_GROUPS[3][2],
    AnswerType.NOT_THIS_AGENCY: [Outcome.UNABLE_NOT_HELD],
    AnswerType.REPEAT: [Outcome.NOT_PROCESSED_REPEAT],
    AnswerType.SPECIAL_REGISTER: [Outcome.OTHER],
    AnswerType.OTHER: [
        Outcome.NOT_PROCESSED_PETITION,
        Outcome.NOT_PROCESSED_PUBLICATION,
        Outcome.NOT_PROCESSED_EXCESSIVE,
        Outcome.NOT_PROCESSED_CONFIRM,
        Outcome.OTHER_NO_CLARIFICATION,
        Outcome.OTHER_FEE_UNPAID,
        Outcome.OTHER,
    ],
}

#: A withdrawn request (申请人撤回) counts in the report as 其他处理：其他.
WITHDRAWN_OUTCOME = Outcome.OTHER

#: Statutory periods (条例第三十条、第三十三条) in working days.
ANSWER_WORKDAYS = 20
CLARIFICATION_NOTICE_WORKDAYS = 7
CONSULTATION_WORKDAYS = 15
MAX_EXTENSION_WORKDAYS = 20
MAX_EXTENSIONS = 1
MAX_CLARIFICATIONS = 1
