"""Settings shared by every environment. Secrets come from the environment only."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from resolve.accounts.oidc import ConfigurationError, allauth_apps
from resolve.audit.keys import keys_from_text

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("RESOLVE_DATA_DIR", Path.cwd() / "var"))

INSTALLED_APPS = [
    "django.contrib.admin",
    # Before django.contrib.auth, so that its createsuperuser (no bypassing the password rules)
    # replaces Django's (Django runs the first app's command), and before django-allauth, so that
    # Resolve's templates for allauth's pages win.
    "resolve.accounts",
    "django.forms",  # its widget templates, for the GOV.UK form renderer (resolve.web.forms)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.usersessions",
    "resolve.core",
    # Before resolve.procedures: its `procedures` and `timeline` commands extend (and so must
    # replace) that app's, with `adopt` and `--partnership` (Django runs the first app's command).
    "resolve.partnerships",
    "resolve.procedures",
    "resolve.disagreements",
    "resolve.audit",
    "resolve.access",
    "resolve.demo",
    "resolve.notifications",
    # records for the child's file and reports to the board (PDF, Word); oversight figures and learning
    "resolve.documents",
    "resolve.reports",
    "resolve.web",
    # Background work (decision 0014): Django's task interface, its queue kept in the database.
    "django_tasks",
    "django_tasks_db",
    # A face: Django's admin for every model. After django-allauth, whose admin pages it replaces.
    "resolve.administration",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "resolve.web.middleware.NoStoreForSignedInMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "resolve.accounts.middleware.RequireTwoFactorMiddleware",
    "resolve.accounts.middleware.BadFormIs400Middleware",
    "resolve.web.middleware.AuditOriginMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "resolve.urls"
# Every form renders with GOV.UK Frontend's markup (labels, hints, error messages): resolve.web.forms.
FORM_RENDERER = "resolve.web.forms.GovUKFormRenderer"
WSGI_APPLICATION = "resolve.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "resolve.web.context_processors.layout",
            ],
        },
    },
]


def database_from_environment(default_sqlite: Path) -> dict[str, object]:
    """PostgreSQL when DATABASE_URL names one; otherwise the embedded SQLite file.

    SQLite runs in WAL mode with IMMEDIATE transactions, so that concurrent writers
    queue for the lock instead of failing with "database is locked" (DESIGN.md, Pitfalls).
    """
    url = os.environ.get("DATABASE_URL")
    if url:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    else:
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(default_sqlite)}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return config


DATABASES = {"default": database_from_environment(DATA_DIR / "resolve.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # 12 characters at least, on every path that sets a password: allauth's forms, the admin's, and
    # the createsuperuser and changepassword commands all use these validators.
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Signing in (django-allauth). People are added by their partnership: nobody signs up. They sign in
# with their e-mail address and a password, or through their organisation (OpenID Connect).
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
ACCOUNT_ADAPTER = "resolve.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
# An address belongs to one account only (allauth's default, stated). A person changes theirs by
# adding the new one and following the link sent to it; only then can it become the account's own
# (accounts.views.EmailAddressesView). Not allauth's ACCOUNT_CHANGE_EMAIL: it deletes the current
# address when that is unverified, as every address from before verification is. The forms add
# what allauth leaves open: no address another account holds, no password for an account that
# signs in through its organisation (resolve/accounts/forms.py).
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = False
ACCOUNT_FORMS = {
    "add_email": "resolve.accounts.forms.ResolveAddEmailForm",
    "set_password": "resolve.accounts.forms.ResolveSetPasswordForm",
    "user_token": "resolve.accounts.forms.ResolveUserTokenForm",
    # allauth's own forms with GOV.UK labels (resolve/accounts/forms.py)
    "change_password": "resolve.accounts.forms.ResolveChangePasswordForm",
    "reset_password": "resolve.accounts.forms.ResolveResetPasswordForm",
    "reset_password_from_key": "resolve.accounts.forms.ResolveResetPasswordKeyForm",
    "reauthenticate": "resolve.accounts.forms.ResolveReauthenticateForm",
}
# Where e-mails (an invitation's link to set a password) send people: the address people use.
RESOLVE_BASE_URL = os.environ.get("RESOLVE_BASE_URL", "http://localhost:8000")
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_REDIRECT_URL = "login"
# A password-reset request (anyone can make one for any address) writes nothing to the account.
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = "resolve.accounts.tokens.PasswordResetTokenGenerator"
# Lockout: five wrong passwords for one account pause signing in to it for 15 minutes; ten a
# minute from one address pause that address. The counts live in the cache (CACHES).
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/15m/key"}
# Two-factor authentication: an authenticator app (TOTP) with recovery codes. A partnership can
# require it of everyone (Partnership.mfa_required): RequireTwoFactorMiddleware sends them to set it up.
MFA_ADAPTER = "resolve.accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Resolve"
MFA_FORMS = {
    "authenticate": "resolve.accounts.forms.ResolveAuthenticateForm",
    "reauthenticate": "resolve.accounts.forms.ResolveMFAReauthenticateForm",
    "activate_totp": "resolve.accounts.forms.ResolveActivateTOTPForm",
}
# Single sign-on: OpenID Connect providers from the environment (resolve/accounts/oidc.py).
SOCIALACCOUNT_ADAPTER = "resolve.accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
try:
    _oidc_apps = allauth_apps(os.environ.get("RESOLVE_OIDC_PROVIDERS", ""))
except ConfigurationError as exc:
    raise ImproperlyConfigured(str(exc)) from exc
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": _oidc_apps}}
USERSESSIONS_TRACK_ACTIVITY = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"

# Messages ("The person ... was changed successfully") name people: they are kept in the session,
# on the server, never in a cookie in the browser.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Sessions end after 30 minutes without a request, and when the browser closes.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content Security Policy (django-csp): only our own scripts, styles, images and fonts; no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# The audit trail (decision 0004). Its chain is signed with the keys in RESOLVE_AUDIT_KEYS
# (`id:base64secret,...`, the first signs; never in the database); production refuses to start
# without one, local and test settings have a fixed, non-secret key. Checkpoints of the chain's head
# go to an append-only file in RESOLVE_AUDIT_CHECKPOINT_DIR and, if set, to the comma-separated
# addresses in RESOLVE_AUDIT_CHECKPOINT_EMAIL. Write one regularly: `resolve audit checkpoint`.
AUDIT_KEYS = keys_from_text(os.environ.get("RESOLVE_AUDIT_KEYS", ""))
AUDIT_CHECKPOINT_DIR = Path(os.environ.get("RESOLVE_AUDIT_CHECKPOINT_DIR", DATA_DIR / "audit-checkpoints"))
AUDIT_CHECKPOINT_EMAIL = [
    a.strip() for a in os.environ.get("RESOLVE_AUDIT_CHECKPOINT_EMAIL", "").split(",") if a.strip()
]

# Background work (decision 0014): tasks are rows in the database (django-tasks-db), run by
# `resolve worker` (started with the web server by `python3 dev.py serve`). Several workers on
# several machines may share one PostgreSQL: each claims a task with SELECT ... FOR UPDATE SKIP LOCKED.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def seconds_from_environment(name: str, default: float) -> float:
    """A number of seconds greater than 0 from the environment variable ``name``, or ``default``."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < float("inf"):
        raise ImproperlyConfigured(f"{name} must be a number of seconds greater than 0, such as 600; it is {text!r}.")
    return seconds


# How long a worker's claim on a message lasts: a message claimed by a worker that was killed mid-send
# is sent again once this has passed. Longer than the slowest send can take (EMAIL_TIMEOUT, 30 s).
NOTIFICATIONS_LEASE_SECONDS = seconds_from_environment("RESOLVE_NOTIFICATIONS_LEASE_SECONDS", 600)

# Sending (resolve.notifications). Each partnership chooses its channel (Partnership.message_channel):
# e-mail over SMTP, or GOV.UK Notify. Nothing here is a secret in the code: all from the environment.
# SMTP: EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS (STARTTLS) or EMAIL_USE_SSL, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, and RESOLVE_EMAIL_FROM (the From address).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "") == "1"
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("RESOLVE_EMAIL_FROM", "Resolve <resolve@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# GOV.UK Notify, through its official client: the API key, the id of an e-mail template whose
# subject is ((subject)) and whose body is ((body)), and (for tests and Notify's own test
# environments) the API's address.
NOTIFY_API_KEY = os.environ.get("RESOLVE_NOTIFY_API_KEY", "")
NOTIFY_EMAIL_TEMPLATE_ID = os.environ.get("RESOLVE_NOTIFY_EMAIL_TEMPLATE_ID", "")
NOTIFY_BASE_URL = os.environ.get("RESOLVE_NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("RESOLVE_LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every step of every PDF at INFO: only their warnings are kept.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
}
