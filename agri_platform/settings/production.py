"""Production settings: everything from the environment, secure defaults, no fallbacks for secrets.

`DJANGO_SETTINGS_MODULE=agri_platform.settings.production`. Refuses to start without `SECRET_KEY`
and `ALLOWED_HOSTS`; `manage.py check --deploy` prints no warning (tests/ops/test_production.py).
Every variable read here and in base.py is listed in docs/configuration.md.
"""

import math
from collections import Counter

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEVELOPMENT_SECRET_KEY, SPECTACULAR_SETTINGS, STATIC_ROOT, STORAGES, env, verbatim

# By the Shannon estimate a random 50-character Django key carries 220 to 270 bits, 64 hex digits
# 225 or more; a key of few different characters far fewer.
MIN_SECRET_KEY_BITS = 180


def looks_random(key: str) -> bool:
    """Enough entropy by character frequencies, and no repeated pattern: in a random key nearly
    every run of three characters is new ("abcdefghij" * 6 has ten)."""
    counts = Counter(key)
    bits = -sum(n / len(key) * math.log2(n / len(key)) for n in counts.values()) * len(key)
    trigrams = {key[i : i + 3] for i in range(len(key) - 2)}
    return bits >= MIN_SECRET_KEY_BITS and len(trigrams) >= 0.75 * (len(key) - 2)


SECRET_KEY = verbatim("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production (settings.production).")
if SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY is the repository's development key; generate one.")
if len(SECRET_KEY) < 50 or not looks_random(SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY must be at least 50 random characters, "
        "e.g. python -c 'import secrets; print(secrets.token_urlsafe(64))'."
    )

DEBUG = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
if "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS=* accepts any Host header; name the hosts served.")
CSRF_TRUSTED_ORIGINS = env.list(
    "CSRF_TRUSTED_ORIGINS", default=[f"https://{host}" for host in ALLOWED_HOSTS if host != "*"]
)

# --- HTTPS: TLS ends at the load balancer, which sets X-Forwarded-Proto ------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # probes speak plain HTTP inside the network
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- E-mail: SMTP unless EMAIL_BACKEND says otherwise (host, port, user... in base.py) ----------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)  # noqa: F405
ADMINS = [("Operators", addr) for addr in env.list("ADMINS", default=[])]

# --- Storage: uploaded documents through Django's storage API -----------------------------------
# DEFAULT_FILE_STORAGE picks the backend (e.g. storages.backends.s3.S3Storage after installing
# django-storages[s3]); DEFAULT_FILE_STORAGE_OPTIONS is a JSON object of its options.
# Static files: whitenoise serves what `collectstatic` wrote to STATIC_ROOT, compressed, with hashed
# names (the Dockerfile runs collectstatic at build time).
STATIC_ROOT = env.path("STATIC_ROOT", default=STATIC_ROOT)
STORAGES = {
    **STORAGES,
    "default": {
        "BACKEND": STORAGES["default"]["BACKEND"],
        "OPTIONS": env.json("DEFAULT_FILE_STORAGE_OPTIONS", default={}),
    },
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND", default="whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# The schema is gated by `manage.py spectacular --validate --fail-on-warn` in CI (.ci/run); a
# production `check --deploy` checks the deployment, not the API description.
SPECTACULAR_SETTINGS = {**SPECTACULAR_SETTINGS, "ENABLE_DJANGO_DEPLOY_CHECK": False}

REST_FRAMEWORK = {**REST_FRAMEWORK}  # noqa: F405
REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"] = ["rest_framework.renderers.JSONRenderer"]
# Proxies in front of gunicorn (the load balancer): throttles and the admin lockout take the
# client address from X-Forwarded-For this many hops from the right (agri_platform/api/addresses.py).
NUM_PROXIES = env.int("NUM_PROXIES", default=1)
REST_FRAMEWORK["NUM_PROXIES"] = NUM_PROXIES
