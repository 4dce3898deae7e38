"""Helpers for the unit tests: WeChat messages, fake Rasa, fake WeChat API, and the app harness.

The fixtures that build these live in conftest.py.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from rq import Queue, SimpleWorker
from rq.registry import (
    CanceledJobRegistry,
    DeferredJobRegistry,
    FailedJobRegistry,
    FinishedJobRegistry,
    ScheduledJobRegistry,
    StartedJobRegistry,
)
from sqlalchemy import select
from werkzeug.serving import make_server
from werkzeug.test import TestResponse

from chat.wechat_sender import WeChatSender
from conversation.turns import TurnLedger
from fake_wechat.app import FakeWeChatState, create_fake_wechat_app
from jobs.geo import coordinates_of
from registration.store import RegistrationAnswers, submit
from runtime import Runtime
from settings import today
from storage.db import session_scope
from storage.models import APPROVED, PENDING, Employer, Follower, Posting, utcnow
from storage.sealed import seal

FIXTURES = Path(__file__).parent / "fixtures"
TEST_REDIS_URL = "redis://127.0.0.1:6379/14"
RASA_TOKEN = "test-rasa-token"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
# A valid Fernet key, so nothing in dev mode has to generate one in instance/.
DATA_KEY = "ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg="

logging.getLogger("werkzeug").setLevel(logging.WARNING)


# ---------------------------------------------------------------------------------------------
# WeChat messages


def message_xml(
    name: str,
    openid: str = "o_fixture_user",
    msg_id: int | None = None,
    created: int | None = None,
) -> str:
    """A WeChat message from fixtures/messages/, with its sender, MsgId and CreateTime replaced."""
    xml = (FIXTURES / "messages" / f"{name}.xml").read_text(encoding="utf-8")
    xml = xml.replace("o_fixture_user", openid)
    if msg_id is not None:
        xml = re.sub(r"<MsgId>\d+</MsgId>", f"<MsgId>{msg_id}</MsgId>", xml)
    if created is not None:
        xml = re.sub(r"<CreateTime>\d+</CreateTime>", f"<CreateTime>{created}</CreateTime>", xml)
    return xml


def official_aes_sample() -> dict[str, Any]:
    return json.loads((FIXTURES / "wechat_official_aes_sample.json").read_text(encoding="utf-8"))


_msg_ids = itertools.count(7_000_000_000_000_000 + uuid.uuid4().int % 10**15)


def new_msg_id() -> int:
    return next(_msg_ids)


# ---------------------------------------------------------------------------------------------
# Loopback servers


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def closed_port_url() -> str:
    """A loopback URL nobody listens on: connecting is refused."""
    return f"http://127.0.0.1:{free_port()}"


@dataclass
class RasaTurn:
    """One request the fake Rasa received on the gateway channel."""

    sender: str
    message: str
    metadata: dict[str, Any]
    authorization: str


RasaAnswer = Callable[[RasaTurn], "tuple[int, Any]"]


def echo_answer(turn: RasaTurn) -> tuple[int, Any]:
    return 200, [{"recipient_id": turn.sender, "text": f"收到：{turn.message}"}]


class FakeRasa:
    """Rasa's gateway channel, /status and the action server's /health on one loopback port.

    `hold()` makes the gateway wait (until `release()`) after recording a turn, so a test can
    have Rasa be slow without sleeping. `stop()` and `start()` make it unreachable and back.
    """

    def __init__(self, token: str = RASA_TOKEN) -> None:
        self.token = token
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.turns: list[RasaTurn] = []
        self.answer: RasaAnswer = echo_answer
        self.status_body: dict[str, Any] = {"model_file": "models/unit-test.tar.gz"}
        self.gate = threading.Event()
        self.gate.set()
        self._arrivals = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- control ---------------------------------------------------------------------------
    def start(self) -> FakeRasa:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: Any) -> None:  # quiet
                pass

            def _json(self, status: int, body: Any) -> None:
                data = json.dumps(body, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                if self.path.startswith("/status"):
                    self._json(200, fake.status_body)
                elif self.path.startswith("/health"):
                    self._json(200, {"status": "OK"})
                else:
                    self._json(404, {"error": "not found"})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length) or b"{}")
                authorization = self.headers.get("Authorization", "")
                if self.path != "/webhooks/gateway/webhook":
                    self._json(404, {"error": "not found"})
                    return
                if authorization != f"Bearer {fake.token}":
                    self._json(401, {"error": "unauthorised"})
                    return
                turn = RasaTurn(
                    sender=payload.get("sender", ""),
                    message=payload.get("message", ""),
                    metadata=payload.get("metadata") or {},
                    authorization=authorization,
                )
                with fake._arrivals:
                    fake.turns.append(turn)
                    fake._arrivals.notify_all()
                fake.gate.wait(timeout=30)
                status, body = fake.answer(turn)
                if isinstance(body, bytes | str):
                    data = body.encode("utf-8") if isinstance(body, str) else body
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                else:
                    self._json(status, body)

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self.gate.set()
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def hold(self) -> None:
        self.gate.clear()

    def release(self) -> None:
        self.gate.set()

    def answer_with(self, messages: list[dict[str, Any]], status: int = 200) -> None:
        self.answer = lambda _turn: (status, messages)

    # -- observation -------------------------------------------------------------------------
    def wait_for_turns(self, count: int, timeout: float = 15.0) -> bool:
        with self._arrivals:
            return self._arrivals.wait_for(lambda: len(self.turns) >= count, timeout=timeout)

    @property
    def messages(self) -> list[str]:
        return [turn.message for turn in self.turns]


class FakeWeChat:
    """`fake_wechat.app` served on a loopback port, as the worker's WeChat API host."""

    def __init__(self) -> None:
        self.app = create_fake_wechat_app()
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.root = f"http://127.0.0.1:{self._server.port}"
        self.base_url = f"{self.root}/cgi-bin/"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    @property
    def state(self) -> FakeWeChatState:
        return self.app.extensions["fake_wechat"]

    def sent(self, openid: str | None = None) -> list[dict[str, Any]]:
        params = {"openid": openid} if openid else {}
        return requests.get(f"{self.root}/_fake/messages", params=params, timeout=5).json()[
            "messages"
        ]

    def texts_to(self, openid: str) -> list[str]:
        return [message["payload"]["text"]["content"] for message in self.sent(openid)]

    def fail_sends_to(self, openid: str, errcode: int) -> None:
        requests.post(
            f"{self.root}/_fake/errors", json={"openid": openid, "errcode": errcode}, timeout=5
        ).raise_for_status()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def purge_redis(redis: Redis, unique: str, queue_names: list[str]) -> None:
    """Delete every key a test made: its prefixed keys, its RQ queues, jobs and workers."""
    for name in queue_names:
        queue = Queue(name, connection=redis)
        job_ids = set(queue.get_job_ids())
        for registry_class in (
            StartedJobRegistry,
            FinishedJobRegistry,
            FailedJobRegistry,
            DeferredJobRegistry,
            ScheduledJobRegistry,
            CanceledJobRegistry,
        ):
            job_ids.update(registry_class(queue=queue).get_job_ids())
        for job_id in job_ids:
            redis.delete(f"rq:job:{job_id}", f"rq:job:{job_id}:dependents", f"rq:results:{job_id}")
        redis.srem("rq:queues", queue.key)
    for key in redis.scan_iter(match=f"*{unique}*", count=1000):
        redis.delete(key)
    for member in redis.smembers("rq:workers"):
        if unique.encode() in member:
            redis.srem("rq:workers", member)


def follower(database_url: str, openid: str) -> Follower | None:
    with session_scope(database_url) as session:
        return session.get(Follower, openid)


def add_posting(
    database_url: str,
    data_key: str,
    title: str = "会计",
    city: str = "武汉",
    contact: str = "人事部王经理 13800001234",
    valid_days: int = 30,
    approved: bool = True,
    employer: str = "武汉楚天科技有限公司（示例）",
) -> int:
    """A posting (approved, of an approved employer, unless told) valid ``valid_days`` more
    days; its id. The employer is found by name or created."""
    with session_scope(database_url) as session:
        owner = session.execute(select(Employer).where(Employer.name == employer)).scalar()
        posting = Posting(
            employer=owner or Employer(name=employer, state=APPROVED),
            title=title,
            city=city,
            salary_min=4000,
            salary_max=6000,
            requirements="会用财务软件",
            education="大专",
            suits="应届毕业生",
            part_time=False,
            contact_sealed=seal(contact, data_key),
            source="单位直接提供",
            valid_until=today() + timedelta(days=valid_days),
            state=APPROVED if approved else PENDING,
            **coordinates_of(city, None),
        )
        session.add(posting)
        session.flush()
        return int(posting.id)


# GB 11643: the weights of an ID number's first 17 digits and the check character of (sum mod 11).
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARACTERS = "10X98765432"


def id_number(serial: int, born: str = "19900307", region: str = "420111") -> str:
    """An invented resident ID number (Wuhan's Hongshan district) with a valid check character."""
    first = f"{region}{born}{serial % 1000:03d}"
    total = sum(int(digit) * weight for digit, weight in zip(first, ID_WEIGHTS, strict=True))
    return first + ID_CHECK_CHARACTERS[total % 11]


def registration_answers(serial: int = 1, **fields: Any) -> RegistrationAnswers:
    """Invented but valid-looking answers of the registration form; ``serial`` varies the
    person (ID number and phone)."""
    values: dict[str, Any] = {
        "name": "欧阳建锋",
        "id_number": id_number(serial),
        "phone": f"1390271{serial % 10000:04d}",
        "city": "武汉",
        "district": "洪山区",
        "place_kind": "常住地",
        "group": "农民工",
        "last_job": "普工",
        "leave_reason": "合同到期",
        "wanted_job": "电工",
        "wanted_city": "武汉",
        "wants_training": True,
    }
    values.update(fields)
    return RegistrationAnswers(**values)


def add_registration(
    database_url: str,
    openid: str,
    serial: int = 1,
    submitted_at: datetime | None = None,
    **fields: Any,
) -> str:
    """A pending registration made from ``openid`` (see ``registration_answers``); its
    reference."""
    with session_scope(database_url) as session:
        registration, _created = submit(
            session,
            openid,
            registration_answers(serial, **fields),
            DATA_KEY,
            submitted_at or utcnow(),
        )
        return str(registration.reference)


def app_environment(
    unique: str, database_url: str, rasa_url: str, wechat_url: str, **overrides: str
) -> dict[str, str]:
    """Environment names for `create_app` / `load_settings`: dev mode, nothing left to generate."""
    environment = {
        "APP_ENV": "development",
        "WECHAT_TOKEN": f"token-{unique}",
        "WECHAT_APP_ID": f"wx{unique}",
        "WECHAT_APP_SECRET": f"secret-{unique}",
        "WECHAT_ENCODING_AES_KEY": AES_KEY,
        "WECHAT_API_BASE_URL": wechat_url,
        "RASA_URL": rasa_url,
        "RASA_TOKEN": RASA_TOKEN,
        "ACTION_SERVER_URL": f"{rasa_url}/webhook",
        "SECRET_KEY": f"secret-key-{unique}",
        "DATA_KEY": DATA_KEY,
        "REDIS_URL": TEST_REDIS_URL,
        "DATABASE_URL": database_url,
        "REPLY_BUDGET_SECONDS": "10",
    }
    environment.update(overrides)
    return environment


def isolate(runtime: Runtime, unique: str) -> None:
    """Give a runtime this test's own turn keys and queue on the shared test database."""
    runtime.ledger = TurnLedger(runtime.redis, prefix=f"test:{unique}:turn")
    runtime.queue = Queue(f"test-{unique}", connection=runtime.redis)


def run_worker(runtime: Runtime, name: str) -> None:
    """Run the queued jobs in this process, as `python -m worker` would, then stop."""
    SimpleWorker([runtime.queue], connection=runtime.redis, name=name).work(burst=True)


class TrackingExecutor(ThreadPoolExecutor):
    """The app's turn executor, remembering its futures so a test can wait for every turn."""

    def __init__(self) -> None:
        super().__init__(max_workers=8, thread_name_prefix="test-turn")
        self.futures: list[Future[Any]] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = super().submit(fn, *args, **kwargs)
        self.futures.append(future)
        return future

    def settle(self, timeout: float = 30.0) -> None:
        """Wait for every turn handed to Rasa so far; re-raise what any of them raised."""
        for future in list(self.futures):
            future.result(timeout=timeout)


@dataclass
class Harness:
    """The web app built by `server.create_app`, with its fakes and a way to run the worker."""

    app: Flask
    client: FlaskClient
    runtime: Runtime
    unique: str
    fake_rasa: FakeRasa
    fake_wechat: FakeWeChat
    executor: TrackingExecutor
    _workers: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def database_url(self) -> str:
        return self.runtime.settings.database_url

    def openid(self, name: str = "user") -> str:
        return f"o_{name}_{self.unique}"

    def sender(self, safe: bool = False, app_id: str | None = None) -> WeChatSender:
        settings = self.runtime.settings
        return WeChatSender(
            webhook_url="http://unused.invalid/wechat",
            token=settings.wechat_token,
            app_id=app_id or settings.wechat_app_id,
            aes_key=settings.wechat_encoding_aes_key,
            safe_mode=safe,
        )

    def post(
        self,
        xml: str,
        safe: bool = False,
        app_id: str | None = None,
        client: FlaskClient | None = None,
    ) -> TestResponse:
        """POST a message as WeChat does: signed, and encrypted in safe mode."""
        params, body = self.sender(safe, app_id).query(xml)
        return (client or self.client).post(
            "/wechat",
            query_string=params,
            data=body.encode("utf-8"),
            headers={"Content-Type": "text/xml"},
        )

    def reply_text(self, response: TestResponse, safe: bool = False) -> str | None:
        """The passive reply's Content (decrypted in safe mode), None for `success`."""
        return self.sender(safe).reply_text(response)  # type: ignore[arg-type]

    def settle(self) -> None:
        self.executor.settle()

    def run_worker(self) -> None:
        run_worker(self.runtime, f"test-{self.unique}-{next(self._workers)}")

    def queued(self) -> int:
        return self.runtime.queue.count

    def follower(self, openid: str) -> Follower | None:
        return follower(self.database_url, openid)


# `make_app(**environment_overrides)`: the fixture that builds a Harness.
MakeApp = Callable[..., Harness]
