"""统一信息资源库: the rules — who may put what in, see, push, place and withdraw.

::

    入库 (add_article / upload) ──▶ item (active) ──withdraw──▶ withdrawn ──restore──▶ active
                                      │   ▲  source unpublished/deleted: withdrawn
                                      │   └─ source republished: active again
                                      ├── push ──▶ LibraryPush pending ──place──▶ placed
                                      │                            └──decline──▶ declined
                                      └── place (引用, pull) ──▶ LibraryReferencePage

Visibility (共享范围): an item is *shared with a site* when it comes from that site, is
shared with the whole site group, or is shared with its unit and sub-units and the site
belongs to that unit or one below it. A user sees the items shared with any site where
they may add pages (superusers: all). Placing needs add permission on the chosen channel.
Managing an item (push, withdraw, restore) needs edit permission on the source article,
or — for uploaded files — add permission somewhere on the source site.

Every state change is written to Wagtail's audit log on the item (``ModelLogEntry``).
Permission errors raise ``PermissionDenied``, invalid input and transitions
``ValidationError``, both with a Chinese message for the user.
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    Page,
    Site,
)
from wagtail.search import index

from govportal.audit.services import record
from govportal.content.models import ArticlePage, ChannelPage, TopicPage
from govportal.organizations.models import Membership, Organization, SiteOrganization
from govportal.publishing.models import ContentVersion
from govportal.siteadmin.access import handled_sites, page_in_site, site_of
from govportal.submissions.services import _unique_slug, adoptable_channels, can_adopt_into

from .models import (
    ItemKind,
    ItemStatus,
    LibraryItem,
    LibraryPush,
    LibraryReferencePage,
    PushStatus,
    ShareScope,
    WithdrawalCause,
)

ACTION_ADD = "govportal.library.add"
ACTION_PUSH = "govportal.library.push"
ACTION_PLACE = "govportal.library.place"
ACTION_DECLINE = "govportal.library.decline"
ACTION_WITHDRAW = "govportal.library.withdraw"
ACTION_RESTORE = "govportal.library.restore"
ACTION_SOURCE_WITHDRAWN = "govportal.library.source_withdrawn"
ACTION_SOURCE_RESTORED = "govportal.library.source_restored"

LIBRARY_COLLECTION = "统一信息资源库"
VIDEO_EXTENSIONS = ("mp4", "webm", "ogv")
DOCUMENT_EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "et", "ofd")


# -- visibility and permissions ------------------------------------------------------------


def organization_of_site(site: Site | None) -> Organization | None:
    if site is None:
        return None
    link = SiteOrganization.objects.filter(site=site).select_related("organization").first()
    return link.organization if link else None


def _ancestor_paths(organization: Organization) -> list[str]:
    """Tree paths of ``organization`` and every unit above it."""
    step = Organization.steplen
    return [organization.path[:end] for end in range(step, len(organization.path) + 1, step)]


def _shared_q(sites) -> Q:
    """Items shared with any of ``sites``."""
    site_ids = [s.pk for s in sites]
    condition = Q(source_site_id__in=site_ids) | Q(scope=ShareScope.GROUP)
    paths: list[str] = []
    for link in SiteOrganization.objects.filter(site_id__in=site_ids).select_related(
        "organization"
    ):
        paths += _ancestor_paths(link.organization)
    if paths:
        condition |= Q(scope=ShareScope.ORGANIZATION, organization__path__in=set(paths))
    return condition


def shared_with_site(item: LibraryItem, site: Site) -> bool:
    if item.source_site_id == site.pk or item.scope == ShareScope.GROUP:
        return True
    organization = organization_of_site(site)
    if organization is None or item.organization_id is None:
        return False
    return organization.path.startswith(item.organization.path)


def visible_items(user) -> QuerySet:
    """Items ``user`` may see in the library: shared with a site they handle."""
    items = LibraryItem.objects.all()
    if user.is_superuser:
        return items
    sites = handled_sites(user)
    if not sites:
        return items.none()
    return items.filter(_shared_q(sites) | Q(created_by=user))


def can_use_library(user) -> bool:
    return bool(user and user.is_authenticated and handled_sites(user))


def can_add_article(user, article: Page) -> bool:
    return bool(user and user.is_authenticated and article.permissions_for_user(user).can_edit())


def can_manage(user, item: LibraryItem) -> bool:
    """May ``user`` push, withdraw and restore ``item`` (the source side)?"""
    if not user or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if item.article is not None:
        return item.article.permissions_for_user(user).can_edit()
    return any(site.pk == item.source_site_id for site in handled_sites(user))


def placeable_sites(user, item: LibraryItem) -> list[Site]:
    """Sites where ``user`` may add pages and with which ``item`` is shared."""
    return [site for site in handled_sites(user) if shared_with_site(item, site)]


def placeable_channels(user, item: LibraryItem, site: Site | None = None) -> QuerySet:
    """Channels ``user`` may place ``item`` in (one site or all), minus those showing it."""
    sites = [site] if site is not None else placeable_sites(user, item)
    channels = ChannelPage.objects.none()
    for s in sites:
        if shared_with_site(item, s):
            channels |= adoptable_channels(user, s)
    taken = LibraryReferencePage.objects.filter(item=item).values_list("path", flat=True)
    taken_parents = {p[: -Page.steplen] for p in taken}
    if item.article is not None:
        taken_parents.add(item.article.path[: -Page.steplen])
    return channels.exclude(path__in=taken_parents).order_by("path")


def with_reuse_count(queryset: QuerySet) -> QuerySet:
    """Annotate ``reuse_count``: the item's live appearances (引用次数)."""
    return queryset.annotate(
        reuse_count=Count("references", filter=Q(references__live=True), distinct=True)
    )


# -- helpers ---------------------------------------------------------------------------------


# Audit-trail labels (审计日志 操作类型), registered in ``apps.ready``.
AUDIT_LABELS = {
    ACTION_ADD: "资源库：入库",
    ACTION_PUSH: "资源库：推送",
    ACTION_PLACE: "资源库：引用",
    ACTION_DECLINE: "资源库：拒绝推送",
    ACTION_WITHDRAW: "资源库：撤回",
    ACTION_RESTORE: "资源库：恢复",
    ACTION_SOURCE_WITHDRAWN: "资源库：来源撤下",
    ACTION_SOURCE_RESTORED: "资源库：来源恢复",
}


def audit_code(action: str) -> str:
    """``govportal.library.add`` → ``library.add``."""
    return action.removeprefix("govportal.")


def _log(item: LibraryItem, action: str, user, **extra) -> None:
    """Write the change to Wagtail's log on the item (its history) and the audit trail."""
    data = {
        "item_id": item.pk,
        "title": item.title,
        "kind": item.get_kind_display(),
        "source_site": item.source_name,
        **extra,
    }
    log(instance=item, action=action, user=user, data=data)
    record(audit_code(action), user=user, obj=item, after={"status": item.status}, **data)


def _locked(item: LibraryItem) -> LibraryItem:
    return (
        LibraryItem.objects.select_for_update(of=("self",))
        .select_related("article", "source_site", "organization", "document", "image")
        .get(pk=item.pk)
    )


def _organization_for(user, site: Site) -> Organization | None:
    """The source unit: the unit owning the source site, else the user's primary unit."""
    organization = organization_of_site(site)
    if organization is not None:
        return organization
    membership = (
        Membership.objects.filter(user=user, is_primary=True).select_related("organization").first()
    )
    return membership.organization if membership else None


def _check_scope(scope: str, organization) -> None:
    if scope not in ShareScope.values:
        raise ValidationError("共享范围无效。", code="scope")
    if scope == ShareScope.ORGANIZATION and organization is None:
        raise ValidationError(
            "无法确定来源单位，不能只共享给本单位：请先为站点设置所属单位。", code="no_organization"
        )


def library_collection() -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=LIBRARY_COLLECTION).first()
    return existing or root.add_child(name=LIBRARY_COLLECTION)


# -- 入库 ------------------------------------------------------------------------------------


def add_article(article, user, scope: str = ShareScope.GROUP) -> LibraryItem:
    """入库: put a live article of the user's site into the library."""
    article = article.specific
    if type(article) is not ArticlePage:
        raise ValidationError("只能将本站的原创文章加入资源库。", code="not_article")
    if not can_add_article(user, article):
        raise PermissionDenied("您没有编辑该文章的权限，不能加入资源库。")
    if not article.live:
        raise ValidationError("只能将已发布的文章加入资源库。", code="not_live")
    site = site_of(article)
    if site is None:
        raise ValidationError("该文章不属于任何站点。", code="no_site")
    organization = _organization_for(user, site)
    _check_scope(scope, organization)
    if LibraryItem.objects.filter(article=article).exists():
        raise ValidationError("该文章已在资源库中。", code="duplicate")
    try:
        with transaction.atomic():
            item = LibraryItem.objects.create(
                kind=ItemKind.ARTICLE,
                title=article.title,
                description=article.summary,
                article=article,
                source_site=site,
                organization=organization,
                original_time=article.publish_time,
                scope=scope,
                created_by=user,
            )
            _log(item, ACTION_ADD, user, scope=item.get_scope_display())
    except IntegrityError as exc:
        raise ValidationError("该文章已在资源库中。", code="duplicate") from exc
    return item


def kind_for_upload(filename: str) -> str:
    ext = Path(filename).suffix.lower().lstrip(".")
    if ext in VIDEO_EXTENSIONS:
        return ItemKind.VIDEO
    if ext in DOCUMENT_EXTENSIONS:
        return ItemKind.DOCUMENT
    raise ValidationError(
        "不支持的文件类型。文档：" + "、".join(DOCUMENT_EXTENSIONS)
        + "；视频：" + "、".join(VIDEO_EXTENSIONS) + "。",
        code="file_type",
    )  # fmt: skip


def upload(
    user,
    site: Site,
    *,
    title: str,
    file,
    kind: str | None = None,
    description: str = "",
    scope: str = ShareScope.GROUP,
    original_time=None,
) -> LibraryItem:
    """入库: store an uploaded document, image or video as an item of ``site``.

    ``kind`` ``"image"`` stores a Wagtail image (the form has validated it as one);
    otherwise the file extension decides between document and video.
    """
    if not user.is_superuser and not any(s.pk == site.pk for s in handled_sites(user)):
        raise PermissionDenied("您没有该站点的编辑权限，不能为其上传资源。")
    title = (title or "").strip()
    if not title:
        raise ValidationError("请填写标题。", code="title")
    organization = _organization_for(user, site)
    _check_scope(scope, organization)
    if kind != ItemKind.IMAGE:
        kind = kind_for_upload(file.name)
    collection = library_collection()
    with transaction.atomic():
        item = LibraryItem(
            kind=kind,
            title=title[:255],
            description=(description or "").strip(),
            source_site=site,
            organization=organization,
            original_time=original_time or timezone.now(),
            scope=scope,
            created_by=user,
        )
        if kind == ItemKind.IMAGE:
            image = get_image_model()(
                title=item.title, collection=collection, uploaded_by_user=user
            )
            image.file = file
            image.save()
            item.image = image
        else:
            document = get_document_model()(
                title=item.title, collection=collection, uploaded_by_user=user
            )
            document.file = file
            document.file_size = file.size
            document.save()
            item.document = document
        item.save()
        _log(item, ACTION_ADD, user, scope=item.get_scope_display())
    return item


# -- 入库 of a file already on a site ------------------------------------------------------


def site_collections(sites) -> dict[int, Site]:
    """The image/document collection of each of ``sites`` (see ``sites.roles``) → its site.

    One query for any number of sites: the shallowest collection (below the root) on which
    a group anchored on the site root holds permissions, as ``site_collection_of`` decides.
    """
    by_root = {site.root_page_id: site for site in sites}
    rows = (
        GroupCollectionPermission.objects.filter(
            group__page_permissions__page_id__in=list(by_root), collection__depth__gt=1
        )
        .values_list("group__page_permissions__page_id", "collection_id")
        .order_by("collection__depth", "collection_id")
        .distinct()
    )
    chosen: dict[int, Site] = {}
    seen_roots: set[int] = set()
    for root_id, collection_id in rows:
        if root_id not in seen_roots:
            seen_roots.add(root_id)
            chosen.setdefault(collection_id, by_root[root_id])
    return chosen


def own_media_q(user) -> Q:
    """Images or documents in the collections of the sites ``user`` handles (and below)."""
    collections = Collection.objects.filter(pk__in=list(site_collections(handled_sites(user))))
    condition = Q(pk__in=[])
    for collection in collections:
        condition |= Q(collection__path__startswith=collection.path)
    return condition


def own_documents(user) -> QuerySet:
    return get_document_model().objects.filter(own_media_q(user)).order_by("-created_at")


def own_images(user) -> QuerySet:
    return get_image_model().objects.filter(own_media_q(user)).order_by("-created_at")


def site_of_media(user, media) -> Site | None:
    """The site (among those ``user`` handles) whose collection holds ``media``."""
    chain = {c.pk for c in media.collection.get_ancestors(inclusive=True)}
    for collection_id, site in site_collections(handled_sites(user)).items():
        if collection_id in chain:
            return site
    return None


def add_existing_media(
    user,
    *,
    document=None,
    image=None,
    description: str = "",
    scope: str = ShareScope.GROUP,
) -> LibraryItem:
    """入库: put a document, video or image already stored on one of the user's sites into
    the library. Nothing is copied: the item points at the file, which stays in the site's
    collection (renaming or deleting it there reaches every appearance).
    """
    if (document is None) == (image is None):
        raise ValidationError("请选择一个文档或一张图片。", code="media_required")
    media = image if image is not None else document
    site = site_of_media(user, media)
    if site is None:
        raise PermissionDenied("只能选择本站点的文档和图片。")
    if image is not None:
        kind = ItemKind.IMAGE
        exists = LibraryItem.objects.filter(image=image).exists()
    else:
        kind = kind_for_upload(document.file.name)
        exists = LibraryItem.objects.filter(document=document).exists()
    if exists:
        raise ValidationError("该文件已在资源库中。", code="duplicate")
    organization = _organization_for(user, site)
    _check_scope(scope, organization)
    with transaction.atomic():
        item = LibraryItem.objects.create(
            kind=kind,
            title=media.title[:255],
            description=(description or "").strip(),
            document=document,
            image=image,
            source_site=site,
            organization=organization,
            original_time=media.created_at or timezone.now(),
            scope=scope,
            created_by=user,
        )
        _log(item, ACTION_ADD, user, scope=item.get_scope_display(), existing_file=True)
    return item


# -- 推送 and 引用 ---------------------------------------------------------------------------


def _require_available(item: LibraryItem) -> None:
    if not item.is_active:
        raise ValidationError("该资源已撤回，不能再使用。", code="withdrawn")
    if not item.source_live:
        raise ValidationError("该资源的来源已撤下，不能再使用。", code="source_gone")


def push(item: LibraryItem, user, target_site: Site, note: str = "") -> LibraryPush:
    """推送 ``item`` to ``target_site``'s inbox."""
    with transaction.atomic():
        item = _locked(item)
        if not can_manage(user, item):
            raise PermissionDenied("只有来源站点有编辑权限的人员可以推送该资源。")
        _require_available(item)
        if target_site.pk == item.source_site_id:
            raise ValidationError("不能推送到资源的来源站点。", code="same_site")
        if not shared_with_site(item, target_site):
            raise ValidationError(
                f"{target_site.site_name}不在该资源的共享范围内。", code="out_of_scope"
            )
        if LibraryPush.objects.filter(
            item=item, target_site=target_site, status=PushStatus.PENDING
        ).exists():
            raise ValidationError(
                f"该资源已推送到{target_site.site_name}，正在等待处理。", code="duplicate"
            )
        record = LibraryPush.objects.create(
            item=item, target_site=target_site, note=(note or "").strip()[:500], pushed_by=user
        )
        _log(item, ACTION_PUSH, user, push_id=record.pk, target_site=target_site.site_name)
    return record


def place(item: LibraryItem, user, channel, push_record: LibraryPush | None = None):
    """引用: show ``item`` in ``channel`` through a new reference page.

    Published at once by someone who may publish there; anyone else sends it through
    the receiving site's review workflow (a draft if the site has none).
    """
    channel = channel.specific
    with transaction.atomic():
        item = _locked(item)
        _require_available(item)
        if not isinstance(channel, ChannelPage | TopicPage):
            raise ValidationError("只能引用到栏目或专题中。", code="not_channel")
        site = site_of(channel)
        if site is None:
            raise ValidationError("该栏目不属于任何站点。", code="no_site")
        if push_record is not None and push_record.target_site_id != site.pk:
            raise ValidationError("只能放到推送目标站点的栏目中。", code="channel_site")
        if not shared_with_site(item, site):
            raise PermissionDenied(f"该资源没有共享给{site.site_name}。")
        if not can_adopt_into(user, channel):
            raise PermissionDenied("您没有在该栏目中新增信息的权限。")
        taken = LibraryReferencePage.objects.child_of(channel).filter(item=item).exists()
        if taken or (item.article is not None and item.article.get_parent().pk == channel.pk):
            raise ValidationError("该栏目中已有这条资源。", code="duplicate")
        base_slug = item.article.slug if item.article is not None else f"library-{item.pk}"
        page = LibraryReferencePage(
            item=item,
            title=item.title,
            slug=_unique_slug(channel, base_slug, f"lib{item.pk}"),
            owner=user,
            live=False,
        )
        channel.add_child(instance=page)
        revision = page.save_revision(user=user, log_action=True)
        if page.permissions_for_user(user).can_publish():
            revision.publish(user=user)
        elif (workflow := page.get_workflow()) is not None:
            workflow.start(page, user)
        page = LibraryReferencePage.objects.get(pk=page.pk)

        now = timezone.now()
        pending = LibraryPush.objects.filter(item=item, target_site=site, status=PushStatus.PENDING)
        if push_record is not None:
            pending = pending.filter(pk=push_record.pk)
        push_ids = list(pending.values_list("pk", flat=True))
        pending.update(
            status=PushStatus.PLACED, decided_by=user, decided_at=now, reference_page=page
        )
        _log(
            item,
            ACTION_PLACE,
            user,
            target_site=site.site_name,
            channel=channel.title,
            page_id=page.pk,
            live=page.live,
            push_ids=push_ids,
        )
    return page


def can_decide(user, record: LibraryPush) -> bool:
    return any(site.pk == record.target_site_id for site in handled_sites(user))


def _require_open(record: LibraryPush) -> None:
    if not record.is_open:
        raise ValidationError(
            f"该推送当前状态为“{record.get_status_display()}”，不能再处理。", code="closed"
        )


def place_push(record: LibraryPush, user, channel):
    """采用 a push: place its item in ``channel`` of the push's target site."""
    record = LibraryPush.objects.select_related("item", "target_site").get(pk=record.pk)
    _require_open(record)
    if not can_decide(user, record):
        raise PermissionDenied("您没有处理该站点推送的权限。")
    if not page_in_site(channel, record.target_site):
        raise ValidationError("只能放到推送目标站点的栏目中。", code="channel_site")
    return place(record.item, user, channel, push_record=record)


def decline_push(record: LibraryPush, user, reason: str) -> LibraryPush:
    """拒绝 a push, with a reason the source site sees."""
    reason = (reason or "").strip()
    with transaction.atomic():
        record = (
            LibraryPush.objects.select_for_update(of=("self",))
            .select_related("item", "target_site")
            .get(pk=record.pk)
        )
        _require_open(record)
        if not can_decide(user, record):
            raise PermissionDenied("您没有处理该站点推送的权限。")
        if not reason:
            raise ValidationError("请填写拒绝原因。", code="reason_required")
        record.status = PushStatus.DECLINED
        record.decided_by = user
        record.decided_at = timezone.now()
        record.decline_reason = reason[:500]
        record.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
        _log(
            record.item,
            ACTION_DECLINE,
            user,
            push_id=record.pk,
            target_site=record.target_site.site_name,
            reason=record.decline_reason,
        )
    return record


# -- withdrawal and propagation -------------------------------------------------------------


def _take_down(item: LibraryItem) -> int:
    """Unpublish every live appearance, remembering which ones went down with the source."""
    count = 0
    for page in LibraryReferencePage.objects.filter(item=item, live=True):
        page.unpublish(user=None, log_action=True)
        LibraryReferencePage.objects.filter(pk=page.pk).update(withdrawn_by_source=True)
        count += 1
    LibraryPush.objects.filter(item=item, status=PushStatus.PENDING).update(
        status=PushStatus.CANCELLED, decided_at=timezone.now()
    )
    ContentVersion.bump()
    return count


def _bring_back(item: LibraryItem) -> int:
    """Republish exactly the appearances that went down with the source."""
    count = 0
    for page in LibraryReferencePage.objects.filter(item=item, withdrawn_by_source=True):
        revision = page.get_latest_revision()
        LibraryReferencePage.objects.filter(pk=page.pk).update(withdrawn_by_source=False)
        if revision is not None:
            revision.publish(user=None)
            count += 1
    ContentVersion.bump()
    return count


def _set_withdrawn(item: LibraryItem, cause: str, user=None) -> None:
    item.status = ItemStatus.WITHDRAWN
    item.withdrawal_cause = cause
    item.withdrawn_at = timezone.now()
    item.withdrawn_by = user
    item.save(update_fields=["status", "withdrawal_cause", "withdrawn_at", "withdrawn_by"])


def _set_active(item: LibraryItem) -> None:
    item.status = ItemStatus.ACTIVE
    item.withdrawal_cause = WithdrawalCause.NONE
    item.withdrawn_at = None
    item.withdrawn_by = None
    item.save(update_fields=["status", "withdrawal_cause", "withdrawn_at", "withdrawn_by"])


def withdraw(item: LibraryItem, user) -> LibraryItem:
    """撤回: take the item out of use; every appearance goes offline."""
    with transaction.atomic():
        item = _locked(item)
        if not can_manage(user, item):
            raise PermissionDenied("只有来源站点有编辑权限的人员可以撤回该资源。")
        if not item.is_active:
            raise ValidationError("该资源已撤回。", code="already_withdrawn")
        _set_withdrawn(item, WithdrawalCause.LIBRARY, user)
        count = _take_down(item)
        _log(item, ACTION_WITHDRAW, user, pages=count)
    return item


def restore(item: LibraryItem, user) -> LibraryItem:
    """恢复: put a withdrawn item back; the appearances it took down come back online."""
    with transaction.atomic():
        item = _locked(item)
        if not can_manage(user, item):
            raise PermissionDenied("只有来源站点有编辑权限的人员可以恢复该资源。")
        if item.is_active:
            raise ValidationError("该资源未撤回。", code="not_withdrawn")
        if not item.source_live:
            raise ValidationError("来源已撤下或删除，不能恢复；请先重新发布原文。", code="gone")
        _set_active(item)
        count = _bring_back(item)
        _log(item, ACTION_RESTORE, user, pages=count)
    return item


def _sync_references(item: LibraryItem) -> None:
    """Copy the listing columns (title, original time, source) onto every appearance."""
    pages = LibraryReferencePage.objects.filter(item=item)
    pages.update(
        title=item.title,
        draft_title=item.title,
        publish_time=item.original_time,
        source=item.source_name[:100],
    )
    for page in pages:
        index.insert_or_update_object(page)


def source_published(article: ArticlePage) -> None:
    """The source article was (re)published: appearances follow its new title and time;
    an item withdrawn because the article went offline comes back with its pages."""
    for item in LibraryItem.objects.filter(article=article).select_related("source_site"):
        with transaction.atomic():
            item.title = article.title
            item.description = article.summary
            item.original_time = article.publish_time
            item.save(update_fields=["title", "description", "original_time"])
            _sync_references(item)
            if item.withdrawal_cause == WithdrawalCause.SOURCE_UNPUBLISHED:
                _set_active(item)
                count = _bring_back(item)
                _log(item, ACTION_SOURCE_RESTORED, None, pages=count)


def source_withdrawn(cause: str, **lookup) -> None:
    """The source went offline (unpublished, expired, deleted): so do its appearances."""
    for item in LibraryItem.objects.filter(**lookup).select_related("source_site"):
        with transaction.atomic():
            if not item.is_active:
                if cause == WithdrawalCause.SOURCE_DELETED:
                    # Deleted for good: a later restore must not bring it back.
                    item.withdrawal_cause = cause
                    item.save(update_fields=["withdrawal_cause"])
                continue
            _set_withdrawn(item, cause)
            count = _take_down(item)
            _log(
                item,
                ACTION_SOURCE_WITHDRAWN,
                None,
                pages=count,
                cause=item.get_withdrawal_cause_display(),
            )


def media_renamed(**lookup) -> None:
    """A library document or image was edited: its appearances follow the new title."""
    for item in LibraryItem.objects.filter(**lookup).select_related(
        "source_site", "document", "image"
    ):
        media = item.image if item.kind == ItemKind.IMAGE else item.document
        if media is not None and media.title != item.title:
            item.title = media.title
            item.save(update_fields=["title"])
            _sync_references(item)
