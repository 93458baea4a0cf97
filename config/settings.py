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
from .logs import logging_config

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
    "drf_spectacular_sidecar",  # Swagger UI and Redoc served from our static files (offline)
    "elections",
    "triage",
    "integrations.platforms",
    "triage.evidence.banks",
    "triage.evidence",
    "triage.decisions",
    "triage.audit",
    "integrations.partners",
    "integrations.callbacks",
    "integrations.transparency",
    "triage.moderation",
    "triage.decisions.labels",
    "integrations.partner_webhooks",
    "integrations.chat",
]

MIDDLEWARE = [
    "config.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.metrics.WebhookAnswersMiddleware",
    # Innermost, so it sees a view's exception first: a lost database answers 503 (config/middleware.py).
    "config.middleware.DatabaseUnavailableMiddleware",
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
    # SQLite has no covering indexes: the queue's index on the current decision is built there
    # without its INCLUDE columns, which only make PostgreSQL's index-only scans possible.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
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
if CELERY_TASK_ALWAYS_EAGER:
    # Nothing is sent anywhere, but Celery still prepares a producer: the in-memory transport
    # keeps kombu from warning about a missing broker host in the first-look mode.
    CELERY_BROKER_URL = "memory://localhost/"
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
# Queues (docs/deployment.md): everything on the default queue except fingerprint matching, which
# has its own queue and workers, because each matching process holds the bank indexes in memory.
# A worker started without -Q consumes both.
CELERY_TASK_DEFAULT_QUEUE = envstr("CELERY_DEFAULT_QUEUE", "celery")
CELERY_BANKS_QUEUE = envstr("CELERY_BANKS_QUEUE", "banks")
# Where a banks worker leaves the keypoint vote's trained index for the next process to start from
# (docs/banks.md); empty: every process builds its own.
BANKS_INDEX_DIR = envstr("BANKS_INDEX_DIR", str(DATA_DIR / "bank-indexes"))
CELERY_TASK_QUEUES: dict[str, dict] = {CELERY_TASK_DEFAULT_QUEUE: {}, CELERY_BANKS_QUEUE: {}}
CELERY_TASK_ROUTES = {"moratorium.checks.fingerprint": {"queue": CELERY_BANKS_QUEUE}}
# Workers lower their own CPU priority by this much (os.nice, 0-19) when they start (config/celery.py).
# Where workers share cores with the web tier, the webhook keeps its latency while a burst is being
# processed, and the workers take whatever CPU the web tier leaves; alone on a machine, a niced worker
# runs at full speed, since nice only orders processes that compete for the same core. 0 turns it off.
WORKER_NICENESS = max(0, min(19, envint("WORKER_NICENESS", 10)))

# Outbound HTTP (media fetches, detector vendors, callbacks).
OUTBOUND_CONNECT_TIMEOUT = float(envint("OUTBOUND_CONNECT_TIMEOUT_MS", 5000)) / 1000
OUTBOUND_READ_TIMEOUT = float(envint("OUTBOUND_READ_TIMEOUT_MS", 30000)) / 1000
# Decision callbacks to platforms (docs/callbacks.md): a slow platform is retried, not waited for.
CALLBACK_CONNECT_TIMEOUT = float(envint("CALLBACK_CONNECT_TIMEOUT_MS", 5000)) / 1000
CALLBACK_READ_TIMEOUT = float(envint("CALLBACK_READ_TIMEOUT_MS", 10000)) / 1000
# A delivery claimed longer ago than this belongs to a worker that died mid-send (swept every 15 s).
CALLBACK_CLAIM_LEASE_SECONDS = envint("CALLBACK_CLAIM_LEASE_SECONDS", 60)
# The catch-up sweep (docs/callbacks.md) delivers a case's current decision to submissions that
# joined the case and never got it. It leaves alone attachments (and decisions) younger than the
# grace, which their own on-commit fan-out is still handling, and looks back this many hours.
CALLBACK_CATCH_UP_GRACE_SECONDS = envint("CALLBACK_CATCH_UP_GRACE_SECONDS", 120)
CALLBACK_CATCH_UP_LOOKBACK_HOURS = envint("CALLBACK_CATCH_UP_LOOKBACK_HOURS", 24)
OUTBOUND_MAX_REDIRECTS = envint("OUTBOUND_MAX_REDIRECTS", 5)
MEDIA_MAX_BYTES = envint("MEDIA_MAX_BYTES", 200 * 1024 * 1024)
# One media download, from its first byte to its last: checked on every read, so a server that
# trickles bytes is cut off here and retried later (the fetch task's hard limit is the backstop).
MEDIA_FETCH_TIMEOUT_SECONDS = envint("MEDIA_FETCH_TIMEOUT_SECONDS", 300)
WEBHOOK_MAX_BODY_BYTES = envint("WEBHOOK_MAX_BODY_BYTES", 25 * 1024 * 1024)
# Submissions still pending this long past their due time are re-enqueued by the sweeper; a claim
# older than the lease (a worker that died mid-fetch) is taken over.
SUBMISSION_SWEEP_AFTER_SECONDS = envint("SUBMISSION_SWEEP_AFTER_SECONDS", 60)
# Later reports about known content are folded into their submission and cases by a worker, one
# fold per submission per this many seconds however many reports arrive (triage/intake/folds.py):
# a viral item's thousands of reports cost a few folds and re-decisions, not one each.
REPORT_FOLD_SECONDS = envint("REPORT_FOLD_SECONDS", 2)
# How long a webhook process trusts its cached platform (slug, secrets, enabled) before reading
# it again; the process that saves a platform drops its cache at once (integrations/platforms).
WEBHOOK_PLATFORM_CACHE_SECONDS = envint("WEBHOOK_PLATFORM_CACHE_SECONDS", 5)
# Claim leases (config/leases.py): a worker renews its claim every CLAIM_HEARTBEAT_SECONDS while
# it works; a claim not renewed for its lease belongs to a dead worker and the sweepers (every
# CLAIM_SWEEP_SECONDS) take it back: recovery from a killed worker in about a minute.
CLAIM_HEARTBEAT_SECONDS = envint("CLAIM_HEARTBEAT_SECONDS", 10)
CLAIM_LEASE_SECONDS = envint("CLAIM_LEASE_SECONDS", 45)
CLAIM_SWEEP_SECONDS = envint("CLAIM_SWEEP_SECONDS", 15)
SUBMISSION_CLAIM_LEASE_SECONDS = envint("SUBMISSION_CLAIM_LEASE_SECONDS", CLAIM_LEASE_SECONDS)
CHECK_CLAIM_LEASE_SECONDS = envint("CHECK_CLAIM_LEASE_SECONDS", CLAIM_LEASE_SECONDS)
# A window transition's batch of cases is claimed the same way (it was a fixed 5 minutes).
WINDOW_TRANSITION_LEASE_SECONDS = envint("WINDOW_TRANSITION_LEASE_SECONDS", CLAIM_LEASE_SECONDS)
_shortest_lease = min(
    CLAIM_LEASE_SECONDS,
    SUBMISSION_CLAIM_LEASE_SECONDS,
    CHECK_CLAIM_LEASE_SECONDS,
    WINDOW_TRANSITION_LEASE_SECONDS,
)
if _shortest_lease < CLAIM_HEARTBEAT_SECONDS * 3:
    # Two missed beats must not lose a live worker's claim.
    raise ImproperlyConfigured("CLAIM_HEARTBEAT_SECONDS must be at most a third of every claim lease.")
DATA_UPLOAD_MAX_MEMORY_SIZE = WEBHOOK_MAX_BODY_BYTES
# Status reads signed the old way ("v1=" over an empty body, replayable across events for five
# minutes) are accepted while this is on. Deprecated: the default turns off on 2027-03-31
# (docs/ingestion.md); set it to 0 as soon as every platform signs status reads with "v2=".
WEBHOOK_STATUS_LEGACY_SIGNATURES = envbool("WEBHOOK_STATUS_LEGACY_SIGNATURES", True)

# Label texts (docs/labels.md): how long a process trusts its cached texts before checking for
# changes made by another process (the process that changes a text drops its cache at once).
LABEL_TEXT_CACHE_SECONDS = envint("LABEL_TEXT_CACHE_SECONDS", 10)
# The spoken disclosure as audio: the speech engine (a name registered in triage/decisions/labels/speech.py
# or a dotted path to a class), and how long its signed URL works: longer than the callbacks'
# 24-hour retry window, since a delivery's body is built once and retried.
LABEL_SPEECH_ENGINE = envstr("LABEL_SPEECH_ENGINE", "espeak-ng")
LABEL_AUDIO_URL_MAX_AGE_SECONDS = envint("LABEL_AUDIO_URL_MAX_AGE_SECONDS", 7 * 24 * 3600)
# Where platforms reach this deployment: absolute URLs in callback bodies (the audio disclosure)
# start with it. Without it those URLs are paths, which a platform cannot fetch.
PUBLIC_BASE_URL = envstr("PUBLIC_BASE_URL", "http://127.0.0.1:8000" if DEBUG else "")

# /readyz (config/health.py): how old the last periodic sweep run by a worker, and how late a due
# calendar transition, may be before the instance reports itself not ready.
READYZ_WORKER_STALE_SECONDS = envint("READYZ_WORKER_STALE_SECONDS", 120)
READYZ_TRANSITION_LATE_SECONDS = envint("READYZ_TRANSITION_LATE_SECONDS", 120)

# /metrics (config/metrics.py): scrapers send "Authorization: Bearer <METRICS_TOKEN>"; without a
# token only logged-in staff can read it.
METRICS_TOKEN = envsecret("METRICS_TOKEN")

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
# Login throttling (dashboard and admin): this many failed sign-ins for one account, or from one
# address, within the window lock further attempts until the window passes. Behind the reverse
# proxy (docs/deployment.md) set USE_X_FORWARDED_FOR so the address is the client's, not nginx's.
LOGIN_THROTTLE_WINDOW_SECONDS = envint("LOGIN_THROTTLE_WINDOW_SECONDS", 900)
LOGIN_FAILURES_PER_ACCOUNT = envint("LOGIN_FAILURES_PER_ACCOUNT", 5)
LOGIN_FAILURES_PER_ADDRESS = envint("LOGIN_FAILURES_PER_ADDRESS", 30)
USE_X_FORWARDED_FOR = envbool("USE_X_FORWARDED_FOR", False)

# Election calendar.
ELECTION_PERIOD_DAYS = envint("ELECTION_PERIOD_DAYS", 30)
# The dashboard's overview reloads itself this often (seconds).
DASHBOARD_OVERVIEW_REFRESH_SECONDS = envint("DASHBOARD_OVERVIEW_REFRESH_SECONDS", 60)
# A beat task recomputes the overview's numbers this often (seconds); the page shows a snapshot no
# older than DASHBOARD_OVERVIEW_MAX_AGE_SECONDS and computes one itself otherwise (0: every request).
DASHBOARD_OVERVIEW_SNAPSHOT_SECONDS = envint("DASHBOARD_OVERVIEW_SNAPSHOT_SECONDS", 15)
DASHBOARD_OVERVIEW_MAX_AGE_SECONDS = envint("DASHBOARD_OVERVIEW_MAX_AGE_SECONDS", 45)
# The /calendar/*.ics feeds hold public facts only; off: they need a logged-in staff user.
CALENDAR_FEEDS_PUBLIC = envbool("CALENDAR_FEEDS_PUBLIC", True)
# Window transitions (docs/transitions.md): beat interval, cases per task, and how far back a missed
# transition is still caught up (a batch whose worker vanished: WINDOW_TRANSITION_LEASE_SECONDS).
WINDOW_TRANSITION_BEAT_SECONDS = envint("WINDOW_TRANSITION_BEAT_SECONDS", 20)
WINDOW_TRANSITION_BATCH_SIZE = envint("WINDOW_TRANSITION_BATCH_SIZE", 200)
WINDOW_TRANSITION_CATCHUP_HOURS = envint("WINDOW_TRANSITION_CATCHUP_HOURS", 168)


# C2PA trust list: a PEM bundle of trust anchors; with none, valid signatures are "valid, untrusted".
C2PA_TRUST_ANCHORS_FILE = envstr("C2PA_TRUST_ANCHORS_FILE")
# A C2PA parse runs in a child process and is stopped (reported "unparseable") after this long.
C2PA_READ_TIMEOUT_SECONDS = envint("C2PA_READ_TIMEOUT_SECONDS", 20)
# The generator-metadata walk runs in a child process too (512 MB address space), stopped after this.
METADATA_READ_TIMEOUT_SECONDS = envint("METADATA_READ_TIMEOUT_SECONDS", 10)

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
SPECTACULAR_SETTINGS = {
    "TITLE": "Moratorium API",
    "VERSION": "0.1.0",
    "DESCRIPTION": "The partner fact-checkers' API (docs/api.md). Send Authorization: Bearer <token>.",
    # The UIs' JavaScript and CSS from drf-spectacular-sidecar's static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "triage.models.CaseStatus",
        "MediaTypeEnum": "triage.models.MediaType",
        "VerdictLabelEnum": "triage.evidence.models.VerdictLabel",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "integrations.partners.api.schema.add_error_responses",
    ],
}
# The partner API (docs/api.md): requests per token, and who signs the ClaimReview/MediaReview it serves.
PARTNER_API_RATE = envstr("PARTNER_API_RATE", "600/minute")
# Issue 14: partner tokens expire (days), media links for partners expire (minutes).
PARTNER_TOKEN_TTL_DAYS = envint("PARTNER_TOKEN_TTL_DAYS", 365)
PARTNER_MEDIA_URL_MINUTES = envint("PARTNER_MEDIA_URL_MINUTES", 10)
# The case list's limit/offset form (partners' scripts from before cursor pagination) is served,
# deprecated, until this instant (RFC 8594 Sunset header); after it `offset` answers 400.
PARTNER_API_OFFSET_SUNSET = envstr("PARTNER_API_OFFSET_SUNSET", "2027-06-30T23:59:59Z")
# The bank (purpose "debunked") a moderator adds media to when confirming a partner's rating.
DEBUNKED_BANK_NAME = envstr("DEBUNKED_BANK_NAME", "debunked")
FACTCHECK_AUTHOR_NAME = envstr("FACTCHECK_AUTHOR_NAME", "Moratorium")
FACTCHECK_AUTHOR_URL = envstr("FACTCHECK_AUTHOR_URL")

if not DEBUG:
    SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_CONTENT_TYPE_NOSNIFF = True

# Logs (config/logs.py): LOG_FORMAT=json for one JSON object per line with request and case ids.
LOG_FORMAT = envstr("LOG_FORMAT", "text")
LOGGING = logging_config(fmt=LOG_FORMAT, level=envstr("LOG_LEVEL", "INFO"))
# A worker keeps Celery's own log format unless JSON is asked for, when it logs like the web.
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"
if CELERY_TASK_ALWAYS_EAGER:
    # The first-look mode runs tasks and sweeps in-process every few seconds, and runserver logs
    # each request: keep the terminal for what matters (bin/demo).
    LOGGING["loggers"].update(
        {"celery.app.trace": {"level": "WARNING"}, "moratorium.requests": {"level": "WARNING"}}
    )

# Every periodic task, in one place: run exactly one `celery -A config beat` (or, without a broker,
# `manage.py run_periodic_tasks`). Each is a sweep that also repairs what a lost message missed.
# Task names are pinned in the tasks' decorators (tests/architecture/task_names.txt), so moving a
# module never strands a scheduled or queued message.
CELERY_BEAT_SCHEDULE: dict = {
    # The safety net behind enqueue-on-commit: a lost message or a broker that was down at ingest
    # costs at most a sweep interval plus SUBMISSION_SWEEP_AFTER_SECONDS.
    # Both also take back the claims of dead workers (config/leases.py), so they run as often as
    # the claim sweep.
    "triage-sweep-submissions": {
        "task": "triage.tasks.sweep_submissions",
        "schedule": float(CLAIM_SWEEP_SECONDS),
    },
    "checks-expire-stale": {
        "task": "triage.checks.tasks.checks_expire_stale_task",
        "schedule": float(CLAIM_SWEEP_SECONDS),
    },
    # Window openings and closings re-evaluate their cases within a minute (docs/transitions.md).
    "elections-window-transitions": {
        "task": "elections.tasks.window_transitions_run",
        "schedule": float(WINDOW_TRANSITION_BEAT_SECONDS),
    },
    # The outbox's engine: retries are due rows in the database, not day-long countdowns parked in
    # the broker. Every tick enqueues what is due and recovers lost claims.
    "callbacks-dispatch-due": {"task": "integrations.callbacks.tasks.dispatch_due", "schedule": 15.0},
    # Submissions that joined a decided case after its fan-out and whose catch-up was lost: a lost
    # catch-up costs at most a minute plus CALLBACK_CATCH_UP_GRACE_SECONDS.
    "callbacks-catch-up-missed": {
        "task": "integrations.callbacks.tasks.catch_up_missed_deliveries",
        "schedule": 60.0,
    },
    # The overview's numbers are computed off the request path (docs/dashboard.md).
    "dashboard-overview-snapshot": {
        "task": "moratorium.dashboard.overview_snapshot",
        "schedule": float(DASHBOARD_OVERVIEW_SNAPSHOT_SECONDS),
    },
    # Deadlines that bite (triage/moderation/deadlines.py): a review deadline passed with nobody
    # deciding goes to the leads.
    "moderation-deadlines-sweep": {
        "task": "moratorium.moderation.deadlines_sweep",
        "schedule": float(MODERATION_DEADLINE_SWEEP_SECONDS),
    },
    # Partner webhooks' outbox, as for platform callbacks: due rows sent, lost claims recovered.
    "partner-webhooks-dispatch-due": {"task": "moratorium.partner_webhooks.dispatch_due", "schedule": 15.0},
    # Restricting decisions whose statement of reasons was never stored.
    "transparency-sweep-statements": {
        "task": "integrations.transparency.tasks.sweep_statements",
        "schedule": 60.0,
    },
}
