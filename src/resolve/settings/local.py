"""Settings for one person running Resolve on their own machine (the README's first command)."""

import os

from .base import *

DEBUG = os.environ.get("RESOLVE_DEBUG", "1") == "1"
# A local, non-secret key: this settings module is never used in production.
SECRET_KEY = os.environ.get("SECRET_KEY", "local-development-only-not-secret")
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
# E-mail is printed in the terminal, unless EMAIL_HOST names an SMTP server to send it through.
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
# A fixed, non-secret audit key for one machine, unless RESOLVE_AUDIT_KEYS gives one.
AUDIT_KEYS = AUDIT_KEYS or {"local": b"local-development-audit-key-not-secret"}
# Static files (GOV.UK Frontend, compiled and committed) served by WhiteNoise straight from the
# apps' static folders, so that no collectstatic is needed on one's own machine, with or without DEBUG.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
