"""Settings for the test suite: fast hashing, e-mail in memory; PostgreSQL when DATABASE_URL is set."""

import tempfile
from pathlib import Path

from .base import *

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DATABASES = {"default": database_from_environment(DATA_DIR / "test.sqlite3")}
# A fixed, non-secret audit key; checkpoints in a directory of this run's own, so no run sees another's.
AUDIT_KEYS = {"test": b"test-only-audit-key-not-secret-000000"}
AUDIT_CHECKPOINT_DIR = Path(tempfile.mkdtemp(prefix="resolve-audit-checkpoints-"))
AUDIT_CHECKPOINT_EMAIL = []
RESOLVE_BASE_URL = "http://testserver"
