# The platform image: web (gunicorn), worker and beat all run it (docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=agri_platform.settings.production

WORKDIR /app

# Dependencies first (a layer that changes only with the lock file): exactly what uv.lock pins,
# without the dev group (pytest, ruff...).
RUN pip install --no-cache-dir uv==0.13.9
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project --python /usr/local/bin/python

COPY . .

# Static files (admin, Swagger UI / ReDoc from drf-spectacular-sidecar) collected into the image and
# served by whitenoise. The key below exists only for this build step; the container needs its own.
RUN SECRET_KEY=collectstatic-only-build-time-key-never-used-at-runtime-0123456789 \
    ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput

# Run as an unprivileged user; only the media directory (uploads on local storage) is writable.
RUN useradd --system --uid 10001 --no-create-home --home-dir /app agri \
    && mkdir -p /app/media \
    && chown agri /app/media
USER agri

EXPOSE 8000
# WEB_CONCURRENCY sets the number of gunicorn workers (gunicorn reads it); default 3.
CMD ["gunicorn", "agri_platform.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "--forwarded-allow-ips", "*"]
