#!/usr/bin/env bash
# The whole test suite, as the README gives it and as CI runs it (via .ci/run).
# Starts moto server (the AWS emulator the AWS backend's integration tests run against; see
# scripts/moto/), points the tests at it with STEPDECK_TEST_ENDPOINT, and always stops it.
set -euo pipefail
cd "$(dirname "$0")/.."

trap 'scripts/moto/stop.sh' EXIT
STEPDECK_TEST_ENDPOINT="$(scripts/moto/start.sh)"
export STEPDECK_TEST_ENDPOINT
echo "moto server at $STEPDECK_TEST_ENDPOINT" >&2

cargo test --all-targets --locked "$@"
