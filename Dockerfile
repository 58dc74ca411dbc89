# syntax=docker/dockerfile:1
# PGA in production: gunicorn serving pga.wsgi; the same image runs the Celery worker and beat
# (docker-compose.yml). Settings come from the environment (.env.example), never from the image.

# --- Stage 1: copy the Utrecht design system CSS out of npm (docs/decisions/0003) ---------------
FROM node:20-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
COPY scripts/ scripts/
RUN npm ci --no-audit --no-fund && npm run build

# --- Stage 2: the application ------------------------------------------------------------------
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=pga.settings.production

WORKDIR /app

RUN groupadd --system pga && useradd --system --gid pga --no-create-home --home-dir /app pga

# gunicorn and whitenoise are in requirements/base.txt; the dev tools (requirements/dev.txt) stay out of
# the image. The constraints file pins every version, as `make install` does (make lock writes it).
COPY requirements/ requirements/
RUN pip install -r requirements/base.txt -c requirements/constraints.txt && pip check

COPY . .
COPY --from=assets /build/static/vendor/ static/vendor/

# Static files are collected at build time (WhiteNoise serves them with hashed names). production.py
# refuses to start without these variables; the values exist only for this build step, are not secret
# and are not kept in the image. collectstatic connects to neither PostgreSQL nor Redis.
RUN SECRET_KEY=build-only-collectstatic-not-a-secret-0123456789abcdefghij \
    PGA_PSEUDONYM_KEY=build-only-collectstatic-not-a-secret-pseudonym \
    ALLOWED_HOSTS=build.invalid \
    DATABASE_URL=postgres://build.invalid/unused \
    CACHE_URL=redis://build.invalid:6379/1 \
    CELERY_BROKER_URL=redis://build.invalid:6379/0 \
    python manage.py collectstatic --noinput

# The code and the collected static files stay root's and read-only; the processes run as pga.
USER pga
EXPOSE 8000
# gunicorn.conf.py: threaded workers and an access-log line without query string (no personal data).
CMD ["gunicorn", "pga.wsgi", "--config", "gunicorn.conf.py", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
