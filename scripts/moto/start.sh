#!/usr/bin/env bash
# Starts moto server (the AWS emulator the integration tests run against) on 127.0.0.1, in the
# background, with stepdeck's Rekognition face-collection extension loaded (see serve.py).
# Creates the virtualenv target/moto-venv from requirements.txt when missing or outdated, so
# it works on a fresh machine with nothing but python3.
# Writes the endpoint URL to target/moto.endpoint and the pid to target/moto.pid, prints the
# endpoint. Stop it with scripts/moto/stop.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."

here=scripts/moto
venv=target/moto-venv
endpoint_file=target/moto.endpoint
pid_file=target/moto.pid
log_file=target/moto.log
mkdir -p target

# (Re)install when the requirements changed since the venv was made.
stamp="$venv/.requirements.sha256"
wanted=$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)
if [[ ! -x "$venv/bin/python" || "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]]; then
    echo "moto: installing $(grep -v '^#' "$here/requirements.txt" | xargs) into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        -r "$here/requirements.txt"
    echo "$wanted" > "$stamp"
fi

# A server left over from an interrupted run would hold stale state: replace it.
"$here/stop.sh" >/dev/null 2>&1 || true
rm -f "$endpoint_file"

# Requests are recorded only between /moto-api/recorder/start-recording and stop-recording
# (the tests count what the server received); keep the recording inside target/.
MOTO_RECORDER_FILEPATH=target/moto-recording.jsonl \
    "$venv/bin/python" "$here/serve.py" "$endpoint_file" > "$log_file" 2>&1 &
echo $! > "$pid_file"

# Wait until it answers, then make moto really run state machines (without this every
# execution history is a fixed four-event fake) and keep Lambda out of Docker.
"$venv/bin/python" - "$endpoint_file" "$pid_file" <<'PY'
import json, os, sys, time, urllib.request
endpoint_file, pid_file = sys.argv[1], sys.argv[2]
pid = int(open(pid_file).read())
deadline = time.monotonic() + 60
while True:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        sys.exit("moto: the server exited while starting; see target/moto.log")
    if os.path.exists(endpoint_file):
        endpoint = open(endpoint_file).read().strip()
        try:
            urllib.request.urlopen(endpoint + "/moto-api/data.json", timeout=2).read()
            break
        except OSError:
            pass
    if time.monotonic() > deadline:
        sys.exit("moto: the server did not answer within 60 s; see target/moto.log")
    time.sleep(0.1)
config = {"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}
request = urllib.request.Request(
    endpoint + "/moto-api/config",
    data=json.dumps(config).encode(),
    headers={"Content-Type": "application/json"},
    method="POST",
)
urllib.request.urlopen(request, timeout=10).read()
PY
cat "$endpoint_file"
