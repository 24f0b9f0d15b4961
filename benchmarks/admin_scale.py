"""Admin speed at site-group scale: explorer, choosers, search and dashboard.

Builds a throw-away site group — by default 300 sites, 100,000 pages, every site with its
roles (``setup_site_roles``: groups, collection, review workflow), a channel tree of 12
channels (two levels of nesting under 政府信息公开), channel editors
(``create_channel_editors``), users per role, a few hundred images and documents spread
over the site collections — then measures the Wagtail admin with Django's test client
(``force_login``) as a site editor of the biggest site, a channel editor, a site admin and
a superuser, and prints p50/p95/max per URL and role with SQL queries per request.

Pages are written in bulk (materialised paths computed here, ``Page`` rows through
``bulk_create``, the page-type tables through one multi-row INSERT per batch), so the
build takes about a minute instead of the hours ``add_child`` would need; the tree is
then checked with treebeard's ``find_problems()``. Sizes are uneven as in a real group:
five big sites of 5,000–10,000 pages, the biggest site's 要闻动态 channel holding several
thousand articles directly (explorer pagination), the other sites a few dozen to a few
hundred pages. Pages have no revisions (as if imported); the search index is filled
through the search backend like ``update_index`` does.

The database is a SQLite file in a temporary directory, or, with ``--database-url``
(or ``DATABASE_URL``), a PostgreSQL database whose name must not be the dev or test
database (default ``govportal_bench``; created and dropped here). Settings are
``govportal.settings.test`` (DEBUG off, MD5 hasher, locmem cache) — the admin code paths
are production's.

    .venv/bin/python benchmarks/admin_scale.py [--sites 300] [--pages 100000] [--requests 50]
        [--database-url postgres://postgres@127.0.0.1:5432/govportal_bench] [--keep DIR]
        [--gc tuned|default|both]

``--keep DIR`` keeps the SQLite file (or the PostgreSQL database) and reuses it when the
next run is given the same sizes. Exit status 1 when an explorer or chooser view misses
the target (300 ms at p95). ``govportal/publishing/tests/test_admin_scale_builder.py``
runs the builder with tiny numbers so this script cannot rot.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 300.0
DEFAULT_DB_NAME = "govportal_bench"
FORBIDDEN_DB_NAMES = {"govportal", "test_govportal", "postgres", "template0", "template1"}

# (slug, title, column type, parent slug, page kind); article-holding leaves get a weight.
CHANNELS = [
    ("news", "要闻动态", "news", None, "channel"),
    ("notices", "通知公告", "notice", None, "channel"),
    ("policy", "政策文件", "policy", None, "channel"),
    ("interpretation", "政策解读", "interpretation", None, "channel"),
    ("disclosure", "政府信息公开", "disclosure", None, "channel"),
    ("statutory", "法定主动公开内容", "disclosure", "disclosure", "channel"),
    ("budget", "财政预决算", "disclosure", "statutory", "channel"),
    ("planning", "规划计划", "disclosure", "statutory", "channel"),
    ("reports", "政府工作报告", "disclosure", "disclosure", "channel"),
    ("service", "公共服务", "service", None, "channel"),
    ("interaction", "互动交流", "interaction", None, "channel"),
    ("hall", "办事服务", "link", None, "link"),
]
LEAF_WEIGHTS = {
    "news": 30,
    "notices": 20,
    "policy": 12,
    "interpretation": 8,
    "budget": 5,
    "planning": 5,
    "reports": 5,
    "service": 8,
    "interaction": 7,
}
PAGES_PER_SITE = 1 + len(CHANNELS)  # home + channels
# Share of all pages held by the big sites (5,000–10,000 pages each at 100,000 pages).
BIG_SITE_SHARES = (0.10, 0.08, 0.07, 0.06, 0.05)
BATCH = 2000


# -- plan ---------------------------------------------------------------------------------


def split(total: int, weights: list[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainder, sums exactly)."""
    scale = sum(weights)
    if total <= 0 or scale <= 0:
        return [0] * len(weights)
    raw = [total * w / scale for w in weights]
    counts = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def plan_articles(sites: int, pages: int, rng: random.Random) -> list[dict[str, int]]:
    """Articles per site and leaf channel: a few big sites, a long tail of small ones."""
    articles = pages - sites * PAGES_PER_SITE
    if articles < 0:
        raise SystemExit(f"{pages} pages cannot hold {sites} sites of {PAGES_PER_SITE} pages")
    if sites >= 50:
        big = [max(0, round(pages * s) - PAGES_PER_SITE) for s in BIG_SITE_SHARES]
    else:
        big = [articles // 2]
    big = big[: sites - 1] if sites > 1 else [articles]
    rest = articles - sum(big)
    small_weights = [rng.lognormvariate(0, 0.8) for _ in range(sites - len(big))]
    per_site = big + split(rest, small_weights)
    plan = []
    leaves = list(LEAF_WEIGHTS)
    for index, count in enumerate(per_site):
        weights = [LEAF_WEIGHTS[leaf] * rng.uniform(0.5, 1.5) for leaf in leaves]
        if index == 0:
            weights[0] = sum(weights[1:]) * 1.5  # 要闻动态 of the biggest site: ~60 %
        plan.append(dict(zip(leaves, split(count, weights), strict=True)))
    return plan


# -- bulk page writing ----------------------------------------------------------------------


class PageWriter:
    """Writes pages of one type in bulk: ``Page`` rows, then the page-type table rows."""

    def __init__(self, now):
        from django.contrib.contenttypes.models import ContentType

        from wagtail.models import Locale

        self.locale_id = Locale.get_default().pk
        self.now = now
        self.content_types = ContentType.objects
        self.written = 0

    def make(self, model, *, path, depth, numchild, url_path, title, slug, when, **fields):
        return model(
            path=path,
            depth=depth,
            numchild=numchild,
            url_path=url_path,
            title=title,
            draft_title=title,
            slug=slug,
            content_type_id=self.content_types.get_for_model(model).pk,
            locale_id=self.locale_id,
            translation_key=uuid.uuid4(),
            live=True,
            has_unpublished_changes=False,
            first_published_at=when,
            last_published_at=when,
            latest_revision_created_at=when,
            **fields,
        )

    def write(self, model, objs) -> None:
        """Insert ``objs`` (instances of one page type) and set their primary keys."""
        from django.db import connection

        from wagtail.models import Page

        for start in range(0, len(objs), BATCH):
            batch = objs[start : start + BATCH]
            # Page rows: bulk_create on the concrete base model sets ``id`` on each object.
            Page.objects.bulk_create(batch, batch_size=500)
            for obj in batch:
                obj.page_ptr_id = obj.id
                obj._state.adding = False
            # The page-type rows: Django refuses bulk_create on multi-table inheritance,
            # so insert the model's own columns (page_ptr_id + fields) directly.
            fields = list(model._meta.local_concrete_fields)
            size = connection.ops.bulk_batch_size(fields, batch) or len(batch)
            for i in range(0, len(batch), size):
                model._base_manager._insert(batch[i : i + size], fields=fields)
            self.written += len(batch)


def _png(size=(320, 200), color=(27, 79, 156)) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", size, color)
    ImageDraw.Draw(img).ellipse((40, 30, 260, 190), fill=(200, 200, 210))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


# -- the site group -------------------------------------------------------------------------


@dataclass
class BuiltSite:
    index: int
    short_name: str
    site: object
    home: object
    channels: dict
    articles: int
    users: dict = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return PAGES_PER_SITE + self.articles


@dataclass
class SiteGroupBuild:
    sites: list[BuiltSite]
    superuser: object
    seconds: dict = field(default_factory=dict)

    @property
    def big(self) -> BuiltSite:
        return self.sites[0]


def build_site_group(
    *,
    sites: int = 300,
    pages: int = 100_000,
    images: int = 400,
    documents: int = 300,
    seed: int = 2026,
    search_index: bool = True,
    media_root: Path | None = None,
    log=print,
) -> SiteGroupBuild:
    """Build the site group in the current database (one transaction); see the module doc."""
    from django.conf import settings
    from django.db import transaction

    media_root = Path(media_root or settings.MEDIA_ROOT)
    seconds = {}
    started = time.perf_counter()
    with transaction.atomic():
        built = _build_pages(sites, pages, seed, log)
        seconds["pages"] = time.perf_counter() - started
        mark = time.perf_counter()
        _build_sites_and_roles(built, log)
        superuser = _build_users(built)
        seconds["sites, roles, users"] = time.perf_counter() - mark
        mark = time.perf_counter()
        _build_media(built, images, documents, media_root, seed)
        seconds["images, documents"] = time.perf_counter() - mark
    if search_index:
        mark = time.perf_counter()
        _build_search_index(log)
        seconds["search index"] = time.perf_counter() - mark
    seconds["total"] = time.perf_counter() - started
    return SiteGroupBuild(built, superuser, seconds)


def _build_pages(sites: int, pages: int, seed: int, log) -> list[BuiltSite]:
    from django.db.models import F
    from django.utils import timezone

    from wagtail.models import Page

    from govportal.content.demo_text import DemoText
    from govportal.content.models import (
        ArticlePage,
        ChannelPage,
        ExternalLinkChannel,
        PortalHomePage,
    )

    rng = random.Random(seed)
    text = DemoText(seed)
    now = timezone.now().replace(microsecond=0)
    plan = plan_articles(sites, pages, rng)
    writer = PageWriter(now)
    root = Page.get_first_root_node()
    last = root.get_last_child()
    first_step = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1

    homes = []
    for i in range(sites):
        short = f"测试{i:03d}区"
        slug = f"bench-{i:03d}"
        homes.append(
            writer.make(
                PortalHomePage,
                path=Page._get_path(root.path, 2, first_step + i),
                depth=2,
                numchild=sum(1 for c in CHANNELS if c[3] is None),
                url_path=f"/{slug}/",
                title=f"{short}人民政府",
                slug=slug,
                when=now - timedelta(days=400),
                intro=f"{short}人民政府门户网站",
            )
        )
    writer.write(PortalHomePage, homes)
    Page.objects.filter(pk=root.pk).update(numchild=F("numchild") + sites)

    built = []
    channel_objs = {ChannelPage: [], ExternalLinkChannel: []}
    for i, home in enumerate(homes):
        counts = plan[i]
        by_slug = {}
        child_steps: dict[str | None, int] = {}
        for slug, title, column_type, parent_slug, kind in CHANNELS:
            parent = by_slug[parent_slug] if parent_slug else home
            child_steps[parent_slug] = child_steps.get(parent_slug, 0) + 1
            children = sum(1 for c in CHANNELS if c[3] == slug) + counts.get(slug, 0)
            common = dict(
                path=Page._get_path(parent.path, parent.depth + 1, child_steps[parent_slug]),
                depth=parent.depth + 1,
                numchild=children,
                url_path=f"{parent.url_path}{slug}/",
                title=title,
                slug=slug,
                when=now - timedelta(days=399),
                show_in_menus=True,
            )
            if kind == "link":
                obj = writer.make(
                    ExternalLinkChannel,
                    link_url=f"https://zwfw.example.gov.cn/{home.slug}/",
                    column_type=column_type,
                    **common,
                )
                channel_objs[ExternalLinkChannel].append(obj)
            else:
                obj = writer.make(
                    ChannelPage,
                    column_type=column_type,
                    description=f"{title}栏目",
                    show_on_home=parent is home,
                    **common,
                )
                channel_objs[ChannelPage].append(obj)
            by_slug[slug] = obj
        built.append(
            BuiltSite(i, home.title[:-4], None, home, by_slug, articles=sum(counts.values()))
        )
    for model, objs in channel_objs.items():
        writer.write(model, objs)

    # Articles, channel by channel; paths follow creation order, newest last.
    pending = []
    for site in built:
        for slug, count in plan[site.index].items():
            channel = site.channels[slug]
            for n in range(count):
                topic = text.topic()
                paragraph = "".join(text.paragraphs(topic, 1))
                when = now - timedelta(minutes=7 * (count - n) + rng.randint(0, 6))
                pending.append(
                    writer.make(
                        ArticlePage,
                        path=Page._get_path(channel.path, channel.depth + 1, n + 1),
                        depth=channel.depth + 1,
                        numchild=0,
                        url_path=f"{channel.url_path}a{n + 1}/",
                        title=text.title(channel.column_type, topic),
                        slug=f"a{n + 1}",
                        when=when,
                        publish_time=when,
                        source=text.source(),
                        author=text.author(),
                        summary=text.summary(topic),
                        keywords=f"{topic},{site.short_name}",
                        body=json.dumps(
                            [
                                {
                                    "type": "paragraph",
                                    "value": f"<p>{paragraph}</p>",
                                    "id": str(uuid.uuid4()),
                                }
                            ],
                            ensure_ascii=False,
                        ),
                    )
                )
                if len(pending) >= BATCH * 5:
                    writer.write(ArticlePage, pending)
                    pending = []
                    log(f"  {writer.written:,} pages written")
    writer.write(ArticlePage, pending)
    log(f"  {writer.written:,} pages written")
    return built


def _build_sites_and_roles(built: list[BuiltSite], log) -> None:
    from wagtail.models import Site

    from govportal.sites.models import SiteProfile
    from govportal.sites.roles import create_channel_editors, setup_site_roles

    site_rows = Site.objects.bulk_create(
        [
            Site(
                hostname=f"s{s.index:03d}.bench.test",
                port=80,
                root_page_id=s.home.pk,
                site_name=s.home.title,
                is_default_site=False,
            )
            for s in built
        ]
    )
    for s, site in zip(built, site_rows, strict=True):
        s.site = site
    SiteProfile.objects.bulk_create(
        [
            SiteProfile(
                site=s.site,
                site_name=f"{s.home.title}网站",
                short_name=s.short_name,
                site_id_code=f"13{s.index:08d}",
                sponsor=f"{s.home.title}办公室",
                organizer=f"{s.home.title}大数据中心",
                contact_phone="0999-12345678",
                contact_email="webmaster@example.gov.cn",
            )
            for s in built
        ]
    )
    Site.clear_site_root_paths_cache()
    for s in built:
        roles = setup_site_roles(s.home, s.short_name, two_level=s.index % 10 == 0)
        s.users["roles"] = roles
        s.users["channel_groups"] = [
            create_channel_editors(s.channels["news"], s.short_name, roles.collection)
        ]
        if s.index < 5:
            s.users["channel_groups"].append(
                create_channel_editors(s.channels["notices"], s.short_name, roles.collection)
            )
        if s.index % 50 == 49:
            log(f"  roles for {s.index + 1} sites")


def _build_users(built: list[BuiltSite]):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    User = get_user_model()
    password = make_password("Bench!portal-2026x")
    users, memberships = [], []
    for s in built:
        roles = s.users.pop("roles")
        channel_groups = s.users.pop("channel_groups")
        wanted = {
            "admin": [roles.admins],
            "reviewer": [roles.reviewers],
            "editor": [roles.editors],
            "channel_editor": channel_groups[:1],
        }
        if roles.final_reviewers is not None:
            wanted["final_reviewer"] = [roles.final_reviewers]
        for role, groups in wanted.items():
            user = User(
                username=f"s{s.index:03d}_{role}",
                password=password,
                email=f"s{s.index:03d}_{role}@example.gov.cn",
                display_name=f"{s.short_name}{role}",
                is_staff=True,
            )
            users.append(user)
            memberships.append((user, groups))
            s.users[role] = user
    User.objects.bulk_create(users, batch_size=500)
    Through = User.groups.through
    Through.objects.bulk_create(
        [Through(user_id=u.pk, group_id=g.pk) for u, groups in memberships for g in groups],
        batch_size=1000,
    )
    return User.objects.create_superuser("bench_root", "root@example.gov.cn", "Bench!portal-2026x")


def _build_media(built, images: int, documents: int, media_root: Path, seed: int) -> None:
    from django.utils import timezone

    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    rng = random.Random(seed)
    collections = {c.name: c for c in Collection.objects.filter(depth=2)}
    targets = [collections[s.short_name] for s in built]

    def owner(i: int):
        # A quarter of the files belong to the biggest site, the rest round the group.
        return targets[0] if i % 4 == 0 else targets[i % len(targets)]

    Image = get_image_model()
    image_dir = media_root / "original_images"
    image_dir.mkdir(parents=True, exist_ok=True)
    palette = [(27, 79, 156), (179, 27, 27), (30, 120, 90), (150, 90, 20), (80, 60, 140)]
    variants = [_png(color=c) for c in palette]
    now = timezone.now()
    rows = []
    for i in range(images):
        data = variants[i % len(variants)]
        name = f"original_images/bench-{i:04d}.png"
        (media_root / name).write_bytes(data)
        topic = rng.choice(["会议", "调研", "活动", "风光", "建设"])
        rows.append(
            Image(
                title=f"{owner(i).name} {topic}照片 {i:04d}",
                file=name,
                width=320,
                height=200,
                file_size=len(data),
                file_hash=hashlib.sha1(data + bytes(str(i), "ascii")).hexdigest(),  # noqa: S324
                collection=owner(i),
                created_at=now - timedelta(hours=i),
            )
        )
    Image.objects.bulk_create(rows, batch_size=500)

    Document = get_document_model()
    doc_dir = media_root / "documents"
    doc_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for i in range(documents):
        data = f"govportal benchmark attachment {i}\n".encode()
        name = f"documents/bench-{i:04d}.txt"
        (media_root / name).write_bytes(data)
        kind = rng.choice(["工作方案", "实施意见", "统计数据", "项目清单"])
        rows.append(
            Document(
                title=f"{owner(i).name} {kind} {i:04d}",
                file=name,
                file_size=len(data),
                file_hash=hashlib.sha1(data).hexdigest(),  # noqa: S324
                collection=owner(i),
                created_at=now - timedelta(hours=i),
            )
        )
    Document.objects.bulk_create(rows, batch_size=500)


def _build_search_index(log) -> None:
    """What ``update_index`` does, for the models this build wrote."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.search.backends import get_search_backend

    from govportal.content.models import (
        ArticlePage,
        ChannelPage,
        ExternalLinkChannel,
        PortalHomePage,
    )

    backend = get_search_backend()
    models = [PortalHomePage, ChannelPage, ExternalLinkChannel, ArticlePage]
    models += [get_image_model(), get_document_model()]
    for model in models:
        index = backend.get_index_for_model(model)
        if index is None:
            continue
        queryset = model.get_indexed_objects().order_by("pk")
        done = 0
        last_pk = 0
        while True:
            chunk = list(queryset.filter(pk__gt=last_pk)[:1000])
            if not chunk:
                break
            backend.add_bulk(model, chunk)
            last_pk = chunk[-1].pk
            done += len(chunk)
        log(f"  indexed {done:,} {model._meta.verbose_name_plural}")


def check_tree(sample: int = 3) -> list[str]:
    """Integrity of the whole page tree, plus treebeard's ``find_problems()`` on a sample.

    treebeard's check runs a query per node (minutes at 100,000 pages), so the whole tree
    gets the same checks computed from one read of (path, depth, numchild, url_path, slug)
    — characters, step length, orphans, depth, numchild, url_path — and ``find_problems``
    itself runs on the subtrees of the last ``sample`` sites (small ones), or on everything for small
    trees.
    """
    from collections import Counter

    from wagtail.models import Page, Site

    names = ("evil chars", "bad steplen", "orphans", "wrong depth", "wrong numchild")
    problems = []
    rows = list(Page.objects.values_list("path", "depth", "numchild", "url_path", "slug"))
    if len(rows) <= 2000:
        parents = [None]
    else:
        # The last sites of the build are small ones (the big sites come first).
        sites = Site.objects.select_related("root_page").order_by("-hostname")
        parents = [site.root_page for site in sites[:sample]]
    for parent in parents:
        for name, ids in zip(names, Page.find_problems(parent), strict=True):
            if ids:
                problems.append(f"{name}: {list(ids)[:10]}")

    step = Page.steplen
    by_path = {path: (depth, url_path, slug) for path, depth, _n, url_path, slug in rows}
    children = Counter(path[:-step] for path in by_path if len(path) > step)
    bad: dict[str, list[str]] = {name: [] for name in names}
    for path, depth, numchild, url_path, slug in rows:
        if any(char not in Page.alphabet for char in path):
            bad["evil chars"].append(path)
        if len(path) % step:
            bad["bad steplen"].append(path)
        if depth != len(path) // step:
            bad["wrong depth"].append(path)
        if numchild != children[path]:
            bad["wrong numchild"].append(path)
        parent = by_path.get(path[:-step])
        if depth > 1 and parent is None:
            bad["orphans"].append(path)
        elif depth > 1 and parent[1] + slug + "/" != url_path:
            bad.setdefault("wrong url_path", []).append(path)
    problems += [f"{name} (paths): {paths[:10]}" for name, paths in bad.items() if paths]
    return problems


def counts() -> dict[str, int]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import (
        Collection,
        GroupCollectionPermission,
        GroupPagePermission,
        Page,
        Site,
    )

    return {
        "sites": Site.objects.count(),
        "pages": Page.objects.filter(depth__gt=1).count(),
        "groups": Group.objects.count(),
        "page permission rows": GroupPagePermission.objects.count(),
        "collection permission rows": GroupCollectionPermission.objects.count(),
        "collections": Collection.objects.count(),
        "users": get_user_model().objects.count(),
        "images": get_image_model().objects.count(),
        "documents": get_document_model().objects.count(),
    }


# -- measuring --------------------------------------------------------------------------------


@dataclass
class Measurement:
    kind: str
    role: str
    url: str
    status: int
    times_ms: list[float]
    queries: int
    gated: bool

    @property
    def p50(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, math.ceil(len(ordered) * 0.95) - 1)]

    @property
    def passed(self) -> bool:
        return self.status == 200 and self.p95 < TARGET_P95_MS


def admin_urls(build: SiteGroupBuild, page_term: str, image_term: str, doc_term: str):
    """(kind, url, gated) — gated kinds must answer within the target."""
    from django.urls import reverse

    big = build.big
    news = big.channels["news"]
    last_page = max(1, math.ceil(news.numchild / 50))
    deep = max(1, last_page * 3 // 4)
    return [
        ("explorer: site root", reverse("wagtailadmin_explore", args=(big.home.pk,)), True),
        ("explorer: big channel p1", reverse("wagtailadmin_explore", args=(news.pk,)), True),
        (
            f"explorer: big channel p{deep}",
            reverse("wagtailadmin_explore", args=(news.pk,)) + f"?p={deep}",
            True,
        ),
        ("page chooser: root", reverse("wagtailadmin_choose_page"), True),
        (
            "page chooser: big channel",
            reverse("wagtailadmin_choose_page_child", args=(news.pk,)),
            True,
        ),
        (
            "page chooser: search",
            reverse("wagtailadmin_choose_page_search") + f"?q={page_term}",
            True,
        ),
        ("image chooser", reverse("wagtailimages_chooser:choose"), True),
        (
            "image chooser: search",
            reverse("wagtailimages_chooser:choose_results") + f"?q={image_term}",
            True,
        ),
        ("document chooser", reverse("wagtaildocs_chooser:choose"), True),
        (
            "document chooser: search",
            reverse("wagtaildocs_chooser:choose_results") + f"?q={doc_term}",
            True,
        ),
        ("page search (admin)", reverse("wagtailadmin_pages:search") + f"?q={page_term}", False),
        ("dashboard", reverse("wagtailadmin_home"), False),
    ]


def search_terms(build: SiteGroupBuild) -> tuple[str, str, str]:
    """A title prefix shared by many articles of the big site, and media title words."""
    from collections import Counter

    from govportal.content.models import ArticlePage

    titles = ArticlePage.objects.descendant_of(build.big.home).values_list("title", flat=True)
    prefix = Counter(t[:4] for t in titles[:2000]).most_common(1)
    return (prefix[0][0] if prefix else "测试"), "会议照片", "工作方案"


def measure(build: SiteGroupBuild, *, requests: int, warmup: int, log=print, max_seconds=20.0):
    from urllib.parse import quote

    from django.db import connection
    from django.test import Client

    big = build.big
    roles = [
        ("site editor", big.users["editor"]),
        ("channel editor", big.users["channel_editor"]),
        ("site admin", big.users["admin"]),
        ("superuser", build.superuser),
    ]
    page_term, image_term, doc_term = (quote(t) for t in search_terms(build))
    results = []
    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    for role, user in roles:
        client = Client()
        client.force_login(user)
        for kind, url, gated in admin_urls(build, page_term, image_term, doc_term):
            times, status = [], 0
            for n in range(warmup + requests):
                queries[0] = 0
                with connection.execute_wrapper(count):
                    started = time.perf_counter()
                    response = client.get(url, follow=True)
                    elapsed = (time.perf_counter() - started) * 1000
                status = response.status_code
                if n >= warmup or elapsed > max_seconds * 1000:
                    times.append(elapsed)
                if elapsed > max_seconds * 1000:
                    break  # far too slow to repeat; one sample says enough
            results.append(Measurement(kind, role, url, status, times, queries[0], gated))
            m = results[-1]
            log(f"  {role:14} {kind:28} {m.p95:8.1f} ms p95  {m.queries:4} SQL  {status}")
    return results


def report(results: list[Measurement], env: dict, build_seconds: dict) -> bool:
    print()
    print("environment: " + ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}"
                                      for k, v in env.items()))  # fmt: skip
    if build_seconds:
        print("build: " + ", ".join(f"{k} {v:.1f} s" for k, v in build_seconds.items()))
    print()
    header = (
        f"{'URL kind':30} {'role':15} {'p50':>8} {'p95':>8} {'max':>8} {'SQL':>5} {'n':>4}  status"
    )
    print(header)
    print("-" * len(header))
    for m in results:
        flag = "" if not m.gated else ("" if m.passed else "  << over target")
        print(
            f"{m.kind:30} {m.role:15} {m.p50:8.1f} {m.p95:8.1f} {max(m.times_ms):8.1f} "
            f"{m.queries:5} {len(m.times_ms):4}  {m.status}{flag}"
        )
    gated = [m for m in results if m.gated]
    failed = [m for m in gated if not m.passed]
    worst = max(gated, key=lambda m: m.p95)
    verdict = "PASS" if not failed else "FAIL"
    print()
    print(
        f"{verdict}: explorer and choosers p95 < {TARGET_P95_MS:.0f} ms — "
        f"{len(gated) - len(failed)}/{len(gated)} within target; worst {worst.p95:.1f} ms "
        f"({worst.kind}, {worst.role})"
    )
    return not failed


def compare_modes(default: list[Measurement], tuned: list[Measurement]) -> None:
    """Print p95 with CPython's default collector vs the tuned one, measured in this run."""
    print()
    print("p95 by garbage-collector setting (same run, same database):")
    header = f"{'URL kind':30} {'role':15} {'default':>8} {'tuned':>8} {'ratio':>6}"
    print(header)
    print("-" * len(header))
    ratios = []
    for before, after in zip(default, tuned, strict=True):
        ratio = after.p95 / before.p95 if before.p95 else 1.0
        ratios.append(ratio)
        print(f"{before.kind:30} {before.role:15} {before.p95:8.1f} {after.p95:8.1f} {ratio:6.2f}")
    print(f"median ratio tuned/default p95: {statistics.median(ratios):.2f}")


# -- database set-up --------------------------------------------------------------------------


def _pg_admin(url: str):
    import psycopg

    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    return psycopg.connect(admin_url, autocommit=True)


def prepare_database(args) -> tuple[str, Path, bool]:
    """(DATABASE_URL, var dir, reuse) for this run, creating the PostgreSQL database."""
    keep = Path(args.keep).resolve() if args.keep else None
    var = keep or Path(tempfile.mkdtemp(prefix="govportal-admin-scale-"))
    var.mkdir(parents=True, exist_ok=True)
    marker = var / "admin_scale.json"
    sizes = {"sites": args.sites, "pages": args.pages, "database": args.database_url or "sqlite"}
    reuse = keep is not None and marker.exists() and json.loads(marker.read_text()) == sizes
    if not args.database_url:
        db = var / "bench.sqlite3"
        if not reuse and db.exists():
            db.unlink()
        return f"sqlite:///{db}", var, reuse
    name = urlsplit(args.database_url).path.lstrip("/") or DEFAULT_DB_NAME
    if name in FORBIDDEN_DB_NAMES:
        raise SystemExit(f"refusing to use database {name!r}: pick a benchmark database name")
    url = urlunsplit(urlsplit(args.database_url)._replace(path=f"/{name}"))
    if not reuse:
        with _pg_admin(url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    return url, var, reuse


def drop_database(url: str) -> None:
    from django.db import connections

    connections.close_all()
    name = urlsplit(url).path.lstrip("/")
    with _pg_admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sites", type=int, default=300)
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--images", type=int, default=400)
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--no-search-index", action="store_true")
    parser.add_argument(
        "--gc",
        choices=["tuned", "default", "both"],
        default="tuned",
        help="garbage collector as gunicorn sets it up (tuned, the default), CPython's "
        "defaults, or both one after the other for a comparison in one run",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="PostgreSQL URL; the database name defaults to govportal_bench",
    )
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the built database")
    parser.add_argument(
        "--sqlite-path-index",
        action="store_true",
        help="SQLite: add a second index on wagtailcore_page(path COLLATE NOCASE); migration "
        "siteadmin 0003 already creates one (siteadmin_page_path_nocase), so that Django's "
        "case-insensitive LIKE 'prefix%%' (descendant_of) uses an index",
    )
    args = parser.parse_args()
    if args.database_url and not args.database_url.startswith(("postgres", "postgis")):
        raise SystemExit("--database-url: PostgreSQL only (SQLite is the default)")

    url, var, reuse = prepare_database(args)
    os.environ.update(
        DATABASE_URL=url,
        GOVPORTAL_VAR_DIR=str(var),
        DJANGO_SETTINGS_MODULE="govportal.settings.test",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.MEDIA_ROOT = var / "media"
    engine = connection.vendor
    print(f"database: {engine} ({url.split('@')[-1]}), var {var}", flush=True)
    build_seconds, env = {}, {}
    try:
        if reuse:
            call_command("migrate", verbosity=0)
            build = reload_build()
            print("reusing the kept database")
        else:
            started = time.perf_counter()
            call_command("migrate", verbosity=0)
            migrate_seconds = time.perf_counter() - started
            print(f"building {args.sites} sites, {args.pages:,} pages …", flush=True)
            build = build_site_group(
                sites=args.sites,
                pages=args.pages,
                images=args.images,
                documents=args.documents,
                search_index=not args.no_search_index,
                media_root=settings.MEDIA_ROOT,
                log=lambda m: print(m, flush=True),
            )
            build_seconds = {"migrate": migrate_seconds, **build.seconds}
            mark = time.perf_counter()
            problems = check_tree()
            build_seconds["tree check"] = time.perf_counter() - mark
            if problems:
                print("TREE PROBLEMS: " + "; ".join(problems))
                return 2
            print("tree check: no problems (find_problems and url_path of every page)")
            if engine == "postgresql":
                # What autovacuum does soon after a bulk load in production: without
                # planner statistics the search joins take a minute instead of 0.2 s.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            if args.keep:
                (var / "admin_scale.json").write_text(
                    json.dumps(
                        {
                            "sites": args.sites,
                            "pages": args.pages,
                            "database": args.database_url or "sqlite",
                        }
                    )
                )
        if engine == "sqlite":
            sqlite_path_index(connection, args.sqlite_path_index)
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'index' "
                    "AND tbl_name = 'wagtailcore_page' AND sql LIKE '%NOCASE%'"
                )
                nocase = [row[0] for row in cursor.fetchall()]
            env["path index (NOCASE)"] = ", ".join(nocase) or "no"
        env = {"engine": engine, **env, **counts()}
        try:
            import wagtail

            env["wagtail"] = wagtail.__version__
        except AttributeError:
            pass
        from govportal.core.gctuning import freeze_startup_objects, restore_defaults

        modes = ["default", "tuned"] if args.gc == "both" else [args.gc]
        by_mode = {}
        for mode in modes:
            if mode == "tuned":
                figures = freeze_startup_objects()
                gc_env = f"tuned (gunicorn's: {figures['frozen']:,} objects frozen, "
                gc_env += f"threshold0 {figures['threshold0']:,})"
            else:
                restore_defaults()
                gc_env = "CPython defaults (no freeze, threshold0 700)"
            print(
                f"measuring with gc {mode}: {args.requests} requests after {args.warmup} "
                "warm-up each",
                flush=True,
            )
            results = measure(build, requests=args.requests, warmup=args.warmup)
            ok = report(results, {**env, "gc": gc_env}, build_seconds)
            by_mode[mode] = results
        if len(by_mode) == 2:
            compare_modes(by_mode["default"], by_mode["tuned"])
    finally:
        if not args.keep:
            if args.database_url:
                drop_database(url)
            shutil.rmtree(var, ignore_errors=True)
    return 0 if ok else 1


def sqlite_path_index(connection, wanted: bool) -> None:
    """Create or drop the NOCASE index on page paths (see ``--sqlite-path-index``)."""
    with connection.cursor() as cursor:
        if wanted:
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS bench_page_path_nocase "
                "ON wagtailcore_page (path COLLATE NOCASE)"
            )
        else:
            cursor.execute("DROP INDEX IF EXISTS bench_page_path_nocase")


def reload_build() -> SiteGroupBuild:
    """The kept site group's biggest site and its people, read back from the database."""
    from django.contrib.auth import get_user_model

    from wagtail.models import Site

    from govportal.content.models import ArticlePage

    User = get_user_model()
    site = Site.objects.get(hostname="s000.bench.test")
    home = site.root_page.specific
    channels = {p.slug: p.specific for p in home.get_descendants().not_type(ArticlePage)}
    big = BuiltSite(0, home.title[:-4], site, home, channels, 0)
    for user in User.objects.filter(username__startswith="s000_"):
        big.users[user.username[5:]] = user
    return SiteGroupBuild([big], User.objects.get(username="bench_root"))


if __name__ == "__main__":
    sys.exit(main())
