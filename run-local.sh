#!/usr/bin/env bash
# Builds the project (tests skipped) and runs the embedded default: Kafka broker, schema registry,
# every service and the demo data, in the foreground. Ctrl-C stops everything.
# Options are passed on, e.g. `./run-local.sh --fresh` (see `./run-local.sh --help`).
set -euo pipefail
cd "$(dirname "$0")"
./mvnw -q -B -DskipTests install
exec java -Xmx1536m -XX:+UseSerialGC -jar services/local-stack/target/followup-local-stack.jar "$@"
