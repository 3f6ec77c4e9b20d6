"""Django settings for Krai; every value that differs between installations comes from ``krai.config``."""

from __future__ import annotations

import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from krai import config
from krai.config import BASE_DIR, env, env_bool, env_int, env_list

VAR_DIR = config.var_dir()
TESTING = "pytest" in sys.modules or env_bool("TESTING", False)

SECRET_KEY = config.secret_key()
DEBUG = env_bool("DEBUG", not config.is_production())
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
config.check_production(debug=DEBUG, allowed_hosts=ALLOWED_HOSTS, secret=SECRET_KEY)

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served by the installation itself, never from a CDN
    "csp",
    "django_htmx",
    "huey.contrib.djhuey",
    "rules.apps.AutodiscoverRulesConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "mozilla_django_oidc",
    # the shared kernel
    "krai.core",
    "krai.core.events",
    "krai.core.audit",
    "krai.core.notifications",
    "krai.core.files",
    "krai.core.comments",
    "krai.core.workcalendar",
    "krai.core.search",
    "krai.core.imports",  # the import kernel: one reader, mapping preview and row errors for every area
    "krai.core.idempotency",  # Idempotency-Key on writes: a request sent again (an app offline) is done once
    # the areas
    "krai.org",
    "krai.org.addresses",  # the address registry and geocoder (its own tables beside org's)
    "krai.accounts",
    "krai.orders",
    "krai.problems",
    "krai.participation",
    "krai.opendata",
    "krai.monitoring",  # the overview and findings → orders; each monitor is an app of its own:
    "krai.monitoring.rankings",
    "krai.monitoring.indicators",
    "krai.monitoring.staffing",
    "krai.monitoring.lawsuits",
    "krai.monitoring.media",  # mass media: feeds polled, stories, topics on lemmas, spikes (docs/monitoring.md)
    "krai.projects",  # priority projects and programmes: work breakdown, dependencies, Gantt, baselines
    "krai.social",  # the experts' social network: profiles, the expert registry, publications, galleries, messages
    "krai.lawmaking",  # drafts of acts from concept through discussion, elaboration, expertise to the reaction
    "krai.construction",  # the registry of constructions, verification requests, illegal constructions, works
    "krai.integration",  # registered external systems, their tokens and rate limits, the exchange log:
    "krai.integration.webhooks",  # signed webhooks on domain events, retries, dead letters, replay
    "krai.integration.docflow",  # MEDO packages and CSV/XLSX exchange with document-flow systems
    "krai.integration.consolidation",  # installations pushing their orders to the Department of Control's
    "krai.administration",  # access management, temporary deputies, employee efficiency
    "krai.planner",  # the personal planner, its iCalendar feed and reminders, voice orders
    "krai.reports",  # periodic reports: templates over the areas' data, editions as PDF and XLSX
    "krai.portal",
    "krai.workspace",
]

MIDDLEWARE = [
    "krai.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "krai.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "krai.accounts.second_factor.SecondFactorMiddleware",  # staff roles: no session without a second factor
    "krai.accounts.acting.ActingMiddleware",  # a deputy acting for a principal: the request is the principal's, marked
    "krai.core.idempotency.middleware.IdempotencyMiddleware",  # a write sent again with its Idempotency-Key: done once
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "krai.core.metrics.MetricsMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",  # a limited page answers with RATELIMIT_VIEW (429)
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "krai.urls"
WSGI_APPLICATION = "krai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "krai" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "krai.core.context_processors.krai",
            ],
        },
    }
]

# --- database -------------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'krai.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # persistent like PostgreSQL's: opening a SQLite connection (and its PRAGMAs) per request cost more than a
    # page of open data (issue 12); WAL lets every thread keep its connection without holding a lock between requests
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")} if env("TEST_SQLITE_FILE") else {}
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # no just-in-time compilation: it pays off only for long analytic scans, and it cost seconds of compiling on
    # the dashboard's few-millisecond queries at a million assignments (docs/performance.md); KRAI_PG_JIT=on undoes it
    if env("PG_JIT", "off") != "on":
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# covering indexes (INCLUDE) are a PostgreSQL speed-up; SQLite simply builds the plain index
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- cache, sessions, jobs ------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "krai"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

HUEY = {
    "name": "krai",
    "immediate": TESTING,
    "results": False,
    "utc": True,
    "consumer": {"workers": env_int("WORKERS", 2), "worker_type": "thread", "periodic": True},
}
if REDIS_URL:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": REDIS_URL})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")})

# --- auth ---------------------------------------------------------------------------------------
AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "krai.accounts.oidc.KraiOIDCBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_USERNAME_FORM_FIELD = "username"  # what every login form posts (USERNAME_FIELD is "email")
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# --- accounts: lock-out login and the staff second factor (docs/accounts.md) ----------------------------
# failures count against the e-mail as the look-up sees it (any letter case), not as typed
AXES_USERNAME_CALLABLE = "krai.accounts.lockout.lockout_username"
# roles that must log in with a second factor ("administrator" includes superusers); "none" asks nobody
KRAI_TWO_FACTOR_ROLES = [role for role in env_list(
    "TWO_FACTOR_ROLES", ["administrator", "governor", "vice_governor", "controller"]) if role != "none"]

RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATELIMIT_VIEW = "krai.core.views.ratelimited"

# OpenID Connect: the provider itself is configured by an administrator in the database
# (accounts.OidcProvider); these are only the library's required names.
OIDC_RP_CLIENT_ID = ""
OIDC_RP_CLIENT_SECRET = ""
OIDC_OP_AUTHORIZATION_ENDPOINT = ""
OIDC_OP_TOKEN_ENDPOINT = ""
OIDC_OP_USER_ENDPOINT = ""
OIDC_RP_SIGN_ALGO = "RS256"

OTP_TOTP_ISSUER = env("OTP_ISSUER", "Krai")

# --- i18n ---------------------------------------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "krai" / "locale"]
TIME_ZONE = env("TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

# --- static and media ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise looks there even before the first collectstatic
STATICFILES_DIRS = [BASE_DIR / "krai" / "static"]  # the layout's own files and the vendored assets
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if TESTING or DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
KRAI_UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
# finished imports keep their file this many days (then only its checksum and the record), docs/imports.md
KRAI_IMPORT_KEEP_DAYS = env_int("IMPORT_KEEP_DAYS", 365)

# --- e-mail -------------------------------------------------------------------------------------
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.locmem.EmailBackend" if TESTING
    else "django.core.mail.backends.smtp.EmailBackend" if env("EMAIL_HOST")
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Krai <noreply@krai.local>")
KRAI_SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

# --- security headers ---------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script reads it: htmx takes the token from the page (base.html hx-headers)
SESSION_COOKIE_SECURE = config.is_production()
CSRF_COOKIE_SECURE = config.is_production()
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp): scripts only from the installation itself, never inline; map tiles from
# the configured tile server. Styles allow inline attributes: Leaflet, ECharts and Swagger UI position elements
# with them, and a style cannot run code.
KRAI_MAP_TILE_URL = config.map_tile_url()
KRAI_MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],  # + the tile server's origin (krai.core.middleware)
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
if config.is_production():
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
    # plain HTTP is redirected to HTTPS (the balancer says which was used in X-Forwarded-Proto); the probes
    # of the balancer and of Prometheus speak plain HTTP inside the network
    SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
    # submitting a domain to the browsers' HSTS preload list is the region's own decision (KRAI_HSTS_PRELOAD)
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# --- API ----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "krai.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticatedOrReadOnly",
        "krai.accounts.permissions.TokenScopes",  # a view's required_scopes narrow what a token may do
    ],
    "DEFAULT_PARSER_CLASSES": ["krai.core.jsonsafe.JSONParser", "rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],  # JSON nested too deep is a 400
    "DEFAULT_PAGINATION_CLASS": "krai.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "krai.core.api.exception_handler",
    "DEFAULT_METADATA_CLASS": "krai.core.api_metadata.Metadata",
    "DEFAULT_THROTTLE_RATES": {"anon": "120/min", "user": "600/min", "public_write": "20/min"},
    # a registered external system's requests count against the rate limit set for it (krai/integration)
    "DEFAULT_THROTTLE_CLASSES": ["krai.integration.throttling.SystemRateThrottle"],
    "DEFAULT_FILTER_BACKENDS": [],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Krai API",
    "DESCRIPTION": "REST API of Krai, the open platform of a regional government.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # the installation serves Swagger UI itself (drf-spectacular-sidecar): closed networks have no CDN. (ReDoc is
    # left out: drf-spectacular's page for it loads its fonts from Google.)
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "MunicipalityKindEnum": "krai.org.models.Municipality.Kind",
        "PlannerEntryKindEnum": "krai.planner.models.Entry.Kind",
        "OrganisationKindEnum": "krai.org.models.Organisation.Kind",
        "PollStatusEnum": "krai.participation.models.Poll.Status",
        "QuestionKindEnum": "krai.participation.models.Question.Kind",
        "SuggestionKindEnum": "krai.participation.models.Suggestion.Kind",
        "SocialAudienceEnum": "krai.social.models.content.AUDIENCES",
        "PollAudienceEnum": "krai.participation.models.Poll.Audience",
        "SocialVisibilityEnum": "krai.social.models.profiles.Visibility",
        "ProfileKindEnum": "krai.social.models.profiles.Profile.Kind",
        "ExpertStatusEnum": "krai.social.models.profiles.Profile.ExpertStatus",
        "CredentialKindEnum": "krai.social.models.profiles.Credential.Kind",
        "CredentialStatusEnum": "krai.social.models.profiles.Credential.Status",
        "ConversationKindEnum": "krai.social.models.conversations.Conversation.Kind",
        "ReportStatusEnum": "krai.social.models.moderation.AbuseReport.Status",
        "ReportReasonEnum": "krai.social.models.moderation.AbuseReport.Reason",
        "ReportTargetKindEnum": "krai.social.selectors.moderation.KIND_NAMES",
        "LawmakingStageEnum": "krai.lawmaking.models.initiatives.Stage",
        "LawmakingLevelEnum": "krai.lawmaking.models.initiatives.Level",
        "LawsuitStageEnum": "krai.monitoring.lawsuits.models.Stage",
        "MediaSourceKindEnum": "krai.monitoring.media.models.Source.Kind",
        "MediaTopicKindEnum": "krai.monitoring.media.models.Topic.Kind",
        "MediaLevelEnum": "krai.monitoring.media.models.Level",
        "LawmakingReactionDecisionEnum": "krai.lawmaking.models.Reaction.Decision",
        "LawmakingProvisionKindEnum": "krai.lawmaking.models.drafts.Provision.Kind",
        "LawmakingAmendmentStatusEnum": "krai.lawmaking.models.drafts.Amendment.Status",
        "ConstructionObjectKindEnum": "krai.construction.models.registry.ObjectKind",
        "ConstructionObjectStageEnum": "krai.construction.models.registry.ObjectStage",
        "ConstructionRequestReasonEnum": "krai.construction.models.verification.RequestReason",
        "ConstructionRequestStatusEnum": "krai.construction.models.verification.RequestStatus",
        "ConstructionDecisionEnum": "krai.construction.models.verification.Decision",
        "ConstructionIllegalStatusEnum": "krai.construction.models.illegal.IllegalStatus",
        "ConstructionIllegalSourceEnum": "krai.construction.models.illegal.Source",
        "ConstructionLocationEnum": "krai.construction.models.illegal.Location",
        "ConstructionMeasureKindEnum": "krai.construction.models.illegal.MeasureKind",
        "ConstructionWorkKindEnum": "krai.construction.models.works.WorkKind",
        "ConstructionWorkStatusEnum": "krai.construction.models.works.WorkStatus",
        "ConstructionFileKindEnum": [("document", "document"), ("photo", "photo")],
        "FollowKindEnum": [("person", "person"), ("topic", "topic")],
    },
}

# --- logging ------------------------------------------------------------------------------------
LOG_FORMAT = env("LOG_FORMAT", "json" if config.is_production() else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "krai.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING" if TESTING else "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # a handler of its own: run_huey then adds none, so each line is logged once, in our format
        "huey": {"handlers": ["console"], "level": "WARNING" if TESTING else "INFO", "propagate": False},
    },
}

KRAI_DEMO_PASSWORD = env("DEMO_PASSWORD", "krai-demo-2026")

# --- citizens' problems -------------------------------------------------------------------------
KRAI_PROBLEMS_MAX_PHOTOS = env_int("PROBLEMS_MAX_PHOTOS", 5)
KRAI_PROBLEMS_MAX_PHOTO_BYTES = env_int("PROBLEMS_MAX_PHOTO_BYTES", 10 * 1024 * 1024)
KRAI_PROBLEMS_PER_HOUR = env_int("PROBLEMS_PER_HOUR", 5)
KRAI_OPEN311_PER_MINUTE = env_int("OPEN311_PER_MINUTE", 60)

# --- participation (docs/participation.md, "Settings") -------------------------------------------
KRAI_RANK_PERIOD = env("RANK_PERIOD", "quarter")
KRAI_RANK_REGIONAL_WEIGHTING = env("RANK_REGIONAL_WEIGHTING", "population")
KRAI_PRIORITY_VOTES_PER_PERIOD = env_int("PRIORITY_VOTES_PER_PERIOD", 5)
KRAI_RATING_PRIOR_WEIGHT = env_int("RATING_PRIOR_WEIGHT", 10)

# --- monitoring: staffing, lawsuits and rankings (docs/monitoring.md) -------------------------------------------
KRAI_STAFF_CRITICAL_VACANCY_DAYS = env_int("STAFF_CRITICAL_VACANCY_DAYS", 60)
KRAI_STAFF_UNIT_THRESHOLD = float(env("STAFF_UNIT_THRESHOLD", "0.8"))
KRAI_LAWSUIT_IDLE_DAYS = env_int("LAWSUIT_IDLE_DAYS", 30)
KRAI_LAWSUIT_REMINDER_DAYS = env_int("LAWSUIT_REMINDER_DAYS", 7)
KRAI_HOME_REGION_CODE = env("HOME_REGION_CODE", "23")  # the federal subject of this installation (rankings)
# mass media (krai.monitoring.media; PRESS_ so as not to be read as uploaded media): a poll's HTTP limits, page
# fetching, back-off, stories, spikes
KRAI_PRESS_TIMEOUT = float(env("PRESS_TIMEOUT", "10"))  # seconds to connect and between reads
KRAI_PRESS_TOTAL_TIMEOUT = float(env("PRESS_TOTAL_TIMEOUT", "30"))  # seconds for a whole answer
KRAI_PRESS_MAX_BYTES = env_int("PRESS_MAX_BYTES", 5 * 1024 * 1024)  # a larger feed or page is refused
KRAI_PRESS_FETCH_PAGES = env_bool("PRESS_FETCH_PAGES", True)  # read an article's page when its feed has a summary
KRAI_PRESS_MAX_BACKOFF_MINUTES = env_int("PRESS_MAX_BACKOFF_MINUTES", 24 * 60)
KRAI_PRESS_STORY_WINDOW_DAYS = env_int("PRESS_STORY_WINDOW_DAYS", 3)  # articles a new one is compared with
KRAI_PRESS_REMATCH_DAYS = env_int("PRESS_REMATCH_DAYS", 30)  # a new or changed topic is matched this far back
KRAI_PRESS_SPIKE_MIN_MENTIONS = env_int("PRESS_SPIKE_MIN_MENTIONS", 5)

# Periodic reports (docs/reports.md): attempts per edition, the first retry's wait (doubled each time), and how long a
# running edition may take before it is taken for a dead worker's
KRAI_REPORTS_ATTEMPTS = env_int("REPORTS_ATTEMPTS", 3)
KRAI_REPORTS_RETRY_SECONDS = env_int("REPORTS_RETRY_SECONDS", 300)
KRAI_REPORTS_STALE_MINUTES = env_int("REPORTS_STALE_MINUTES", 30)

# The community (krai.social): messages a person may send a day to people who never answered him (spam cap)
KRAI_SOCIAL_STRANGER_MESSAGES_PER_DAY = env_int("SOCIAL_STRANGER_MESSAGES_PER_DAY", 20)
KRAI_SOCIAL_MESSAGE_RATE = env("SOCIAL_MESSAGE_RATE", "60/600")  # messages per seconds, per sender
KRAI_SOCIAL_PUBLICATION_RATE = env("SOCIAL_PUBLICATION_RATE", "20/h")  # publications a person may make per hour
KRAI_SOCIAL_PHOTOS_PER_DAY = env_int("SOCIAL_PHOTOS_PER_DAY", 300)
KRAI_SOCIAL_PHOTOS_PER_ALBUM = env_int("SOCIAL_PHOTOS_PER_ALBUM", 500)
KRAI_SOCIAL_PHOTO_MAX_BYTES = env_int("SOCIAL_PHOTO_MAX_BYTES", 15 * 1024 * 1024)

# Law-making (krai.lawmaking, docs/lawmaking.md): the discussion's length and the support that moves an initiative on,
# the experts' and the responsible body's working days
KRAI_LAWMAKING_SUPPORT_THRESHOLD = env_int("LAWMAKING_SUPPORT_THRESHOLD", 100)
KRAI_LAWMAKING_DISCUSSION_DAYS = env_int("LAWMAKING_DISCUSSION_DAYS", 30)
KRAI_LAWMAKING_EXPERTISE_WORKING_DAYS = env_int("LAWMAKING_EXPERTISE_WORKING_DAYS", 15)
KRAI_LAWMAKING_REACTION_WORKING_DAYS = env_int("LAWMAKING_REACTION_WORKING_DAYS", 20)
KRAI_LAWMAKING_PROPOSAL_RATE = env("LAWMAKING_PROPOSAL_RATE", "5/d")  # concepts a person may propose
KRAI_LAWMAKING_PUBLIC_WRITE_RATE = env("LAWMAKING_PUBLIC_WRITE_RATE", "60/h")  # supports, questions, answers
KRAI_LAWMAKING_ANNOTATION_RATE = env("LAWMAKING_ANNOTATION_RATE", "30/h")  # comments on the draft's provisions
KRAI_LAWMAKING_AMENDMENT_RATE = env("LAWMAKING_AMENDMENT_RATE", "20/h")

# Construction (krai.construction, docs/construction.md): who verifies sites and in how long, what "nearby" means
# when a resident points at a site, and how often one may file a request or rate a work.
KRAI_CONSTRUCTION_INSPECTION_BODY = env("CONSTRUCTION_INSPECTION_BODY", "construction-supervision")  # its code
KRAI_CONSTRUCTION_VERIFICATION_WORKING_DAYS = env_int("CONSTRUCTION_VERIFICATION_WORKING_DAYS", 20)
KRAI_CONSTRUCTION_NEARBY_METRES = env_int("CONSTRUCTION_NEARBY_METRES", 300)
KRAI_CONSTRUCTION_REQUEST_RATE = env("CONSTRUCTION_REQUEST_RATE", "5/d")  # verification requests a person may file
KRAI_CONSTRUCTION_PUBLIC_WRITE_RATE = env("CONSTRUCTION_PUBLIC_WRITE_RATE", "60/h")  # subscriptions, ratings

# Integration (krai.integration, docs/integration.md): how long the exchange log keeps payloads, webhooks' retries,
# the document-flow folders, and the consolidation between installations (this one's code, where it pushes to,
# and the secrets it shares with its peers — from the environment only).
KRAI_INTEGRATION_PAYLOAD_DAYS = env_int("INTEGRATION_PAYLOAD_DAYS", 90)
KRAI_INTEGRATION_SYSTEM_RATE = env("INTEGRATION_SYSTEM_RATE", "600/min")  # a system's default rate limit
KRAI_WEBHOOKS_MAX_ATTEMPTS = env_int("WEBHOOKS_MAX_ATTEMPTS", 8)
KRAI_WEBHOOKS_TIMEOUT_SECONDS = env_int("WEBHOOKS_TIMEOUT_SECONDS", 10)
KRAI_DOCFLOW_INBOX = env("DOCFLOW_INBOX", "")  # a watched folder of MEDO packages; empty: no folder is watched
KRAI_DOCFLOW_OUTBOX = env("DOCFLOW_OUTBOX", "")  # where answers are written for systems that collect them as files
KRAI_INSTALLATION_CODE = env("INSTALLATION_CODE", "krai")
KRAI_INSTALLATION_NAME = env("INSTALLATION_NAME", "")
KRAI_CONSOLIDATION_UPSTREAM_URL = env("CONSOLIDATION_UPSTREAM_URL", "")  # the Department of Control's Krai
KRAI_CONSOLIDATION_SECRET = env("CONSOLIDATION_SECRET", "")  # whsec_… shared with the upstream installation
KRAI_CONSOLIDATION_SOURCES = env("CONSOLIDATION_SOURCES", "")  # code=whsec_…,code=whsec_… of the pushing installations
KRAI_CONSOLIDATION_PUSH_SECONDS = env_int("CONSOLIDATION_PUSH_SECONDS", 60)  # how soon a change is pushed; first retry
KRAI_DOCFLOW_MAX_ATTEMPTS = env_int("DOCFLOW_MAX_ATTEMPTS", 10)  # attempts to deliver an answer before it shows failed

# Administration (krai.administration, docs/administration.md): the longest temporary deputyship
KRAI_DEPUTYSHIP_MAX_DAYS = env_int("DEPUTYSHIP_MAX_DAYS", 366)

# Repeated writes (krai.core.idempotency): how long a write's Idempotency-Key is remembered (an app's queue retries
# within minutes or days of being offline, never later)
KRAI_IDEMPOTENCY_HOURS = env_int("IDEMPOTENCY_HOURS", 72)

# Web push of every notification (krai.core.notifications; VAPID keys made by `krai vapid`, from the environment only;
# no keys: no push, notifications come in Krai and by e-mail); the planner (krai.planner, docs/planner.md): voice
# orders (the recognition engine on this server and its model — nothing is sent outside; "" switches recognition
# off; the browser's own recognition only if allowed).
KRAI_VAPID_PUBLIC_KEY = env("VAPID_PUBLIC_KEY", "")
KRAI_VAPID_PRIVATE_KEY = env("VAPID_PRIVATE_KEY", "")
KRAI_VAPID_SUBJECT = env("VAPID_SUBJECT", "mailto:admin@localhost")
KRAI_PUSH_ALLOW_HTTP = env_bool("PUSH_ALLOW_HTTP", False)  # push services are https; a test's own may be http
KRAI_VOICE_ENGINE = env("VOICE_ENGINE", "pocketsphinx")  # pocketsphinx | vosk | whispercpp | "" (off)
KRAI_VOICE_MODEL = env("VOICE_MODEL", "")  # the engine's model (a directory or file); "": the engine's own default
KRAI_VOICE_LANGUAGE = env("VOICE_LANGUAGE", "")  # the model's language (ru, en); "": the model's own
KRAI_VOICE_MAX_SECONDS = env_int("VOICE_MAX_SECONDS", 15)  # decoding takes ~0.1 s of CPU per second of speech
KRAI_VOICE_BROWSER_RECOGNITION = env_bool("VOICE_BROWSER_RECOGNITION", False)  # audio leaves for the browser's vendor

# --- maps: KRAI_MAP_TILE_URL and KRAI_MAP_TILE_ATTRIBUTION are set with the security headers above ---------
