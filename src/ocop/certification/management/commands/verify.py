"""`ocop verify "<qr text>"`: check a certificate label's signature offline."""

from django.core.management.base import BaseCommand, CommandError

from ocop.certification import signing

REASONS = {
    "malformed": "the text is not an OCOP certificate label (or it is truncated)",
    "unknown_key": "it is signed with a key that is not among the published keys",
    "bad_signature": "the signature does not match the fields: the label is forged or altered",
}


class Command(BaseCommand):
    help = (
        "Check the signature of a certificate's QR label without the server: with the local keys, "
        "or the public keys downloaded from /verify/keys.json (--keys). Exits 1 when it is not authentic."
    )

    def add_arguments(self, parser):
        parser.add_argument("text", help="The text of the QR code (the label URL).")
        parser.add_argument("--keys", help="A keys.json file published by the system.")

    def handle(self, *args, text, keys=None, **options):
        try:
            public = signing.load_keys_file(keys) if keys else signing.public_keys()
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"Cannot read the public keys: {exc}") from exc
        check = signing.check_label(text, public)
        if not check.ok:
            self.stdout.write(f"NOT AUTHENTIC: {REASONS.get(check.reason, check.reason)}.")
            raise SystemExit(1)
        f = check.fields
        self.stdout.write(
            f"AUTHENTIC (key {check.key_id}): certificate {f.public_id}, product {f.product_code}, "
            f"{f.stars} stars, valid {f.issued_on:%d/%m/%Y}–{f.valid_until:%d/%m/%Y}, "
            f"issued at {f.level} level. Whether it is still in force (not revoked or superseded) "
            "needs the verification page."
        )
