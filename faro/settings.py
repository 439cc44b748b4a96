"""Faro's one settings file. Every deployment value comes from the environment.

The typed helpers below fail loudly, naming the variable, when a value is malformed.
`.env.example` lists every variable; the README explains them.
"""

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import dj_database_url
import django_stubs_ext
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Lets the code's annotations subscript Django's generic classes at run time (ModelForm[Person], ...).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, schemes: set[str]) -> str:
    raw = os.environ.get(name, "")
    if raw and urlparse(raw).scheme not in schemes:
        expected = ", ".join(sorted(schemes))
        raise ImproperlyConfigured(f"{name} must be a URL with scheme {expected}, got {raw!r}")
    return raw


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key" if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])


def development_site_url() -> str:
    """Where `make run HOST=… PORT=…` answers: absolute links follow it in development."""
    host = env_str("HOST", "127.0.0.1") or "127.0.0.1"
    host = "127.0.0.1" if host in {"0.0.0.0", "::"} else host  # noqa: S104 — a bind-all address is not a link
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{env_int('PORT', 8000)}"


# In production SITE_URL is explicit (mail, QR codes, the issuer DID and feed ids are built from it).
SITE_URL = env_str("SITE_URL", development_site_url() if DEBUG else "").rstrip("/")
if not SITE_URL:
    raise ImproperlyConfigured(
        "SITE_URL must be set when DEBUG is off (the public address, e.g. https://faro.example.org)"
    )

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "faro.core",
    "faro.directory",
    "faro.accounts",
    "faro.courses",
    "faro.scholarships",
    "faro.webinars",
    "faro.meetings",
    "faro.certificates",
    "faro.reports",
    "faro.portal",
    "faro.api",
    # After Faro's apps, so Faro's templates override allauth's.
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "faro.core.middleware.PermissionsPolicyMiddleware",
    "faro.core.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "faro.core.middleware.SessionlessVisitorMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "faro.accounts.languages.UnavailableLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "faro.core.pagecache.AnonymousPageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "faro.core.middleware.TimezoneMiddleware",
    "faro.accounts.middleware.StaffTwoFactorMiddleware",
]

ROOT_URLCONF = "faro.urls"
WSGI_APPLICATION = "faro.wsgi.application"

TEMPLATES = [
    {
        # Django's, importing each tag library at its first {% load %} rather than all at start (faro/lib/templates.py).
        "BACKEND": "faro.lib.templates.LazyLibraryTemplates",
        "NAME": "django",  # the alias Django's own backend has (engines["django"])
        "DIRS": [],  # every template lives in its app
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "faro.core.context_processors.faro",
                "faro.accounts.context_processors.scope",
            ],
        },
    },
]

# Django's standard widget, field and error templates, rendered in Python (same HTML, a fraction of the time).
FORM_RENDERER = "faro.lib.form_renderer.FormRenderer"

# Database: SQLite by default so a checkout just runs; PostgreSQL when DATABASE_URL is set.
DATABASE_URL = env_url("DATABASE_URL", {"postgres", "postgresql", "sqlite"})
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(BASE_DIR / "var" / "faro.sqlite3"),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue
                # instead of failing half-way; WAL lets readers go on meanwhile.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_url("REDIS_URL", {"redis", "rediss"})
if REDIS_URL:
    # The tolerant backend answers "not cached" while Redis is down instead of raising (faro/core/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "faro.core.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Anonymous visitors' public pages are kept in the cache until any audited write commits, and at
# most this long (pages that change with time alone: a call closing at its deadline). 0 turns it off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 30)

# Background work: with no broker, tasks run synchronously in the calling process.
# Side effects of writes go through the outbox (faro/core/outbox.py); the relay re-sends what the
# broker did not take, every minute (beat) or from cron (`manage.py relay_outbox`).
CELERY_BROKER_URL = env_url("CELERY_BROKER_URL", {"redis", "rediss", "amqp"})
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The worker waits for the broker to come back, however long it is away, at start and after a loss.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5, "retry_on_timeout": True}
# The web app publishes once and at once: if the broker is down the outbox keeps the message.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_RESULT_BACKEND = env_url("CELERY_RESULT_BACKEND", {"redis", "rediss"}) or None
CELERY_RESULT_BACKEND_ALWAYS_RETRY = True
CELERY_TASK_IGNORE_RESULT = not CELERY_RESULT_BACKEND
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
# Outbox: a message claimed by a worker that did not finish within this many seconds is tried again;
# one handed to the broker but not claimed within FARO_OUTBOX_RESEND_AFTER is handed over again.
FARO_OUTBOX_CLAIM_TIMEOUT = env_int("FARO_OUTBOX_CLAIM_TIMEOUT", 30 * 60)
FARO_OUTBOX_RESEND_AFTER = env_int("FARO_OUTBOX_RESEND_AFTER", 5 * 60)
# A background job whose worker gave no sign of life for this many seconds shows as stalled.
FARO_JOB_STALLED_AFTER = env_int("FARO_JOB_STALLED_AFTER", 120)
# Certificates issued per transaction (and per progress tick) in a bulk issue.
FARO_CERTIFICATES_BATCH = env_int("FARO_CERTIFICATES_BATCH", 500)
# The certificates' Ed25519 signing key as PEM (\n may stand for newlines); unset: one kept in the database.
FARO_SIGNING_KEY = env_str("FARO_SIGNING_KEY").strip()
FARO_RSA_SIGNING_KEY = env_str("FARO_RSA_SIGNING_KEY").strip()  # RS256, the same way
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    # The outbox relay: hands over every due side effect the broker has not taken (idempotent).
    "core-relay-outbox": {"task": "faro.core.tasks.relay_outbox_task", "schedule": 60.0},
    "scholarships-expire-offers": {"task": "faro.scholarships.tasks.expire_offers_task", "schedule": 15 * 60},
    # Calls past their deadline move from open to closed (idempotent; cron: `manage.py close_overdue_calls`).
    "scholarships-close-overdue-calls": {"task": "faro.scholarships.tasks.close_overdue_calls_task", "schedule": 300.0},
    "scholarships-remind-endorsers": {"task": "faro.scholarships.tasks.remind_endorsers_task", "schedule": 3600.0},
    "retry-due-webhooks": {"task": "faro.api.tasks.retry_due_webhooks", "schedule": 60.0},
    # Webinar reminders 24 h and 1 h before (idempotent; cron alternative: `manage.py send_webinar_reminders`).
    "webinars-reminders": {"task": "faro.webinars.tasks.send_reminders", "schedule": 300.0},
    # Portal: the retention policy, once a day (also `manage.py apply_retention` for cron).
    "portal-apply-retention": {"task": "faro.portal.tasks.apply_retention_task", "schedule": 24 * 3600},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "faro.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["faro.api.permissions.TokenScope"],
    "DEFAULT_PAGINATION_CLASS": "faro.api.pagination.Pagination",
    "DEFAULT_THROTTLE_CLASSES": ["faro.api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": env_str("FARO_API_RATE", "600/minute")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "faro.api.errors.handle_exception",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],  # a JSON API: the schema says only JSON
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Faro API",
    "DESCRIPTION": "The CIP's training platform: catalogue, registrations, enrolments, certificates, reports.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Two choice sets are both called `kind`: name them apart instead of a hashed name.
    "ENUM_NAME_OVERRIDES": {
        "CertificateKindEnum": "faro.certificates.models.Kind",
        "MeetingKindEnum": "faro.meetings.models.Meeting.Kind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "faro.api.schema.add_error_responses",
    ],
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:me"
LOGOUT_REDIRECT_URL = "portal:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Five wrong passwords (or codes) for one email lock it for 15 minutes; an address trying many emails
# is locked after LOGIN_IP_FAILURE_LIMIT failures (an office behind one NAT shares an address).
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
LOGIN_IP_FAILURE_LIMIT = env_int("LOGIN_IP_FAILURE_LIMIT", 4 * LOGIN_FAILURE_LIMIT)
# Mails asking for a code, a sign-up proof or a password reset: per address and per client, per hour.
FARO_MAIL_LIMIT_PER_EMAIL = env_int("FARO_MAIL_LIMIT_PER_EMAIL", 5)
FARO_MAIL_LIMIT_PER_IP = env_int("FARO_MAIL_LIMIT_PER_IP", 30)
# When on, Secretariat staff cannot use staff pages (nor API tokens) until they have set up two-factor.
FARO_REQUIRE_STAFF_2FA = env_bool("FARO_REQUIRE_STAFF_2FA", False)
# The client address: REMOTE_ADDR, or behind BEHIND_PROXY the entry of X-Forwarded-For that the
# outermost of TRUSTED_PROXY_COUNT trusted proxies saw (the rest of the header can be forged).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1) if env_bool("BEHIND_PROXY", False) else 0
# Key that encrypts two-factor secrets in the database (default: derived from SECRET_KEY).
FARO_SECRETS_KEY = env_str("FARO_SECRETS_KEY", SECRET_KEY)

# Sign-in, sign-up and two-factor by django-allauth: email is the login, proven by a six-digit code.
ACCOUNT_ADAPTER = "faro.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    name: f"faro.accounts.forms.{form}"
    for name, form in [
        ("login", "LoginForm"),
        ("signup", "SignupForm"),
        ("request_login_code", "RequestLoginCodeForm"),
        ("reset_password", "ResetPasswordForm"),
        ("add_email", "AddEmailForm"),
    ]
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*"]  # name, country, … and an optional password come after the proof
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_TIMEOUT = 15 * 60
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_MAX_ATTEMPTS = LOGIN_FAILURE_LIMIT
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_RESEND = True  # "send me a new code" (twice at most)
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_CHANGE = True  # a mistyped address can be corrected on the code page
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 15 * 60
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = LOGIN_FAILURE_LIMIT
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_LOGIN_TIMEOUT = 15 * 60
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True  # a reset or code asked for an unknown address mails "sign up here"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True  # the old address is told when the email or password changes
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""  # the subjects say Faro themselves
ACCOUNT_SIGNUP_REDIRECT_URL = "accounts:profile_complete"
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"{LOGIN_IP_FAILURE_LIMIT}/{LOGIN_LOCKOUT_SECONDS}s/ip,"
    f"{LOGIN_FAILURE_LIMIT}/{LOGIN_LOCKOUT_SECONDS}s/key",
    "request_login_code": f"{FARO_MAIL_LIMIT_PER_IP}/h/ip,{FARO_MAIL_LIMIT_PER_EMAIL}/h/key",
    "reset_password": f"{FARO_MAIL_LIMIT_PER_IP}/h/ip,{FARO_MAIL_LIMIT_PER_EMAIL}/h/key",
    "signup": f"{FARO_MAIL_LIMIT_PER_IP}/h/ip",
    "confirm_email": f"1/10s/key,{FARO_MAIL_LIMIT_PER_EMAIL}/h/key",
}
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ALLAUTH_USER_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
MFA_ADAPTER = "faro.accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Faro CIP"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("fr", _("French")),
]
# Apps keep their catalogues in <app>/locale; lib is not an app, so it is listed here.
# allauth's own pages in Brazilian Portuguese: it ships pt_BR, linked as "pt" by `make messages`.
LOCALE_PATHS = [BASE_DIR / "faro" / "lib" / "locale", BASE_DIR / "var" / "locale-allauth"]
LANGUAGE_COOKIE_NAME = "faro_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True
# Where the Secretariat sits; organiser-side times are shown in this zone.
FARO_ORGANISER_TIME_ZONE = env_str("FARO_ORGANISER_TIME_ZONE", "America/New_York")

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FARO_MAX_UPLOAD_BYTES = env_int("FARO_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# Imports longer than this many lines (or bigger than this many bytes) run as background jobs.
FARO_IMPORT_BACKGROUND_ROWS = env_int("FARO_IMPORT_BACKGROUND_ROWS", 2000)
FARO_IMPORT_BACKGROUND_BYTES = env_int("FARO_IMPORT_BACKGROUND_BYTES", 512 * 1024)

EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "CIP Secretariat <faro@cip.example.org>")

# Sessions are rows in the database (server-side: signing out and deactivation end them), written
# without Django's SELECT before each new key (faro/core/sessions.py).
SESSION_ENGINE = "faro.core.sessions"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
# Served over HTTPS in production: plain HTTP is redirected (the load balancer's health check is exempt),
# and browsers are told to stay on HTTPS for HSTS_SECONDS: a year by default in production (DEBUG=0 with
# SSL_REDIRECT on), not sent otherwise; HSTS_SECONDS=0 turns it off.
SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", SESSION_COOKIE_SECURE)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000 if SECURE_SSL_REDIRECT and not DEBUG else 0)
# Faro lives on one host of an organisation's domain: it cannot speak for sibling subdomains (HSTS
# includeSubDomains) nor ask browsers to preload the whole domain.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts only from Faro's own files — no inline script, no other
# host; no framing. Styles allow inline `style` attributes (chart swatches; Swagger UI's page style).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF, csp.UNSAFE_INLINE],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
