"""Settings for the test suite: fast hashing, e-mail in memory; PostgreSQL when DATABASE_URL is set."""

import os
import tempfile
from pathlib import Path

from .base import *

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DATABASES = {"default": database_from_environment(DATA_DIR / "test.sqlite3")}
# On SQLite the test database is a file (Django's default is in memory), so that the `resolve worker`
# processes the tests start (tests/notifications/test_workers.py) share it with the test run; in
# memory-backed /dev/shm where there is one, as fast as Django's in-memory database.
TEST_DB_DIR = Path("/dev/shm") if Path("/dev/shm").is_dir() else Path(tempfile.gettempdir())  # noqa: S108
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(TEST_DB_DIR / f"resolve-test-{os.getpid()}.sqlite3")}
# A fixed, non-secret audit key; checkpoints in a directory of this run's own, so no run sees another's.
AUDIT_KEYS = {"test": b"test-only-audit-key-not-secret-000000"}
AUDIT_CHECKPOINT_DIR = Path(tempfile.mkdtemp(prefix="resolve-audit-checkpoints-"))
AUDIT_CHECKPOINT_EMAIL = []
RESOLVE_BASE_URL = "http://testserver"
