"""Production settings: every secret from the environment, with no default."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set SECRET_KEY in the environment to a random string of at least 50 characters.")
if not AUDIT_KEYS:
    raise ImproperlyConfigured(
        "Set RESOLVE_AUDIT_KEYS to id:base64secret (at least 32 random bytes): it signs the audit trail."
    )
ALLOWED_HOSTS = [h.strip() for h in os.environ["ALLOWED_HOSTS"].split(",") if h.strip()]
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))

# Sign-in lockout counts and used two-factor codes must be seen by every worker process: Redis when
# REDIS_URL names one (needed when Resolve runs on more than one machine), otherwise files in the
# data directory, which every process on this machine shares.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    _files = "django.core.cache.backends.filebased.FileBasedCache"
    CACHES = {"default": {"BACKEND": _files, "LOCATION": str(DATA_DIR / "cache")}}
