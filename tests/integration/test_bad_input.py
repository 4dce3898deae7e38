"""Requests that are not WeChat's, or not readable: refused before Redis, Rasa or the database."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests
from redis import Redis
from sqlalchemy.engine import Engine

from chat.wechat_sender import WeChatSender, next_msg_id, text_xml
from devstack.stack import LocalStack

from .helpers import follower_row, rasa_user_events, turn_keys_of

Params = dict[str, str]
# (sender, openid, msg_id) -> (query parameters, body, expected status)
BadRequest = Callable[[WeChatSender, str, int], tuple[Params, bytes, int]]


def _signed(sender: WeChatSender) -> Params:
    params, _ = sender.query(None)
    return params


def bad_signature(sender: WeChatSender, openid: str, msg_id: int) -> tuple[Params, bytes, int]:
    params = {**_signed(sender), "signature": "0" * 40}
    return params, text_xml(openid, "你好", msg_id).encode(), 403


def not_xml(sender: WeChatSender, openid: str, msg_id: int) -> tuple[Params, bytes, int]:
    body = f'{{"FromUserName": "{openid}", "Content": "你好", "MsgId": {msg_id}}}'
    return _signed(sender), body.encode(), 400


def dtd_with_entities(sender: WeChatSender, openid: str, msg_id: int) -> tuple[Params, bytes, int]:
    body = (
        '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "你好你好你好">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f"<xml><ToUserName>gh_jobassist</ToUserName><FromUserName>{openid}</FromUserName>"
        f"<CreateTime>1700000000</CreateTime><MsgType>text</MsgType><Content>&b;</Content>"
        f"<MsgId>{msg_id}</MsgId></xml>"
    )
    return _signed(sender), body.encode(), 400


def over_one_megabyte(sender: WeChatSender, openid: str, msg_id: int) -> tuple[Params, bytes, int]:
    body = text_xml(openid, "岗" * 400_000, msg_id).encode()
    assert len(body) > 1_000_000
    return _signed(sender), body, 400


def without_sender(sender: WeChatSender, openid: str, msg_id: int) -> tuple[Params, bytes, int]:
    xml = text_xml(openid, "你好", msg_id)
    body = xml.replace(f"<FromUserName><![CDATA[{openid}]]></FromUserName>", "")
    assert "FromUserName" not in body
    return _signed(sender), body.encode(), 400


BAD_REQUESTS: list[BadRequest] = [
    bad_signature,
    not_xml,
    dtd_with_entities,
    over_one_megabyte,
    without_sender,
]


@pytest.mark.parametrize("bad_request", BAD_REQUESTS, ids=lambda case: case.__name__)
def test_bad_request_is_refused_and_leaves_no_trace(
    stack: LocalStack,
    sender: WeChatSender,
    stack_redis: Redis,
    stack_db: Engine,
    openid: str,
    bad_request: BadRequest,
) -> None:
    msg_id = next_msg_id()
    params, body, expected_status = bad_request(sender, openid, msg_id)

    response = requests.post(
        sender.webhook_url,
        params=params,
        data=body,
        headers={"Content-Type": "text/xml"},
        timeout=15,
    )

    assert response.status_code == expected_status, response.text
    assert "Traceback" not in response.text
    assert not stack_redis.exists(f"turn:msg:{msg_id}")
    assert turn_keys_of(stack_redis, openid) == []
    assert follower_row(stack_db, openid) is None
    assert rasa_user_events(stack, openid) == []


def test_url_verification_echoes_echostr_only_when_signed(sender: WeChatSender) -> None:
    params = {**_signed(sender), "echostr": "8234791523984"}

    good = requests.get(sender.webhook_url, params=params, timeout=10)
    forged = requests.get(sender.webhook_url, params={**params, "signature": "1" * 40}, timeout=10)

    assert (good.status_code, good.text) == (200, "8234791523984")
    assert forged.status_code == 403
    assert "8234791523984" not in forged.text
