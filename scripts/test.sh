#!/usr/bin/env bash
# The whole test suite, as the README gives it and as CI runs it (via .ci/run).
# Starts moto server (the AWS emulator the AWS backend's integration tests run against; see
# scripts/moto/) and the fault-injecting proxy in front of it (scripts/faultproxy/), points
# the tests at them with STEPDECK_TEST_ENDPOINT and STEPDECK_TEST_PROXY, and always stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

# The proxy first: it is in front of moto. Each stop is independent of the other's outcome.
trap 'scripts/faultproxy/stop.sh || true; scripts/moto/stop.sh' EXIT
STEPDECK_TEST_ENDPOINT="$(scripts/moto/start.sh)"
export STEPDECK_TEST_ENDPOINT
echo "moto server at $STEPDECK_TEST_ENDPOINT" >&2
STEPDECK_TEST_PROXY="$(scripts/faultproxy/start.sh "$STEPDECK_TEST_ENDPOINT")"
export STEPDECK_TEST_PROXY
echo "fault-injecting proxy at $STEPDECK_TEST_PROXY" >&2

cargo test --all-targets --locked "$@"
