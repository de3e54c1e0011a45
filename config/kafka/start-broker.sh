#!/usr/bin/env bash
# Starts one broker of docker-compose's cluster (the image's own start, /etc/kafka/docker/run) after
# adding what must not sit in docker-compose.yml: the listeners' JAAS settings, which hold the
# broker's and the admin's passwords, and the TLS keystore's password made by generate-tls.sh.
# Refuses to start when a password is missing or short: a broker with an empty admin password
# would let anyone in as a super user.
set -euo pipefail

for name in BROKER_PASSWORD ADMIN_PASSWORD; do
  value="${!name:-}"
  if [ "${#value}" -lt 16 ]; then
    echo "$name (KAFKA_${name} in .env) is missing or shorter than 16 characters; see .env.example" >&2
    exit 1
  fi
  case "$value" in
    *[\"\\]*) echo "$name must not contain '\"' or '\\'; use e.g. openssl rand -hex 24" >&2; exit 1 ;;
  esac
done

# PLAIN on the internal and controller listeners: the broker itself (both) and the admin (internal
# only) are users of the broker's configuration, because SCRAM users exist only once an admin made them.
broker_login="org.apache.kafka.common.security.plain.PlainLoginModule required username=\"followup-broker\" password=\"$BROKER_PASSWORD\" user_followup-broker=\"$BROKER_PASSWORD\""
export KAFKA_LISTENER_NAME_INTERNAL_PLAIN_SASL_JAAS_CONFIG="$broker_login user_followup-admin=\"$ADMIN_PASSWORD\";"
export KAFKA_LISTENER_NAME_CONTROLLER_PLAIN_SASL_JAAS_CONFIG="$broker_login;"
KAFKA_SSL_KEYSTORE_PASSWORD=$(cat /etc/kafka/secrets/keystore.password)
export KAFKA_SSL_KEYSTORE_PASSWORD
unset BROKER_PASSWORD ADMIN_PASSWORD

exec /etc/kafka/docker/run
