# Garage web image: Flask + Flask-SocketIO under gunicorn's gevent worker.
# Two stages: wheels are built in the first, the second installs them and nothing else
# (no compilers, no pip cache, no secrets). Build with `make build` or `docker compose build`.

FROM python:3.11-slim-bookworm AS wheels
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY requirements.txt .
# Every runtime dependency is pinned in requirements.txt; pip builds or fetches their wheels.
RUN python -m pip wheel --wheel-dir /wheels -r requirements.txt

FROM python:3.11-slim-bookworm
LABEL org.opencontainers.image.title="Garage" \
      org.opencontainers.image.description="Car marketplace, forum and live chat (Flask)" \
      org.opencontainers.image.licenses="MIT"
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    FLASK_APP=app \
    FLASK_CONFIG=production \
    PYTHONPATH=/app \
    UPLOAD_FOLDER=/app/uploads \
    PORT=8000
# A system user with a home: gunicorn 27 keeps its control socket under ~/.gunicorn.
RUN groupadd --system --gid 10001 garage \
 && useradd --system --uid 10001 --gid garage --create-home --home-dir /home/garage --shell /usr/sbin/nologin garage
COPY --from=wheels /wheels /wheels
COPY requirements.txt /tmp/requirements.txt
RUN python -m pip install --no-index --find-links=/wheels -r /tmp/requirements.txt \
 && rm -rf /wheels /tmp/requirements.txt
WORKDIR /app
# Code belongs to root and is read-only for the app user; only uploads/ and instance/ are writable.
COPY . /app
# The translations are compiled here (.po -> .mo), never copied in from a working copy.
RUN pybabel compile --statistics -d /app/app/translations \
 && mkdir -p /app/uploads /app/instance \
 && chown garage:garage /app/uploads /app/instance \
 && chmod 0755 /app/entrypoint.sh
USER 10001:10001
EXPOSE 8000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import os, sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4).status != 200)"]
ENTRYPOINT ["/app/entrypoint.sh"]
CMD ["gunicorn"]
