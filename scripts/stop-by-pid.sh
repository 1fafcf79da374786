#!/usr/bin/env bash
# Stops a background server of the test script by its recorded pid only (TERM, then KILL after
# 5 s), and removes its pid and endpoint files: stop-by-pid.sh NAME stops target/NAME.pid and
# removes target/NAME.endpoint. Shared by scripts/moto/stop.sh and scripts/faultproxy/stop.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1
pid_file=target/$name.pid
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
rm -f "$pid_file" "target/$name.endpoint"
