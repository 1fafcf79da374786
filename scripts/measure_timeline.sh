#!/bin/sh
# Medians of 7 runs each: `stepdeck timeline --history FILE` (release build) against Python's
# `json.load` of the same file, and their ratio (the goal is at most 0.25): wall-clock time, and
# CPU time (user + system) which a machine shared with other work disturbs less.
# Usage: scripts/measure_timeline.sh [STEPDECK_BINARY] [HISTORY.json]
set -eu
bin=${1:-target/release/stepdeck}
file=${2:-/tmp/history-25k.json}
[ -f "$file" ] || python3 "$(dirname "$0")/gen_history.py" 25000 "$file"
python3 - "$bin" "$file" <<'PY'
import resource, statistics, subprocess, sys, time
binary, path = sys.argv[1], sys.argv[2]
def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime
def medians(cmd):
    walls, cpus = [], []
    for _ in range(7):
        w, c = time.perf_counter(), cpu()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        walls.append(time.perf_counter() - w)
        cpus.append(cpu() - c)
    return statistics.median(walls), statistics.median(cpus)
ours = medians([binary, "timeline", "--history", path])
python = medians(["python3", "-c", "import json,sys; json.load(open(sys.argv[1]))", path])
for i, what in enumerate(["wall", "cpu"]):
    print(f"{what}: stepdeck timeline {ours[i] * 1000:.1f} ms  python json.load "
          f"{python[i] * 1000:.1f} ms  ratio {ours[i] / python[i]:.3f}")
PY
