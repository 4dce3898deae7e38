"""Job search latency over 10,000 postings, and the fan-out of one posting to 100,000 subscribers.

Usage:
    python -m bench.jobs_search_and_push [--postings 10000] [--subscribers 100000]
        [--deliveries 2000] [--rounds 20] [--sqlite] [--json PATH]

Method
    A fresh database (PostgreSQL `jobassist_bench_jobs`, or a temporary SQLite file with --sqlite)
    migrated as in production, the machine's Redis (db 12, flushed first) and the fake WeChat API
    on loopback. Each figure is paired with a baseline measured in the same run, on the same
    database and connections, so the ratios hold while the machine's load varies.

    search     `jobs.search.search` for twelve searches people send ("武汉 会计", "西安 兼职",
               "月薪5000以上的司机", "适合高校毕业生", "附近的保安" with a shared place, "全部" …),
               each run --rounds times, first over a tenth of the postings, then over all of them.
               Baseline: reading the same page's postings by their ids (one query, same join):
               the ratio is the price of finding and ranking them.
    plan       `jobs.pushes.plan_pushes` for one posting that --subscribers subscriptions match
               (a fifth more that do not match are there too): one INSERT … SELECT.
               Baseline: the same rows copied by a bare INSERT … SELECT with no matching.
    enqueue    the delivery jobs for those pushes (500 a job) put on the RQ queue.
    deliver    `worker.push_jobs.deliver_push` for --deliveries of them, one after another in one
               process, through the fake WeChat API (customer-service messages).
               Baseline: the same number of bare customer-service sends with the same client.
               The projection for all subscribers is per-push time × subscribers ÷ workers.

    Percentiles are nearest-rank. Nothing here is a pass/fail target; the exit status is 1 only when
    a check fails (a search finds nothing it should, or a push is not sent exactly once).
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from redis import Redis
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session, contains_eager
from werkzeug.serving import make_server

from devstack.sample_postings import add_approved_sample
from devstack.stack import test_environment
from fake_wechat.app import create_fake_wechat_app
from jobs.criteria import SearchCriteria
from jobs.pushes import DailyLimit, plan_pushes, queued_push_ids
from jobs.search import search
from runtime import build_runtime
from settings import load_settings
from storage.db import session_scope
from storage.followers import Place
from storage.migrate import upgrade
from storage.models import (
    APPROVED,
    Employer,
    Follower,
    JobPush,
    Posting,
    Subscription,
    utcnow,
)
from storage.sealed import seal
from wechat_api.customer_service import send_text
from worker.push_jobs import BATCH_SIZE, DELIVER_JOB, deliver_push

REDIS_URL = "redis://127.0.0.1:6379/12"
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
BENCH_DATABASE = "jobassist_bench_jobs"
INSERT_BATCH = 10_000

SEARCHES: tuple[tuple[str, SearchCriteria], ...] = (
    ("武汉 会计", SearchCriteria(city="武汉", occupation="会计")),
    ("西安 兼职", SearchCriteria(city="西安", part_time=True)),
    ("遂宁的工作", SearchCriteria(city="遂宁")),
    ("月薪5000以上的司机", SearchCriteria(occupation="司机", salary_floor=5000)),
    ("适合高校毕业生", SearchCriteria(suits="高校毕业生")),
    ("成都 普工 农民工", SearchCriteria(city="成都", occupation="普工", suits="农民工")),
    ("附近的保安（在洪山）", SearchCriteria(occupation="保安", near=True)),
    ("附近的工作（在雁塔）", SearchCriteria(near=True)),
    ("宜昌 客服 残疾人", SearchCriteria(city="宜昌", occupation="客服", suits="残疾人")),
    ("月薪过万", SearchCriteria(salary_floor=10_000)),
    ("延安 兼职", SearchCriteria(city="延安", part_time=True)),
    ("全部", SearchCriteria()),
)
PLACES = {
    "附近的保安（在洪山）": Place(30.50, 114.34, "洪山区"),
    "附近的工作（在雁塔）": Place(34.22, 108.95, "雁塔区"),
}


def percentile(values: list[float], percent: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


def timed(action: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[float, Any]:
    """Milliseconds ``action(*args, **kwargs)`` took, and what it returned."""
    start = time.perf_counter()
    result = action(*args, **kwargs)
    return (time.perf_counter() - start) * 1000, result


# ── set-up ──────────────────────────────────────────────────────────────────────────────────────


@contextmanager
def bench_database(use_sqlite: bool) -> Iterator[str]:
    if use_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'bench.db'}"
        return
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {BENCH_DATABASE}"))
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{BENCH_DATABASE}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)"))
        admin.dispose()


# ── search ──────────────────────────────────────────────────────────────────────────────────────


def page_by_ids(session: Session, ids: list[int]) -> list[Posting]:
    query = (
        select(Posting)
        .join(Posting.employer)
        .options(contains_eager(Posting.employer))
        .where(Posting.id.in_(ids))
    )
    return list(session.execute(query).unique().scalars())


def measure_search(database_url: str, rounds: int) -> dict[str, Any]:
    search_ms: list[float] = []
    baseline_ms: list[float] = []
    per_search: dict[str, float] = {}
    empty: list[str] = []
    today = date.today()
    with session_scope(database_url) as session:
        for name, criteria in SEARCHES:  # warm-up: plans cached, pages in memory
            search(session, criteria, today, place=PLACES.get(name))
        for name, criteria in SEARCHES:
            times = []
            for _ in range(rounds):
                elapsed, page = timed(search, session, criteria, today, place=PLACES.get(name))
                ids = [posting.id for posting in page.postings]
                session.expunge_all()
                base, _rows = timed(page_by_ids, session, ids)
                session.expunge_all()
                times.append(elapsed)
                search_ms.append(elapsed)
                baseline_ms.append(base)
            per_search[name] = statistics.median(times)
            if not page.postings:
                empty.append(name)
    return {
        "search_p50_ms": statistics.median(search_ms),
        "search_p95_ms": percentile(search_ms, 95),
        "baseline_p50_ms": statistics.median(baseline_ms),
        "ratio_p50": statistics.median(search_ms) / statistics.median(baseline_ms),
        "per_search_p50_ms": per_search,
        "searches_with_no_result": empty,
    }


# ── fan-out ─────────────────────────────────────────────────────────────────────────────────────


def add_subscribers(database_url: str, matching: int, other: int) -> None:
    shapes = (
        {},
        {"city": "武汉"},
        {"occupation": "会计"},
        {"city": "武汉", "occupation": "会计"},
        {"salary_floor": 4000},
    )
    now = utcnow()
    with session_scope(database_url) as session:
        rows: list[dict[str, Any]] = []
        followers: list[dict[str, Any]] = []
        for number in range(matching + other):
            criteria = shapes[number % len(shapes)] if number < matching else {"city": "西安"}
            openid = f"o_bench_{number:07d}"
            # Every row names every column: executemany takes its columns from the first row.
            rows.append(
                {
                    **dict.fromkeys(("city", "occupation", "salary_floor", "part_time", "suits")),
                    **criteria,
                    "openid": openid,
                    "criteria_key": json.dumps(criteria),
                    "created_at": now,
                }
            )
            followers.append({"openid": openid, "followed": True, "last_message_at": now})
            if len(rows) == INSERT_BATCH:
                session.execute(Subscription.__table__.insert(), rows)
                session.execute(Follower.__table__.insert(), followers)
                rows, followers = [], []
        if rows:
            session.execute(Subscription.__table__.insert(), rows)
            session.execute(Follower.__table__.insert(), followers)


def new_posting(database_url: str, data_key: str) -> int:
    with session_scope(database_url) as session:
        employer = Employer(name="武汉楚天科技有限公司（压测）", state=APPROVED)
        posting = Posting(
            employer=employer,
            title="会计",
            city="武汉",
            district="洪山区",
            salary_min=4500,
            salary_max=7000,
            requirements="持初级会计证",
            education="大专",
            suits="应届毕业生",
            part_time=False,
            contact_sealed=seal("人事部王经理 13800000000", data_key),
            source="单位直接提供",
            valid_until=date.today() + timedelta(days=30),
            state=APPROVED,
        )
        session.add(posting)
        session.flush()
        return int(posting.id)


def bare_copy(database_url: str, posting_id: int, matching: int) -> float:
    """The baseline: as many rows copied into a scratch table with no matching at all."""
    with session_scope(database_url) as session:
        session.execute(text("CREATE TABLE scratch_pushes AS SELECT * FROM job_pushes WHERE 1 = 0"))
    with session_scope(database_url) as session:
        elapsed, _ = timed(
            lambda: session.execute(
                text(
                    "INSERT INTO scratch_pushes (openid, posting_id, state, created_at) "
                    "SELECT openid, :posting, 'queued', created_at FROM subscriptions "
                    "ORDER BY id LIMIT :count"
                ),
                {"posting": posting_id, "count": matching},
            )
        )
    with session_scope(database_url) as session:
        session.execute(text("DROP TABLE scratch_pushes"))
    return elapsed


def measure_fan_out(runtime: Any, matching: int, other: int, deliveries: int) -> dict[str, Any]:
    settings = runtime.settings
    add_subscribers(settings.database_url, matching, other)
    posting_id = new_posting(settings.database_url, settings.data_key)
    baseline_ms = bare_copy(settings.database_url, posting_id, matching)
    with session_scope(settings.database_url) as session:
        posting = session.get(Posting, posting_id)
        plan_ms, planned = timed(plan_pushes, session, posting, utcnow())
    with session_scope(settings.database_url) as session:
        ids = queued_push_ids(session, posting_id)
    runtime.redis.delete(runtime.queue.key)
    enqueue_ms, _ = timed(
        lambda: [
            runtime.queue.enqueue(DELIVER_JOB, ids[start : start + BATCH_SIZE])
            for start in range(0, len(ids), BATCH_SIZE)
        ]
    )
    jobs_queued = runtime.queue.count
    runtime.queue.empty()

    sample = ids[:deliveries]
    limit = DailyLimit(runtime.redis, settings.push_daily_limit)
    deliver_ms, outcomes = timed(
        lambda: [deliver_push(runtime, limit, push_id) for push_id in sample]
    )
    bare_ms, _ = timed(
        lambda: [
            send_text(runtime.wechat, f"o_bench_bare_{n}", "新岗位") for n in range(deliveries)
        ]
    )
    with session_scope(settings.database_url) as session:
        sent = session.execute(
            select(func.count(JobPush.id)).where(JobPush.id.in_(sample), JobPush.state == "sent")
        ).scalar_one()
    again = [deliver_push(runtime, limit, push_id) for push_id in sample[:100]]
    per_push = deliver_ms / max(1, len(sample))
    return {
        "subscribers_matching": matching,
        "subscribers_not_matching": other,
        "pushes_planned": planned,
        "plan_ms": plan_ms,
        "plan_baseline_ms": baseline_ms,
        "plan_ratio": plan_ms / baseline_ms,
        "delivery_jobs": jobs_queued,
        "enqueue_ms": enqueue_ms,
        "deliveries_measured": len(sample),
        "deliver_ms_per_push": per_push,
        "bare_send_ms_per_push": bare_ms / max(1, deliveries),
        "deliver_ratio": deliver_ms / bare_ms,
        "projected_delivery_s_per_worker": per_push * matching / 1000,
        "sent_once": sent == len(sample) and all(outcome == "skipped" for outcome in again),
        "outcomes": sorted(set(outcomes)),
    }


# ── main ────────────────────────────────────────────────────────────────────────────────────────


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=10_000)
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--deliveries", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    fake = create_fake_wechat_app()
    server = make_server("127.0.0.1", 0, fake, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    redis = Redis.from_url(REDIS_URL)
    redis.flushdb()
    figures: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    }
    try:
        with bench_database(args.sqlite) as database_url:
            environment = test_environment(
                REDIS_URL,
                database_url,
                WECHAT_API_BASE_URL=f"http://127.0.0.1:{server.port}/cgi-bin/",
            )
            runtime = build_runtime(load_settings(environment))
            upgrade(database_url)
            data_key = runtime.settings.data_key
            tenth = max(1, args.postings // 10)
            add_approved_sample(database_url, data_key, tenth, date.today(), seed=1)
            figures["search_tenth"] = {
                "postings": tenth,
                **measure_search(database_url, args.rounds),
            }
            add_approved_sample(database_url, data_key, args.postings - tenth, date.today(), seed=2)
            figures["search"] = {
                "postings": args.postings,
                **measure_search(database_url, args.rounds),
            }
            figures["search"]["growth_p50"] = (
                figures["search"]["search_p50_ms"] / figures["search_tenth"]["search_p50_ms"]
            )
            figures["fan_out"] = measure_fan_out(
                runtime, args.subscribers, args.subscribers // 5, args.deliveries
            )
            figures["database"] = "sqlite" if args.sqlite else "postgresql"
    finally:
        server.shutdown()
        redis.flushdb()

    report(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    failed = figures["search"]["searches_with_no_result"] or not figures["fan_out"]["sent_once"]
    return 1 if failed else 0


def report(figures: dict[str, Any]) -> None:
    search_all, tenth, fan = figures["search"], figures["search_tenth"], figures["fan_out"]
    print(f"database: {figures['database']}, {figures['machine']['cpus']} CPUs")
    print(
        f"search over {search_all['postings']:,} postings: "
        f"p50 {search_all['search_p50_ms']:.1f} ms, "
        f"p95 {search_all['search_p95_ms']:.1f} ms; baseline (same page by id) "
        f"{search_all['baseline_p50_ms']:.1f} ms; ratio {search_all['ratio_p50']:.1f}x"
    )
    print(
        f"search over {tenth['postings']:,} postings: p50 {tenth['search_p50_ms']:.1f} ms; "
        f"10x the postings costs {search_all['growth_p50']:.2f}x"
    )
    for name, value in search_all["per_search_p50_ms"].items():
        print(f"  {name:<24} {value:6.1f} ms")
    print(
        f"fan-out to {fan['subscribers_matching']:,} subscribers "
        f"(+{fan['subscribers_not_matching']:,} not matching): plan {fan['plan_ms']:.0f} ms "
        f"for {fan['pushes_planned']:,} pushes; "
        f"baseline bare copy {fan['plan_baseline_ms']:.0f} ms; "
        f"ratio {fan['plan_ratio']:.2f}x; {fan['delivery_jobs']} delivery jobs queued in "
        f"{fan['enqueue_ms']:.0f} ms"
    )
    print(
        f"delivery: {fan['deliver_ms_per_push']:.2f} ms a push over {fan['deliveries_measured']:,} "
        f"(bare send {fan['bare_send_ms_per_push']:.2f} ms; ratio {fan['deliver_ratio']:.2f}x); "
        f"{fan['projected_delivery_s_per_worker']:.0f} s for all per worker process; "
        f"sent exactly once: {fan['sent_once']}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
