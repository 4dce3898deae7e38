"""Small helpers the integration tests share: read Rasa, the fake WeChat API, Redis and the DB."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import requests
import xmltodict
from redis import Redis
from sqlalchemy import text
from sqlalchemy.engine import Engine

from chat.wechat_sender import WeChatSender, next_msg_id, text_xml
from devstack.stack import LocalStack

T = TypeVar("T")


def ask(sender: WeChatSender, openid: str, message: str) -> str:
    """Send one text message and return the passive reply's text (it must be one)."""
    response = sender.post(text_xml(openid, message, next_msg_id()))
    assert response.status_code == 200, response.text
    answer = sender.reply_text(response)
    assert answer, f"no passive reply for {message!r}: {response.text!r}"
    return answer


def rasa_tracker(stack: LocalStack, openid: str) -> dict[str, Any]:
    """The sender's tracker from Rasa's HTTP API (the API token is required)."""
    assert stack.settings is not None
    response = requests.get(
        f"{stack.settings.rasa_url}/conversations/{openid}/tracker",
        params={"token": stack.settings.rasa_token},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()


def rasa_user_events(stack: LocalStack, openid: str) -> list[dict[str, Any]]:
    """The user turns Rasa recorded for this sender."""
    return [event for event in rasa_tracker(stack, openid)["events"] if event["event"] == "user"]


def rasa_bot_texts(stack: LocalStack, openid: str) -> list[str]:
    """What the bot said to this sender, in order."""
    events = rasa_tracker(stack, openid)["events"]
    return [event.get("text") or "" for event in events if event["event"] == "bot"]


def intent_of(user_event: dict[str, Any]) -> str:
    return (user_event.get("parse_data") or {}).get("intent", {}).get("name", "")


def fake_wechat_url(stack: LocalStack) -> str:
    assert stack.settings is not None
    return stack.settings.wechat_api_base_url.rstrip("/").rsplit("/cgi-bin", 1)[0]


def sent_messages(stack: LocalStack, openid: str) -> list[dict[str, Any]]:
    """Customer-service / template messages the fake WeChat API accepted for this user."""
    response = requests.get(
        f"{fake_wechat_url(stack)}/_fake/messages", params={"openid": openid}, timeout=5
    )
    response.raise_for_status()
    return response.json()["messages"]


def reply_document(body: str) -> dict[str, Any]:
    """The passive reply's XML as a dict (the children of <xml>)."""
    return xmltodict.parse(body)["xml"]


def wait_until(probe: Callable[[], T], timeout: float, interval: float = 0.25) -> T:
    """Call `probe` until it returns something truthy or `timeout` passes; return the last value."""
    deadline = time.monotonic() + timeout
    value = probe()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = probe()
    return value


def turn_keys_of(redis: Redis, openid: str) -> list[str]:
    """Ledger entries (turn hashes) that belong to this user."""
    found = []
    for key in redis.scan_iter(match="turn:*"):
        name = key.decode()
        if name.endswith((":wake", ":delivering")):
            continue
        if redis.hget(name, "openid") == openid.encode():
            found.append(name)
    return found


def follower_row(db: Engine, openid: str) -> dict[str, Any] | None:
    with db.connect() as connection:
        row = connection.execute(
            text("SELECT * FROM followers WHERE openid = :openid"), {"openid": openid}
        ).first()
    return dict(row._mapping) if row is not None else None


def rasa_event_rows(db: Engine, openid: str, type_name: str | None = None) -> list[dict[str, Any]]:
    """Rows of Rasa's SQL tracker store (the `events` table) for this sender, oldest first."""
    query = "SELECT * FROM events WHERE sender_id = :openid"
    if type_name:
        query += " AND type_name = :type_name"
    with db.connect() as connection:
        rows = connection.execute(
            text(query + " ORDER BY id"), {"openid": openid, "type_name": type_name}
        ).all()
    return [dict(row._mapping) for row in rows]


def new_openid(tag: str = "") -> str:
    """A WeChat user no other test has used (the `openid` fixture gives one per test)."""
    return f"o_it_{tag}{uuid.uuid4().hex[:12]}"


def follower_after_message(db: Engine, openid: str, timeout: float = 5.0) -> dict[str, Any] | None:
    """The follower's row once a message of theirs has been recorded (the web app records the
    message time beside answering it, so the row may trail the reply a little)."""

    def recorded() -> dict[str, Any] | None:
        row = follower_row(db, openid)
        return row if row is not None and row["last_message_at"] is not None else None

    return wait_until(recorded, timeout)
