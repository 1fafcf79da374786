#!/usr/bin/env bash
# Starts stepdeck's fault-injecting proxy (scripts/faultproxy/proxy.py) in front of the test
# server, on 127.0.0.1, in the background.
# Usage: start.sh [UPSTREAM]   (default: the moto server of target/moto.endpoint)
# Writes the endpoint URL to target/faultproxy.endpoint and the pid to target/faultproxy.pid,
# prints the endpoint once the proxy answers. Stop it with scripts/faultproxy/stop.sh.
# Needs nothing but python3 (stdlib only); uses moto's venv python when there, for one python.
set -euo pipefail
cd "$(dirname "$0")/../.."

here=scripts/faultproxy
endpoint_file=target/faultproxy.endpoint
pid_file=target/faultproxy.pid
log_file=target/faultproxy.log
mkdir -p target

upstream="${1:-$(cat target/moto.endpoint 2>/dev/null || true)}"
if [[ -z "$upstream" ]]; then
    echo "faultproxy: no upstream given and no target/moto.endpoint (start moto first)" >&2
    exit 1
fi
python=python3
[[ -x target/moto-venv/bin/python ]] && python=target/moto-venv/bin/python

# A proxy left over from an interrupted run would forward to a dead server: replace it.
"$here/stop.sh" >/dev/null 2>&1 || true
rm -f "$endpoint_file"

"$python" "$here/proxy.py" "$upstream" "$endpoint_file" > "$log_file" 2>&1 &
echo $! > "$pid_file"

"$python" - "$endpoint_file" "$pid_file" <<'PY'
import os, sys, time, urllib.request
endpoint_file, pid_file = sys.argv[1], sys.argv[2]
pid = int(open(pid_file).read())
deadline = time.monotonic() + 20
while True:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        sys.exit("faultproxy: the proxy exited while starting; see target/faultproxy.log")
    if os.path.exists(endpoint_file):
        endpoint = open(endpoint_file).read().strip()
        try:
            urllib.request.urlopen(endpoint + "/__proxy/health", timeout=2).read()
            break
        except OSError:
            pass
    if time.monotonic() > deadline:
        sys.exit("faultproxy: the proxy did not answer within 20 s; see target/faultproxy.log")
    time.sleep(0.05)
PY
cat "$endpoint_file"
