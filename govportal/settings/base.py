"""Settings shared by every environment.

Everything that differs between a laptop and a production server comes from the
environment: ``DATABASE_URL``, ``REDIS_URL``, ``SECRET_KEY``, ``ALLOWED_HOSTS``.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "govportal"
# Runtime state of the embedded run (SQLite file, media, generated secret key).
VAR_DIR = Path(os.environ.get("GOVPORTAL_VAR_DIR", BASE_DIR / "var"))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "govportal.accounts",
    "govportal.core",
    "govportal.audit",
    "govportal.privacy",
    "govportal.sites",
    "govportal.siteadmin",
    "govportal.organizations",
    "govportal.provisioning",
    "govportal.content",
    "govportal.publishing",
    "govportal.submissions",
    "govportal.library",
    "govportal.citizens",
    "govportal.personal",
    "govportal.disclosure",
    "govportal.interpretation",
    "govportal.inforequests",
    "govportal.annualreports",
    "govportal.interviews",
    "govportal.surveys",
    "govportal.interaction",
    "govportal.search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "captcha",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Other host names of a site (别名) redirect to its own host name; no query when cached.
    "govportal.provisioning.middleware.HostAliasRedirectMiddleware",
    # Anonymous page cache: before sessions/auth so a hit costs one query.
    "govportal.publishing.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has this session passed the two-factor code step?
    "django_otp.middleware.OTPMiddleware",
    # Who acts and from where, for audit records written anywhere in the request.
    "govportal.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff: idle timeout, the two-factor step, password rotation (govportal/accounts).
    "govportal.accounts.middleware.StaffSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "govportal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "govportal.core.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "govportal.wsgi.application"

# Database: an embedded SQLite file unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the scheduler write while gunicorn workers read; a busy timeout
    # instead of "database is locked" errors under concurrent writes.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    # Counts failed logins and locks out (django-axes) before anything else runs.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        # Django's rule; the subclass only restores the Chinese error message.
        "NAME": "govportal.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "govportal.accounts.validators.CharacterClassValidator"},
]

# Failed-login throttling: lock a username+IP pair after 5 failures for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Internationalisation: Chinese first, English selectable.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [PROJECT_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Serve uploaded media from Django itself (embedded run only; nginx does it in production).
GOVPORTAL_SERVE_MEDIA = env_bool("GOVPORTAL_SERVE_MEDIA", False)

# Uploads: bounded size and a closed list of types.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
WAGTAILDOCS_EXTENSIONS = [
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "et", "ofd", "txt", "csv", "zip", "rar",
]  # fmt: skip
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 64_000_000
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# Cache: Redis when REDIS_URL is set, otherwise in-process memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "govportal",
            "TIMEOUT": 300,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work: Wagtail 8 runs its tasks through django-tasks.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Wagtail
WAGTAIL_SITE_NAME = "govportal 政府网站集约化平台"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_I18N_ENABLED = False
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True
# The final approval publishes even though reviewers hold no direct publish permission.
WAGTAIL_FINISH_WORKFLOW_ACTION = "govportal.sites.workflows.publish_approved_revision"
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_PASSWORD_RESET_ENABLED = True
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {
            "features": [
                "h2", "h3", "h4", "bold", "italic", "ol", "ul", "hr", "link",
                "document-link", "image", "superscript", "subscript", "blockquote",
            ]
        },
    }
}  # fmt: skip

# Sessions and cookies (production tightens these further).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Whole-page cache for anonymous visitors (seconds; 0 turns it off). Invalidated at once by
# every publish/withdrawal/settings change through publishing.ContentVersion.
GOVPORTAL_PAGE_CACHE_SECONDS = int(os.environ.get("GOVPORTAL_PAGE_CACHE_SECONDS", "300"))

# How often the built-in scheduler publishes/expires scheduled content (seconds).
GOVPORTAL_SCHEDULER_INTERVAL = int(os.environ.get("GOVPORTAL_SCHEDULER_INTERVAL", "30"))
# A scheduled item still unpublished this many minutes after its time is "overdue".
GOVPORTAL_SCHEDULE_GRACE_MINUTES = int(os.environ.get("GOVPORTAL_SCHEDULE_GRACE_MINUTES", "5"))

# Keys that encrypt personal data in the database (govportal.privacy), newest first: the
# first encrypts, all decrypt. dev.py generates one into var/; production requires them.
GOVPORTAL_FIELD_KEYS = env_list("GOVPORTAL_FIELD_KEYS")

# Audit trail (审计日志): records are kept this many days (the law's minimum is 180; a system
# check refuses less), then pruned daily by the scheduler. Client IPs come from REMOTE_ADDR;
# list the reverse proxies (addresses or networks) whose X-Forwarded-For may be believed.
GOVPORTAL_AUDIT_RETENTION_DAYS = int(os.environ.get("GOVPORTAL_AUDIT_RETENTION_DAYS", "180"))
GOVPORTAL_AUDIT_TRUSTED_PROXIES = env_list("GOVPORTAL_AUDIT_TRUSTED_PROXIES")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "govportal": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# --- Citizens (公众用户, govportal/citizens): one-time codes, SMS sender, OIDC -----------
# (owned by govportal/citizens; keep its settings inside this block)
# Citizens sign in at /account/login/; the Wagtail admin keeps its own login (with 2FA).
LOGIN_URL = "/account/login/"
AUTHENTICATION_BACKENDS += [  # after axes (first) and ModelBackend
    "govportal.citizens.backends.OneTimeCodeBackend",  # passwordless: mobile/e-mail + code
    "govportal.citizens.oidc.CitizenOIDCBackend",  # 统一身份认证; declines unless configured
]
# One-time codes (验证码): lifetime, wrong tries, resend interval, hourly caps.
GOVPORTAL_CITIZEN_CODE_TTL = int(os.environ.get("GOVPORTAL_CITIZEN_CODE_TTL", "600"))
GOVPORTAL_CITIZEN_CODE_MAX_ATTEMPTS = 5
GOVPORTAL_CITIZEN_CODE_RESEND_SECONDS = 60
GOVPORTAL_CITIZEN_CODE_HOURLY_PER_DESTINATION = int(
    os.environ.get("GOVPORTAL_CITIZEN_CODE_HOURLY_PER_DESTINATION", "5")
)
GOVPORTAL_CITIZEN_CODE_HOURLY_PER_IP = int(
    os.environ.get("GOVPORTAL_CITIZEN_CODE_HOURLY_PER_IP", "20")
)
# SMS sender (govportal/citizens/sms.py): a dotted path to a class with send_messages().
# The default writes messages to var/sms.log (embedded/demo run); production names its gateway.
GOVPORTAL_SMS_BACKEND = os.environ.get(
    "GOVPORTAL_SMS_BACKEND", "govportal.citizens.sms.FileBackend"
)
GOVPORTAL_SMS_FILE_PATH = os.environ.get("GOVPORTAL_SMS_FILE_PATH", str(VAR_DIR / "sms.log"))
# OpenID Connect (统一身份认证), off unless GOVPORTAL_OIDC_CLIENT_ID and an issuer, discovery
# URL or explicit endpoints are set. See govportal/citizens/oidc.py.
GOVPORTAL_OIDC = {
    "ISSUER": os.environ.get("GOVPORTAL_OIDC_ISSUER", ""),
    "DISCOVERY_URL": os.environ.get("GOVPORTAL_OIDC_DISCOVERY_URL", ""),
    "AUTHORIZATION_ENDPOINT": os.environ.get("GOVPORTAL_OIDC_AUTHORIZATION_ENDPOINT", ""),
    "TOKEN_ENDPOINT": os.environ.get("GOVPORTAL_OIDC_TOKEN_ENDPOINT", ""),
    "USERINFO_ENDPOINT": os.environ.get("GOVPORTAL_OIDC_USERINFO_ENDPOINT", ""),
    "JWKS_ENDPOINT": os.environ.get("GOVPORTAL_OIDC_JWKS_ENDPOINT", ""),
    "CLIENT_ID": os.environ.get("GOVPORTAL_OIDC_CLIENT_ID", ""),
    "CLIENT_SECRET": os.environ.get("GOVPORTAL_OIDC_CLIENT_SECRET", ""),
    "SCOPES": os.environ.get("GOVPORTAL_OIDC_SCOPES", "openid profile email phone"),
    "SIGN_ALGO": os.environ.get("GOVPORTAL_OIDC_SIGN_ALGO", "RS256"),
    "BUTTON_LABEL": os.environ.get("GOVPORTAL_OIDC_BUTTON_LABEL", "统一身份认证登录"),
    "USE_PKCE": env_bool("GOVPORTAL_OIDC_USE_PKCE", True),
    "TIMEOUT": int(os.environ.get("GOVPORTAL_OIDC_TIMEOUT", "10")),
}

# --- Personal centre (个人中心, govportal/personal): mailbox, notifications, tracking ---
# (owned by govportal/personal; keep its settings inside this block)
# 站内信 attachments live outside MEDIA_ROOT and are served only to their recipient.
GOVPORTAL_PRIVATE_MEDIA_ROOT = Path(
    os.environ.get("GOVPORTAL_PRIVATE_MEDIA_ROOT", VAR_DIR / "private")
)
# 办件查询 (/my/track/): attempts per client address and window (seconds).
GOVPORTAL_TRACK_LIMIT = int(os.environ.get("GOVPORTAL_TRACK_LIMIT", "10"))
GOVPORTAL_TRACK_WINDOW_SECONDS = int(os.environ.get("GOVPORTAL_TRACK_WINDOW_SECONDS", "3600"))
# Links in notification e-mails point here; the sender name in e-mails/SMS (default: the
# default site's name).
GOVPORTAL_PUBLIC_BASE_URL = os.environ.get("GOVPORTAL_PUBLIC_BASE_URL", WAGTAILADMIN_BASE_URL)
GOVPORTAL_NOTIFY_SITE_NAME = os.environ.get("GOVPORTAL_NOTIFY_SITE_NAME", "")

# --- Staff security (govportal/accounts): 2FA, password rotation, idle timeout, 三员分立 --
# (owned by govportal/accounts; keep its settings inside this block)

# Two-factor login (django-otp's Device and middleware; our own devices in govportal.accounts:
# secrets encrypted, recovery codes hashed), and Wagtail's user and group editors with the
# 三员分立 rules (govportal.accounts.viewsets).
INSTALLED_APPS += ["django_otp"]
INSTALLED_APPS = [
    "govportal.accounts.apps.StaffUsersConfig" if app == "wagtail.users" else app
    for app in INSTALLED_APPS
]
# Who must use 2FA: every staff account when this is on (production turns it on), else the
# 两步验证策略 setting (roles chosen by the security admin). GOVPORTAL_2FA_ENFORCE=False (tests)
# requires it of nobody; enrolled users are asked for their code either way.
GOVPORTAL_2FA_REQUIRED_FOR_ALL_STAFF = env_bool("GOVPORTAL_2FA_REQUIRED_FOR_ALL_STAFF", False)
GOVPORTAL_2FA_ENFORCE = env_bool("GOVPORTAL_2FA_ENFORCE", True)
# Wrong codes in a row before the session is logged out and the code step locked (minutes).
GOVPORTAL_2FA_MAX_FAILURES = int(os.environ.get("GOVPORTAL_2FA_MAX_FAILURES", "5"))
GOVPORTAL_2FA_LOCKOUT_MINUTES = int(os.environ.get("GOVPORTAL_2FA_LOCKOUT_MINUTES", "15"))
# The account name authenticator apps show beside the username.
GOVPORTAL_2FA_ISSUER = "govportal 政府网站管理后台"
# Passwords expire after this many days (0: never); the last 5 may not be reused.
GOVPORTAL_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("GOVPORTAL_PASSWORD_MAX_AGE_DAYS", "90"))
AUTH_PASSWORD_VALIDATORS += [
    {"NAME": "govportal.accounts.validators.PasswordHistoryValidator", "OPTIONS": {"count": 5}},
]
# Staff sessions end after this many minutes without a request (0: never). Citizens: no limit
# beyond SESSION_COOKIE_AGE.
GOVPORTAL_IDLE_TIMEOUT_MINUTES = int(os.environ.get("GOVPORTAL_IDLE_TIMEOUT_MINUTES", "30"))

# --- Government information disclosure (政务公开, govportal/disclosure) -------------------
# 索引号 scheme: fields org_code, credit_code, org_id, year (成文日期, else publish year), serial.
GOVPORTAL_DISCLOSURE_INDEX_FORMAT = os.environ.get(
    "GOVPORTAL_DISCLOSURE_INDEX_FORMAT", "{org_code}/{year}-{serial:05d}"
)
# 主动公开 within this many working days of 成文日期 (政府信息公开条例 Art. 26).
GOVPORTAL_DISCLOSURE_PROACTIVE_WORKDAYS = 20
# 政策文件未解读 report: policy documents published on or after this ISO date.
GOVPORTAL_INTERPRETATION_SINCE = os.environ.get("GOVPORTAL_INTERPRETATION_SINCE", "2024-01-01")
# 依申请公开: complete anonymous applications accepted per IP address and window.
GOVPORTAL_INFOREQUEST_APPLY_LIMIT = int(os.environ.get("GOVPORTAL_INFOREQUEST_APPLY_LIMIT", "5"))
GOVPORTAL_INFOREQUEST_APPLY_WINDOW_SECONDS = 3600

WAGTAILADMIN_USER_LOGIN_FORM = "govportal.accounts.forms.LoginForm"
# No avatars from an outside service: government intranets are offline (and it leaks e-mails).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
