#!/usr/bin/env bash
# Stops the proxy started by scripts/faultproxy/start.sh (by its recorded pid only).
exec "$(dirname "$0")/../stop-by-pid.sh" faultproxy
