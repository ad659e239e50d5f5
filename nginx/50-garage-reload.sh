#!/bin/sh
# Reloads nginx every NGINX_RELOAD_SECONDS (default 6 hours) so renewed certificates are
# served; re-chooses the certificate first (see 40-garage-tls.sh). Runs in the background
# of the nginx container; its output goes to the container log.
set -eu

every=${NGINX_RELOAD_SECONDS:-21600}
(
  while :; do
    sleep "$every"
    /docker-entrypoint.d/40-garage-tls.sh && nginx -s reload && echo "$0: nginx reloaded"
  done
) &
echo "$0: reloading nginx every ${every}s"
