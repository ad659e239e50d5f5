#!/usr/bin/env bash
# First Let's Encrypt certificate for the site (`make init-ssl`). Safe to run again.
#
# Reads .env: DOMAIN (required, a real name whose DNS points at this server), CERTBOT_EMAIL
# (recommended: expiry notices), CERTBOT_WWW=1 to add www.DOMAIN, CERTBOT_STAGING=1 to test
# against Let's Encrypt's staging CA first (untrusted certificate, no rate limits).
# FORCE=1 asks for a new certificate even when a valid one exists.
#
#   1. nginx starts with a temporary self-signed certificate (nginx/40-garage-tls.sh makes
#      one when certbot/conf/live/$DOMAIN has none), so port 80 answers ACME challenges;
#   2. certbot gets the real certificate through the webroot certbot/www;
#   3. nginx switches to it and reloads; the certbot service then renews every 12 hours.
set -Eeuo pipefail
cd "$(dirname "$0")"

COMPOSE=${COMPOSE:-docker compose}
read -r -a compose <<<"$COMPOSE"

env_value() { # the value of $1 from the environment, else from .env
  local name=$1 value=${!1:-}
  if [ -z "$value" ] && [ -f .env ]; then
    value=$(grep -E "^${name}=" .env | tail -n 1 | cut -d= -f2- | sed -e 's/^"//' -e 's/"$//' || true)
  fi
  printf '%s' "$value"
}

domain=$(env_value DOMAIN)
email=$(env_value CERTBOT_EMAIL)
staging=$(env_value CERTBOT_STAGING)
www=$(env_value CERTBOT_WWW)

case "$domain" in
  "" | localhost | *.localhost | 127.* | *[!A-Za-z0-9.-]*)
    echo "DOMAIN is '${domain}': set DOMAIN in .env to the site's public name (DNS must point here)." >&2
    exit 1
    ;;
esac

names=(-d "$domain")
[ "$www" = 1 ] && names+=(-d "www.$domain")
if [ -n "$email" ]; then account=(--email "$email"); else account=(--register-unsafely-without-email); fi
options=(--non-interactive --agree-tos --no-eff-email --rsa-key-size 4096)
[ "$staging" = 1 ] && options+=(--staging)
if [ "${FORCE:-0}" = 1 ]; then options+=(--force-renewal); else options+=(--keep-until-expiring); fi

mkdir -p certbot/conf certbot/www

echo "### starting nginx (self-signed certificate until the real one exists)"
"${compose[@]}" up -d --wait --wait-timeout 300 nginx

shown=$domain
[ "$www" = 1 ] && shown="$domain and www.$domain"
[ "$staging" = 1 ] && shown="$shown (staging CA)"
echo "### asking Let's Encrypt for $shown"
"${compose[@]}" --profile certbot run --rm --entrypoint certbot certbot certonly \
  --webroot -w /var/www/certbot "${names[@]}" "${account[@]}" "${options[@]}"

echo "### switching nginx to the new certificate"
"${compose[@]}" exec -T nginx sh -c '/docker-entrypoint.d/40-garage-tls.sh && nginx -t -q && nginx -s reload'

echo "### starting the renewal loop (certbot service, every 12 hours)"
"${compose[@]}" --profile certbot up -d certbot

echo "### done: https://$domain/"
