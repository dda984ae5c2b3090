"""Settings shared by every environment, read from the environment (12-factor).

With nothing set the platform runs embedded: a SQLite file, Celery tasks executed eagerly in-process,
e-mail to the console. DATABASE_URL and REDIS_URL switch to PostgreSQL and a real Celery broker.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env.smart_cast = False


def verbatim(name: str, default: str = "") -> str:
    """A secret exactly as set. django-environ reads a value starting with `$` as the name of
    another variable, so a secret that happens to start with one (a random Django key does about
    1 time in 50) would silently become the default."""
    return os.environ.get(name, default)


DEBUG = env.bool("DEBUG", default=False)
# Only for local embedded use; production.py refuses to start with it or without SECRET_KEY.
DEVELOPMENT_SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"  # noqa: S105  # nosec B105
SECRET_KEY = verbatim("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
THIRD_PARTY_APPS = [
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "django_htmx",
]
LOCAL_APPS = [
    "agri_platform.api",
    "agri_platform.accounts",
    "agri_platform.portal",
    "agri_platform.reference",
    "agri_platform.events",
    # Before the apps that feed it: `seed_demo` loads its FX rates before their shipments.
    "analytics",
    "enterprises",
    "certification",
    "logistics",
    "finance",
    "legal",
    "trade",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware plus ?lang=, the saved language and the time zone
    # (agri_platform/accounts/language.py).
    "agri_platform.accounts.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "agri_platform.api.middleware.ApiNotFoundMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: turns a locked-out admin login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "agri_platform.urls"
WSGI_APPLICATION = "agri_platform.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "agri_platform" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "agri_platform.portal.context.portal",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
USING_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with deferred writes (the outbox writes a transaction's events together)
    DATABASES["default"]["ENGINE"] = "agri_platform.db.postgresql"
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default under concurrent users: WAL lets readers run beside the one writer,
    # IMMEDIATE takes the write lock when a transaction begins (so two writers queue instead of
    # one failing to upgrade its read lock), and the busy timeout is how long a writer queues.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.float("SQLITE_BUSY_TIMEOUT_SECONDS", default=20.0),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The portal's sign-in page (docs/portal.md); the admin keeps its own at /admin/login/.
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
# The lockout backend first (django-axes), then Django's own (docs/configuration.md, "Sign-in").
AUTHENTICATION_BACKENDS = [
    "agri_platform.accounts.backends.AdminLoginLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password reset and e-mail confirmation links (agri_platform/accounts/tokens.py) expire after
# these many seconds; each works once.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60)
EMAIL_CONFIRMATION_TIMEOUT = env.int("EMAIL_CONFIRMATION_TIMEOUT", default=3 * 24 * 60 * 60)
# At most one reset or confirmation e-mail of a kind per account within this many seconds.
ACCOUNT_EMAIL_INTERVAL_SECONDS = env.int("ACCOUNT_EMAIL_INTERVAL_SECONDS", default=60)

# --- Client address and the admin login lockout (docs/configuration.md) ------------------------
# Trusted proxies in front of the app. X-Forwarded-For is read only behind them, that many hops
# from the right (agri_platform/api/addresses.py); 0 ignores the header.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)
# /admin/login/ and /portal/login/ lock an account, and separately an address, after
# AXES_FAILURE_LIMIT wrong passwords, for AXES_COOLOFF_MINUTES. Staff unlock in the admin ("Access attempts") or with
# `manage.py axes_reset_username <e-mail>` / `axes_reset_ip <address>`.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: per account, per address
# Which pages count is AXES_WHITELIST_CALLABLE's (the admin and the portal's sign-in page).
AXES_ONLY_ADMIN_SITE = False
AXES_WHITELIST_CALLABLE = "agri_platform.accounts.backends.outside_admin"
AXES_USERNAME_FORM_FIELD = "username"  # the admin form's field name (the value is an e-mail)
AXES_USERNAME_CALLABLE = "agri_platform.accounts.backends.admin_username"
AXES_CLIENT_IP_CALLABLE = "agri_platform.api.addresses.client_address"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- Content-Security-Policy on every response (django-csp) -------------------------------------
# No inline or third-party script anywhere: Swagger UI loads its start-up script from its own URL
# (SpectacularSwaggerSplitView); ReDoc runs a worker from a blob: URL and both inject styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The platform's language when neither the request nor the user names one (docs/localisation.md).
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Stored and exchanged in UTC; pages and e-mails show times in the reader's zone, named.
TIME_ZONE = "UTC"
# The zone pages, the admin and e-mails show times in for a reader who saved none and does not read
# Chinese (Chinese readers get Asia/Shanghai). The API always answers in UTC.
DISPLAY_TIME_ZONE = env.str("DISPLAY_TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {
        "BACKEND": env.str(
            "DEFAULT_FILE_STORAGE", default="django.core.files.storage.FileSystemStorage"
        )
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploads larger than this are refused with 413 before they reach a view.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=25 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Cache and Celery: Redis when REDIS_URL is set, otherwise in-process -------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # RedisCache that degrades to misses while Redis is down (agri_platform/api/cache.py).
            "BACKEND": "agri_platform.api.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="agri"),
            # A Redis that does not answer must fail a request quickly, not hang a worker.
            "OPTIONS": {
                "socket_connect_timeout": env.float("REDIS_TIMEOUT_SECONDS", default=2.0),
                "socket_timeout": env.float("REDIS_TIMEOUT_SECONDS", default=2.0),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Fail fast when the broker is down: the outbox sweep re-queues what could not be sent.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TIMEZONE = "UTC"
# Queues by task-name prefix, so workers can scale per kind of work (docs/scaling.md).
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {
    "events.*": {"queue": "events"},
    "webhooks.*": {"queue": "webhooks"},
    "telemetry.*": {"queue": "telemetry"},
    "reports.*": {"queue": "reports"},
}
CELERY_QUEUES_ALL = "celery,events,webhooks,telemetry,reports"
# Periodic tasks: each app adds its entries here, named "<app>.<what>".
CELERY_BEAT_SCHEDULE: dict = {
    "finance.expire_offers": {"task": "finance.expire_offers", "schedule": timedelta(minutes=5)},
    "legal.deadline_reminders": {
        "task": "legal.deadline_reminders",
        "schedule": timedelta(hours=1),
    },
    # Certificates: mark expired, send 90/30/7-day reminders (daily 01:00 UTC = 09:00 Beijing).
    "certification.expiry": {
        "task": "certification.run_expiry",
        "schedule": crontab(hour=1, minute=0),
    },
    # Analytics facts: rewrite every fact nightly (a refresh lost to a broker outage; in_force).
    "certification.facts_reconcile": {
        "task": "reports.certification_facts_reconcile",
        "schedule": crontab(hour=1, minute=30),
    },
    "logistics.facts_reconcile": {
        "task": "reports.shipment_facts_reconcile",
        "schedule": crontab(hour=2, minute=0),
    },
    # Dashboard answers refilled before their 10-minute cache lifetime ends, changes or not.
    "analytics.warm": {"task": "reports.analytics_warm", "schedule": timedelta(minutes=8)},
}

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = verbatim("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Sichuan Agri-Trade <noreply@agri-trade.example>"
)

# --- REST framework ---------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "agri_platform.api.authentication.BearerTokenAuthentication",
        "agri_platform.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "agri_platform.api.permissions.HasRequiredScope",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # JSON bodies (docs/api-conventions.md); upload views name MultiPartParser themselves.
    "DEFAULT_PARSER_CLASSES": ["agri_platform.api.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": [
        "agri_platform.api.filtering.StrictFilterBackend",
        "rest_framework.filters.SearchFilter",
        "agri_platform.api.filtering.StrictOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "agri_platform.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "agri_platform.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "agri_platform.api.exceptions.problem_details_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "agri_platform.api.throttling.CallerRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "caller": env.str("THROTTLE_RATE_CALLER", default="6000/min"),
        "anon": env.str("THROTTLE_RATE_ANON", default="600/min"),
        "login": env.str("THROTTLE_RATE_LOGIN", default="20/min"),
        "public_lookup": env.str("THROTTLE_RATE_PUBLIC_LOOKUP", default="60/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Kept equal to NUM_PROXIES; the throttles ask agri_platform/api/addresses.py either way.
    "NUM_PROXIES": NUM_PROXIES,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Sichuan Agri-Trade Service Platform API",
    "DESCRIPTION": (
        "One-stop trade facilitation for Sichuan's agricultural exporters and their partners: "
        "enterprises, certification, cold-chain logistics, trade finance and legal services. "
        "Errors are RFC 9457 problem details; partner writes honour `Idempotency-Key`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Descriptions are written for partners (extend_schema, extend_schema_serializer), never taken
    # from docstrings written for the code's readers.
    "DISABLE_DOCSTRING_DESCRIPTIONS": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "PartnerKindEnum": "agri_platform.accounts.choices.PartnerKind",
        "FinancingKindEnum": "finance.choices.FinancingKind",
        "FinancingRequestStatusEnum": "finance.choices.RequestStatus",
        "FinancingOfferStatusEnum": "finance.choices.OfferStatus",
        "FinancingEvidenceKindEnum": "finance.choices.EvidenceKind",
        "LegalKindEnum": "legal.choices.LegalKind",
        "LegalStatusEnum": "legal.choices.LegalStatus",
        "MadridDesignationStatusEnum": "legal.choices.DesignationStatus",
        "EventPatternEnum": "agri_platform.events.catalogue.SUBSCRIPTION_PATTERNS",
        "EnterpriseDocumentKindEnum": "enterprises.choices.EnterpriseDocumentKind",
    },
    # Swagger UI and ReDoc assets served locally: the docs work offline and behind firewalls.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "ApiKeyAuth": {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": "Partner systems: `Authorization: Api-Key <key>`",
            },
        }
    },
}

# Certification's enum names in the OpenAPI schema (several of its models have `status`/`kind`).
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "ApplicationStatusEnum": "certification.choices.ApplicationStatus",
        "ApplicationActionEnum": "certification.choices.ApplicationAction",
        "ApplicationDocumentKindEnum": "certification.choices.ApplicationDocumentKind",
        "CertificateStatusEnum": "certification.choices.CertificateStatus",
        "RequirementCheckStatusEnum": "certification.choices.RequirementCheckStatus",
        "RequirementKindEnum": "certification.choices.RequirementKind",
        "DestinationGroupEnum": "certification.choices.DestinationGroup",
        "SchemeLevelEnum": "certification.choices.SchemeLevel",
        "DocumentTypeEnum": "certification.choices.DocumentType",
        "ExportCategoryEnum": "agri_platform.reference.choices.ExportCategory",
        "ProductionBaseKindEnum": "enterprises.choices.BaseKind",
        "VerificationStatusEnum": "enterprises.choices.VerificationStatus",
    }
)
# Choices shared by products (catalogue fields) and trade (inquiries, quotes).
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "IncotermEnum": "agri_platform.reference.choices.Incoterm",
        "QuantityUnitEnum": "agri_platform.reference.choices.QuantityUnit",
    }
)

# Promotion events' enum names (several trade models have `status`/`kind`).
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "PromotionStatusEnum": "trade.choices.PromotionStatus",
        "PromotionKindEnum": "trade.choices.PromotionKind",
        "PromotionParticipantStatusEnum": "trade.choices.ParticipantStatus",
    }
)

# --- Platform settings ------------------------------------------------------------------------
AUTH_TOKEN_TTL = timedelta(days=env.int("AUTH_TOKEN_TTL_DAYS", default=30))
IDEMPOTENCY_KEY_TTL = timedelta(hours=env.int("IDEMPOTENCY_KEY_TTL_HOURS", default=24))
# Outbound webhooks refuse private and loopback addresses unless this is set (tests, local demos).
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", default=False)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=5.0)
# --- Events, notifications and webhooks (docs/events.md, docs/webhooks.md) ---------------------
# An event still undispatched this long after it was recorded is re-queued by the sweep.
EVENTS_SWEEP_AFTER = timedelta(seconds=env.float("EVENTS_SWEEP_AFTER_SECONDS", default=60))
# Events of one kind for one user within this window after an e-mail went out become one digest.
EVENTS_EMAIL_DIGEST_WINDOW = timedelta(
    seconds=env.float("EVENTS_EMAIL_DIGEST_WINDOW_SECONDS", default=600)
)
EVENTS_EMAIL_MAX_ATTEMPTS = env.int("EVENTS_EMAIL_MAX_ATTEMPTS", default=5)
# Events one dispatcher run claims and fans out in one transaction (1: one event at a time).
EVENTS_DISPATCH_BATCH = env.int("EVENTS_DISPATCH_BATCH", default=100)
# Record events with a prepared statement (PostgreSQL). Behind PgBouncer in transaction mode this
# needs PgBouncer 1.21+ with max_prepared_statements set; turn it off for an older one.
EVENTS_PREPARED_INSERT = env.bool("EVENTS_PREPARED_INSERT", default=True)
# Inside a transaction, write its events together before its next statement or its commit
# (PostgreSQL): one round trip for many events instead of one each.
EVENTS_DEFERRED_INSERT = env.bool("EVENTS_DEFERRED_INSERT", default=True)
# A claimed webhook delivery is retried after this lease if its worker died mid-request.
WEBHOOK_LEASE_SECONDS = env.float("WEBHOOK_LEASE_SECONDS", default=WEBHOOK_TIMEOUT_SECONDS + 60)
# Backoff: base * 4**(n-1), capped at 12 h, with ±25 % jitter; 13 attempts span about three days.
WEBHOOK_RETRY_BASE_SECONDS = env.float("WEBHOOK_RETRY_BASE_SECONDS", default=10.0)
WEBHOOK_RETRY_MAX_DELAY_SECONDS = env.float("WEBHOOK_RETRY_MAX_DELAY_SECONDS", default=12 * 3600)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=13)
# An endpoint failing this many attempts in a row is disabled and its partner's users notified.
WEBHOOK_DISABLE_AFTER_FAILURES = env.int("WEBHOOK_DISABLE_AFTER_FAILURES", default=30)
# After rotate-secret the old secret keeps signing (a second v1 signature) this long.
WEBHOOK_SECRET_GRACE = timedelta(hours=env.float("WEBHOOK_SECRET_GRACE_HOURS", default=24))
WEBHOOK_RESPONSE_MAX_CHARS = 2000
CELERY_BEAT_SCHEDULE.update(
    {
        # Outbox sweep: events committed while the broker was down are dispatched late, not lost.
        "events.sweep_outbox": {"task": "events.sweep_outbox", "schedule": 30.0},
        # E-mails whose time has come (digests collected over the window, retries after errors).
        "events.send_due_emails": {"task": "events.send_due_emails", "schedule": 60.0},
        # Webhook retries: the schedule lives in WebhookDelivery.next_attempt_at, not the broker.
        "webhooks.retry_due": {"task": "webhooks.retry_due", "schedule": 15.0},
    }
)
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
# The font certificate PDFs are printed in (certification/pdf.py): empty = the system's Noto Sans
# CJK SC / Source Han Sans SC when installed, else the GB 2312 subset vendored with the app.
CERTIFICATE_PDF_FONT = env.str("CERTIFICATE_PDF_FONT", default="")
# /health/ gives up on the broker after this many seconds (agri_platform/health.py).
HEALTH_CHECK_TIMEOUT = env.float("HEALTH_CHECK_TIMEOUT", default=2.0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- API foundation (agri_platform/api, agri_platform/accounts) ----------------------------------
# A request that claimed an Idempotency-Key and never finished (crashed process) frees it after this.
IDEMPOTENCY_IN_FLIGHT_TIMEOUT = timedelta(
    seconds=env.int("IDEMPOTENCY_IN_FLIGHT_TIMEOUT_SECONDS", default=300)
)
# Partner API keys created without an explicit expiry expire after this many days.
API_KEY_DEFAULT_TTL = timedelta(days=env.int("API_KEY_DEFAULT_TTL_DAYS", default=365))
CELERY_BEAT_SCHEDULE["api.purge_idempotency_keys"] = {
    "task": "api.purge_idempotency_keys",
    "schedule": timedelta(hours=1),
}
# Every error documented as problem details; the Idempotency-Key header on every write.
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    # Before the problem responses: an operation that takes `?lang=` can answer 400 for a bad query.
    "agri_platform.accounts.language.add_language_parameter",
    "agri_platform.api.schema.add_problem_responses",
]

# --- Overseas buyers (trade) ---------------------------------------------------------------------
# A buyer that staff have not verified yet may have at most this many open inquiries (sent, quoted).
TRADE_PENDING_BUYER_OPEN_INQUIRIES = env.int("TRADE_PENDING_BUYER_OPEN_INQUIRIES", default=3)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "BuyerKindEnum": "trade.choices.BuyerKind",
        "BuyerStatusEnum": "trade.choices.BuyerStatus",
    }
)

# --- Overseas buyers: inquiries (trade/services/inquiries.py) ------------------------------------
# How many inquiries one buyer may send in a period: "<n>/<second|minute|hour|day>". Beyond it
# the buyer gets a 429 with Retry-After (counted in the database, so pages and API share it).
TRADE_INQUIRY_RATE = env.str("TRADE_INQUIRY_RATE", default="20/day")
# Open quotes past their validity date become expired (daily 00:10 UTC = 08:10 Beijing).
CELERY_BEAT_SCHEDULE["trade.expire_quotes"] = {
    "task": "trade.expire_quotes",
    "schedule": crontab(hour=0, minute=10),
}

# --- Telemetry partitions (logistics/partitions.py; docs/scaling.md, "Partitions") --------------
# PostgreSQL keeps one partition of sensor readings a month; the beat task creates this month's
# and this many months ahead (a month without its partition goes to the DEFAULT partition, which
# the same task splits).
TELEMETRY_PARTITIONS_AHEAD = env.int("TELEMETRY_PARTITIONS_AHEAD", default=3)
# Months of raw readings kept (empty: forever). Older months are detached (kept as a plain table
# for an archive and a manual DROP) or dropped; the 15-minute rollups and summaries stay.
TELEMETRY_RETENTION_MONTHS = env.int("TELEMETRY_RETENTION_MONTHS", default=None)
TELEMETRY_RETENTION_ACTION = env.str("TELEMETRY_RETENTION_ACTION", default="detach")
if TELEMETRY_RETENTION_ACTION not in ("detach", "drop"):
    raise ValueError("TELEMETRY_RETENTION_ACTION must be 'detach' or 'drop'")
CELERY_BEAT_SCHEDULE["telemetry.partitions"] = {
    "task": "telemetry.partitions",
    "schedule": crontab(hour=3, minute=15),
}
