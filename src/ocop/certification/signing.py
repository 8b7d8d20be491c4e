"""Signed QR labels of certificates (Ed25519).

The QR code of a certificate holds a URL: the verification page of its public id, with the
certificate's essential fields and an Ed25519 signature of them in the query string, e.g.

    https://ocop.example.gov.vn/verify/7KQ2M9XHT4PA/?c=19-02155-001-2026&n=4&f=20260629&t=20290628&l=province&k=k2026a&sig=…

`/verify/…` shows the live status from the database and whether the label's fields match the
signature; `ocop verify "<qr text>"` checks the signature offline with the published public keys,
so a forged or altered label fails even without a connection. Ed25519 signatures are
deterministic: the same certificate signed with the same key always gives the same label.

Keys live in `OCOP_SIGNING_KEYS_DIR` (default var/keys): `<key id>.pem` (private, PKCS#8) and
`current` (the id used for new certificates). A key is created on first use when there is none;
`ocop signing-key rotate` makes a new current key and keeps the old ones, so labels signed with
them stay verifiable. `/verify/keys.json` publishes every public key.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.utils import timezone

VERSION = "OCOP1"
KEY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,38}$")
PUBLIC_ID = re.compile(r"^[2-9A-HJ-NP-Z]{12}$")


def keys_dir() -> Path:
    configured = getattr(settings, "OCOP_SIGNING_KEYS_DIR", "")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "keys"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --- keys ----------------------------------------------------------------------------------------


def _private_path(key_id: str) -> Path:
    return keys_dir() / f"{key_id}.pem"


def create_key(key_id: str | None = None) -> str:
    """Create a new key and make it current; returns its id."""
    folder = keys_dir()
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    key_id = key_id or f"k{timezone.localdate():%Y%m%d}-{os.urandom(2).hex()}"
    if not KEY_ID.match(key_id) or _private_path(key_id).exists():
        raise ValueError(f"invalid or existing key id: {key_id}")
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path = _private_path(key_id)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    tmp = folder / f"current.{os.getpid()}.tmp"
    tmp.write_text(key_id)
    os.replace(tmp, folder / "current")
    return key_id


def current_key_id() -> str:
    """The key new certificates are signed with (created on first use)."""
    path = keys_dir() / "current"
    if path.exists():
        key_id = path.read_text().strip()
        if _private_path(key_id).exists():
            return key_id
    return create_key()


def private_key(key_id: str) -> Ed25519PrivateKey:
    if not KEY_ID.match(key_id or ""):
        raise KeyError(key_id)
    try:
        data = _private_path(key_id).read_bytes()
    except OSError as exc:
        raise KeyError(key_id) from exc
    return serialization.load_pem_private_key(data, password=None)


def public_keys() -> dict[str, str]:
    """{key id: raw public key, base64url} of every key kept (current and retired)."""
    folder = keys_dir()
    out = {}
    if folder.is_dir():
        for path in sorted(folder.glob("*.pem")):
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
            raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            out[path.stem] = _b64(raw)
    return out


def published_keys() -> dict:
    """The document served at /verify/keys.json and read by `ocop verify --keys`."""
    current = (keys_dir() / "current").read_text().strip() if (keys_dir() / "current").exists() else ""
    return {
        "algorithm": "Ed25519",
        "format": VERSION,
        "current": current,
        "keys": [{"id": k, "public_key": v} for k, v in public_keys().items()],
    }


# --- labels --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelFields:
    public_id: str
    product_code: str
    stars: int
    issued_on: dt.date
    valid_until: dt.date
    level: str

    def message(self) -> bytes:
        return "|".join(
            [
                VERSION,
                self.public_id,
                self.product_code,
                str(self.stars),
                f"{self.issued_on:%Y%m%d}",
                f"{self.valid_until:%Y%m%d}",
                self.level,
            ]
        ).encode()

    @classmethod
    def of(cls, certificate) -> LabelFields:
        return cls(
            public_id=certificate.public_id,
            product_code=certificate.product.code or f"#{certificate.product_id}",
            stars=certificate.stars,
            issued_on=certificate.issued_on,
            valid_until=certificate.valid_until,
            level=certificate.issuing_level,
        )


def label_url(certificate) -> str:
    """The URL printed in the certificate's QR code (signed with the certificate's own key)."""
    from django.urls import reverse

    key_id = certificate.signing_key or current_key_id()
    fields = LabelFields.of(certificate)
    signature = private_key(key_id).sign(fields.message())
    query = urlencode(
        {
            "c": fields.product_code,
            "n": fields.stars,
            "f": f"{fields.issued_on:%Y%m%d}",
            "t": f"{fields.valid_until:%Y%m%d}",
            "l": fields.level,
            "k": key_id,
            "sig": _b64(signature),
        }
    )
    path = reverse("certification:verify", args=[certificate.public_id])
    return f"{settings.OCOP_SITE_URL}{path}?{query}"


@dataclass(frozen=True)
class Check:
    """What a label says and whether its signature holds."""

    ok: bool
    reason: str  # "" when ok; else malformed, unknown_key, bad_signature
    fields: LabelFields | None = None
    key_id: str = ""


def check_label(text: str, keys: dict[str, str] | None = None) -> Check:
    """Check a scanned QR text (the label URL) against the public keys ({id: base64url raw})."""
    keys = public_keys() if keys is None else keys
    try:
        parts = urlsplit((text or "").strip())
        match = re.search(r"/verify/([^/?#]+)/?$", parts.path)
        query = {k: v[0] for k, v in parse_qs(parts.query, strict_parsing=False).items() if len(v) == 1}
        fields = LabelFields(
            public_id=match.group(1),
            product_code=query["c"],
            stars=int(query["n"]),
            issued_on=dt.datetime.strptime(query["f"], "%Y%m%d").date(),
            valid_until=dt.datetime.strptime(query["t"], "%Y%m%d").date(),
            level=query["l"],
        )
        key_id, signature = query["k"], _unb64(query["sig"])
    except (AttributeError, KeyError, ValueError, TypeError):
        return Check(False, "malformed")
    if not PUBLIC_ID.match(fields.public_id) or len(signature) != 64:
        return Check(False, "malformed", fields)
    raw = keys.get(key_id)
    if raw is None:
        return Check(False, "unknown_key", fields, key_id)
    try:
        Ed25519PublicKey.from_public_bytes(_unb64(raw)).verify(signature, fields.message())
    except (InvalidSignature, ValueError):
        return Check(False, "bad_signature", fields, key_id)
    return Check(True, "", fields, key_id)


def load_keys_file(path: str) -> dict[str, str]:
    """Public keys from a downloaded /verify/keys.json."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {k["id"]: k["public_key"] for k in data.get("keys", [])}
