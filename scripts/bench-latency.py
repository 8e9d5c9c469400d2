#!/usr/bin/env python3
"""Daemon figures for issue 6: append→journal latency and CPU use of `ecsdiagd run`.

Driven by scripts/bench-latency.sh (which builds the binary and starts journald); run directly as

    python3 scripts/bench-latency.py --bin .build-bench/release/ecsdiagd --out bench-out

For each rate (default 1 000 and 20 000 lines/s) it starts `ecsdiagd run --config FILE` on an empty followed file,
waits until it is up (its first checkpoint; or READY=1 on a NOTIFY_SOCKET of ours with --ready notify), then appends CloudWatch event lines (the corpus's healthy noise, event
time = wall clock) at that rate. Every --incident-ms it writes an access-denied incident for a service of its own
(`latbench-<run>-<k>`): three denials of one task, 10 ms apart; the third completes the alert condition (threshold
3). The moment that third line's write(2) returned is the incident's start. The journal entry's
__REALTIME_TIMESTAMP (journald's receive time) is its end. Latency = end − start, per incident; p50/p99/max.

CPU: utime+stime of the daemon (all threads) from /proc/PID/stat over --cpu-seconds, once idle (nothing appended, after start)
and once during the 1 000 lines/s run.

The engine releases a signal only when the event-time watermark (largest event time − allowed lateness) has passed
it, so latency includes the allowed lateness: with the default 30 s it is ~30 s by design. The run sets
`[engine] allowed_lateness_seconds` from --lateness (default 0: the daemon's own processing and journal write).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ACCOUNT = "123456789012"
HZ = os.sysconf("SC_CLK_TCK")


def healthy_messages(rng: random.Random, n: int) -> list[bytes]:
    """JSON-escaped message bodies like corpus.py's healthy noise (no literal that makes a signal)."""
    out = []
    for _ in range(n):
        r = rng.random()
        k = rng.randrange(10000, 99999)
        if r < 0.35:
            m = f'INFO:     10.0.0.142:{rng.randrange(30000, 65000)} - \\"GET /orders/{k} HTTP/1.1\\" 200 OK'
        elif r < 0.55:
            m = (f'{{\\"event\\": \\"order fetched\\", \\"id\\": {k}, \\"duration_ms\\": {rng.uniform(1, 120):.1f}, '
                 f'\\"level\\": \\"info\\", \\"request_id\\": \\"{rng.getrandbits(128):032x}\\"}}')
        elif r < 0.75:
            m = f" INFO [nio-8080-exec-{rng.randrange(1, 11)}] c.e.app.web.RequestLogFilter : GET /cart/{k} -> 200 in {rng.randrange(2, 90)} ms"
        elif r < 0.90:
            m = f'level=info msg=\\"cache refreshed\\" cache=prices entries={k} took=0.{rng.randrange(100, 999)}s'
        else:
            m = f"Processed batch {k} with {rng.randrange(1, 500)} records"
        out.append(m.encode())
    return out


def denial(svc: str, tid: str, k: int) -> bytes:
    m = (f"botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the GetObject operation: "
         f"User: arn:aws:sts::{ACCOUNT}:assumed-role/{svc}-task-role/{tid} is not authorized to perform: s3:GetObject "
         f'on resource: \\"arn:aws:s3:::{svc}-data/objects/{k}.json\\" because no identity-based policy allows the '
         f"s3:GetObject action")
    return m.encode()


def line(ts: int, msg: bytes, svc: str, tid: str) -> bytes:
    return (b'{"timestamp":%d,"message":"%s","logStreamName":"ecs/%s/%s","logGroupName":"/ecs/%s","ingestionTime":%d}\n'
            % (ts, msg, svc.encode(), tid.encode(), svc.encode(), ts + 300))


def cpu_seconds(pid: int) -> float:
    """utime+stime of the whole process (all threads, exited ones included) from /proc/PID/stat, in seconds
    (clock-tick resolution: 0.03 % of a core over a 30 s window)."""
    with open(f"/proc/{pid}/stat", "rb") as f:
        fields = f.read().rsplit(b")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / HZ  # utime, stime (fields 14 and 15 of stat(5))


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for l in f:
            if l.startswith("VmHWM:"):
                return int(l.split()[1])
    return 0


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


class Daemon:
    """`ecsdiagd run --config FILE`. Readiness: READY=1 on a NOTIFY_SOCKET of our own (`notify`), or the first
    checkpoint file appearing in the state directory (`checkpoint`, the default: at the time of writing the daemon
    stops following after its first batch when NOTIFY_SOCKET is set)."""

    def __init__(self, binary: str, config: str, workdir: str, state: str, ready_timeout: float, ready: str) -> None:
        self.sock = None
        env = dict(os.environ)
        env.pop("NOTIFY_SOCKET", None)
        if ready == "notify":
            path = os.path.join(workdir, "notify.sock")
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            self.sock.bind(path)
            self.sock.settimeout(0.2)
            env["NOTIFY_SOCKET"] = path
        self.stdout = open(os.path.join(workdir, "daemon.out"), "wb")
        self.stderr = open(os.path.join(workdir, "daemon.err"), "wb")
        self.proc = subprocess.Popen([binary, "run", "--config", config], env=env, stdout=self.stdout,
                                     stderr=self.stderr, stdin=subprocess.DEVNULL)
        self.ready = False
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            if self.sock is not None:
                try:
                    msg = self.sock.recv(4096)
                except socket.timeout:
                    continue
                if b"READY=1" in msg.split(b"\n"):
                    self.ready = True
                    break
            else:
                if any(os.scandir(state)):
                    time.sleep(0.3)
                    self.ready = True
                    break
                time.sleep(0.05)
        if self.proc.poll() is not None:
            raise SystemExit(f"ecsdiagd run exited with {self.proc.returncode}; see {workdir}/daemon.err")
        if not self.ready:
            print(f"  not ready within {ready_timeout:.0f} s; going on", file=sys.stderr)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.sock is not None:
            self.sock.close()
        return self.proc.returncode


def journal_entries(since_us: int) -> list[dict]:
    out = subprocess.run(["journalctl", "-o", "json", "--no-pager", "--since", f"@{since_us / 1e6:.6f}",
                          "SYSLOG_IDENTIFIER=ecsdiagd"], capture_output=True, text=True)
    entries = []
    for l in out.stdout.splitlines():
        try:
            entries.append(json.loads(l))
        except json.JSONDecodeError:
            pass
    return entries


def write_config(path: str, state: str, followed: str, args) -> None:
    with open(path, "w") as f:
        f.write(f'state_directory = "{state}"\n')
        f.write('start_position = "beginning"\n')
        f.write(f"poll_interval_ms = {args.poll_ms}\n")
        f.write(f'\n[[source]]\npath = "{followed}"\n')
        f.write(f"\n[engine]\nallowed_lateness_seconds = {args.lateness}\n")


def run_rate(args, rate: int, seconds: float, measure_idle: bool, measure_cpu: bool) -> dict:
    rng = random.Random(rate)
    work = tempfile.mkdtemp(prefix=f"latbench-{rate}-", dir=args.work)
    followed = os.path.join(work, "app.log")
    state = os.path.join(work, "state")
    os.makedirs(state)
    open(followed, "wb").close()
    config = os.path.join(work, "ecsdiagd.toml")
    write_config(config, state, followed, args)
    res: dict = {"rate": rate, "seconds": seconds, "workdir": work}

    since_us = time.time_ns() // 1000
    d = Daemon(args.bin, config, work, state, args.ready_timeout, args.ready)
    pid = d.proc.pid
    res["ready"] = d.ready
    try:
        time.sleep(1.0)
        if measure_idle:
            c0, t0 = cpu_seconds(pid), time.monotonic()
            time.sleep(args.cpu_seconds)
            c1, t1 = cpu_seconds(pid), time.monotonic()
            res["idle_cpu_percent"] = 100.0 * (c1 - c0) / (t1 - t0)

        msgs = healthy_messages(rng, 2000)
        tasks = [f"{rng.getrandbits(128):032x}" for _ in range(args.tasks)]
        svcs = [f"svc-{i % 16}" for i in range(args.tasks)]
        fd = os.open(followed, os.O_WRONLY | os.O_APPEND)
        incidents: dict[str, int] = {}      # service -> ns when the completing line's write returned
        pending: list[tuple[int, int, bytes, str]] = []   # (due ns, step, line, svc)
        start_ns = time.time_ns()
        end_ns = start_ns + int(seconds * 1e9)
        next_incident = start_ns + int(args.warmup * 1e9)
        k = 0
        written = 0
        cpu_window = None
        if measure_cpu:
            cpu_window = [start_ns + int(args.warmup * 1e9), None, None, None]
        while True:
            now = time.time_ns()
            if now >= end_ns:
                break
            due = int((now - start_ns) * rate / 1e9) - written
            ms = now // 1_000_000
            buf = []
            for _ in range(max(due, 0)):
                i = rng.randrange(len(tasks))
                buf.append(line(ms, msgs[rng.randrange(len(msgs))], svcs[i], tasks[i]))
            if now >= next_incident:
                svc = f"latbench-{rate}-{k}"
                tid = f"{rng.getrandbits(128):032x}"
                for step in range(3):
                    pending.append((now + step * 10_000_000, step, b"", svc + " " + tid))
                k += 1
                next_incident += int(args.incident_ms * 1e6)
            completing = []
            keep = []
            for (when, step, _, st) in pending:
                if when <= now:
                    svc, tid = st.split(" ")
                    buf.append(line(ms, denial(svc, tid, step), svc, tid))
                    if step == 2:
                        completing.append(svc)
                else:
                    keep.append((when, step, b"", st))
            pending = keep
            if buf:
                data = b"".join(buf)
                view = memoryview(data)
                while view:
                    n = os.write(fd, view)
                    view = view[n:]
                t_done = time.time_ns()
                for svc in completing:
                    incidents[svc] = t_done
                written += max(due, 0)
            if cpu_window is not None:
                if cpu_window[1] is None and now >= cpu_window[0]:
                    cpu_window[1] = cpu_seconds(pid)
                    cpu_window[0] = time.monotonic()
                elif cpu_window[1] is not None and cpu_window[2] is None and \
                        time.monotonic() - cpu_window[0] >= args.cpu_seconds:
                    cpu_window[2] = cpu_seconds(pid)
                    cpu_window[3] = time.monotonic()
            time.sleep(0.0005)
        os.close(fd)
        elapsed = (time.time_ns() - start_ns) / 1e9
        res["lines"] = written
        res["achieved_rate"] = written / elapsed
        if cpu_window is not None and cpu_window[2] is not None:
            res["cpu_percent"] = 100.0 * (cpu_window[2] - cpu_window[1]) / (cpu_window[3] - cpu_window[0])
            res["cpu_window_s"] = cpu_window[3] - cpu_window[0]
        # Keep the stream going briefly so the watermark passes the last incidents, then let the daemon settle.
        time.sleep(args.settle)
        res["daemon_peak_rss_kib"] = rss_kib(pid)
        res["daemon_cpu_total_s"] = cpu_seconds(pid)
    finally:
        res["exit"] = d.stop()

    entries = journal_entries(since_us)
    firing = {}
    for e in entries:
        if e.get("ECSDIAG_STATUS") == "firing" and e.get("ECSDIAG_RULE") == "access-denied":
            svc = e.get("ECSDIAG_SERVICE", "")
            if svc in incidents and svc not in firing:
                firing[svc] = int(e["__REALTIME_TIMESTAMP"])
    lat = [(firing[s] - incidents[s] // 1000) / 1000.0 for s in incidents if s in firing]
    res["incidents"] = len(incidents)
    res["alerts_found"] = len(lat)
    res["journal_entries"] = len(entries)
    if lat:
        res["p50_ms"] = percentile(lat, 50)
        res["p99_ms"] = percentile(lat, 99)
        res["max_ms"] = max(lat)
        res["mean_ms"] = statistics.fmean(lat)
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--out", default="bench-out")
    ap.add_argument("--work", default=None, help="scratch directory (default: OUT/latency)")
    ap.add_argument("--rates", default="1000,20000")
    ap.add_argument("--seconds", type=float, default=40.0, help="append duration per rate")
    ap.add_argument("--warmup", type=float, default=2.0, help="seconds of plain lines before the first incident")
    ap.add_argument("--incident-ms", type=float, default=250.0, help="one incident every this many ms")
    ap.add_argument("--cpu-seconds", type=float, default=30.0)
    ap.add_argument("--settle", type=float, default=3.0)
    ap.add_argument("--tasks", type=int, default=1000)
    ap.add_argument("--lateness", type=float, default=0.0, help="[engine] allowed_lateness_seconds")
    ap.add_argument("--poll-ms", type=int, default=1000, help="poll_interval_ms (inotify should wake earlier)")
    ap.add_argument("--ready-timeout", type=float, default=20.0)
    ap.add_argument("--ready", choices=["checkpoint", "notify"], default="checkpoint",
                    help="how to tell the daemon is up: its first checkpoint file, or READY=1 on a NOTIFY_SOCKET")
    args = ap.parse_args()
    args.work = os.path.abspath(args.work or os.path.join(args.out, "latency"))
    os.makedirs(args.work, exist_ok=True)

    results = []
    rates = [int(r) for r in args.rates.split(",") if r]
    for i, rate in enumerate(rates):
        print(f"bench-latency: {rate} lines/s for {args.seconds:.0f} s", file=sys.stderr)
        r = run_rate(args, rate, args.seconds, measure_idle=(i == 0), measure_cpu=(rate == 1000))
        print("bench-latency: " + json.dumps(r), file=sys.stderr)
        results.append(r)

    md = ["## ecsdiagd daemon latency and CPU", "",
          f"`ecsdiagd run`, one followed file, `allowed_lateness_seconds = {args.lateness:g}`, "
          f"`poll_interval_ms = {args.poll_ms}`; one access-denied incident every {args.incident_ms:g} ms, "
          "latency from the completing line's write(2) to journald's receive time of the firing entry.", "",
          "| rate (lines/s) | achieved | incidents | alerts found | p50 ms | p99 ms | max ms | daemon CPU % | peak RSS MiB |",
          "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        f = lambda k: f"{r[k]:.1f}" if k in r else "–"
        md.append(f"| {r['rate']:,} | {r.get('achieved_rate', 0):,.0f} | {r.get('incidents', 0)} | "
                  f"{r.get('alerts_found', 0)} | {f('p50_ms')} | {f('p99_ms')} | {f('max_ms')} | {f('cpu_percent')} | "
                  f"{r.get('daemon_peak_rss_kib', 0) / 1024:.1f} |")
    for r in results:
        if r.get("alerts_found", 0) < r.get("incidents", 0):
            md.append("")
            md.append(f"Warning: at {r['rate']:,} lines/s only {r.get('alerts_found', 0)} of {r['incidents']} incidents reached "
                      f"the journal (daemon output in {r['workdir']}).")
        if r.get("exit") not in (0, None):
            md.append("")
            md.append(f"Note: at {r['rate']:,} lines/s the daemon did not exit 0 on SIGTERM within 15 s (status {r['exit']}).")
    idle = next((r["idle_cpu_percent"] for r in results if "idle_cpu_percent" in r), None)
    if idle is not None:
        md.append("")
        md.append(f"Idle CPU (nothing appended, {args.cpu_seconds:g} s): {idle:.2f} % of a core.")
    md.append("")
    hi = next((r for r in results if r["rate"] == 20000), None)
    lo = next((r for r in results if r["rate"] == 1000), None)
    if hi and "p99_ms" in hi:
        md.append(f"- [{'x' if hi['p99_ms'] <= 100 else ' '}] p99 ≤ 100 ms at 20 000 lines/s: {hi['p99_ms']:.1f} ms")
    if lo and "cpu_percent" in lo:
        md.append(f"- [{'x' if lo['cpu_percent'] <= 5 else ' '}] ≤ 5 % of a core at 1 000 lines/s: {lo['cpu_percent']:.2f} %")
    text = "\n".join(md) + "\n"
    with open(os.path.join(args.out, "latency.md"), "w") as f:
        f.write(text)
    with open(os.path.join(args.out, "latency.json"), "w") as f:
        json.dump(results, f, indent=2)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
