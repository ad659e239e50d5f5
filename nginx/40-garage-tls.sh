#!/bin/sh
# Chooses the certificate nginx serves, writing /etc/nginx/garage/tls.conf:
#   - Let's Encrypt's certificate for $DOMAIN when certbot has made one (with OCSP stapling);
#   - otherwise a self-signed certificate made here, so nginx starts before the first
#     `make init-ssl` (and in CI, where there is no domain).
# Run by the image's entrypoint at start and by 50-garage-reload.sh before each reload.
set -eu

domain=${DOMAIN:-localhost}
live=/etc/letsencrypt/live/$domain
out=/etc/nginx/garage
mkdir -p "$out"

if [ -s "$live/fullchain.pem" ] && [ -s "$live/privkey.pem" ]; then
  cat >"$out/tls.conf.new" <<CONF
# Let's Encrypt certificate for $domain
ssl_certificate     $live/fullchain.pem;
ssl_certificate_key $live/privkey.pem;
CONF
  # OCSP stapling only when the certificate names an OCSP responder (Let's Encrypt
  # certificates issued since 2025 do not; nginx would only warn on every start).
  if [ -n "$(openssl x509 -noout -ocsp_uri -in "$live/fullchain.pem" 2>/dev/null)" ]; then
    printf 'ssl_trusted_certificate %s/chain.pem;\nssl_stapling on;\nssl_stapling_verify on;\nresolver 127.0.0.11 valid=300s;\n' \
      "$live" >>"$out/tls.conf.new"
  fi
  echo "$0: using the Let's Encrypt certificate in $live"
else
  if [ ! -s "$out/selfsigned.crt" ]; then
    openssl req -x509 -nodes -newkey rsa:2048 -days 30 -subj "/CN=$domain" \
      -addext "subjectAltName=DNS:$domain,DNS:localhost,IP:127.0.0.1" \
      -keyout "$out/selfsigned.key" -out "$out/selfsigned.crt" >/dev/null 2>&1
  fi
  cat >"$out/tls.conf.new" <<CONF
# Self-signed certificate (no Let's Encrypt certificate for $domain yet)
ssl_certificate     $out/selfsigned.crt;
ssl_certificate_key $out/selfsigned.key;
CONF
  echo "$0: no certificate in $live yet; serving a self-signed one"
fi
mv "$out/tls.conf.new" "$out/tls.conf"
