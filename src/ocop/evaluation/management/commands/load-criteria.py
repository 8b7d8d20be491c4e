from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the rule versions (26/2026, 148/2023, 1048/2019) and their score sheets (idempotent)."

    def handle(self, *args, **options):
        from ocop.evaluation.loader import load_criteria

        result = load_criteria()
        self.stdout.write(f"Rule versions: {result['rules']}; score sheets stored: {result['sheets']}.")
