#!/bin/sh
# Medians of 7 runs each: `stepdeck timeline --history FILE` (release build) against Python's
# `json.load` of the same file, and their ratio (the goal is at most 0.25).
# Usage: scripts/measure_timeline.sh [STEPDECK_BINARY] [HISTORY.json]
set -eu
bin=${1:-target/release/stepdeck}
file=${2:-/tmp/history-25k.json}
[ -f "$file" ] || python3 "$(dirname "$0")/gen_history.py" 25000 "$file"
python3 - "$bin" "$file" <<'PY'
import statistics, subprocess, sys, time
binary, path = sys.argv[1], sys.argv[2]
def median(cmd):
    times = []
    for _ in range(7):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)
ours = median([binary, "timeline", "--history", path])
python = median(["python3", "-c", "import json,sys; json.load(open(sys.argv[1]))", path])
print(f"stepdeck timeline: {ours * 1000:.1f} ms  python json.load: {python * 1000:.1f} ms  "
      f"ratio {ours / python:.3f}")
PY
