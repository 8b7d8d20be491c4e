"""Uploaded files waiting between a preview and a confirmation (the registry's Excel import, a
score sheet to publish): private — never under MEDIA_ROOT, which the web server publishes — owned
by the user who uploaded them, shared by the web and worker processes, and kept for at most a day.

Files are named by an HMAC of the token (the token in the URL is not the file name); the state is a
JSON file written atomically. The confirmation step reads the stored file again and never trusts
what the form sends back."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone


def private_dir() -> Path:
    """The root of the private upload directories (`OCOP_IMPORT_DIR`, or var/imports)."""
    configured = getattr(settings, "OCOP_IMPORT_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "imports"


class StoredUpload:
    MAX_AGE_SECONDS = 24 * 3600
    # Mixed into the HMAC that names the files, so two kinds of upload never share a name.
    namespace = ""
    # Below private_dir(); "" for the root itself.
    subdirectory = ""

    def __init__(self, token: str, state: dict[str, Any]):
        self.token = token
        self.state = state

    @classmethod
    def directory(cls) -> Path:
        return private_dir() / cls.subdirectory if cls.subdirectory else private_dir()

    @classmethod
    def _stem(cls, token: str) -> str:
        return hmac.new(
            settings.SECRET_KEY.encode(), f"{cls.namespace}{token}".encode(), hashlib.sha256
        ).hexdigest()[:40]

    @property
    def base(self) -> Path:
        return self.directory() / self._stem(self.token)

    @property
    def data_path(self) -> Path:
        return self.base.with_suffix(".upload")

    @property
    def state_path(self) -> Path:
        return self.base.with_suffix(".json")

    @classmethod
    def store(cls, owner, data: bytes, filename: str, **state: Any):
        """Keep `data` for `owner` under a new token, with its initial state."""
        cls.sweep()
        cls.directory().mkdir(parents=True, exist_ok=True)
        stored = cls(
            uuid.uuid4().hex,
            {
                "owner": owner.pk,
                "filename": os.path.basename(filename or "")[:200],
                "created": timezone.now().isoformat(),
                **state,
            },
        )
        stored.data_path.write_bytes(data)
        stored.save()
        return stored

    @classmethod
    def load(cls, token: str, owner):
        """The stored upload if it exists and belongs to `owner`, else None."""
        if not re.fullmatch(r"[0-9a-f]{32}", token or ""):
            return None
        stored = cls(token, {})
        try:
            stored.state = json.loads(stored.state_path.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if stored.state.get("owner") != getattr(owner, "pk", None):
            return None
        return stored

    def save(self) -> None:
        tmp = self.state_path.with_suffix(f".{uuid.uuid4().hex[:8]}.tmp")
        tmp.write_text(json.dumps(self.state, ensure_ascii=False, default=str), "utf-8")
        os.replace(tmp, self.state_path)

    def update(self, **changes) -> None:
        """Change some keys, on top of what another process (the worker) may have written meanwhile."""
        with contextlib.suppress(OSError, ValueError):
            self.state = json.loads(self.state_path.read_text("utf-8"))
        self.state.update(changes)
        self.save()

    def read_data(self) -> bytes:
        return self.data_path.read_bytes()

    def discard_data(self) -> None:
        self.data_path.unlink(missing_ok=True)

    @classmethod
    def sweep(cls) -> None:
        """Delete this kind's files older than a day."""
        folder = cls.directory()
        if not folder.is_dir():
            return
        limit = time.time() - cls.MAX_AGE_SECONDS
        for path in folder.iterdir():
            with contextlib.suppress(OSError):
                if path.is_file() and path.stat().st_mtime < limit:
                    path.unlink()
