"""WeChat's retries (same MsgId, or same FromUserName + CreateTime) reach Rasa exactly once."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import requests
from sqlalchemy.engine import Engine

from chat.wechat_sender import (
    WeChatSender,
    event_xml,
    location_event_xml,
    next_msg_id,
    text_xml,
)
from devstack.stack import LocalStack

from .helpers import follower_row, intent_of, rasa_user_events


def own_connection(sender: WeChatSender) -> WeChatSender:
    """The same sender with an HTTP session of its own, for use from another thread."""
    return replace(sender, http=requests.Session())


def deliver_like_wechat(sender: WeChatSender, xml: str) -> list[requests.Response]:
    """The same message three times at once (retries racing the first try), then twice more."""
    with ThreadPoolExecutor(max_workers=3) as pool:
        responses = list(pool.map(lambda _: own_connection(sender).post(xml), range(3)))
    responses += [sender.post(xml) for _ in range(2)]
    return responses


def assert_one_answer_for_all(sender: WeChatSender, responses: list[requests.Response]) -> None:
    """Every delivery answered 200 with the same passive reply, and there is one."""
    assert [response.status_code for response in responses] == [200] * len(responses)
    answers = {sender.reply_text(response) for response in responses}
    assert len(answers) == 1
    assert None not in answers


def test_retried_message_reaches_rasa_once_and_every_retry_gets_the_answer(
    stack: LocalStack, sender: WeChatSender, openid: str
) -> None:
    xml = text_xml(openid, "你好", next_msg_id())

    responses = deliver_like_wechat(sender, xml)

    assert len(responses) == 5
    assert_one_answer_for_all(sender, responses)
    user_events = rasa_user_events(stack, openid)
    assert [event["text"] for event in user_events] == ["你好"]


def test_a_new_msgid_with_the_same_text_is_a_new_turn(
    stack: LocalStack, sender: WeChatSender, openid: str
) -> None:
    first = sender.post(text_xml(openid, "你好", next_msg_id()))
    second = sender.post(text_xml(openid, "你好", next_msg_id()))

    assert sender.reply_text(first) == sender.reply_text(second) is not None
    assert [event["text"] for event in rasa_user_events(stack, openid)] == ["你好", "你好"]


def test_retried_subscribe_event_welcomes_once(
    stack: LocalStack, sender: WeChatSender, openid: str
) -> None:
    xml = event_xml(openid, "subscribe", created=int(time.time()) - 3)

    responses = deliver_like_wechat(sender, xml)

    assert len(responses) == 5
    assert_one_answer_for_all(sender, responses)
    user_events = rasa_user_events(stack, openid)
    assert [(event["text"], intent_of(event)) for event in user_events] == [("/follow", "follow")]


def test_a_new_users_first_events_arriving_together_are_all_taken(
    stack: LocalStack, sender: WeChatSender, stack_db: Engine, openid: str
) -> None:
    # Following with location reporting on: WeChat sends subscribe and LOCATION at once.
    messages = [event_xml(openid, "subscribe"), location_event_xml(openid, 31.2304, 121.4737)] * 2

    with ThreadPoolExecutor(max_workers=len(messages)) as pool:
        responses = list(pool.map(lambda xml: own_connection(sender).post(xml), messages))

    assert [response.status_code for response in responses] == [200] * len(messages)
    assert [response.text for response in responses[1::2]] == ["success", "success"]
    follower = follower_row(stack_db, openid)
    assert follower is not None and follower["followed"] is True
    assert (follower["latitude"], follower["longitude"]) == (31.2304, 121.4737)
