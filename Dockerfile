# The production image: gunicorn for web, the same image for the Celery worker and beat.

FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# Pango for WeasyPrint, DejaVu for Finnish glyphs in PDFs, gettext to compile translations.
# HarfBuzz's subsetter cuts the fonts into each PDF about 0.4 s faster than WeasyPrint's
# fontTools fallback, which it warns it will drop.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml constraints.txt ./
# The product only: .dockerignore leaves out bench/ (its scale-data generator) and tests/.
COPY . .
RUN pip install --no-cache-dir -c constraints.txt . \
    && for po in locale/*/LC_MESSAGES/django.po; do msgfmt -o "${po%.po}.mo" "$po"; done
COPY --from=assets /app/node_modules ./node_modules
RUN SECRET_KEY=build-only-not-a-secret python manage.py collectstatic --noinput \
    && useradd --system --home /app tyokyky && mkdir -p var && chown -R tyokyky var
USER tyokyky
EXPOSE 8000
CMD ["gunicorn", "tyokyky.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
