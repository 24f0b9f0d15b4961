"""信息报送 state machine, permission rules and the monthly statistics (信息报送通报).

::

    submitted (已报送) ──adopt──▶ adopted (已采用)
        │  └────────decline──▶ declined (未采用)
        └───────────withdraw─▶ withdrawn (已撤回)

Only ``submitted`` has exits; the other states are final. Every transition checks its
permission here (the admin views check again, to hide what a user cannot do) and is
written to Wagtail's audit log on the source article, so it shows in the page history.

Permission errors raise :class:`~django.core.exceptions.PermissionDenied`, invalid
transitions and input :class:`~django.core.exceptions.ValidationError`; both carry a
Chinese message meant for the user.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.html import escape

from wagtail.log_actions import log
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from govportal import audit
from govportal.content.models import ArticlePage, ChannelPage
from govportal.core.visibility import in_subtrees
from govportal.organizations.models import Membership, Organization, SiteOrganization
from govportal.siteadmin.access import (
    add_permission_paths,
    handled_sites,
    page_in_site,
    site_of,
)

from .models import Submission, SubmissionStatus

S = SubmissionStatus

ACTION_SUBMIT = "govportal.submission.submit"
ACTION_ADOPT = "govportal.submission.adopt"
ACTION_DECLINE = "govportal.submission.decline"
ACTION_WITHDRAW = "govportal.submission.withdraw"

# The allowed transitions: action → (from state, to state).
TRANSITIONS = {
    "adopt": (S.SUBMITTED, S.ADOPTED),
    "decline": (S.SUBMITTED, S.DECLINED),
    "withdraw": (S.SUBMITTED, S.WITHDRAWN),
}
ACTION_LABELS = {"adopt": "采用", "decline": "退回（未采用）", "withdraw": "撤回"}


# -- permissions --------------------------------------------------------------------------


def can_submit(user, article: Page) -> bool:
    """Whoever may edit the article may submit it."""
    return bool(user and user.is_authenticated and article.permissions_for_user(user).can_edit())


def adoptable_channels(user, site: Site):
    """Channels of ``site`` that ``user`` may add an article to, in tree order."""
    channels = ChannelPage.objects.descendant_of(site.root_page).order_by("path")
    if user.is_superuser:
        return channels
    paths = add_permission_paths(user)
    if not paths:
        return channels.none()
    return channels.filter(in_subtrees(paths))


def can_adopt_into(user, channel: Page) -> bool:
    return bool(
        user and user.is_authenticated and channel.permissions_for_user(user).can_add_subpage()
    )


def can_decide(user, submission: Submission) -> bool:
    """May ``user`` adopt or decline ``submission`` (permission only, not state)?

    With a requested channel: add permission there. Without one: add permission
    anywhere on the target site. (Adopting then also needs add permission on the
    channel actually chosen, see :func:`adopt`.)
    """
    if not user or not user.is_authenticated:
        return False
    if submission.target_channel_id:
        return can_adopt_into(user, submission.target_channel)
    return any(site.pk == submission.target_site_id for site in handled_sites(user))


def organization_for(user, site: Site) -> Organization | None:
    """The submitting unit: the user's primary 所属单位, else the unit owning the site."""
    membership = (
        Membership.objects.filter(user=user, is_primary=True).select_related("organization").first()
    )
    if membership is not None:
        return membership.organization
    link = SiteOrganization.objects.filter(site=site).select_related("organization").first()
    return link.organization if link else None


# -- transitions --------------------------------------------------------------------------


def _require_state(submission: Submission, action: str) -> None:
    source, _target = TRANSITIONS[action]
    if submission.status != source:
        raise ValidationError(
            f"该报送当前状态为“{submission.get_status_display()}”，不能{ACTION_LABELS[action]}。",
            code="invalid_transition",
        )


def _log(submission: Submission, action: str, user, **extra) -> None:
    data = {
        "submission_id": submission.pk,
        "title": submission.article.title,
        "organization": submission.organization.name,
        "source_site": submission.source_site.site_name,
        "target_site": submission.target_site.site_name,
        **extra,
    }
    log(instance=submission.article, action=action, user=user, data=data)
    audit.record(
        action.removeprefix("govportal."),
        user=user,
        obj=submission,
        before=None if action == ACTION_SUBMIT else {"status": S.SUBMITTED},
        after={"status": submission.status},
        **data,
    )


def _locked(submission: Submission) -> Submission:
    """Re-read the row under a lock (inside the caller's transaction)."""
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("article", "organization", "source_site", "target_site__root_page")
        .get(pk=submission.pk)
    )


def submit(article, user, target_site: Site, channel=None, note: str = "") -> Submission:
    """报送 ``article`` to ``target_site`` (optionally suggesting ``channel``)."""
    article = article.specific
    if type(article) is not ArticlePage:
        # Library appearances (引用页) are ArticlePage subclasses without content of their
        # own: the source site submits the original, not a receiving site.
        raise ValidationError("只能报送本站原创的文章，资源库引用页不能报送。", code="not_article")
    if not can_submit(user, article):
        raise PermissionDenied("您没有编辑该文章的权限，不能报送。")
    if not article.live:
        raise ValidationError("只能报送已发布的文章。", code="not_live")
    source_site = site_of(article)
    if source_site is None:
        raise ValidationError("该文章不属于任何站点，不能报送。", code="no_site")
    if target_site.pk == source_site.pk:
        raise ValidationError("不能报送到文章所在的本站点，请选择其他站点。", code="same_site")
    if channel is not None:
        channel = channel.specific
        if not isinstance(channel, ChannelPage) or not page_in_site(channel, target_site):
            raise ValidationError("建议栏目不属于所选的目标站点。", code="channel_site")
    organization = organization_for(user, source_site)
    if organization is None:
        raise ValidationError(
            "无法确定报送单位：请先为您的账号设置所属单位，或为本站点设置所属单位。",
            code="no_organization",
        )
    if Submission.objects.filter(
        article=article, target_site=target_site, status=S.SUBMITTED
    ).exists():
        raise ValidationError("该文章已报送到该站点，正在等待处理。", code="duplicate")
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                article=article,
                source_site=source_site,
                organization=organization,
                submitter=user,
                target_site=target_site,
                target_channel=channel,
                note=(note or "").strip(),
            )
            _log(
                submission,
                ACTION_SUBMIT,
                user,
                channel=channel.title if channel is not None else "",
                note=submission.note,
            )
    except IntegrityError as exc:  # a concurrent submit of the same pair won the race
        raise ValidationError("该文章已报送到该站点，正在等待处理。", code="duplicate") from exc
    return submission


def _unique_slug(parent: Page, slug: str, suffix) -> str:
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate = slug
    n = 0
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{suffix}" if n == 1 else f"{slug}-{suffix}-{n}"
    return candidate


def source_link_html(article: ArticlePage, organization: Organization) -> str:
    url = article.get_full_url() or ""
    return (
        f'<p>来源：{escape(organization.name)}　原文链接：<a href="{escape(url)}">'
        f"{escape(article.title)}</a></p>"
    )


def adopt(submission: Submission, user, channel) -> Submission:
    """采用: publish a copy in ``channel`` of the target site, attributed and linked back."""
    channel = channel.specific
    with transaction.atomic():
        submission = _locked(submission)
        _require_state(submission, "adopt")
        target_site = submission.target_site
        if not isinstance(channel, ChannelPage) or not page_in_site(channel, target_site):
            raise ValidationError(
                "只能采用到报送目标站点的栏目中，不能采用到其他站点。", code="channel_site"
            )
        if not can_adopt_into(user, channel):
            raise PermissionDenied("您没有在该栏目中新增文章的权限，不能采用。")
        article = submission.article
        if not article.live:
            raise ValidationError("原文已撤下，不能采用。", code="source_not_live")
        organization = submission.organization
        body = [("paragraph", RichText(source_link_html(article, organization)))]
        body += [(block.block_type, block.value) for block in article.body]
        now = timezone.now()
        page = ArticlePage(
            title=article.title,
            slug=_unique_slug(channel, article.slug, f"sub{submission.pk}"),
            subtitle=article.subtitle,
            summary=article.summary,
            keywords=article.keywords,
            author=article.author,
            source=organization.name,
            publish_time=now,
            body=body,
            owner=user,
            live=False,
        )
        channel.add_child(instance=page)
        # The adopted copy is the receiving site's own publication: someone who may publish
        # there publishes it at once; anyone else sends it through the site's review
        # workflow like any article they write (it stays a draft if there is none).
        revision = page.save_revision(user=user, log_action=True)
        if page.permissions_for_user(user).can_publish():
            revision.publish(user=user)
        elif (workflow := page.get_workflow()) is not None:
            workflow.start(page, user)
        page = ArticlePage.objects.get(pk=page.pk)

        submission.status = S.ADOPTED
        submission.decided_by = user
        submission.decided_at = now
        submission.adopted_page = page
        submission.save(update_fields=["status", "decided_by", "decided_at", "adopted_page"])
        _log(
            submission,
            ACTION_ADOPT,
            user,
            channel=channel.title,
            adopted_page_id=page.pk,
            adopted_url=page.get_full_url() or "",
        )
    return submission


def decline(submission: Submission, user, reason: str) -> Submission:
    """不采用, with the reason the submitter will see."""
    reason = (reason or "").strip()
    with transaction.atomic():
        submission = _locked(submission)
        _require_state(submission, "decline")
        if not can_decide(user, submission):
            raise PermissionDenied("您没有处理该站点报送信息的权限。")
        if not reason:
            raise ValidationError("请填写未采用的原因。", code="reason_required")
        submission.status = S.DECLINED
        submission.decided_by = user
        submission.decided_at = timezone.now()
        submission.decline_reason = reason
        submission.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
        _log(submission, ACTION_DECLINE, user, reason=reason)
    return submission


def withdraw(submission: Submission, user) -> Submission:
    """撤回: the submitter takes back a submission not yet handled."""
    with transaction.atomic():
        submission = _locked(submission)
        if not user or submission.submitter_id != user.pk:
            raise PermissionDenied("只有报送人本人可以撤回报送。")
        _require_state(submission, "withdraw")
        submission.status = S.WITHDRAWN
        submission.decided_at = timezone.now()
        submission.save(update_fields=["status", "decided_at"])
        _log(submission, ACTION_WITHDRAW, user)
    return submission


# -- statistics ---------------------------------------------------------------------------


@dataclass
class StatsRow:
    rank: int
    organization: Organization
    submitted: int
    adopted: int
    declined: int
    pending: int

    @property
    def rate(self) -> Decimal | None:
        """采用率 in percent, one decimal; ``None`` when nothing was submitted."""
        if not self.submitted:
            return None
        value = Decimal(self.adopted * 100) / Decimal(self.submitted)
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def rate_display(self) -> str:
        rate = self.rate
        return "—" if rate is None else f"{rate}%"


def month_range(year: int, month: int) -> tuple[datetime, datetime]:
    """The local-time [start, end) of a calendar month, as aware datetimes."""
    tz = timezone.get_current_timezone()
    start = datetime(year, month, 1, tzinfo=tz)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
    return start, end


def monthly_stats(year: int, month: int, target_sites=None) -> list[StatsRow]:
    """The 信息报送通报 of one month, ranked by adopted, then adoption rate.

    Counts the submissions made in that month (by 报送时间), withdrawn ones excluded:
    报送数 = adopted + declined + still pending; 采用数 = those of them adopted (so far).
    Every unit that owns a site other than the target sites is listed, even with nothing
    submitted (采用率 "—"). ``target_sites``: limit to submissions to these sites
    (``None`` = all).
    """
    start, end = month_range(year, month)
    submissions = Submission.objects.filter(created_at__gte=start, created_at__lt=end).exclude(
        status=S.WITHDRAWN
    )
    owners = SiteOrganization.objects.all()
    if target_sites is not None:
        site_ids = [s.pk for s in target_sites]
        submissions = submissions.filter(target_site_id__in=site_ids)
        owners = owners.exclude(site_id__in=site_ids)
    counts = {
        row["organization"]: row
        for row in submissions.values("organization").annotate(
            submitted=Count("pk"),
            adopted=Count("pk", filter=Q(status=S.ADOPTED)),
            declined=Count("pk", filter=Q(status=S.DECLINED)),
            pending=Count("pk", filter=Q(status=S.SUBMITTED)),
        )
    }
    org_ids = set(counts) | set(owners.values_list("organization_id", flat=True))
    empty = {"submitted": 0, "adopted": 0, "declined": 0, "pending": 0}
    rows = [
        StatsRow(
            rank=0,
            organization=org,
            **{k: counts.get(org.pk, empty)[k] for k in empty},
        )
        for org in Organization.objects.filter(pk__in=org_ids)
    ]
    rows.sort(
        key=lambda r: (
            -r.adopted,
            -(r.rate if r.rate is not None else Decimal(-1)),
            -r.submitted,
            r.organization.path,
        )
    )
    previous = None
    for position, row in enumerate(rows, start=1):
        key = (row.adopted, row.rate)
        row.rank = previous[1] if previous and previous[0] == key else position
        previous = (key, row.rank)
    return rows


def stats_totals(rows: list[StatsRow]) -> StatsRow:
    return StatsRow(
        rank=0,
        organization=None,
        submitted=sum(r.submitted for r in rows),
        adopted=sum(r.adopted for r in rows),
        declined=sum(r.declined for r in rows),
        pending=sum(r.pending for r in rows),
    )


STATS_HEADERS = ["排名", "单位", "报送数", "采用数", "未采用数", "待处理数", "采用率"]


def stats_workbook(year: int, month: int, rows: list[StatsRow]) -> bytes:
    """The ranking table as an .xlsx file; 采用率 is a number formatted as percent."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年{month}月"
    ws.append([f"{year}年{month}月信息报送通报"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(STATS_HEADERS)
    for cell in ws[2]:
        cell.font = Font(bold=True)

    def write(rank, name, row):
        ws.append(
            [
                rank,
                name,
                row.submitted,
                row.adopted,
                row.declined,
                row.pending,
                float(row.rate) / 100 if row.rate is not None else "—",
            ]
        )
        ws.cell(row=ws.max_row, column=7).number_format = "0.0%"

    for row in rows:
        write(row.rank, row.organization.name, row)
    write("", "合计", stats_totals(rows))
    ws.column_dimensions["B"].width = 36
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
