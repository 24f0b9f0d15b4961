from django.core.management.base import BaseCommand

from govportal.search.queue import pending_count, process_all, process_queue


class Command(BaseCommand):
    help = "站内搜索：处理待索引队列（发布、修改、撤下、删除后的索引更新），供 cron 或测试使用。"

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="每批处理的条数")
        parser.add_argument("--all", action="store_true", help="一直处理到队列中没有到期的条目")

    def handle(self, *args, limit=500, all=False, **options):  # noqa: A002 — the option's name
        done = process_all(limit) if all else process_queue(limit)
        self.stdout.write(f"已处理 {done} 条，队列中还有 {pending_count()} 条。")
