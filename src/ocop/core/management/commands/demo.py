from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Demo data. `ocop demo load` creates the demo accounts (idempotent) and prints them."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("load", help="Create the demo accounts that are missing and print them all.")
        sub.add_parser("accounts", help="Print the demo accounts.")

    def handle(self, *args, subcommand=None, **options):
        from django.conf import settings

        from ocop.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo_accounts
        from ocop.geo.models import AdminUnit

        if settings.PRODUCTION:
            raise CommandError("Refusing to load demo data with OCOP_ENV=production.")
        if subcommand == "load":
            if not AdminUnit.objects.exists():
                raise CommandError("Load the administrative units first: ocop load-units")
            created = sum(1 for _spec, new in load_demo_accounts() if new)
            self.stdout.write(f"Demo accounts: {created} created.")
        self.stdout.write("")
        self.stdout.write(f"  Demo accounts (password for all: {DEMO_PASSWORD})")
        paths = [a.area_path for a in DEMO_ACCOUNTS if a.area_path]
        names = dict(AdminUnit.objects.filter(path__in=paths).values_list("path", "name"))
        for account in DEMO_ACCOUNTS:
            area = names.get(account.area_path, "toàn hệ thống") if account.area_path else "toàn hệ thống"
            self.stdout.write(f"  {account.username:<18} {account.role:<20} {area}")
        self.stdout.write("")
