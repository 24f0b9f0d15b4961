from django.core.management.base import BaseCommand
from django.utils.translation import gettext, gettext_lazy

from govportal.content.demo import DEMO_PASSWORD, SITES, DemoBuilder


class Command(BaseCommand):
    # argparse needs a real str for the description: commands load after setup, so
    # gettext() here already sees the default language.
    help = gettext(
        "Load the demo site group (Example City government portal + department sites + "
        "district sites). Does nothing if it is already loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles",
            type=int,
            default=320,
            help=gettext_lazy("Total number of articles (default 320)"),
        )
        parser.add_argument(
            "--hostname", default="127.0.0.1", help=gettext_lazy("Host name of every site")
        )
        parser.add_argument(
            "--base-port",
            type=int,
            default=8000,
            help=gettext_lazy("Port of the portal; each further site uses the next port"),
        )

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
