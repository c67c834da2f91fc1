# Quota Portal image: one image for web (gunicorn), Celery worker and Celery beat.

# --- front-end assets from npm (Bootstrap, Bootstrap Icons, htmx) -----------------------------
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# --- the application ---------------------------------------------------------------------------
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=quota_portal.settings.production \
    QP_VAR_DIR=/var/lib/quota-portal
# WeasyPrint needs Pango/HarfBuzz; DejaVu fonts cover Cyrillic and Kazakh letters; gettext for .mo files;
# postgresql-client (15 on bookworm, the major of the compose file's postgres:15) for `manage.py backup`.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libffi8 \
      fonts-dejavu-core shared-mime-info gettext curl postgresql-client \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --system --create-home --home-dir /app portal
WORKDIR /app
COPY pyproject.toml ./
# The pinned dependencies first, as a cached layer (the project itself installs no package:
# the code runs from /app).
RUN pip install --upgrade pip && pip install .
COPY . .
COPY --from=assets /app/node_modules ./node_modules
# media/, beat/ and hash-slots/ exist, owned by portal, before the named volumes are mounted on them: an empty
# volume takes the ownership of the image's directory, so the uploads and beat's schedule are writable.
RUN mkdir -p "$QP_VAR_DIR/media" "$QP_VAR_DIR/beat" "$QP_VAR_DIR/hash-slots" \
 && SECRET_KEY=build-only-collectstatic-key-not-used-at-runtime-0123456789abcdef \
    ALLOWED_HOSTS=build DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://build:6379/0 \
    python manage.py collectstatic --noinput -v0 \
 && chown -R portal:portal "$QP_VAR_DIR"
USER portal
EXPOSE 8000
# The logger class redacts the tokens of emailed links from the access and error logs.
CMD ["gunicorn", "quota_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", \
     "--logger-class", "quota_portal.gunicorn_logger.RedactingLogger"]
