"""The `/wechat` endpoint through `server.create_app`: checks, replies, events and data."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
import xmltodict
from sqlalchemy import func, select
from wechatpy.crypto import WeChatCrypto
from werkzeug.test import EnvironBuilder, run_wsgi_app

from chat.wechat_sender import ACCOUNT_ID, sign
from conversation import replies
from storage.db import session_scope
from storage.followers import Place, place_of
from storage.models import Follower

from .support import Harness, MakeApp, message_xml, new_msg_id, official_aes_sample


def reply_document(response: Any) -> dict[str, str]:
    return xmltodict.parse(response.text)["xml"]


def signed_query(token: str, timestamp: str = "1714037059", nonce: str = "486452656") -> dict:
    return {"signature": sign(token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce}


def ledger_keys(harness: Harness) -> list[bytes]:
    return list(harness.runtime.redis.scan_iter(match=f"{harness.runtime.ledger.prefix}:*"))


# -- URL verification ----------------------------------------------------------------------------


@pytest.mark.parametrize("echostr", ["5837397520766881413", "echo-串", ""])
@pytest.mark.parametrize("aes_key", ["", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"])
def test_url_check_echoes_echostr(make_app: MakeApp, echostr: str, aes_key: str) -> None:
    harness = make_app(WECHAT_ENCODING_AES_KEY=aes_key)
    query = {**signed_query(harness.runtime.settings.wechat_token), "echostr": echostr}

    response = harness.client.get("/wechat", query_string=query)

    assert response.status_code == 200
    assert response.text == echostr


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda q: {**q, "signature": "0" * 40}, id="wrong-signature"),
        pytest.param(lambda q: {**q, "timestamp": "1714037060"}, id="other-timestamp"),
        pytest.param(lambda q: {**q, "nonce": "1"}, id="other-nonce"),
        pytest.param(lambda q: {k: v for k, v in q.items() if k != "signature"}, id="no-signature"),
        pytest.param(lambda q: {k: v for k, v in q.items() if k != "timestamp"}, id="no-timestamp"),
        pytest.param(lambda q: {k: v for k, v in q.items() if k != "nonce"}, id="no-nonce"),
        pytest.param(lambda q: {"echostr": q["echostr"]}, id="only-echostr"),
        pytest.param(lambda q: {**q, **signed_query("another-token")}, id="another-token"),
    ],
)
def test_url_check_with_bad_signature_is_403(harness: Harness, spoil: Any) -> None:
    query = {**signed_query(harness.runtime.settings.wechat_token), "echostr": "secret-echo"}

    response = harness.client.get("/wechat", query_string=spoil(query))

    assert response.status_code == 403
    assert "secret-echo" not in response.text


# -- signatures on messages ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        pytest.param({}, id="unsigned"),
        pytest.param({"signature": "0" * 40, "timestamp": "1", "nonce": "2"}, id="wrong"),
        pytest.param(signed_query("another-token"), id="another-token"),
    ],
)
def test_message_with_bad_signature_is_403_and_never_reaches_rasa(
    harness: Harness, query: dict
) -> None:
    openid = harness.openid()

    response = harness.client.post(
        "/wechat",
        query_string=query,
        data=message_xml("text", openid=openid, msg_id=new_msg_id()).encode(),
    )

    assert response.status_code == 403
    assert harness.fake_rasa.turns == []
    assert ledger_keys(harness) == []
    assert harness.follower(openid) is None


def test_safe_mode_message_for_another_appid_is_403(harness: Harness) -> None:
    xml = message_xml("text", openid=harness.openid(), msg_id=new_msg_id())

    response = harness.post(xml, safe=True, app_id="wx_somebody_else")

    assert response.status_code == 403
    assert harness.fake_rasa.turns == []
    assert ledger_keys(harness) == []


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda q: {**q, "msg_signature": "0" * 40}, id="wrong"),
        pytest.param(lambda q: {k: v for k, v in q.items() if k != "msg_signature"}, id="missing"),
        pytest.param(lambda q: {**q, "msg_signature": q["signature"]}, id="url-signature"),
    ],
)
def test_safe_mode_message_with_bad_msg_signature_is_403(harness: Harness, spoil: Any) -> None:
    params, body = harness.sender(safe=True).query(
        message_xml("text", openid=harness.openid(), msg_id=new_msg_id())
    )

    response = harness.client.post("/wechat", query_string=spoil(params), data=body.encode())

    assert response.status_code == 403
    assert harness.fake_rasa.turns == []


def test_official_aes_sample_is_answered_encrypted(make_app: MakeApp) -> None:
    sample = official_aes_sample()
    harness = make_app(
        WECHAT_TOKEN=sample["token"],
        WECHAT_ENCODING_AES_KEY=sample["encoding_aes_key"],
        WECHAT_APP_ID=sample["app_id"],
    )
    plaintext = "".join(f"<{k}><![CDATA[{v}]]></{k}>" for k, v in sample["plaintext"].items())
    # Compatible mode: the plaintext fields beside Encrypt, exactly as in WeChat's sample.
    body = f"<xml>{plaintext}<Encrypt><![CDATA[{sample['encrypt']}]]></Encrypt></xml>"
    query = {
        **signed_query(sample["token"], sample["timestamp"], sample["nonce"]),
        "encrypt_type": "aes",
        "msg_signature": sample["msg_signature"],
    }

    response = harness.client.post("/wechat", query_string=query, data=body.encode())

    assert response.status_code == 200
    assert harness.fake_rasa.turns[0].sender == "oyORnuP8q7ou2gfYjqLzSIWZf0rs"
    assert harness.fake_rasa.messages == ["abcdteT"]
    envelope = reply_document(response)
    crypto = WeChatCrypto(sample["token"], sample["encoding_aes_key"], sample["app_id"])
    decrypted = crypto.decrypt_message(
        response.text, envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"]
    )
    reply = xmltodict.parse(decrypted)["xml"]
    assert reply["Content"] == "收到：abcdteT"
    assert reply["ToUserName"] == "oyORnuP8q7ou2gfYjqLzSIWZf0rs"
    assert reply["FromUserName"] == sample["account"]


# -- bodies that are not WeChat messages ---------------------------------------------------------

MALFORMED_BODIES = [
    pytest.param(b"", id="empty"),
    pytest.param(b"this is not xml", id="not-xml"),
    pytest.param(b"<xml><FromUserName>o_x</FromUserName>", id="truncated"),
    pytest.param(b"<root><MsgType>text</MsgType></root>", id="no-xml-root"),
    pytest.param(b"<xml><MsgType>text</MsgType><Content>hi</Content></xml>", id="no-sender"),
    pytest.param(
        b'<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><xml><Content>&b;</Content></xml>',
        id="entity-bomb",
    ),
    pytest.param(
        message_xml("text").replace("1234567890123456", "not-a-number").encode(),
        id="non-numeric-msgid",
    ),
    pytest.param(
        message_xml("text").replace("<![CDATA[o_fixture_user]]>", "<a>b</a>").encode(),
        id="nested-sender",
    ),
]


@pytest.mark.parametrize("body", MALFORMED_BODIES)
def test_malformed_body_is_400_without_internals(harness: Harness, body: bytes) -> None:
    query = signed_query(harness.runtime.settings.wechat_token)

    response = harness.client.post("/wechat", query_string=query, data=body)

    assert response.status_code == 400
    assert response.text == "malformed message"
    assert "Traceback" not in response.text
    assert harness.fake_rasa.turns == []
    assert ledger_keys(harness) == []


def aes_query(harness: Harness, encrypt: str, timestamp: str = "1714037059") -> dict:
    token = harness.runtime.settings.wechat_token
    nonce = "486452656"
    return {
        **signed_query(token, timestamp, nonce),
        "encrypt_type": "aes",
        "msg_signature": sign(token, timestamp, nonce, encrypt),
    }


@pytest.mark.parametrize(
    "encrypt",
    [
        pytest.param("!!!not-base64", id="not-base64"),
        pytest.param("QUJDREVGR0hJSktMTU5P", id="not-a-whole-block"),
    ],
)
def test_safe_mode_ciphertext_that_cannot_be_decrypted_is_400(
    harness: Harness, encrypt: str
) -> None:
    body = f"<xml><ToUserName>gh</ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"

    response = harness.client.post("/wechat", query_string=aes_query(harness, encrypt), data=body)

    assert response.status_code == 400
    assert "Traceback" not in response.text
    assert harness.fake_rasa.turns == []


def test_safe_mode_ciphertext_of_something_not_xml_is_400(harness: Harness) -> None:
    settings = harness.runtime.settings
    crypto = WeChatCrypto(
        settings.wechat_token, settings.wechat_encoding_aes_key, settings.wechat_app_id
    )
    encrypt = xmltodict.parse(crypto.encrypt_message("hello, not xml", "n", "1"))["xml"]["Encrypt"]
    body = f"<xml><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"

    response = harness.client.post("/wechat", query_string=aes_query(harness, encrypt), data=body)

    assert response.status_code == 400
    assert harness.fake_rasa.turns == []


@pytest.mark.parametrize(
    ("body", "status"),
    [
        pytest.param(b"<xml><ToUserName>gh</ToUserName></xml>", 403, id="no-encrypt"),
        pytest.param(b"<xml><Encrypt><a>b</a></Encrypt></xml>", 403, id="nested-encrypt"),
        pytest.param(b"not xml", 400, id="not-xml"),
    ],
)
def test_safe_mode_envelope_without_encrypt_is_refused(
    harness: Harness, body: bytes, status: int
) -> None:
    response = harness.client.post("/wechat", query_string=aes_query(harness, ""), data=body)

    assert response.status_code == status
    assert harness.fake_rasa.turns == []


# -- body size -----------------------------------------------------------------------------------


def padded_text_message(harness: Harness, size: int) -> bytes:
    """A valid text message padded with whitespace to exactly `size` bytes."""
    xml = message_xml("text", openid=harness.openid(), msg_id=new_msg_id()).encode()
    padding = size - len(xml)
    assert padding >= 0
    return xml.replace(b"</xml>", b" " * padding + b"</xml>")


@pytest.mark.parametrize(
    ("extra", "too_large"), [(-1, False), (0, False), (1, True), (500_000, True)]
)
def test_body_over_the_limit_is_400(harness: Harness, extra: int, too_large: bool) -> None:
    limit = harness.runtime.settings.max_body_bytes
    body = padded_text_message(harness, limit + extra)
    query = signed_query(harness.runtime.settings.wechat_token)

    response = harness.client.post("/wechat", query_string=query, data=body)

    if too_large:
        assert response.status_code == 400
        assert response.text == "message too large"
        assert harness.fake_rasa.turns == []
    else:
        assert response.status_code == 200
        assert harness.fake_rasa.messages == ["我想找一份快递员的工作"]


def test_body_over_the_limit_without_content_length_is_400(harness: Harness) -> None:
    body = padded_text_message(harness, harness.runtime.settings.max_body_bytes + 1)
    query = signed_query(harness.runtime.settings.wechat_token)
    environ = EnvironBuilder(
        path="/wechat", method="POST", query_string=query, input_stream=io.BytesIO(body)
    ).get_environ()
    # A server that terminates the stream itself (a chunked upload) sends no Content-Length.
    del environ["CONTENT_LENGTH"]
    environ["wsgi.input_terminated"] = True

    app_iter, status, _headers = run_wsgi_app(harness.app, environ, buffered=True)

    assert status.startswith("400")
    assert b"".join(app_iter) == b"message too large"
    assert harness.fake_rasa.turns == []


# -- passive replies -----------------------------------------------------------------------------


def test_text_message_gets_rasas_answer_as_plaintext_reply(harness: Harness) -> None:
    openid = harness.openid()

    response = harness.post(message_xml("text", openid=openid, msg_id=new_msg_id()))

    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    reply = reply_document(response)
    assert reply["ToUserName"] == openid
    assert reply["FromUserName"] == ACCOUNT_ID
    assert reply["MsgType"] == "text"
    assert reply["Content"] == "收到：我想找一份快递员的工作"
    assert harness.fake_rasa.turns[0].sender == openid
    assert harness.fake_rasa.messages == ["我想找一份快递员的工作"]


def test_safe_mode_reply_is_encrypted_and_decrypts_to_the_answer(harness: Harness) -> None:
    openid = harness.openid()

    response = harness.post(message_xml("text", openid=openid, msg_id=new_msg_id()), safe=True)

    assert response.status_code == 200
    envelope = reply_document(response)
    assert set(envelope) >= {"Encrypt", "MsgSignature", "TimeStamp", "Nonce"}
    assert "收到" not in response.text
    token = harness.runtime.settings.wechat_token
    expected_signature = sign(token, envelope["TimeStamp"], envelope["Nonce"], envelope["Encrypt"])
    assert envelope["MsgSignature"] == expected_signature
    assert harness.reply_text(response, safe=True) == "收到：我想找一份快递员的工作"


def test_several_rasa_messages_are_merged_into_one_passive_reply(harness: Harness) -> None:
    harness.fake_rasa.answer_with(
        [
            {"text": "您好！"},
            {"text": "请问您想做什么？", "buttons": [{"title": "找工作"}, {"title": "失业登记"}]},
            {"image": "http://example.invalid/a.png"},
            {"text": "也可以直接打字。"},
        ]
    )

    response = harness.post(message_xml("text", openid=harness.openid(), msg_id=new_msg_id()))

    assert harness.reply_text(response) == (
        "您好！\n\n请问您想做什么？\n1. 找工作\n2. 失业登记\n\n也可以直接打字。"
    )


def test_rasa_answering_nothing_gives_success(harness: Harness) -> None:
    harness.fake_rasa.answer_with([])

    response = harness.post(message_xml("text", openid=harness.openid(), msg_id=new_msg_id()))

    assert response.status_code == 200
    assert response.text == "success"


@pytest.mark.parametrize("status", [500, 400])
def test_rasa_failing_gives_the_sorry_reply(harness: Harness, status: int) -> None:
    harness.fake_rasa.answer_with([], status=status)

    response = harness.post(message_xml("text", openid=harness.openid(), msg_id=new_msg_id()))

    assert harness.reply_text(response) == replies.SORRY_TRY_AGAIN


# -- retries -------------------------------------------------------------------------------------


@pytest.mark.parametrize("safe", [False, True], ids=["plaintext", "safe-mode"])
def test_retries_with_the_same_msgid_reach_rasa_once_and_get_the_same_answer(
    harness: Harness, safe: bool
) -> None:
    xml = message_xml("text", openid=harness.openid(), msg_id=new_msg_id())

    answers = [harness.reply_text(harness.post(xml, safe=safe), safe=safe) for _ in range(4)]

    assert answers == ["收到：我想找一份快递员的工作"] * 4
    assert len(harness.fake_rasa.turns) == 1


def test_messages_with_different_msgids_each_reach_rasa(harness: Harness) -> None:
    openid = harness.openid()
    for _ in range(3):
        harness.post(message_xml("text", openid=openid, msg_id=new_msg_id()))

    assert len(harness.fake_rasa.turns) == 3


def test_event_retries_reach_rasa_once(harness: Harness) -> None:
    xml = message_xml("event_subscribe", openid=harness.openid(), created=1714037111)

    first = harness.reply_text(harness.post(xml))
    second = harness.reply_text(harness.post(xml))

    assert first == second == "收到：/follow"
    assert harness.fake_rasa.messages == ["/follow"]


# -- events and message kinds --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["event_subscribe", "event_subscribe_scan"])
def test_follow_sends_the_follow_intent_and_records_the_follower(
    harness: Harness, name: str
) -> None:
    openid = harness.openid()

    response = harness.post(message_xml(name, openid=openid, created=1714037222))

    assert harness.fake_rasa.messages == ["/follow"]
    assert harness.reply_text(response) == "收到：/follow"
    recorded = harness.follower(openid)
    assert recorded is not None
    assert recorded.followed is True
    assert recorded.followed_at is not None


def test_unfollow_answers_success_and_records_it_without_rasa(harness: Harness) -> None:
    openid = harness.openid()
    harness.post(message_xml("event_subscribe", openid=openid, created=1714037000))

    response = harness.post(message_xml("event_unsubscribe", openid=openid, created=1714037001))

    assert response.status_code == 200
    assert response.text == "success"
    recorded = harness.follower(openid)
    assert recorded is not None
    assert recorded.followed is False
    assert recorded.unfollowed_at is not None
    assert harness.fake_rasa.messages == ["/follow"]


def test_location_message_is_stored_and_sent_to_rasa_as_share_location(harness: Harness) -> None:
    openid = harness.openid()

    response = harness.post(message_xml("location", openid=openid, msg_id=new_msg_id()))

    assert response.status_code == 200
    (sent,) = harness.fake_rasa.messages
    assert sent.startswith("/share_location")
    assert json.loads(sent[len("/share_location") :]) == {"place": "湖北省武汉市江汉区"}
    with session_scope(harness.database_url) as session:
        assert place_of(session, openid) == Place(30.592849, 114.305539, "湖北省武汉市江汉区")


def test_location_event_is_stored_silently(harness: Harness) -> None:
    openid = harness.openid()

    response = harness.post(message_xml("event_location", openid=openid))

    assert response.text == "success"
    assert harness.fake_rasa.turns == []
    with session_scope(harness.database_url) as session:
        assert place_of(session, openid) == Place(23.137466, 113.352425, "")


def test_view_event_is_silent(harness: Harness) -> None:
    response = harness.post(message_xml("event_view", openid=harness.openid()))

    assert response.status_code == 200
    assert response.text == "success"
    assert harness.fake_rasa.turns == []


@pytest.mark.parametrize("name", ["image", "video", "link", "event_click"])
def test_unsupported_messages_get_the_unsupported_reply_without_rasa(
    harness: Harness, name: str
) -> None:
    openid = harness.openid()

    response = harness.post(message_xml(name, openid=openid, msg_id=new_msg_id()))

    assert harness.reply_text(response) == replies.UNSUPPORTED
    assert reply_document(response)["ToUserName"] == openid
    assert harness.fake_rasa.turns == []


def test_voice_without_recognition_asks_again_without_rasa(harness: Harness) -> None:
    xml = message_xml("voice_without_recognition", openid=harness.openid(), msg_id=new_msg_id())

    response = harness.post(xml)

    assert harness.reply_text(response) == replies.UNRECOGNISED_VOICE
    assert harness.fake_rasa.turns == []


def test_recognised_voice_reaches_rasa_as_text_with_metadata(harness: Harness) -> None:
    response = harness.post(message_xml("voice", openid=harness.openid(), msg_id=new_msg_id()))

    assert harness.reply_text(response) == "收到：失业登记怎么办"
    assert harness.fake_rasa.turns[0].metadata == {"via": "voice"}


def test_typed_intent_command_reaches_rasa_as_plain_text(harness: Harness) -> None:
    typed = '/register_unemployment{"id_number": "110101199003077777"}'
    xml = message_xml("text", openid=harness.openid(), msg_id=new_msg_id()).replace(
        "我想找一份快递员的工作", typed
    )

    harness.post(xml)

    (sent,) = harness.fake_rasa.messages
    assert not sent.startswith("/")
    # The ID number in it is sealed like any other (registration.personal).
    unsealed = re.sub(r"⟦身份证号:[a-z2-7]{12}⟧", "110101199003077777", sent)
    assert unsealed != sent
    assert unsealed[1:] == typed[1:]


def test_rasa_is_sent_the_bearer_token(harness: Harness) -> None:
    harness.post(message_xml("text", openid=harness.openid(), msg_id=new_msg_id()))

    assert harness.fake_rasa.turns[0].authorization == "Bearer test-rasa-token"


# -- hostile or unusual text is data -------------------------------------------------------------

PASSTHROUGH_TEXTS = [
    pytest.param("想找工作😀👍🏽", id="emoji"),
    pytest.param("'; DROP TABLE followers; --", id="sql"),
    pytest.param("<script>alert('x')</script>", id="script"),
    pytest.param("&amp; &lt;xml&gt; \"quoted\" 'single'", id="entities"),
    pytest.param("第一行\n第二行", id="newline"),
    pytest.param("%s %d {0} {text}", id="format-strings"),
    pytest.param("\u202e反向\u200b零宽", id="bidi-zero-width"),
]


@pytest.mark.parametrize("text", PASSTHROUGH_TEXTS)
def test_unusual_text_passes_through_as_data(harness: Harness, text: str) -> None:
    openid = harness.openid()
    harness.post(message_xml("event_subscribe", openid=f"{openid}_other", created=1714030000))
    xml = message_xml("text", openid=openid, msg_id=new_msg_id()).replace(
        "我想找一份快递员的工作", text
    )

    response = harness.post(xml)

    assert response.status_code == 200
    assert harness.fake_rasa.messages[-1] == text
    assert harness.reply_text(response) == f"收到：{text}"
    harness.settle()
    with session_scope(harness.database_url) as session:
        assert session.execute(select(func.count()).select_from(Follower)).scalar_one() == 2


@pytest.mark.parametrize("safe", [False, True], ids=["plaintext", "safe-mode"])
def test_answer_containing_cdata_end_still_renders_a_readable_reply(
    harness: Harness, safe: bool
) -> None:
    text = "a]]><MsgType>news</MsgType><![CDATA[b"
    xml = message_xml("text", openid=harness.openid(), msg_id=new_msg_id()).replace(
        "我想找一份快递员的工作", text.replace("]]>", "]]]]><![CDATA[>")
    )

    response = harness.post(xml, safe=safe)

    assert harness.reply_text(response, safe=safe) == f"收到：{text}"
