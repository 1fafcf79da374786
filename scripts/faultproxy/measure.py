"""Measures what the console costs a busy account, as issue #12's closing figures ask: the real
`stepdeck` binary in a pseudo-terminal, against moto through the fault-injecting proxy, its
calls counted by the proxy.

Usage (moto and the proxy running, e.g. from scripts/moto/start.sh and scripts/faultproxy/
start.sh; the moto venv's python has boto3):
    target/moto-venv/bin/python scripts/faultproxy/measure.py idle  [--minutes 5]
    target/moto-venv/bin/python scripts/faultproxy/measure.py storm [--before 30 --storm 60]
    target/moto-venv/bin/python scripts/faultproxy/measure.py scroll [--rows 1000]
    target/moto-venv/bin/python scripts/faultproxy/measure.py scale [--faces 100000
        --objects 100000 --idle 60]   (seeds moto in-process, scripts/moto/stepdeck_seed.py)
    target/moto-venv/bin/python scripts/faultproxy/measure.py lookalike [--faces 100000
        --group 100]   (a fresh moto: it seeds the same collection)
Each runs target/release/stepdeck unless `--binary PATH` says otherwise.
Prints the figures as plain lines. Not part of the test suite: each scenario runs for minutes
of real time, which is what the figures are about.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import select
import signal
import struct
import sys
import tempfile
import termios
import time
import urllib.request
import uuid

import boto3

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The console measured: the release build users run (`--binary` picks another).
BINARY = os.path.join(ROOT, "target", "release", "stepdeck")
REGION = "us-east-1"
ROLE = "arn:aws:iam::123456789012:role/stepdeck-measure"
PASS_MACHINE = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
# Published refill rates per second in us-east-1 (src/backend/aws/quotas.rs; Step Functions
# service quotas, "Quotas related to API action throttling").
REFILL = {
    "DescribeExecution": 15,
    "ListExecutions": 5,
    "GetExecutionHistory": 20,
    "ListStateMachines": 5,
    "DescribeStateMachine": 20,
}


def endpoint(name: str) -> str:
    with open(os.path.join(ROOT, "target", name)) as f:
        return f.read().strip()


def proxy_call(proxy: str, method: str, path: str, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(proxy + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        text = answer.read()
    return json.loads(text) if text else None


def sfn(url: str):
    return boto3.client("stepfunctions", endpoint_url=url, region_name=REGION,
                        aws_access_key_id="AKIAMEASURE", aws_secret_access_key="measure")


def machine_with_runs(moto: str, runs: int) -> str:
    """A Pass state machine with `runs` finished executions; its name."""
    client = sfn(moto)
    name = f"Measure{uuid.uuid4().hex[:8]}"
    arn = client.create_state_machine(name=name, definition=PASS_MACHINE, roleArn=ROLE)[
        "stateMachineArn"]
    for i in range(runs):
        client.start_execution(stateMachineArn=arn, name=f"run-{i:05d}",
                               input=json.dumps({"userId": f"user_{i:05d}"}))
    deadline = time.time() + 120
    while time.time() < deadline:
        running = client.list_executions(stateMachineArn=arn, statusFilter="RUNNING",
                                         maxResults=1)["executions"]
        if not running:
            break
        time.sleep(0.5)
    return name


class Console:
    """The stepdeck binary in a pty; its output is drained so it never blocks."""

    def __init__(self, proxy: str, machine: str, cols=160, rows=45, settings_extra=""):
        home = tempfile.mkdtemp(prefix="stepdeck-measure-")
        binary = BINARY
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": home,
            "TERM": "xterm-256color",
            "AWS_ACCESS_KEY_ID": "AKIAMEASURE",
            "AWS_SECRET_ACCESS_KEY": "measure",
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": os.path.join(home, "config"),
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, "credentials"),
        }
        settings = os.path.join(home, "config.toml")
        with open(settings, "w") as f:
            f.write(f'journal_path = "{home}/deletions.jsonl"\n{settings_extra}')
        argv = [binary, "--endpoint-url", proxy, "--region", REGION,
                "--state-machine", machine, "--config", settings]
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(binary, argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.screen = b""

    def pump(self, seconds: float):
        end = time.time() + seconds
        while (left := end - time.time()) > 0:
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.2))
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    return
                self.screen = (self.screen + chunk)[-200_000:]

    def keys(self, text: str, every: float = 0.05):
        for ch in text:
            os.write(self.fd, ch.encode())
            self.pump(every)

    def wait_for(self, keys: str, marker: bytes, timeout: float = 120) -> float | None:
        """Sends `keys` and reads until `marker` is drawn; the seconds it took (None: not
        within `timeout`)."""
        started = time.monotonic()
        for ch in keys:
            os.write(self.fd, ch.encode())
        seen = b""
        while (left := started + timeout - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.2))
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    return None
                seen = seen[-len(marker):] + chunk
                self.screen = (self.screen + chunk)[-200_000:]
                if marker in seen:
                    return time.monotonic() - started
        return None

    def cpu_seconds(self) -> float:
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def status(self, field: str) -> str:
        with open(f"/proc/{self.pid}/status") as f:
            return next(line.split(":", 1)[1].strip() for line in f
                        if line.startswith(field + ":"))

    def quit(self):
        try:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


def calls_between(stats, api: str, start: float, end: float, ok_only=False) -> int:
    times = stats["calls"].get(api, [])
    faulted = {t for t, _ in stats["faulted"].get(api, [])} if ok_only else set()
    return sum(1 for t in times if start <= t < end and t not in faulted)


def all_calls_between(stats, start: float, end: float) -> int:
    return sum(calls_between(stats, api, start, end) for api in stats["calls"])


def idle(args, moto, proxy):
    machine = machine_with_runs(moto, 20)
    proxy_call(proxy, "POST", "/__proxy/reset")
    console = Console(proxy, machine)
    console.pump(20)  # the start: listing, describes of the rows on screen
    start = proxy_call(proxy, "GET", "/__proxy/stats")["now"]
    console.pump(args.minutes * 60)
    stats = proxy_call(proxy, "GET", "/__proxy/stats")
    console.quit()
    end = stats["now"]
    last = max(start, end - 60)
    print(f"idle console, nothing running, no key for {args.minutes} min "
          f"(measured after a 20 s start):")
    total = all_calls_between(stats, start, end)
    print(f"  all APIs: {total} calls in {end - start:.0f} s = "
          f"{total / (end - start) * 60:.1f} calls/min; in the last minute "
          f"{all_calls_between(stats, last, end)}")
    for api in sorted(stats["calls"]):
        n = calls_between(stats, api, last, end)
        refill = REFILL.get(api)
        share = f"{n / 60 / refill * 100:.3f} % of its {refill}/s refill" if refill else ""
        print(f"  {api}: {n} calls in the last minute {share}")


def storm(args, moto, proxy):
    machine = machine_with_runs(moto, 20)
    proxy_call(proxy, "POST", "/__proxy/reset")
    console = Console(proxy, machine)
    console.pump(10)
    t0 = proxy_call(proxy, "GET", "/__proxy/stats")["now"]
    console.pump(args.before)
    proxy_call(proxy, "POST", "/__proxy/faults",
               [{"api": "*", "fault": "throttle", "seconds": args.storm}])
    t1 = proxy_call(proxy, "GET", "/__proxy/stats")["now"]
    console.pump(args.storm)
    t2 = proxy_call(proxy, "GET", "/__proxy/stats")["now"]
    proxy_call(proxy, "DELETE", "/__proxy/faults")
    console.pump(30)
    stats = proxy_call(proxy, "GET", "/__proxy/stats")
    console.quit()
    before = all_calls_between(stats, t0, t1) / (t1 - t0)
    during = all_calls_between(stats, t1, t2) / (t2 - t1)
    oks = [t for t in stats["calls"].get("ListExecutions", []) if t >= t2]
    faulted = {t for t, _ in stats["faulted"].get("ListExecutions", [])}
    first_ok = next((t for t in oks if t not in faulted), None)
    print(f"throttling storm on every API for {args.storm} s:")
    print(f"  request rate before {before:.2f}/s, during {during:.2f}/s "
          f"= {during / before:.2f}x" if before else "  no calls before the storm")
    print("  first answered ListExecutions after the storm: " +
          (f"{first_ok - t2:.1f} s" if first_ok else "none within 30 s"))


def scroll(args, moto, proxy):
    machine = machine_with_runs(moto, args.rows)
    proxy_call(proxy, "POST", "/__proxy/reset")
    console = Console(proxy, machine)
    console.pump(15)
    start = proxy_call(proxy, "GET", "/__proxy/stats")["now"]
    console.keys("j" * args.keys, every=args.every)
    console.keys("G", every=0.1)
    console.pump(10)
    stats = proxy_call(proxy, "GET", "/__proxy/stats")
    console.quit()
    times = [t for t in stats["calls"].get("DescribeExecution", []) if t >= start]
    worst = max((sum(1 for u in times if t <= u < t + 10) for t in times), default=0)
    span = stats["now"] - start
    print(f"scrolling {args.keys} rows down a list of {args.rows} (a key every {args.every} s), "
          f"then G: {len(times)} DescribeExecution in {span:.0f} s; "
          f"worst 10 s window {worst} = {worst / 10:.1f}/s")


def scale(args, moto, proxy):
    """Issue #17's figures: moto seeded in-process with many faces and objects, the console's
    first rows on each screen, a minute idle on each (calls, CPU), `G` on the thumbnails to
    the end, a re-sort, and the peak RSS."""
    bucket = "scale-thumbnails3bucket-1abc"
    seed = os.path.join(ROOT, "scripts", "moto", "seed_scale.py")
    started = time.monotonic()
    os.spawnv(os.P_WAIT, sys.executable, [sys.executable, seed, "--faces", str(args.faces),
                                          "--objects", str(args.objects), "--bucket", bucket])
    print(f"seeding in all: {time.monotonic() - started:.1f} s")
    machine = machine_with_runs(moto, 3)
    console = Console(proxy, machine, settings_extra=(
        f'thumbnail_bucket = "{bucket}"\ncollection = "rider-photos"\n'))
    console.pump(10)

    def stats():
        return proxy_call(proxy, "GET", "/__proxy/stats")

    def idle_minute(screen: str):
        console.pump(5)
        t0, cpu0 = stats()["now"], console.cpu_seconds()
        console.pump(args.idle)
        after = stats()
        t1, cpu1 = after["now"], console.cpu_seconds()
        per_api = {api: calls_between(after, api, t0, t1) for api in after["calls"]}
        per_api = {api: n for api, n in per_api.items() if n}
        print(f"{screen}: idle {t1 - t0:.0f} s: {sum(per_api.values())} calls {per_api}, "
              f"CPU {cpu1 - cpu0:.2f} s = {(cpu1 - cpu0) / (t1 - t0) * 100:.2f} %, "
              f"RSS {console.status('VmRSS')}")

    took = console.wait_for("gt", b"photo-0")
    print(f"thumbnails g t -> first rows: {took * 1000:.0f} ms" if took else
          "thumbnails g t: no rows within 120 s")
    t0 = stats()["now"]
    console.keys("2", every=0.1)
    console.pump(10)
    print(f"thumbnails 2 (sort by size) with the first page: "
          f"{calls_between(stats(), 'ListObjectsV2', t0, stats()['now'])} ListObjectsV2 in 10 s")
    idle_minute("thumbnails")
    took = console.wait_for("gf", b"user_0")
    print(f"faces g f -> first rows: {took * 1000:.0f} ms" if took else
          "faces g f: no rows within 120 s")
    idle_minute("faces")

    def pages_until_quiet(keys: str, api="ListObjectsV2", quiet=5) -> tuple[int, float, float]:
        """Sends `keys`; `api` calls until none for `quiet` s, their seconds, console CPU."""
        t0, cpu0 = stats()["now"], console.cpu_seconds()
        console.keys(keys, every=0.1)
        last, count = time.time(), 0
        while time.time() - last < quiet:
            console.pump(1)
            now = calls_between(stats(), api, t0, float("inf"))
            if now != count:
                count, last = now, time.time()
        return count, stats()["now"] - t0 - quiet, console.cpu_seconds() - cpu0

    # Faces: `D` (duplicates only) needs every face: the whole collection loads, paced by the
    # ListFaces budget (0.5/s at the default share), 4,096 a call.
    console.keys("gf", every=0.5)
    count, seconds, cpu = pages_until_quiet("D", api="ListFaces", quiet=12)
    print(f"faces D to fully loaded: {count} ListFaces in {seconds:.1f} s, console CPU {cpu:.2f} s")
    for key in ("j", "j", "]", "]", "k"):
        console.pump(1)
        took = console.wait_for(key, b"\x1b[", timeout=30)
        print(f"faces {key} with {args.faces:,} loaded: drawn in "
              + (f"{took * 1000:.0f} ms" if took is not None else "(not seen)"))
    idle_minute("faces, everything loaded")
    print(f"peak RSS (VmHWM) with {args.faces:,} faces loaded: {console.status('VmHWM')}")
    console.wait_for("gt", b"photo-0", timeout=10)

    # A narrow filter (the last 100 keys of the bucket) with the first page loaded: typing
    # reads nothing, Enter reads a bounded number of pages.
    t0 = stats()["now"]
    console.keys("/photo-0999", every=0.1)
    console.pump(5)
    typed = calls_between(stats(), "ListObjectsV2", t0, float("inf"))
    count, seconds, cpu = pages_until_quiet("\r")
    print(f"thumbnails /photo-0999 typed: {typed} ListObjectsV2; Enter: {count} ListObjectsV2 "
          f"in {seconds:.1f} s, console CPU {cpu:.2f} s")
    console.keys("\x1b", every=0.5)  # Esc clears the filter
    count, seconds, cpu = pages_until_quiet("G")
    print(f"thumbnails G to the end: {count} ListObjectsV2 in {seconds:.1f} s, "
          f"console CPU {cpu:.2f} s")
    # The frame after a key is drawn once the key was handled: its first bytes say when.
    # Output left from an earlier frame is drained first; CPU is counted over 1 s after it.
    for key in ("2", "2", "j", "j", "j", "k"):
        console.pump(1)
        cpu0 = console.cpu_seconds()
        took = console.wait_for(key, b"\x1b[", timeout=30)
        console.pump(1)
        print(f"thumbnails {key} with {args.objects:,} loaded: drawn in "
              + (f"{took * 1000:.0f} ms" if took is not None else "(not seen)")
              + f", console CPU in the next second {console.cpu_seconds() - cpu0:.2f} s")
    print(f"peak RSS (VmHWM) with {args.faces:,} faces and {args.objects:,} objects loaded: "
          f"{console.status('VmHWM')}")
    console.quit()


def lookalike(args, moto, proxy):
    """`L` on a large duplicate group: the collection seeded with `--faces` faces of
    `--faces / --group` riders (each rider's faces one group), every face loaded (`D`), one
    rider's group filtered (`/user_000007`), then `L` searches the faces shown; SearchFaces calls until 12 s pass without one,
    their seconds and the console's CPU."""
    seed = os.path.join(ROOT, "scripts", "moto", "seed_scale.py")
    os.spawnv(os.P_WAIT, sys.executable, [sys.executable, seed, "--faces", str(args.faces),
                                          "--objects", "0", "--users",
                                          str(max(1, args.faces // args.group))])
    machine = machine_with_runs(moto, 1)
    console = Console(proxy, machine, settings_extra='collection = "rider-photos"\n')
    console.pump(5)
    console.keys("gf", every=0.5)
    console.pump(5)

    def stats():
        return proxy_call(proxy, "GET", "/__proxy/stats")

    def until_quiet(keys: str, api: str, quiet=12) -> tuple[int, float, float]:
        t0, cpu0 = stats()["now"], console.cpu_seconds()
        console.keys(keys, every=0.1)
        last, count = time.time(), 0
        while time.time() - last < quiet:
            console.pump(1)
            now = calls_between(stats(), api, t0, float("inf"))
            if now != count:
                count, last = now, time.time()
        return count, stats()["now"] - t0 - quiet, console.cpu_seconds() - cpu0

    count, seconds, cpu = until_quiet("D", "ListFaces")
    print(f"faces D to fully loaded ({args.faces:,} faces, groups of {args.group}): "
          f"{count} ListFaces in {seconds:.1f} s, console CPU {cpu:.2f} s")
    # One rider's faces (the seed names riders user_000000, user_000001, …): one group.
    console.keys("/user_000007\r", every=0.1)
    console.pump(2)
    count, seconds, cpu = until_quiet("L", "SearchFaces")
    print(f"L on a {args.group}-face group: {count} SearchFaces in {seconds:.1f} s, "
          f"console CPU {cpu:.2f} s")
    console.quit()


def main():
    global BINARY
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=["idle", "storm", "scroll", "scale", "lookalike"])
    parser.add_argument("--binary", default=BINARY)
    parser.add_argument("--group", type=int, default=100)
    parser.add_argument("--faces", type=int, default=100_000)
    parser.add_argument("--objects", type=int, default=100_000)
    parser.add_argument("--idle", type=float, default=60)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--before", type=float, default=30)
    parser.add_argument("--storm", type=float, default=60)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--keys", type=int, default=300)
    parser.add_argument("--every", type=float, default=0.05)
    args = parser.parse_args()
    BINARY = args.binary
    moto, proxy = endpoint("moto.endpoint"), endpoint("faultproxy.endpoint")
    {"idle": idle, "storm": storm, "scroll": scroll, "scale": scale,
     "lookalike": lookalike}[args.scenario](
        args, moto, proxy)


if __name__ == "__main__":
    sys.exit(main())
