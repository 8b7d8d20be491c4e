"""Test settings: the real settings, with tasks run immediately, fast password hashing, and
e-mail kept in memory. The database comes from DATABASE_URL (SQLite by default; `make test`
runs the suite a second time on PostgreSQL)."""

from ocop.settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
LANGUAGE_CODE = "vi"

# Signing keys of certificate labels: a fresh directory per test run, never the developer's.
import tempfile  # noqa: E402

OCOP_SIGNING_KEYS_DIR = tempfile.mkdtemp(prefix="ocop-keys-")
OCOP_DATA_CACHE_SECONDS = 0  # the cache's own tests turn it on (tests/catalogue/test_datacache.py)
