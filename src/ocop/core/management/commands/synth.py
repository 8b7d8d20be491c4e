"""`ocop synth --scale test|province|national [--seed N]`: the synthetic dataset for benchmarks.

See `ocop.synth`. `--reset` deletes every synthetic record first. Refused in production."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Write a deterministic synthetic dataset on the real places (for load tests and make bench)."

    def add_arguments(self, parser):
        from ocop.synth import SCALES

        parser.add_argument("--scale", choices=sorted(SCALES), default="province")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--reset", action="store_true", help="Delete every synthetic record first.")

    def handle(self, *args, scale, seed, reset, **options):
        from ocop.synth import generate
        from ocop.synth import reset as reset_all

        if settings.PRODUCTION:
            raise CommandError("Refusing to write synthetic data with OCOP_ENV=production.")
        if reset:
            deleted = reset_all()
            self.stdout.write("Deleted: " + ", ".join(f"{k} {v}" for k, v in deleted.items() if v))
        try:
            counts = generate(
                scale, seed, progress=lambda m: self.stdout.write(m) if options["verbosity"] > 1 else None
            )
        except (RuntimeError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        what = "Reused" if counts.reused else f"Written in {counts.seconds} s"
        self.stdout.write(
            f"{what}: {counts.provinces} provinces, {counts.producers} producers, "
            f"{counts.products} products, "
            f"{counts.certificates} certificates, {counts.councils} councils, {counts.sessions} sessions, "
            f"{counts.evaluations} evaluations, {counts.scorecards} scorecards, {counts.answers} answers, "
            f"{counts.results} results, {counts.cycles} cycles"
            + (", " + ", ".join(f"{k} {v}" for k, v in counts.extra.items()) if counts.extra else "")
        )
