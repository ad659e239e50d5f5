#!/usr/bin/env bash
# Garage web container entry point.
#   entrypoint.sh gunicorn      wait for the database, migrate, load the catalogue, serve
#   entrypoint.sh <command...>  run anything else in the image (flask shell, flask seed, bash)
#
# gunicorn runs ONE gevent worker per process (docs/architecture.md: Socket.IO long-polling needs
# sticky sessions, which gunicorn's own balancing is not); scale with more containers.
# gunicorn is exec'd, so it is PID 1 and gets compose's SIGTERM: it stops accepting, lets
# requests finish for GUNICORN_GRACEFUL_TIMEOUT seconds (below compose's stop_grace_period)
# and exits.
set -Eeuo pipefail

if [ "${1:-gunicorn}" != gunicorn ]; then
  exec "$@"
fi

python /app/scripts/prestart.py

# shellcheck disable=SC2086  # GUNICORN_EXTRA_ARGS is a list of words on purpose
exec gunicorn \
  --worker-class gevent \
  --workers 1 \
  --worker-connections "${GUNICORN_WORKER_CONNECTIONS:-5000}" \
  --bind "0.0.0.0:${PORT:-8000}" \
  --timeout "${GUNICORN_TIMEOUT:-60}" \
  --graceful-timeout "${GUNICORN_GRACEFUL_TIMEOUT:-15}" \
  --keep-alive 5 \
  --no-control-socket \
  --access-logfile - \
  --error-logfile - \
  --access-logformat '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}i)s' \
  --log-level "$(printf '%s' "${LOG_LEVEL:-info}" | tr '[:upper:]' '[:lower:]')" \
  ${GUNICORN_EXTRA_ARGS:-} \
  run:app
