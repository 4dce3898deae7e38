"""Webhook vs. Rasa alone: what our web layer adds to the latency and throughput of a turn.

Usage:
    RASA_MODEL=models/<hash>.tar.gz python -m bench.webhook_vs_rasa [--users 20]
        [--messages-per-user 25] [--warmup 20] [--rounds 3] [--sqlite] [--json PATH]

Method
    One whole stack (fake WeChat API, Rasa, action server, gunicorn web app, RQ worker) is started
    once on the machine's Redis (db 12, flushed first) and a fresh database (PostgreSQL
    `jobassist_bench`, or a temporary SQLite file with --sqlite). After a warm-up that is not
    measured, the same load goes through two paths:

        rasa     POST {RASA_URL}/webhooks/gateway/webhook (JSON, bearer token): the baseline
        webhook  POST /wechat as WeChat sends it (signed plaintext XML); the passive reply is read

    Each phase runs --users simulated users at once, as threads. A user has its own openid (new in
    every phase, so no conversation carries over) and its own HTTP session, whose keep-alive
    connection is opened before the clock starts (the web app keeps its connections to Rasa
    open too, so the baseline should not pay a TCP connect the webhook path does not), and sends
    --messages-per-user texts one after another, each as soon as the previous answer arrived (a
    closed loop). Every user cycles through the same ten texts, each user starting at a different
    one, so both paths see the same mix at every moment. The phases run in --rounds rounds and
    the order alternates (rasa, webhook | webhook, rasa | …), so that drift in the machine's load
    (other jobs on it) falls on both paths alike.

Reading the figures
    Latency is one HTTP request as the client sees it (server work and the reply), pooled
    over all rounds of a path; percentiles are nearest-rank. Throughput is messages divided by
    the phases' wall time. In a closed loop throughput ≈ users / mean latency, so once Rasa is
    saturated the two say the same thing. The webhook / rasa ratios are the price of the web
    layer (signature, XML, the Redis claim and wake-up, the follower row in SQL, one more hop);
    overhead = ratio - 1. The per-round rows pair phases run close together in time; when they
    disagree, the median of the per-round ratios is the steadier figure. "CPU ms per message"
    splits the machine's work by process; a large "rest of machine" (or "other" in a round)
    means other jobs competed with the run, and the figures are noisier.

    Targets (stated for 20 users): overhead at p50 and p99 ≤ 25% over Rasa alone, and webhook
    p99 < 1 s. They are reported, not enforced. The exit status is 1 only when a correctness
    check fails: a webhook request without exactly one passive reply carrying Content, a Rasa
    request without an answer, any customer-service message (an answer that went late), or a
    sampled Rasa tracker whose user events differ from the messages sent for that openid.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import secrets
import shlex
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol
from xml.parsers.expat import ExpatError

import psutil
import requests
import xmltodict
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from rq.registry import StartedJobRegistry
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from chat.wechat_sender import WeChatSender, next_msg_id, text_xml
from devstack.stack import LocalStack, test_environment
from runtime import QUEUE_NAME
from settings import PROJECT_ROOT, Settings

# What job seekers type: greetings, policy and campaign questions, job searches, Traditional script.
MESSAGES: tuple[str, ...] = (
    "你好，请问是人社局吗",
    "办失业登记需要准备哪些材料",
    "春风行动什么时候开始",
    "有没有武汉的会计岗位",
    "請問失業登記要帶什麼證件",
    "最近有什么招聘会",
    "我想找广州的司机工作",
    "有沒有上海的出納職位",
    "你是机器人吗",
    "谢谢",
)

PATHS = ("rasa", "webhook")
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/12"
DEFAULT_POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
BENCH_DATABASE = "jobassist_bench"
REQUEST_TIMEOUT_SECONDS = 30.0
WORKER_IDLE_TIMEOUT_SECONDS = 15.0

TARGET_USERS = 20
TARGET_OVERHEAD = 0.25
TARGET_WEBHOOK_P99_MS = 1000.0


# ── the two paths ────────────────────────────────────────────────────────────────────────────


class PathClient(Protocol):
    """One simulated user's connection to one path."""

    def connect(self) -> None:
        """Open the keep-alive connection before the clock starts."""
        ...

    def post(self, openid: str, text: str) -> requests.Response: ...

    def problem(self, response: requests.Response, openid: str) -> str | None:
        """What is wrong with the answer, or None when it is a proper one."""
        ...


class RasaGatewayClient:
    """Straight to Rasa's gateway channel, as the web app's RasaClient calls it."""

    def __init__(self, rasa_url: str, token: str) -> None:
        self.url = f"{rasa_url.rstrip('/')}/webhooks/gateway/webhook"
        self.headers = {"Authorization": f"Bearer {token}"}
        self.http = requests.Session()

    def connect(self) -> None:
        # The channel's health route: no conversation, no NLU.
        self.http.get(self.url.rsplit("/", 1)[0] + "/", timeout=REQUEST_TIMEOUT_SECONDS)

    def post(self, openid: str, text: str) -> requests.Response:
        return self.http.post(
            self.url,
            json={"sender": openid, "message": text, "metadata": {}},
            headers=self.headers,
            timeout=REQUEST_TIMEOUT_SECONDS,
        )

    def problem(self, response: requests.Response, openid: str) -> str | None:
        if response.status_code != 200:
            return f"rasa HTTP {response.status_code}"
        try:
            messages = response.json()
        except ValueError:
            return "rasa: body is not JSON"
        if not isinstance(messages, list) or not any(
            isinstance(message, dict) and message.get("text") for message in messages
        ):
            return "rasa: no text in the answer"
        return None


class WebhookClient:
    """Through /wechat as signed plaintext WeChat XML, reading the passive reply."""

    def __init__(self, webhook_url: str, token: str) -> None:
        self.sender = WeChatSender(webhook_url=webhook_url, token=token, http=requests.Session())

    def connect(self) -> None:
        # WeChat's URL check (GET /wechat with echostr): signature only, no Redis, Rasa or SQL.
        params, _ = self.sender.query()
        self.sender.http.get(
            self.sender.webhook_url,
            params={**params, "echostr": "bench"},
            timeout=REQUEST_TIMEOUT_SECONDS,
        )

    def post(self, openid: str, text: str) -> requests.Response:
        return self.sender.post(text_xml(openid, text, next_msg_id()), REQUEST_TIMEOUT_SECONDS)

    def problem(self, response: requests.Response, openid: str) -> str | None:
        return passive_reply_problem(response, openid)


def passive_reply_problem(response: requests.Response, openid: str) -> str | None:
    """None when the body is exactly one text reply XML to `openid` with non-empty Content."""
    if response.status_code != 200:
        return f"webhook HTTP {response.status_code}"
    body = response.text.strip()
    if body in ("", "success"):
        return f"webhook: {body or 'empty'} body (no passive reply)"
    try:
        document = xmltodict.parse(body)
    except (ExpatError, ValueError):
        return "webhook: reply is not XML"
    reply = document.get("xml") if isinstance(document, dict) else None
    if not isinstance(reply, dict) or len(document) != 1:
        return "webhook: reply is not one <xml> document"
    if reply.get("ToUserName") != openid or reply.get("MsgType") != "text":
        return "webhook: reply is not a text reply to this user"
    if not (reply.get("Content") or "").strip():
        return "webhook: reply has empty Content"
    return None


def client_factory(path: str, settings: Settings, web_url: str) -> Callable[[], PathClient]:
    if path == "rasa":
        return lambda: RasaGatewayClient(settings.rasa_url, settings.rasa_token)
    return lambda: WebhookClient(f"{web_url}/wechat", settings.wechat_token)


# ── where the CPU goes ───────────────────────────────────────────────────────────────────────

CpuSnapshot = dict[str, dict[int, float]]  # component -> pid -> CPU seconds (user + system)


def _tree_cpu(root: psutil.Process, with_children: bool = True) -> dict[int, float]:
    seconds: dict[int, float] = {}
    family = root.children(recursive=True) if with_children else []
    for process in [root, *family]:
        try:
            times = process.cpu_times()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        seconds[process.pid] = times.user + times.system
    return seconds


@dataclass
class CpuMeter:
    """CPU seconds by stack process, Redis, our PostgreSQL backends and this client."""

    stack: LocalStack
    redis_pid: int | None
    database_name: str | None

    def snapshot(self) -> CpuSnapshot:
        roots: dict[str, int] = {name: popen.pid for name, popen in self.stack.processes.items()}
        if self.redis_pid:
            roots["redis (shared)"] = self.redis_pid
        # Not its children: they are the stack's processes, counted above.
        found: CpuSnapshot = {"bench client": _tree_cpu(psutil.Process(), with_children=False)}
        for name, pid in roots.items():
            try:
                found[name] = _tree_cpu(psutil.Process(pid))
            except psutil.NoSuchProcess:
                found[name] = {}
        if self.database_name:
            found["postgres"] = self._postgres_backends()
        machine = psutil.cpu_times()
        busy = ("user", "nice", "system", "irq", "softirq")  # guest time is inside user already
        found["machine busy"] = {0: sum(getattr(machine, name, 0.0) for name in busy)}
        return found

    def _postgres_backends(self) -> dict[int, float]:
        # Backends name their database in the process title: "postgres: user db host(port) …".
        seconds: dict[int, float] = {}
        for process in psutil.process_iter(["name", "cmdline", "cpu_times"]):
            info = process.info
            if info.get("name") != "postgres" or not info.get("cpu_times"):
                continue
            if f" {self.database_name} " in f" {' '.join(info.get('cmdline') or [])} ":
                seconds[process.pid] = info["cpu_times"].user + info["cpu_times"].system
        return seconds

    @staticmethod
    def used(start: CpuSnapshot, end: CpuSnapshot) -> dict[str, float]:
        """CPU seconds per component between two snapshots, and the rest of the machine's."""
        used = {
            name: sum(seconds - start.get(name, {}).get(pid, 0.0) for pid, seconds in pids.items())
            for name, pids in end.items()
        }
        ours = sum(value for name, value in used.items() if name != "machine busy")
        used["rest of machine"] = max(used.pop("machine busy") - ours, 0.0)
        return used


# ── running a phase ──────────────────────────────────────────────────────────────────────────


@dataclass
class Sample:
    latency_s: float
    problem: str | None


@dataclass
class PhaseResult:
    path: str
    round_no: int  # 0 for the warm-up
    label: str
    users: int
    wall_s: float
    samples: list[Sample]
    sent: dict[str, int]  # openid -> messages sent
    cpu_s: dict[str, float]

    @property
    def problems(self) -> list[str]:
        return [sample.problem for sample in self.samples if sample.problem]

    @property
    def throughput(self) -> float:
        return len(self.samples) / self.wall_s if self.wall_s else 0.0


def user_texts(user: int, count: int) -> list[str]:
    """The shared list of texts, cycled, starting at this user's own offset."""
    return [MESSAGES[(user + index) % len(MESSAGES)] for index in range(count)]


def run_user(
    client: PathClient,
    openid: str,
    texts: Sequence[str],
    start: threading.Barrier,
    stop: threading.Event,
    samples: list[Sample],
    think_s: float = 0.0,
) -> None:
    try:
        client.connect()
        start.wait()
    except requests.RequestException as exc:
        samples.append(Sample(0.0, f"cannot connect: {type(exc).__name__}"))
        start.abort()
        return
    except threading.BrokenBarrierError:
        return
    for text_ in texts:
        if stop.is_set():
            return
        began = time.perf_counter()
        try:
            response = client.post(openid, text_)
        except requests.RequestException as exc:
            samples.append(Sample(time.perf_counter() - began, f"{type(exc).__name__}"))
            continue
        latency = time.perf_counter() - began
        samples.append(Sample(latency, client.problem(response, openid)))
        if think_s and stop.wait(think_s):  # a person reads the answer before writing again
            return


def run_phase(
    path: str,
    round_no: int,
    users: int,
    messages_per_user: int,
    new_client: Callable[[], PathClient],
    run_tag: str,
    stop: threading.Event,
    meter: CpuMeter,
    think_s: float = 0.0,
) -> PhaseResult:
    """All users at once (a barrier releases them), each sending its texts in a closed loop."""
    label = f"{path}{round_no}" if round_no else f"warmup-{path}"
    openids = [f"o{run_tag}_{label}_{user:03d}" for user in range(users)]
    per_user: list[list[Sample]] = [[] for _ in range(users)]
    start = threading.Barrier(users + 1)
    threads = [
        threading.Thread(
            target=run_user,
            args=(
                new_client(),
                openid,
                user_texts(user, messages_per_user),
                start,
                stop,
                samples,
                think_s,
            ),
            name=f"bench-{label}-{user}",
            daemon=True,  # Ctrl-C must not wait for requests in flight
        )
        for user, (openid, samples) in enumerate(zip(openids, per_user, strict=True))
    ]
    for thread in threads:
        thread.start()
    before = meter.snapshot()
    # A user that could not connect breaks the barrier: its problem is recorded, the others stop.
    with suppress(threading.BrokenBarrierError):
        start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall_s = time.perf_counter() - began
    cpu_s = CpuMeter.used(before, meter.snapshot())
    return PhaseResult(
        path=path,
        round_no=round_no,
        label=label,
        users=users,
        wall_s=wall_s,
        samples=[sample for samples in per_user for sample in samples],
        sent={openid: len(samples) for openid, samples in zip(openids, per_user, strict=True)},
        cpu_s=cpu_s,
    )


def phase_order(round_no: int) -> tuple[str, ...]:
    """rasa, webhook in odd rounds; webhook, rasa in even ones."""
    return PATHS if round_no % 2 else PATHS[::-1]


# ── figures ──────────────────────────────────────────────────────────────────────────────────


def percentile(sorted_values: Sequence[float], percent: float) -> float:
    """Nearest-rank percentile of an ascending sequence."""
    if not sorted_values:
        return math.nan
    rank = max(math.ceil(percent / 100 * len(sorted_values)), 1)
    return sorted_values[rank - 1]


@dataclass
class PathFigures:
    path: str
    messages: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    throughput: float
    busy_cores: float  # mean cores the machine was busy during these phases
    cpu_ms_per_message: dict[str, float]


def path_figures(path: str, phases: Sequence[PhaseResult]) -> PathFigures:
    latencies = sorted(sample.latency_s * 1000 for phase in phases for sample in phase.samples)
    wall_s = sum(phase.wall_s for phase in phases)
    cpu: Counter[str] = Counter()
    for phase in phases:
        cpu.update(phase.cpu_s)
    count = max(len(latencies), 1)
    return PathFigures(
        path=path,
        messages=len(latencies),
        p50_ms=percentile(latencies, 50),
        p95_ms=percentile(latencies, 95),
        p99_ms=percentile(latencies, 99),
        max_ms=latencies[-1] if latencies else math.nan,
        throughput=len(latencies) / wall_s if wall_s else 0.0,
        busy_cores=sum(cpu.values()) / wall_s if wall_s else 0.0,
        cpu_ms_per_message={name: seconds * 1000 / count for name, seconds in cpu.items()},
    )


def ratios(rasa: PathFigures, webhook: PathFigures) -> dict[str, float]:
    """webhook / rasa for latency percentiles and throughput."""
    return {
        "p50": webhook.p50_ms / rasa.p50_ms,
        "p95": webhook.p95_ms / rasa.p95_ms,
        "p99": webhook.p99_ms / rasa.p99_ms,
        "throughput": webhook.throughput / rasa.throughput,
    }


@dataclass
class Target:
    name: str
    value: str
    goal: str
    met: bool


def targets(figures_ratios: dict[str, float], webhook: PathFigures) -> list[Target]:
    return [
        Target(
            f"overhead at {percent}",
            f"{(figures_ratios[percent] - 1) * 100:+.1f}%",
            f"≤ +{TARGET_OVERHEAD:.0%}",
            figures_ratios[percent] - 1 <= TARGET_OVERHEAD,
        )
        for percent in ("p50", "p99")
    ] + [
        Target(
            "webhook p99",
            f"{webhook.p99_ms:.0f} ms",
            f"< {TARGET_WEBHOOK_P99_MS:.0f} ms",
            webhook.p99_ms < TARGET_WEBHOOK_P99_MS,
        )
    ]


# ── correctness ──────────────────────────────────────────────────────────────────────────────


@dataclass
class Check:
    name: str
    passed: bool
    detail: str


def answers_check(path: str, phases: Sequence[PhaseResult], requirement: str) -> Check:
    problems = Counter(problem for phase in phases for problem in phase.problems)
    total = sum(len(phase.samples) for phase in phases)
    lost = sum(problems.values())
    detail = f"{total - lost}/{total} ok (warm-up included)"
    if problems:
        detail += "; " + ", ".join(f"{count}× {problem}" for problem, count in problems.items())
    return Check(f"{path}: {requirement}", not problems, detail)


def fake_wechat_messages(settings: Settings) -> list[dict[str, Any]]:
    base = settings.wechat_api_base_url.rstrip("/").rsplit("/cgi-bin", 1)[0]
    response = requests.get(f"{base}/_fake/messages", timeout=10)
    response.raise_for_status()
    return list(response.json()["messages"])


def late_answers_check(settings: Settings) -> Check:
    sent = fake_wechat_messages(settings)
    custom = [message for message in sent if message.get("kind") == "custom"]
    detail = f"{len(custom)} customer-service messages recorded by the fake WeChat API"
    if len(sent) != len(custom):
        detail += f" (and {len(sent) - len(custom)} of other kinds)"
    return Check(
        "no answer went late (nothing sent through the customer-service API)", not custom, detail
    )


def user_events(settings: Settings, openid: str) -> int:
    response = requests.get(
        f"{settings.rasa_url}/conversations/{openid}/tracker",
        params={"token": settings.rasa_token},
        timeout=30,
    )
    response.raise_for_status()
    return sum(1 for event in response.json().get("events", []) if event.get("event") == "user")


def tracker_check(settings: Settings, phases: Sequence[PhaseResult], per_phase: int) -> Check:
    chooser = random.Random(len(phases))
    sampled: dict[str, int] = {}
    for phase in phases:
        openids = sorted(phase.sent)
        for openid in chooser.sample(openids, min(per_phase, len(openids))):
            sampled[openid] = phase.sent[openid]
    wrong: dict[str, tuple[int, int]] = {}
    for openid, expected in sampled.items():
        found = user_events(settings, openid)
        if found != expected:
            wrong[openid] = (found, expected)
    detail = f"{len(sampled) - len(wrong)}/{len(sampled)} sampled openids match"
    if wrong:
        detail += "; " + ", ".join(
            f"{openid}: {found} user events for {expected} sent"
            for openid, (found, expected) in list(wrong.items())[:5]
        )
    return Check("no duplicates: Rasa user events = messages sent", not wrong, detail)


def wait_for_worker_idle(redis_url: str, timeout: float = WORKER_IDLE_TIMEOUT_SECONDS) -> None:
    """Give a late answer time to reach the fake WeChat API before we look for it."""
    redis = Redis.from_url(redis_url)
    queue = Queue(QUEUE_NAME, connection=redis)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if queue.count == 0 and StartedJobRegistry(queue=queue).count == 0:
            break
        time.sleep(0.5)
    time.sleep(1.0)


# ── the run ──────────────────────────────────────────────────────────────────────────────────


@dataclass
class Report:
    command: str
    machine: dict[str, Any]
    load: dict[str, Any]
    paths: dict[str, PathFigures]
    ratios: dict[str, float]
    targets: list[Target]
    rounds: list[dict[str, Any]]
    checks: list[Check]
    log_dir: str

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)


def command_line(model_path: str) -> str:
    return f"RASA_MODEL={model_path} python -m bench.webhook_vs_rasa {shlex.join(sys.argv[1:])}"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_facts() -> dict[str, Any]:
    return {
        "cores": os.cpu_count(),
        "cpu": cpu_model(),
        "python": platform.python_version(),
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
    }


def web_processes(stack: LocalStack) -> int:
    """gunicorn workers serving /wechat (the master's children)."""
    web = stack.processes.get("web")
    if web is None:
        return 0
    try:
        return len(psutil.Process(web.pid).children())
    except psutil.NoSuchProcess:
        return 0


def warm_up(args: argparse.Namespace, run: Callable[..., PhaseResult]) -> list[PhaseResult]:
    if args.warmup <= 0:
        return []
    users = min(args.users, args.warmup)
    per_user = math.ceil(args.warmup / users)
    # Rasa first: its first turns are slow, and the webhook would otherwise answer them late.
    return [run(path, 0, users, per_user) for path in PATHS]


def run_benchmark(
    args: argparse.Namespace,
    stack: LocalStack,
    stop: threading.Event,
    model_path: str,
    machine: dict[str, Any],
) -> Report:
    assert stack.settings is not None
    settings = stack.settings
    run_tag = secrets.token_hex(3)
    redis_pid = Redis.from_url(settings.redis_url).info("server").get("process_id")
    meter = CpuMeter(stack, redis_pid, None if args.sqlite else BENCH_DATABASE)
    factories = {path: client_factory(path, settings, stack.web_url) for path in PATHS}
    think_s = args.think_ms / 1000

    def run(path: str, round_no: int, users: int, messages: int) -> PhaseResult:
        phase = run_phase(
            path, round_no, users, messages, factories[path], run_tag, stop, meter, think_s
        )
        print(
            f"  {phase.label:<16} {len(phase.samples):>5} msgs  {phase.wall_s:6.1f} s  "
            f"{phase.throughput:6.1f} msg/s  problems: {len(phase.problems)}",
            flush=True,
        )
        return phase

    print("warm-up (not measured):", flush=True)
    warmups = warm_up(args, run)
    print("measured:", flush=True)
    measured = [
        run(path, round_no, args.users, args.messages_per_user)
        for round_no in range(1, args.rounds + 1)
        for path in phase_order(round_no)
    ]

    by_path = {path: [phase for phase in measured if phase.path == path] for path in PATHS}
    figures = {path: path_figures(path, phases) for path, phases in by_path.items()}
    figure_ratios = ratios(figures["rasa"], figures["webhook"])

    print("checking correctness …", flush=True)
    wait_for_worker_idle(settings.redis_url)
    everything = warmups + measured
    checks = [
        answers_check("rasa", [p for p in everything if p.path == "rasa"], "every turn answered"),
        answers_check(
            "webhook",
            [p for p in everything if p.path == "webhook"],
            "HTTP 200 + one passive reply with Content, every message",
        ),
        late_answers_check(settings),
        tracker_check(settings, measured, args.tracker_sample),
    ]
    database = "SQLite (temporary file)" if args.sqlite else f"PostgreSQL {BENCH_DATABASE}"
    return Report(
        command=command_line(model_path),
        machine=machine,
        load={
            "users": args.users,
            "messages_per_user_per_phase": args.messages_per_user,
            "rounds": args.rounds,
            "think_ms": args.think_ms,
            "messages_per_path": args.users * args.messages_per_user * args.rounds,
            "warmup_messages_per_path": sum(len(p.samples) for p in warmups) // len(PATHS),
            "distinct_texts": len(MESSAGES),
            "database": database,
            "redis": settings.redis_url,
            "web_workers": web_processes(stack),
            "reply_budget_seconds": settings.reply_budget_seconds,
            "model": model_path,
        },
        paths=figures,
        ratios=figure_ratios,
        targets=targets(figure_ratios, figures["webhook"]),
        rounds=round_rows(measured),
        checks=checks,
        log_dir=str(stack.log_dir),
    )


def phase_row(phase: PhaseResult) -> dict[str, float]:
    latencies = sorted(sample.latency_s * 1000 for sample in phase.samples)
    return {
        "p50_ms": percentile(latencies, 50),
        "p99_ms": percentile(latencies, 99),
        "throughput": phase.throughput,
        "wall_s": phase.wall_s,
        "other_cpu_ms_per_message": phase.cpu_s.get("rest of machine", 0.0)
        * 1000
        / max(len(phase.samples), 1),
    }


def round_rows(measured: Sequence[PhaseResult]) -> list[dict[str, Any]]:
    """Each round's two phases side by side: paired figures, measured close together in time."""
    rows = []
    for round_no in sorted({phase.round_no for phase in measured}):
        phases = {phase.path: phase for phase in measured if phase.round_no == round_no}
        rasa, webhook = phase_row(phases["rasa"]), phase_row(phases["webhook"])
        rows.append(
            {
                "round": round_no,
                "order": " → ".join(phase_order(round_no)),
                "rasa": rasa,
                "webhook": webhook,
                "p50_ratio": webhook["p50_ms"] / rasa["p50_ms"],
            }
        )
    return rows


# ── printing ─────────────────────────────────────────────────────────────────────────────────


def print_report(report: Report) -> None:
    machine, load = report.machine, report.load
    rasa, webhook = report.paths["rasa"], report.paths["webhook"]
    print("\n就业助手 benchmark: webhook (/wechat, signed WeChat XML) vs. Rasa alone (gateway)")
    print(f"command : {report.command}")
    print(
        f"machine : {machine['cores']} cores ({machine['cpu']}), Python {machine['python']}, "
        f"load average at start {' '.join(map(str, machine['load_average_at_start']))}"
    )
    print(
        f"load    : {load['users']} concurrent users × {load['messages_per_user_per_phase']} "
        f"messages per phase × {load['rounds']} rounds (order alternates) = "
        f"{load['messages_per_path']} messages per path, {load['distinct_texts']} distinct texts; "
        f"warm-up {load['warmup_messages_per_path']} per path; "
        + (f"{load['think_ms']} ms pause after each answer" if load["think_ms"] else "back to back")
    )
    print(
        f"stack   : {load['database']}, Redis {load['redis']}, {load['web_workers']} gunicorn "
        f"workers, reply budget {load['reply_budget_seconds']:g} s, logs {report.log_dir}"
    )
    print()
    print(
        f"{'path':<17}{'msgs':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}{'msg/s':>8}"
    )
    for figures, name in ((rasa, "rasa (baseline)"), (webhook, "webhook")):
        print(
            f"{name:<17}{figures.messages:>6}{figures.p50_ms:>9.0f}{figures.p95_ms:>9.0f}"
            f"{figures.p99_ms:>9.0f}{figures.max_ms:>9.0f}{figures.throughput:>8.1f}"
        )
    r = report.ratios
    print(
        f"{'webhook / rasa':<17}{'':>6}{r['p50']:>8.2f}x{r['p95']:>8.2f}x{r['p99']:>8.2f}x"
        f"{'':>9}{r['throughput']:>7.2f}x"
    )
    print()
    scope = "" if load["users"] == TARGET_USERS else f"  (targets are for {TARGET_USERS} users)"
    print(f"targets{scope}:")
    for target in report.targets:
        verdict = "met" if target.met else "MISSED"
        print(f"  {target.name:<16} {target.value:>9}   target {target.goal:<10} {verdict}")
    print()
    print_rounds(report.rounds)
    print_cpu(rasa, webhook)
    print("\ncorrectness:")
    for check in report.checks:
        print(f"  [{'ok' if check.passed else 'FAIL'}] {check.name}: {check.detail}")
    print("\nresult: " + ("all correctness checks passed" if report.passed else "FAILED"))


def print_rounds(rounds: Sequence[dict[str, Any]]) -> None:
    print("per round: p50 / p99 ms, msg/s, and 'other' = CPU ms per message used outside the")
    print("stack (other jobs on the machine; large values mean a noisy phase)")

    def cell(row: dict[str, float]) -> str:
        return (
            f"{row['p50_ms']:>5.0f} /{row['p99_ms']:>5.0f} {row['throughput']:>5.1f} "
            f"other {row['other_cpu_ms_per_message']:>3.0f}"
        )

    print(f"  {'round':<6}{'order':<17}{'rasa':<31}{'webhook':<31}p50 ratio")
    for row in rounds:
        print(
            f"  {row['round']:<6}{row['order']:<17}{cell(row['rasa']):<31}"
            f"{cell(row['webhook']):<31}{row['p50_ratio']:.2f}x"
        )
    median = statistics.median(row["p50_ratio"] for row in rounds)
    print(f"  median of the per-round p50 ratios: {median:.2f}x")


def print_cpu(rasa: PathFigures, webhook: PathFigures) -> None:
    names = sorted(
        set(rasa.cpu_ms_per_message) | set(webhook.cpu_ms_per_message),
        key=lambda name: -webhook.cpu_ms_per_message.get(name, 0.0),
    )
    print("\nCPU ms per message by process (machine busy, in cores, during the phases):")
    print(f"  {'':<18}{'rasa':>8}{'webhook':>9}")
    for name in names:
        print(
            f"  {name:<18}{rasa.cpu_ms_per_message.get(name, 0.0):>8.1f}"
            f"{webhook.cpu_ms_per_message.get(name, 0.0):>9.1f}"
        )
    print(f"  {'busy cores':<18}{rasa.busy_cores:>8.2f}{webhook.busy_cores:>9.2f}")


def write_json(report: Report, path: Path) -> None:
    path.write_text(json.dumps(asdict(report), ensure_ascii=False, indent=2) + "\n")


# ── set-up and main ──────────────────────────────────────────────────────────────────────────


def newest_model() -> str:
    models = sorted((PROJECT_ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise SystemExit("No model: set RASA_MODEL or run `make model`.")
    return str(models[-1])


def fresh_redis(redis_url: str) -> str:
    Redis.from_url(redis_url).flushdb()
    return redis_url


def fresh_postgres(admin_url: str) -> str:
    """Drop and create the bench database; returns its URL."""
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT", future=True)
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{BENCH_DATABASE}"'))
    engine.dispose()
    return make_url(admin_url).set(database=BENCH_DATABASE).render_as_string(hide_password=False)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.webhook_vs_rasa",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--users", type=int, default=20, help="concurrent users per phase")
    parser.add_argument(
        "--messages-per-user", type=int, default=25, help="messages each user sends per phase"
    )
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured messages per path")
    parser.add_argument(
        "--think-ms",
        type=int,
        default=0,
        help="pause of each user after an answer before the next message (0: back to back)",
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds of (rasa, webhook) phases")
    parser.add_argument(
        "--tracker-sample", type=int, default=4, help="openids per phase whose tracker is checked"
    )
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file, not PG")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help="flushed at start")
    parser.add_argument(
        "--postgres-admin-url",
        default=DEFAULT_POSTGRES_ADMIN_URL,
        help=f"where {BENCH_DATABASE} is created from",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    for name in ("users", "messages_per_user", "rounds"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    return args


def _interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@contextmanager
def running(stack: LocalStack, stop: threading.Event) -> Iterator[LocalStack]:
    """The stack, stopped however the block ends (Ctrl-C, SIGTERM, an error)."""
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield stack.start()
    finally:
        stop.set()
        stack.stop()
        signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    model_path = os.environ.get("RASA_MODEL") or newest_model()
    work_dir = Path(tempfile.mkdtemp(prefix="jobassist-bench-"))
    try:
        database_url = (
            f"sqlite:///{work_dir / 'bench.sqlite'}"
            if args.sqlite
            else fresh_postgres(args.postgres_admin_url)
        )
        config = test_environment(fresh_redis(args.redis_url), database_url)
    except (RedisError, SQLAlchemyError) as exc:
        raise SystemExit(f"Redis or PostgreSQL is not reachable ({exc}); `make services`") from exc
    stack = LocalStack(config=config, model_path=model_path, log_dir=work_dir / "logs")
    stop = threading.Event()
    machine = machine_facts()  # before the stack's start-up loads the machine
    print(f"starting the stack (model {model_path}, logs in {stack.log_dir}) …", flush=True)
    try:
        with running(stack, stop):
            report = run_benchmark(args, stack, stop, model_path, machine)
    except KeyboardInterrupt:
        print("\ninterrupted; the stack is stopped", file=sys.stderr)
        return 130
    except RuntimeError as exc:
        print(f"\nthe stack failed: {exc}", file=sys.stderr)
        return 2
    print_report(report)
    if args.json:
        write_json(report, args.json)
        print(f"figures written to {args.json}")
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())
