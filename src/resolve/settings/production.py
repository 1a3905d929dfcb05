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

# Behind a reverse proxy (nginx, a load balancer) that ends TLS and passes requests on over plain
# HTTP. RESOLVE_PROXY_COUNT is the number of proxies in front of Resolve that the partnership
# controls; each must set X-Forwarded-Proto and append the address it saw to X-Forwarded-For. With
# it set, a request the proxy received over HTTPS counts as secure (CSRF origin checks, secure
# redirects, HSTS), and the sign-in rate limits count each client by its own address (the one the
# nearest trusted proxy saw) instead of the proxy's, so one client's wrong passwords never pause
# everyone. Unset (0): Resolve is not behind a proxy and those headers are ignored, since anyone
# can send them. RESOLVE_CLIENT_IP_HEADER names a header the proxy sets to the client's address
# instead (X-Real-IP for nginx, CF-Connecting-IP for Cloudflare).
try:
    RESOLVE_PROXY_COUNT = int(os.environ.get("RESOLVE_PROXY_COUNT", "0") or "0")
except ValueError:
    RESOLVE_PROXY_COUNT = -1
if not 0 <= RESOLVE_PROXY_COUNT <= 5:
    raise ImproperlyConfigured(
        "RESOLVE_PROXY_COUNT must be the number of reverse proxies in front of Resolve: 0 (none) to 5."
    )
if RESOLVE_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    ALLAUTH_TRUSTED_PROXY_COUNT = RESOLVE_PROXY_COUNT
    ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("RESOLVE_CLIENT_IP_HEADER", "").strip() or None
# The addresses people reach Resolve at, for CSRF origin checks on forms: by default https:// and
# each of ALLOWED_HOSTS; set RESOLVE_CSRF_TRUSTED_ORIGINS (comma-separated) when the public address
# differs from the host the proxy passes on.
CSRF_TRUSTED_ORIGINS = [
    o.strip()
    for o in os.environ.get(
        "RESOLVE_CSRF_TRUSTED_ORIGINS", ",".join(f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith("."))
    ).split(",")
    if o.strip()
]
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith("https://"):
        raise ImproperlyConfigured(f"RESOLVE_CSRF_TRUSTED_ORIGINS: {_origin!r} must start with https://")
# Links in e-mails (an invitation's link to choose a password) use the public address.
RESOLVE_BASE_URL = os.environ.get("RESOLVE_BASE_URL", CSRF_TRUSTED_ORIGINS[0] if CSRF_TRUSTED_ORIGINS else "")
if not RESOLVE_BASE_URL.startswith("https://"):
    raise ImproperlyConfigured("Set RESOLVE_BASE_URL to the https:// address people reach Resolve at.")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # EMAIL_HOST and the rest: base.py

# Sign-in lockout counts and used two-factor codes must be seen by every worker process: Redis when
# REDIS_URL names one (needed when Resolve runs on more than one machine), otherwise files in the
# data directory, which every process on this machine shares.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    _files = "django.core.cache.backends.filebased.FileBasedCache"
    CACHES = {"default": {"BACKEND": _files, "LOCATION": str(DATA_DIR / "cache")}}

# The app serves its own static files (GOV.UK Frontend's CSS and JavaScript, compiled and
# committed): WhiteNoise, right after SecurityMiddleware. `resolve collectstatic --noinput` at each
# deployment fills STATIC_ROOT with compressed copies named by their content (so browsers cache them
# for a year); until it has run, pages still work, with the files served under their plain names.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "resolve.web.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
