#!/usr/bin/env bash
# Stops the proxy started by scripts/faultproxy/start.sh (by its recorded pid only).
set -euo pipefail
cd "$(dirname "$0")/../.."
pid_file=target/faultproxy.pid
[[ -f "$pid_file" ]] || exit 0
pid=$(cat "$pid_file")
if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
fi
rm -f "$pid_file" target/faultproxy.endpoint
