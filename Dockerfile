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

# gunicorn and whitenoise are in requirements/base.txt; the dev tools stay out of the image.
COPY requirements/ requirements/
RUN pip install -r requirements/base.txt -c requirements/constraints.txt

COPY . .
COPY --from=assets /build/static/vendor/ static/vendor/

# production.py refuses to start without these; the values exist only for this build step and
# are not kept in the image. collectstatic touches no database.
RUN SECRET_KEY=build-only-collectstatic-not-a-secret-0123456789abcdefghij \
    ALLOWED_HOSTS=build.invalid \
    DATABASE_URL=sqlite:////tmp/collectstatic-unused.sqlite3 \
    python manage.py collectstatic --noinput

USER pga
EXPOSE 8000
CMD ["gunicorn", "pga.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
