#!/usr/bin/env bash
# Run once by docker-compose's kafka-tls service, before the brokers: makes the brokers' TLS key and a
# self-signed certificate for the names they are reached by (kafka-1..3), unless they exist. The
# brokers get the key (volume kafka-broker-tls); clients only the certificate, as the one they trust
# (volume kafka-trust, brokers.pem). The key's password is random and never leaves the brokers'
# volume. A production cluster uses certificates from the platform's CA instead: point the brokers'
# KAFKA_SSL_KEYSTORE_* and the clients' KAFKA_SSL_TRUSTSTORE_* at those.
set -euo pipefail

broker_dir=/tls/broker
trust_dir=/tls/trust
keystore="$broker_dir/kafka.keystore.p12"

if [ -s "$keystore" ] && [ -s "$trust_dir/brokers.pem" ]; then
  echo "The brokers' TLS key and certificate exist; kept."
  exit 0
fi

# keytool reads the password from the environment, not its command line (visible to ps)
STORE_PASSWORD=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
export STORE_PASSWORD
rm -f "$keystore" "$trust_dir/brokers.pem"
keytool -genkeypair -alias kafka -keyalg EC -groupname secp256r1 -validity 825 \
  -dname "CN=followup-kafka" -ext "SAN=dns:kafka-1,dns:kafka-2,dns:kafka-3" \
  -storetype PKCS12 -keystore "$keystore" -storepass:env STORE_PASSWORD
keytool -exportcert -rfc -alias kafka -keystore "$keystore" -storepass:env STORE_PASSWORD -file "$trust_dir/brokers.pem"
printf '%s' "$STORE_PASSWORD" > "$broker_dir/keystore.password"

# the brokers run as appuser; nothing else mounts the brokers' volume
chown appuser "$keystore" "$broker_dir/keystore.password"
chmod 400 "$keystore" "$broker_dir/keystore.password"
chmod 444 "$trust_dir/brokers.pem"
echo "Made the brokers' TLS key and certificate:"
keytool -printcert -file "$trust_dir/brokers.pem" | head -n 6
