"""政府信息公开申请答复书 (the answer letter) as a PDF, built with :mod:`govportal.core.pdf`.

One paragraph per answer type with its legal basis (条例第三十六条第X项; for 不予公开 the
article of the reason: 第十四条/第十五条/第十六条), then the remedy notice (60 日内行政复议,
6 个月内行政诉讼), the agency and the date. :func:`build` works on an unsaved answer too,
so handlers can preview the letter before sending it.
"""

from govportal.core import pdf

from .taxonomy import AnswerType, Outcome

LAW = "《中华人民共和国政府信息公开条例》"
ITEM = {
    AnswerType.ALREADY_PUBLIC: "（一）",
    AnswerType.DISCLOSED: "（二）",
    AnswerType.WITHHELD: "（三）",
    AnswerType.NOT_EXIST: "（四）",
    AnswerType.NOT_THIS_AGENCY: "（五）",
    AnswerType.REPEAT: "（六）",
    AnswerType.SPECIAL_REGISTER: "（七）",
}

#: 不予公开: the reason and its article.
WITHHELD_REASONS = {
    Outcome.WITHHELD_SECRET: ("属于国家秘密", "第十四条"),
    Outcome.WITHHELD_LAW: ("属于法律、行政法规禁止公开的政府信息", "第十四条"),
    Outcome.WITHHELD_SECURITY: ("公开后可能危及国家安全、公共安全、经济安全、社会稳定", "第十四条"),
    Outcome.WITHHELD_THIRD_PARTY: ("涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害", "第十五条"),
    Outcome.WITHHELD_INTERNAL: ("属于人事管理、后勤管理、内部工作流程等内部事务信息", "第十六条第一款"),
    Outcome.WITHHELD_PROCESS: ("属于讨论记录、过程稿、磋商信函、请示报告等过程性信息", "第十六条第二款"),
    Outcome.WITHHELD_ENFORCEMENT: ("属于行政执法案卷信息", "第十六条第二款"),
    Outcome.WITHHELD_QUERY: ("属于行政查询事项，应当依照有关法律、行政法规的规定办理查询", "第三十六条第（七）项"),
}  # fmt: skip

NOT_EXIST_REASONS = {
    Outcome.UNABLE_NOT_HELD: ("经检索，本机关没有制作或者获取您所申请的政府信息，该政府信息不存在", "第三十六条第（四）项"),
    Outcome.UNABLE_NEEDS_MAKING: ("您所申请的信息需要本机关对现有政府信息进行加工、分析后另行制作，本机关不予提供", "第三十八条"),
    Outcome.UNABLE_UNCLEAR: ("经补正，您的申请内容仍不明确，本机关无法确定您所需的政府信息", "第三十条"),
}  # fmt: skip

OTHER_REASONS = {
    Outcome.NOT_PROCESSED_PETITION: ("您的申请实为信访、投诉、举报事项，不属于政府信息公开申请，请按照信访等渠道办理", "第三十九条第一款"),
    Outcome.NOT_PROCESSED_PUBLICATION: ("您所要求提供的是公开出版物，请通过公开出版物的获取渠道获得", "第三十九条第二款"),
    Outcome.NOT_PROCESSED_EXCESSIVE: ("您无正当理由大量、频繁申请政府信息公开，本机关不予处理", "第三十五条"),
    Outcome.NOT_PROCESSED_CONFIRM: ("您要求本机关确认或者重新出具已获取的信息，本机关不予处理", "第三十九条第二款"),
    Outcome.OTHER_NO_CLARIFICATION: ("您无正当理由逾期未补正申请内容，视为放弃申请，本机关不再处理该政府信息公开申请", "第三十条"),
    Outcome.OTHER_FEE_UNPAID: ("您逾期未按收费通知要求缴纳费用，本机关不再处理该政府信息公开申请", "第四十二条"),
    Outcome.OTHER: ("本机关依法作出其他处理决定", ""),
}  # fmt: skip


def _clause(article: str) -> str:
    return f"根据{LAW}{article}的规定" if article else "根据有关规定"


def answer_paragraph(request_obj) -> str:
    """The operative paragraph (答复意见) for the request's answer type and outcome."""
    kind = request_obj.answer_type
    outcome = request_obj.outcome
    item = ITEM.get(kind, "")
    basis = f"第三十六条第{item}项"
    extra = (request_obj.answer_text or "").strip()
    if kind == AnswerType.ALREADY_PUBLIC:
        text = (
            f"经审查，您申请获取的政府信息已经主动公开。{_clause(basis)}，现告知您获取该"
            f"政府信息的方式和途径：{request_obj.public_location}。"
        )
    elif kind == AnswerType.DISCLOSED:
        if outcome == Outcome.PARTIAL:
            text = (
                f"经审查，您申请获取的政府信息中含有不应当公开的内容，但能够作区分处理。"
                f"{_clause(basis + '和第三十七条')}，本机关决定部分公开，向您提供可以公开的"
                "政府信息内容，并对不予公开的内容说明理由。"
            )
        else:
            text = (
                f"经审查，您申请获取的政府信息属于公开范围。{_clause(basis)}，本机关决定予以公开。"
            )
        text += "所公开的信息见附件，或按以下方式、途径和时间获取。"
    elif kind == AnswerType.WITHHELD:
        reason, article = WITHHELD_REASONS.get(outcome, ("依法不予公开", ""))
        text = (
            f"经审查，您申请获取的政府信息{reason}。{_clause(article)}及第三十六条第（三）项，"
            "本机关决定不予公开。"
        )
    elif kind == AnswerType.NOT_EXIST:
        reason, article = NOT_EXIST_REASONS.get(outcome, NOT_EXIST_REASONS[Outcome.UNABLE_NOT_HELD])
        text = f"{reason}。{_clause(article)}，特此告知。"
    elif kind == AnswerType.NOT_THIS_AGENCY:
        text = (
            f"经审查，您申请获取的政府信息不属于本机关负责公开。{_clause(basis)}，现告知您"
            f"负责公开该政府信息的机关为{request_obj.referral_agency}，请向该机关申请。"
        )
    elif kind == AnswerType.REPEAT:
        text = (
            f"经审查，您的申请属于重复申请，本机关已就相同内容作出过答复。{_clause(basis)}，"
            "本机关不予重复处理。"
        )
    elif kind == AnswerType.SPECIAL_REGISTER:
        text = (
            "经审查，您申请获取的是工商、不动产登记资料等信息，有关法律、行政法规对信息的获取"
            f"有特别规定。{_clause(basis)}，请依照有关法律、行政法规的规定办理。"
        )
    else:
        reason, article = OTHER_REASONS.get(outcome, OTHER_REASONS[Outcome.OTHER])
        text = f"经审查，{reason}。{_clause(article)}，特此告知。"
    if extra:
        text += f"\n{extra}"
    return text


def next_number(request_obj) -> str:
    """答复书文号, e.g. 示教依复〔2026〕第3号: the agency's short name and a yearly serial."""
    from .models import DisclosureRequest

    org = request_obj.organization
    year = (request_obj.answered_on or request_obj.received_on).year
    serial = (
        DisclosureRequest.objects.filter(organization=org, answered_on__year=year)
        .exclude(pk=request_obj.pk)
        .exclude(letter_number="")
        .count()
        + 1
    )
    prefix = (org.short_name or org.name).replace("示例市", "示")
    return f"{prefix}依复〔{year}〕第{serial}号"


def build(request_obj) -> bytes:
    """The PDF bytes of the answer letter (also for a preview of an unsaved answer)."""
    org = request_obj.organization
    answered = request_obj.answered_on
    received = request_obj.received_on
    story = [
        pdf.title("政府信息公开申请答复书"),
        pdf.para(request_obj.letter_number or "（预览，尚未编号）", "subtitle"),
        pdf.para(f"{request_obj.name}：", "plain"),
        pdf.para(
            f"本机关于{received:%Y年%-m月%-d日}收到您提出的政府信息公开申请"
            f"（查询码：{request_obj.tracking_code}），您申请获取的信息为："
            f"“{request_obj.subject}”。现答复如下："
        ),
        pdf.para(answer_paragraph(request_obj)),
    ]
    if request_obj.answer_type == AnswerType.DISCLOSED:
        names = [a.filename for a in request_obj.attachments.filter(kind="answer")]
        if names:
            story.append(pdf.para("附件：" + "；".join(names)))
    story += [
        pdf.para(
            "如对本答复不服，可以自收到本答复之日起60日内依法申请行政复议，"
            "或者自收到本答复之日起6个月内依法向人民法院提起行政诉讼。"
        ),
        pdf.space(10),
        pdf.para(org.name, "right"),
        pdf.para(f"{answered:%Y年%-m月%-d日}", "right"),
    ]
    if org.phone or org.address:
        story += [
            pdf.space(8),
            pdf.para(f"联系电话：{org.phone}　通信地址：{org.address}", "plain"),
        ]
    return pdf.build(
        story, title="政府信息公开申请答复书", author=org.name, subject=request_obj.tracking_code
    )
