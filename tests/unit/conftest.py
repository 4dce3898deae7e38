"""Fixtures for the unit tests: Redis db 14, fake Rasa, fake WeChat API, and the web app.

Every test that touches Redis works under keys that carry its own unique id and removes them
afterwards, so the suite can share db 14 with other runs.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

# Before anything imports Rasa or TensorFlow.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

import pytest
from redis import Redis
from redis.exceptions import RedisError

import server
import worker.jobs
import worker.push_jobs
import worker.registration_jobs
from conversation.turns import TurnLedger
from runtime import Runtime, build_runtime
from settings import load_settings
from storage.db import engine_for
from storage.models import Base

from .support import (
    TEST_REDIS_URL,
    FakeRasa,
    FakeWeChat,
    Harness,
    MakeApp,
    TrackingExecutor,
    app_environment,
    isolate,
    purge_redis,
)


@pytest.fixture
def fake_rasa() -> Iterator[FakeRasa]:
    fake = FakeRasa().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_wechat() -> Iterator[FakeWeChat]:
    fake = FakeWeChat()
    yield fake
    fake.stop()


# ---------------------------------------------------------------------------------------------
# Redis


@pytest.fixture(scope="session")
def redis_client() -> Iterator[Redis]:
    client = Redis.from_url(TEST_REDIS_URL)
    try:
        client.ping()
    except RedisError as exc:
        pytest.fail(f"the unit tests need Redis at {TEST_REDIS_URL}: {exc}", pytrace=False)
    yield client
    client.close()


@pytest.fixture
def unique() -> str:
    """An id for this test: its Redis keys, queue, openids and AppId carry it."""
    return uuid.uuid4().hex[:12]


@pytest.fixture
def ledger(redis_client: Redis, unique: str) -> Iterator[TurnLedger]:
    yield TurnLedger(redis_client, prefix=f"test:{unique}:turn")
    purge_redis(redis_client, unique, [])


# ---------------------------------------------------------------------------------------------
# Database


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 't.db'}"
    Base.metadata.create_all(engine_for(url))
    yield url
    engine_for(url).dispose()


# ---------------------------------------------------------------------------------------------
# Settings, runtime and the web app


@pytest.fixture
def make_app(
    unique: str,
    database_url: str,
    fake_rasa: FakeRasa,
    fake_wechat: FakeWeChat,
    redis_client: Redis,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[MakeApp]:
    """Build the web app against the fakes; keyword arguments override environment names."""
    built: list[Harness] = []

    def build(**overrides: str) -> Harness:
        environment = app_environment(
            unique, database_url, fake_rasa.url, fake_wechat.base_url, **overrides
        )
        app = server.create_app(environment)
        app.config.update(TESTING=True)
        runtime: Runtime = app.extensions["runtime"]
        isolate(runtime, unique)
        app.extensions["turn_executor"].shutdown(wait=False)
        executor = TrackingExecutor()
        app.extensions["turn_executor"] = executor
        # The worker builds its runtime from the environment; here it shares the app's.
        monkeypatch.setattr(worker.jobs, "worker_runtime", lambda: runtime)
        monkeypatch.setattr(worker.push_jobs, "worker_runtime", lambda: runtime)
        monkeypatch.setattr(worker.registration_jobs, "worker_runtime", lambda: runtime)
        harness = Harness(
            app=app,
            client=app.test_client(),
            runtime=runtime,
            unique=unique,
            fake_rasa=fake_rasa,
            fake_wechat=fake_wechat,
            executor=executor,
        )
        built.append(harness)
        return harness

    yield build

    fake_rasa.release()
    for harness in built:
        harness.executor.shutdown(wait=True)
        purge_redis(redis_client, unique, [harness.runtime.queue.name])
        harness.runtime.redis.close()


@pytest.fixture
def harness(make_app: MakeApp) -> Harness:
    """The web app with a generous reply budget (fake Rasa answers at once)."""
    return make_app()


@pytest.fixture
def worker_runtime(
    unique: str,
    database_url: str,
    fake_rasa: FakeRasa,
    fake_wechat: FakeWeChat,
    redis_client: Redis,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Runtime]:
    """The runtime a worker builds, pointed at the fakes and patched into the worker's jobs."""
    runtime = build_runtime(
        load_settings(app_environment(unique, database_url, fake_rasa.url, fake_wechat.base_url))
    )
    isolate(runtime, unique)
    monkeypatch.setattr(worker.jobs, "worker_runtime", lambda: runtime)
    monkeypatch.setattr(worker.push_jobs, "worker_runtime", lambda: runtime)
    monkeypatch.setattr(worker.registration_jobs, "worker_runtime", lambda: runtime)
    yield runtime
    fake_rasa.release()
    purge_redis(redis_client, unique, [runtime.queue.name])
    runtime.redis.close()
