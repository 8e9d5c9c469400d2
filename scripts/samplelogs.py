#!/usr/bin/env python3
"""Generate SampleLogs/ and Tests/LogDecodingTests/Fixtures/ for ecsdiagd.

    python3 scripts/samplelogs.py              # regenerate both trees
    python3 scripts/samplelogs.py --check      # regenerate, then print the oracle report

Everything here is deterministic: fixed seeds, fixed timestamps (2026-11-20, UTC), no
wall clock, gzip members written with mtime=0 and an empty FNAME field, JSON written
with a fixed key order. Running it twice gives byte-identical trees.

Only SampleLogs/README.md, SampleLogs/formats/, SampleLogs/scenarios/ and
Tests/LogDecodingTests/Fixtures/ are (re)written.

The shapes follow ../shared/reference/aws-formats.md (section numbers are cited as §x.y).
Each scenario also carries a tiny Python "oracle" that applies the rule defaults of the
engine (access-denied >=3 in 5 min, restart-loop >=3 of one class in 15 min, saturation
>=90 % or p90 >= 10 s sustained 5 min, missing-logs 5 min silence / logger failure) to the
ground-truth facts recorded while generating; its results are written into each
scenario's expected.md so the prose and the data can't drift apart.

Python 3.11 standard library only.
"""
from __future__ import annotations

import argparse
import base64
import dataclasses
import gzip
import hashlib
import io
import json
import os
import random
import shutil
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "SampleLogs"
FIXTURE_DIR = ROOT / "Tests" / "LogDecodingTests" / "Fixtures"

UTC = timezone.utc
DAY0 = datetime(2026, 11, 20, tzinfo=UTC)
DAY0_MS = int(DAY0.timestamp() * 1000)
LOCAL_OFFSET = timedelta(hours=-7)  # the on-call laptop: America/Denver (MST, -07:00 in November)

# Rule defaults the engine uses (mirrored by the oracle below).
DENIAL_THRESHOLD, DENIAL_WINDOW_MS = 3, 5 * 60_000
FAILURE_THRESHOLD, FAILURE_WINDOW_MS = 3, 15 * 60_000
SATURATION_PCT, LATENCY_S, SUSTAIN_MS = 90.0, 10.0, 5 * 60_000
SILENCE_MS = 5 * 60_000
LATENESS_MS = 30_000


# ----------------------------------------------------------------------------------------
# time helpers
# ----------------------------------------------------------------------------------------

def T(h: int, m: int = 0, s: float = 0.0) -> int:
    """Epoch milliseconds for 2026-11-20 h:m:s UTC (s may be fractional)."""
    return DAY0_MS + (h * 3600 + m * 60) * 1000 + int(round(s * 1000))


def dt(ts: int) -> datetime:
    return datetime.fromtimestamp(ts / 1000, tz=UTC)


def iso_ms(ts: int) -> str:
    """2026-11-20T09:14:03.120Z (EventBridge detail timestamps, S3 export lines)."""
    return dt(ts).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts % 1000:03d}Z"


def iso_s(ts: int) -> str:
    """2026-11-20T09:14:03Z (EventBridge envelope `time`)."""
    return dt(ts).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_tail(ts: int) -> str:
    """`aws logs tail --format detailed`: isoformat(timespec='microseconds') in UTC."""
    return dt(ts).isoformat(timespec="microseconds")


def iso_tail_json(ts: int) -> str:
    """`aws logs tail --format json`: plain isoformat() (drops .000000 when ms == 0)."""
    return dt(ts).isoformat()


def iso_local(ts: int) -> str:
    """CLI v2 renders service-event createdAt in the laptop's zone with microseconds."""
    local = dt(ts).astimezone(timezone(LOCAL_OFFSET))
    return local.isoformat(timespec="microseconds")


def hms(ts: int) -> str:
    return dt(ts).strftime("%H:%M:%S.") + f"{ts % 1000:03d}"


def clf_time(ts: int) -> str:
    """Common log format time: 20/Nov/2026:10:00:06 +0000."""
    return dt(ts).strftime("%d/%b/%Y:%H:%M:%S +0000")


def epoch_float_text(ts: int) -> str:
    """CLI v1 epoch seconds as a float literal (1795165243.12)."""
    return repr(ts / 1000)


def epoch_exp_text(ts: int) -> str:
    """Raw API / Java SDK dump: 1.795165243123E9 (§1.1)."""
    digits = str(ts)  # 13 digits, ms precision
    mant = (digits[0] + "." + digits[1:]).rstrip("0").rstrip(".")
    if "." not in mant:
        mant += ".0"
    return f"{mant}E9"


# ----------------------------------------------------------------------------------------
# io helpers (deterministic bytes)
# ----------------------------------------------------------------------------------------

def gz(data: bytes, level: int = 6) -> bytes:
    """One gzip member, mtime=0, empty FNAME: identical bytes on every run."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=level) as f:
        f.write(data)
    return buf.getvalue()


def write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def j_pretty(obj: Any) -> str:
    """AWS CLI v2 --output json: 4-space indent."""
    return json.dumps(obj, indent=4, ensure_ascii=False) + "\n"


def j_compact(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def j_spaced(obj: Any) -> str:
    """json.dumps defaults (", " / ": "), as Python apps and `jq -c`-less exports print it."""
    return json.dumps(obj, ensure_ascii=False)


RAWNUM = "@@RAWNUM@@"


def raw_number(text: str) -> str:
    """Placeholder for a number literal json can't print (1.795165243123E9)."""
    return RAWNUM + text


def with_raw_numbers(text: str) -> str:
    import re
    return re.sub('"' + RAWNUM + r'([^"]+)"', r"\1", text)


# ----------------------------------------------------------------------------------------
# deterministic ids
# ----------------------------------------------------------------------------------------

class Ids:
    """All random-looking identifiers come from one seeded RNG per bundle."""

    def __init__(self, seed: str):
        self.rng = random.Random(seed)

    def hex(self, n: int) -> str:
        return f"{self.rng.getrandbits(n * 4):0{n}x}"

    def task_id(self) -> str:
        return self.hex(32)

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def digits(self, n: int) -> str:
        return "".join(str(self.rng.randrange(10)) for _ in range(n))

    def deployment_id(self) -> str:
        return "ecs-svc/" + str(self.rng.randrange(1, 9)) + self.digits(18)

    def event_id(self) -> str:
        # CloudWatch eventIds are 56 decimal digits (§3.2)
        return self.digits(56)

    def request_id(self) -> str:
        return self.hex(16).upper()

    def amz_request_id(self) -> str:
        return self.uuid()

    def s3_ext_id(self) -> str:
        raw = self.rng.getrandbits(8 * 56).to_bytes(56, "big")
        return base64.b64encode(raw).decode()

    def trace_id(self, ts: int) -> str:
        return f"Root=1-{ts // 1000:08x}-{self.hex(24)}"

    def ip(self, subnet: str) -> str:
        return f"{subnet}.{self.rng.randrange(10, 250)}"

    def public_ip(self) -> str:
        block = self.rng.choice(["198.51.100", "203.0.113", "192.0.2"])
        return f"{block}.{self.rng.randrange(2, 254)}"


# ----------------------------------------------------------------------------------------
# identity
# ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Identity:
    service: str = "orders-api"
    container: str = "orders-api"
    family: str = "orders-api"
    cluster: str = "prod"
    region: str = "eu-west-1"
    account: str = "123456789012"
    task_role: str | None = "orders-task-role"
    execution_role: str = "orders-api-ExecutionRole-1A2B3C4D5E6F"
    instance_role: str = "prod-ecs-EC2InstanceRole-cq4KLVh142Ez"
    target_group: str = ("arn:aws:elasticloadbalancing:eu-west-1:123456789012:"
                         "targetgroup/orders-api/73e2d6bc24d8a067")
    load_balancer: str = "app/orders-alb/50dc6c495c0c9188"
    port: int = 8080
    image: str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api"
    launch_type: str = "FARGATE"

    @property
    def log_group(self) -> str:
        return f"/ecs/{self.service}"

    def stream(self, task_id: str) -> str:
        return f"ecs/{self.container}/{task_id}"

    @property
    def cluster_arn(self) -> str:
        return f"arn:aws:ecs:{self.region}:{self.account}:cluster/{self.cluster}"

    @property
    def service_arn(self) -> str:
        return f"arn:aws:ecs:{self.region}:{self.account}:service/{self.cluster}/{self.service}"

    @property
    def service_arn_old(self) -> str:
        return f"arn:aws:ecs:{self.region}:{self.account}:service/{self.service}"

    def task_arn(self, task_id: str) -> str:
        return f"arn:aws:ecs:{self.region}:{self.account}:task/{self.cluster}/{task_id}"

    def taskdef_arn(self, rev: int) -> str:
        return f"arn:aws:ecs:{self.region}:{self.account}:task-definition/{self.family}:{rev}"

    def role_arn(self, name: str) -> str:
        return f"arn:aws:iam::{self.account}:role/{name}"

    def session_arn(self, role: str, session: str) -> str:
        return f"arn:aws:sts::{self.account}:assumed-role/{role}/{session}"

    @property
    def tg_short(self) -> str:
        return self.target_group.split(":")[-1]

    def but(self, **kw: Any) -> "Identity":
        return dataclasses.replace(self, **kw)


ORDERS = Identity()
INVOICE_BUCKET = "orders-invoices"
ALB_NODES = ("10.0.0.142", "10.0.1.87")          # ALB node private IPs (health checks come from here)
CERT_ARN = "arn:aws:acm:eu-west-1:123456789012:certificate/9c1e4a2b-7d3f-4e8a-b5c6-0f1e2d3c4b5a"
DOMAIN = "orders.example.com"


# ----------------------------------------------------------------------------------------
# record model
# ----------------------------------------------------------------------------------------

@dataclass
class LogEvent:
    ts: int
    group: str
    stream: str
    message: str
    ingest: int
    event_id: str


@dataclass
class Task:
    ident: Identity
    id: str
    rev: int
    ip: str
    az: str
    created: int
    running: int | None = None            # RUNNING (startedAt)
    stop_requested: int | None = None     # desiredStatus -> STOPPED
    stopped: int | None = None            # STOPPED
    stop_reason: str | None = None
    stop_code: str | None = None
    exit_code: int | None = None
    container_reason: str | None = None
    started_by: str = ""
    group: str | None = None
    launch_type: str | None = None
    platform_version: str = "1.4.0"
    capacity_provider: str | None = "FARGATE"
    cpu: str = "1024"
    memory: str = "2048"
    eni: str = ""
    version: int = 0

    @property
    def arn(self) -> str:
        return self.ident.task_arn(self.id)

    @property
    def stream(self) -> str:
        return self.ident.stream(self.id)

    @property
    def short(self) -> str:
        return self.id[:8]


@dataclass
class Fact:
    """Ground truth recorded while generating (what the engine should extract)."""
    kind: str                 # denial | failure | running | stopped | log | util | latency | logger | nocred | noise
    ts: int
    service: str = ""
    task: str = ""
    cls: str = ""             # failure class / denial cause / util metric
    value: float = 0.0
    note: str = ""


class Bundle:
    """Everything generated for one scenario (or the formats folder) before it is written."""

    def __init__(self, name: str):
        self.name = name
        self.ids = Ids("ecsdiagd-sample:" + name)
        self.rng = random.Random("ecsdiagd-sample-rng:" + name)
        self.logs: list[LogEvent] = []
        self.svc_events: dict[str, list[dict]] = defaultdict(list)
        self.eb: list[dict] = []
        self.ci: list[dict] = []
        self.alb: list[tuple[int, str]] = []
        self.facts: list[Fact] = []
        self.tasks: list[Task] = []

    # -- logs -------------------------------------------------------------------------
    def log(self, ts: int, ident: Identity, task: Task | str, message: str,
            group: str | None = None, stream: str | None = None) -> LogEvent:
        tid = task.id if isinstance(task, Task) else task
        ev = LogEvent(ts=ts, group=group or ident.log_group, stream=stream or ident.stream(tid),
                      message=message, ingest=ts + self.rng.randrange(180, 1900),
                      event_id=self.ids.event_id())
        self.logs.append(ev)
        self.facts.append(Fact("log", ts, ident.service, tid, note=ev.stream))
        return ev

    def fact(self, kind: str, ts: int, service: str = "", task: str = "", cls: str = "",
             value: float = 0.0, note: str = "") -> None:
        self.facts.append(Fact(kind, ts, service, task, cls, value, note))

    def new_task(self, ident: Identity, rev: int, created: int, **kw: Any) -> Task:
        subnet = self.rng.choice([("10.0.1", "eu-west-1a"), ("10.0.2", "eu-west-1b")])
        t = Task(ident=ident, id=self.ids.task_id(), rev=rev, ip=self.ids.ip(subnet[0]),
                 az=subnet[1], created=created, eni="eni-0" + self.ids.hex(16), **kw)
        if t.group is None:
            t.group = f"service:{ident.service}"
        if t.launch_type is None:
            t.launch_type = ident.launch_type
        self.tasks.append(t)
        return t

    def sorted_logs(self, pred: Callable[[LogEvent], bool] = lambda e: True) -> list[LogEvent]:
        return sorted((e for e in self.logs if pred(e)), key=lambda e: (e.ts, e.stream))

    def max_event_time(self) -> int:
        ts = [e.ts for e in self.logs]
        ts += [int(datetime.fromisoformat(e["time"].replace("Z", "+00:00")).timestamp() * 1000)
               for e in self.eb]
        ts += [c["Timestamp"] for c in self.ci]
        ts += [t for t, _ in self.alb]
        for evs in self.svc_events.values():
            ts += [e["_ts"] for e in evs]
        return max(ts) if ts else 0


# ----------------------------------------------------------------------------------------
# ECS service events (§1)
# ----------------------------------------------------------------------------------------

class Msg:
    """API-form service event texts (§1.2): identifiers in parentheses."""

    @staticmethod
    def started(i: Identity, tasks: list[Task]) -> str:
        return (f"(service {i.service}) has started {len(tasks)} tasks: "
                + " ".join(f"(task {t.id})" for t in tasks) + ".")

    @staticmethod
    def stopped(i: Identity, tasks: list[Task]) -> str:
        return (f"(service {i.service}) has stopped {len(tasks)} running tasks: "
                + " ".join(f"(task {t.id})" for t in tasks) + ".")

    @staticmethod
    def registered(i: Identity, n: int = 1) -> str:
        return f"(service {i.service}) registered {n} targets in (target-group {i.target_group})"

    @staticmethod
    def deregistered(i: Identity, n: int = 1) -> str:
        return f"(service {i.service}) deregistered {n} targets in (target-group {i.target_group})"

    @staticmethod
    def draining(i: Identity, n: int = 1) -> str:
        return f"(service {i.service}) has begun draining connections on {n} tasks."

    @staticmethod
    def unhealthy(i: Identity, t: Task, reason: str) -> str:
        return (f"(service {i.service}) (task {t.id}) (port {i.port}) is unhealthy in "
                f"(target-group {i.target_group}) due to (reason {reason}).")

    @staticmethod
    def steady(i: Identity) -> str:
        return f"(service {i.service}) has reached a steady state."

    @staticmethod
    def deployment_completed(i: Identity, dep: str) -> str:
        return f"(service {i.service}) (deployment {dep}) deployment completed."

    @staticmethod
    def unable_to_start(i: Identity) -> str:
        return f"(service {i.service}) is unable to consistently start tasks successfully."


def console_wording(msg: str) -> str:
    """New-console rendering (§1.3): parentheses dropped except (reason …), TG by name."""
    import re
    out = re.sub(r"\(target-group arn:aws:elasticloadbalancing:[^:]+:\d+:targetgroup/([^/]+)/[0-9a-f]+\)",
                 r"target-group \1", msg)
    out = re.sub(r"\((service|task|port|deployment) ([^)]+)\)", r"\1 \2", out)
    return out


def svc_event(b: Bundle, i: Identity, ts: int, message: str) -> None:
    b.svc_events[i.service].append({"_ts": ts, "id": b.ids.uuid(), "message": message})
    if "is unhealthy in" in message:
        b.fact("unhealthy", ts, i.service, note=message)


# ----------------------------------------------------------------------------------------
# EventBridge ECS events (§2)
# ----------------------------------------------------------------------------------------

def eb_envelope(b: Bundle, detail_type: str, ts: int, resources: list[str], detail: dict,
                account: str = "123456789012", region: str = "eu-west-1") -> dict:
    return {
        "version": "0",
        "id": b.ids.uuid(),
        "detail-type": detail_type,
        "source": "aws.ecs",
        "account": account,
        "time": iso_s(ts),
        "region": region,
        "resources": resources,
        "detail": detail,
    }


def task_detail(b: Bundle, t: Task, phase: str, ts: int) -> dict:
    """Detail of an `ECS Task State Change` (§2.1) for phase PENDING|RUNNING|STOPPING|STOPPED."""
    i = t.ident
    last = {"PENDING": "PENDING", "RUNNING": "RUNNING", "STOPPING": "RUNNING", "STOPPED": "STOPPED"}[phase]
    desired = "RUNNING" if phase in ("PENDING", "RUNNING") else "STOPPED"
    never_ran = t.running is None
    if phase == "STOPPING" and never_ran:
        last = "PENDING"
    fargate = t.launch_type == "FARGATE"
    d: dict[str, Any] = {}
    if fargate:
        d["attachments"] = [{
            "id": str(uuid.UUID(hashlib.md5((t.id + "eni").encode()).hexdigest(), version=4)),
            "type": "eni",
            "status": "DELETED" if phase == "STOPPED" else "ATTACHED",
            "details": [
                {"name": "subnetId", "value": "subnet-0" + hashlib.md5(t.az.encode()).hexdigest()[:16]},
                {"name": "networkInterfaceId", "value": t.eni},
                {"name": "macAddress", "value": "0a:" + ":".join(t.id[k:k + 2] for k in range(0, 10, 2))},
                {"name": "privateDnsName", "value": f"ip-{t.ip.replace('.', '-')}.{i.region}.compute.internal"},
                {"name": "privateIPv4Address", "value": t.ip},
            ],
        }]
    d["attributes"] = [{"name": "ecs.cpu-architecture", "value": "x86_64"}]
    d["availabilityZone"] = t.az
    if t.capacity_provider:
        d["capacityProviderName"] = t.capacity_provider
    d["clusterArn"] = i.cluster_arn
    if not fargate:
        d["containerInstanceArn"] = (f"arn:aws:ecs:{i.region}:{i.account}:container-instance/"
                                     f"{i.cluster}/{hashlib.md5(t.az.encode()).hexdigest()}")
    c: dict[str, Any] = {
        "containerArn": f"arn:aws:ecs:{i.region}:{i.account}:container/{i.cluster}/{t.id}/"
                        + str(uuid.UUID(hashlib.md5((t.id + "c").encode()).hexdigest(), version=4)),
        "lastStatus": {"PENDING": "PENDING", "RUNNING": "RUNNING", "STOPPING": "RUNNING",
                       "STOPPED": "STOPPED"}[phase] if not (never_ran and phase == "STOPPING") else "PENDING",
        "name": i.container,
        "image": f"{i.image}:{t.rev}.{hashlib.md5(str(t.rev).encode()).hexdigest()[:7]}",
    }
    if t.running is not None:
        c["imageDigest"] = "sha256:" + hashlib.sha256(f"{i.image}:{t.rev}".encode()).hexdigest()
        c["runtimeId"] = f"{t.id}-{int(hashlib.md5(t.id.encode()).hexdigest(), 16) % 10**10:010d}"
    c["taskArn"] = t.arn
    if phase == "STOPPED":
        if t.exit_code is not None:
            c["exitCode"] = t.exit_code
        if t.container_reason:
            c["reason"] = t.container_reason
    if fargate:
        c["networkInterfaces"] = [{"attachmentId": d["attachments"][0]["id"], "privateIpv4Address": t.ip}]
    else:
        c["networkBindings"] = [{"bindIP": "0.0.0.0", "containerPort": i.port, "hostPort": 32768 + int(t.id[:3], 16) % 1000,
                                 "protocol": "tcp"}]
    c["cpu"] = "0"
    d["containers"] = [c]
    d["cpu"] = t.cpu
    d["createdAt"] = iso_ms(t.created)
    d["desiredStatus"] = desired
    d["enableExecuteCommand"] = False
    if fargate:
        d["ephemeralStorage"] = {"sizeInGiB": 20}
    d["group"] = t.group
    d["launchType"] = t.launch_type
    d["lastStatus"] = last
    d["memory"] = t.memory
    d["overrides"] = {"containerOverrides": [{"name": i.container}]}
    if fargate:
        d["platformVersion"] = t.platform_version
    d["connectivity"] = "CONNECTED"
    d["connectivityAt"] = iso_ms(t.created + 4_870)
    d["pullStartedAt"] = iso_ms(t.created + 9_412)
    if t.running is not None:
        d["pullStoppedAt"] = iso_ms(t.running - 2_733)
    if t.running is not None and phase != "PENDING":
        d["startedAt"] = iso_ms(t.running)
    if t.started_by:
        d["startedBy"] = t.started_by
    if phase in ("STOPPING", "STOPPED") and t.stop_requested is not None:
        d["stoppingAt"] = iso_ms(t.stop_requested)
    if phase == "STOPPED":
        d["executionStoppedAt"] = iso_ms(t.stopped - 1_544)
        d["stoppedAt"] = iso_ms(t.stopped)
    if phase in ("STOPPING", "STOPPED") and t.stop_reason:
        d["stoppedReason"] = t.stop_reason
        if t.stop_code:
            d["stopCode"] = t.stop_code
    d["taskArn"] = t.arn
    d["taskDefinitionArn"] = i.taskdef_arn(t.rev)
    d["updatedAt"] = iso_ms(ts)
    t.version = {"PENDING": 2, "RUNNING": 3, "STOPPING": 4, "STOPPED": 6}[phase] if not never_ran else \
        {"PENDING": 2, "STOPPING": 3, "STOPPED": 4}[phase]
    d["version"] = t.version
    return d


def eb_task(b: Bundle, t: Task, phase: str) -> dict:
    ts = {"PENDING": t.created + 1_210, "RUNNING": t.running, "STOPPING": t.stop_requested,
          "STOPPED": t.stopped}[phase]
    assert ts is not None, (t.id, phase)
    ev = eb_envelope(b, "ECS Task State Change", ts, [t.arn], task_detail(b, t, phase, ts),
                     account=t.ident.account, region=t.ident.region)
    b.eb.append(ev)
    svc = t.group.split(":", 1)[1]
    if phase == "RUNNING":
        b.fact("running", ts, svc, t.id, note=t.stream)
    if phase == "STOPPED":
        b.fact("stopped", ts, svc, t.id, cls=failure_class(t), note=t.stop_reason or "")
    return ev


def failure_class(t: Task) -> str:
    """How the oracle classes a STOPPED task (what the restart-loop rule counts)."""
    r = t.stop_reason or ""
    cr = t.container_reason or ""
    if "ELB health checks" in r:
        return "elb-health-check"
    if "container health checks" in r:
        return "container-health-check"
    if "OutOfMemoryError" in cr or "OutOfMemoryError" in r:
        return "oom"
    if "failed to validate logger" in r or "logging driver" in r or "logging driver" in cr:
        return "logger"
    if r.startswith("ResourceInitializationError"):
        return "resource-initialization"
    if r.startswith("CannotPullContainerError"):
        return "image-pull"
    if r == "Essential container in task exited":
        if t.exit_code in (None, 0):
            return "" if t.exit_code == 0 else "essential-exit-unknown"
        if t.exit_code == 137:
            return "oom" if "OutOfMemory" in cr else "killed-137"
        return "app-crash"
    return ""   # user stop, deployment scale-in, spot: not a failure


def eb_task_lifecycle(b: Bundle, t: Task, stopping: bool = True, start: bool = True) -> None:
    """RUNNING (+ stop requested) + STOPPED events, or PENDING + STOPPED for tasks that never ran.
    start=False for tasks that started before the export window (only their stop is seen)."""
    if t.running is None:
        eb_task(b, t, "PENDING")
    elif start:
        eb_task(b, t, "RUNNING")
    if t.stopped is not None:
        if stopping and t.stop_requested is not None:
            eb_task(b, t, "STOPPING")
        eb_task(b, t, "STOPPED")


def eb_service_action(b: Bundle, i: Identity, ts: int, name: str, etype: str = "INFO",
                      old_arn: bool = False, extra: dict | None = None) -> dict:
    detail = {"eventType": etype, "eventName": name, "clusterArn": i.cluster_arn, "createdAt": iso_ms(ts)}
    if extra:
        detail.update(extra)
    ev = eb_envelope(b, "ECS Service Action", ts, [i.service_arn_old if old_arn else i.service_arn], detail)
    b.eb.append(ev)
    return ev


def eb_deployment(b: Bundle, i: Identity, ts: int, name: str, dep: str, etype: str = "INFO") -> dict:
    reasons = {
        "SERVICE_DEPLOYMENT_IN_PROGRESS": f"ECS deployment {dep} in progress.",
        "SERVICE_DEPLOYMENT_COMPLETED": f"ECS deployment {dep} completed.",
        "SERVICE_DEPLOYMENT_FAILED": "ECS deployment circuit breaker: tasks failed to start.",
    }
    detail = {"eventType": etype, "eventName": name, "deploymentId": dep,
              "updatedAt": iso_s(ts), "reason": reasons[name]}
    ev = eb_envelope(b, "ECS Deployment State Change", ts, [i.service_arn], detail)
    b.eb.append(ev)
    return ev


def eb_sorted(b: Bundle) -> list[dict]:
    def key(e: dict) -> tuple:
        d = e["detail"]
        return (d.get("updatedAt") or d.get("createdAt") or e["time"], e["time"])
    return sorted(b.eb, key=key)


# ----------------------------------------------------------------------------------------
# describe-services (§1.1, §6.3)
# ----------------------------------------------------------------------------------------

@dataclass
class ServiceState:
    ident: Identity
    rev: int
    desired: int
    running: int
    pending: int = 0
    created: int = T(8, 30)
    grace: int | None = 0
    deployments: list[dict] = field(default_factory=list)
    load_balanced: bool = True
    min_healthy: int = 50
    max_percent: int = 100
    circuit_breaker: bool = False


def render_time(ts: int, style: str) -> Any:
    if style == "v2":
        return iso_local(ts)
    if style == "v1":
        return ts / 1000
    return raw_number(epoch_exp_text(ts))


def deployment(i: Identity, dep: str, status: str, rev: int, desired: int, running: int,
               created: int, updated: int, rollout: str, pending: int = 0, failed: int = 0) -> dict:
    reason = {"COMPLETED": f"ECS deployment {dep} completed.",
              "IN_PROGRESS": f"ECS deployment {dep} in progress.",
              "FAILED": "ECS deployment circuit breaker: tasks failed to start."}[rollout]
    return {"_created": created, "_updated": updated, "id": dep, "status": status,
            "taskDefinition": i.taskdef_arn(rev), "desiredCount": desired, "pendingCount": pending,
            "runningCount": running, "failedTasks": failed, "rolloutState": rollout,
            "rolloutStateReason": reason}


def service_doc(b: Bundle, st: ServiceState, style: str) -> dict:
    i = st.ident
    evs = sorted(b.svc_events[i.service], key=lambda e: e["_ts"], reverse=True)[:100]
    net = {"awsvpcConfiguration": {"subnets": ["subnet-0a1b2c3d4e5f60718", "subnet-0f9e8d7c6b5a40312"],
                                   "securityGroups": ["sg-0c5d2f3e4a1b6c7d8"], "assignPublicIp": "DISABLED"}}
    deps = []
    for d in st.deployments:
        dd = {k: v for k, v in d.items() if not k.startswith("_")}
        out = {"id": dd["id"], "status": dd["status"], "taskDefinition": dd["taskDefinition"],
               "desiredCount": dd["desiredCount"], "pendingCount": dd["pendingCount"],
               "runningCount": dd["runningCount"], "failedTasks": dd["failedTasks"],
               "createdAt": render_time(d["_created"], style), "updatedAt": render_time(d["_updated"], style),
               "launchType": i.launch_type}
        if i.launch_type == "FARGATE":
            out["platformVersion"] = "1.4.0"
            out["platformFamily"] = "Linux"
        out["networkConfiguration"] = net
        out["rolloutState"] = dd["rolloutState"]
        out["rolloutStateReason"] = dd["rolloutStateReason"]
        deps.append(out)
    svc: dict[str, Any] = {
        "serviceArn": i.service_arn,
        "serviceName": i.service,
        "clusterArn": i.cluster_arn,
        "loadBalancers": ([{"targetGroupArn": i.target_group, "containerName": i.container,
                            "containerPort": i.port}] if st.load_balanced else []),
        "serviceRegistries": [],
        "status": "ACTIVE",
        "desiredCount": st.desired,
        "runningCount": st.running,
        "pendingCount": st.pending,
        "launchType": i.launch_type,
    }
    if i.launch_type == "FARGATE":
        svc["platformVersion"] = "LATEST"
        svc["platformFamily"] = "Linux"
    svc["taskDefinition"] = i.taskdef_arn(st.rev)
    svc["deploymentConfiguration"] = {
        "deploymentCircuitBreaker": {"enable": st.circuit_breaker, "rollback": st.circuit_breaker},
        "maximumPercent": st.max_percent, "minimumHealthyPercent": st.min_healthy}
    svc["deployments"] = deps
    svc["roleArn"] = (f"arn:aws:iam::{i.account}:role/aws-service-role/ecs.amazonaws.com/"
                      "AWSServiceRoleForECS")
    svc["events"] = [{"id": e["id"], "createdAt": render_time(e["_ts"], style), "message": e["message"]}
                     for e in evs]
    svc["createdAt"] = render_time(st.created, style)
    svc["placementConstraints"] = []
    svc["placementStrategy"] = []
    svc["networkConfiguration"] = net
    if st.load_balanced and st.grace is not None:
        svc["healthCheckGracePeriodSeconds"] = st.grace
    svc["schedulingStrategy"] = "REPLICA"
    svc["deploymentController"] = {"type": "ECS"}
    svc["createdBy"] = f"arn:aws:iam::{i.account}:role/platform-deployer"
    svc["enableECSManagedTags"] = True
    svc["propagateTags"] = "NONE"
    svc["enableExecuteCommand"] = False
    return svc


def describe_services(b: Bundle, states: list[ServiceState], style: str) -> str:
    doc = {"services": [service_doc(b, st, style) for st in states], "failures": []}
    if style == "raw":
        return with_raw_numbers(j_compact(doc)) + "\n"
    return j_pretty(doc)


def aws_text(data: Any) -> str:
    """Port of awscli/text.py (the `--output text` formatter)."""
    out: list[str] = []

    def fmt(item: Any, identifier: str | None = None, scalar_keys: list[str] | None = None) -> None:
        if isinstance(item, dict):
            fmt_dict(scalar_keys, item, identifier)
        elif isinstance(item, list):
            fmt_list(item, identifier)
        else:
            out.append(text_scalar(item) + "\n")

    def text_scalar(v: Any) -> str:
        if v is True:
            return "True"
        if v is False:
            return "False"
        if v is None:
            return "None"
        return str(v)

    def fmt_list(item: list, identifier: str | None) -> None:
        if not item:
            return
        if any(isinstance(el, dict) for el in item):
            keys = sorted({k for d in item for k, v in d.items() if not isinstance(v, (dict, list))})
            for el in item:
                fmt(el, identifier, keys)
        elif any(isinstance(el, list) for el in item):
            scal = [e for e in item if not isinstance(e, (list, dict))]
            non = [e for e in item if isinstance(e, (list, dict))]
            if scal:
                fmt_scalar_list(scal, identifier)
            for n in non:
                fmt(n, identifier)
        else:
            fmt_scalar_list(item, identifier)

    def fmt_scalar_list(elements: list, identifier: str | None) -> None:
        if identifier is not None:
            for e in elements:
                out.append(f"{identifier.upper()}\t{text_scalar(e)}\n")
        else:
            out.append("\t".join(text_scalar(e) for e in elements) + "\n")

    def fmt_dict(scalar_keys: list[str] | None, item: dict, identifier: str | None) -> None:
        scalars: list[str] = []
        non: list[tuple[str, Any]] = []
        if scalar_keys is None:
            for k, v in sorted(item.items()):
                if isinstance(v, (dict, list)):
                    non.append((k, v))
                else:
                    scalars.append(text_scalar(v))
        else:
            for k in scalar_keys:
                scalars.append(text_scalar(item.get(k, "")))
            for k in sorted(set(item) - set(scalar_keys)):
                non.append((k, item[k]))
        if scalars:
            if identifier is not None:
                scalars.insert(0, identifier.upper())
            out.append("\t".join(scalars) + "\n")
        for k, v in non:
            fmt(v, k)

    fmt(data)
    return "".join(out)


# ----------------------------------------------------------------------------------------
# Container Insights performance events (§5.1)
# ----------------------------------------------------------------------------------------

CI_GROUP = "/aws/ecs/containerinsights/{cluster}/performance"

CI_TASK_METRICS = [{"Namespace": "ECS/ContainerInsights", "Metrics": [
    {"Name": "CpuUtilized", "Unit": "None"}, {"Name": "CpuReserved", "Unit": "None"},
    {"Name": "MemoryUtilized", "Unit": "Megabytes"}, {"Name": "MemoryReserved", "Unit": "Megabytes"},
    {"Name": "NetworkRxBytes", "Unit": "Bytes/Second"}, {"Name": "NetworkTxBytes", "Unit": "Bytes/Second"}],
    "Dimensions": [["ClusterName"], ["ClusterName", "TaskDefinitionFamily"], ["ClusterName", "ServiceName"]]}]

CI_SERVICE_METRICS = [{"Namespace": "ECS/ContainerInsights", "Metrics": [
    {"Name": "DesiredTaskCount", "Unit": "Count"}, {"Name": "RunningTaskCount", "Unit": "Count"},
    {"Name": "PendingTaskCount", "Unit": "Count"}, {"Name": "DeploymentCount", "Unit": "Count"},
    {"Name": "TaskSetCount", "Unit": "Count"}],
    "Dimensions": [["ServiceName", "ClusterName"]]}]

CI_CLUSTER_METRICS = [{"Namespace": "ECS/ContainerInsights", "Metrics": [
    {"Name": "TaskCount", "Unit": "Count"}, {"Name": "ContainerInstanceCount", "Unit": "Count"},
    {"Name": "ServiceCount", "Unit": "Count"}], "Dimensions": [["ClusterName"]]}]

CI_CONTAINER_METRICS = [{"Namespace": "ECS/ContainerInsights", "Metrics": [
    {"Name": "ContainerCpuUtilized", "Unit": "None"}, {"Name": "ContainerCpuReserved", "Unit": "None"},
    {"Name": "ContainerMemoryUtilized", "Unit": "Megabytes"}, {"Name": "ContainerMemoryReserved", "Unit": "Megabytes"}],
    "Dimensions": [["ClusterName", "ServiceName", "ContainerName"]]}]


def ci_task(b: Bundle, t: Task, minute_ts: int, cpu_pct: float, mem_pct: float) -> dict:
    i = t.ident
    cpu_res = float(int(t.cpu))
    mem_res = int(t.memory)
    cpu_used = round(cpu_res * cpu_pct / 100 + b.rng.random() * 0.9, 13)
    mem_used = int(mem_res * mem_pct / 100)
    rx = b.rng.randrange(2_000, 60_000) * (3 if cpu_pct > 80 else 1)
    ev = {
        "Version": "0", "Type": "Task", "TaskId": t.id, "TaskDefinitionFamily": i.family,
        "TaskDefinitionRevision": str(t.rev), "ServiceName": i.service, "ClusterName": i.cluster,
        "AccountID": i.account, "Region": i.region, "AvailabilityZone": t.az, "KnownStatus": "RUNNING",
        "LaunchType": t.launch_type, "PullStartedAt": t.created + 9_412,
        "PullStoppedAt": (t.running or t.created) - 2_733, "CreatedAt": t.created,
        "StartedAt": t.running or t.created, "Timestamp": minute_ts,
        "CpuUtilized": cpu_used, "CpuReserved": cpu_res, "MemoryUtilized": mem_used, "MemoryReserved": mem_res,
        "StorageReadBytes": 0, "StorageWriteBytes": b.rng.randrange(0, 40_000),
        "NetworkRxBytes": rx, "NetworkRxDropped": 0, "NetworkRxErrors": 0,
        "NetworkRxPackets": rx // 700 + 1, "NetworkTxBytes": rx * 2 + 311, "NetworkTxDropped": 0,
        "NetworkTxErrors": 0, "NetworkTxPackets": rx // 500 + 1,
        "EphemeralStorageReserved": 21.29, "EphemeralStorageUtilized": 1.31,
        "CloudWatchMetrics": CI_TASK_METRICS,
    }
    b.ci.append(ev)
    b.fact("util", minute_ts, i.service, t.id, "cpu", cpu_used / cpu_res * 100)
    b.fact("util", minute_ts, i.service, t.id, "memory", mem_used / mem_res * 100)
    return ev


def ci_service(b: Bundle, i: Identity, minute_ts: int, desired: int, running: int, pending: int = 0,
               deployments: int = 1) -> dict:
    ev = {"Version": "0", "Type": "Service", "ServiceName": i.service, "ClusterName": i.cluster,
          "Timestamp": minute_ts, "DesiredTaskCount": desired, "RunningTaskCount": running,
          "PendingTaskCount": pending, "DeploymentCount": deployments, "TaskSetCount": 0,
          "CloudWatchMetrics": CI_SERVICE_METRICS}
    b.ci.append(ev)
    b.fact("desired", minute_ts, i.service, value=desired)
    return ev


def ci_cluster(b: Bundle, i: Identity, minute_ts: int, tasks: int, services: int) -> dict:
    ev = {"Version": "0", "Type": "Cluster", "ClusterName": i.cluster, "Timestamp": minute_ts,
          "TaskCount": tasks, "ContainerInstanceCount": 0, "ServiceCount": services,
          "CloudWatchMetrics": CI_CLUSTER_METRICS}
    b.ci.append(ev)
    return ev


def ci_container(b: Bundle, t: Task, minute_ts: int, cpu_pct: float, mem_pct: float) -> dict:
    i = t.ident
    ev = {"Version": "0", "Type": "Container", "ContainerName": i.container, "TaskId": t.id,
          "TaskDefinitionFamily": i.family, "TaskDefinitionRevision": str(t.rev), "ServiceName": i.service,
          "ClusterName": i.cluster, "Image": f"{i.image}:{t.rev}", "ContainerKnownStatus": "RUNNING",
          "Timestamp": minute_ts, "CpuUtilized": round(int(t.cpu) * cpu_pct / 100, 4), "CpuReserved": float(t.cpu),
          "MemoryUtilized": int(int(t.memory) * mem_pct / 100), "MemoryReserved": int(t.memory),
          "CloudWatchMetrics": CI_CONTAINER_METRICS}
    b.ci.append(ev)
    return ev


def ci_stream(ev: dict) -> str:
    key = ev.get("TaskId") or ev.get("ServiceName") or ev["ClusterName"]
    return f"FargateTelemetry-{int(hashlib.md5(key.encode()).hexdigest(), 16) % 9000 + 1000}"


def ci_as_log_events(b: Bundle, cluster: str = "prod") -> list[LogEvent]:
    """Container Insights performance events as CloudWatch events (message = EMF JSON)."""
    evs = []
    for k, ev in enumerate(sorted(b.ci, key=lambda e: (e["Timestamp"], e["Type"], e.get("TaskId", "")))):
        evs.append(LogEvent(ts=ev["Timestamp"], group=CI_GROUP.format(cluster=cluster), stream=ci_stream(ev),
                            message=j_compact(ev), ingest=ev["Timestamp"] + 61_000 + (k * 37) % 9000,
                            event_id=b.ids.event_id()))
    return evs


# ----------------------------------------------------------------------------------------
# ALB access log (§5.3)
# ----------------------------------------------------------------------------------------

def alb_time(ts: int, micro: int) -> str:
    return dt(ts).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts % 1000:03d}{micro:03d}Z"


def secs(v: float) -> str:
    return "-1" if v < 0 else f"{v:.3f}"


def alb_line(b: Bundle, i: Identity, end_ts: int, target_ip: str | None, req_t: float, tgt_t: float,
             resp_t: float, elb_code: int, tgt_code: int | None, method: str, path: str,
             ua: str, sent: int, duration_s: float | None = None, h2: bool = False) -> str:
    """One ALB access-log entry in the documented field order (+ trailing conn_trace_id)."""
    dur = duration_s if duration_s is not None else max(req_t, 0) + max(tgt_t, 0) + max(resp_t, 0)
    created = end_ts - int(dur * 1000)
    client = f"{b.ids.public_ip()}:{b.rng.randrange(1024, 65535)}"
    target = f"{target_ip}:{i.port}" if target_ip else "-"
    tcode = str(tgt_code) if tgt_code is not None else "-"
    proto = "HTTP/2.0" if h2 else "HTTP/1.1"
    line = (f'{"h2" if h2 else "https"} {alb_time(end_ts, b.rng.randrange(1000))} {i.load_balancer} {client} '
            f'{target} {secs(req_t)} {secs(tgt_t)} {secs(resp_t)} {elb_code} {tcode} '
            f'{b.rng.randrange(180, 900)} {sent} "{method} https://{DOMAIN}:443{path} {proto}" "{ua}" '
            f'ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 {i.target_group} "{b.ids.trace_id(created)}" '
            f'"{DOMAIN}" "{CERT_ARN}" 0 {alb_time(created, b.rng.randrange(1000))} "forward" "-" "-" '
            f'"{target}" "{tcode}" "-" "-" TID_{b.ids.hex(32)}')
    b.alb.append((end_ts, line))
    if tgt_t >= 0 and target_ip:
        b.fact("latency", end_ts, i.service, value=tgt_t)
    if elb_code >= 500:
        b.fact("http5xx", end_ts, i.service, value=elb_code)
    return line


CLIENT_UAS = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "okhttp/4.12.0",
    "orders-mobile/5.14.2 (Android 15; Pixel 8)",
]
PARTNER_UA = "partner-invoice-sync/2.3 (+https://partner.example.net)"


def alb_files(lines: list[tuple[int, str]], minutes: int = 5) -> dict[str, str]:
    """Split entries into the real S3 object naming: one file per LB node per 5 minutes (§5.3)."""
    files: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for ts, line in sorted(lines):
        bucket_end = ts - ts % (minutes * 60_000) + minutes * 60_000
        node = ALB_NODES[int(hashlib.md5(line.encode()).hexdigest(), 16) % 2]
        stamp = dt(bucket_end).strftime("%Y%m%dT%H%MZ")
        rnd = hashlib.md5(f"{stamp}{node}".encode()).hexdigest()[:8]
        name = (f"123456789012_elasticloadbalancing_eu-west-1_app.orders-alb.50dc6c495c0c9188_"
                f"{stamp}_{node}_{rnd}.log")
        files[name].append((ts, line))
    return {k: "".join(l + "\n" for _, l in v) for k, v in sorted(files.items())}


# ----------------------------------------------------------------------------------------
# CloudWatch Logs shapes (§3)
# ----------------------------------------------------------------------------------------

def fle_doc(events: list[LogEvent], searched: Iterable[str] | None = None) -> dict:
    """aws logs filter-log-events (§3.2)."""
    doc: dict[str, Any] = {"events": [
        {"logStreamName": e.stream, "timestamp": e.ts, "message": e.message,
         "ingestionTime": e.ingest, "eventId": e.event_id} for e in events]}
    streams = sorted(set(searched if searched is not None else (e.stream for e in events)))
    doc["searchedLogStreams"] = [{"logStreamName": s, "searchedCompletely": True} for s in streams]
    return doc


def gle_doc(events: list[LogEvent], ids: Ids) -> dict:
    """aws logs get-log-events (§3.1): no eventId, no logStreamName."""
    return {"events": [{"timestamp": e.ts, "message": e.message, "ingestionTime": e.ingest} for e in events],
            "nextForwardToken": "f/" + ids.digits(56), "nextBackwardToken": "b/" + ids.digits(56)}


def cw_jsonl(events: list[LogEvent]) -> str:
    return "".join(j_compact({"timestamp": e.ts, "message": e.message, "logStreamName": e.stream,
                              "logGroupName": e.group, "ingestionTime": e.ingest,
                              "eventId": e.event_id}) + "\n" for e in events)


GREEN, CYAN, RESET = "\x1b[32m", "\x1b[36m", "\x1b[0m"


def tail_detailed(events: list[LogEvent], color: bool = False) -> str:
    """aws logs tail --format detailed (§3.3)."""
    out = []
    for e in events:
        ts, st = iso_tail(e.ts), e.stream
        if color:
            ts, st = GREEN + ts + RESET, CYAN + st + RESET
        out.append(f"{ts} {st} {e.message}".rstrip() + "\n")
    return "".join(out)


def tail_short(events: list[LogEvent], color: bool = False) -> str:
    out = []
    for e in events:
        ts = dt(e.ts).strftime("%Y-%m-%dT%H:%M:%S")
        if color:
            ts = GREEN + ts + RESET
        out.append(f"{ts} {e.message}".rstrip() + "\n")
    return "".join(out)


def tail_json(events: list[LogEvent], color: bool = False) -> str:
    """aws logs tail --format json: entirely-JSON messages pretty-printed (json.dumps indent=4)."""
    out = []
    for e in events:
        msg = e.message
        try:
            msg = "\n" + json.dumps(json.loads(e.message), indent=4)
        except json.JSONDecodeError:
            pass
        ts, st = iso_tail_json(e.ts), e.stream
        if color:
            ts, st = GREEN + ts + RESET, CYAN + st + RESET
        out.append(f"{ts} {st} {msg}".rstrip() + "\n")
    return "".join(out)


def s3_export_lines(events: list[LogEvent]) -> str:
    """create-export-task object content (§3.4): `<ISO UTC ms> <message>`."""
    return "".join(f"{iso_ms(e.ts)} {e.message}\n" for e in events)


def data_message(events: list[LogEvent], owner: str = "123456789012",
                 filters: tuple[str, ...] = ("orders-api-to-firehose",)) -> dict:
    """Subscription-filter DATA_MESSAGE (§3.5) for events of ONE stream."""
    return {"messageType": "DATA_MESSAGE", "owner": owner, "logGroup": events[0].group,
            "logStream": events[0].stream, "subscriptionFilters": list(filters),
            "logEvents": [{"id": e.event_id, "timestamp": e.ts, "message": e.message} for e in events]}


def control_message(ts: int, dest: str = "Firehose") -> dict:
    return {"messageType": "CONTROL_MESSAGE", "owner": "CloudwatchLogs", "logGroup": "", "logStream": "",
            "subscriptionFilters": [],
            "logEvents": [{"id": "", "timestamp": ts,
                           "message": f"CWL CONTROL MESSAGE: Checking health of destination {dest}."}]}


def group_by_stream(events: list[LogEvent]) -> list[list[LogEvent]]:
    by: dict[str, list[LogEvent]] = defaultdict(list)
    for e in events:
        by[e.stream].append(e)
    return [by[k] for k in sorted(by, key=lambda s: by[s][0].ts)]


def eb_in_cloudwatch(b: Bundle, events: list[dict], group: str = "/aws/events/ecs-task-state") -> dict:
    """EventBridge rule -> CloudWatch Logs target; read back with filter-log-events."""
    les = []
    for ev in events:
        ts = int(datetime.fromisoformat(ev["time"].replace("Z", "+00:00")).timestamp() * 1000)
        les.append(LogEvent(ts=ts, group=group, stream=ev["id"], message=j_compact(ev),
                            ingest=ts + 350 + b.rng.randrange(900), event_id=b.ids.event_id()))
    return fle_doc(les)


def truncate_line(line: str, frac: float = 0.55) -> str:
    """A JSON line cut mid-way (a partial write / bad copy) for bad-input reporting."""
    return line[: int(len(line.rstrip("\n")) * frac)] + "\n"


# ----------------------------------------------------------------------------------------
# application log styles
# ----------------------------------------------------------------------------------------

HTTP_PHRASE = {200: "OK", 201: "Created", 204: "No Content", 304: "Not Modified", 400: "Bad Request",
               401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 500: "Internal Server Error",
               502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}


def denial_text(i: Identity, role: str, session: str, action: str, resource: str) -> str:
    """The IAM part of an AccessDenied message (§4.1, §4.2)."""
    return (f"User: {i.session_arn(role, session)} is not authorized to perform: {action} on resource: "
            f"\"{resource}\" because no identity-based policy allows the {action} action")


class PyApp:
    """Python service: uvicorn access lines, structlog JSON, tracebacks one line per event (awslogs)."""

    @staticmethod
    def startup(b: Bundle, i: Identity, t: Task, ts: int) -> int:
        lines = ["INFO:     Started server process [1]", "INFO:     Waiting for application startup.",
                 j_spaced({"event": "boto3 session ready", "region": i.region, "logger": "orders.aws",
                           "level": "info", "timestamp": iso_ms(ts + 900)}),
                 "INFO:     Application startup complete.",
                 f"INFO:     Uvicorn running on http://0.0.0.0:{i.port} (Press CTRL+C to quit)"]
        for k, line in enumerate(lines):
            b.log(ts + 300 * k + (600 if k >= 2 else 0), i, t, line)
        return ts + 2_000

    @staticmethod
    def access(b: Bundle, i: Identity, t: Task, ts: int, path: str, status: int, method: str = "GET",
               client: str | None = None) -> None:
        client = client or f"{b.rng.choice(ALB_NODES)}:{b.rng.randrange(30000, 65000)}"
        b.log(ts, i, t, f'INFO:     {client} - "{method} {path} HTTP/1.1" {status} {HTTP_PHRASE[status]}')

    @staticmethod
    def info(b: Bundle, i: Identity, t: Task, ts: int, event: str, logger: str = "orders.api", **kw: Any) -> None:
        rec = {"event": event, **kw, "logger": logger, "level": "info", "timestamp": iso_ms(ts)[:-1] + "412Z"}
        b.log(ts, i, t, j_spaced(rec))

    @staticmethod
    def warning(b: Bundle, i: Identity, t: Task, ts: int, event: str, logger: str = "orders.api", **kw: Any) -> None:
        rec = {"event": event, **kw, "logger": logger, "level": "warning", "timestamp": iso_ms(ts)}
        b.log(ts, i, t, j_spaced(rec))

    @staticmethod
    def traceback(b: Bundle, i: Identity, t: Task, ts: int, frames: list[tuple[str, int, str, str]],
                  final: str, header: str = "ERROR:    Exception in ASGI application") -> None:
        lines = [header, "Traceback (most recent call last):"]
        for f, ln, fn, code in frames:
            lines += [f'  File "{f}", line {ln}, in {fn}', f"    {code}"]
        lines.append(final)
        for k, line in enumerate(lines):
            b.log(ts + k // 4, i, t, line)

    @staticmethod
    def s3_denied(b: Bundle, i: Identity, t: Task, ts: int, order: int, role: str, session: str,
                  cause: str) -> None:
        key = f"invoices/2026/11/{order}.pdf"
        final = ("botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the GetObject "
                 "operation: " + denial_text(i, role, session, "s3:GetObject", f"arn:aws:s3:::{INVOICE_BUCKET}/{key}"))
        PyApp.traceback(b, i, t, ts, [
            ("/app/orders/storage.py", 27, "fetch_invoice_pdf",
             'obj = s3.get_object(Bucket=INVOICE_BUCKET, Key=f"invoices/2026/11/{order_id}.pdf")'),
            ("/usr/local/lib/python3.12/site-packages/botocore/client.py", 1023, "_make_api_call",
             "raise error_class(parsed_response, operation_name)"),
        ], final)
        b.fact("denial", ts + 2, i.service, t.id, cause, note="s3:GetObject as " + role)


def spring_line(ts: int, level: str, thread: str, logger: str, msg: str, app: str = "orders-api") -> str:
    """Spring Boot 3.2+ console pattern: `%d %5p PID --- [app] [%15.15t] %-40.40logger{39} : %m`."""
    thread = thread[-15:]
    return f"{iso_ms(ts)} {level:>5} 1 --- [{app}] [{thread:>15}] {logger[:40]:<40} : {msg}"


def tomcat_access(ts: int, client: str, method: str, path: str, status: int, size: int, ua: str) -> str:
    return f'{client} - - [{clf_time(ts)}] "{method} {path} HTTP/1.1" {status} {size} "-" "{ua}"'


class JavaApp:
    """Spring Boot service (orders-api in the grace-period scenario and in the story)."""

    MAIN = "c.e.orders.OrdersApplication"

    @staticmethod
    def line(b: Bundle, i: Identity, t: Task, ts: int, level: str, thread: str, logger: str, msg: str) -> None:
        b.log(ts, i, t, spring_line(ts, level, thread, logger, msg, i.service))

    @staticmethod
    def boot(b: Bundle, i: Identity, t: Task, t0: int, startup_s: float = 34.8, until: int | None = None,
             version: str = "1.8.0") -> int:
        """Startup lines relative to RUNNING (t0). JVM at t0+0.2 s, Spring run at t0+1.5 s,
        readiness ("Started … in 34.8 seconds (process running for 36.1)") at t0+1.5+startup_s.
        Lines after `until` (SIGTERM) are not written. Returns the readiness time."""
        start = t0 + 1_500
        ready = start + int(startup_s * 1000)
        steps = [
            (1_500, "INFO", "main", JavaApp.MAIN,
             f"Starting OrdersApplication v{version} using Java 21.0.5 with PID 1 (/app/app.jar started by spring in /app)"),
            (1_530, "INFO", "main", JavaApp.MAIN, 'The following 1 profile is active: "prod"'),
            (4_860, "INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer", f"Tomcat initialized with port {i.port} (http)"),
            (4_910, "INFO", "main", "o.apache.catalina.core.StandardService", "Starting service [Tomcat]"),
            (4_912, "INFO", "main", "o.apache.catalina.core.StandardEngine", "Starting Servlet engine: [Apache Tomcat/10.1.33]"),
            (5_140, "INFO", "main", "o.a.c.c.C.[Tomcat].[localhost].[/]", "Initializing Spring embedded WebApplicationContext"),
            (5_142, "INFO", "main", "w.s.c.ServletWebServerApplicationContext", "Root WebApplicationContext: initialization completed in 3611 ms"),
            (5_610, "INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer", f"Tomcat started on port {i.port} (http) with context path '/'"),
            (6_020, "INFO", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Starting..."),
            (6_870, "INFO", "main", "com.zaxxer.hikari.pool.HikariPool", "HikariPool-1 - Added connection org.postgresql.jdbc.PgConnection@5b0d1a8e"),
            (6_880, "INFO", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed."),
            (7_410, "INFO", "main", "o.f.c.i.license.VersionPrinter", "Flyway OSS Edition 10.20.1 by Redgate"),
            (7_700, "INFO", "main", "o.f.core.internal.command.DbValidate", "Successfully validated 57 migrations (execution time 00:00.398s)"),
            (7_760, "INFO", "main", "o.f.core.internal.command.DbMigrate", 'Schema "public" is up to date. No migration necessary.'),
            (8_300, "INFO", "main", "c.e.orders.catalog.CatalogCache", "Warming product catalog cache from s3://orders-catalog/snapshots/latest.json.gz"),
            (int(startup_s * 1000) - 3_900, "INFO", "main", "c.e.orders.catalog.CatalogCache", "Catalog cache warmed: 182344 products in 22486 ms"),
            (int(startup_s * 1000) - 1_100, "INFO", "main", "o.s.b.a.e.web.EndpointLinksResolver", "Exposing 4 endpoints beneath base path '/actuator'"),
            (int(startup_s * 1000) + 1_500, "INFO", "main", JavaApp.MAIN,
             f"Started OrdersApplication in {startup_s:.1f} seconds (process running for {startup_s + 1.3:.1f})"),
        ]
        for off, lvl, th, lg, msg in steps:
            ts = t0 + off
            if until is not None and ts >= until:
                break
            JavaApp.line(b, i, t, ts, lvl, th, lg, msg)
        if until is None or ready < until:
            b.fact("ready", ready, i.service, t.id, value=startup_s)
        return ready

    @staticmethod
    def health(b: Bundle, i: Identity, t: Task, ts: int, status: int, node: str | None = None) -> None:
        size = 62 if status == 503 else 15
        b.log(ts, i, t, tomcat_access(ts, node or b.rng.choice(ALB_NODES), "GET", "/actuator/health", status, size,
                                      "ELB-HealthChecker/2.0"))

    @staticmethod
    def shutdown(b: Bundle, i: Identity, t: Task, ts: int) -> None:
        JavaApp.line(b, i, t, ts, "INFO", "ionShutdownHook", "o.s.b.w.e.tomcat.GracefulShutdown",
                     "Commencing graceful shutdown. Waiting for active requests to complete")
        JavaApp.line(b, i, t, ts + 41, "INFO", "tomcat-shutdown", "o.s.b.w.e.tomcat.GracefulShutdown",
                     "Graceful shutdown complete")
        JavaApp.line(b, i, t, ts + 63, "INFO", "ionShutdownHook", "com.zaxxer.hikari.HikariDataSource",
                     "HikariPool-1 - Shutdown initiated...")
        JavaApp.line(b, i, t, ts + 71, "INFO", "ionShutdownHook", "com.zaxxer.hikari.HikariDataSource",
                     "HikariPool-1 - Shutdown completed.")

    @staticmethod
    def request(b: Bundle, i: Identity, t: Task, ts: int, path: str, status: int, ms: int, method: str = "GET") -> None:
        thread = f"http-nio-{i.port}-exec-{b.rng.randrange(1, 11)}"
        b.log(ts, i, t, tomcat_access(ts, b.rng.choice(ALB_NODES), method, path, status,
                                      b.rng.randrange(200, 4000) if status < 400 else 118, b.rng.choice(CLIENT_UAS[:4])))
        if status == 200 and b.rng.random() < 0.35:
            JavaApp.line(b, i, t, ts - ms + 2, "INFO", thread, "c.e.orders.web.OrderController",
                         f"{method} {path} -> {status} in {ms} ms")

    @staticmethod
    def s3_denied(b: Bundle, i: Identity, t: Task, ts: int, order: int, role: str, cause: str) -> None:
        thread = f"http-nio-{i.port}-exec-{b.rng.randrange(1, 11)}"
        key = f"invoices/2026/11/{order}.pdf"
        JavaApp.line(b, i, t, ts, "ERROR", thread, "c.e.orders.invoice.InvoiceController",
                     f"Invoice download failed for order {order}")
        exc = ("software.amazon.awssdk.services.s3.model.S3Exception: "
               + denial_text(i, role, t.id, "s3:GetObject", f"arn:aws:s3:::{INVOICE_BUCKET}/{key}")
               + f" (Service: S3, Status Code: 403, Request ID: {b.ids.request_id()}, "
                 f"Extended Request ID: {b.ids.s3_ext_id()})")
        frames = ["\tat software.amazon.awssdk.services.s3.model.S3Exception$BuilderImpl.build(S3Exception.java:104)",
                  "\tat com.example.orders.invoice.S3InvoiceStore.fetch(S3InvoiceStore.java:58)"]
        b.log(ts + 1, i, t, exc)
        for k, f in enumerate(frames):
            b.log(ts + 1, i, t, f)
        b.fact("denial", ts + 1, i.service, t.id, cause, note="s3:GetObject as " + role)

    @staticmethod
    def breaker_open(b: Bundle, i: Identity, t: Task, ts: int, order: int) -> None:
        thread = f"http-nio-{i.port}-exec-{b.rng.randrange(1, 11)}"
        JavaApp.line(b, i, t, ts, "WARN", thread, "c.e.orders.invoice.InvoiceController",
                     f"Invoice store unavailable for order {order}: CircuitBreaker 'invoiceStore' is OPEN "
                     "and does not permit further calls")


class NodeApp:
    """Express + pino-http service (one JSON object per line)."""

    @staticmethod
    def hostname(t: Task) -> str:
        return f"ip-{t.ip.replace('.', '-')}.eu-west-1.compute.internal"

    @staticmethod
    def rec(b: Bundle, i: Identity, t: Task, ts: int, level: int, msg: str, **kw: Any) -> None:
        rec = {"level": level, "time": ts, "pid": 1, "hostname": NodeApp.hostname(t), **kw, "msg": msg}
        b.log(ts, i, t, j_compact(rec))

    @staticmethod
    def request(b: Bundle, i: Identity, t: Task, ts: int, path: str, status: int, ms: float, method: str = "GET") -> None:
        NodeApp.rec(b, i, t, ts, 30 if status < 500 else 50, "request completed" if status < 500 else "request errored",
                    req={"id": b.rng.randrange(1, 99999), "method": method, "url": path,
                         "remoteAddress": "::ffff:" + b.rng.choice(ALB_NODES), "remotePort": b.rng.randrange(30000, 65000)},
                    res={"statusCode": status}, responseTime=round(ms, 0))
        if ms >= 1_000:
            b.fact("app-latency", ts, i.service, t.id, value=ms / 1000)


class GoApp:
    """Go service with zap JSON logging (ts as float seconds)."""

    @staticmethod
    def rec(b: Bundle, i: Identity, t: Task, ts: int, level: str, caller: str, msg: str, **kw: Any) -> None:
        rec = {"level": level, "ts": round(ts / 1000 + (ts % 7) * 0.0000013, 7), "caller": caller, "msg": msg, **kw}
        b.log(ts, i, t, j_compact(rec))


# ----------------------------------------------------------------------------------------
# oracle: the engine's rule defaults applied to the recorded facts
# ----------------------------------------------------------------------------------------

@dataclass
class Detection:
    rule: str
    service: str
    cause: str
    first_evidence: int
    met: int
    count_in_window: int
    total: int
    detail: str = ""


def oracle(b: Bundle) -> list[Detection]:
    out: list[Detection] = []
    end = b.max_event_time()
    facts = sorted(b.facts, key=lambda f: f.ts)

    # access-denied: >= 3 denials (or missing-credential errors) for one service within 5 min
    by_svc: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        if f.kind in ("denial", "nocred"):
            by_svc[f.service].append(f)
    for svc, fs in sorted(by_svc.items()):
        for k in range(DENIAL_THRESHOLD - 1, len(fs)):
            if fs[k].ts - fs[k - DENIAL_THRESHOLD + 1].ts <= DENIAL_WINDOW_MS:
                causes = sorted({f.cls for f in fs})
                window = [f for f in fs if fs[k].ts - DENIAL_WINDOW_MS <= f.ts <= fs[k].ts]
                out.append(Detection("access-denied", svc, "/".join(causes), fs[0].ts, fs[k].ts,
                                     len(window), len(fs), fs[0].note))
                break

    # restart-loop: >= 3 failures of one class for one service within 15 min (one per task)
    stops: dict[tuple[str, str], dict[str, Fact]] = defaultdict(dict)
    for f in facts:
        if f.kind == "stopped" and f.cls:
            stops[(f.service, f.cls)].setdefault(f.task, f)
    for (svc, cls), per_task in sorted(stops.items()):
        fs = sorted(per_task.values(), key=lambda f: f.ts)
        for k in range(FAILURE_THRESHOLD - 1, len(fs)):
            if fs[k].ts - fs[k - FAILURE_THRESHOLD + 1].ts <= FAILURE_WINDOW_MS:
                out.append(Detection("restart-loop", svc, cls, fs[0].ts, fs[k].ts,
                                     sum(1 for f in fs if fs[k].ts - FAILURE_WINDOW_MS <= f.ts <= fs[k].ts),
                                     len(fs), fs[0].note))
                break

    # saturation: util >= 90 % of reserved, or ALB target_processing_time p90 >= 10 s, sustained 5 min
    series: dict[tuple[str, str, str], list[Fact]] = defaultdict(list)
    for f in facts:
        if f.kind == "util":
            series[(f.service, f.task, f.cls)].append(f)
    sat: dict[tuple[str, str], Detection] = {}
    for (svc, task, metric), fs in sorted(series.items()):
        run_start = None
        prev = None
        for f in fs:
            if f.value >= SATURATION_PCT and (prev is None or run_start is None or f.ts - prev.ts <= 60_000):
                run_start = run_start if run_start is not None else f
                if f.ts - run_start.ts >= SUSTAIN_MS:
                    d = Detection("saturation", svc, metric, run_start.ts, f.ts, 0, 0,
                                  f"task {task[:8]}")
                    key = (svc, metric)
                    if key not in sat or d.met < sat[key].met:
                        sat[key] = d
                    break
            else:
                run_start = f if f.value >= SATURATION_PCT else None
            prev = f
    lat: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for f in facts:
        if f.kind == "latency":
            lat[f.service][f.ts - f.ts % 60_000].append(f.value)
    for svc, buckets in sorted(lat.items()):
        run_start = None
        for minute in sorted(buckets):
            vals = sorted(buckets[minute])
            p90 = vals[min(len(vals) - 1, int(0.9 * len(vals)))]
            if p90 >= LATENCY_S:
                if run_start is None or minute - prev_minute > 60_000:
                    run_start = minute
                if minute - run_start >= SUSTAIN_MS:
                    sat[(svc, "latency")] = Detection("saturation", svc, "latency", run_start, minute, 0, 0,
                                                      "ALB target_processing_time p90 per minute")
                    break
            else:
                run_start = None
            prev_minute = minute
    out += [sat[k] for k in sorted(sat)]

    # missing-logs (a): logger failure at task start
    seen_logger = set()
    for f in facts:
        if f.kind == "stopped" and f.cls == "logger" and f.service not in seen_logger:
            seen_logger.add(f.service)
            n = sum(1 for g in facts if g.kind == "stopped" and g.cls == "logger" and g.service == f.service)
            out.append(Detection("missing-logs", f.service, "log-group-missing (logger failure at start)",
                                 f.ts, f.ts, 1, n, f.note[:90]))

    # missing-logs (b): RUNNING task silent for 5 min in a stream ending in its id
    logs_by_task: dict[str, list[int]] = defaultdict(list)
    for f in facts:
        if f.kind == "log":
            logs_by_task[f.note.rsplit("/", 1)[-1]].append(f.ts)
    stopped_at = {f.task: f.ts for f in facts if f.kind == "stopped"}
    for f in facts:
        if f.kind != "running":
            continue
        last = f.ts
        stop = stopped_at.get(f.task, 1 << 62)
        for ts in sorted(x for x in logs_by_task.get(f.task, []) if x >= f.ts - 5_000) + [1 << 62]:
            deadline = last + SILENCE_MS
            if ts > deadline and stop > deadline and end >= deadline:
                out.append(Detection("missing-logs", f.service, "no stream since RUNNING (no-log-configuration)"
                                     if not logs_by_task.get(f.task) else "stream went silent",
                                     f.ts, deadline, 0, 0, f"task {f.task}"))
                break
            last = max(last, ts)
            if ts >= stop:
                break
    return out


# ----------------------------------------------------------------------------------------
# shared episode builders
# ----------------------------------------------------------------------------------------

def elb_stop_reason(i: Identity) -> str:
    return f"Task failed ELB health checks in (target-group {i.target_group})"


def deployment_stop_reason(dep: str) -> str:
    return f"Scaling activity initiated by (deployment {dep})"


def replace_task(b: Bundle, i: Identity, old: Task, ts: int, dep: str, java: bool = True) -> None:
    """Normal deployment scale-in of an old task (hard negative: a STOPPED that is not a failure)."""
    old.stop_requested = ts
    old.stop_reason = deployment_stop_reason(dep)
    old.stop_code = "ServiceSchedulerInitiated"
    old.exit_code = 143 if java else 0
    sigterm = ts + 5_600
    old.stopped = sigterm + 2_950
    svc_event(b, i, ts + 150, Msg.stopped(i, [old]))
    svc_event(b, i, ts + 320, Msg.draining(i))
    svc_event(b, i, ts + 410, Msg.deregistered(i))
    if java:
        JavaApp.shutdown(b, i, old, sigterm)


def hc_kill_cycle(b: Bundle, i: Identity, t0: int, launched: int, rev: int, dep: str, late: bool = False,
                  grace: int = 0, startup_s: float = 34.8) -> Task:
    """One pass of the health-check restart loop (pattern 2): RUNNING at t0, ELB health checks
    start immediately (interval 10 s, unhealthy threshold 2, grace 0), app needs 34.8 s, the task
    is killed at ~t0+26 s (late variant: registration was slow, killed at t0+38.2 s, just after the
    app logged readiness)."""
    t = b.new_task(i, rev, created=launched, started_by=dep)
    t.running = t0
    reg = t0 + (12_000 if late else 1_500)
    first_hc = reg + 4_500 if not late else t0 + 18_000
    unhealthy = first_hc + 10_800
    sigterm = t0 + (36_600 if late else 23_000)
    t.stop_requested = unhealthy + 400
    t.stopped = t0 + (38_200 if late else 26_000)
    t.stop_reason = elb_stop_reason(i)
    t.stop_code = "ServiceSchedulerInitiated"
    t.exit_code = 143
    svc_event(b, i, reg, Msg.registered(i))
    JavaApp.boot(b, i, t, t0, startup_s=startup_s, until=sigterm)
    hc = first_hc
    while hc < sigterm:
        JavaApp.health(b, i, t, hc, 503, ALB_NODES[0])
        if hc + 2_300 < sigterm:
            JavaApp.health(b, i, t, hc + 2_300, 503, ALB_NODES[1])
        hc += 10_000
    svc_event(b, i, unhealthy + 200, Msg.unhealthy(i, t, "Health checks failed with these codes: [503]"))
    svc_event(b, i, unhealthy + 400, Msg.stopped(i, [t]))
    svc_event(b, i, unhealthy + 600, Msg.draining(i))
    svc_event(b, i, unhealthy + (2_100 if late else 700), Msg.deregistered(i))
    JavaApp.shutdown(b, i, t, sigterm)
    eb_task_lifecycle(b, t)
    return t


def java_steady_traffic(b: Bundle, i: Identity, t: Task, start: int, end: int, hc_every_s: int = 30,
                        req_per_min: float = 3.0, paths: tuple[str, ...] = ("/orders/{n}", "/orders?customer={c}",
                                                                            "/orders/{n}/status")) -> None:
    """Health-check 200s from both ALB nodes plus ordinary requests (noise)."""
    ts = start + b.rng.randrange(0, hc_every_s * 1000)
    while ts < end:
        JavaApp.health(b, i, t, ts, 200, ALB_NODES[0])
        if ts + 2_300 < end:
            JavaApp.health(b, i, t, ts + 2_300, 200, ALB_NODES[1])
        ts += hc_every_s * 1000
    ts = start + b.rng.randrange(0, 20_000)
    while req_per_min > 0 and ts < end:
        p = b.rng.choice(paths).format(n=b.rng.randrange(40000, 49999), c=f"c_{b.ids.hex(4)}")
        JavaApp.request(b, i, t, ts, p, b.rng.choice([200] * 12 + [404, 304]), b.rng.randrange(6, 90))
        ts += int(b.rng.expovariate(req_per_min / 60_000)) + 500


def py_steady_traffic(b: Bundle, i: Identity, t: Task, start: int, end: int, hc_every_s: int = 30,
                      req_per_min: float = 3.0) -> None:
    ts = start + b.rng.randrange(0, hc_every_s * 1000)
    while ts < end:
        PyApp.access(b, i, t, ts, "/healthz", 200)
        ts += hc_every_s * 1000
    ts = start + b.rng.randrange(0, 20_000)
    while ts < end:
        n = b.rng.randrange(40000, 49999)
        kind = b.rng.random()
        if kind < 0.6:
            PyApp.info(b, i, t, ts - 14, "order fetched", order_id=n, duration_ms=round(b.rng.uniform(4, 60), 1),
                       request_id=b.ids.uuid())
            PyApp.access(b, i, t, ts, f"/orders/{n}", 200)
        elif kind < 0.85:
            PyApp.access(b, i, t, ts, f"/orders?customer=c_{b.ids.hex(4)}&limit=20", 200)
        else:
            PyApp.access(b, i, t, ts, f"/orders/{n}", 404)
        ts += int(b.rng.expovariate(req_per_min / 60_000)) + 500


def alb_background(b: Bundle, i: Identity, targets: list[Task], start: int, end: int, per_min: float,
                   latency: Callable[[int], float] | None = None, paths: tuple[str, ...] = ("/orders/{n}",)) -> None:
    ts = start
    while True:
        ts += int(b.rng.expovariate(per_min / 60_000)) + 50
        if ts >= end:
            break
        live = [t for t in targets if (t.running or 0) <= ts < (t.stopped or 1 << 62)]
        if not live:
            continue
        t = b.rng.choice(live)
        tp = latency(ts) if latency else b.rng.uniform(0.004, 0.120)
        code = b.rng.choice([200] * 20 + [404, 304])
        alb_line(b, i, ts + int(tp * 1000), t.ip, 0.0, round(tp, 3), 0.0, code, code, "GET",
                 b.rng.choice(paths).format(n=b.rng.randrange(40000, 49999)), b.rng.choice(CLIENT_UAS),
                 b.rng.randrange(300, 5200), h2=b.rng.random() < 0.3)


# ----------------------------------------------------------------------------------------
# scenarios
# ----------------------------------------------------------------------------------------

@dataclass
class Scenario:
    name: str
    bundle: Bundle
    files: dict[str, bytes]
    title: str
    story: str
    expect: list[str]
    negatives: list[str]
    bad_input: list[str]
    sources: list[str]
    oracle_bundles: list[Bundle] = field(default_factory=list)


def txt(s: str) -> bytes:
    return s.encode("utf-8")


def eb_jsonl(b: Bundle, events: list[dict] | None = None) -> str:
    return "".join(j_compact(e) + "\n" for e in (events if events is not None else eb_sorted(b)))


def scenario_access_denied() -> Scenario:
    """Hour 0 of the story on its own: a Python/boto3 service whose task role lacks s3:GetObject."""
    b = Bundle("access-denied")
    i = ORDERS
    dep = b.ids.deployment_id()
    tasks = []
    for k, (launch, run) in enumerate([(T(9, 6, 55.2), T(9, 7, 48.4)), (T(9, 7, 20.9), T(9, 8, 13.7))]):
        t = b.new_task(i, 7, created=launch, started_by=dep)
        t.running = run
        tasks.append(t)
        eb_task(b, t, "RUNNING")
        PyApp.startup(b, i, t, run + 1_900)
        py_steady_traffic(b, i, t, run + 4_000, T(9, 31), hc_every_s=60, req_per_min=1.2)
    end = T(9, 31)
    alb_background(b, i, tasks, T(9, 7, 50), end, per_min=2.5)
    # the partner's invoice sync starts at 09:14 and fails every ~20 s for 15 minutes
    ts = T(9, 14, 0.4)
    n = 0
    while ts < T(9, 29):
        t = tasks[n % 2] if b.rng.random() < 0.8 else tasks[(n + 1) % 2]
        order = 40100 + b.rng.randrange(0, 900)
        PyApp.s3_denied(b, i, t, ts + 35, order, i.task_role, t.id, "task-role-missing-permission")
        b.log(ts + 39, i, t, j_spaced({"event": "request failed", "method": "GET", "path": f"/orders/{order}/invoice",
                                       "status_code": 500, "duration_ms": round(b.rng.uniform(38, 47), 1),
                                       "client": "partner-invoice-sync", "logger": "orders.api", "level": "error",
                                       "timestamp": iso_ms(ts + 39)}))
        PyApp.access(b, i, t, ts + 41, f"/orders/{order}/invoice", 500)
        alb_line(b, i, ts + 44, t.ip, 0.001, 0.041, 0.0, 500, 500, "GET", f"/orders/{order}/invoice",
                 PARTNER_UA, 290)
        ts += 20_000 + b.rng.randrange(-4_000, 4_000)
        n += 1
    ev_lines = eb_jsonl(b)
    first_running = ev_lines.splitlines()[0]
    ev_text = ev_lines + first_running[: int(len(first_running) * 0.62)]   # partial last line, no newline
    files = {
        "app-logs.filter-log-events.json": txt(j_pretty(fle_doc(b.sorted_logs()))),
        "alb-access-0905-0931.log": txt("".join(l + "\n" for _, l in sorted(b.alb))),
        "eventbridge-ecs-tasks.jsonl": txt(ev_text),
    }
    denials = [f for f in b.facts if f.kind == "denial"]
    return Scenario(
        "access-denied", b, files,
        "Access denied: the task role lacks s3:GetObject (footgun #1)",
        f"`orders-api` (Python 3.12, FastAPI/uvicorn, boto3) runs two Fargate tasks "
        f"`{tasks[0].id}` and `{tasks[1].id}` (RUNNING 09:07:48 / 09:08:13, a fresh deployment). At 09:14 a partner starts "
        f"syncing invoices: every ~20 s `GET /orders/<n>/invoice` calls `s3:GetObject` on "
        f"`{INVOICE_BUCKET}` as the task role `{i.task_role}`, which has no S3 permission. Each failure is "
        f"one uvicorn traceback (one CloudWatch event per line, the last line is the botocore ClientError), "
        f"one uvicorn access line with 500 and one ALB access-log 500. {len(denials)} denials between "
        f"{hms(denials[0].ts)} and {hms(denials[-1].ts)}; ordinary traffic and health checks continue.",
        [f"**access-denied** for service `orders-api`, cause **task-role-missing-permission**: principal "
         f"`assumed-role/{i.task_role}/<task id>` (the task role named in the task definition, session = task id), "
         f"action `s3:GetObject`, resource `arn:aws:s3:::{INVOICE_BUCKET}/invoices/2026/11/*`. Fix: grant "
         f"`s3:GetObject` on that bucket to `{i.task_role}` (not to the execution role).",
         "Evidence to show: the ClientError lines (both task ids), the 500s at the same times in the app "
         "access log and in the ALB log (`elb_status_code` 500, `target_status_code` 500)."],
        ["restart-loop (no task stops at all)", "saturation (no metrics; latencies ~40 ms)",
         "missing-logs: both RUNNING tasks log every few seconds",
         "the traceback frame lines (`Traceback …`, `  File …`) must not count as extra denials: "
         f"exactly {len(denials)} denials"],
        ["`eventbridge-ecs-tasks.jsonl` line 3, the last, is a partial line (a copy of the first RUNNING event cut "
         "at 62 %, no trailing newline): report 1 undecodable record, nothing else changes."],
        ["`aws logs filter-log-events --log-group-name /ecs/orders-api --start-time 1795165620000 "
         "--end-time 1795167060000 > app-logs.filter-log-events.json` (CLI v2, pretty JSON)",
         "`aws s3 cp --recursive s3://orders-alb-logs/AWSLogs/123456789012/elasticloadbalancing/eu-west-1/2026/11/20/ . "
         "&& zcat *.log.gz | sort -k2 > alb-access-0905-0931.log`",
         "EventBridge rule `source=aws.ecs, detail-type=ECS Task State Change` → Firehose → S3, then `jq -c .`"],
    )


def grace_episode(b: Bundle, i: Identity, replaced: Task, deploy_ts: int, new_dep: str, rev: int,
                  kills: int = 7, first_running: int = T(10, 0)) -> tuple[list[Task], int]:
    """Deployment that rolls one slot into the health-check restart loop. Returns the killed tasks
    and the launch time of the next replacement."""
    eb_deployment(b, i, deploy_ts, "SERVICE_DEPLOYMENT_IN_PROGRESS", new_dep)
    replace_task(b, i, replaced, deploy_ts + 800, new_dep)
    eb_task_lifecycle(b, replaced, start=False)
    launched = deploy_ts + 2_200
    t0 = first_running
    killed = []
    for k in range(kills):
        t = hc_kill_cycle(b, i, t0, launched, rev, new_dep, late=(k == 3))
        svc_event(b, i, launched + 200, Msg.started(i, [t]))
        killed.append(t)
        launched = t.stop_requested + 1_300
        t0 = first_running + (k + 1) * 130_000 + b.rng.randrange(0, 3_000)
    return killed, launched


def scenario_grace_period() -> Scenario:
    """Hour 1: no health-check grace period, app needs 34.8 s, killed after ~26 s, 7 times."""
    b = Bundle("grace-period")
    i = ORDERS
    old_dep = b.ids.deployment_id()
    new_dep = b.ids.deployment_id()
    # two rev-7 tasks from earlier; one keeps serving, one is replaced by the deployment
    o1 = b.new_task(i, 7, created=T(9, 18, 2.0), started_by=old_dep)
    o1.running = T(9, 18, 51.3)
    o2 = b.new_task(i, 7, created=T(9, 18, 2.6), started_by=old_dep)
    o2.running = T(9, 18, 49.8)
    end = T(10, 15)
    java_steady_traffic(b, i, o1, T(9, 55), end, hc_every_s=10, req_per_min=4)
    java_steady_traffic(b, i, o2, T(9, 55), T(9, 58, 21), hc_every_s=10, req_per_min=4)
    cycle_tasks, launched = grace_episode(b, i, o2, T(9, 58, 15.2), new_dep, 8)
    nxt = Task(i, b.ids.task_id(), 8, "", "", launched)
    svc_event(b, i, launched + 200, Msg.started(i, [nxt]))
    tail_events = b.sorted_logs(lambda e: e.ts >= T(9, 55))
    ev = eb_sorted(b)
    dup = json.loads(json.dumps([e for e in ev if e["detail"].get("lastStatus") == "STOPPED"
                                 and e["resources"][0].endswith(cycle_tasks[1].id)][0]))
    dup["id"] = b.ids.uuid()
    ev_lines = [j_compact(e) for e in ev]
    pos = next(k for k, line in enumerate(ev_lines) if dup["detail"]["taskArn"] in line and '"STOPPED","memory"' in line)
    ev_lines.insert(pos + 1, j_compact(dup))
    trunc_src = ev_lines[len(ev_lines) // 2]
    bad_line = len(ev_lines) // 2 + 2
    ev_lines.insert(bad_line - 1, trunc_src[: int(len(trunc_src) * 0.41)])
    st = ServiceState(i, 8, desired=2, running=1, pending=1, grace=0, created=T(8, 30),
                      deployments=[deployment(i, new_dep, "PRIMARY", 8, 2, 0, T(9, 58, 15), T(10, 13, 27), "IN_PROGRESS", 1, 7),
                                   deployment(i, old_dep, "ACTIVE", 7, 1, 1, T(9, 17, 58), T(9, 58, 41), "COMPLETED")])
    tg = target_groups_doc(i, interval=10, unhealthy=2, healthy=5, path="/actuator/health")
    files = {
        "app-logs.tail-detailed.txt": txt(tail_detailed(tail_events)),
        "eventbridge-task-state-change.jsonl": txt("".join(line + "\n" for line in ev_lines)),
        "describe-services.json": txt(describe_services(b, [st], "v2")),
        "describe-target-groups.json": txt(j_pretty(tg)),
    }
    kills = [t.stopped for t in cycle_tasks]
    late = cycle_tasks[3]
    return Scenario(
        "grace-period", b, files,
        "Restart loop: ELB health checks kill tasks before the app is ready (footgun #2)",
        f"At 09:58:15 a deployment (`{new_dep}`, task definition `orders-api:8`) replaces one of two rev-7 "
        f"tasks (minimumHealthyPercent 50, maximumPercent 100, so one slot is rolled at a time). The service has "
        f"`healthCheckGracePeriodSeconds: 0`; the target group checks `/actuator/health` every 10 s and marks a "
        f"target unhealthy after 2 failures. The Spring Boot app needs 34.8 s to start (\"Started OrdersApplication in "
        f"34.8 seconds (process running for 36.1)\"), answers 503 to `ELB-HealthChecker/2.0` meanwhile, and is "
        f"killed ~26 s after RUNNING. 7 tasks are killed between {hms(kills[0])} and {hms(kills[-1])}; the 4th "
        f"(`{late.id}`) was registered late, so it logged readiness at {hms(late.running + 36_300)} and was killed "
        f"at {hms(late.stopped)}; the 8th is being launched when the export ends. Rev-7 task `{o1.id}` keeps serving.",
        [f"**restart-loop** for `orders-api`, class **elb-health-check** (stoppedReason `Task failed ELB health "
         f"checks in (target-group …)`, stopCode `ServiceSchedulerInitiated`, exitCode 143), cause "
         f"**health-check-grace-period**: tasks are killed {26.0:.0f}–{38.2:.1f} s after RUNNING while the app needs "
         f"34.8 s (measured from `Starting OrdersApplication` to `Started OrdersApplication`, or read from the "
         f"`Started … in 34.8 seconds` line of task `{late.id}`); `healthCheckGracePeriodSeconds` is 0 "
         f"(describe-services). Fix: grace period > startup (e.g. 60 s) or a faster start.",
         "Evidence: 7 STOPPED events, the `(port 8080) is unhealthy in (target-group …) due to (reason Health checks "
         "failed with these codes: [503])` service events, the 503 health-check lines in the task streams."],
        ["app-crash / oom (exit code is 143 from SIGTERM, no OutOfMemoryError)",
         "`is unable to consistently start tasks successfully` is absent on purpose (tasks reached RUNNING) — the "
         "engine must not need it",
         "the deployment scale-in of the rev-7 task (`Scaling activity initiated by (deployment …)`) is not a failure",
         "access-denied, saturation, missing-logs (every task that reached RUNNING logged within 2 s)",
         f"the duplicate STOPPED event of task `{cycle_tasks[1].id}` (same detail.version 6, different event id) "
         "is counted once: 7 failures, not 8"],
        [f"`eventbridge-task-state-change.jsonl` line {bad_line} is truncated (41 % of a copy of the line above it): "
         "1 undecodable record."],
        ["`aws logs tail /ecs/orders-api --since 2026-11-20T09:55:00Z > app-logs.tail-detailed.txt` (no TTY, so no colours)",
         "EventBridge → Firehose → S3, `jq -c .` (includes one at-least-once duplicate)",
         "`aws ecs describe-services --cluster prod --services orders-api` at 10:15 (CLI v2, laptop in -07:00)",
         "`aws elbv2 describe-target-groups --names orders-api`"],
    )


def target_groups_doc(i: Identity, interval: int, unhealthy: int, healthy: int, path: str) -> dict:
    return {"TargetGroups": [{
        "TargetGroupArn": i.target_group, "TargetGroupName": i.target_group.split("/")[-2], "Protocol": "HTTP",
        "Port": 80, "VpcId": "vpc-0a9b8c7d6e5f40312", "HealthCheckProtocol": "HTTP", "HealthCheckPort": "traffic-port",
        "HealthCheckEnabled": True, "HealthCheckIntervalSeconds": interval, "HealthCheckTimeoutSeconds": 5,
        "HealthyThresholdCount": healthy, "UnhealthyThresholdCount": unhealthy, "HealthCheckPath": path,
        "Matcher": {"HttpCode": "200"},
        "LoadBalancerArns": [f"arn:aws:elasticloadbalancing:{i.region}:{i.account}:loadbalancer/{i.load_balancer}"],
        "TargetType": "ip", "ProtocolVersion": "HTTP1", "IpAddressType": "ipv4"}]}


def saturation_latency(ts: int, start: int, end: int, rng: random.Random) -> float:
    """ALB target_processing_time during a 10x promotion against 2 fixed tasks."""
    if ts < start or ts >= end + 3 * 60_000:
        return rng.uniform(0.008, 0.140)
    m = (ts - start) / 60_000
    if ts >= end:   # recovery after the peak
        return max(0.05, rng.uniform(6.0, 9.0) * (1 - (ts - end) / 180_000))
    if m < 1:
        return rng.uniform(1.2, 3.4)
    if m < 2:
        return rng.uniform(4.0, 8.5)
    if m < 3:
        return rng.uniform(11.0, 17.0)
    return rng.uniform(28.0, 31.0)


def saturation_episode(b: Bundle, i: Identity, tasks: list[Task], start: int, peak_end: int, win_start: int,
                       win_end: int, base_rpm: float, peak_rpm: float, app_task: Task | None,
                       node_app: bool = True, app_log: Callable[[Task, int, str, int, float], None] | None = None,
                       ci_windows: list[tuple[int, int]] | None = None) -> None:
    """Container Insights each minute, ALB 10x traffic with 28-31 s latency and some 504s, app request logs."""
    minutes = [m for a, z in (ci_windows or [(win_start, win_end)]) for m in range(a, z, 60_000)]
    for minute in minutes:
        for t in tasks:
            if not ((t.running or 0) <= minute < (t.stopped or 1 << 62)):
                continue
            if start <= minute < peak_end:
                cpu = b.rng.uniform(95.2, 99.6)
            elif peak_end <= minute < peak_end + 4 * 60_000:
                cpu = 88.0 - (minute - peak_end) / 60_000 * 12 + b.rng.uniform(-2, 2)
            else:
                cpu = b.rng.uniform(31.0, 39.5)
            ci_task(b, t, minute, cpu, b.rng.uniform(54, 63))
        ci_service(b, i, minute, 2, min(2, sum(1 for t in tasks if (t.running or 0) <= minute < (t.stopped or 1 << 62))))
    ts = win_start
    while True:
        peak = start <= ts < peak_end
        rpm = peak_rpm if peak else base_rpm
        ts += int(b.rng.expovariate(rpm / 60_000)) + 20
        if ts >= win_end:
            break
        live = [t for t in tasks if (t.running or 0) + 45_000 <= ts < (t.stopped or 1 << 62) - 9_000]
        if not live:
            continue
        t = b.rng.choice(live)
        path = b.rng.choice(["/orders/{n}", "/promotions/black-friday/items?page={p}", "/cart/{n}",
                             "/orders/{n}/status"]).format(n=b.rng.randrange(40000, 49999), p=b.rng.randrange(1, 40))
        tp = saturation_latency(ts, start, peak_end, b.rng)
        if peak and tp > 20 and b.rng.random() < 0.07:
            # idle timeout (60 s): ALB gives up, target never answered
            alb_line(b, i, ts + 60_000, t.ip, 0.000, -1, -1, 504, None, "GET", path, b.rng.choice(CLIENT_UAS),
                     202, duration_s=60.0)
            continue
        code = b.rng.choice([200] * 25 + [404, 304])
        alb_line(b, i, ts + int(tp * 1000), t.ip, 0.0, round(tp, 3), 0.0, code, code, "GET", path,
                 b.rng.choice(CLIENT_UAS), b.rng.randrange(300, 5200), h2=b.rng.random() < 0.3)
        if app_task is not None and t is app_task and node_app:
            NodeApp.request(b, i, t, ts + int(tp * 1000) - 3, path, code, tp * 1000 + b.rng.uniform(0, 4))
        if app_log is not None:
            app_log(t, ts + int(tp * 1000) - 3, path, code, tp)


def scenario_saturation() -> Scenario:
    b = Bundle("saturation")
    i = ORDERS
    dep = b.ids.deployment_id()
    tasks = []
    for k in range(2):
        t = b.new_task(i, 5, created=T(8, 1, 10 + k * 3), started_by=dep)
        t.running = T(8, 2, 4 + k * 3.7)
        tasks.append(t)
    s1 = tasks[0]
    win_start, win_end = T(10, 54), T(11, 20)
    saturation_episode(b, i, tasks, T(11, 0), T(11, 12), win_start, win_end, 3.0, 30.0, s1)
    # S1 health checks (pino logs them too) and an occasional housekeeping line
    ts = win_start + 7_000
    while ts < win_end:
        slow = T(11, 0) <= ts < T(11, 12)
        NodeApp.request(b, i, s1, ts, "/healthz", 200, b.rng.uniform(1800, 3900) if slow else b.rng.uniform(0.4, 2.0))
        ts += 30_000
    for m in range(win_start + 45_000, win_end, 300_000):
        NodeApp.rec(b, i, s1, m, 30, "promotion price cache refreshed", entries=b.rng.randrange(900, 1200))
    svc_event(b, i, T(8, 3, 12.5), Msg.steady(i))
    svc_event(b, i, T(8, 2, 40.1), Msg.registered(i, 2))
    svc_event(b, i, T(8, 1, 12.3), Msg.started(i, tasks))
    st = ServiceState(i, 5, desired=2, running=2, grace=60, created=T(8, 0),
                      deployments=[deployment(i, dep, "PRIMARY", 5, 2, 2, T(8, 1, 8), T(8, 3, 12), "COMPLETED")])
    ci_lines = cw_jsonl(ci_as_log_events(b)).splitlines(keepends=True)
    bad_line = len(ci_lines) * 2 // 3 + 1
    cut = ci_lines[bad_line - 1]
    ci_lines.insert(bad_line - 1, cut[: int(len(cut) * 0.5)] + "\n")
    files = {
        "container-insights.jsonl": txt("".join(ci_lines)),
        f"app-logs-{s1.id}.tail.txt": txt(tail_detailed(b.sorted_logs())),
        "describe-services.json": txt(describe_services(b, [st], "v2")),
        "describe-scalable-targets.json": txt(j_pretty({"ScalableTargets": []})),
    }
    for name, body in alb_files(b.alb).items():
        files[f"alb/{name}.gz"] = gz(txt(body))
    return Scenario(
        "saturation", b, files,
        "Saturation: desired count hard-coded to 2, a 10x promotion (footgun #3)",
        f"`orders-api` (Node.js/express, pino) runs exactly two Fargate tasks (`{tasks[0].id}`, `{tasks[1].id}`; "
        f"1 vCPU = 1024 CPU units, 2048 MB each). At 11:00 a promotion multiplies traffic by 10 "
        f"(3 → 30 requests/min in this sample). From 11:00 to 11:11 both tasks use 95–99.6 % of their reserved CPU "
        f"(Container Insights `CpuUtilized`/`CpuReserved`), ALB `target_processing_time` climbs to 28–31 s "
        f"within 3 minutes and a few requests hit the 60 s idle timeout (504, `target_status_code` `-`, "
        f"processing times `-1`). Container Insights `Service` events show DesiredTaskCount 2 / RunningTaskCount 2 "
        f"throughout; there is no scaling policy (`describe-scalable-targets` is empty) and no scale-out event. "
        f"The promotion traffic drops at 11:12.",
        ["**saturation** for `orders-api`, metric **cpu** (≥ 90 % of reserved on both tasks from 11:00, sustained "
         "5 minutes at 11:05) and **latency** (ALB p90 ≥ 10 s per minute from 11:02, sustained at 11:07), cause "
         "**fixed-desired-count**: DesiredTaskCount stays 2 while saturated, no SERVICE_DESIRED_COUNT_UPDATED, "
         "no scalable target. Fix: Application Auto Scaling target tracking (ECSServiceAverageCPUUtilization or "
         "ALBRequestCountPerTarget) with MaxCapacity > 2.",
         "Evidence: the Task events at ≥ 95 %, the Service events with 2/2, the ALB lines at 28–31 s and the 504s; "
         "the app's own `responseTime` values (pino) agree."],
        ["restart-loop (no task stops; health checks slow to 2–4 s but stay under the 5 s timeout)",
         "access-denied, missing-logs (no RUNNING event in the window; only one task's stream was exported, which "
         "is what the engineer chose — not a missing-logs case)",
         "memory saturation (memory stays at 54–63 %)"],
        [f"`container-insights.jsonl` line {bad_line} is truncated at 50 % (a copy of line {bad_line + 1})."],
        ["`aws logs filter-log-events --log-group-name /aws/ecs/containerinsights/prod/performance "
         "--filter-pattern '{ $.ServiceName = \"orders-api\" }' --output json | jq -c '.events[] + "
         "{logGroupName: \"/aws/ecs/containerinsights/prod/performance\"}'`",
         "ALB access logs copied from S3 as they are stored (one gzip per LB node per 5 minutes)",
         f"`aws logs tail /ecs/orders-api --log-stream-names ecs/orders-api/{s1.id} --since …`",
         "`aws application-autoscaling describe-scalable-targets --service-namespace ecs "
         "--resource-ids service/prod/orders-api`"],
    )


def task_definition_doc(i: Identity, rev: int, log_config: bool = True, task_role: str | None = "default",
                        compat: str = "FARGATE", log_group: str | None = None, secrets: bool = False) -> dict:
    role = i.task_role if task_role == "default" else task_role
    c: dict[str, Any] = {
        "name": i.container, "image": f"{i.image}:{rev}.{hashlib.md5(str(rev).encode()).hexdigest()[:7]}",
        "cpu": 0, "portMappings": [{"containerPort": i.port, "hostPort": i.port if compat == "FARGATE" else 0,
                                    "protocol": "tcp", "name": f"{i.container}-{i.port}-tcp"}],
        "essential": True, "environment": [{"name": "SPRING_PROFILES_ACTIVE", "value": "prod"}]
        if i.service == "orders-api" else [{"name": "LOG_LEVEL", "value": "info"}],
        "mountPoints": [], "volumesFrom": [],
    }
    if secrets:
        c["secrets"] = [{"name": "DB_PASSWORD",
                         "valueFrom": f"arn:aws:ssm:{i.region}:{i.account}:parameter/{i.service}/db-password"}]
    if log_config:
        c["logConfiguration"] = {"logDriver": "awslogs", "options": {
            "awslogs-group": log_group or i.log_group, "awslogs-region": i.region, "awslogs-stream-prefix": "ecs"}}
    c["systemControls"] = []
    td: dict[str, Any] = {"taskDefinitionArn": i.taskdef_arn(rev), "containerDefinitions": [c], "family": i.family}
    if role:
        td["taskRoleArn"] = i.role_arn(role)
    td["executionRoleArn"] = i.role_arn(i.execution_role)
    td["networkMode"] = "awsvpc"
    td["revision"] = rev
    td["volumes"] = []
    td["status"] = "ACTIVE"
    td["requiresAttributes"] = [{"name": "com.amazonaws.ecs.capability.ecr-auth"},
                                {"name": "ecs.capability.execution-role-ecr-pull"}]
    td["placementConstraints"] = []
    td["compatibilities"] = ["EC2", "FARGATE"] if compat == "FARGATE" else ["EC2"]
    td["requiresCompatibilities"] = [compat]
    td["cpu"] = "1024"
    td["memory"] = "2048"
    td["registeredAt"] = iso_local(T(8, 20) + rev * 60_000)
    td["registeredBy"] = f"arn:aws:sts::{i.account}:assumed-role/platform-deployer/github-actions"
    return {"taskDefinition": td, "tags": []}


LOGGER_MISSING_GROUP = ("ResourceInitializationError: failed to validate logger args: The task cannot find the "
                        "Amazon CloudWatch log group defined in the task definition. There is a connection issue "
                        "between the task and Amazon CloudWatch. Check your network configuration. : signal: killed")
LOGGER_DOCKER = ("CannotStartContainerError: Error response from daemon: failed to initialize logging driver: "
                 "failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group "
                 "does not exist.")


def logger_failure_task(b: Bundle, i: Identity, launched: int, stopped: int, rev: int, dep: str,
                        reason: str, docker: bool = False, trim: int | None = None) -> Task:
    t = b.new_task(i, rev, created=launched, started_by=dep)
    if docker:
        t.launch_type = "EC2"
        t.capacity_provider = "prod-ecs-asg"
        t.group = f"family:{i.family}"
        t.started_by = ""
    t.stop_requested = stopped - 1_100
    t.stopped = stopped
    t.stop_reason = reason[:trim] if trim else reason
    t.stop_code = "TaskFailedToStart"
    if docker:
        t.container_reason = reason
    eb_task_lifecycle(b, t)
    return t


def scenario_missing_logs() -> Scenario:
    b = Bundle("missing-logs")
    api = ORDERS
    worker = ORDERS.but(service="orders-worker", container="orders-worker", family="orders-worker",
                        image="123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-worker", port=8081)
    pay = ORDERS.but(service="payments-api", container="payments-api", family="payments-api",
                     image="123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments-api",
                     target_group="arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/payments-api/0d1c9b2a38e4f567",
                     task_role="payments-task-role", execution_role="payments-api-ExecutionRole-9Z8Y7X6W5V4U")
    win_start, win_end = T(11, 55), T(12, 16)
    # (b) orders-api: rev 10 has no logConfiguration
    old_dep, new_dep = b.ids.deployment_id(), b.ids.deployment_id()
    olds = []
    for k in range(2):
        t = b.new_task(api, 9, created=T(10, 40, 3 + k), started_by=old_dep)
        t.running = T(10, 41, 2 + k * 4.1)
        olds.append(t)
        java_steady_traffic(b, api, t, win_start, win_end, hc_every_s=30, req_per_min=3)
    eb_deployment(b, api, T(12, 0, 0.4), "SERVICE_DEPLOYMENT_IN_PROGRESS", new_dep)
    news = []
    launch = T(12, 0, 1.3)
    for k, (old, run) in enumerate(zip(olds, [T(12, 1, 5.2), T(12, 3, 30.6)])):
        n = b.new_task(api, 10, created=launch, started_by=new_dep)
        n.running = run
        news.append(n)
        svc_event(b, api, launch + 150, Msg.started(api, [n]))
        eb_task(b, n, "RUNNING")
        svc_event(b, api, run + 1_800, Msg.registered(api))
        stop_at = run + 62_000   # grace 60 s, then healthy -> scheduler removes one old task
        replace_task(b, api, old, stop_at, new_dep)
        b.logs = [e for e in b.logs if not (e.stream == old.stream and e.ts > old.stopped)]
        b.facts = [f for f in b.facts if not (f.kind == "log" and f.task == old.id and f.ts > old.stopped)]
        eb_task_lifecycle(b, old, start=False)
        launch = stop_at + 1_400
    svc_event(b, api, T(12, 6, 12.0), Msg.steady(api))
    eb_deployment(b, api, T(12, 6, 12.0), "SERVICE_DEPLOYMENT_COMPLETED", new_dep)
    eb_service_action(b, api, T(12, 6, 12.3), "SERVICE_STEADY_STATE")
    # (a) orders-worker: log group /ecs/orders-worker was never created
    wdep = b.ids.deployment_id()
    stops = [(T(12, 0, 12.0), T(12, 0, 41.7)), (T(12, 1, 3.9), T(12, 1, 33.0)), (T(12, 2, 20.5), T(12, 3, 2.4)),
             (T(12, 5, 31.0), T(12, 6, 15.8))]
    wtasks = []
    for k, (launched, stopped) in enumerate(stops):
        wt = logger_failure_task(b, worker, launched, stopped, 3, wdep, LOGGER_MISSING_GROUP,
                                 trim=128 if k == 2 else None)
        svc_event(b, worker, launched + 120, Msg.started(worker, [wt]))
        wtasks.append(wt)
    svc_event(b, worker, T(12, 3, 40.2), Msg.unable_to_start(worker))
    eb_service_action(b, worker, T(12, 3, 40.2), "SERVICE_TASK_START_IMPAIRED", "WARN")
    manual = logger_failure_task(b, worker, T(12, 8, 2.0), T(12, 8, 20.9), 3, "", LOGGER_DOCKER, docker=True)
    # payments-api keeps logging the whole time (and scales out once)
    pdep = b.ids.deployment_id()
    ptasks = []
    for k in range(2):
        pt = b.new_task(pay, 21, created=T(9, 2, k), started_by=pdep)
        pt.running = T(9, 3, 11 + k * 2)
        ptasks.append(pt)
    p3 = b.new_task(pay, 21, created=T(11, 56, 4.0), started_by=pdep)
    p3.running = T(11, 57, 2.4)
    eb_task(b, p3, "RUNNING")
    ptasks.append(p3)
    for pt in ptasks:
        start = max(win_start, pt.running + 1_200)
        if pt is p3:
            PyApp.startup(b, pay, pt, pt.running + 1_100)
        ts = start + b.rng.randrange(0, 15_000)
        while ts < win_end:
            r = b.rng.random()
            if r < 0.5:
                PyApp.info(b, pay, pt, ts, "payment authorised", logger="payments.api",
                           payment_id=f"pay_{b.ids.hex(12)}", amount_cents=b.rng.randrange(500, 90000),
                           psp_latency_ms=b.rng.randrange(80, 900))
            elif r < 0.8:
                PyApp.access(b, pay, pt, ts, "/healthz", 200)
            else:
                PyApp.access(b, pay, pt, ts, f"/payments/pay_{b.ids.hex(12)}", 200)
            ts += b.rng.randrange(6_000, 25_000)
    states = [ServiceState(api, 10, desired=2, running=2, grace=60, created=T(8, 0),
                           deployments=[deployment(api, new_dep, "PRIMARY", 10, 2, 2, T(12, 0), T(12, 6, 12), "COMPLETED")]),
              ServiceState(worker.but(), 3, desired=1, running=0, pending=0, grace=None, created=T(11, 58),
                           load_balanced=False,
                           deployments=[deployment(worker, wdep, "PRIMARY", 3, 1, 0, T(12, 0, 9), T(12, 6, 16),
                                                   "IN_PROGRESS", 0, 4)])]
    pay_lines = cw_jsonl(b.sorted_logs(lambda e: e.group == pay.log_group)).splitlines(keepends=True)
    mid = len(pay_lines) // 2
    pay_lines.insert(mid, pay_lines[mid][: int(len(pay_lines[mid]) * 0.7)] + "\n")
    bad_line = mid + 1
    api_events = b.sorted_logs(lambda e: e.group == api.log_group)
    files = {
        "eventbridge-ecs.jsonl": txt(eb_jsonl(b)),
        "orders-api.filter-log-events.json": txt(j_pretty(fle_doc(api_events))),
        "payments-api.events.jsonl": txt("".join(pay_lines)),
        "describe-services.json": txt(describe_services(b, states, "v2")),
        "config/task-definition-orders-api-9.json": txt(j_pretty(task_definition_doc(api, 9))),
        "config/task-definition-orders-api-10.json": txt(j_pretty(task_definition_doc(api, 10, log_config=False))),
        "config/task-definition-orders-worker-3.json": txt(j_pretty(task_definition_doc(
            worker, 3, task_role="orders-worker-task-role"))),
    }
    return Scenario(
        "missing-logs", b, files,
        "Missing logs: no log group, and no logConfiguration at all (footgun #4)",
        f"Two services fail to produce logs in two different ways, 11:55–12:16.\n\n"
        f"(a) `orders-worker` (task definition `orders-worker:3`) points its awslogs driver at `/ecs/orders-worker`, "
        f"which was never created. Each Fargate task stops before RUNNING with `{LOGGER_MISSING_GROUP[:60]}…` "
        f"(stopCode `TaskFailedToStart`; one stoppedReason is trimmed to 128 characters as Fargate does). 4 service "
        f"tasks fail between {hms(wtasks[0].stopped)} and {hms(wtasks[-1].stopped)}, the scheduler reports `is unable "
        f"to consistently start tasks successfully` and a `SERVICE_TASK_START_IMPAIRED` action; at 12:08 an engineer "
        f"tries `run-task --launch-type EC2` (group `family:orders-worker`) and gets the Docker wording "
        f"`CannotStartContainerError: … failed to initialize logging driver …`.\n\n"
        f"(b) `orders-api` deploys task definition `orders-api:10`, registered without `logConfiguration`. The new "
        f"tasks `{news[0].id}` (RUNNING {hms(news[0].running)}) and `{news[1].id}` (RUNNING {hms(news[1].running)}) "
        f"run and pass health checks, but no stream `ecs/orders-api/<id>` ever appears for them. The old rev-9 "
        f"tasks log until they are replaced. Meanwhile `payments-api` logs continuously (and starts a third task at "
        f"11:57 whose stream appears within 2 s), so event time keeps moving.",
        [f"**missing-logs (a)** for `orders-worker`, cause **log-group-missing**: fires on the first logger failure "
         f"({hms(wtasks[0].stopped)}, task `{wtasks[0].id}`). Fix: create `/ecs/orders-worker` or set "
         f"`awslogs-create-group: true` (needs logs:CreateLogGroup on the execution role).",
         f"**missing-logs (b)** for `orders-api`, cause **no-log-configuration**: task `{news[0].id}` has no record in "
         f"a stream ending in its id 5 minutes after RUNNING (condition at {hms(news[0].running + SILENCE_MS)}; with "
         f"the 30 s lateness the alert can be emitted once event time reaches "
         f"{hms(news[0].running + SILENCE_MS + LATENESS_MS)}); the same for `{news[1].id}` at "
         f"{hms(news[1].running + SILENCE_MS)}. Evidence: `orders-api:10` has no logConfiguration, rev 9 had one.",
         "A restart-loop alert for `orders-worker` (4 failures of class logger within 15 min) is acceptable only if it "
         "names the logger error; it must not be classed as a health-check or app-crash loop."],
        ["missing-logs for `payments-api` (its new task logs within 2 s) or for the old `orders-api` rev-9 tasks "
         "(they stop, their silence after STOPPED is expected)",
         "missing-logs (b) for the `orders-worker` tasks (they never reached RUNNING; that is case (a))",
         "access-denied (no denial anywhere), saturation (no metrics)",
         "the deployment scale-in stops of the rev-9 tasks are not failures"],
        [f"`payments-api.events.jsonl` line {bad_line} is truncated at 70 % (a copy of line {bad_line + 1})."],
        ["EventBridge → Firehose → S3, `jq -c .`",
         "`aws logs filter-log-events --log-group-name /ecs/orders-api --start-time … > orders-api.filter-log-events.json` "
         "(only the rev-9 streams exist, see searchedLogStreams)",
         "`aws logs filter-log-events --log-group-name /ecs/payments-api … | jq -c '.events[] + {logGroupName: …}'`",
         "`aws ecs describe-services --cluster prod --services orders-api orders-worker`",
         "`aws ecs describe-task-definition --task-definition orders-api:9` / `:10` / `orders-worker:3`"],
    )


class SpringJson:
    """Spring Boot 3.4 structured logging (`logging.structured.format.console=ecs`): one JSON object per line."""

    @staticmethod
    def rec(b: Bundle, i: Identity, t: Task, ts: int, level: str, thread: str, logger: str, msg: str,
            error: tuple[str, str, str] | None = None, **extra: Any) -> None:
        rec: dict[str, Any] = {"@timestamp": iso_ms(ts), "log.level": level, "process.pid": 1,
                               "process.thread.name": thread, "service.name": i.service,
                               "service.version": "1.9.3",
                               "log.logger": logger, "message": msg}
        rec.update(extra)
        if error:
            rec["error.type"], rec["error.message"], rec["error.stack_trace"] = error
        rec["ecs.version"] = "8.11"
        b.log(ts, i, t, j_compact(rec))

    @staticmethod
    def traffic(b: Bundle, i: Identity, t: Task, start: int, end: int, req_per_min: float = 0.35) -> None:
        ts = start + b.rng.randrange(0, 30_000)
        while ts < end:
            n = b.rng.randrange(40000, 49999)
            path, code = b.rng.choice([(f"/orders/{n}", 200)] * 8 + [(f"/orders/{n}/status", 200),
                                       (f"/orders/{n}", 404), (f"/admin/orders/{n}/refund", 403)])
            SpringJson.rec(b, i, t, ts, "INFO", f"http-nio-8080-exec-{b.rng.randrange(1, 11)}",
                           "com.example.orders.web.RequestLogFilter", f"GET {path} -> {code} in {b.rng.randrange(4, 80)} ms",
                           **{"http.response.status_code": code})
            ts += int(b.rng.expovariate(req_per_min / 60_000)) + 400
        ts = start + b.rng.randrange(0, 60_000)
        while ts < end:
            SpringJson.rec(b, i, t, ts, "INFO", "scheduling-1", "c.e.orders.fx.ExchangeRateRefresher",
                           f"Refreshed exchange rates: {b.rng.randrange(30, 34)} currencies, source=ecb")
            ts += 180_000


def nightly_report_task(b: Bundle, i: Identity, shard: int, launched: int, run: int, done: int) -> Task:
    t = b.new_task(i, 4, created=launched, group="family:nightly-report",
                   started_by="events-rule/nightly-report-0900")
    t.running = run
    t.stopped = done
    t.stop_reason = "Essential container in task exited"
    t.stop_code = "EssentialContainerExited"
    t.exit_code = 0
    eb_task_lifecycle(b, t)
    PyApp.info(b, i, t, run + 1_400, "report shard started", logger="nightly_report", shard=f"{shard}/3",
               report_date="2026-11-19")
    ts = run + 30_000
    while ts < done - 5_000:
        PyApp.info(b, i, t, ts, "rows exported", logger="nightly_report", shard=f"{shard}/3",
                   rows=b.rng.randrange(20_000, 60_000))
        ts += 60_000
    PyApp.info(b, i, t, done - 2_300, "report shard finished", logger="nightly_report", shard=f"{shard}/3",
               duration_s=round((done - run) / 1000 - 3.7, 1), outcome="success")
    return t


def scenario_healthy() -> Scenario:
    b = Bundle("healthy")
    i = ORDERS.but(launch_type="FARGATE")
    arch = ORDERS.but(service="orders-archiver", container="orders-archiver", family="orders-archiver",
                      image="123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-archiver", task_role="orders-archiver-task-role")
    rep = ORDERS.but(service="nightly-report", container="nightly-report", family="nightly-report",
                     image="123456789012.dkr.ecr.eu-west-1.amazonaws.com/nightly-report", task_role="nightly-report-task-role")
    win_start, win_end = T(9, 0), T(12, 0)
    dep12, dep13 = b.ids.deployment_id(), b.ids.deployment_id()
    h1 = b.new_task(i, 12, created=T(6, 10), started_by=dep12)
    h1.running = T(6, 11, 2.2)
    h2 = b.new_task(i, 12, created=T(6, 10, 1), started_by=dep12)
    h2.running = T(6, 11, 5.9)
    # deployment 10:00: rev 13, rolling (one at a time), H4 lands on FARGATE_SPOT
    eb_deployment(b, i, T(10, 0, 1.1), "SERVICE_DEPLOYMENT_IN_PROGRESS", dep13)
    h3 = b.new_task(i, 13, created=T(10, 0, 2.0), started_by=dep13)
    h3.running = T(10, 1, 10.4)
    h4 = b.new_task(i, 13, created=T(10, 2, 14.0), started_by=dep13, capacity_provider="FARGATE_SPOT")
    h4.running = T(10, 3, 30.8)
    for new, old in ((h3, h1), (h4, h2)):
        svc_event(b, i, new.created + 150, Msg.started(i, [new]))
        eb_task(b, new, "RUNNING")
        svc_event(b, i, new.running + 1_700, Msg.registered(i))
        replace_task(b, i, old, new.running + 62_000, dep13, java=False)
        eb_task_lifecycle(b, old, start=False)
    svc_event(b, i, T(10, 6, 40.2), Msg.deployment_completed(i, dep13))
    svc_event(b, i, T(10, 6, 40.5), Msg.steady(i))
    eb_deployment(b, i, T(10, 6, 40.2), "SERVICE_DEPLOYMENT_COMPLETED", dep13)
    eb_service_action(b, i, T(10, 6, 40.6), "SERVICE_STEADY_STATE")
    # Fargate Spot interruption of h4 at 11:05 (2-minute notice), replaced by h5
    h4.stop_requested = T(11, 5, 0.3)
    h4.stopped = T(11, 7, 1.9)
    h4.stop_reason = "Your Spot Task was interrupted."
    h4.stop_code = "TerminationNotice"
    h4.exit_code = 143
    eb_task(b, h4, "STOPPING")
    eb_task(b, h4, "STOPPED")
    h5 = b.new_task(i, 13, created=T(11, 5, 2.0), started_by=dep13)
    h5.running = T(11, 6, 11.0)
    svc_event(b, i, T(11, 5, 2.2), Msg.started(i, [h5]))
    eb_task(b, h5, "RUNNING")
    svc_event(b, i, T(11, 6, 13.0), Msg.registered(i))
    svc_event(b, i, T(11, 7, 2.5), Msg.deregistered(i))
    svc_event(b, i, T(11, 8, 20.0), Msg.steady(i))
    for t in (h1, h2, h3, h4, h5):
        s = max(win_start, t.running + 36_000)
        e = min(win_end, t.stopped or win_end)
        if t.running >= win_start:
            SpringJson.rec(b, i, t, t.running + 1_500, "INFO", "main", "c.e.orders.OrdersApplication",
                           "Starting OrdersApplication v1.9.3 using Java 21.0.5 with PID 1")
            SpringJson.rec(b, i, t, t.running + 33_100, "INFO", "main", "c.e.orders.OrdersApplication",
                           "Started OrdersApplication in 31.6 seconds (process running for 32.9)")
        SpringJson.traffic(b, i, t, s, e)
        if t.stopped and t.stopped < win_end:
            SpringJson.rec(b, i, t, t.stopped - 2_900, "INFO", "SpringApplicationShutdownHook",
                           "o.s.b.w.e.tomcat.GracefulShutdown", "Commencing graceful shutdown. Waiting for active requests to complete")
    # hard negatives inside orders-api
    for k, ts in enumerate([T(9, 10, 4.2), T(9, 10, 34.9), T(9, 11, 5.3), T(9, 11, 36.0)]):
        SpringJson.rec(b, i, h1 if k % 2 == 0 else h2, ts, "WARN", "HikariPool-2 housekeeper",
                       "com.zaxxer.hikari.pool.PoolBase",
                       "HikariPool-2 - Failed to create/setup connection: Access denied for user 'app'@'10.0.1.5' "
                       "(using password: YES)")
        b.fact("noise", ts, i.service, note="MySQL access denied")
    for k, ts in enumerate([T(9, 40, 12.0), T(9, 40, 58.3), T(9, 41, 47.1), T(9, 42, 30.5), T(9, 43, 9.9)]):
        SpringJson.rec(b, i, h1 if k % 2 else h2, ts, "WARN", f"http-nio-8080-exec-{k + 2}",
                       "c.e.orders.web.GlobalExceptionHandler", "Access denied for POST /admin/orders/refund",
                       error=("org.springframework.security.access.AccessDeniedException", "Access is denied",
                              "org.springframework.security.access.AccessDeniedException: Access is denied\n\tat "
                              "org.springframework.security.authorization.method.AuthorizationManagerBeforeMethodInterceptor"
                              ".attemptAuthorization(AuthorizationManagerBeforeMethodInterceptor.java:256)\n\tat "
                              "com.example.orders.admin.RefundController$$SpringCGLIB$$0.refund(<generated>)\n"))
        b.fact("noise", ts, i.service, note="Spring Security AccessDeniedException")
    # orders-archiver: stopped by user at 10:40, crash once at 11:30 (replaced), hourly HeadObject 403
    adep = b.ids.deployment_id()
    a1 = b.new_task(arch, 6, created=T(7, 0), started_by=adep)
    a1.running = T(7, 0, 51.0)
    a1.stop_requested, a1.stopped = T(10, 40, 0.5), T(10, 40, 3.8)
    a1.stop_reason, a1.stop_code, a1.exit_code = "Task stopped by user", "UserInitiated", 0
    eb_task_lifecycle(b, a1, start=False)
    a2 = b.new_task(arch, 6, created=T(10, 40, 5.0), started_by=adep)
    a2.running = T(10, 41, 30.2)
    a2.stopped = T(11, 30, 9.6)
    a2.stop_reason, a2.stop_code, a2.exit_code = "Essential container in task exited", "EssentialContainerExited", 1
    eb_task_lifecycle(b, a2)
    a3 = b.new_task(arch, 6, created=T(11, 30, 12.0), started_by=adep)
    a3.running = T(11, 31, 40.7)
    eb_task(b, a3, "RUNNING")
    svc_event(b, arch, T(10, 40, 5.2), Msg.started(arch, [a2]))
    svc_event(b, arch, T(11, 30, 12.2), Msg.started(arch, [a3]))
    for t in (a1, a2, a3):
        s = max(win_start, t.running + 2_000)
        e = min(win_end, t.stopped or win_end)
        if t.running >= win_start:
            b.log(t.running + 900, arch, t, "INFO:orders_archiver:archiver starting, bucket=orders-archive")
        ts = s + b.rng.randrange(0, 60_000)
        while ts < e - 1_000:
            b.log(ts, arch, t, f"INFO:orders_archiver:archived {b.rng.randrange(0, 40)} invoices to s3://orders-archive/2026/11/20/")
            ts += 60_000
    for ts in (T(9, 20, 3.0), T(10, 20, 3.1), T(11, 20, 2.8)):
        t = a1 if ts < a1.stopped else a2
        b.log(ts, arch, t, "WARNING:orders_archiver:archive probe failed for s3://orders-archive-legacy/2026/11/19/manifest.json: "
                           "An error occurred (403) when calling the HeadObject operation: Forbidden")
        b.fact("denial", ts, arch.service, t.id, "isolated-head-403", note="HeadObject 403 Forbidden")
    crash = a2.stopped - 700
    for k, line in enumerate(["Traceback (most recent call last):",
                              '  File "/app/orders_archiver/main.py", line 88, in <module>',
                              "    run_forever()",
                              '  File "/app/orders_archiver/main.py", line 61, in run_forever',
                              "    batch = source.fetch(limit=500)",
                              "ConnectionResetError: [Errno 104] Connection reset by peer"]):
        b.log(crash + k, arch, a2, line)
    # nightly-report: three shards exit 0 with "Essential container in task exited"
    for shard, (run, done) in enumerate([(T(9, 0, 41.5), T(9, 6, 58.0)), (T(9, 0, 43.2), T(9, 7, 40.1)),
                                         (T(9, 0, 44.9), T(9, 8, 31.3))], start=1):
        nightly_report_task(b, rep, shard, T(9, 0, 1.2), run, done)
    # Container Insights 09:40-10:10: normal, one 2-minute CPU spike to 95 % on h1
    for minute in range(T(9, 46), T(10, 6), 60_000):
        for t in (h1, h2, h3, h4):
            if (t.running + 60_000) <= minute < (t.stopped or 1 << 62):
                spike = t is h1 and T(9, 50) <= minute < T(9, 52)
                ci_task(b, t, minute, b.rng.uniform(95.0, 96.4) if spike else b.rng.uniform(18, 46),
                        b.rng.uniform(48, 61))
        running = sum(1 for t in (h1, h2, h3, h4) if t.running <= minute < (t.stopped or 1 << 62))
        ci_service(b, i, minute, 2, min(running, 3), deployments=2 if T(10, 0) <= minute < T(10, 7) else 1)
    # ALB: ordinary traffic including 403s the app returns to its own clients
    live = [h1, h2, h3, h4, h5]
    ts = win_start
    while True:
        ts += int(b.rng.expovariate(2.0 / 60_000)) + 100
        if ts >= win_end:
            break
        cands = [t for t in live if t.running + 40_000 <= ts < (t.stopped or 1 << 62)]
        t = b.rng.choice(cands)
        n = b.rng.randrange(40000, 49999)
        path, code = b.rng.choice([(f"/orders/{n}", 200)] * 14 + [(f"/orders/{n}", 404), (f"/admin/orders/{n}/refund", 403),
                                                                   (f"/orders/{n}/status", 304)])
        tp = b.rng.uniform(0.005, 0.09)
        alb_line(b, i, ts + int(tp * 1000), t.ip, 0.0, round(tp, 3), 0.0, code, code,
                 "POST" if "refund" in path else "GET", path, b.rng.choice(CLIENT_UAS), b.rng.randrange(200, 4000))
    st = ServiceState(i, 13, desired=2, running=2, grace=60, created=T(6, 0),
                      deployments=[deployment(i, dep13, "PRIMARY", 13, 2, 2, T(10, 0), T(10, 6, 40), "COMPLETED")])
    api_lines = cw_jsonl(b.sorted_logs(lambda e: e.group == i.log_group)).splitlines(keepends=True)
    api_lines.insert(200, api_lines[200][:97] + "\n")
    files = {
        "orders-api.events.jsonl": txt("".join(api_lines)),
        "orders-archiver.tail.txt": txt(tail_detailed(b.sorted_logs(lambda e: e.group == arch.log_group))),
        "nightly-report.filter-log-events.json": txt(j_pretty(fle_doc(b.sorted_logs(lambda e: e.group == rep.log_group)))),
        "eventbridge-ecs.jsonl": txt(eb_jsonl(b)),
        "describe-services.json": txt(describe_services(b, [st], "v2")),
        "container-insights.jsonl": txt(cw_jsonl(ci_as_log_events(b))),
        "alb-access-0900-1200.log.gz": gz(txt("".join(l + "\n" for _, l in sorted(b.alb)))),
    }
    return Scenario(
        "healthy", b, files,
        "Healthy day: hard negatives only",
        "09:00–12:00 on a normal day. `orders-api` (Spring Boot, structured JSON logs) deploys rev 13 at 10:00 "
        "(old tasks replaced with `Scaling activity initiated by (deployment …)`), one rev-13 task on FARGATE_SPOT "
        "is interrupted at 11:05 (`Your Spot Task was interrupted.`, stopCode `TerminationNotice`) and replaced. "
        "`orders-archiver` (Python) is stopped by a user at 10:40 (`Task stopped by user`), crashes once at 11:30 "
        "(exit 1) and is replaced; once an hour it probes a legacy bucket and gets `An error occurred (403) when "
        "calling the HeadObject operation: Forbidden`. Three `nightly-report` shards (group "
        "`family:nightly-report`) finish with `Essential container in task exited` and exit code 0. A MySQL "
        "password rotation produces 4 `Access denied for user 'app'@'10.0.1.5' (using password: YES)` warnings in "
        "90 s, an admin UI triggers 5 Spring Security `AccessDeniedException: Access is denied` in 3 minutes, and "
        "the app answers 403 to some of its own clients. One task's CPU reaches 95 % for two minutes at 09:50.",
        ["**Nothing.** No alert of any rule may fire."],
        ["access-denied: MySQL `Access denied for user` (database, not IAM), Spring Security "
         "`AccessDeniedException` (application authorisation), HTTP 403 answers to clients, and the hourly "
         "`(403) … HeadObject … Forbidden` (a real S3 denial, but 3 in 3 hours, never 3 within 5 minutes)",
         "restart-loop: deployment scale-in (`Scaling activity initiated by …`, exit 143), `Task stopped by user`, "
         "Spot interruption, three batch shards with `Essential container in task exited` and exit code 0, one "
         "crash (exit 1) — one failure is below the threshold",
         "saturation: CPU 95 % for 2 samples (09:50, 09:51) only — not sustained 5 minutes",
         "missing-logs: every RUNNING task (h3, h4, h5, orders-archiver a2/a3, the 3 report shards) logs within "
         "2 s of RUNNING and at least every 3 minutes afterwards"],
        ["`orders-api.events.jsonl` line 201 is a 97-byte truncated copy of line 202."],
        ["`aws logs filter-log-events --log-group-name /ecs/orders-api … | jq -c '.events[] + {logGroupName: …}'`",
         "`aws logs tail /ecs/orders-archiver --since 3h`", "`aws logs filter-log-events --log-group-name /ecs/nightly-report`",
         "EventBridge → Firehose → S3, `jq -c .`", "`aws ecs describe-services --cluster prod --services orders-api`",
         "Container Insights performance log group (filter-log-events → jq -c)",
         "ALB logs `zcat *.log.gz | sort -k2 | gzip -n > alb-access-0900-1200.log.gz`"],
    )


def scenario_crash_loop() -> Scenario:
    b = Bundle("crash-loop")
    i = ORDERS
    old_dep, dep = b.ids.deployment_id(), b.ids.deployment_id()
    o1 = b.new_task(i, 4, created=T(11, 2), started_by=old_dep)
    o1.running = T(11, 2, 50.0)
    o2 = b.new_task(i, 4, created=T(11, 2, 1), started_by=old_dep)
    o2.running = T(11, 2, 52.3)
    win_start, win_end = T(12, 55), T(13, 16)
    for t in (o1, o2):
        ts = win_start + b.rng.randrange(0, 20_000)
        while ts < win_end:
            NodeApp.request(b, i, t, ts, b.rng.choice(["/healthz", "/healthz", f"/orders/{b.rng.randrange(40000, 49999)}"]),
                            200, b.rng.uniform(0.5, 30))
            ts += b.rng.randrange(8_000, 30_000)
    eb_deployment(b, i, T(12, 59, 0.2), "SERVICE_DEPLOYMENT_IN_PROGRESS", dep)
    replace_task(b, i, o2, T(12, 59, 1.0), dep, java=False)
    b.logs = [e for e in b.logs if not (e.stream == o2.stream and e.ts > o2.stopped)]
    b.facts = [f for f in b.facts if not (f.kind == "log" and f.task == o2.id and f.ts > o2.stopped)]
    eb_task_lifecycle(b, o2, start=False)
    launched = T(12, 59, 2.4)
    run = T(13, 0, 28.1)
    crashes = []
    for k in range(5):
        t = b.new_task(i, 5, created=launched, started_by=dep)
        t.running = run
        t.stopped = run + 3_400 + b.rng.randrange(0, 800)
        t.stop_reason, t.stop_code, t.exit_code = "Essential container in task exited", "EssentialContainerExited", 1
        svc_event(b, i, launched + 170, Msg.started(i, [t]))
        eb_task_lifecycle(b, t)
        svc_event(b, i, run + 1_400, Msg.registered(i))
        svc_event(b, i, t.stopped + 900, Msg.deregistered(i))
        base = run + 900
        lines = ["/app/dist/config.js:14", "    throw new Error(`Missing required environment variable ${name}`);",
                 "    ^", "Error: Missing required environment variable DATABASE_URL",
                 "    at requireEnv (/app/dist/config.js:14:11)", "    at Object.<anonymous> (/app/dist/config.js:22:16)",
                 "    at Module._compile (node:internal/modules/cjs/loader:1546:14)",
                 "    at Object..js (node:internal/modules/cjs/loader:1689:10)",
                 "    at Module.load (node:internal/modules/cjs/loader:1318:32)",
                 "    at Function._load (node:internal/modules/cjs/loader:1128:12)", "Node.js v20.18.0"]
        NodeApp.rec(b, i, t, base, 30, "orders-api starting", version="2.4.0", node="v20.18.0")
        for k2, line in enumerate(lines):
            b.log(base + 1_100 + k2 // 3, i, t, line)
        crashes.append(t)
        launched = t.stopped + 2_200
        run = launched + 181_000 + b.rng.randrange(0, 9_000)
    st = ServiceState(i, 5, desired=2, running=1, pending=1, grace=30, created=T(6, 0),
                      deployments=[deployment(i, dep, "PRIMARY", 5, 1, 0, T(12, 59), crashes[-1].stopped, "IN_PROGRESS", 1, 5),
                                   deployment(i, old_dep, "ACTIVE", 4, 1, 1, T(11, 2), T(12, 59, 9), "COMPLETED")])
    files = {
        "eventbridge-ecs.jsonl": txt(eb_jsonl(b)),
        "app-logs.tail-detailed.txt": txt(tail_detailed(b.sorted_logs())),
        "describe-services.json": txt(describe_services(b, [st], "v2")),
    }
    return Scenario(
        "crash-loop", b, files,
        "Restart loop caused by an application crash (exit code 1)",
        f"At 12:59 `orders-api` (Node.js) deploys rev 5, which reads `DATABASE_URL` at start-up; the variable was "
        f"dropped from the task definition. Each rev-5 task reaches RUNNING, throws `Error: Missing required "
        f"environment variable DATABASE_URL` within a second and exits with code 1 (stoppedReason `Essential "
        f"container in task exited`, stopCode `EssentialContainerExited`). ECS replaces it about every 3 minutes: "
        f"{len(crashes)} crashes between {hms(crashes[0].stopped)} and {hms(crashes[-1].stopped)}. One rev-4 task keeps serving.",
        ["**restart-loop** for `orders-api`, class **app-crash** (exit code 1, no OutOfMemoryError, no health-check "
         "reason): the 3rd crash within 15 minutes is the trigger. Evidence: the STOPPED events with "
         "`containers[].exitCode: 1` and the last log lines of each task (`Error: Missing required environment "
         "variable DATABASE_URL`)."],
        ["health-check-grace-period (no `Task failed ELB health checks`, no `is unhealthy` events)",
         "oom (exit 1, no OutOfMemoryError)", "missing-logs: each crashing task logs within 1 s of RUNNING",
         "access-denied, saturation"],
        [],
        ["EventBridge → Firehose → S3, `jq -c .`", "`aws logs tail /ecs/orders-api --since 25m`",
         "`aws ecs describe-services --cluster prod --services orders-api`"],
    )


def scenario_oom_loop() -> Scenario:
    b = Bundle("oom-loop")
    i = ORDERS.but(launch_type="FARGATE")
    dep = b.ids.deployment_id()
    win_start, win_end = T(13, 57), T(14, 16)
    slots = [T(13, 58, 4.0), T(13, 59, 21.5)]
    lifetimes = [366_000, 331_000, 352_000, 341_000, 360_000, 338_000]
    tasks = []
    k = 0
    for slot, run0 in enumerate(slots):
        run = run0
        launched = run0 - 95_000
        while run < win_end:
            t = b.new_task(i, 9, created=launched, started_by=dep)
            t.running = run
            life = lifetimes[k % len(lifetimes)]
            k += 1
            if run + life < win_end:
                t.stopped = run + life
                t.stop_reason, t.stop_code, t.exit_code = ("Essential container in task exited",
                                                           "EssentialContainerExited", 137)
                t.container_reason = "OutOfMemoryError: Container killed due to memory usage"
            svc_event(b, i, launched + 160, Msg.started(i, [t]))
            eb_task_lifecycle(b, t)
            tasks.append(t)
            # gunicorn app logs until the kill (no line for the kill itself: SIGKILL)
            end = t.stopped or win_end
            b.log(run + 700, i, t, f"[{dt(run + 700).strftime('%Y-%m-%d %H:%M:%S')} +0000] [1] [INFO] Starting gunicorn 23.0.0")
            b.log(run + 705, i, t, f"[{dt(run + 705).strftime('%Y-%m-%d %H:%M:%S')} +0000] [1] [INFO] Listening at: http://0.0.0.0:8080 (1)")
            b.log(run + 760, i, t, f"[{dt(run + 760).strftime('%Y-%m-%d %H:%M:%S')} +0000] [7] [INFO] Booting worker with pid: 7")
            ts = run + 4_000
            while ts < end - 1_500:
                PyApp.info(b, i, t, ts, "export rendered", logger="orders.exports", rows=b.rng.randrange(5_000, 90_000),
                           cache_entries=int((ts - run) / 1000 * 37))
                PyApp.access(b, i, t, ts + 3, "/exports/monthly", 200, method="POST")
                ts += b.rng.randrange(9_000, 21_000)
            for minute in range(run - run % 60_000 + 60_000, min(end, win_end), 60_000):
                frac = (minute - run) / max(1, (end - run))
                ci_task(b, t, minute, b.rng.uniform(35, 55), 34 + 66 * frac)
            if t.stopped:
                launched = t.stopped + 1_600
                run = launched + 58_000 + b.rng.randrange(0, 6_000)
            else:
                break
    for minute in range(T(13, 58), win_end, 60_000):
        ci_service(b, i, minute, 2, sum(1 for t in tasks if t.running <= minute < (t.stopped or 1 << 62)),
                   pending=2 - sum(1 for t in tasks if t.running <= minute < (t.stopped or 1 << 62)))
    st = ServiceState(i, 9, desired=2, running=1, pending=1, grace=60, created=T(6, 0),
                      deployments=[deployment(i, dep, "PRIMARY", 9, 2, 1, T(13, 56), T(14, 12), "COMPLETED", 1, 0)])
    ooms = [t for t in tasks if t.stopped]
    files = {
        "eventbridge-ecs.jsonl": txt(eb_jsonl(b)),
        "app-logs.events.jsonl": txt(cw_jsonl(b.sorted_logs())),
        "container-insights.jsonl": txt(cw_jsonl(ci_as_log_events(b))),
        "describe-services.json": txt(describe_services(b, [st], "v2")),
    }
    return Scenario(
        "oom-loop", b, files,
        "Restart loop caused by out-of-memory kills (exit code 137)",
        f"`orders-api` (Python, gunicorn) caches rendered exports without bound. Each task's memory grows from ~35 % "
        f"to 100 % of its 2048 MB in 5–6 minutes and the container is killed: containers[].reason `OutOfMemoryError: "
        f"Container killed due to memory usage`, exitCode 137, task stoppedReason `Essential container in task "
        f"exited`. {len(ooms)} kills between {hms(ooms[0].stopped)} and {hms(ooms[-1].stopped)}; the app logs "
        f"normally until the kill (SIGKILL leaves no last words).",
        ["**restart-loop** for `orders-api`, class **oom** (containers[].reason OutOfMemoryError, exitCode 137): "
         "3rd kill within 15 minutes is the trigger. Evidence: the STOPPED events and the Container Insights "
         "MemoryUtilized climbing to MemoryReserved before each kill."],
        ["app-crash (exit 137 with OutOfMemoryError is oom, not a crash)",
         "memory saturation: memory is ≥ 90 % for at most one 1-minute sample per task — not sustained 5 minutes",
         "health-check-grace-period, access-denied, missing-logs (every task logs within 1 s of RUNNING)"],
        [],
        ["EventBridge → Firehose → S3, `jq -c .`", "`aws logs filter-log-events … | jq -c '.events[] + {logGroupName: …}'`",
         "Container Insights performance log group", "`aws ecs describe-services`"],
    )


def exec_role_identity(service: str, **kw: Any) -> Identity:
    return ORDERS.but(service=service, container=service, family=service,
                      image=f"123456789012.dkr.ecr.eu-west-1.amazonaws.com/{service}",
                      target_group=f"arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/{service}/"
                                   + hashlib.md5(service.encode()).hexdigest()[:16], **kw)


def scenario_execution_role() -> list[Scenario]:
    """Four ways the role behind an AccessDenied is not the task role, one subfolder (and service) each."""
    out = []

    # 1. execution-role-used-by-app: taskRoleArn was set to the execution role
    b = Bundle("execution-role/execution-role-used-by-app")
    i = exec_role_identity("invoice-renderer", task_role=ORDERS.execution_role)
    dep = b.ids.deployment_id()
    tasks = []
    for k in range(2):
        t = b.new_task(i, 3, created=T(12, 58, 10 + k), started_by=dep)
        t.running = T(12, 59, 2.5 + k * 3.3)
        tasks.append(t)
        eb_task(b, t, "RUNNING")
        PyApp.startup(b, i, t, t.running + 1_200)
        py_steady_traffic(b, i, t, t.running + 4_000, T(13, 12), req_per_min=1.0)
    ts = T(13, 2, 11.0)
    while ts < T(13, 10):
        t = b.rng.choice(tasks)
        order = b.rng.randrange(40000, 49999)
        key = f"rendered/2026/11/{order}.pdf"
        final = ("botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the PutObject "
                 "operation: " + denial_text(i, i.execution_role, t.id, "s3:PutObject",
                                             f"arn:aws:s3:::{INVOICE_BUCKET}/{key}"))
        PyApp.traceback(b, i, t, ts, [
            ("/app/renderer/worker.py", 73, "store_pdf", f"s3.put_object(Bucket=BUCKET, Key=key, Body=pdf)"),
            ("/usr/local/lib/python3.12/site-packages/botocore/client.py", 1023, "_make_api_call",
             "raise error_class(parsed_response, operation_name)")], final,
            header=f"ERROR:renderer.worker:rendering invoice {order} failed")
        b.fact("denial", ts + 2, i.service, t.id, "execution-role-used-by-app", note="s3:PutObject as " + i.execution_role)
        ts += 38_000 + b.rng.randrange(-6_000, 6_000)
    files = {"app-logs.events.jsonl": txt(cw_jsonl(b.sorted_logs())), "eventbridge-ecs.jsonl": txt(eb_jsonl(b)),
             "task-definition.json": txt(j_pretty(task_definition_doc(i, 3)))}
    n = sum(1 for f in b.facts if f.kind == "denial")
    out.append(Scenario(
        "execution-role/execution-role-used-by-app", b, files,
        "Denied principal is the execution role, seen in app logs",
        f"`invoice-renderer` (Python/boto3) was deployed with `taskRoleArn` set to the same role as "
        f"`executionRoleArn` (`{ORDERS.execution_role}`, see task-definition.json). The app therefore runs as the "
        f"execution role, which only has the ECR/logs permissions of AmazonECSTaskExecutionRolePolicy: {n} "
        f"`PutObject` calls between 13:02 and 13:10 fail with `User: …:assumed-role/{ORDERS.execution_role}/<task id> "
        f"is not authorized to perform: s3:PutObject …`.",
        [f"**access-denied** for `invoice-renderer`, cause **execution-role-used-by-app**: the session role name is "
         f"the execution role (`{ORDERS.execution_role}`, session = task id) in an application log line. Fix: "
         f"create a dedicated task role with s3:PutObject on `{INVOICE_BUCKET}/rendered/*` and set it as "
         f"`taskRoleArn`; keep the execution role for the agent only."],
        ["task-role-missing-permission (the principal is not the task role of a well-formed task definition)",
         "restart-loop, saturation, missing-logs"], [],
        ["`aws logs filter-log-events --log-group-name /ecs/invoice-renderer … | jq -c …`", "EventBridge → S3",
         "`aws ecs describe-task-definition --task-definition invoice-renderer:3`"]))

    # 2. no-task-role on Fargate: no credentials at all
    b = Bundle("execution-role/no-task-role")
    i = exec_role_identity("report-exporter", task_role=None)
    dep = b.ids.deployment_id()
    t = b.new_task(i, 1, created=T(13, 0, 2.0), started_by=dep)
    t.running = T(13, 0, 55.1)
    eb_task(b, t, "RUNNING")
    PyApp.startup(b, i, t, t.running + 1_000)
    py_steady_traffic(b, i, t, t.running + 3_000, T(13, 12), req_per_min=0.8)
    for ts in (T(13, 3, 0.4), T(13, 4, 0.3), T(13, 5, 0.5), T(13, 6, 0.2), T(13, 7, 0.6)):
        PyApp.info(b, i, t, ts - 40, "export job started", logger="exporter.jobs", job=f"exp_{b.ids.hex(8)}")
        PyApp.traceback(b, i, t, ts, [
            ("/app/exporter/jobs.py", 112, "upload", "s3.upload_file(path, EXPORT_BUCKET, key)"),
            ("/usr/local/lib/python3.12/site-packages/botocore/auth.py", 418, "add_auth",
             "raise NoCredentialsError()")],
            "botocore.exceptions.NoCredentialsError: Unable to locate credentials",
            header="ERROR:exporter.jobs:export job failed")
        b.fact("nocred", ts + 2, i.service, t.id, "no-task-role", note="NoCredentialsError")
    files = {"app-logs.tail-detailed.txt": txt(tail_detailed(b.sorted_logs())), "eventbridge-ecs.jsonl": txt(eb_jsonl(b)),
             "task-definition.json": txt(j_pretty(task_definition_doc(i, 1, task_role=None)))}
    out.append(Scenario(
        "execution-role/no-task-role", b, files,
        "Fargate task without a task role: no credentials at all",
        "`report-exporter` (Python/boto3, Fargate) has no `taskRoleArn` (see task-definition.json). Fargate "
        "injects no `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` and there is no instance metadata, so every upload "
        "fails with `botocore.exceptions.NoCredentialsError: Unable to locate credentials` — 5 times, once a minute "
        "from 13:03. The app does *not* fall back to the execution role.",
        ["**access-denied** (credential failure) for `report-exporter`, cause **no-task-role**: 5 "
         "`Unable to locate credentials` in 5 minutes on FARGATE. Fix: add a task role with the S3 permissions."],
        ["execution-role-used-by-app / instance-role-fallback (no principal appears at all)",
         "restart-loop (the task keeps running), saturation, missing-logs"], [],
        ["`aws logs tail /ecs/report-exporter --since 15m`", "EventBridge → S3",
         "`aws ecs describe-task-definition --task-definition report-exporter:1`"]))

    # 3. instance-role-fallback on EC2: SDK uses the instance profile
    b = Bundle("execution-role/instance-role-fallback")
    i = exec_role_identity("catalog-sync", task_role=None, launch_type="EC2")
    dep = b.ids.deployment_id()
    t = b.new_task(i, 7, created=T(12, 59, 30.0), started_by=dep, capacity_provider="prod-ecs-asg", platform_version="")
    t.running = T(12, 59, 41.7)
    eb_task(b, t, "RUNNING")
    GoApp.rec(b, i, t, t.running + 310, "info", "cmd/catalog-sync/main.go:41", "starting catalog-sync",
              version="v3.2.1", region=i.region)
    ts = t.running + 15_000
    k = 0
    while ts < T(13, 12):
        if T(13, 1) <= ts < T(13, 6) and k < 4:
            err = (f"operation error S3: GetObject, https response error StatusCode: 403, RequestID: {b.ids.request_id()}, "
                   f"HostID: {b.ids.s3_ext_id()}, api error AccessDenied: "
                   + denial_text(i, i.instance_role, "i-0221dfee3da46d752", "s3:GetObject",
                                 "arn:aws:s3:::orders-catalog/snapshots/latest.json.gz"))
            GoApp.rec(b, i, t, ts, "error", "sync/snapshot.go:88", "failed to fetch catalog snapshot", error=err,
                      attempt=k + 1)
            b.fact("denial", ts, i.service, t.id, "instance-role-fallback", note="s3:GetObject as " + i.instance_role)
            k += 1
            ts += 70_000
        else:
            GoApp.rec(b, i, t, ts, "info", "sync/worker.go:57", "catalog sync cycle skipped, snapshot unchanged",
                      products=182344, duration=f"{b.rng.uniform(0.2, 1.4):.3f}s")
            ts += 45_000
    files = {"app-logs.filter-log-events.json": txt(j_pretty(fle_doc(b.sorted_logs()))),
             "eventbridge-ecs.jsonl": txt(eb_jsonl(b)),
             "task-definition.json": txt(j_pretty(task_definition_doc(i, 7, task_role=None, compat="EC2")))}
    out.append(Scenario(
        "execution-role/instance-role-fallback", b, files,
        "EC2 task without a task role: the SDK silently uses the instance role",
        f"`catalog-sync` (Go, aws-sdk-go-v2, zap JSON logs) runs on the EC2 capacity provider without `taskRoleArn`. "
        f"The default credential chain falls through to the instance profile, so S3 denies "
        f"`assumed-role/{i.instance_role}/i-0221dfee3da46d752` (session = EC2 instance id) — 4 times between 13:01 and 13:05.",
        [f"**access-denied** for `catalog-sync`, cause **instance-role-fallback**: the session is an EC2 instance id "
         f"and the role is the container-instance role `{i.instance_role}`. Fix: give the service a task role "
         f"(and consider ECS_AWSVPC_BLOCK_IMDS / blocking IMDS for tasks)."],
        ["task-role-missing-permission, execution-role-used-by-app", "restart-loop, saturation, missing-logs"], [],
        ["`aws logs filter-log-events --log-group-name /ecs/catalog-sync`", "EventBridge → S3",
         "`aws ecs describe-task-definition --task-definition catalog-sync:7`"]))

    # 4. execution-role-missing-permission: the agent cannot read the SSM secret, task never starts
    b = Bundle("execution-role/execution-role-missing-permission")
    i = exec_role_identity("checkout-api")
    dep = b.ids.deployment_id()
    eb_deployment(b, i, T(12, 59, 50.1), "SERVICE_DEPLOYMENT_IN_PROGRESS", dep)
    fails = []
    for launched, stopped in ((T(13, 0, 2.0), T(13, 0, 40.3)), (T(13, 0, 58.7), T(13, 1, 35.9)),
                              (T(13, 2, 31.2), T(13, 3, 10.4))):
        t = b.new_task(i, 14, created=launched, started_by=dep)
        reason = ("ResourceInitializationError: unable to pull secrets or registry auth: execution resource "
                  "retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): "
                  "AccessDeniedException: " + denial_text(i, i.execution_role, t.id, "ssm:GetParameters",
                                                          f"arn:aws:ssm:{i.region}:{i.account}:parameter/checkout-api/db-password")
                  .replace('"', "") + f" status code: 400, request id: {b.ids.uuid()}")
        t.stop_requested, t.stopped = stopped - 900, stopped
        t.stop_reason, t.stop_code = reason, "TaskFailedToStart"
        svc_event(b, i, launched + 140, Msg.started(i, [t]))
        eb_task_lifecycle(b, t)
        b.fact("denial", stopped, i.service, t.id, "execution-role-missing-permission", note="ssm:GetParameters as " + i.execution_role)
        fails.append(t)
    svc_event(b, i, T(13, 3, 30.5), Msg.unable_to_start(i))
    eb_service_action(b, i, T(13, 3, 30.5), "SERVICE_TASK_START_IMPAIRED", "WARN")
    st = ServiceState(i, 14, desired=1, running=0, pending=1, grace=60, created=T(6, 0),
                      deployments=[deployment(i, dep, "PRIMARY", 14, 1, 0, T(12, 59, 50), T(13, 3, 10), "IN_PROGRESS", 1, 3)])
    files = {"eventbridge-task-state-change-pretty.json": txt("".join(j_pretty(e) for e in eb_sorted(b))),
             "describe-services.txt": txt(aws_text({"services": [service_doc(b, st, "v2")], "failures": []})),
             "task-definition.json": txt(j_pretty(task_definition_doc(i, 14, secrets=True)))}
    out.append(Scenario(
        "execution-role/execution-role-missing-permission", b, files,
        "The execution role cannot read the task's SSM secret: tasks never start",
        f"`checkout-api:14` adds an SSM `secrets` entry (`/checkout-api/db-password`). The execution role "
        f"`{ORDERS.execution_role}` lacks `ssm:GetParameters`, so the agent fails before any container starts: "
        f"3 tasks STOPPED with `ResourceInitializationError: unable to pull secrets or registry auth: … "
        f"AccessDeniedException: User: …:assumed-role/{ORDERS.execution_role}/<task id> is not authorized to perform: "
        f"ssm:GetParameters …` (stopCode `TaskFailedToStart`) between 13:00:40 and 13:03:10, then `is unable to "
        f"consistently start tasks successfully`. The app never runs, so there are no app logs.",
        [f"**access-denied** for `checkout-api`, cause **execution-role-missing-permission**: the denial is inside a "
         f"stoppedReason (agent side), principal = execution role. Fix: add ssm:GetParameters (and kms:Decrypt for "
         f"a SecureString with a CMK) on the parameter to `{ORDERS.execution_role}` — not to the task role.",
         "A restart-loop alert of class resource-initialization for `checkout-api` is acceptable if it names the same "
         "cause."],
        ["execution-role-used-by-app (the execution-role session appears in an agent error, not in app logs)",
         "missing-logs: the tasks never reached RUNNING; no log stream is expected",
         "saturation"], [],
        ["EventBridge events as shown by the console / `jq .` (pretty, concatenated)",
         "`aws ecs describe-services --cluster prod --services checkout-api --output text`",
         "`aws ecs describe-task-definition --task-definition checkout-api:14`"]))
    return out


def java_heartbeat(b: Bundle, i: Identity, t: Task, start: int, end: int, every_s: int = 120) -> None:
    ts = start + b.rng.randrange(5_000, every_s * 1000)
    while ts < end:
        JavaApp.line(b, i, t, ts, "INFO", "scheduling-1", "c.e.orders.fx.ExchangeRateRefresher",
                     f"Refreshed exchange rates: {b.rng.randrange(30, 34)} currencies, source=ecb")
        ts += every_s * 1000


def invoice_breaker_run(b: Bundle, i: Identity, t: Task, start: int, cycles: list[int]) -> int:
    """The partner invoice sync against one task behind a Resilience4j circuit breaker
    (minimumNumberOfCalls 5, waitDurationInOpenState 180 s, 1 call permitted when half-open):
    5 real S3 denials, then per cycle n fast-fail 500s while OPEN and one half-open probe (a denial)."""

    def fail(ts: int, denied: bool) -> None:
        order = 40100 + b.rng.randrange(0, 900)
        if denied:
            JavaApp.s3_denied(b, i, t, ts, order, i.task_role, "task-role-missing-permission")
        else:
            JavaApp.breaker_open(b, i, t, ts, order)
        b.log(ts + 4, i, t, tomcat_access(ts + 4, b.rng.choice(ALB_NODES), "GET", f"/orders/{order}/invoice", 500, 118,
                                          PARTNER_UA))
        alb_line(b, i, ts + 6, t.ip, 0.001, 0.047 if denied else 0.004, 0.0, 500, 500, "GET",
                 f"/orders/{order}/invoice", PARTNER_UA, 290)
    ts = start
    for k in range(5):
        fail(ts, True)
        ts += 24_000 + b.rng.randrange(-2_000, 2_000)
    for n in cycles:
        open_start = ts - 24_000 + 200
        for j in range(n):
            fail(open_start + int((j + 1) * 180_000 / (n + 1)) + b.rng.randrange(-3_000, 3_000), False)
        ts = open_start + 180_000 + b.rng.randrange(300, 9_000)
        fail(ts, True)
        ts += 24_000
    return ts


def scenario_story() -> Scenario:
    """The four hours of anti-primer-ecs.md in one folder, in the story's order."""
    b = Bundle("anti-primer-story")
    i = ORDERS
    dep7, dep8, dep9 = b.ids.deployment_id(), b.ids.deployment_id(), b.ids.deployment_id()
    # ---- before hour 0: rev 7 rolls out (task role orders-task-role has no S3 permission;
    #      the S3 policy was attached to the execution role instead)
    t1 = b.new_task(i, 7, created=T(8, 56, 1.0), started_by=dep7)
    t1.running = T(8, 57, 31.4)
    t2 = b.new_task(i, 7, created=T(8, 56, 1.6), started_by=dep7)
    t2.running = T(8, 57, 52.9)
    svc_event(b, i, T(8, 56, 1.3), Msg.started(i, [t1, t2]))
    eb_deployment(b, i, T(8, 56, 0.8), "SERVICE_DEPLOYMENT_IN_PROGRESS", dep7)
    for t in (t1, t2):
        eb_task(b, t, "RUNNING")
        JavaApp.boot(b, i, t, t.running, version="1.7.0")
        svc_event(b, i, t.running + 1_700, Msg.registered(i))
    svc_event(b, i, T(8, 59, 45.2), Msg.deployment_completed(i, dep7))
    svc_event(b, i, T(8, 59, 45.5), Msg.steady(i))
    eb_deployment(b, i, T(8, 59, 45.2), "SERVICE_DEPLOYMENT_COMPLETED", dep7)
    eb_service_action(b, i, T(8, 59, 45.6), "SERVICE_STEADY_STATE")
    # ---- hour 0 (09:00-09:45): 38 AccessDenied on s3:GetObject as orders-task-role, 212 HTTP 500
    invoice_breaker_run(b, i, t1, T(9, 0, 12.3), [6] * 11 + [7] * 3)
    invoice_breaker_run(b, i, t2, T(9, 0, 19.8), [7] * 3 + [6] * 11)
    # ---- hour 1 (09:57-10:22): health checks tightened to 10 s x 2 on /actuator/health, grace 0;
    #      rev 8 rolls one slot at a time and is killed 7 times before the grace period is set
    killed, launched = grace_episode(b, i, t1, T(9, 58, 15.2), dep8, 8)
    for t, hc_s, s, e in ((t1, 60, t1.running + 40_000, t1.stop_requested + 5_000),
                          (t2, 60, t2.running + 40_000, T(9, 57))):
        java_steady_traffic(b, i, t, s, e, hc_every_s=hc_s, req_per_min=1.0)
    java_steady_traffic(b, i, t2, T(9, 57), T(10, 16, 44), hc_every_s=10, req_per_min=1.0)
    # 10:14:10 update-service --health-check-grace-period-seconds 60 (no event); the 8th task survives
    n8 = b.new_task(i, 8, created=launched, started_by=dep8)
    n8.running = T(10, 15, 10.6)
    svc_event(b, i, launched + 200, Msg.started(i, [n8]))
    eb_task(b, n8, "RUNNING")
    svc_event(b, i, n8.running + 1_500, Msg.registered(i))
    JavaApp.boot(b, i, n8, n8.running)
    for hc in range(n8.running + 6_000, n8.running + 36_300, 10_000):
        JavaApp.health(b, i, n8, hc, 503, ALB_NODES[0])
        JavaApp.health(b, i, n8, hc + 2_300, 503, ALB_NODES[1])
    replace_task(b, i, t2, T(10, 16, 38.0), dep8)
    eb_task_lifecycle(b, t2, start=False)
    n9 = b.new_task(i, 8, created=T(10, 16, 39.5), started_by=dep8)
    n9.running = T(10, 18, 20.1)
    svc_event(b, i, T(10, 16, 39.7), Msg.started(i, [n9]))
    eb_task(b, n9, "RUNNING")
    svc_event(b, i, n9.running + 1_500, Msg.registered(i))
    JavaApp.boot(b, i, n9, n9.running)
    for hc in range(n9.running + 6_000, n9.running + 36_300, 10_000):
        JavaApp.health(b, i, n9, hc, 503, ALB_NODES[0])
        JavaApp.health(b, i, n9, hc + 2_300, 503, ALB_NODES[1])
    svc_event(b, i, T(10, 21, 4.8), Msg.deployment_completed(i, dep8))
    svc_event(b, i, T(10, 21, 5.1), Msg.steady(i))
    eb_deployment(b, i, T(10, 21, 4.8), "SERVICE_DEPLOYMENT_COMPLETED", dep8)
    eb_service_action(b, i, T(10, 21, 5.2), "SERVICE_STEADY_STATE")
    # ---- hour 3 setup (needed before traffic): rev 9 registered without logConfiguration, deployed 12:00
    eb_deployment(b, i, T(12, 0, 0.3), "SERVICE_DEPLOYMENT_IN_PROGRESS", dep9)
    replace_task(b, i, n8, T(12, 0, 1.1), dep9)
    eb_task_lifecycle(b, n8, start=False)
    m1 = b.new_task(i, 9, created=T(12, 0, 2.6), started_by=dep9)
    m1.running = T(12, 1, 5.4)
    replace_task(b, i, n9, T(12, 2, 14.9), dep9)
    eb_task_lifecycle(b, n9, start=False)
    m2 = b.new_task(i, 9, created=T(12, 2, 16.3), started_by=dep9)
    m2.running = T(12, 3, 30.2)
    m1.stopped = T(12, 14, 31.7)
    m1.stop_reason, m1.stop_code, m1.exit_code = "Essential container in task exited", "EssentialContainerExited", 1
    m3 = b.new_task(i, 9, created=T(12, 14, 34.0), started_by=dep9)
    m3.running = T(12, 16, 2.2)
    for m in (m1, m2, m3):
        svc_event(b, i, m.created + 180, Msg.started(i, [m]))
        eb_task_lifecycle(b, m)
        svc_event(b, i, m.running + 1_600, Msg.registered(i))
    svc_event(b, i, m1.stopped + 800, Msg.deregistered(i))
    svc_event(b, i, T(12, 4, 41.0), Msg.deployment_completed(i, dep9))
    svc_event(b, i, T(12, 4, 41.3), Msg.steady(i))
    eb_deployment(b, i, T(12, 4, 41.0), "SERVICE_DEPLOYMENT_COMPLETED", dep9)
    # ---- hour 2 (11:00-11:15): promotion, desired count hard-coded to 2
    end = T(12, 25)

    def java_req(t: Task, ts: int, path: str, code: int, tp: float) -> None:
        if t in (n8, n9):
            JavaApp.request(b, i, t, ts, path, code, int(tp * 1000))
    saturation_episode(b, i, [n8, n9, m1, m2, m3], T(11, 0), T(11, 16), T(10, 21), end, 1.0, 10.0, None,
                       node_app=False, app_log=java_req, ci_windows=[(T(10, 50), T(11, 25)), (T(11, 55), end)])
    for t in (n8, n9):
        java_heartbeat(b, i, t, t.running + 40_000, t.stopped - 6_000)
    alb_background(b, i, [t1, t2], T(9, 0), T(10, 16), per_min=2.0)
    # rev 9 starts failing at 12:12 (no logs to explain why): 502s from m1 before it exits
    for k in range(9):
        ts = T(12, 12, 3.0) + k * 15_500
        alb_line(b, i, ts, m1.ip, 0.001, round(b.rng.uniform(3.2, 4.6), 3), -1, 502, None, "GET",
                 f"/orders/{b.rng.randrange(40000, 49999)}", b.rng.choice(CLIENT_UAS), 272)
    # ---- outputs
    n4 = killed[3]
    st = ServiceState(i, 9, desired=2, running=2, grace=60, created=T(8, 30),
                      deployments=[deployment(i, dep9, "PRIMARY", 9, 2, 2, T(12, 0), T(12, 16, 3), "COMPLETED")])
    h0 = b.sorted_logs(lambda e: e.ts < T(9, 57))
    rest = b.sorted_logs(lambda e: e.ts >= T(9, 57) and e.stream != n4.stream)
    rest_lines = cw_jsonl(rest).splitlines(keepends=True)
    rest_lines.insert(333, rest_lines[333][: len(rest_lines[333]) // 3] + "\n")
    export_id = b.ids.uuid()
    files: dict[str, bytes] = {
        "app-logs-0855-0957.filter-log-events.json": txt(j_compact(fle_doc(h0)) + "\n"),
        f"tail-ecs-orders-api-{n4.id}.txt": txt(tail_detailed(b.sorted_logs(lambda e: e.stream == n4.stream))),
        "app-logs-0957-1225.events.jsonl": txt("".join(rest_lines)),
        "eventbridge-ecs.jsonl": txt(eb_jsonl(b)),
        "describe-services.json": txt(describe_services(b, [st], "v2")),
        "config/describe-target-groups.json": txt(j_pretty(target_groups_doc(i, 10, 2, 5, "/actuator/health"))),
        "config/describe-scalable-targets.json": txt(j_pretty({"ScalableTargets": []})),
        "config/task-definition-orders-api-7.json": txt(j_pretty(task_definition_doc(i, 7))),
        "config/task-definition-orders-api-8.json": txt(j_pretty(task_definition_doc(i, 8))),
        "config/task-definition-orders-api-9.json": txt(j_pretty(task_definition_doc(i, 9, log_config=False))),
        f"container-insights-export/aws-logs-write-test": txt("Permission Check Successful"),
    }
    for stream_events in group_by_stream(ci_as_log_events(b)):
        files[f"container-insights-export/{export_id}/{stream_events[0].stream}/000000.gz"] = gz(
            txt(s3_export_lines(stream_events)))
    members = b"".join(gz(txt(body)) for body in alb_files(b.alb).values())
    files["alb/alb-access-0900-1225.log.gz"] = members
    denials = [f for f in b.facts if f.kind == "denial"]
    e500 = [f for f in b.facts if f.kind == "http5xx" and f.value == 500]
    assert len(denials) == 38 and len(e500) == 212, (len(denials), len(e500))
    return Scenario(
        "anti-primer-story", b, files,
        "The anti-primer story: four hours, four footguns, one service",
        "The story of `shared/story/anti-primer-ecs.md` for `orders-api` (Spring Boot, Fargate, cluster `prod`, "
        "eu-west-1), one day before launch. Request volumes are scaled down (~10x) to keep the folder small; "
        "counts, ratios and timings are the story's.\n\n"
        f"* **Hour 0 (09:00–09:45)** — rev 7 runs with task role `{i.task_role}`, but the S3 policy was attached to "
        f"the execution role `{i.execution_role}`. The partner invoice sync calls `GET /orders/<n>/invoice`; each "
        f"real S3 call is denied (`software.amazon.awssdk.services.s3.model.S3Exception: User: …:assumed-role/"
        f"{i.task_role}/<task id> is not authorized to perform: s3:GetObject … (Service: S3, Status Code: 403, …)`). "
        f"A Resilience4j breaker opens after 5 failures, so most requests fail fast with `CircuitBreaker "
        f"'invoiceStore' is OPEN` — {len(denials)} AccessDenied, {len(e500)} HTTP 500 (each in the Tomcat access "
        f"log and in the ALB log). Nobody notices.\n"
        f"* **Hour 1 (09:57–10:21)** — the target group is tightened to `/actuator/health`, 10 s interval, "
        f"unhealthy threshold 2; the service keeps `healthCheckGracePeriodSeconds: 0`. Rev 8 (deployment "
        f"`{dep8}`) is rolled one slot at a time; the app needs 34.8 s to start and each new task is killed "
        f"~26 s after RUNNING: 7 kills between {hms(killed[0].stopped)} and {hms(killed[-1].stopped)}. At 10:14 "
        f"the grace period is set to 60 s (no event), the 8th task survives and the deployment completes at "
        f"10:21. Task `{n4.id}` (the late kill that logged readiness) is exported on its own with `aws logs tail`.\n"
        f"* **Hour 2 (11:00–11:15)** — a promotion brings 10x traffic to the two rev-8 tasks; desired count is "
        f"hard-coded to 2 and there is no scalable target. CPU 95–99.6 % of reserved, ALB target_processing_time "
        f"28–31 s, some 504s; Container Insights keeps DesiredTaskCount 2.\n"
        f"* **Hour 3 (12:00–12:25)** — rev 9 is registered without `logConfiguration` and deployed at 12:00. The "
        f"rev-8 tasks log until they are replaced (12:00, 12:02); the rev-9 tasks `{m1.id}` (RUNNING "
        f"{hms(m1.running)}), `{m2.id}` ({hms(m2.running)}) and later `{m3.id}` ({hms(m3.running)}) never get a "
        f"stream. At 12:12 `{m1.id[:8]}…` starts answering 502 and exits with code 1 at {hms(m1.stopped)} — and "
        f"there are zero logs to say why. EventBridge, Container Insights and the ALB keep moving event time.",
        [f"**access-denied** (hour 0) for `orders-api`, cause **task-role-missing-permission** — principal "
         f"`assumed-role/{i.task_role}/<task id>`, action s3:GetObject, resource `arn:aws:s3:::{INVOICE_BUCKET}/…`; "
         f"the Java SDK v2 text carries no `AccessDenied` code, only `not authorized to perform` and `Status Code: 403`. "
         f"Fix text should say: move the S3 statement from `{i.execution_role}` to `{i.task_role}`.",
         "**restart-loop** (hour 1), class **elb-health-check**, cause **health-check-grace-period** (kill at ~26 s "
         "< startup 34.8 s, grace 0).",
         "**saturation** (hour 2), cpu and latency, cause **fixed-desired-count** (DesiredTaskCount 2 throughout, "
         "`describe-scalable-targets` empty).",
         f"**missing-logs (b)** (hour 3), cause **no-log-configuration**: `{m1.id}` silent since RUNNING; "
         f"`orders-api:9` has no logConfiguration (config/task-definition-orders-api-9.json) while `:8` had one. "
         f"The later alerts for `{m2.id}` and `{m3.id}` belong to the same incident.",
         "Each alert should be raised once and resolved/left active independently; the order of first alerts is "
         "access-denied → restart-loop → saturation → missing-logs."],
        ["restart-loop for the hour-3 exit 1 of m1 (a single failure)",
         "restart-loop from the deployment scale-ins (`Scaling activity initiated by …`)",
         "access-denied from `CircuitBreaker 'invoiceStore' is OPEN` lines (no AWS call was made; they are 500s, "
         "not denials)",
         "missing-logs for the killed hour-1 tasks (they logged within 2 s) or for the rev-8 tasks after they stop",
         "memory saturation (memory stays ≤ 63 %)"],
        ["`app-logs-0957-1225.events.jsonl` line 334 is a truncated copy (⅓) of line 335.",
         "`container-insights-export/aws-logs-write-test` is the marker object CloudWatch writes next to an "
         "export (`Permission Check Successful`, no timestamp): skip or report, never crash.",
         "`alb/alb-access-0900-1225.log.gz` is several gzip members concatenated (`cat *.log.gz > …`); a "
         "decoder that stops after the first member loses most of the file."],
        ["`aws logs filter-log-events --log-group-name /ecs/orders-api --start-time … --end-time … | jq -c .` "
         "(the whole response on one line)",
         f"`aws logs tail /ecs/orders-api --log-stream-names ecs/orders-api/{n4.id} --since 3h`",
         "`aws logs filter-log-events … | jq -c '.events[] + {logGroupName: \"/ecs/orders-api\"}'`",
         "EventBridge → Firehose → S3, `jq -c .`",
         "`aws ecs describe-services --cluster prod --services orders-api` at 12:25 (CLI v2, laptop in -07:00)",
         "`aws logs create-export-task --log-group-name /aws/ecs/containerinsights/prod/performance "
         f"--destination orders-exports --destination-prefix container-insights-export` (task id `{export_id}`)",
         "ALB objects from S3 concatenated: `cat *.log.gz > alb-access-0900-1225.log.gz`",
         "config/: `aws elbv2 describe-target-groups`, `aws application-autoscaling describe-scalable-targets`, "
         "`aws ecs describe-task-definition`"],
    )


# ----------------------------------------------------------------------------------------
# SampleLogs/formats: one small file per input shape, cut from the scenario data
# ----------------------------------------------------------------------------------------

def build_formats(ad: Scenario, gp: Scenario, sat: Scenario) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    b = Bundle("formats")
    # -- CloudWatch Logs: the same events (09:14:00-09:15:00 of scenarios/access-denied) in every shape
    events = ad.bundle.sorted_logs(lambda e: T(9, 14) <= e.ts < T(9, 15))
    assert 10 <= len(events) <= 40, len(events)
    streams = group_by_stream(events)
    one = streams[0]
    cw = "cloudwatch/"
    files[cw + "filter-log-events.json"] = txt(j_pretty(fle_doc(events)))
    files[cw + "filter-log-events-compact.json"] = txt(j_compact(fle_doc(events)) + "\n")
    files[cw + "get-log-events.json"] = txt(j_pretty(gle_doc(one, b.ids)))
    files[cw + "events.jsonl"] = txt(cw_jsonl(events))
    files[cw + "tail-detailed.txt"] = txt(tail_detailed(events))
    files[cw + "tail-detailed-color.txt"] = txt(tail_detailed(events, color=True))
    files[cw + "tail-short.txt"] = txt(tail_short(events))
    files[cw + "tail-json.txt"] = txt(tail_json(events))
    files[cw + "plain.txt"] = txt("".join(e.message + "\n" for e in events))
    export_id = "6f1d2c3b-4a59-4e8d-9c7b-0a1e2f3d4c5b"
    for st in streams:
        files[f"{cw}s3-export/{export_id}/{st[0].stream.replace('/', '-')}/000000.gz"] = gz(txt(s3_export_lines(st)))
    files[cw + "s3-export/aws-logs-write-test"] = txt("Permission Check Successful")
    dms = [data_message(st) for st in streams]
    files[cw + "subscription/data-message.json"] = txt(j_compact(dms[0]))
    files[cw + "subscription/control-message.json"] = txt(j_compact(control_message(T(9, 13, 58.1), "Kinesis stream")))
    kin = [control_message(T(9, 13, 58.1), "Kinesis stream")] + dms
    files[cw + "subscription/kinesis-records.txt"] = txt("".join(
        base64.b64encode(gz(txt(j_compact(m)))).decode() + "\n" for m in kin))
    files[cw + "subscription/lambda-awslogs.jsonl"] = txt("".join(
        j_compact({"awslogs": {"data": base64.b64encode(gz(txt(j_compact(m)))).decode()}}) + "\n" for m in dms))
    fh = [control_message(T(9, 14, 4.9), "Firehose")] + [data_message(st, filters=("orders-api-to-firehose",))
                                                          for st in streams]
    files[cw + "firehose/my-delivery-stream-2026-11-20-09-14-05-a188030a-62d2-49e6-b7c2-b11f1a7ba250"] = b"".join(
        gz(txt(j_compact(m))) for m in fh)

    # -- ECS: service events of the restart loop (scenarios/grace-period), 09:58-10:05
    g = gp.bundle
    keep = [e for e in g.svc_events["orders-api"] if T(9, 58) <= e["_ts"] < T(10, 5)]
    fb = Bundle("formats-ecs")
    fb.svc_events["orders-api"] = keep
    i = ORDERS
    new_dep = next(t.started_by for t in g.tasks if t.rev == 8)
    old_dep = next(t.started_by for t in g.tasks if t.rev == 7)
    deps = [deployment(i, new_dep, "PRIMARY", 8, 2, 0, T(9, 58, 15), T(10, 4, 45), "IN_PROGRESS", 1, 3),
            deployment(i, old_dep, "ACTIVE", 7, 1, 1, T(9, 17, 58), T(9, 58, 41), "COMPLETED")]
    st = ServiceState(i, 8, desired=2, running=1, pending=1, grace=0, created=T(8, 30), deployments=deps)
    ecs = "ecs/"
    files[ecs + "describe-services.json"] = txt(describe_services(fb, [st], "v2"))
    files[ecs + "describe-services-cli-v1.json"] = txt(describe_services(fb, [st], "v1"))
    files[ecs + "describe-services-raw.json"] = txt(describe_services(fb, [st], "raw"))
    files[ecs + "describe-services.txt"] = txt(aws_text({"services": [service_doc(fb, st, "v2")], "failures": []}))
    evs = sorted(keep, key=lambda e: e["_ts"], reverse=True)
    files[ecs + "describe-services-events.txt"] = txt(aws_text(
        [{"id": e["id"], "createdAt": iso_local(e["_ts"]), "message": e["message"]} for e in evs]))
    files[ecs + "service-events-console.txt"] = txt("".join(
        f"{iso_ms(e['_ts'])}\t{console_wording(e['message'])}\n" for e in evs))
    files[ecs + "service-events-ecspresso.txt"] = txt("".join(
        f"{dt(e['_ts']).strftime('%Y/%m/%d %H:%M:%S')} {e['message']}\n" for e in sorted(keep, key=lambda e: e["_ts"])))
    # EventBridge
    gev = eb_sorted(g)
    window = [e for e in gev if T(9, 58) <= int(datetime.fromisoformat(e["time"].replace("Z", "+00:00")).timestamp() * 1000) < T(10, 3)]
    killed = next(e for e in window if e["detail-type"] == "ECS Task State Change" and e["detail"]["lastStatus"] == "STOPPED"
                  and "ELB" in e["detail"].get("stoppedReason", ""))
    tid = killed["detail"]["taskArn"]
    pretty = [e for e in gev if e["detail-type"] == "ECS Task State Change" and e["detail"]["taskArn"] == tid]
    files[ecs + "eventbridge/task-state-change-pretty.json"] = txt("".join(j_pretty(e) for e in pretty))
    extra = Bundle("formats-eb")
    sa_new = eb_service_action(extra, i, T(10, 21, 5.2), "SERVICE_STEADY_STATE")
    sa_old = eb_service_action(extra, i, T(10, 21, 5.2), "SERVICE_STEADY_STATE", old_arn=True)
    sa_warn = eb_service_action(extra, i, T(10, 4, 50.0), "SERVICE_TASK_START_IMPAIRED", "WARN")
    dep_done = eb_deployment(extra, i, T(10, 21, 4.8), "SERVICE_DEPLOYMENT_COMPLETED", new_dep)
    lines = window + [sa_warn, dep_done, sa_new, sa_old]
    assert 10 <= len(lines) <= 40, len(lines)
    files[ecs + "eventbridge/events.jsonl"] = txt(eb_jsonl(extra, lines))
    files[ecs + "eventbridge/in-cloudwatch.json"] = txt(j_pretty(eb_in_cloudwatch(extra, lines[:12])))

    # -- metrics: Container Insights (scenarios/saturation 11:03-11:06), ALB, metric streams
    s = sat.bundle
    mb = Bundle("formats-metrics")
    mb.ci = [c for c in s.ci if T(11, 3) <= c["Timestamp"] < T(11, 7)]
    stasks = [t for t in s.tasks]
    for minute in range(T(11, 3), T(11, 7), 60_000):
        for t in stasks:
            cpu = next(c["CpuUtilized"] for c in mb.ci if c["Type"] == "Task" and c["TaskId"] == t.id and c["Timestamp"] == minute)
            ci_container(mb, t, minute, cpu / 10.24 - 0.3, 58.2)
        ci_cluster(mb, ORDERS, minute, 11, 6)
    files["metrics/container-insights.jsonl"] = txt(cw_jsonl(ci_as_log_events(mb)))
    alb = sorted([x for x in ad.bundle.alb if T(9, 14) <= x[0] < T(9, 16)][:10]
                 + [x for x in s.alb if T(11, 6) <= x[0]][:18])
    if not any(" 504 - " in l for _, l in alb):
        alb += [next(x for x in s.alb if " 504 - " in x[1])]
    t0 = stasks[0]
    alb.append((T(11, 6, 40.5), alb_line(mb, ORDERS, T(11, 6, 40.5), t0.ip, 0.001, 4.205, -1, 502, None, "GET",
                                         "/orders/41977", CLIENT_UAS[0], 326)))
    alb = sorted(alb)
    files["metrics/alb-access.log"] = txt("".join(l + "\n" for _, l in alb))
    files["metrics/alb-access.log.gz"] = gz(files["metrics/alb-access.log"])
    ms_lines = []
    for minute in range(T(11, 0), T(11, 5), 60_000):
        tasks_cpu = [c["CpuUtilized"] / c["CpuReserved"] * 100 for c in s.ci if c["Type"] == "Task" and c["Timestamp"] == minute]
        mem = [c["MemoryUtilized"] / c["MemoryReserved"] * 100 for c in s.ci if c["Type"] == "Task" and c["Timestamp"] == minute]
        lat = sorted(v for v in (f.value for f in s.facts if f.kind == "latency" and minute <= f.ts < minute + 60_000))
        for name, vals, unit, dims, ns in (
                ("CPUUtilization", tasks_cpu, "Percent", {"ClusterName": "prod", "ServiceName": "orders-api"}, "AWS/ECS"),
                ("MemoryUtilization", mem, "Percent", {"ClusterName": "prod", "ServiceName": "orders-api"}, "AWS/ECS"),
                ("TargetResponseTime", lat, "Seconds", {"LoadBalancer": ORDERS.load_balancer,
                                                        "TargetGroup": ORDERS.tg_short}, "AWS/ApplicationELB"),
                ("HTTPCode_Target_5XX_Count", [0.0], "Count", {"LoadBalancer": ORDERS.load_balancer,
                                                              "TargetGroup": ORDERS.tg_short}, "AWS/ApplicationELB")):
            value = {"max": round(max(vals), 4), "min": round(min(vals), 4), "sum": round(sum(vals), 4),
                     "count": float(len(vals))}
            if name == "TargetResponseTime":
                value["p90"] = round(vals[int(0.9 * (len(vals) - 1))], 4)
            ms_lines.append(j_compact({"metric_stream_name": "prod-ecs-alb-metrics", "account_id": "123456789012",
                                       "region": "eu-west-1", "namespace": ns, "metric_name": name,
                                       "dimensions": dims, "timestamp": minute, "value": value, "unit": unit}))
    files["metrics/metric-stream.jsonl"] = txt("".join(l + "\n" for l in ms_lines))
    # -- config documents (optional inputs that explain causes)
    files["config/describe-target-groups.json"] = txt(j_pretty(target_groups_doc(ORDERS, 10, 2, 5, "/actuator/health")))
    files["config/describe-scalable-targets.json"] = txt(j_pretty({"ScalableTargets": []}))
    files["config/task-definition.json"] = txt(j_pretty(task_definition_doc(ORDERS, 8)))
    return files


# ----------------------------------------------------------------------------------------
# writing: expected.md, README.md
# ----------------------------------------------------------------------------------------

def shape_of(name: str, data: bytes | None = None) -> str:
    n = name.rsplit("/", 1)[-1]
    if "filter-log-events" in n and data is not None and data.count(b"\n") <= 1:
        return "`aws logs filter-log-events` JSON, whole response on one line"
    if n == "000000.gz" and "container-insights" in name:
        return "CloudWatch export-to-S3 object (gzip, `<ISO ms> <message>`), messages are Container Insights EMF"
    if "eventbridge" in name and n.endswith(".jsonl"):
        return "EventBridge `aws.ecs` events, one per line"
    table = [
        ("filter-log-events-compact", "filter-log-events JSON, one line"),
        ("filter-log-events", "`aws logs filter-log-events` JSON (CLI v2, pretty)"),
        ("get-log-events", "`aws logs get-log-events` JSON"),
        ("events.jsonl", "CloudWatch events, one JSON object per line"),
        ("tail-detailed-color", "`aws logs tail` detailed, ANSI colours"),
        ("tail-detailed", "`aws logs tail --format detailed`"),
        ("tail-short", "`aws logs tail --format short`"),
        ("tail-json", "`aws logs tail --format json`"),
        (".tail.txt", "`aws logs tail --format detailed`"),
        ("tail-ecs-", "`aws logs tail --format detailed` (one stream)"),
        ("eventbridge-task-state-change-pretty", "EventBridge events, pretty JSON, concatenated"),
        ("task-state-change-pretty", "EventBridge events, pretty JSON, concatenated"),
        ("in-cloudwatch", "EventBridge events stored in CloudWatch Logs (filter-log-events)"),
        ("eventbridge", "EventBridge `aws.ecs` events, one per line"),
        ("describe-services-cli-v1", "describe-services, CLI v1 (epoch float createdAt)"),
        ("describe-services-raw", "describe-services, raw API dump (1.7E9 createdAt), one line"),
        ("describe-services-events.txt", "`--query 'services[0].events' --output text` (createdAt, id, message)"),
        ("describe-services.txt", "describe-services `--output text` (SERVICES/DEPLOYMENTS/EVENTS … lines)"),
        ("describe-services", "describe-services, CLI v2 JSON (local-offset ISO createdAt)"),
        ("service-events-console", "service events, console wording, tab after the timestamp"),
        ("service-events-ecspresso", "service events, ecspresso/Go log prefix"),
        ("container-insights", "Container Insights performance events (EMF) as CloudWatch events"),
        ("metric-stream", "CloudWatch metric stream JSON, one per line"),
        ("alb-access", "ALB access log"),
        ("_elasticloadbalancing_", "ALB access log object as stored in S3 (gzip)"),
        ("000000.gz", "CloudWatch export-to-S3 object (gzip, `<ISO ms> <message>`)"),
        ("aws-logs-write-test", "export marker object (not a log)"),
        ("data-message", "decoded subscription DATA_MESSAGE"),
        ("control-message", "decoded subscription CONTROL_MESSAGE"),
        ("kinesis-records", "base64(gzip(subscription message)), one per line"),
        ("lambda-awslogs", "Lambda `{\"awslogs\":{\"data\":…}}` envelopes, one per line"),
        ("my-delivery-stream", "Firehose S3 object: gzip members, concatenated JSON, no newline"),
        ("plain.txt", "bare messages, no metadata"),
        ("describe-target-groups", "config: `aws elbv2 describe-target-groups`"),
        ("describe-scalable-targets", "config: `aws application-autoscaling describe-scalable-targets`"),
        ("task-definition", "config: `aws ecs describe-task-definition`"),
    ]
    for key, desc in table:
        if key in n or key in name:
            return desc
    return "?"


def esc(cell: str) -> str:
    """Escape pipes inside a markdown table cell."""
    return cell.replace("|", "\\|")


def human(n: int) -> str:
    return f"{n / 1024:.1f} KiB" if n >= 1024 else f"{n} B"


def render_expected(sc: Scenario) -> str:
    dets = oracle(sc.bundle)
    out = [f"# {sc.title}\n",
           f"Replay: `ecsdiagd replay SampleLogs/scenarios/{sc.name}`. All times are 2026-11-20, UTC, event time. "
           "Identity: account 123456789012, region eu-west-1, cluster `prod`.\n",
           "## What happened\n", sc.story + "\n",
           "## Files\n", "| file | shape | size |", "| --- | --- | --- |"]
    for name in sorted(sc.files):
        out.append(f"| `{name}` | {esc(shape_of(name, sc.files[name]))} | {human(len(sc.files[name]))} |")
    out += ["", "How they were produced:", ""] + [f"- {s}" for s in sc.sources]
    out += ["", "## Must be diagnosed\n"] + [f"- {e}" for e in sc.expect]
    out += ["", "## Rule conditions, computed from the generated data\n",
            "Computed by the oracle in `scripts/samplelogs.py` with the engine's defaults (access-denied ≥ 3 per "
            "service in 5 min; restart-loop ≥ 3 failures of one class per service in 15 min, one per task; "
            "saturation ≥ 90 % of reserved or ALB p90 ≥ 10 s per minute, sustained 5 min; missing-logs (b) 5 min "
            "without a record in a stream ending in the task id after RUNNING, (a) first logger failure). "
            "\"Met\" is the event time at which the condition first holds; with 30 s allowed lateness an engine "
            "can emit the alert once its watermark passes met + 30 s.\n"]
    if dets:
        out += ["| rule | service | cause / class / metric | first evidence | condition met | in window / total | detail |",
                "| --- | --- | --- | --- | --- | --- | --- |"]
        for d in dets:
            cnt = f"{d.count_in_window} / {d.total}" if d.total else "–"
            out.append(f"| {d.rule} | `{d.service}` | {esc(d.cause)} | {hms(d.first_evidence)} | {hms(d.met)} | {cnt} | "
                       f"{esc(d.detail[:110])} |")
    else:
        out.append("No rule condition is met anywhere in this folder.")
    out += ["", "## Must NOT be diagnosed\n"] + [f"- {n}" for n in sc.negatives]
    out += ["", "## Bad input\n"] + ([f"- {x}" for x in sc.bad_input] if sc.bad_input else ["- none"])
    return "\n".join(out) + "\n"


def render_readme(scs: list[Scenario], formats: dict[str, bytes]) -> str:
    total = (sum(len(v) for sc in scs for v in sc.files.values()) + sum(len(v) for v in formats.values())
             + sum(len(render_expected(sc).encode()) for sc in scs))
    lines = [
        "# SampleLogs",
        "",
        "Realistic, deterministic sample inputs for `ecsdiagd`, generated by `python3 scripts/samplelogs.py` "
        "(Python 3.11 standard library, fixed seeds, fixed timestamps, gzip with mtime 0 and no file name: "
        "every run writes byte-identical files). Do not edit by hand — change the generator and rerun it. "
        "It rewrites `formats/`, `scenarios/` and this file only.",
        "",
        "Shapes follow `shared/reference/aws-formats.md` (sections cited as §x.y). Identity everywhere: account "
        "`123456789012`, region `eu-west-1`, cluster `prod`, service `orders-api`, log group `/ecs/orders-api`, "
        "awslogs streams `ecs/orders-api/<32-hex task id>`, task ARNs "
        "`arn:aws:ecs:eu-west-1:123456789012:task/prod/<id>`, service ARN "
        "`arn:aws:ecs:eu-west-1:123456789012:service/prod/orders-api`, task role `orders-task-role`, execution "
        "role `orders-api-ExecutionRole-1A2B3C4D5E6F`, target group "
        "`arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders-api/73e2d6bc24d8a067`, load "
        "balancer `app/orders-alb/50dc6c495c0c9188`. Day: 2026-11-20 (UTC); the engineer's laptop renders CLI v2 "
        "times in -07:00. Request volumes are scaled down (~10x) to keep files small; counts that the rules "
        "depend on are exact.",
        "",
        f"Total size of `formats/` and `scenarios/`: {human(total)}. (`context/`, if present, holds configuration "
        "documents for `ecsdiagd audit`; it is maintained separately and not written by this script.)",
        "",
        "## formats/ — one small file per input shape",
        "",
        "All CloudWatch Logs files under `formats/cloudwatch/` carry the **same events** (09:14:00–09:15:00 of "
        "`scenarios/access-denied`, two task streams), so a decoder can be checked by decoding every file and "
        "comparing (`get-log-events.json`, `subscription/data-message.json` and each S3 export object hold one "
        "stream; `tail-short.txt` loses the stream and the milliseconds, `plain.txt` keeps only the messages; the "
        "tail files and the S3 export lose ingestionTime and eventId, as the CLI does). `formats/ecs/` is 09:58–10:05 of "
        "`scenarios/grace-period` (two restart-loop cycles), `formats/metrics/` is 11:03–11:07 of "
        "`scenarios/saturation` plus a few ALB lines of access-denied.",
        "",
        "| file | shape | produced by | size |",
        "| --- | --- | --- | --- |",
    ]
    produced = {
        "cloudwatch/filter-log-events.json": "`aws logs filter-log-events --log-group-name /ecs/orders-api --start-time … --end-time …` (CLI v2)",
        "cloudwatch/filter-log-events-compact.json": "same, `| jq -c .`",
        "cloudwatch/get-log-events.json": "`aws logs get-log-events --log-group-name /ecs/orders-api --log-stream-name ecs/orders-api/<id>`",
        "cloudwatch/events.jsonl": "`… filter-log-events | jq -c '.events[] + {logGroupName: \"/ecs/orders-api\"}'`",
        "cloudwatch/tail-detailed.txt": "`aws logs tail /ecs/orders-api` (no TTY)",
        "cloudwatch/tail-detailed-color.txt": "`aws logs tail /ecs/orders-api --color on`",
        "cloudwatch/tail-short.txt": "`aws logs tail /ecs/orders-api --format short`",
        "cloudwatch/tail-json.txt": "`aws logs tail /ecs/orders-api --format json` (JSON messages pretty-printed on the following lines; note the trailing space after the stream name)",
        "cloudwatch/plain.txt": "`jq -r '.events[].message'`",
        "cloudwatch/s3-export/aws-logs-write-test": "marker object written by `create-export-task` (content `Permission Check Successful`)",
        "cloudwatch/subscription/data-message.json": "`echo <data> | base64 -d | gunzip` of one subscription record (compact, no newline)",
        "cloudwatch/subscription/control-message.json": "same for a CONTROL_MESSAGE (empty logGroup/logStream)",
        "cloudwatch/subscription/kinesis-records.txt": "`aws kinesis get-records … | jq -r '.Records[].Data'`: base64(gzip(message)), first record is a CONTROL_MESSAGE",
        "cloudwatch/subscription/lambda-awslogs.jsonl": "the Lambda event payload `{\"awslogs\":{\"data\":\"…\"}}`, one invocation per line",
        "ecs/describe-services.json": "`aws ecs describe-services --cluster prod --services orders-api` (CLI v2: ISO createdAt with -07:00 and microseconds, events newest first)",
        "ecs/describe-services-cli-v1.json": "same with AWS CLI v1 (createdAt epoch seconds as float)",
        "ecs/describe-services-raw.json": "raw API / Java SDK dump (createdAt `1.795…E9`), one line",
        "ecs/describe-services.txt": "`--output text` of the whole response (port of awscli/text.py: SERVICES, DEPLOYMENTS, EVENTS\\t<createdAt>\\t<id>\\t<message>, …)",
        "ecs/describe-services-events.txt": "`--query 'services[0].events' --output text`: createdAt, id, message tab separated (the shape quoted in §1.1)",
        "ecs/service-events-console.txt": "events tab of the new console copied as a table: ISO time, tab, console wording (parentheses dropped except `(reason …)`, target group by name). The console's own time rendering is not attested; parse the message by content",
        "ecs/service-events-ecspresso.txt": "`ecspresso deploy` progress output (Go log prefix `2026/11/20 10:00:17`, run with TZ=UTC, API wording)",
        "ecs/eventbridge/task-state-change-pretty.json": "EventBridge events of one killed task as the console / `jq .` shows them, concatenated",
        "ecs/eventbridge/events.jsonl": "EventBridge → Firehose → S3 → `jq -c .`: Task State Change (RUNNING, stop requested, STOPPED), Service Action (new and old service ARN form), Deployment State Change",
        "ecs/eventbridge/in-cloudwatch.json": "EventBridge rule with a CloudWatch Logs target, read back with filter-log-events (message = JSON-escaped event; stream = event id)",
        "metrics/container-insights.jsonl": "`/aws/ecs/containerinsights/prod/performance` read with filter-log-events | jq -c: Type Task, Service, Container, Cluster",
        "metrics/alb-access.log": "ALB access log entries (zcat of S3 objects): 200s, 500s (app), 504 (`target_status_code` `-`, `-1` times), 502 (`-1` response time), trailing `TID_…` field",
        "metrics/alb-access.log.gz": "the same, gzip",
        "metrics/metric-stream.jsonl": "CloudWatch metric stream JSON output: AWS/ECS CPUUtilization/MemoryUtilization, AWS/ApplicationELB TargetResponseTime (with p90) and HTTPCode_Target_5XX_Count",
        "config/describe-target-groups.json": "`aws elbv2 describe-target-groups --names orders-api`",
        "config/describe-scalable-targets.json": "`aws application-autoscaling describe-scalable-targets --service-namespace ecs --resource-ids service/prod/orders-api` (empty: no auto scaling)",
        "config/task-definition.json": "`aws ecs describe-task-definition --task-definition orders-api:8`",
    }
    for name in sorted(formats):
        key = name
        if "/s3-export/" in name and name.endswith("000000.gz"):
            how = "`aws logs create-export-task` object; stream folder named moto-style (`/` → `-`), uncertain for real AWS: parse by content"
        elif "/firehose/" in name:
            how = ("CloudWatch subscription → Firehose → S3 (no `.gz` although gzip): one gzip member per record "
                   "(a CONTROL_MESSAGE first), decompressed = JSON objects concatenated without newlines")
        else:
            how = produced.get(key, "")
        lines.append(f"| `formats/{name}` | {esc(shape_of(name, formats[name]))} | {esc(how)} | {human(len(formats[name]))} |")
    lines += ["", "## scenarios/ — incident folders for `ecsdiagd replay`", "",
              "Each folder mixes formats the way an on-call engineer would collect them and has an `expected.md` "
              "with the story, what must and must not be diagnosed, the bad input it contains, and a table of the "
              "rule conditions computed from the generated data (rule, service, cause, first evidence, the moment "
              "the condition is first met).", "",
              "| scenario | must be diagnosed (rule → cause, condition met at, UTC) | size |", "| --- | --- | --- |"]
    for sc in scs:
        dets = oracle(sc.bundle)
        summary = "; ".join(f"{d.rule} `{d.service}` → {d.cause} ({hms(d.met)})" for d in dets) or "nothing (hard negatives only)"
        lines.append(f"| [`{sc.name}`](scenarios/{sc.name}/expected.md) | {summary} | "
                     f"{human(sum(len(v) for v in sc.files.values()))} |")
    lines += ["",
              "Cause names used above: access-denied → `task-role-missing-permission`, `execution-role-used-by-app`, "
              "`no-task-role`, `instance-role-fallback`, `execution-role-missing-permission`; restart-loop classes → "
              "`elb-health-check` (cause `health-check-grace-period`), `app-crash`, `oom`, `logger`, "
              "`resource-initialization`; saturation metrics → `cpu`, `memory`, `latency` (cause "
              "`fixed-desired-count`); missing-logs → `log-group-missing` (a), `no-log-configuration` (b).", "",
              "## Deliberate traps", "",
              "- Every scenario except crash-loop, oom-loop and execution-role/* contains exactly one malformed "
              "record in one JSON-lines file (listed under *Bad input*); the story also has the export marker "
              "object and a multi-member gzip.",
              "- awslogs splits multi-line output: Python tracebacks and Java stack traces arrive one line per "
              "event; only the last line of a boto3 traceback names AccessDenied. Java SDK v2 S3 errors carry no "
              "`AccessDenied` code at all (`… is not authorized to perform: s3:GetObject … (Service: S3, Status "
              "Code: 403, …)`).",
              "- EventBridge is at-least-once: `grace-period` contains a duplicated STOPPED event (same "
              "detail.version). Fargate trims one stoppedReason in `missing-logs` to 128 characters.",
              "- `Essential container in task exited` appears with exit code 0 (batch), 1 (crash) and 137 "
              "(OOM); stop requests appear as Task State Change events with lastStatus RUNNING and desiredStatus "
              "STOPPED before the STOPPED event.",
              "- Service events never say `is unable to consistently start tasks` for a health-check loop; they "
              "do for tasks that never reach RUNNING (missing-logs (a), execution-role-missing-permission).",
              "- ALB logs never contain health checks; the 503s of booting tasks exist only in the app's own access "
              "log (`ELB-HealthChecker/2.0`). Rev-8 tasks (grace-period, story) log failed health checks only.",
              "- Hard negatives for access-denied: MySQL `Access denied for user`, Spring Security "
              "`AccessDeniedException`, HTTP 403 to clients, `CircuitBreaker … is OPEN` 500s, a once-an-hour "
              "`(403) … HeadObject … Forbidden`.",
              "",
              "## Not verified against live AWS", "",
              "- The console's rendering of event times (service-events-console.txt) and the S3-export stream "
              "folder naming are not attested; CloudWatch-Logs-target stream names for EventBridge are assumed to "
              "be the event id; the Firehose object is written as one gzip member per record.",
              "- Spring Boot logs `Tomcat started` before the slow warm-up here so the health checks get 503 (not "
              "connection refused) while booting; real apps vary.",
              ""]
    return "\n".join(lines)


def write_tree(base: Path, files: dict[str, bytes]) -> None:
    for name, data in sorted(files.items()):
        write_bytes(base / name, data)


def all_scenarios() -> list[Scenario]:
    return ([scenario_access_denied(), scenario_grace_period(), scenario_saturation(), scenario_missing_logs(),
             scenario_healthy(), scenario_crash_loop(), scenario_oom_loop()] + scenario_execution_role()
            + [scenario_story()])


def write_samplelogs(verbose: bool = False) -> None:
    scs = all_scenarios()
    by = {sc.name: sc for sc in scs}
    formats = build_formats(by["access-denied"], by["grace-period"], by["saturation"])
    for sub in ("formats", "scenarios"):
        shutil.rmtree(SAMPLE_DIR / sub, ignore_errors=True)
    write_tree(SAMPLE_DIR / "formats", formats)
    for sc in scs:
        files = dict(sc.files)
        files["expected.md"] = txt(render_expected(sc))
        write_tree(SAMPLE_DIR / "scenarios" / sc.name, files)
        if verbose:
            print(f"== {sc.name}")
            for d in oracle(sc.bundle):
                print(f"   {d.rule:14} {d.service:18} {d.cause:40} first {hms(d.first_evidence)} met {hms(d.met)} "
                      f"{d.count_in_window}/{d.total} {d.detail[:60]}")
    write_text(SAMPLE_DIR / "README.md", render_readme(scs, formats))


# ----------------------------------------------------------------------------------------
# Tests/LogDecodingTests/Fixtures: verbatim shapes from aws-formats.md (+ malformed inputs)
# ----------------------------------------------------------------------------------------

# §4.1 / §4.3 strings, verbatim (one entry per physical line; the PHP message is split at its
# newline, the Go v1 continuation keeps its leading tab). Fourth field: what a decoder/matcher
# should make of the line.
SDK_ERRORS: list[tuple[str, str, str, str]] = [
    ('4.1', 'boto3/botocore', 'access-denied',
     'botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the ReceiveMessage operation: Access to the resource https://eu-west-3.queue.amazonaws.com/ is denied.'),
    ('4.1', 'boto3 S3', 'access-denied',
     '"errorMessage": "An error occurred (AccessDenied) when calling the GetObject operation: Access Denied",'),
    ('4.1', 'boto3/CLI HEAD (no body!)', 'forbidden-head-403',
     'fatal error: An error occurred (403) when calling the HeadObject operation: Forbidden'),
    ('4.1', 'boto3 STS, task role visible', 'access-denied',
     'botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:sts::123456789012:assumed-role/dataall-dev-ecs-tasks-role/2d84243e241b45a5a0b4dbee09e50d97 is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/dataall-dev-ecs-tasks-role'),
    ('4.1', 'Java v1', 'access-denied',
     'com.amazonaws.services.sqs.model.AmazonSQSException: Access to the resource https://sqs.us-east-1.amazonaws.com/ is denied. (Service: AmazonSQS; Status Code: 403; Error Code: AccessDenied; Request ID: 586aa9b5-fe97-585a-j765-fb72c2fc0746)'),
    ('4.1', 'Java v1 S3', 'access-denied',
     'Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: R2H8QVBHDTX5SE9W; S3 Extended Request ID: /YIorWddq7/…=)'),
    ('4.1', 'Java v1 JSON service', 'access-denied',
     '… is not authorized to perform: iam:PassRole on resource: arn:aws:iam::01234567890:role/ecsTaskExecutionRole (Service: AmazonECS; Status Code: 400; Error Code: AccessDeniedException; Request ID: 37158697-a9c5-4ce8-8044-812c988dea0a)'),
    ('4.1', 'Java v2', 'access-denied',
     'software.amazon.awssdk.services.s3.model.S3Exception: Access Denied (Service: S3, Status Code: 403, Request ID: G7WJJ5HW0BBZB1WR, Extended Request ID: ZsA5…=)'),
    ('4.1', 'Java v2', 'access-denied',
     '… is not authorized to perform: sqs:createqueue on resource: … because no identity-based policy allows the sqs:createqueue action (Service: Sqs, Status Code: 403, Request ID: fa4ced72-…, Extended Request ID: null)'),
    ('4.1', 'JS v2', 'access-denied',
     '{"message":"User: arn:aws:sts::123456789012:assumed-role/crossfeed-staging-us-east-1-lambdaRole/crossfeed-staging-scheduler is not authorized to perform: iam:PassRole on resource: …","code":"AccessDeniedException","time":"2020-07-21T07:05:10.343Z","requestId":"…","statusCode":400,"retryable":false,"retryDelay":23.56…}'),
    ('4.1', 'JS v2', 'access-denied',
     "  code: 'AccessDenied',"),
    ('4.1', 'JS v3', 'access-denied',
     '"errorType": "AccessDenied", "errorMessage": "Access Denied", "Code": "AccessDenied", "name": "AccessDenied", "$fault": "client", "$metadata": {"httpStatusCode": 403, …}'),
    ('4.1', 'JS v3', 'access-denied',
     '…"error":{"$fault":"client","$metadata":{"attempts":1,"httpStatusCode":403,…},"Code":"AccessDenied",…},"message":"unhandledRejection: Access to the resource https://sqs.eu-west-1.amazonaws.com/ is denied.\\nAccessDenied: …'),
    ('4.1', 'Go v1', 'access-denied',
     'AccessDenied: Access Denied'),
    ('4.1', 'Go v1', 'continuation',
     '        status code: 403, request id: x:x:x:x, host id: x'),
    ('4.1', 'Go v1', 'access-denied',
     'UnauthorizedOperation: You are not authorized to perform this operation.'),
    ('4.1', 'Go v1', 'continuation',
     '        status code: 403, request id: d001de6e-…'),
    ('4.1', 'Go v2', 'access-denied',
     'panic: operation error ECS: CreateService, https response error StatusCode: 400, RequestID: 4b95afb3-25ab-48dc-a2ba-1a9e4c0ecbda, AccessDeniedException: User: arn:aws:sts::xxxxxxxxx:assumed-role/xxxxxxxxxxx is not authorized to perform: ecs:CreateService on resource: … because no identity-based policy allows the ecs:CreateService action'),
    ('4.1', '.NET', 'access-denied',
     'Amazon.SecretsManager.AmazonSecretsManagerException: User: [obfuscated] is not authorized to perform: secretsmanager:ListSecrets because no permissions boundary allows the secretsmanager:ListSecrets action'),
    ('4.1', '.NET', 'forbidden-head-403',
     'Amazon.S3.AmazonS3Exception: Error making request with Error Code Forbidden and Http Status Code Forbidden. No further error information was returned by the service.'),
    ('4.1', 'PHP', 'context',
     '… AWS HTTP error: Client error: `POST https://dynamodb.eu-central-1.amazonaws.com` resulted in a `400 Bad Request` response:'),
    ('4.1', 'PHP', 'access-denied',
     '{"__type":"com.amazon.coral.service#AccessDeniedException","Message":"User: arn:aws:sts::123456789012:assumed-role/aws-e (truncated...)'),
    ('4.1', 'raw S3 XML', 'access-denied',
     '<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>24D20E9A24DCBE40</RequestId><HostId>…</HostId></Error>'),
    ('4.3', 'AWS CLI', 'no-credentials',
     'Unable to locate credentials. You can configure credentials by running "aws configure".'),
    ('4.3', 'Go v1', 'no-credentials',
     'NoCredentialProviders: no valid providers in chain. Deprecated.'),
    ('4.3', 'Go v1', 'continuation',
     '\tFor verbose messaging see aws.Config.CredentialsChainVerboseErrors'),
    ('4.3', 'Go v2', 'no-credentials',
     'Error: no EC2 IMDS role found, operation error ec2imds: GetMetadata, canceled, context deadline exceeded'),
    ('4.3', 'JS v3', 'no-credentials',
     'CredentialsProviderError: Could not load credentials from any providers'),
    ('4.3', 'JS v2', 'no-credentials',
     'Error [CredentialsError]: Missing credentials in config, if using AWS_CONFIG_FILE, set AWS_SDK_LOAD_CONFIG=1'),
    ('4.3', 'Java v1', 'no-credentials',
     'com.amazonaws.SdkClientException: Unable to load AWS credentials from any provider in the chain'),
    ('4.3', 'Java v2', 'no-credentials',
     'software.amazon.awssdk.core.exception.SdkClientException: Unable to load credentials from any of the providers in the chain AwsCredentialsProviderChain(credentialsProviders=[…, ContainerCredentialsProvider(), InstanceProfileCredentialsProvider()]) : […]'),
    ('4.3', '.NET', 'no-credentials',
     'Unable to get IAM security credentials from EC2 Instance Metadata Service.'),
    ('4.3', 'Rust (rusoto)', 'no-credentials',
     'Credentials(CredentialsError { message: "Couldn\'t find AWS credentials in environment, credentials file, or IAM role." })'),
    ('4.3', 'botocore, endpoint errors', 'no-credentials',
     'botocore.exceptions.CredentialRetrievalError: Error when retrieving credentials from container-role: Error retrieving metadata: Received non 200 response (400) from ECS metadata: '),
    ('4.3', 'botocore, endpoint errors', 'no-credentials',
     '"message": "CredentialsV2Request: Credentials not found"'),
]

STOPPED_REASONS: list[tuple[str, str]] = [
    ('elb-health-check',
     'Task Stopped Reason: Task failed ELB health checks in (target-group...)'),
    ('container-health-check',
     'Task failed container health checks'),
    ('essential-exit (needs exitCode)',
     'Essential container in task exited'),
    ('deployment (not a failure)',
     'Scaling activity initiated by (deployment deployment-id)'),
    ('host stopped (not an app failure)',
     'Host EC2 (instance id) stopped/terminated'),
    ('user/admin (not a failure)',
     'Container instance deregistration forced by user'),
    ('user (not a failure)',
     'Task stopped by user'),
    ('maintenance (not a failure)',
     'ECS is performing maintenance on the underlying infrastructure hosting the task'),
    ('spot (not a failure)',
     'Your Spot Task was interrupted.'),
    ('oom',
     'OutOfMemoryError: Container killed due to memory usage'),
    ('logger (execution role denied logs:CreateLogGroup)',
     'ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log group: AccessDeniedException: User: arn:aws:sts::[redacted]:assumed-role/[redacted]-ecs-task-execution-role/[redacted] is not authorized to perform: logs:CreateLogGroup on resource: arn:aws:logs:eu-central-1:[redacted]:log-group:[redacted]:log-stream: because no identity-based policy allows the logs:CreateLogGroup action : exit status 1'),
    ('logger (log group missing)',
     'ResourceInitializationError: failed to validate logger args: The task cannot find the Amazon CloudWatch log group defined in the task definition. There is a connection issue between the task and Amazon CloudWatch. Check your network configuration. : signal: killed'),
    ('logger (log group missing, Docker wording)',
     'CannotStartContainerError: Error response from daemon: failed to initialize logging driver: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist.'),
    ('secrets (execution role denied ssm:GetParameters)',
     'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): AccessDeniedException: User: arn:aws:sts::<account id>:assumed-role/aits-demo-app-test-demo-app-ExecutionRole-28VBAJL3T0YT/f83b93a4dc3442a18eaaf8c2a235cd37 is not authorized to perform: ssm:GetParameters on resource: … because no identity-based policy allows the ssm:GetParameters action status code: 400, request id: …'),
    ('secrets (network)',
     'ResourceInitializationError: unable to pull secrets or registry auth: … failed to fetch secret arn:aws:secretsmanager:…:secret:DBPasswordSecret-* from secrets manager: RequestCanceled: request context canceled caused by: context deadline exceeded. Please check your task network configuration.'),
    ('env files (AccessDenied)',
     'ResourceInitializationError: failed to download env files: file download command: non-empty error stream: failed to download file 1.env: failed to write to a temporary file: AccessDenied: Access Denied'),
    ('image pull (network)',
     'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref quay.io/deepfenceio/cloud-scanner:latest: failed to do request: Head "https://quay.io/v2/deepfenceio/cloud-scanner/manifests/latest": dial tcp 3.210.148.47:443: i/o timeout'),
    ('image pull (not found)',
     'CannotPullContainerError: API error (404): repository 111122223333.dkr.ecr.us-east-1.amazonaws.com/<repo>/<image> not found'),
    ('oom at container init',
     'CannotStartContainerError: Error response from daemon: OCI runtime create failed: container_linux.go:380: starting container process caused: container init was OOM-killed (memory limit too low?): unknown'),
    ('network (ENI)',
     'Timeout waiting for network interface provisioning to complete'),
]

STOPPED_REASONS[1:1] = [
    ("elb-health-check", "Task failed ELB health checks in (elb elb-name)"),
    ("elb-health-check",
     "Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID)"),
]

# aws-samples/amazon-ecs-stopped-tasks-cwlogs:cw-event.json (the file itself, byte for byte)
CW_EVENT_JSON = """{
    "version": "0",
    "id": "d005c784-98bd-b9c9-043f-c924cd120f54",
    "detail-type": "ECS Task State Change",
    "source": "aws.ecs",
    "account": "0123456789",
    "time": "2020-06-05T12:17:11Z",
    "region": "eu-west-1",
    "resources": [
        "arn:aws:ecs:eu-west-1:0123456789:task/Features/33a7f27282624543abd4a00c3e84d0ee"
    ],
    "detail": {
        "attachments": [
            {
                "id": "f552fb81-5170-4191-ae84-c1921505ef1c",
                "type": "sdi",
                "status": "DELETED",
                "details": []
            }
        ],
        "availabilityZone": "eu-west-1a",
        "capacityProviderName": "FeaturesASG",
        "clusterArn": "arn:aws:ecs:eu-west-1:0123456789:cluster/Features",
        "containerInstanceArn": "arn:aws:ecs:eu-west-1:0123456789:container-instance/Features/0c304770a74540689f5bf39622b3d781",
        "containers": [
            {
                "containerArn": "arn:aws:ecs:eu-west-1:0123456789:container/0a97d723-d9c4-45d7-8109-471e94afa4af",
                "exitCode": 0,
                "lastStatus": "STOPPED",
                "name": "Webapp",
                "image": "0123456789.dkr.ecr.eu-west-1.amazonaws.com/webapp:d1a3f22",
                "imageDigest": "sha256:48b2652a7a9a104300046dc3be4aba5e3e19a2ead82a593f63846739a7429230",
                "runtimeId": "8a78a445b4e66ee0f2c7624d9b52af4e3685039444a44999d884e1af2283e804",
                "networkBindings": [
                    {
                        "bindIP": "0.0.0.0",
                        "containerPort": 80,
                        "hostPort": 32771,
                        "protocol": "tcp"
                    }
                ],
                "taskArn": "arn:aws:ecs:eu-west-1:0123456789:task/Features/33a7f27282624543abd4a00c3e84d0ee",
                "networkInterfaces": [],
                "cpu": "0",
                "memoryReservation": "128"
            }
        ],
        "createdAt": "2020-06-02T09:15:42.131Z",
        "launchType": "EC2",
        "cpu": "0",
        "memory": "128",
        "desiredStatus": "STOPPED",
        "group": "service:Webapp",
        "lastStatus": "STOPPED",
        "overrides": {
            "containerOverrides": [
                {
                    "name": "Webapp"
                }
            ]
        },
        "connectivity": "CONNECTED",
        "connectivityAt": "2020-06-02T09:15:42.131Z",
        "pullStartedAt": "2020-06-02T09:15:42.626Z",
        "startedAt": "2020-06-02T09:16:17.544Z",
        "startedBy": "ecs-svc/5888882704497679006",
        "stoppingAt": "2020-06-05T12:16:57.199Z",
        "stoppedAt": "2020-06-05T12:17:11.696Z",
        "pullStoppedAt": "2020-06-02T09:15:43.626Z",
        "executionStoppedAt": "2020-06-05T12:17:10Z",
        "stoppedReason": "Task stopped by user",
        "stopCode": "UserInitiated",
        "updatedAt": "2020-06-05T12:17:11.696Z",
        "taskArn": "arn:aws:ecs:eu-west-1:0123456789:task/Features/33a7f27282624543abd4a00c3e84d0ee",
        "taskDefinitionArn": "arn:aws:ecs:eu-west-1:0123456789:task-definition/webapp:15",
        "version": 7
    }
}
"""

# §2.3 verbatim
SERVICE_ACTION_JSON = """{
    "version": "0",
    "id": "57c9506e-9d21-294c-d2fe-e8738da7e67d",
    "detail-type": "ECS Service Action",
    "source": "aws.ecs",
    "account": "111122223333",
    "time": "2019-11-19T19:55:38Z",
    "region": "us-west-2",
    "resources": [
        "arn:aws:ecs:us-west-2:111122223333:service/default/servicetest"
    ],
    "detail": {
        "eventType": "WARN",
        "eventName": "SERVICE_TASK_START_IMPAIRED",
        "clusterArn": "arn:aws:ecs:us-west-2:111122223333:cluster/default",
        "createdAt": "2019-11-19T19:55:38.725Z"
    }
}
"""

# §2.4: the documented detail verbatim (including the trailing space after "ERROR",), inside an
# envelope of the §2 common shape (envelope values are ours).
DEPLOYMENT_JSON = """{
   "version": "0",
   "id": "ddca6449-b258-46c0-8653-e0e3aEXAMPLE",
   "detail-type": "ECS Deployment State Change",
   "source": "aws.ecs",
   "account": "111122223333",
   "time": "2020-05-23T11:11:11Z",
   "region": "us-west-2",
   "resources": [
        "arn:aws:ecs:us-west-2:111122223333:service/default/servicetest"
   ],
   "detail": {
        "eventType": "ERROR", 
        "eventName": "SERVICE_DEPLOYMENT_FAILED",
        "deploymentId": "ecs-svc/123",
        "updatedAt": "2020-05-23T11:11:11Z",
        "reason": "ECS deployment circuit breaker: task failed to start."
   }
}
"""

# aws/aws-cli:awscli/examples/logs/filter-log-events.rst output, verbatim (de-indented)
FILTER_LOG_EVENTS_JSON = """{
    "events": [
        {
            "logStreamName": "teststream",
            "timestamp": 1712567843827,
            "message": "Test MESSAGE1",
            "ingestionTime": 1712567844822,
            "eventId": "00091539120382912324200901570000096855579456010247667712"
        },
        {
            "logStreamName": "2024/05/09/[$LATEST]abc1024",
            "timestamp": 1712568068991,
            "message": "Test MESSAGE2",
            "ingestionTime": 1712568070017,
            "eventId": "00001544141707904000000130886135001961903807164184002560"
        }
    ]
}
"""

# aws/aws-cli:awscli/examples/logs/get-log-events.rst output, verbatim (de-indented)
GET_LOG_EVENTS_JSON = """{
    "nextForwardToken": "f/31961209122447488583055879464742346735121166569214640130",
    "events": [
        {
            "ingestionTime": 1433190494190,
            "timestamp": 1433190184356,
            "message": "Example Event 1"
        },
        {
            "ingestionTime": 1433190516679,
            "timestamp": 1433190184356,
            "message": "Example Event 1"
        },
        {
            "ingestionTime": 1433190494190,
            "timestamp": 1433190184358,
            "message": "Example Event 2"
        }
    ],
    "nextBackwardToken": "b/31961209122358285602261756944988674324553373268216709120"
}
"""

# vectordotdev/vector: src/transforms/aws_cloudwatch_logs_subscription_parser.rs test input, verbatim
CONTROL_MESSAGE_JSON = """{
  "messageType": "CONTROL_MESSAGE",
  "owner": "CloudwatchLogs",
  "logGroup": "",
  "logStream": "",
  "subscriptionFilters": [],
  "logEvents": [
    {
      "id": "",
      "timestamp": 1600110003794,
      "message": "CWL CONTROL MESSAGE: Checking health of destination Firehose."
    }
  ]
}
"""

# §3.5: awsdocs SubscriptionFilters.md Kinesis example (events 2-3 as in the doc's Lambda example)
DATA_MESSAGE = {
    "owner": "111111111111",
    "logGroup": "CloudTrail/logs",
    "logStream": "111111111111_CloudTrail/logs_us-east-1",
    "subscriptionFilters": ["Destination"],
    "messageType": "DATA_MESSAGE",
    "logEvents": [
        {"id": "31953106606966983378809025079804211143289615424298221568", "timestamp": 1432826855000,
         "message": "{\"eventVersion\":\"1.03\",\"userIdentity\":{\"type\":\"Root\"}"},
        {"id": "31953106606966983378809025079804211143289615424298221569", "timestamp": 1432826855000,
         "message": "{\"eventVersion\":\"1.03\",\"userIdentity\":{\"type\":\"Root\"}"},
        {"id": "31953106606966983378809025079804211143289615424298221570", "timestamp": 1432826855000,
         "message": "{\"eventVersion\":\"1.03\",\"userIdentity\":{\"type\":\"Root\"}"},
    ],
}

# §5.1 Task example verbatim (tab-indented), the two "…" completed with the documented fields
CI_TASK_JSON = """{
\t"Version": "0",
\t"Type": "Task",
\t"TaskId": "7ac4dfba69214411b4783a3b8189c9ba",
\t"TaskDefinitionFamily": "sleep360",
\t"TaskDefinitionRevision": "1",
\t"ContainerInstanceId": "0d7650e6dec34c1a9200f72098071e8f",
\t"EC2InstanceId": "i-0c470579dbcdbd2f3",
\t"ClusterName": "MyCluster",
\t"AccountID": "123456789012",
\t"Region": "us-west-2",
\t"AvailabilityZone": "us-west-2b",
\t"KnownStatus": "RUNNING",
\t"LaunchType": "EC2",
\t"PullStartedAt": 1623963608201,
\t"PullStoppedAt": 1623963610065,
\t"CreatedAt": 1623963607094,
\t"StartedAt": 1623963610382,
\t"Timestamp": 1623963900000,
\t"CpuUtilized": 0.0,
\t"CpuReserved": 10.0,
\t"MemoryUtilized": 0,
\t"MemoryReserved": 10,
\t"StorageReadBytes": 0,
\t"StorageWriteBytes": 0,
\t"NetworkRxBytes": 0,
\t"NetworkRxDropped": 0,
\t"NetworkRxErrors": 0,
\t"NetworkRxPackets": 0,
\t"NetworkTxBytes": 0,
\t"NetworkTxDropped": 0,
\t"NetworkTxErrors": 0,
\t"NetworkTxPackets": 0,
\t"CloudWatchMetrics": [{ "Namespace": "ECS/ContainerInsights", "Metrics": [{"Name": "CpuUtilized","Unit": "None"}, {"Name": "CpuReserved","Unit": "None"}, {"Name": "MemoryUtilized","Unit": "Megabytes"}, {"Name": "MemoryReserved","Unit": "Megabytes"}],
\t                        "Dimensions": [["ClusterName"],["ClusterName","TaskDefinitionFamily"]] }]
}
"""

# §5.1 Service example verbatim (note the trailing spaces after the first brace), CloudWatchMetrics completed
CI_SERVICE_JSON = """{   
    "Version": "0",
    "Type": "Service",
    "ServiceName": "myCIService",
    "ClusterName": "myCICluster",
    "Timestamp": 1561586460000,
    "DesiredTaskCount": 2,
    "RunningTaskCount": 2,
    "PendingTaskCount": 0,
    "DeploymentCount": 1,
    "TaskSetCount": 0,
    "CloudWatchMetrics": [ { "Namespace": "ECS/ContainerInsights", "Metrics": [ { "Name": "DesiredTaskCount", "Unit": "Count" }, { "Name": "RunningTaskCount", "Unit": "Count" }, { "Name": "PendingTaskCount", "Unit": "Count" }, { "Name": "DeploymentCount", "Unit": "Count" }, { "Name": "TaskSetCount", "Unit": "Count" } ], "Dimensions": [ [ "ServiceName", "ClusterName" ] ] } ]
}
"""

# §5.3 verbatim: documented entry and the failure example
ALB_LINES = [
    'http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2018-07-02T22:22:48.364000Z "forward" "-" "-" "10.0.0.1:80" "200" "-" "-"',
    'http 2022-04-15T16:52:50.757968Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.001 4.205 -1 502 - 94 326 "GET http://example.com:80 HTTP/1.1" "curl/7.51.0" - - arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354"',
]

# §5.4 verbatim (the doc pretty-prints it; "in practice the whole format is on a single line")
METRIC_STREAM = {"metric_stream_name": "MyMetricStream", "account_id": "1234567890", "region": "us-east-1",
                 "namespace": "AWS/EC2", "metric_name": "DiskWriteOps", "dimensions": {"InstanceId": "i-123456789012"},
                 "timestamp": 1611929698000, "value": {"count": 3.0, "sum": 20.0, "max": 18.0, "min": 0.0, "p99": 17.56,
                                                        "p99.9": 17.8764, "TM(25%:75%)": 16.43}, "unit": "Seconds"}


def write_fixtures() -> dict[str, bytes]:
    f: dict[str, bytes] = {}
    # ---- ECS service events (§1.1, §1.3)
    v2_events = [
        {"id": "07707180-2c6a-423c-b1d4-98f001bf2eba", "createdAt": "2023-08-23T18:27:56.436000-07:00",
         "message": "(service civictechjobs-fullstack-stage) deregistered 1 targets in (target-group arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/civictechjobs-fullstack-stage/555a47e25c5a1850)"},
        {"id": "3f0c9a52-8d61-4b7e-9a4f-5e2b7c1d0a93", "createdAt": "2023-08-23T18:27:45.102000-07:00",
         "message": "(service civictechjobs-fullstack-stage) has stopped 1 running tasks: (task 26feeb2c30cf4d7cb3ae44fd0e17719b)."},
        {"id": "b8e1d7c4-2a95-4f03-8c6e-9d4a1f7b2e60", "createdAt": "2023-08-23T18:27:34.870000-07:00",
         "message": "(service civictechjobs-fullstack-stage) (port 8000) is unhealthy in (target-group arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/civictechjobs-fullstack-stage/555a47e25c5a1850) due to (reason Health checks failed)."},
    ]
    f["describe-services-cli-v2.json"] = txt(j_pretty({"services": [{
        "serviceArn": "arn:aws:ecs:us-west-2:123456789012:service/civictechjobs-cluster/civictechjobs-fullstack-stage",
        "serviceName": "civictechjobs-fullstack-stage", "events": v2_events}], "failures": []}))
    v1_events = [
        {"message": "(service prometheus) has reached a steady state.", "id": "6a3e5b7c-1d2f-4e8a-9b0c-3d4e5f6a7b8c", "createdAt": 1556717034.08},
        {"message": "(service prometheus) operations are being throttled on service discovery. Will try again later.", "id": "9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "createdAt": 1556710261.412},
        {"message": "(service prometheus) has reached a steady state.", "id": "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e", "createdAt": 1556695428.031},
        {"message": "(service prometheus) has reached a steady state.", "id": "7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b", "createdAt": 1556673818.455},
    ]
    f["describe-services-cli-v1.json"] = txt(j_pretty({"services": [{"serviceName": "prometheus", "events": v1_events}],
                                                       "failures": []}))
    f["describe-services-raw-exponent.json"] = txt(
        '{"services":[{"serviceName":"**REDACTED**","events":[{"createdAt":1.619952106055E9,'
        '"id":"d82f6a1e-3b5c-4d7e-8f9a-0b1c2d3e4f5a","message":"(service **REDACTED**) has reached a steady state."},'
        '{"createdAt":1.619930493055E9,"id":"5e4d3c2b-1a0f-4e9d-8c7b-6a5f4e3d2c1b",'
        '"message":"(service **REDACTED**) (deployment ecs-svc/3417254024836031316) deployment completed."}]}],'
        '"failures":[]}\n')
    f["describe-services-output-text.txt"] = txt(
        "2017-03-31T14:17:26.154000-04:00\te4b61534-6f1d-4c3a-9e2b-7d8c5a4f3e21\t(service staging-sd-neodarwin) has reached a steady state.\n"
        "2017-03-31T14:16:47.311000-04:00\t0c7f2e5a-9b1d-4e6c-8a3f-2d5b7e9c1a40\t(service staging-sd-neodarwin) has begun draining connections on 1 tasks.\n")
    f["service-events-console.txt"] = txt("".join(x + "\n" for x in [
        "service prod-demo-bot-service port 3141 is unhealthy in target-group bot-target-group-prod due to (reason Health checks failed).",
        "service test-daemon-customer-w has started 1 tasks: task xxx.",
        "service ldashtest (port 80) is unhealthy in target-group fargate-ldashtest due to (reason Health checks failed with these codes: [404]).",
        "service example-service (instance i-016b0a460d9974567) (port 1047) is unhealthy in target-group example-service due to (reason Request timed out)",
        "service carealign-admin is unable to consistently start tasks successfully. For more information, see the Troubleshooting section.",
        "service zoo-quiz stopped 1 running tasks.",
        "2017/12/26 23:46:45 (service myapp) has begun draining connections on 1 tasks.",
        'INFO[0037] (service tutorial) has started 1 tasks: (task a1068efe89614812a3243521c0d30847).  timestamp="2021-03-08 07:30:43 +0000 UTC"',
    ]))
    f["service-events-api.txt"] = txt("".join(x + "\n" for x in [
        "(service prometheus) has reached a steady state.",
        "(service clouddriver-dev-v0013) has started 1 tasks: (task 924ca50e-f291-4d5e-af11-1523f887b976).",
        "(service civictechjobs-fullstack-stage) has stopped 1 running tasks: (task 26feeb2c30cf4d7cb3ae44fd0e17719b).",
        "(service staging-sd-neodarwin) has begun draining connections on 1 tasks.",
        "(service clouddriver-dev-v0013) registered 1 targets in (target-group arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/clouddriver-dev/83a346e96e7ef4d1)",
        "(service civictechjobs-fullstack-stage) (port 8000) is unhealthy in (target-group arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/civictechjobs-fullstack-stage/555a47e25c5a1850) due to (reason Health checks failed).",
        "(service AWS-Service) (task ff3e71a4-d7e5-428b-9232-2345657889) failed container health checks",
        "(service clouddriver-dev-v0013) was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.",
        "(service service-name) is unable to consistently start tasks successfully.",
        "service MythicalMysfits-Service failed to launch a task with (error ECS was unable to assume the role 'arn:aws:iam::123456789012:role/MythicalMysfitsCoreStack-ECSTaskRole-FXO3A6J08BN' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.).",
        "(service prometheus) operations are being throttled on service discovery. Will try again later.",
        "(service expd03-originacion) (deployment ecs-svc/3559820735141730004) deployment completed.",
    ]))
    # ---- EventBridge (§2)
    f["eventbridge-task-stopped-pretty.json"] = txt(CW_EVENT_JSON)
    f["eventbridge-service-action.json"] = txt(SERVICE_ACTION_JSON)
    f["eventbridge-deployment.json"] = txt(DEPLOYMENT_JSON)
    # ---- CloudWatch Logs (§3)
    f["filter-log-events.json"] = txt(FILTER_LOG_EVENTS_JSON)
    f["get-log-events.json"] = txt(GET_LOG_EVENTS_JSON)
    f["tail-detailed.txt"] = txt("2018-01-01T00:29:43.079060+00:00 stream_name my message\n"
                                 "2018-01-01T00:29:43.000000+00:00 stream_name my message\n"
                                 "2018-01-01T00:29:43.079060+00:00 stream_name my message\u00e9\n")
    f["tail-short.txt"] = txt("2018-01-01T00:29:43 my message\n2018-01-01T00:29:43 my message\u00e9\n")
    f["tail-color.txt"] = txt("\x1b[32m2018-01-01T00:29:43.079060+00:00\x1b[0m \x1b[36mstream_name\x1b[0m my message\n"
                              "\x1b[32m2018-01-01T00:29:43.000000+00:00\x1b[0m \x1b[36mstream_name\x1b[0m my message\n"
                              "\x1b[32m2018-01-01T00:29:43\x1b[0m my message\n")
    f["tail-json.txt"] = txt("2018-01-01T00:29:43.079060+00:00 stream_name my message\n"
                             "2018-01-01T00:29:43.079060+00:00 stream_name \n{\n    \"foo\": {\n        \"bar\": \"baz\"\n    }\n}\n")
    fle = json.loads(FILTER_LOG_EVENTS_JSON)["events"]
    export = "".join(f"{iso_ms(e['timestamp'])} {e['message']}\n" for e in fle)
    f["s3-export-000000.gz"] = gz(txt(export))
    f["subscription-data-message.json"] = txt(j_pretty(DATA_MESSAGE))
    f["subscription-control-message.json"] = txt(CONTROL_MESSAGE_JSON)
    kinesis_control = json.loads(CONTROL_MESSAGE_JSON)
    kinesis_control["logEvents"][0]["message"] = "CWL CONTROL MESSAGE: Checking health of destination Kinesis stream."
    f["kinesis-base64-gzip.txt"] = txt("".join(base64.b64encode(gz(txt(j_compact(m)))).decode() + "\n"
                                               for m in (DATA_MESSAGE, kinesis_control)))
    f["firehose-object"] = gz(txt(j_compact(json.loads(CONTROL_MESSAGE_JSON)))) + gz(txt(j_compact(DATA_MESSAGE))) \
        + gz(txt(j_compact(DATA_MESSAGE)))
    # ---- metrics (§5)
    f["container-insights-task.json"] = txt(CI_TASK_JSON)
    f["container-insights-service.json"] = txt(CI_SERVICE_JSON)
    f["alb-access.log"] = txt("".join(l + "\n" for l in ALB_LINES))
    f["alb-access.log.gz"] = gz(f["alb-access.log"])
    ms2 = dict(METRIC_STREAM, metric_stream_name="prod-ecs-metrics", account_id="123456789012", region="eu-west-1",
               namespace="AWS/ECS", metric_name="CPUUtilization", dimensions={"ClusterName": "prod", "ServiceName": "orders-api"},
               timestamp=1795172400000, value={"max": 99.41, "min": 95.87, "sum": 195.28, "count": 2.0}, unit="Percent")
    ms3 = dict(METRIC_STREAM, metric_stream_name="prod-ecs-metrics", account_id="123456789012", region="eu-west-1",
               namespace="AWS/ApplicationELB", metric_name="TargetResponseTime",
               dimensions={"LoadBalancer": "app/orders-alb/50dc6c495c0c9188", "TargetGroup": "targetgroup/orders-api/73e2d6bc24d8a067"},
               timestamp=1795172400000, value={"max": 30.98, "min": 28.02, "sum": 1177.4, "count": 40.0, "p90": 30.61}, unit="Seconds")
    f["metric-stream.jsonl"] = txt("".join(j_compact(m) + "\n" for m in (METRIC_STREAM, ms2, ms3)))
    # ---- strings
    f["sdk-errors.txt"] = txt("".join(line + "\n" for _, _, _, line in SDK_ERRORS))
    f["stopped-reasons.txt"] = txt("".join(r + "\n" for _, r in STOPPED_REASONS))
    # ---- malformed input
    grng = random.Random("ecsdiagd-fixture-truncated")
    lines = "".join(f"{iso_ms(1712567843827 + k * 1_337)} request {k} served in {grng.randrange(2, 900)} ms "
                    f"trace={grng.getrandbits(64):016x}\n" for k in range(200))
    whole = gz(txt(lines))
    f["truncated.gz"] = whole[: len(whole) // 2]
    good = j_compact({"timestamp": 1795165200000, "message": "ok before", "logStreamName": "ecs/orders-api/0123456789abcdef0123456789abcdef"})
    f["invalid-utf8.jsonl"] = (txt(good + "\n") + b'{"timestamp":1795165201000,"message":"caf\xe9 \xff\xfe bad bytes",'
                               b'"logStreamName":"ecs/orders-api/0123456789abcdef0123456789abcdef"}\n'
                               + txt(good.replace("ok before", "ok after").replace("1795165200000", "1795165202000") + "\n"))
    f["broken-json.jsonl"] = txt("\n".join([
        good,
        good[:41],                                                  # truncated object
        good + ' trailing garbage',                                 # valid object followed by junk
        '{"timestamp": 1795165203000, "message": "unterminated string}',
        "[1, 2, 3]",                                                # valid JSON, wrong shape
        "",                                                         # empty line
        '{"timestamp":"not a number","message":"bad field type","logStreamName":"ecs/orders-api/0123456789abcdef0123456789abcdef"}',
        good.replace("ok before", "ok after").replace("1795165200000", "1795165204000"),
    ]) + "\n")
    rng = random.Random("ecsdiagd-fixture-garbage")
    f["binary-garbage.bin"] = bytes(rng.getrandbits(8) for _ in range(4096))
    f["empty.txt"] = b""
    f["README.md"] = txt(fixtures_readme(f))
    return f


def ms_of(iso: str) -> int:
    return int(round(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000))


def fixtures_readme(f: dict[str, bytes]) -> str:
    rows = [
        ("describe-services-cli-v2.json", "§1.1 CLI v2; first event verbatim from hackforla/CivicTechJobs#436, the other two messages from the same issue (ids/times ours)",
         f"3 service events, newest first. Event 1: createdAt `2023-08-23T18:27:56.436000-07:00` = {ms_of('2023-08-23T18:27:56.436000-07:00')} ms UTC, service `civictechjobs-fullstack-stage`, cluster `civictechjobs-cluster` (from serviceArn), deregistered message (no trailing period). Event 3: unhealthy, port 8000, target group ARN, reason `Health checks failed`."),
        ("describe-services-cli-v1.json", "§1.1 CLI v1; createdAt values and messages from aws/amazon-ecs-agent#2031 (ids ours)",
         "4 events of service `prometheus`; createdAt epoch seconds as float: 1556717034.08 → 1556717034080 ms, 1556695428.031 → 1556695428031, 1556673818.455 → 1556673818455 (steady state every ~6 h; a re-emitted steady state is not a change). Event 2 is the service-discovery throttling message."),
        ("describe-services-raw-exponent.json", "§1.1 raw/Java SDK dump from boto/boto3#2845 (the id after `d82f` and the second event are ours)",
         "one line; createdAt `1.619952106055E9` → 1619952106055 ms and `1.619930493055E9` → 1619930493055 ms (exponent notation must parse exactly, no float rounding); service `**REDACTED**`; second event is `deployment completed` for `ecs-svc/3417254024836031316`."),
        ("describe-services-output-text.txt", "§1.1 `--output text` line from sil-org/ecs-deploy#95 (id tails and second line ours)",
         f"tab separated createdAt, id, message; `2017-03-31T14:17:26.154000-04:00` = {ms_of('2017-03-31T14:17:26.154000-04:00')} ms; service `staging-sd-neodarwin`."),
        ("service-events-console.txt", "§1.2/§1.3 verbatim console and tool renderings (accessbot#300, containers-roadmap#582, nodejs-aws-workshop#5, amazon-ecs-agent#1872, #1455, #271, ecspresso#5, ecs-cli)",
         "one message per line, no shared time format: lines 1–6 have no timestamp; line 7 has a Go log prefix (2017/12/26 23:46:45, zone unknown); line 8 an ecs-cli prefix with `timestamp=\"2021-03-08 07:30:43 +0000 UTC\"` at the end. Extract service names (`prod-demo-bot-service`, `test-daemon-customer-w`, `ldashtest`, `example-service`, `carealign-admin`, `zoo-quiz`, `myapp`, `tutorial`) and the event kind (unhealthy ×3, started ×2, unable-to-start, stopped, draining)."),
        ("service-events-api.txt", "§1.2 verbatim API-form messages (sources in aws-formats.md)",
         "one message per line, no timestamps: kind (steady, started, stopped, draining, registered, unhealthy, container-health, placement, unable-to-start, launch-failure, throttled, deployment-completed), service name, task ids where present (UUID and 32-hex forms)."),
        ("eventbridge-task-stopped-pretty.json", "§2.1 aws-samples/amazon-ecs-stopped-tasks-cwlogs:cw-event.json, byte for byte",
         f"`time` 2020-06-05T12:17:11Z = {ms_of('2020-06-05T12:17:11Z')} ms (stoppedAt {ms_of('2020-06-05T12:17:11.696Z')}); task `33a7f27282624543abd4a00c3e84d0ee`, cluster `Features`, service `Webapp` (from `group: service:Webapp`), lastStatus STOPPED, stoppedReason `Task stopped by user`, stopCode `UserInitiated`, containers[0].exitCode 0, account `0123456789` (10 digits, as in the source). Not a failure."),
        ("eventbridge-service-action.json", "§2.3 verbatim (awsdocs ecs_cwe_events.md)",
         f"`SERVICE_TASK_START_IMPAIRED` (WARN), service `servicetest` and cluster `default` from `resources[0]` (no message, no detail.version), createdAt {ms_of('2019-11-19T19:55:38.725Z')} ms."),
        ("eventbridge-deployment.json", "§2.4 detail verbatim (including the space after `\"ERROR\",`); envelope ours",
         f"`SERVICE_DEPLOYMENT_FAILED`, deploymentId `ecs-svc/123`, service `servicetest`, updatedAt {ms_of('2020-05-23T11:11:11Z')} ms, reason `ECS deployment circuit breaker: task failed to start.`"),
        ("filter-log-events.json", "§3.2 aws/aws-cli:awscli/examples/logs/filter-log-events.rst output, verbatim",
         "2 events: 1712567843827 ms, stream `teststream`, `Test MESSAGE1`; 1712568068991 ms, stream `2024/05/09/[$LATEST]abc1024` (Lambda-style name), `Test MESSAGE2`. No group in the document (it was the CLI argument `demo-log-group`); no searchedLogStreams."),
        ("get-log-events.json", "§3.1 aws/aws-cli:awscli/examples/logs/get-log-events.rst output, verbatim",
         "3 events without stream/group/eventId (both come from the command line: group `my-logs`, stream `20150601`): 1433190184356 `Example Event 1` twice (different ingestionTime — keep both), 1433190184358 `Example Event 2`. Tokens before and after the array."),
        ("tail-detailed.txt", "§3.3 aws/aws-cli tests/unit/customizations/logs/test_tail.py expected outputs",
         "3 events, stream `stream_name`, message `my message` (third ends in `é`, UTF-8): 1514766583079, 1514766583000, 1514766583079 ms."),
        ("tail-short.txt", "§3.3 same tests", "2 events at 1514766583000 ms (second precision only), no stream: `my message`, `my messageé`."),
        ("tail-color.txt", "§3.3 same tests (colour on)", "strip `\\x1b[32m` / `\\x1b[36m` / `\\x1b[0m`: two detailed events (stream `stream_name`) and one short event."),
        ("tail-json.txt", "§3.3 same tests (`--format json`)",
         "2 events: line 1 plain; lines 2–7 one event whose message is the JSON `{\"foo\": {\"bar\": \"baz\"}}` printed after `stream_name ` (trailing space) on the following lines."),
        ("s3-export-000000.gz", "§3.4 line layout (`<ISO UTC ms> <message>`), events of filter-log-events.json",
         "gzip; 2 lines: 1712567843827 `Test MESSAGE1`, 1712568068991 `Test MESSAGE2`; the stream would come from the object path (not in the file)."),
        ("subscription-data-message.json", "§3.5 awsdocs SubscriptionFilters.md example (events 2–3 as in the doc's Lambda example)",
         "DATA_MESSAGE, owner `111111111111`, group `CloudTrail/logs`, stream `111111111111_CloudTrail/logs_us-east-1`, 3 events at 1432826855000 ms with ids …568/…569/…570, message is JSON text."),
        ("subscription-control-message.json", "§3.5 vectordotdev/vector subscription parser test, verbatim",
         "CONTROL_MESSAGE: no log records; count it as a control/health probe (timestamp 1600110003794)."),
        ("kinesis-base64-gzip.txt", "§3.5: base64(gzip(JSON)) per Kinesis record (the two messages above; Kinesis wording in the control message)",
         "line 1 → the 3 DATA_MESSAGE events; line 2 → a CONTROL_MESSAGE (no records)."),
        ("firehose-object", "§3.5 Firehose S3 object: no extension, gzip, records concatenated without newlines",
         "3 gzip members (decompress all of them): CONTROL_MESSAGE, then the same DATA_MESSAGE twice (a Firehose retry duplicate) — 6 records, 3 after de-duplicating by event id."),
        ("container-insights-task.json", "§5.1 Task example verbatim (tab indented); the `…` completed with the documented Network* fields and metrics",
         "Type Task, TaskId `7ac4dfba69214411b4783a3b8189c9ba`, cluster `MyCluster`, Timestamp 1623963900000, CpuUtilized 0.0 of CpuReserved 10.0 units, MemoryUtilized 0 of 10 MB; no ServiceName (standalone EC2 task, family `sleep360`)."),
        ("container-insights-service.json", "§5.1 Service example verbatim (note the spaces after `{`); CloudWatchMetrics completed",
         "Type Service, service `myCIService`, cluster `myCICluster`, Timestamp 1561586460000, DesiredTaskCount 2, RunningTaskCount 2; no CPU/memory fields."),
        ("alb-access.log", "§5.3 documented entry and the failure example, verbatim",
         f"line 1: time 2018-07-02T22:23:00.186641Z = {ms_of('2018-07-02T22:23:00.186Z')} ms (µs truncated), elb 200 / target 200, target_processing_time 0.001, target group `my-targets`; line 2 (fewer trailing fields): {ms_of('2022-04-15T16:52:50.757Z')} ms, elb 502, target_status_code `-`, response_processing_time `-1`, target_processing_time 4.205."),
        ("alb-access.log.gz", "same, gzip", "same 2 records."),
        ("metric-stream.jsonl", "§5.4 example verbatim on line 1; lines 2–3 ours in the same shape",
         "line 1 AWS/EC2 DiskWriteOps 1611929698000; line 2 AWS/ECS CPUUtilization (ClusterName prod, ServiceName orders-api) max 99.41 %; line 3 AWS/ApplicationELB TargetResponseTime p90 30.61 s."),
        ("sdk-errors.txt", "§4.1 and §4.3 strings verbatim, one physical line each (see table below)", "classification per line, below."),
        ("stopped-reasons.txt", "§2.2 catalogue verbatim (+ the doc and full-ARN forms of the ELB reason)", "classification per line, below."),
        ("truncated.gz", "ours: a gzip of 200 export-shaped lines (`<ISO ms> <message>`) cut after half of its bytes", "report a truncated gzip stream; lines fully decompressed before the cut may be emitted, no crash, no hang."),
        ("invalid-utf8.jsonl", "ours", "3 lines: line 1 and 3 decode (`ok before` 1795165200000, `ok after` 1795165202000); line 2 contains bytes 0xE9 0xFF 0xFE: report it (or decode with U+FFFD) without losing lines 1 and 3."),
        ("broken-json.jsonl", "ours", "8 lines: line 1 and 8 decode; lines 2 (truncated), 3 (trailing garbage), 4 (unterminated string), 5 (JSON array), 7 (timestamp is a string) are bad records; line 6 is empty (skip silently)."),
        ("binary-garbage.bin", "ours: 4096 bytes from random.Random(\"ecsdiagd-fixture-garbage\")", "0 records; reported as undecodable input, no crash."),
        ("empty.txt", "ours", "0 records, no error."),
    ]
    out = ["# LogDecodingTests fixtures", "",
           "Generated by `write_fixtures()` in `scripts/samplelogs.py` (`python3 scripts/samplelogs.py`); do not edit by "
           "hand. Every non-malformed fixture copies a real sample quoted in `shared/reference/aws-formats.md` "
           "(section noted); where that sample was cut with `…` or was only a fragment, what we added is stated. "
           "Times are given as UTC epoch milliseconds, the unit a decoder must produce.", "",
           "| fixture | source | a decoder must extract | size |", "| --- | --- | --- | --- |"]
    for name, src, what in rows:
        out.append(f"| `{name}` | {src} | {what} | {human(len(f[name]))} |")
    out += ["", "## sdk-errors.txt, line by line", "",
            "Classes: `access-denied` (an IAM/service denial: count it), `forbidden-head-403` (S3 HEAD 403 without "
            "body: a denial without the word AccessDenied), `no-credentials` (credential chain empty: no-task-role "
            "evidence), `continuation` (second line of a multi-line error; no signal alone), `context` (the line "
            "before the denial).", "", "| line | § | SDK | class | principal (role / session) |", "| --- | --- | --- | --- | --- |"]
    import re
    for k, (sec, sdk, cls, line) in enumerate(SDK_ERRORS, start=1):
        m = re.search(r"assumed-role/([^/\s]+)(?:/([^\s\"]+))?", line)
        princ = f"`{m.group(1)}` / `{m.group(2)}`" if m and m.group(2) else (f"`{m.group(1)}`" if m else "–")
        out.append(f"| {k} | {sec} | {sdk} | {cls} | {princ} |")
    out += ["", "Note: line 8 (Java v2 S3 `Access Denied (Service: S3, Status Code: 403, …)`) contains neither "
            "`AccessDenied` nor `not authorized`; a literal prefilter needs `Access Denied` to see it.", "",
            "## stopped-reasons.txt, line by line", "", "| line | class |", "| --- | --- |"]
    for k, (cls, _) in enumerate(STOPPED_REASONS, start=1):
        out.append(f"| {k} | {cls} |")
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------------------
# main
# ----------------------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="print the oracle results per scenario")
    args = ap.parse_args()
    write_samplelogs(verbose=args.check)
    fixtures = write_fixtures()
    shutil.rmtree(FIXTURE_DIR, ignore_errors=True)
    write_tree(FIXTURE_DIR, fixtures)
    total = sum(p.stat().st_size for p in SAMPLE_DIR.rglob("*") if p.is_file())
    print(f"SampleLogs: {total / 1024:.1f} KiB in {sum(1 for p in SAMPLE_DIR.rglob('*') if p.is_file())} files; "
          f"fixtures: {len(fixtures)} files")


if __name__ == "__main__":
    main()
