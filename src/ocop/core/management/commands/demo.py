from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Demo data. `ocop demo load` creates the demo accounts, the demo registry of Bắc Kạn and "
        "the demo evaluation council (idempotent) and prints the accounts; `ocop demo reset` rebuilds "
        "the demo registry and evaluation."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser(
            "load",
            help="Create the demo accounts, producers, products and certificates that are missing; "
            "print the accounts.",
        )
        sub.add_parser(
            "reset",
            help="Delete the demo producers, products and certificates (only those the demo created) "
            "and load them again.",
        )
        sub.add_parser("accounts", help="Print the demo accounts.")

    def handle(self, *args, subcommand=None, **options):
        from django.conf import settings
        from django.db.models import ProtectedError

        from ocop.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo_accounts
        from ocop.evaluation.demo import load_evaluation_demo, reset_evaluation_demo
        from ocop.geo.models import AdminUnit
        from ocop.registry.demo import load_registry_demo, reset_registry_demo
        from ocop.registry.models import ProductCategory

        if settings.PRODUCTION:
            raise CommandError("Refusing to load demo data with OCOP_ENV=production.")
        if subcommand in ("load", "reset"):
            if not AdminUnit.objects.exists():
                raise CommandError("Load the administrative units first: ocop load-units")
            if not ProductCategory.objects.filter(scheme__code="26-2026").exists():
                raise CommandError("The product classification is missing: run ocop migrate")
        if subcommand == "load":
            created = sum(1 for _spec, new in load_demo_accounts() if new)
            self.stdout.write(f"Demo accounts: {created} created.")
            report = load_registry_demo()
            self.stdout.write(
                f"Demo registry: {report.producers} producers, {report.products} products, "
                f"{report.certificates} certificates created."
            )
            evaluation = load_evaluation_demo()
            self.stdout.write(
                f"Demo evaluation: {evaluation['councils']} council, "
                f"{evaluation['sessions']} sessions created."
            )
            for module in app_demos():
                self.stdout.write(module.load())
        elif subcommand == "reset":
            try:
                from ocop.programme.demo import reset_for_products
                from ocop.registry.demo import demo_product_ids

                for module in reversed(app_demos()):
                    module.reset()
                reset_for_products(demo_product_ids())
                sessions = reset_evaluation_demo()
                report = reset_registry_demo()
            except ProtectedError as exc:
                in_use = sorted({str(obj) for obj in exc.protected_objects})[:5]
                raise CommandError(
                    f"Some demo records are still referenced and cannot be deleted: {in_use}"
                ) from exc
            deleted = report.deleted
            self.stdout.write(
                f"Demo registry: {deleted['producers']} producers, {deleted['products']} products, "
                f"{deleted['certificates']} certificates deleted; {report.producers} producers, "
                f"{report.products} products, {report.certificates} certificates created."
            )
            evaluation = load_evaluation_demo()
            self.stdout.write(
                f"Demo evaluation: {sessions} sessions deleted; {evaluation['sessions']} sessions created."
            )
            for module in app_demos():
                self.stdout.write(module.load())
            return
        self.stdout.write("")
        self.stdout.write(f"  Demo accounts (password for all: {DEMO_PASSWORD})")
        paths = [a.area_path for a in DEMO_ACCOUNTS if a.area_path]
        names = dict(AdminUnit.objects.filter(path__in=paths).values_list("path", "name"))
        for account in DEMO_ACCOUNTS:
            area = names.get(account.area_path, "toàn hệ thống") if account.area_path else "toàn hệ thống"
            self.stdout.write(f"  {account.username:<18} {account.role:<20} {area}")
        self.stdout.write("")


# Apps that add demo records of their own, in loading order. Each module has `load() -> str`
# (idempotent; returns the line to print) and `reset()` (deletes what load wrote). Reset runs in
# reverse order before the registry is rewritten (their records refer to its products).
APP_DEMOS = (
    "ocop.activities.demo",
    "ocop.quality.demo",
    "ocop.funding.demo",
    "ocop.planning.demo",
    "ocop.reporting.demo",
)


def app_demos() -> list:
    import importlib

    modules = []
    for name in APP_DEMOS:
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return modules
