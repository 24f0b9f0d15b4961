from django.core.management.base import BaseCommand

from govportal.content.demo import DEMO_PASSWORD, SITES, DemoBuilder


class Command(BaseCommand):
    help = "载入示例站群（示例市人民政府门户 + 部门网站 + 区县网站）。已载入时不重复创建。"

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=320, help="文章总数（默认 320）")
        parser.add_argument("--hostname", default="127.0.0.1", help="各站点的主机名")
        parser.add_argument("--base-port", type=int, default=8000, help="门户端口，其余站点依次 +1")

    def handle(self, *args, articles, hostname, base_port, **options):
        if DemoBuilder.already_loaded():
            self.stdout.write("Demo site group already loaded; nothing to do.")
            return
        self.stdout.write(f"Loading the demo site group ({articles} articles)…")
        DemoBuilder(
            articles=articles, hostname=hostname, base_port=base_port, stdout=self.stdout
        ).build()
        keys = ", ".join(f"{s.key}_admin/_reviewer/_editor" for s in SITES)
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}): admin, {keys}")
