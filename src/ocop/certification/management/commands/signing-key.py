"""`ocop signing-key show|rotate`: the Ed25519 keys that sign certificate labels."""

import json

from django.core.management.base import BaseCommand

from ocop.certification import signing


class Command(BaseCommand):
    help = (
        "Keys that sign certificate labels. `show` prints the published public keys (what "
        "/verify/keys.json serves); `rotate` creates a new current key and keeps the old ones, so "
        "labels already printed stay verifiable. Back up OCOP_SIGNING_KEYS_DIR."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["show", "rotate"])

    def handle(self, *args, action, **options):
        if action == "rotate":
            # Certificates that never recorded their key were signed with the current one: keep it,
            # so their labels stay the same after the rotation.
            from ocop.certification.models import Certificate

            previous = signing.current_key_id()
            Certificate.objects.filter(signing_key="").update(signing_key=previous)
            key_id = signing.create_key()
            self.stdout.write(f"New current key: {key_id}")
        else:
            signing.current_key_id()
        self.stdout.write(json.dumps(signing.published_keys(), indent=2))
