"""
Settings for Työkyky, read from the environment in this one file.

With no variables set the app runs on its embedded defaults: a SQLite file under var/, a Celery
broker on the file system, e-mail to the console. Production sets DATABASE_URL, REDIS_URL,
SECRET_KEY and ALLOWED_HOSTS; `.env.example` lists every variable.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

# FileAwareEnv reads SECRET_KEY_FILE and friends, for Docker secrets.
env = environ.FileAwareEnv()


def env_bool(name: str, default: bool) -> bool:
    """A boolean variable that accepts only True or False, so a typo cannot turn a guard off."""
    value = env.str(name, default=str(default))
    if value not in ("True", "False"):
        raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}")
    return value == "True"


DEBUG = env_bool("DEBUG", False)
# HTTPS-only cookies, HSTS and the redirect to HTTPS; on by default outside development.
HTTPS = env_bool("HTTPS", not DEBUG)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY (or SECRET_KEY_FILE) in the environment; "
            "only development (DEBUG=True) runs without one."
        )
    SECRET_KEY = "development-only-insecure-key"  # noqa: S105 (never used with DEBUG off)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "guardian",
    "simple_history",
    "django_htmx",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "tyokyky",
    "teams",
    "clients",
    "consents",
    "work",
    "cases",
    "referrals",
    "meetings",
    "plans",
    "reporting",
    "rights",
    "retention",
    "oversight",
    "oma",
    "demo",
]

# Production serves collected, hashed static files through WhiteNoise; development and tests
# serve them from the source folders through django.contrib.staticfiles.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    *(["whitenoise.middleware.WhiteNoiseMiddleware"] if STATIC_MANIFEST else []),
    # NUL and broken UTF-8 anywhere in a request: 400 before any session, form or query.
    "tyokyky.middleware.RefuseMalformedTextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tyokyky.middleware.AbsoluteSessionLimitMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "teams.middleware.RequireMFAMiddleware",
    # The deadlines of the service path read once a request (teams/deadlines.py).
    "teams.middleware.DeadlineScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tyokyky.urls"
WSGI_APPLICATION = "tyokyky.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "teams.context_processors.current_memberships",
                "work.context_processors.unread_notifications",
                "oma.navigation.oma_navigation",
            ],
        },
    },
]
FORM_RENDERER = "tyokyky.forms.HdsFormRenderer"

# --- Data -------------------------------------------------------------------------------------
DATABASE_URL = env.str("DATABASE_URL", default="")
if not DATABASE_URL:
    VAR_DIR.mkdir(exist_ok=True)
    DATABASE_URL = f"sqlite:///{VAR_DIR / 'tyokyky.sqlite3'}"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The policy's EXISTS rules make plans look costly, so PostgreSQL compiled them with JIT:
    # over a second per search at national scale for queries that run in milliseconds.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "tyokyky",
            # A cache that does not answer is skipped, not waited for (reporting/reports.py).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery -----------------------------------------------------------------------------------
CELERY_QUEUE_DIR = Path(env.str("CELERY_QUEUE_DIR", default=str(VAR_DIR / "celery")))
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS = (
    # A broker that does not answer must not hold a request for long (kombu's default is eight
    # tries over six seconds): the outbox nudge gives up and beat delivers (work/outbox.py).
    # The worker's own reconnecting follows broker_connection_max_retries, not these.
    {"visibility_timeout": 3600, "socket_connect_timeout": 2, "socket_timeout": 5,
     "max_retries": 1, "interval_start": 0, "interval_step": 0.2}
    if REDIS_URL
    else {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "store_processed": False,
    }
)
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Europe/Helsinki"
# Beat only starts the sweep; what is due lives in the database (work/reminders.py).
CELERY_BEAT_SCHEDULE = {
    "sweep-reminders": {"task": "work.tasks.sweep_reminders", "schedule": 300.0},
    # Once a night the sweep reads everything, not only what changed since the last one.
    "sweep-reminders-full": {"task": "work.tasks.sweep_reminders", "kwargs": {"full": True},
                             "schedule": crontab(hour=1, minute=40)},
    # The client's own reminders of coming appointments, by e-mail and SMS (oma/reminders.py).
    "sweep-client-reminders": {"task": "oma.tasks.sweep_client_reminders", "schedule": 300.0},
    "deliver-outbox": {"task": "work.tasks.deliver_outbox", "schedule": 60.0},
    # Long PDFs: expired ones deleted, stranded ones rendered (tyokyky/documents.py).
    "sweep-documents": {"task": "tyokyky.tasks.sweep_documents", "schedule": 60.0},
    "flag-unusual-access": {"task": "oversight.tasks.flag_unusual_access", "schedule": 3600.0},
    # Records past their retention: proposed, and destroyed once approved (retention/tasks.py).
    "retention-nightly": {"task": "retention.tasks.propose_and_destroy",
                          "schedule": crontab(hour=2, minute=30)},
    # The dashboard's facts (reporting/facts.py): the months that can have changed, also right
    # after a month closes; every month at night.
    "refresh-statistics": {"task": "reporting.tasks.refresh_statistics", "schedule": 900.0},
    "refresh-statistics-month-closed": {"task": "reporting.tasks.refresh_statistics",
                                        "schedule": crontab(day_of_month=1, hour=0, minute=1)},
    "refresh-statistics-nightly": {"task": "reporting.tasks.refresh_statistics",
                                   "schedule": crontab(hour=3, minute=15),
                                   "kwargs": {"everything": True}},
}
# How long a worker holds a message it is sending before another may try it (a crashed worker).
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=600)
# Text messages (tyokyky/sms.py): the backend by dotted path; the console one only logs them.
SMS_BACKEND = env.str("SMS_BACKEND", default="tyokyky.sms.ConsoleBackend")
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env.str("SMS_GATEWAY_TOKEN", default="")
SMS_GATEWAY_FORMAT = env.str("SMS_GATEWAY_FORMAT", default="json")  # json or form
SMS_GATEWAY_TIMEOUT = env.int("SMS_GATEWAY_TIMEOUT", default=10)
SMS_SENDER = env.str("SMS_SENDER", default="Tyokyky")
if SMS_GATEWAY_FORMAT not in ("json", "form"):
    raise ImproperlyConfigured("SMS_GATEWAY_FORMAT must be json or form.")

# --- The data protection officer's flags of unusual access (oversight/flags.py) ---------------
# a) distinct clients opened in a day without the organisation's client relationship;
OVERSIGHT_UNRELATED_CLIENTS_PER_DAY = env.int("OVERSIGHT_UNRELATED_CLIENTS_PER_DAY", default=20)
# b) a read in an hour holding less than this share of the user's reads of the days before,
#    with at least this many reads as history (else working hours, 7–18 on working days);
OVERSIGHT_OFF_HOURS_SHARE = env.float("OVERSIGHT_OFF_HOURS_SHARE", default=0.01)
OVERSIGHT_OFF_HOURS_MIN_HISTORY = env.int("OVERSIGHT_OFF_HOURS_MIN_HISTORY", default=100)
OVERSIGHT_HISTORY_DAYS = env.int("OVERSIGHT_HISTORY_DAYS", default=60)
# c) this many prints and exports within this many minutes.
OVERSIGHT_EXPORT_BURST_COUNT = env.int("OVERSIGHT_EXPORT_BURST_COUNT", default=10)
OVERSIGHT_EXPORT_BURST_MINUTES = env.int("OVERSIGHT_EXPORT_BURST_MINUTES", default=10)
# The most rows one CSV of a log search holds; a longer result is cut and says so.
OVERSIGHT_EXPORT_MAX_ROWS = env.int("OVERSIGHT_EXPORT_MAX_ROWS", default=50000)

# --- Authentication and sessions --------------------------------------------------------------
AUTH_USER_MODEL = "teams.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# OWASP ASVS 3.3: 30 minutes idle, 12 hours absolute.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_LIMIT = timedelta(hours=12)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Lock an account after five failed logins, whatever the address (ASVS 2.2.1). Not by IP as
# well: a whole health centre shares one address, and one mistyping user must not lock it out.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)
# axes.W006 asks for the address as well; per account is the deliberate choice above.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Every staff member passes a second factor (TOTP). Only development may turn it off.
# How long the knowledge-management numbers are reused before they are counted again.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=600)

MFA_REQUIRED = env_bool("MFA_REQUIRED", True)
if not MFA_REQUIRED and not DEBUG:
    raise ImproperlyConfigured("MFA_REQUIRED=False is for development only (DEBUG=True).")
OTP_TOTP_ISSUER = "Työkyky"
# The admin may delete a lost device, never see a secret that would let them enrol one.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Guardian: object permissions for per-client grants; no anonymous user.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# --- Security headers -------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
# The container's own health check asks over plain HTTP from inside.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # HDS draws its icons as CSS masks from data: URIs.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", "suomi"), ("sv", "svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

# --- Static files and e-mail ------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/hds-core", BASE_DIR / "node_modules" / "hds-core" / "lib"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
EMAIL_PORT = _email["EMAIL_PORT"] or 25
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
# A mail server that stops answering must not hold a worker, or a message's row, for long.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Työkyky <noreply@tyokyky.invalid>")
# The address users reach the app at, for links in e-mails and calendars.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- Oma Työkyky, the client's own service (oma/) ----------------------------------------------
# A client session ends after this long without a request (staff: SESSION_COOKIE_AGE).
OMA_IDLE_SECONDS = env.int("OMA_IDLE_SECONDS", default=15 * 60)
# Suomi.fi e-Identification's OpenID Connect interface; the defaults are the local test provider
# of `make run` (deploy/dev-oidc-provider.mjs, configured by `manage.py oidc_dev_config`).
OMA_OIDC = {
    "issuer": env.str("OMA_OIDC_ISSUER", default="http://127.0.0.1:8001"),
    "client_id": env.str("OMA_OIDC_CLIENT_ID", default="tyokyky-oma"),
    # Our private key for private_key_jwt (JWK JSON or PEM); its public half is registered.
    "private_key_file": env.str("OMA_OIDC_PRIVATE_KEY_FILE",
                                default=str(VAR_DIR / "oidc" / "client-key.json")),
    "scope": env.str("OMA_OIDC_SCOPE", default="openid profile personal_identity_code"),
    # The claim that carries the personal identity code (henkilötunnus).
    "hetu_claim": env.str("OMA_OIDC_HETU_CLAIM", default="urn:oid:1.2.246.21"),
    "leeway_seconds": env.int("OMA_OIDC_LEEWAY_SECONDS", default=30),
    # The levels of assurance accepted (space-separated acr values, such as Suomi.fi's
    # "http://ftn.ficora.fi/2017/loa3"): asked for, and required of the ID token's acr.
    # Empty: not checked.
    "acr_values": env.str("OMA_OIDC_ACR_VALUES", default="").split(),
}
# Staff single sign-on: each organisation's provider is set in the admin (teams.OrganisationSignOn);
# our private keys for it are files in this directory, named there (teams/sso.py).
STAFF_SSO_KEY_DIR = Path(env.str("STAFF_SSO_KEY_DIR", default=str(VAR_DIR / "sso")))
STAFF_SSO_SCOPE = env.str("STAFF_SSO_SCOPE", default="openid email profile")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Demo data --------------------------------------------------------------------------------
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="")

# --- Logging: messages carry ids only, never names, HETUs or health data ----------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Lockouts only: logins and failures go to "tyokyky.security" (teams/signals.py)
        # without axes' routine bookkeeping lines.
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
