"""Django settings, read from the environment.

With nothing set, Moratorium runs for a first look: DEBUG on, SQLite in ./var, Celery tasks run
eagerly in the web process. Set DATABASE_URL and CELERY_BROKER_URL to switch to PostgreSQL and a
real broker; turn DJANGO_DEBUG off for production, which then refuses to start without
SECRET_KEY and ALLOWED_HOSTS.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .env import envbool, envint, envlist, envsecret, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(envstr("MORATORIUM_DATA_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DJANGO_DEBUG", True)

SECRET_KEY = envsecret("SECRET_KEY")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS")
if DEBUG:
    SECRET_KEY = SECRET_KEY or "insecure-development-key-never-use-in-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]", "testserver"]
else:
    missing = [
        name for name, value in (("SECRET_KEY", SECRET_KEY), ("ALLOWED_HOSTS", ALLOWED_HOSTS)) if not value
    ]
    if missing:
        raise ImproperlyConfigured(f"Production mode (DJANGO_DEBUG off) needs {' and '.join(missing)} set.")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "elections",
    "triage",
    "integrations.platforms",
    "integrations.banks",
    "triage.checks",
    "triage.policy",
    "triage.audit",
    "triage.partners",
    "integrations.callbacks",
    "integrations.transparency",
    "triage.dashboard",
    "integrations.chat",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if not envstr("DATABASE_URL"):
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # the embedded SQLite default lives here
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{DATA_DIR / 'moratorium.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default has a web process and a scheduler process writing at once: WAL lets
    # readers go on during a write, IMMEDIATE transactions queue writers instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(DATA_DIR / "media")))

# Media storage: the filesystem by default; any S3-compatible store (MinIO, Ceph, AWS) with
# STORAGE_BACKEND=s3 and the AWS_* variables django-storages reads (install the `s3` extra).
if envstr("STORAGE_BACKEND", "filesystem") == "s3":
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": envstr("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": envstr("AWS_S3_ENDPOINT_URL") or None,
            "access_key": envsecret("AWS_ACCESS_KEY_ID") or None,
            "secret_key": envsecret("AWS_SECRET_ACCESS_KEY") or None,
            "file_overwrite": False,
        },
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _media_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Celery. Without a broker, tasks run eagerly in the caller: the embedded first-look mode.
CELERY_BROKER_URL = envstr("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = envstr("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ACKS_LATE = True  # a task whose worker dies is redelivered; tasks claim before work
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_BEAT_SCHEDULE: dict = {}  # each app adds its periodic tasks in its AppConfig.ready()

# Outbound HTTP (media fetches, detector vendors, callbacks).
OUTBOUND_CONNECT_TIMEOUT = float(envint("OUTBOUND_CONNECT_TIMEOUT_MS", 5000)) / 1000
OUTBOUND_READ_TIMEOUT = float(envint("OUTBOUND_READ_TIMEOUT_MS", 30000)) / 1000
# Decision callbacks to platforms (docs/callbacks.md): a slow platform is retried, not waited for.
CALLBACK_CONNECT_TIMEOUT = float(envint("CALLBACK_CONNECT_TIMEOUT_MS", 5000)) / 1000
CALLBACK_READ_TIMEOUT = float(envint("CALLBACK_READ_TIMEOUT_MS", 10000)) / 1000
# The catch-up sweep (docs/callbacks.md) delivers a case's current decision to submissions that
# joined the case and never got it. It leaves alone attachments (and decisions) younger than the
# grace, which their own on-commit fan-out is still handling, and looks back this many hours.
CALLBACK_CATCH_UP_GRACE_SECONDS = envint("CALLBACK_CATCH_UP_GRACE_SECONDS", 120)
CALLBACK_CATCH_UP_LOOKBACK_HOURS = envint("CALLBACK_CATCH_UP_LOOKBACK_HOURS", 24)
OUTBOUND_MAX_REDIRECTS = envint("OUTBOUND_MAX_REDIRECTS", 5)
MEDIA_MAX_BYTES = envint("MEDIA_MAX_BYTES", 200 * 1024 * 1024)
WEBHOOK_MAX_BODY_BYTES = envint("WEBHOOK_MAX_BODY_BYTES", 25 * 1024 * 1024)
# Submissions still pending this long past their due time are re-enqueued by the sweeper; a claim
# older than the lease (a worker that died mid-fetch) is taken over.
SUBMISSION_SWEEP_AFTER_SECONDS = envint("SUBMISSION_SWEEP_AFTER_SECONDS", 60)
SUBMISSION_CLAIM_LEASE_SECONDS = envint("SUBMISSION_CLAIM_LEASE_SECONDS", 1800)
DATA_UPLOAD_MAX_MEMORY_SIZE = WEBHOOK_MAX_BODY_BYTES

# Moderator dashboard: how long a moderator's claim on a case lasts without activity.
DASHBOARD_LOCK_MINUTES = envint("DASHBOARD_LOCK_MINUTES", 15)
# The moderation lifecycle (docs/dashboard.md "Deadlines and holds"): how often the sweep runs,
# and who hears of a missed review deadline. Both channels are optional: e-mail through Django's
# mail backend to MODERATION_NOTIFY_EMAILS, and a POST to an incoming-webhook URL of a chat
# channel (Slack, Mattermost, Rocket.Chat, Teams… all take {"text": …}); the URL carries its own
# secret, so it is read like one. ALLOW_PRIVATE lets an on-site chat server on a private address.
MODERATION_DEADLINE_SWEEP_SECONDS = envint("MODERATION_DEADLINE_SWEEP_SECONDS", 30)
MODERATION_NOTIFY_EMAILS = envlist("MODERATION_NOTIFY_EMAILS")
MODERATION_CHAT_WEBHOOK_URL = envsecret("MODERATION_CHAT_WEBHOOK_URL")
MODERATION_CHAT_WEBHOOK_ALLOW_PRIVATE = envbool("MODERATION_CHAT_WEBHOOK_ALLOW_PRIVATE", False)
# Django's mail backend (SMTP when EMAIL_HOST is set, else the console).
EMAIL_HOST = envstr("EMAIL_HOST")
_MAIL_BACKENDS = "django.core.mail.backends."
EMAIL_BACKEND = envstr(
    "EMAIL_BACKEND", _MAIL_BACKENDS + ("smtp.EmailBackend" if EMAIL_HOST else "console.EmailBackend")
)
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "moratorium@localhost")
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Election calendar.
ELECTION_PERIOD_DAYS = envint("ELECTION_PERIOD_DAYS", 30)
# The /calendar/*.ics feeds hold public facts only; off: they need a logged-in staff user.
CALENDAR_FEEDS_PUBLIC = envbool("CALENDAR_FEEDS_PUBLIC", True)
# Window transitions (docs/transitions.md): beat interval, cases per task, how far back a missed
# transition is still caught up, and when a batch whose worker vanished is taken over.
WINDOW_TRANSITION_BEAT_SECONDS = envint("WINDOW_TRANSITION_BEAT_SECONDS", 20)
WINDOW_TRANSITION_BATCH_SIZE = envint("WINDOW_TRANSITION_BATCH_SIZE", 200)
WINDOW_TRANSITION_CATCHUP_HOURS = envint("WINDOW_TRANSITION_CATCHUP_HOURS", 168)
WINDOW_TRANSITION_LEASE_SECONDS = envint("WINDOW_TRANSITION_LEASE_SECONDS", 300)

# C2PA trust list: a PEM bundle of trust anchors; with none, valid signatures are "valid, untrusted".
C2PA_TRUST_ANCHORS_FILE = envstr("C2PA_TRUST_ANCHORS_FILE")
# A C2PA parse runs in a child process and is stopped (reported "unparseable") after this long.
C2PA_READ_TIMEOUT_SECONDS = envint("C2PA_READ_TIMEOUT_SECONDS", 20)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {"TITLE": "Moratorium API", "VERSION": "0.1.0"}
# The partner API (docs/api.md): requests per token, and who signs the ClaimReview/MediaReview it serves.
PARTNER_API_RATE = envstr("PARTNER_API_RATE", "600/minute")
FACTCHECK_AUTHOR_NAME = envstr("FACTCHECK_AUTHOR_NAME", "Moratorium")
FACTCHECK_AUTHOR_URL = envstr("FACTCHECK_AUTHOR_URL")

if not DEBUG:
    SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
