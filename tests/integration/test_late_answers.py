"""The 5-second rule: an answer that misses the passive reply goes out once, by the
customer-service API, and never to a user who has unfollowed."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager

from redis import Redis
from sqlalchemy.engine import Engine

from chat.wechat_sender import WeChatSender, event_xml, next_msg_id, text_xml
from conversation.turns import LATE, SENT, TurnLedger
from devstack.stack import LocalStack

from .helpers import (
    follower_after_message,
    follower_row,
    rasa_bot_texts,
    rasa_user_events,
    sent_messages,
    wait_until,
)

DELIVERY_SECONDS = 15


@contextmanager
def paused(stack: LocalStack, name: str) -> Iterator[None]:
    """Freeze one of the stack's processes (and its children) for the duration of the block."""
    process_group = stack.processes[name].pid
    os.killpg(process_group, signal.SIGSTOP)
    try:
        yield
    finally:
        os.killpg(process_group, signal.SIGCONT)


def test_late_answer_is_sent_once_through_the_customer_service_api(
    stack: LocalStack, late_sender: WeChatSender, stack_redis: Redis, openid: str
) -> None:
    msg_id = next_msg_id()
    xml = text_xml(openid, "你好", msg_id)

    response = late_sender.post(xml)

    assert response.status_code == 200
    assert response.text == "success"
    delivered = wait_until(lambda: sent_messages(stack, openid), DELIVERY_SECONDS)
    assert len(delivered) == 1, delivered
    [bot_text] = rasa_bot_texts(stack, openid)
    assert delivered[0]["kind"] == "custom"
    assert delivered[0]["payload"]["msgtype"] == "text"
    assert delivered[0]["payload"]["text"]["content"] == bot_text
    assert TurnLedger(stack_redis).state(f"msg:{msg_id}") == SENT

    # A retry of the same message after the answer went out: `success`, and nothing is resent.
    assert late_sender.post(xml).text == "success"
    time.sleep(3)
    assert len(sent_messages(stack, openid)) == 1
    assert len(rasa_user_events(stack, openid)) == 1


def test_unsubscribe_is_acknowledged_and_recorded(
    stack: LocalStack, sender: WeChatSender, stack_db: Engine, openid: str
) -> None:
    assert sender.reply_text(sender.post(event_xml(openid, "subscribe")))
    assert follower_row(stack_db, openid)["followed"] is True  # type: ignore[index]

    response = sender.post(event_xml(openid, "unsubscribe"))

    assert response.status_code == 200
    assert response.text == "success"
    follower = follower_row(stack_db, openid)
    assert follower is not None
    assert follower["followed"] is False
    assert follower["unfollowed_at"] is not None
    # Nobody is left to answer: the event never becomes a conversation turn.
    assert [event["text"] for event in rasa_user_events(stack, openid)] == ["/follow"]


def test_late_answer_is_not_sent_to_a_user_who_unfollowed(
    stack: LocalStack,
    sender: WeChatSender,
    late_sender: WeChatSender,
    stack_redis: Redis,
    stack_db: Engine,
    openid: str,
) -> None:
    ledger = TurnLedger(stack_redis)
    msg_id = next_msg_id()
    key = f"msg:{msg_id}"

    def late_answer() -> str:
        record = ledger.get(key)
        return record.answer if record is not None and record.state == LATE else ""

    # The worker is held while the user unfollows, so the order is certain: the answer is ready
    # and queued for delivery (and the message recorded), then the user leaves, then the worker
    # gets to it.
    with paused(stack, "worker"):
        assert late_sender.post(text_xml(openid, "你好", msg_id)).text == "success"
        assert wait_until(late_answer, DELIVERY_SECONDS), "Rasa's answer never reached the ledger"
        assert follower_after_message(stack_db, openid) is not None
        assert sender.post(event_xml(openid, "unsubscribe")).text == "success"
        assert follower_row(stack_db, openid)["followed"] is False  # type: ignore[index]

    assert wait_until(lambda: ledger.state(key) == SENT, DELIVERY_SECONDS), ledger.state(key)
    time.sleep(2)
    assert sent_messages(stack, openid) == []
