"""Rebuild the search index (重建索引) from every registered source."""

import time

from django.core.management.base import BaseCommand, CommandError

from govportal.search import indexing
from govportal.search.models import SearchDocument
from govportal.search.registry import kinds, sources


class Command(BaseCommand):
    help = "重建站内搜索索引：从各内容来源重新读取全部文档（可按内容类型、网站）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind", action="append", default=[], help="只重建此内容类型（可多次）"
        )
        parser.add_argument("--site", type=int, action="append", default=[], help="只重建此网站 id")
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--no-terms", action="store_true", help="不重建检索词表")

    def handle(self, *args, kind, site, batch_size, no_terms, **options):
        known = {k.code for k in kinds()}
        unknown = [k for k in kind if k not in known]
        if unknown:
            raise CommandError(
                f"未知的内容类型：{'、'.join(unknown)}（可选：{'、'.join(sorted(known))}）"
            )
        started = time.perf_counter()
        partial = bool(kind or site)
        if not partial:
            removed = indexing.clear_index()
            self.stdout.write(f"已清空索引（{removed} 个文档）。")

        def documents():
            for source in sources():
                self.stdout.write(f"读取来源 {source.prefix} …")
                for key in source.all_keys():
                    docs = source.documents(key.partition(":")[2])
                    for doc in docs:
                        if kind and doc.kind not in kind:
                            continue
                        if site and doc.site_id not in site:
                            continue
                        yield doc

        def progress(n):
            rate = n / max(time.perf_counter() - started, 1e-6)
            self.stdout.write(f"  已索引 {n} 个文档（{rate:.0f} 个/秒）")

        count = indexing.bulk_load(documents(), batch_size=batch_size, progress=progress)
        if partial:
            # Documents of the selection that the sources no longer yield are stale.
            stale = SearchDocument.objects.filter(indexed_at__lt=_started_at(started))
            if kind:
                stale = stale.filter(kind__in=kind)
            if site:
                stale = stale.filter(site_id__in=site)
            removed = stale.delete()[0]
            if removed:
                self.stdout.write(f"删除过期文档 {removed} 个。")
        indexing.optimize()
        took = time.perf_counter() - started
        self.stdout.write(f"索引完成：{count} 个文档，用时 {took:.1f} 秒。")
        if not no_terms:
            t0 = time.perf_counter()
            terms = indexing.rebuild_terms()
            self.stdout.write(f"检索词表：{terms} 个词，用时 {time.perf_counter() - t0:.1f} 秒。")
        self.stdout.write(self.style.SUCCESS("重建完成。"))


def _started_at(perf_started: float):
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() - timedelta(seconds=time.perf_counter() - perf_started)
