"""One settings module, read from the environment.

DEBUG is off unless set; SECRET_KEY is then required. SQLite is the default database;
DATABASE_URL (for example postgres://127.0.0.1:5432/uneasy) chooses another.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (set DEBUG=1 for local development)."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_ratelimit",
    "django_tasks_db",
    "accounts",
    "relations",
    "quizzes",
    # LTI 1.3: django-lti's registrations, deployments, keys and launch records, and lti/,
    # which turns a launch into a user, a class and an enrolment and sends grades back.
    "lti_tool",
    "lti",
]

MIDDLEWARE = [
    # First: behind a proxy, forwarded headers count only when our proxy sent the request.
    "config.middleware.ForwardedHeadersFromProxiesOnly",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.TimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After X-Frame-Options and CSP, so its response pass runs first: a session that came
    # from an LTI launch may be framed by that platform's origins, and by no one else.
    "lti.middleware.PlatformFramingMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Every HTML answer varies with HX-Request: fragment or page from the same URL.
    "config.middleware.VaryOnHtmxMiddleware",
    "config.middleware.SayWhyMethodNotAllowedMiddleware",
    # Last, so it sees the authenticated user and the final response.
    "axes.middleware.AxesMiddleware",
    # Refusals before any view, inside every other middleware so they carry the usual
    # headers: a body too large to read (413), then NUL characters, which PostgreSQL
    # cannot hold (400). See config/middleware.py.
    "config.middleware.LimitRequestSizeMiddleware",
    "config.middleware.RefuseNulCharactersMiddleware",
]

# `make bench` reads how long each request holds a transaction (config/timing.py).
if env_bool("SERVER_TIMING", False):
    MIDDLEWARE.insert(0, "config.timing.ServerTimingMiddleware")

# No request body over this is read at all (413): the largest real one is a GIFT upload.
MAX_REQUEST_BYTES = int(os.environ.get("MAX_REQUEST_BYTES", str(1024 * 1024)))

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
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
                "config.context_processors.timezone_name",
            ],
            # Tag libraries kept in the area they serve, not in a templatetags package.
            "libraries": {"url_prefixes": "quizzes.common.url_prefixes"},
        },
    },
]

# SQLite tuned for a small multi-process server: WAL lets readers run beside one writer,
# IMMEDIATE takes the write lock at BEGIN (no upgrade deadlocks), and the busy timeout
# makes a second writer wait instead of failing with "database is locked".
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA busy_timeout=20000;"
        "PRAGMA foreign_keys=ON;"
    ),
}

# Django's SQLite backend, with BEGIN IMMEDIATE retried in small steps rather than by
# SQLite's busy handler, whose sleeps grow to 100 ms (config/sqlite_backend/base.py).
SQLITE_ENGINE = "config.sqlite_backend"

DATABASE_URL = os.environ.get("DATABASE_URL", "")
# Persistent connections on both databases: opening SQLite and reading its schema costs more
# than a whole /healthz, and a PostgreSQL connection costs a fork on the server. Each gthread
# worker thread keeps its own (Django's connections are per thread); the health check drops
# one the database has closed before a request uses it.
CONN_MAX_AGE = int(os.environ.get("CONN_MAX_AGE", "600"))
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=CONN_MAX_AGE)}
    if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        DATABASES["default"]["ENGINE"] = SQLITE_ENGINE
        DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)
else:
    DATABASES = {
        "default": {
            "ENGINE": SQLITE_ENGINE,
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": dict(SQLITE_OPTIONS),
            "CONN_MAX_AGE": CONN_MAX_AGE,
        }
    }
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and os.environ.get(
    "PG_PREPARED_STATEMENTS", "1"
) == "1":
    # Parameters bound by the server, and each connection's statements prepared after their
    # fifth run: PostgreSQL then plans the hot queries once per connection, not every time
    # (planning the answer post's ten-table read took 1 ms of its 3). Prepared statements
    # live in the server session, so behind a pooler in transaction mode (PgBouncer) set
    # PG_PREPARED_STATEMENTS=0; persistent connections (above) are what makes them pay.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )
if DATABASES["default"]["ENGINE"] == SQLITE_ENGINE:
    # The tests' SQLite database in memory, named so: as Django does unasked for its own
    # backend's name (and pytest-xdist's workers then each keep theirs in memory).
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", ":memory:")

# One cache for the reading pages (relations/page_cache.py): this process's memory by
# default; Redis when REDIS_URL is set, so several app servers share pages and versions.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "uneasy"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "uneasy-allies",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Argon2id for every new or changed password (Django's recommended hasher, argon2-cffi). The
# others stay listed so an existing hash still verifies; Django rewrites it with Argon2 at the
# next successful sign-in, because the first hasher is the preferred one.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Sign-in protection (django-axes, see accounts/lockout.py and SECURITY.md): five attempts
# for one name from one address within fifteen minutes, then that pair is locked until
# fifteen minutes have passed without one; a success clears the pair. An address alone gets
# IP_FAILURE_LIMIT attempts across any names within IP_COOLOFF_MINUTES (more room, a shorter
# pause: a classroom shares one address). Attempts are counted before the password is
# checked, so parallel guesses cannot all slip past the count.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
IP_FAILURE_LIMIT = int(os.environ.get("IP_FAILURE_LIMIT", "30"))
IP_COOLOFF_MINUTES = int(os.environ.get("IP_COOLOFF_MINUTES", "5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "accounts.lockout.PerParameterLimitHandler"
AXES_USERNAME_CALLABLE = "accounts.lockout.client_username"  # cut to a storable length
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429

PROXY_ADDRESSES: list[str] = []  # set below with BEHIND_PROXY=1

# Whose address is locked: axes asks django-ipware (AXES_IPWARE_* below). By default the
# address that connected (REMOTE_ADDR), which is right when clients reach the app directly.
# Behind reverse proxies (BEHIND_PROXY=1), the client's address as the proxies recorded it
# in a header, read from the right: every proxy appends the address it saw, so the entry
# CLIENT_HOPS_LISTED places from the right end was written by our nearest proxy that faced
# the client. django-ipware's strict mode (on by default) believes the header only when it
# holds exactly that many entries, so a client that adds its own entries to rotate its
# address falls back to REMOTE_ADDR, the proxy's: every such request shares one address and
# is locked together. SECURITY.md says which setting suits which deployment.
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
IPWARE_STRICT = True
if env_bool("BEHIND_PROXY"):
    AXES_IPWARE_META_PRECEDENCE_ORDER = (
        os.environ.get("CLIENT_IP_HEADER", "HTTP_X_FORWARDED_FOR"), "REMOTE_ADDR"
    )
    # How many addresses the header holds when it reaches us: 1 behind one proxy (it wrote
    # the client's), 2 behind a CDN and a proxy (the client's, then the CDN's), and so on.
    AXES_IPWARE_PROXY_COUNT = int(os.environ.get("CLIENT_HOPS_LISTED", "1")) - 1
    AXES_IPWARE_PROXY_ORDER = "left-most"
    # Forwarded headers are believed only from our proxy's own address (addresses or CIDR
    # ranges): a client that reaches the app directly has them dropped by
    # config.middleware.ForwardedHeadersFromProxiesOnly, so it is locked by its own address.
    PROXY_ADDRESSES = env_list("PROXY_ADDRESSES", "127.0.0.1,::1")
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# Background work (Django's tasks framework): the gradebook file of a class too large to
# stream within a request. In production the django-tasks-db database backend, whose
# `manage.py db_worker` runs beside gunicorn on any server (the queue is the shared
# database); in development (DEBUG) the immediate backend, which builds the file at once
# within the request that asks. TASKS_BACKEND=database or =immediate chooses either.
TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
TASKS = {
    "default": {
        "BACKEND": TASKS_BACKENDS[
            os.environ.get("TASKS_BACKEND", "immediate" if DEBUG else "database")
        ]
    }
}
# Above this many rows (students × assignments) the class page offers a file built in the
# background instead of a stream: 30,000 rows stream in about 2.5 s unloaded and 11 s
# under the benchmark's load (bench/README.md), well inside a 30 s request timeout.
GRADEBOOK_STREAM_ROWS = int(os.environ.get("GRADEBOOK_STREAM_ROWS", "50000"))

# Rate limits (config/rate_limits.py) count in a cache of their own, so that reading pages
# filling the default one never push a count out: Redis when REDIS_URL is set, shared by
# every worker; otherwise this process's memory, which suits development, the tests and a
# one-process deployment (SECURITY.md).
if REDIS_URL:
    CACHES["rate_limits"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "uneasy") + "-limits",
    }
else:
    CACHES["rate_limits"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "uneasy-allies-rate-limits",
        # Room for every account and address counted in an hour; past it locmem would
        # drop counts, and with them the limits.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
RATELIMIT_USE_CACHE = "rate_limits"
SILENCED_SYSTEM_CHECKS = [
    # django-ratelimit does not list Django's own Redis backend, which increments
    # atomically (all it needs), and calls local memory "not shared", which is the choice
    # made above when there is no Redis.
    "django_ratelimit.W001",
    *([] if REDIS_URL else ["django_ratelimit.E003"]),
]
RATELIMIT_IP_META_KEY = "config.rate_limits.client_address"

# How often each form may be posted ("count/period", s m h d), per account or address.
# A classroom shares one address, so the per-address limits leave room for a class.
RATE_LIMITS = {
    "join_per_account": os.environ.get("JOIN_RATE_PER_ACCOUNT", "10/h"),
    "join_per_address": os.environ.get("JOIN_RATE_PER_ADDRESS", "100/h"),
    "signup_per_address": os.environ.get("SIGNUP_RATE_PER_ADDRESS", "50/h"),
    "reset_per_address": os.environ.get("RESET_RATE_PER_ADDRESS", "20/h"),
    "reset_per_email": os.environ.get("RESET_RATE_PER_EMAIL", "3/h"),
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Uneasy Allies <noreply@localhost>")

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# A strict policy: only our own scripts and styles, no inline code, no eval. htmx is told
# not to inject its indicator styles and not to eval (see templates/base.html).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Production hardening, on whenever DEBUG is off. Each can be turned off by the
# environment for a plain-HTTP loopback benchmark, never in a real deployment.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
# A platform frames us from its own site, so the cookies must be sent cross-site; browsers
# accept SameSite=None only on Secure cookies, so plain-HTTP development keeps Lax.
SESSION_COOKIE_SAMESITE = "None" if SESSION_COOKIE_SECURE else "Lax"
CSRF_COOKIE_SAMESITE = "None" if CSRF_COOKIE_SECURE else "Lax"
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env_bool("BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
