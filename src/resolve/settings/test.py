"""Settings for the test suite: fast hashing, e-mail in memory; PostgreSQL when DATABASE_URL is set."""

from .base import *

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DATABASES = {"default": database_from_environment(DATA_DIR / "test.sqlite3")}
RESOLVE_BASE_URL = "http://testserver"
