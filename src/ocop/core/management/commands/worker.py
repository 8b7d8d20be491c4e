from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run background tasks (django-tasks database worker). Extra options go to db_worker."

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="*", help="Queues to process (default: all).")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")
        parser.add_argument("--batch", action="store_true", help="Process what is queued, then exit.")

    def handle(self, *args, queue_name="*", interval=1.0, batch=False, **options):
        argv = ["--queue-name", queue_name, "--interval", str(interval), "--no-reload", "--no-startup-delay"]
        if batch:
            argv.append("--batch")
        call_command("db_worker", *argv)
