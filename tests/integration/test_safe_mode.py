"""Safe (AES) mode: encrypted in, encrypted out; a wrong AppId or signature is refused early."""

from __future__ import annotations

import requests
from redis import Redis
from wechatpy.crypto import WeChatCrypto

from chat.wechat_sender import ACCOUNT_ID, WeChatSender, next_msg_id, text_xml
from devstack.stack import LocalStack

from .helpers import new_openid, rasa_user_events, reply_document, turn_keys_of


def test_encrypted_message_gets_an_encrypted_reply(
    stack: LocalStack, sender: WeChatSender, safe_sender: WeChatSender, openid: str
) -> None:
    plain_answer = sender.reply_text(sender.post(text_xml(new_openid(), "你好", next_msg_id())))

    response = safe_sender.post(text_xml(openid, "你好", next_msg_id()))

    assert response.status_code == 200
    envelope = reply_document(response.text)
    assert set(envelope) >= {"Encrypt", "MsgSignature", "TimeStamp", "Nonce"}
    assert "Content" not in envelope
    assert plain_answer and plain_answer not in response.text
    # Decrypting checks the message signature and our AppId too.
    crypto = WeChatCrypto(safe_sender.token, safe_sender.aes_key, safe_sender.app_id)
    inner = reply_document(
        crypto.decrypt_message(
            response.text, envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"]
        )
    )
    assert inner["ToUserName"] == openid
    assert inner["FromUserName"] == ACCOUNT_ID
    assert inner["Content"] == plain_answer
    assert [event["text"] for event in rasa_user_events(stack, openid)] == ["你好"]


def test_message_encrypted_for_another_appid_is_refused(
    stack: LocalStack, safe_sender: WeChatSender, stack_redis: Redis, openid: str
) -> None:
    other_account = WeChatSender(
        webhook_url=safe_sender.webhook_url,
        token=safe_sender.token,
        app_id="wx1111111111otherapp",
        aes_key=safe_sender.aes_key,
        safe_mode=True,
    )

    response = other_account.post(text_xml(openid, "你好", next_msg_id()))

    assert response.status_code == 403
    assert "Traceback" not in response.text
    assert turn_keys_of(stack_redis, openid) == []
    assert rasa_user_events(stack, openid) == []


def test_bad_message_signature_is_refused(
    stack: LocalStack, safe_sender: WeChatSender, stack_redis: Redis, openid: str
) -> None:
    params, body = safe_sender.query(text_xml(openid, "你好", next_msg_id()))
    assert params["encrypt_type"] == "aes"
    params["msg_signature"] = "0" * 40

    response = requests.post(
        safe_sender.webhook_url, params=params, data=body.encode("utf-8"), timeout=15
    )

    assert response.status_code == 403
    assert turn_keys_of(stack_redis, openid) == []
    assert rasa_user_events(stack, openid) == []
