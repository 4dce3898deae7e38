"""Turns through the real webhook, Rasa and the action server, answered as the passive reply."""

from __future__ import annotations

import json

import pytest
from redis import Redis
from sqlalchemy import text
from sqlalchemy.engine import Engine

from chat.wechat_sender import (
    ACCOUNT_ID,
    WeChatSender,
    image_xml,
    location_xml,
    next_msg_id,
    text_xml,
    voice_xml,
)
from conversation import replies
from devstack.stack import LocalStack
from webhook.inbound import MAX_TEXT_CHARS

from .helpers import (
    ask,
    follower_after_message,
    follower_row,
    intent_of,
    new_openid,
    rasa_bot_texts,
    rasa_event_rows,
    rasa_tracker,
    rasa_user_events,
    reply_document,
    turn_keys_of,
)

# Replies the web app makes up itself; a conversational answer must be none of them.
CANNED = {
    replies.SORRY_TRY_AGAIN,
    replies.RECEIVED_WILL_ANSWER,
    replies.UNSUPPORTED,
    replies.UNRECOGNISED_VOICE,
}


def test_greeting_is_answered_by_rasa_as_a_passive_reply(
    stack: LocalStack, sender: WeChatSender, openid: str
) -> None:
    response = sender.post(text_xml(openid, "你好", next_msg_id()))

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/xml")
    reply = reply_document(response.text)
    assert reply["ToUserName"] == openid
    assert reply["FromUserName"] == ACCOUNT_ID
    assert reply["MsgType"] == "text"
    assert int(reply["CreateTime"]) > 0
    assert reply["Content"] not in CANNED
    # The reply is what Rasa said, for the greeting Rasa understood.
    assert rasa_bot_texts(stack, openid) == [reply["Content"]]
    [user_event] = rasa_user_events(stack, openid)
    assert (user_event["text"], intent_of(user_event)) == ("你好", "greet")


def test_traditional_question_gets_the_same_answer_as_its_simplified_twin(
    stack: LocalStack, sender: WeChatSender
) -> None:
    simplified_user, traditional_user = new_openid("s"), new_openid("t")

    simplified = ask(sender, simplified_user, "请问失业保险金怎么领")
    traditional = ask(sender, traditional_user, "請問失業保險金怎麼領")

    assert traditional == simplified
    assert simplified not in CANNED
    [simplified_event] = rasa_user_events(stack, simplified_user)
    [traditional_event] = rasa_user_events(stack, traditional_user)
    assert intent_of(traditional_event) == intent_of(simplified_event) == "ask_policy"
    # Rasa keeps what the user typed; only its NLU reads Simplified.
    assert traditional_event["text"] == "請問失業保險金怎麼領"


def test_voice_with_recognition_is_answered_as_its_text(
    stack: LocalStack, sender: WeChatSender, openid: str
) -> None:
    typed = ask(sender, new_openid(), "你好")

    response = sender.post(voice_xml(openid, "你好", next_msg_id()))

    assert sender.reply_text(response) == typed
    [user_event] = rasa_user_events(stack, openid)
    assert user_event["text"] == "你好"
    assert user_event["metadata"].get("via") == "voice"


def test_voice_without_recognition_asks_again_without_rasa(
    stack: LocalStack, sender: WeChatSender, openid: str
) -> None:
    response = sender.post(voice_xml(openid, "", next_msg_id()))

    assert response.status_code == 200
    answer = sender.reply_text(response)
    assert answer == replies.UNRECOGNISED_VOICE
    assert answer is not None and "没听清" in answer
    assert rasa_user_events(stack, openid) == []


def test_image_gets_the_unsupported_sentence_and_never_reaches_rasa(
    stack: LocalStack, sender: WeChatSender, stack_redis: Redis, openid: str
) -> None:
    response = sender.post(image_xml(openid, next_msg_id()))

    assert response.status_code == 200
    reply = reply_document(response.text)
    assert reply["Content"] == replies.UNSUPPORTED
    assert reply["ToUserName"] == openid
    assert turn_keys_of(stack_redis, openid) == []
    assert rasa_user_events(stack, openid) == []


def test_location_is_acknowledged_and_remembered(
    stack: LocalStack, sender: WeChatSender, stack_db: Engine, openid: str
) -> None:
    label = "湖北省武汉市江汉区"

    response = sender.post(location_xml(openid, 30.5928, 114.3055, label, next_msg_id()))

    answer = sender.reply_text(response)
    assert answer is not None and label in answer
    follower = follower_row(stack_db, openid)
    assert follower is not None
    assert follower["latitude"] == pytest.approx(30.5928)
    assert follower["longitude"] == pytest.approx(114.3055)
    assert follower["place_label"] == label
    assert follower["located_at"] is not None
    assert rasa_tracker(stack, openid)["slots"]["place"] == label


# Rasa reads text that starts with "/" as an intent with entities, which would let a user set slots.
SLASH_COMMANDS = {
    "ascii_slash": '/share_location{"place": "注入地址"}',
    "full_width_slash": '／share_location{"place": "注入地址"}',
}


@pytest.mark.parametrize("typed", SLASH_COMMANDS.values(), ids=SLASH_COMMANDS.keys())
def test_typed_slash_command_cannot_set_slots(
    stack: LocalStack, sender: WeChatSender, stack_db: Engine, openid: str, typed: str
) -> None:
    answer = ask(sender, openid, typed)

    assert "注入地址" not in answer
    [user_event] = rasa_user_events(stack, openid)
    assert user_event["text"] == "／" + typed[1:]  # a typed "/" is escaped
    assert intent_of(user_event) != "share_location"
    assert rasa_tracker(stack, openid)["slots"]["place"] is None
    follower = follower_after_message(stack_db, openid)
    assert follower is not None and follower["place_label"] is None


def test_handoff_request_is_recorded_once_for_staff(
    stack: LocalStack, sender: WeChatSender, stack_db: Engine, openid: str
) -> None:
    first = ask(sender, openid, "我要转人工")
    second = ask(sender, openid, "转人工")

    assert first == second
    assert first not in CANNED and "人工" in first
    actions = [e["name"] for e in rasa_tracker(stack, openid)["events"] if e["event"] == "action"]
    assert actions.count("action_request_handoff") == 2
    with stack_db.connect() as connection:
        handoffs = connection.execute(
            text("SELECT status, requested_at FROM handoffs WHERE openid = :openid"),
            {"openid": openid},
        ).all()
    # Asking again while a request waits does not queue the user twice.
    assert [row.status for row in handoffs] == ["waiting"]
    assert handoffs[0].requested_at is not None


def test_conversation_log_is_kept_in_the_tracker_store(
    sender: WeChatSender, stack_db: Engine, openid: str
) -> None:
    said = ["你好", "请问失业保险金怎么领", "谢谢"]
    answers = [ask(sender, openid, message) for message in said]

    user_rows = rasa_event_rows(stack_db, openid, "user")
    assert [json.loads(row["data"])["text"] for row in user_rows] == said
    assert [row["intent_name"] for row in user_rows] == ["greet", "ask_policy", "thank"]
    bot_rows = rasa_event_rows(stack_db, openid, "bot")
    assert [json.loads(row["data"])["text"] for row in bot_rows] == answers


ODD_TEXTS = {
    "emoji": "😀👍🏻🇨🇳 找工作",
    "sql": "'; DROP TABLE followers; --",
    "html": "<script>alert(1)</script>",
    "long": ("我想了解一下失业保险金的申领条件和办理流程。" * 120)[:2500],
    "full_width_digits": "１２３４５６７８９０",
}


@pytest.mark.parametrize("message", ODD_TEXTS.values(), ids=ODD_TEXTS.keys())
def test_odd_text_gets_a_normal_reply(
    stack: LocalStack, sender: WeChatSender, stack_db: Engine, openid: str, message: str
) -> None:
    response = sender.post(text_xml(openid, message, next_msg_id()))

    assert response.status_code == 200
    assert "Traceback" not in response.text
    reply = reply_document(response.text)
    assert reply["ToUserName"] == openid
    assert reply["Content"] and reply["Content"] not in CANNED
    [user_event] = rasa_user_events(stack, openid)
    # Stored as typed (nothing interpreted), cut to the length a user may type.
    assert user_event["text"] == message[:MAX_TEXT_CHARS]
    with stack_db.connect() as connection:
        followers = connection.execute(text("SELECT count(*) FROM followers")).scalar_one()
    assert followers >= 1
    assert follower_after_message(stack_db, openid) is not None


@pytest.mark.parametrize(
    ("question", "facts"),
    [
        ("金秋招聘月是几月", ["金秋招聘月", "10-11月", "来源：人力资源社会保障部"]),
        ("春風行動什麼時候開始", ["春风行动暨就业援助月", "1-3月", "来源："]),
    ],
)
def test_campaign_question_is_answered_from_the_calendar_with_its_source(
    stack: LocalStack, sender: WeChatSender, openid: str, question: str, facts: list[str]
) -> None:
    answer = ask(sender, openid, question)

    for fact in facts:
        assert fact in answer
    assert len(answer) <= 600
