"""Shared fixtures. The integration tests share one running stack per session.

The stack is the Procfile's processes (fake WeChat API, Rasa, action server, web, worker) on free
ports, with the machine's Redis (db 13, flushed) and a fresh PostgreSQL database. Fixtures that
start processes are lazy: unit tests that do not ask for them start nothing.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis import Redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from chat.wechat_sender import WeChatSender
from devstack.stack import LocalStack, free_port, test_environment
from settings import PROJECT_ROOT

STACK_REDIS_URL = "redis://127.0.0.1:6379/13"
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
STACK_DATABASE = "jobassist_it"
STACK_DATABASE_URL = f"postgresql://postgres@127.0.0.1:5432/{STACK_DATABASE}"


def trained_model() -> str:
    """RASA_MODEL, else the newest model in models/ (`make model` trains one)."""
    configured = os.environ.get("RASA_MODEL", "").strip()
    if configured:
        return configured
    models = sorted((PROJECT_ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        pytest.fail("no trained model: run `make model` or set RASA_MODEL", pytrace=False)
    return str(models[-1])


def recreate_database() -> None:
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    try:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {STACK_DATABASE} WITH (FORCE)"))
            connection.execute(text(f"CREATE DATABASE {STACK_DATABASE}"))
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    """The whole system, started once per session; ready when /healthz answers 200."""
    with Redis.from_url(STACK_REDIS_URL) as redis:
        redis.flushdb()
    recreate_database()
    running = LocalStack(
        config=test_environment(STACK_REDIS_URL, STACK_DATABASE_URL),
        model_path=trained_model(),
        log_dir=tmp_path_factory.mktemp("stack-logs"),
    )
    start_or_fail(running)
    try:
        yield running
    finally:
        running.stop()


def start_or_fail(stack: LocalStack, timeout: float = 240.0) -> None:
    """Start the stack; when it cannot, fail with the end of every process's log."""
    try:
        stack.start(timeout=timeout)
    except RuntimeError as exc:
        tails = [
            f"--- {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-15:])
            for log in sorted(Path(stack.log_dir).glob("*.log"))
        ]
        pytest.fail(f"{exc}\n" + "\n".join(tails), pytrace=False)


@pytest.fixture(scope="session")
def late_stack(stack: LocalStack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    """A second web process beside the stack with a reply budget of 0 s: every answer is late."""
    running = LocalStack(
        config={**stack.config, "PORT": str(free_port()), "REPLY_BUDGET_SECONDS": "0"},
        model_path=stack.model_path,
        log_dir=tmp_path_factory.mktemp("late-web-logs"),
        only=("web",),
    )
    start_or_fail(running, timeout=60)
    try:
        yield running
    finally:
        running.stop()


def _sender(web: LocalStack, safe_mode: bool = False) -> WeChatSender:
    settings = web.settings
    assert settings is not None
    return WeChatSender(
        webhook_url=f"{web.web_url}/wechat",
        token=settings.wechat_token,
        app_id=settings.wechat_app_id,
        aes_key=settings.wechat_encoding_aes_key,
        safe_mode=safe_mode,
    )


@pytest.fixture(scope="session")
def sender(stack: LocalStack) -> WeChatSender:
    """Posts plaintext messages to the stack's webhook the way WeChat does."""
    return _sender(stack)


@pytest.fixture(scope="session")
def safe_sender(stack: LocalStack) -> WeChatSender:
    """Posts AES-encrypted (safe mode) messages to the stack's webhook."""
    return _sender(stack, safe_mode=True)


@pytest.fixture(scope="session")
def late_sender(late_stack: LocalStack) -> WeChatSender:
    """Posts to the budget-0 web process: answers arrive through the customer-service API."""
    return _sender(late_stack)


@pytest.fixture(scope="session")
def stack_redis(stack: LocalStack) -> Iterator[Redis]:
    client = Redis.from_url(STACK_REDIS_URL)
    yield client
    client.close()


@pytest.fixture(scope="session")
def stack_db(stack: LocalStack) -> Iterator[Engine]:
    engine = create_engine(STACK_DATABASE_URL, future=True)
    yield engine
    engine.dispose()


@pytest.fixture
def openid() -> str:
    """A WeChat user no other test has used."""
    return f"o_it_{uuid.uuid4().hex[:12]}"
