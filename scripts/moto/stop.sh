#!/usr/bin/env bash
# Stops the moto server started by scripts/moto/start.sh (by its recorded pid only).
exec "$(dirname "$0")/../stop-by-pid.sh" moto
