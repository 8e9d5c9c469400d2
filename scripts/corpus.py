#!/usr/bin/env python3
"""Deterministic benchmark corpus for ecsdiagd.

    python3 scripts/corpus.py --size-mb 1024 --tasks 20000 --seed 1 --out /tmp/corpus.log
    python3 scripts/corpus.py --patterns /tmp/patterns.txt          # the prefilter literals, one per line
    python3 scripts/corpus.py ... --truth /tmp/truth.json           # the embedded incidents (ground truth)

Writes N MiB of mixed input, one record per line, each line one of the shapes the decoder
auto-detects per record:

  ~90 %  healthy application logs as CloudWatch events, one JSON object per line
         ({"timestamp","message","logStreamName":"ecs/<svc>/<task id>","logGroupName","ingestionTime","eventId"})
  rest   `aws logs filter-log-events` documents (compact, one per line), `aws logs tail` detailed lines,
         ECS service-event lines (`describe-services --output text` rows), EventBridge aws.ecs events,
         Container Insights performance events (minute batches), ALB access-log lines

plus the four footguns at a low rate (one incident every --incident-every minutes, rotating):
denial bursts, health-check restart cycles, a saturation period, silent RUNNING tasks.

Event time starts at 2026-11-20T00:00:00Z and increases monotonically; each record's time is the
clock minus a jitter below 5 s. Everything derives from --seed (no wall clock), so the same
arguments give the same bytes. Python 3.11 standard library only.
"""
from __future__ import annotations

import argparse
import heapq
import json
import random
import sys
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

# ------------------------------------------------------------------------------------------
# PREFILTER LITERALS — the Swift prefilter's set (`SignalMatcher.prefilterLiterals` with default settings, printed by
# `swift run --package-path Benchmarks prefilter-literals`), for `--patterns`. scripts/bench.sh asks the Swift tool
# directly; this copy is for people running grep/rg by hand. Case-sensitive, one literal per entry; several are
# deliberately cut to start at a rare byte pair (see SignalMatcher).
# ------------------------------------------------------------------------------------------
PREFILTER_LITERALS: tuple[str, ...] = (
    'AccessDenied',
    'ized to perform',
    'Forbidden',
    'Code: 403',
    'credentials',
    'NoCredential',
    'IMDS role',
    'MemoryError',
    'JavaScript heap',
    'API responded with error',
    '" 5',
    ':50',
    ': 50',
    'duration',
    'latency',
    'nse_time',
    'quest_time',
    'ms - ',
    'ning on',
    'Started ',
    'rver started',
    'Application startup complete',
    'ady to accept connections',
)

UTC = timezone.utc
T0 = int(datetime(2026, 11, 20, tzinfo=UTC).timestamp() * 1000)
LOCAL = timezone(timedelta(hours=-7))
ACCOUNT, REGION, CLUSTER = "123456789012", "eu-west-1", "prod"
CI_GROUP = f"/aws/ecs/containerinsights/{CLUSTER}/performance"
ALB_NODES = ("10.0.0.142", "10.0.1.87")
LB = "app/prod-alb/50dc6c495c0c9188"

BASE_SERVICES = ["orders-api", "payments-api", "catalog-sync", "checkout-api", "invoice-renderer",
                 "report-exporter", "search-api", "cart-api", "shipping-worker", "notifications-worker",
                 "pricing-api", "inventory-sync", "auth-api", "recommendation-api", "media-resizer",
                 "ledger-worker"]

# per 1000 ordinary lines (Container Insights comes in minute batches on top, ~1.5 %)
MIX = {"app": 900, "fle": 12, "tail": 40, "svc": 12, "eb": 12, "alb": 24}


# ------------------------------------------------------------------------------------------
# world
# ------------------------------------------------------------------------------------------

@dataclass
class World:
    services: list[str]
    tg: list[str]                  # target group ARN per service
    task_ids: list[str]
    task_svc: list[int]
    task_ip: list[str]
    stream_part: list[str]         # ,"logStreamName":"…","logGroupName":"…"  (JSON)
    stream_name: list[str]
    rotation: list[int]            # task indexes used for ordinary traffic
    reserved: list[int]            # task indexes kept for incidents and RUNNING-tracked tasks


def build_world(rng: random.Random, n_tasks: int) -> World:
    n_svc = max(8, min(400, n_tasks // 250))
    services = []
    for k in range(n_svc):
        base = BASE_SERVICES[k % len(BASE_SERVICES)]
        services.append(base if k < len(BASE_SERVICES) else f"{base}-{k // len(BASE_SERVICES)}")
    tg = [f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/{s[:24]}/{rng.getrandbits(64):016x}"
          for s in services]
    # skewed sizes: a few big services, many small ones
    weights = [1.0 / (1 + k) ** 0.8 for k in range(n_svc)]
    task_svc = rng.choices(range(n_svc), weights=weights, k=n_tasks)
    for k in range(min(n_svc, n_tasks)):     # every service has at least one task
        task_svc[k] = k
    seen = set()
    task_ids = []
    while len(task_ids) < n_tasks:
        t = f"{rng.getrandbits(128):032x}"
        if t not in seen:
            seen.add(t)
            task_ids.append(t)
    task_ip = [f"10.0.{rng.randrange(1, 4)}.{rng.randrange(10, 250)}" for _ in range(n_tasks)]
    stream_name = [f"ecs/{services[s]}/{t}" for s, t in zip(task_svc, task_ids)]
    stream_part = [f',"logStreamName":"{sn}","logGroupName":"/ecs/{services[s]}"'
                   for sn, s in zip(stream_name, task_svc)]
    order = list(range(n_tasks))
    rng.shuffle(order)
    n_res = max(40, min(n_tasks // 5, 6000))
    reserved, rotation = order[:n_res], order[n_res:]
    return World(services, tg, task_ids, task_svc, task_ip, stream_part, stream_name, rotation, reserved)


# ------------------------------------------------------------------------------------------
# message pools (healthy noise)
# ------------------------------------------------------------------------------------------

PATHS = ["/orders/{n}", "/orders/{n}/status", "/cart/{n}", "/payments/pay_{h}", "/catalog/items/{n}",
         "/search?q=shoes&page={p}", "/healthz", "/healthz", "/healthz"]
PHRASE = {200: "OK", 201: "Created", 204: "No Content", 304: "Not Modified", 400: "Bad Request",
          403: "Forbidden", 404: "Not Found", 409: "Conflict"}


def healthy_message(rng: random.Random) -> str:
    r = rng.random()
    n, h, p = rng.randrange(10000, 99999), f"{rng.getrandbits(48):012x}", rng.randrange(1, 50)
    path = rng.choice(PATHS).format(n=n, h=h, p=p)
    if r < 0.30:
        code = rng.choice([200] * 30 + [201, 204, 304, 404, 400, 403, 409])
        return (f'INFO:     {rng.choice(ALB_NODES)}:{rng.randrange(30000, 65000)} - "{rng.choice(["GET"] * 4 + ["POST"])} '
                f'{path} HTTP/1.1" {code} {PHRASE[code]}')
    if r < 0.50:
        return json.dumps({"event": rng.choice(["order fetched", "cart updated", "payment authorised",
                                                "price computed", "stock reserved", "session refreshed"]),
                           "id": n, "duration_ms": round(rng.uniform(0.8, 120), 1), "logger": "app.api",
                           "level": "info", "request_id": f"{rng.getrandbits(128):032x}"})
    if r < 0.65:
        return json.dumps({"level": 30, "pid": 1, "req": {"method": "GET", "url": path},
                           "res": {"statusCode": 200}, "responseTime": rng.randrange(1, 90),
                           "msg": "request completed"}, separators=(",", ":"))
    if r < 0.80:
        thread = f"nio-8080-exec-{rng.randrange(1, 11)}"
        return (f" INFO [{thread:>15}] c.e.app.web.RequestLogFilter             : GET {path} -> "
                f"{rng.choice([200] * 9 + [404])} in {rng.randrange(2, 90)} ms")
    if r < 0.90:
        return (f'level=info msg="cache refreshed" cache={rng.choice(["prices", "catalog", "fx"])} '
                f'entries={rng.randrange(100, 90000)} took={rng.uniform(0.01, 2.5):.3f}s')
    if r < 0.97:
        return rng.choice([
            f"Processed batch {n} with {rng.randrange(1, 500)} records",
            f"Scheduled job export-{p} finished in {rng.uniform(0.1, 30):.1f}s",
            f"Connection pool stats: active={rng.randrange(0, 10)} idle={rng.randrange(0, 10)} waiting=0",
            f"Published {rng.randrange(1, 50)} events to topic orders.v1",
        ])
    # hard negatives: never IAM denials, never credential failures
    return rng.choice([
        "HikariPool-2 - Failed to create/setup connection: Access denied for user 'app'@'10.0.1.5' (using password: YES)",
        "Access denied for POST /admin/orders/refund: org.springframework.security.access.AccessDeniedException: Access is denied",
        f'INFO:     {rng.choice(ALB_NODES)}:{rng.randrange(30000, 65000)} - "GET /admin/reports HTTP/1.1" 403 Forbidden',
        "Retrying request after 429 Too Many Requests from partner API",
        "WARN deprecated config key 'server.max-http-header-size', use 'server.max-http-request-header-size'",
    ])


def uuid4ish(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def json_str(s: str) -> str:
    return json.dumps(s)


# ------------------------------------------------------------------------------------------
# time formatting with a per-second cache
# ------------------------------------------------------------------------------------------

class Clock:
    def __init__(self) -> None:
        self.sec = -1
        self.utc = ""
        self.local = ""

    def _fill(self, s: int) -> None:
        d = datetime.fromtimestamp(s, tz=UTC)
        self.sec = s
        self.utc = d.strftime("%Y-%m-%dT%H:%M:%S")
        self.local = d.astimezone(LOCAL).strftime("%Y-%m-%dT%H:%M:%S")

    def tail(self, ts: int) -> str:          # 2026-11-20T00:14:03.120000+00:00
        s = ts // 1000
        if s != self.sec:
            self._fill(s)
        return f"{self.utc}.{ts % 1000:03d}000+00:00"

    def iso_ms(self, ts: int) -> str:        # 2026-11-20T00:14:03.120Z
        s = ts // 1000
        if s != self.sec:
            self._fill(s)
        return f"{self.utc}.{ts % 1000:03d}Z"

    def iso_s(self, ts: int) -> str:
        s = ts // 1000
        if s != self.sec:
            self._fill(s)
        return self.utc + "Z"

    def local_us(self, ts: int) -> str:      # CLI v2 service event createdAt
        s = ts // 1000
        if s != self.sec:
            self._fill(s)
        return f"{self.local}.{ts % 1000:03d}000-07:00"

    def alb(self, ts: int, micro: int) -> str:
        s = ts // 1000
        if s != self.sec:
            self._fill(s)
        return f"{self.utc}.{ts % 1000:03d}{micro:03d}Z"


# ------------------------------------------------------------------------------------------
# record builders
# ------------------------------------------------------------------------------------------

APP_FMT = '{"timestamp":%d,"message":%s%s,"ingestionTime":%d,"eventId":"%d%043d"}\n'


def cw_line(ts: int, msg_json: str, stream_part: str, seq: int) -> str:
    return APP_FMT % (ts, msg_json, stream_part, ts + 400 + seq % 1400, ts, seq)


def eb_task_event(clock: Clock, rng: random.Random, w: World, t: int, last: str, desired: str, ts: int,
                  version: int, reason: str | None = None, code: str | None = None,
                  exit_code: int | None = None, started: int | None = None) -> str:
    svc = w.services[w.task_svc[t]]
    tid = w.task_ids[t]
    arn = f"arn:aws:ecs:{REGION}:{ACCOUNT}:task/{CLUSTER}/{tid}"
    c = {"containerArn": f"arn:aws:ecs:{REGION}:{ACCOUNT}:container/{CLUSTER}/{tid}/{uuid4ish(rng)}",
         "lastStatus": last, "name": svc, "image": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/{svc}:42",
         "taskArn": arn, "networkInterfaces": [{"privateIpv4Address": w.task_ip[t]}], "cpu": "0"}
    if exit_code is not None:
        c["exitCode"] = exit_code
    d = {"availabilityZone": "eu-west-1a", "clusterArn": f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/{CLUSTER}",
         "containers": [c], "cpu": "1024", "createdAt": clock.iso_ms((started or ts) - 95_000),
         "desiredStatus": desired, "group": f"service:{svc}", "launchType": "FARGATE", "lastStatus": last,
         "memory": "2048", "platformVersion": "1.4.0"}
    if started is not None:
        d["startedAt"] = clock.iso_ms(started)
    d["startedBy"] = "ecs-svc/7741204530189275411"
    if last == "STOPPED":
        d["stoppedAt"] = clock.iso_ms(ts)
    if reason:
        d["stoppedReason"] = reason
        d["stopCode"] = code
    d["taskArn"] = arn
    d["taskDefinitionArn"] = f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/{svc}:42"
    d["updatedAt"] = clock.iso_ms(ts)
    d["version"] = version
    ev = {"version": "0", "id": uuid4ish(rng), "detail-type": "ECS Task State Change",
          "source": "aws.ecs", "account": ACCOUNT, "time": clock.iso_s(ts), "region": REGION,
          "resources": [arn], "detail": d}
    return json.dumps(ev, separators=(",", ":")) + "\n"


def eb_service_action(clock: Clock, rng: random.Random, svc: str, ts: int, name: str = "SERVICE_STEADY_STATE",
                      etype: str = "INFO") -> str:
    ev = {"version": "0", "id": uuid4ish(rng), "detail-type": "ECS Service Action",
          "source": "aws.ecs", "account": ACCOUNT, "time": clock.iso_s(ts), "region": REGION,
          "resources": [f"arn:aws:ecs:{REGION}:{ACCOUNT}:service/{CLUSTER}/{svc}"],
          "detail": {"eventType": etype, "eventName": name,
                     "clusterArn": f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/{CLUSTER}", "createdAt": clock.iso_ms(ts)}}
    return json.dumps(ev, separators=(",", ":")) + "\n"


def ci_task_line(w: World, t: int, minute: int, cpu_pct: float, mem_pct: float, seq: int) -> str:
    svc = w.services[w.task_svc[t]]
    emf = {"Version": "0", "Type": "Task", "TaskId": w.task_ids[t], "TaskDefinitionFamily": svc,
           "TaskDefinitionRevision": "42", "ServiceName": svc, "ClusterName": CLUSTER, "AccountID": ACCOUNT,
           "Region": REGION, "AvailabilityZone": "eu-west-1a", "KnownStatus": "RUNNING", "LaunchType": "FARGATE",
           "Timestamp": minute, "CpuUtilized": round(1024 * cpu_pct / 100, 4), "CpuReserved": 1024.0,
           "MemoryUtilized": int(2048 * mem_pct / 100), "MemoryReserved": 2048,
           "CloudWatchMetrics": [{"Namespace": "ECS/ContainerInsights", "Metrics": [
               {"Name": "CpuUtilized", "Unit": "None"}, {"Name": "MemoryUtilized", "Unit": "Megabytes"}],
               "Dimensions": [["ClusterName"], ["ClusterName", "ServiceName"]]}]}
    msg = json.dumps(json.dumps(emf, separators=(",", ":")))
    part = f',"logStreamName":"FargateTelemetry-{1000 + t % 9000}","logGroupName":"{CI_GROUP}"'
    return cw_line(minute, msg, part, seq)


def ci_service_line(svc: str, minute: int, desired: int, running: int, seq: int) -> str:
    emf = {"Version": "0", "Type": "Service", "ServiceName": svc, "ClusterName": CLUSTER, "Timestamp": minute,
           "DesiredTaskCount": desired, "RunningTaskCount": running, "PendingTaskCount": 0, "DeploymentCount": 1,
           "TaskSetCount": 0, "CloudWatchMetrics": [{"Namespace": "ECS/ContainerInsights", "Metrics": [
               {"Name": "DesiredTaskCount", "Unit": "Count"}, {"Name": "RunningTaskCount", "Unit": "Count"}],
               "Dimensions": [["ServiceName", "ClusterName"]]}]}
    msg = json.dumps(json.dumps(emf, separators=(",", ":")))
    part = f',"logStreamName":"FargateTelemetry-{zlib.crc32(svc.encode()) % 9000 + 1000}","logGroupName":"{CI_GROUP}"'
    return cw_line(minute, msg, part, seq)


def alb_line(clock: Clock, rng: random.Random, w: World, t: int, ts: int, tp: float, code: int | None,
             path: str) -> str:
    svc_i = w.task_svc[t]
    created = ts - int(max(tp, 0) * 1000)
    if code is None:      # idle timeout
        created = ts - 60_000
        times, codes = "0.000 -1 -1", "504 -"
    else:
        times, codes = f"0.000 {tp:.3f} 0.000", f"{code} {code}"
    target = f"{w.task_ip[t]}:8080"
    return (f'https {clock.alb(ts, rng.randrange(1000))} {LB} 203.0.113.{rng.randrange(2, 254)}:{rng.randrange(1024, 65535)} '
            f'{target} {times} {codes} {rng.randrange(150, 900)} {rng.randrange(200, 6000)} '
            f'"GET https://api.example.com:443{path} HTTP/1.1" "Mozilla/5.0 (compatible; corpus)" '
            f'ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 {w.tg[svc_i]} "Root=1-{ts // 1000:08x}-{rng.getrandbits(96):024x}" '
            f'"api.example.com" "-" 0 {clock.alb(created, rng.randrange(1000))} "forward" "-" "-" "{target}" '
            f'"{codes.split()[1]}" "-" "-"\n')


# ------------------------------------------------------------------------------------------
# incidents (the footguns) and RUNNING-tracked healthy tasks
# ------------------------------------------------------------------------------------------

@dataclass(order=True)
class Pending:
    ts: int
    seq: int
    line: str = field(compare=False)


class Schedule:
    """Lines with exact event times, merged into the stream when the clock reaches them."""

    def __init__(self) -> None:
        self.heap: list[Pending] = []
        self.n = 0

    def add(self, ts: int, line: str) -> None:
        self.n += 1
        heapq.heappush(self.heap, Pending(ts, self.n, line))

    def next_ts(self) -> int:
        return self.heap[0].ts if self.heap else 1 << 62

    def pop_due(self, now: int) -> list[str]:
        out = []
        while self.heap and self.heap[0].ts <= now:
            out.append(heapq.heappop(self.heap).line)
        return out


DENIAL_VARIANTS = [
    ("task-role-missing-permission", lambda svc, tid, k: (
        "botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the GetObject operation: "
        f"User: arn:aws:sts::{ACCOUNT}:assumed-role/{svc}-task-role/{tid} is not authorized to perform: s3:GetObject "
        f"on resource: \"arn:aws:s3:::{svc}-data/objects/{k}.json\" because no identity-based policy allows the "
        "s3:GetObject action")),
    ("execution-role-used-by-app", lambda svc, tid, k: (
        "botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the PutObject operation: "
        f"User: arn:aws:sts::{ACCOUNT}:assumed-role/{svc}-ExecutionRole-1A2B3C4D5E6F/{tid} is not authorized to "
        f"perform: s3:PutObject on resource: \"arn:aws:s3:::{svc}-data/out/{k}.pdf\" because no identity-based "
        "policy allows the s3:PutObject action")),
    ("instance-role-fallback", lambda svc, tid, k: json.dumps({
        "level": "error", "caller": "sync/snapshot.go:88", "msg": "failed to fetch snapshot",
        "error": f"operation error S3: GetObject, https response error StatusCode: 403, RequestID: R{k:015d}, "
                 f"HostID: h{k}, api error AccessDenied: User: arn:aws:sts::{ACCOUNT}:assumed-role/"
                 f"prod-ecs-EC2InstanceRole-cq4KLVh142Ez/i-0221dfee3da46d752 is not authorized to perform: "
                 f"s3:GetObject on resource: \"arn:aws:s3:::{svc}-data/snapshot.json.gz\" because no "
                 "identity-based policy allows the s3:GetObject action"}, separators=(",", ":"))),
    ("task-role-missing-permission", lambda svc, tid, k: (
        "software.amazon.awssdk.services.sqs.model.SqsException: User: "
        f"arn:aws:sts::{ACCOUNT}:assumed-role/{svc}-task-role/{tid} is not authorized to perform: "
        f"sqs:sendmessage on resource: arn:aws:sqs:{REGION}:{ACCOUNT}:{svc}-events because no identity-based "
        f"policy allows the sqs:sendmessage action (Service: Sqs, Status Code: 403, Request ID: {k:08x}-0000-4000-8000-000000000000)")),
    ("no-task-role", lambda svc, tid, k: "botocore.exceptions.NoCredentialsError: Unable to locate credentials"),
]


@dataclass
class Truth:
    kind: str
    service: str
    cause: str
    tasks: list[str]
    first_evidence: int
    condition_met: int
    evidence: int

    def as_dict(self) -> dict:
        iso = lambda ts: datetime.fromtimestamp(ts / 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts % 1000:03d}Z"
        return {"rule": self.kind, "service": self.service, "cause": self.cause, "tasks": self.tasks,
                "first_evidence": iso(self.first_evidence), "condition_met": iso(self.condition_met),
                "evidence_records": self.evidence}


class Generator:
    def __init__(self, size_bytes: int, n_tasks: int, seed: int, duration_min: float | None,
                 incident_every_min: float | None) -> None:
        self.rng = random.Random(f"ecsdiagd-corpus:{seed}")
        self.size = size_bytes
        self.w = build_world(self.rng, n_tasks)
        self.clock = Clock()
        self.sched = Schedule()
        self.truth: list[Truth] = []
        mib = size_bytes / (1 << 20)
        self.duration_ms = int((duration_min if duration_min else max(30.0, min(1440.0, mib * 0.35))) * 60_000)
        every = incident_every_min if incident_every_min else min(15.0, max(3.0, self.duration_ms / 60_000 / 10))
        self.incident_every_ms = int(every * 60_000)
        self.seq = 0
        self.res_pos = 0
        # pools
        msgs = [healthy_message(self.rng) for _ in range(40_000)]
        self.msg_raw = msgs
        self.msg_json = [json_str(m) for m in msgs]
        kinds = []
        for k, n in MIX.items():
            kinds += [k] * n
        kinds += ["app"] * 9            # 1009 entries: a prime, so kinds and task rotation never lock step
        self.rng.shuffle(kinds)
        self.kinds = kinds
        self.rot = self.w.rotation if self.w.rotation else self.w.reserved
        self.jitter = [self.rng.randrange(0, 4_900) for _ in range(4096)]
        avg = (sum(len(cw_line(T0, self.msg_json[k], self.w.stream_part[0], 10**9)) for k in range(2000)) / 2000)
        est_lines = size_bytes / (avg * 1.12)
        self.step_us = max(1, int(self.duration_ms * 1000 / est_lines))
        self.ci_per_minute = max(4, int(est_lines * 0.015 / max(1, self.duration_ms / 60_000)))
        self._plan()

    # -- planning ------------------------------------------------------------------------------
    def take_reserved(self) -> int:
        t = self.w.reserved[self.res_pos % len(self.w.reserved)]
        self.res_pos += 1
        return t

    def _plan(self) -> None:
        """Schedule incidents and RUNNING-tracked healthy tasks over the whole duration."""
        kinds = ["denial", "restart", "saturation", "silent"]
        ts = T0 + min(10 * 60_000, self.duration_ms // 4)
        k = 0
        while ts < T0 + self.duration_ms - 13 * 60_000:
            getattr(self, "_plan_" + kinds[k % 4])(ts, k)
            k += 1
            ts += self.incident_every_ms
        # healthy RUNNING tasks: they start, log at least every 20-110 s, some stop normally
        left = len(self.w.reserved) - self.res_pos
        n_hot = max(0, min(left, self.duration_ms // 45_000))
        for h in range(n_hot):
            start = T0 + 30_000 + int(h * (self.duration_ms - 60_000) / n_hot)
            self._plan_hot(start)

    def _svc(self, t: int) -> str:
        return self.w.services[self.w.task_svc[t]]

    def _log(self, ts: int, t: int, message: str) -> None:
        self.seq += 1
        self.sched.add(ts, cw_line(ts, json_str(message), self.w.stream_part[t], self.seq))

    def _plan_hot(self, start: int) -> None:
        rng, w = self.rng, self.w
        t = self.take_reserved()
        self.sched.add(start, eb_task_event(self.clock, rng, w, t, "RUNNING", "RUNNING", start, 3, started=start))
        end = T0 + self.duration_ms + 600_000
        if rng.random() < 0.3:
            end = start + rng.randrange(15, 90) * 60_000
        ts = start + 1_200
        self._log(ts, t, "INFO:     Started server process [1]")
        while True:
            ts += rng.randrange(20_000, 110_000)
            if ts >= min(end - 12_000, T0 + self.duration_ms + 120_000):
                break
            self._log(ts, t, self.msg_raw[rng.randrange(len(self.msg_raw))])
        if end < T0 + self.duration_ms:
            dep = "Scaling activity initiated by (deployment ecs-svc/7741204530189275411)"
            self.sched.add(end, eb_task_event(self.clock, rng, w, t, "RUNNING", "STOPPED", end, 4, dep,
                                              "ServiceSchedulerInitiated", started=start))
            self.sched.add(end + 9_000, eb_task_event(self.clock, rng, w, t, "STOPPED", "STOPPED", end + 9_000, 6,
                                                      dep, "ServiceSchedulerInitiated", 0, started=start))

    def _plan_denial(self, ts: int, k: int) -> None:
        rng = self.rng
        t = self.take_reserved()
        svc, tid = self._svc(t), self.w.task_ids[t]
        cause, make = DENIAL_VARIANTS[k // 4 % len(DENIAL_VARIANTS)]
        times = [ts + j * rng.randrange(18_000, 32_000) for j in range(6)]
        times = sorted(times)
        for j, when in enumerate(times):
            msg = make(svc, tid, rng.randrange(10**6))
            if j % 3 == 2:   # some evidence arrives as `aws logs tail` text
                self.sched.add(when, f"{self.clock.tail(when)} {self.w.stream_name[t]} {msg}\n")
            else:
                self._log(when, t, msg)
            self._log(when + 4, t, f'INFO:     {ALB_NODES[0]}:40312 - "GET /objects/{j} HTTP/1.1" 500 Internal Server Error')
        for j in range(0, 12):
            self._log(ts - 60_000 + j * 40_000, t, self.msg_raw[rng.randrange(len(self.msg_raw))])
        self.truth.append(Truth("access-denied", svc, cause, [tid], times[0], times[2], len(times)))

    def _plan_restart(self, ts: int, k: int) -> None:
        rng, w = self.rng, self.w
        svc_t = self.take_reserved()
        svc_i = w.task_svc[svc_t]
        svc = w.services[svc_i]
        tg = w.tg[svc_i]
        stops, tids = [], []
        for c in range(4):
            t = self.take_reserved()
            w.task_svc[t] = svc_i
            w.stream_name[t] = f"ecs/{svc}/{w.task_ids[t]}"
            w.stream_part[t] = f',"logStreamName":"{w.stream_name[t]}","logGroupName":"/ecs/{svc}"'
            t0 = ts + c * 125_000 + rng.randrange(0, 4_000)
            tid = w.task_ids[t]
            tids.append(tid)
            self.sched.add(t0 - 95_000, f"{self.clock.local_us(t0 - 95_000)}\t{uuid4ish(rng)}\t"
                                        f"(service {svc}) has started 1 tasks: (task {tid}).\n")
            self.sched.add(t0, eb_task_event(self.clock, rng, w, t, "RUNNING", "RUNNING", t0, 3, started=t0))
            self._log(t0 + 1_500, t, f"Starting {svc} v3.1.0 using Java 21.0.5 with PID 1")
            for hc in (t0 + 6_000, t0 + 8_300, t0 + 16_000, t0 + 18_300):
                self._log(hc, t, f'{ALB_NODES[hc % 2]} - - "GET /actuator/health HTTP/1.1" 503 62 "-" "ELB-HealthChecker/2.0"')
            created = self.clock.local_us(t0 + 17_000)
            self.sched.add(t0 + 17_000, f"{created}\t{uuid4ish(rng)}\t(service {svc}) (task {tid}) "
                                        f"(port 8080) is unhealthy in (target-group {tg}) due to (reason Health "
                                        f"checks failed with these codes: [503]).\n")
            reason = f"Task failed ELB health checks in (target-group {tg})"
            self.sched.add(t0 + 17_200, eb_task_event(self.clock, rng, w, t, "RUNNING", "STOPPED", t0 + 17_200, 4,
                                                      reason, "ServiceSchedulerInitiated", started=t0))
            self.sched.add(t0 + 26_000, eb_task_event(self.clock, rng, w, t, "STOPPED", "STOPPED", t0 + 26_000, 6,
                                                      reason, "ServiceSchedulerInitiated", 143, started=t0))
            stops.append(t0 + 26_000)
        self.truth.append(Truth("restart-loop", svc, "elb-health-check", tids, stops[0], stops[2], len(stops)))

    def _plan_saturation(self, ts: int, k: int) -> None:
        rng, w = self.rng, self.w
        a = self.take_reserved()
        b = self.take_reserved()
        w.task_svc[b] = w.task_svc[a]
        svc = self._svc(a)
        w.stream_name[b] = f"ecs/{svc}/{w.task_ids[b]}"
        w.stream_part[b] = f',"logStreamName":"{w.stream_name[b]}","logGroupName":"/ecs/{svc}"'
        start = ts - ts % 60_000 + 60_000
        for m in range(-3, 12):
            minute = start + m * 60_000
            hot = 0 <= m < 8
            for t in (a, b):
                self.seq += 1
                self.sched.add(minute + 300, ci_task_line(w, t, minute, rng.uniform(95.0, 99.6) if hot else
                                                          rng.uniform(25, 45), rng.uniform(50, 60), self.seq))
            self.seq += 1
            self.sched.add(minute + 310, ci_service_line(svc, minute, 2, 2, self.seq))
            for j in range(6):
                when = minute + j * 10_000 + rng.randrange(0, 9_000)
                t = a if j % 2 else b
                tp = rng.uniform(28.0, 31.0) if hot and m >= 2 else rng.uniform(0.01, 0.2)
                self.sched.add(when, alb_line(self.clock, rng, w, t, when, tp, 200, f"/promo/items?page={j}"))
                self._log(when + 2, t, json.dumps({"level": 30, "pid": 1, "req": {"method": "GET", "url": f"/promo/items?page={j}"},
                                                   "res": {"statusCode": 200}, "responseTime": int(tp * 1000),
                                                   "msg": "request completed"}, separators=(",", ":")))
        self.truth.append(Truth("saturation", svc, "cpu", [w.task_ids[a], w.task_ids[b]], start + 300,
                                start + 5 * 60_000 + 300, 16))

    def _plan_silent(self, ts: int, k: int) -> None:
        rng, w = self.rng, self.w
        t = self.take_reserved()
        tid = w.task_ids[t]
        self.sched.add(ts, eb_task_event(self.clock, rng, w, t, "RUNNING", "RUNNING", ts, 3, started=ts))
        self.truth.append(Truth("missing-logs", self._svc(t), "no-log-configuration", [tid], ts, ts + 300_000, 1))

    # -- generation ----------------------------------------------------------------------------
    def run(self, out) -> int:
        rng, w, clock = self.rng, self.w, self.clock
        msg_json, msg_raw, stream_part, stream_name = self.msg_json, self.msg_raw, w.stream_part, w.stream_name
        rot, n_rot = self.rot, len(self.rot)
        n_msg = len(msg_json)
        kinds, n_kinds = self.kinds, len(self.kinds)
        jitter = self.jitter
        step = self.step_us
        now_us = T0 * 1000
        written = 0
        target = self.size
        line_no = 0
        ti = rng.randrange(n_rot)
        mi = rng.randrange(n_msg)
        t_stride = 7919 % n_rot or 1
        m_stride = 104729 % n_msg or 1
        next_minute = T0 + 60_000
        next_sched = self.sched.next_ts()
        svc_names = w.services
        parts: list[str] = []
        plen = 0
        CHUNK = 4 << 20
        fmt = APP_FMT
        seq = self.seq + 1_000_000
        while True:
            now_us += step
            now = now_us // 1000
            extra: list[str] | None = None
            if now >= next_minute:
                extra = self.minute_batch(next_minute, seq)
                seq += len(extra)
                next_minute += 60_000
            if now >= next_sched:
                due = self.sched.pop_due(now)
                extra = (extra or []) + due
                next_sched = self.sched.next_ts()
            if extra:
                for line in extra:
                    if written + plen + len(line) > target:
                        break
                    parts.append(line)
                    plen += len(line)
            ts = now - jitter[line_no & 4095]
            ti = (ti + t_stride) % n_rot
            mi = (mi + m_stride) % n_msg
            t = rot[ti]
            kind = kinds[line_no % n_kinds]
            line_no += 1
            seq += 1
            if kind == "app":
                line = fmt % (ts, msg_json[mi], stream_part[t], ts + 400 + (seq & 1023), ts, seq)
            elif kind == "tail":
                line = f"{clock.tail(ts)} {stream_name[t]} {msg_raw[mi]}\n"
            elif kind == "fle":
                evs = []
                for j in range(3 + (seq % 6)):
                    tt = rot[(ti + j * 31) % n_rot]
                    m = (mi + j * 17) % n_msg
                    evs.append('{"logStreamName":"%s","timestamp":%d,"message":%s,"ingestionTime":%d,"eventId":"%d%043d"}'
                               % (stream_name[tt], ts - (5 - j) * 7, msg_json[m], ts + 600, ts, seq * 10 + j))
                line = ('{"events":[' + ",".join(evs) + '],"searchedLogStreams":[],"nextToken":"'
                        + f"{seq:040x}" + '"}\n')
            elif kind == "svc":
                svc = svc_names[w.task_svc[t]]
                r = seq % 10
                if r < 6:
                    msg = f"(service {svc}) has reached a steady state."
                elif r < 8:
                    msg = f"(service {svc}) has begun draining connections on 1 tasks."
                else:
                    msg = (f"(service {svc}) registered 1 targets in (target-group {w.tg[w.task_svc[t]]})")
                h = f"{seq * 2654435761 % (1 << 128):032x}"
                line = f"{clock.local_us(ts)}\t{h[:8]}-{h[8:12]}-4{h[13:16]}-8{h[17:20]}-{h[20:]}\t{msg}\n"
            elif kind == "eb":
                line = eb_service_action(clock, rng, svc_names[w.task_svc[t]], ts)
            else:  # alb
                p = PATHS[seq % len(PATHS)].format(n=seq % 90000 + 10000, h=f"{seq:012x}", p=seq % 40)
                if p == "/healthz":
                    p = "/orders/%d" % (seq % 90000)
                line = alb_line(clock, rng, w, t, ts, 0.004 + (seq % 97) / 1000, 200 if seq % 23 else 404, p)
            if written + plen + len(line) > target:
                break
            parts.append(line)
            plen += len(line)
            if plen >= CHUNK:
                out.write("".join(parts))
                written += plen
                parts = []
                plen = 0
        out.write("".join(parts))
        written += plen
        self.end_ts = now
        return written

    def minute_batch(self, minute: int, seq: int) -> list[str]:
        """Container Insights arrives per minute: Task events for a sample of tasks, Service events."""
        rng, w = self.rng, self.w
        out = []
        n = self.ci_per_minute
        base = rng.randrange(len(self.rot))
        for j in range(n):
            t = self.rot[(base + j * 13) % len(self.rot)]
            out.append(ci_task_line(w, t, minute, 8 + (seq + j) % 52, 30 + (seq * 7 + j) % 35, seq + j))
        for j in range(max(1, n // 20)):
            svc = w.services[(minute // 60_000 + j) % len(w.services)]
            out.append(ci_service_line(svc, minute, 2, 2, seq + n + j))
        return out


def main() -> int:
    ap = argparse.ArgumentParser(description="deterministic ecsdiagd benchmark corpus")
    ap.add_argument("--size-mb", type=float, help="output size in MiB")
    ap.add_argument("--tasks", type=int, default=10_000, help="distinct task ids (1000 … 100000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", help="corpus file to write")
    ap.add_argument("--patterns", help="write the prefilter literals here, one per line")
    ap.add_argument("--truth", help="write the embedded incidents (ground truth) here as JSON")
    ap.add_argument("--duration-min", type=float, help="event-time span (default: 0.35 min per MiB, 30 min … 24 h)")
    ap.add_argument("--incident-every", type=float, help="minutes between embedded incidents "
                    "(default: duration/10, between 3 and 15)")
    args = ap.parse_args()
    if args.patterns:
        with open(args.patterns, "w", encoding="utf-8") as f:
            f.write("".join(p + "\n" for p in PREFILTER_LITERALS))
    if not args.out:
        if not args.patterns:
            ap.error("nothing to do: give --out (with --size-mb) and/or --patterns")
        return 0
    if not args.size_mb or args.size_mb <= 0:
        ap.error("--size-mb is required with --out")
    if not 1 <= args.tasks <= 1_000_000:
        ap.error("--tasks out of range")
    gen = Generator(int(args.size_mb * (1 << 20)), args.tasks, args.seed, args.duration_min, args.incident_every)
    with open(args.out, "w", encoding="utf-8", newline="\n", buffering=1 << 22) as out:
        written = gen.run(out)
    end = gen.end_ts
    emitted = [t for t in gen.truth if t.condition_met <= end]
    if args.truth:
        with open(args.truth, "w", encoding="utf-8") as f:
            json.dump({"bytes": written, "seed": args.seed, "tasks": args.tasks,
                       "start": "2026-11-20T00:00:00.000Z",
                       "end": datetime.fromtimestamp(end / 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
                       "incidents": [t.as_dict() for t in emitted]}, f, indent=2)
            f.write("\n")
    print(f"wrote {written} bytes, event time 2026-11-20T00:00:00Z … "
          f"{datetime.fromtimestamp(end / 1000, tz=UTC).strftime('%H:%M:%S')}, {len(emitted)} incidents",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
