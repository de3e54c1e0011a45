#!/usr/bin/env bash
# Starts docker-compose's Confluent Schema Registry (the image's own start, /etc/confluent/docker/run)
# after writing what holds passwords and must not sit in docker-compose.yml: its Kafka login
# (SCRAM user followup-registry) and the users of its HTTP basic auth, one per service plus the
# one register-schemas uses. Refuses to start when a password is missing or short.
set -euo pipefail

users_file=/tmp/registry-users.properties
jaas_file=/tmp/registry-jaas.conf

check() {
  local name=$1 value=${!1:-}
  if [ "${#value}" -lt 16 ]; then
    echo "$name is missing or shorter than 16 characters; see .env.example" >&2
    exit 1
  fi
  case "$value" in
    *[\"\\,:@/]*) echo "$name must be letters and digits (it rides in URLs); use e.g. openssl rand -hex 24" >&2; exit 1 ;;
  esac
}

check REGISTRY_KAFKA_PASSWORD
export SCHEMA_REGISTRY_KAFKASTORE_SASL_JAAS_CONFIG="org.apache.kafka.common.security.scram.ScramLoginModule required username=\"followup-registry\" password=\"$REGISTRY_KAFKA_PASSWORD\";"

umask 077
: > "$users_file"
# user: password,role -- "admin" registers schemas (deploy step), "service" is every service
for entry in register-schemas:admin intake:service status:service reminders:service delivery:service dashboard:service; do
  user=${entry%%:*}
  role=${entry##*:}
  variable="REGISTRY_$(echo "$user" | tr 'a-z-' 'A-Z_')_PASSWORD"
  check "$variable"
  printf 'followup-%s: %s,%s\n' "$user" "${!variable}" "$role" >> "$users_file"
  unset "$variable"
done
cat > "$jaas_file" <<JAAS
SchemaRegistry {
  org.eclipse.jetty.security.jaas.spi.PropertyFileLoginModule required
  file="$users_file"
  debug="false";
};
JAAS
unset REGISTRY_KAFKA_PASSWORD
export SCHEMA_REGISTRY_OPTS="${SCHEMA_REGISTRY_OPTS:-} -Djava.security.auth.login.config=$jaas_file"

exec /etc/confluent/docker/run
