"""webhook.inbound: WeChat's XML to one Turn, and what Rasa is sent for it."""

from __future__ import annotations

import json

import pytest

from storage.followers import Place
from webhook.inbound import MAX_TEXT_CHARS, MalformedMessage, Turn, TurnKind, parse_turn, rasa_text

from .support import message_xml

OPENID = "o_fixture_user"
HEAD = (
    "<xml><ToUserName><![CDATA[gh_jobassist]]></ToUserName>"
    f"<FromUserName><![CDATA[{OPENID}]]></FromUserName><CreateTime>1714037059</CreateTime>"
)


def text_message(content: str, msg_id: str = "1234567890123456") -> str:
    return (
        f"{HEAD}<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{content}]]></Content>"
        f"<MsgId>{msg_id}</MsgId></xml>"
    )


def turn(**fields: object) -> Turn:
    base: dict = {"key": "msg:1", "openid": OPENID, "account": "gh_jobassist"}
    return Turn(**{**base, **fields})  # type: ignore[arg-type]


# -- messages ------------------------------------------------------------------------------------


def test_text_message_becomes_a_text_turn() -> None:
    parsed = parse_turn(message_xml("text"))

    assert parsed == Turn(
        key="msg:1234567890123456",
        openid=OPENID,
        account="gh_jobassist",
        kind=TurnKind.TEXT,
        text="我想找一份快递员的工作",
    )


def test_bytes_and_str_bodies_parse_alike() -> None:
    xml = message_xml("text")
    assert parse_turn(xml.encode("utf-8")) == parse_turn(xml)


@pytest.mark.parametrize("content", ["", "   ", "\n\t "])
def test_empty_text_is_unsupported(content: str) -> None:
    parsed = parse_turn(text_message(content))

    assert parsed.kind is TurnKind.UNSUPPORTED
    assert parsed.text == ""


def test_text_is_stripped() -> None:
    assert parse_turn(text_message("  找工作 \n")).text == "找工作"


@pytest.mark.parametrize(
    ("length", "expected"),
    [
        (MAX_TEXT_CHARS - 1, MAX_TEXT_CHARS - 1),
        (MAX_TEXT_CHARS, MAX_TEXT_CHARS),
        (MAX_TEXT_CHARS + 1, MAX_TEXT_CHARS),
        (50_000, MAX_TEXT_CHARS),
    ],
)
def test_long_text_is_truncated(length: int, expected: int) -> None:
    parsed = parse_turn(text_message("岗" * length))

    assert parsed.kind is TurnKind.TEXT
    assert len(parsed.text) == expected


def test_voice_with_recognition_becomes_text() -> None:
    parsed = parse_turn(message_xml("voice"))

    assert parsed.kind is TurnKind.TEXT
    assert parsed.text == "失业登记怎么办"
    assert parsed.metadata == {"via": "voice"}
    assert parsed.key == "msg:1234567890123457"


@pytest.mark.parametrize(
    "xml",
    [
        pytest.param(message_xml("voice_without_recognition"), id="no-recognition-element"),
        pytest.param(message_xml("voice").replace("失业登记怎么办", ""), id="empty-recognition"),
        pytest.param(message_xml("voice").replace("失业登记怎么办", "  "), id="blank-recognition"),
    ],
)
def test_voice_without_recognition_is_unrecognised(xml: str) -> None:
    assert parse_turn(xml).kind is TurnKind.UNRECOGNISED_VOICE


def test_location_message_carries_the_place() -> None:
    parsed = parse_turn(message_xml("location"))

    assert parsed.kind is TurnKind.LOCATION
    assert parsed.place == Place(
        latitude=30.592849, longitude=114.305539, label="湖北省武汉市江汉区"
    )
    assert parsed.key == "msg:1234567890123459"


@pytest.mark.parametrize("name", ["image", "video", "link"])
def test_media_messages_are_unsupported(name: str) -> None:
    parsed = parse_turn(message_xml(name))

    assert parsed.kind is TurnKind.UNSUPPORTED
    assert parsed.key.startswith("msg:")


def test_unknown_message_type_is_unsupported() -> None:
    xml = f"{HEAD}<MsgType><![CDATA[hologram]]></MsgType><MsgId>9</MsgId></xml>"
    assert parse_turn(xml).kind is TurnKind.UNSUPPORTED


# -- events --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("event_subscribe", TurnKind.FOLLOW),
        ("event_subscribe_scan", TurnKind.FOLLOW),
        ("event_unsubscribe", TurnKind.UNFOLLOW),
        ("event_location", TurnKind.LOCATION_REPORT),
        ("event_view", TurnKind.SILENT),
        ("event_click", TurnKind.UNSUPPORTED),
    ],
)
def test_events_map_to_their_turn_kind(name: str, kind: TurnKind) -> None:
    assert parse_turn(message_xml(name)).kind is kind


@pytest.mark.parametrize(
    "event", ["TEMPLATESENDJOBFINISH", "MASSSENDJOBFINISH", "view_miniprogram", "VIEW"]
)
def test_notices_about_our_own_sends_are_silent(event: str) -> None:
    xml = f"{HEAD}<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[{event}]]></Event></xml>"
    assert parse_turn(xml).kind is TurnKind.SILENT


def test_location_event_carries_the_reported_place() -> None:
    parsed = parse_turn(message_xml("event_location"))

    assert parsed.place == Place(latitude=23.137466, longitude=113.352425, label="")


def test_location_event_without_coordinates_is_not_a_place() -> None:
    xml = f"{HEAD}<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[LOCATION]]></Event></xml>"
    try:
        parsed = parse_turn(xml)
    except MalformedMessage:
        return
    assert parsed.place is None


# -- once-only keys ------------------------------------------------------------------------------


def test_message_key_is_its_msg_id() -> None:
    assert parse_turn(text_message("hi", msg_id="42")).key == "msg:42"


def test_event_key_is_sender_create_time_and_event() -> None:
    parsed = parse_turn(message_xml("event_subscribe"))
    assert parsed.key == f"evt:{OPENID}:1714037059:subscribe"


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        pytest.param(
            message_xml("event_subscribe"), message_xml("event_subscribe"), True, id="retry"
        ),
        pytest.param(
            message_xml("event_subscribe"),
            message_xml("event_subscribe", created=1714037060),
            False,
            id="other-create-time",
        ),
        pytest.param(
            message_xml("event_subscribe"),
            message_xml("event_subscribe", openid="o_someone_else"),
            False,
            id="other-user",
        ),
        pytest.param(
            message_xml("event_subscribe"),
            message_xml("event_location"),
            False,
            id="other-event-same-second",
        ),
        pytest.param(
            message_xml("text", msg_id=1),
            message_xml("text", msg_id=1, created=1),
            True,
            id="msgid",
        ),
        pytest.param(message_xml("text", msg_id=1), message_xml("text", msg_id=2), False, id="ids"),
    ],
)
def test_dedupe_keys(first: str, second: str, same: bool) -> None:
    assert (parse_turn(first).key == parse_turn(second).key) is same


# -- malformed bodies ----------------------------------------------------------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    f"{HEAD}<MsgType>text</MsgType><Content>&lol3;</Content><MsgId>1</MsgId></xml>"
)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"hello", id="not-xml"),
        pytest.param(b'{"MsgType": "text"}', id="json"),
        pytest.param(b"<xml><FromUserName>o</FromUserName>", id="truncated"),
        pytest.param(b"\xff\xfe<\x00x\x00", id="binary"),
        pytest.param(b"<root><MsgType>text</MsgType></root>", id="no-xml-root"),
        pytest.param(b"<xml></xml>", id="empty-xml-root"),
        pytest.param(b"<xml>text</xml>", id="text-xml-root"),
        pytest.param(
            message_xml("text").replace(
                "<FromUserName><![CDATA[o_fixture_user]]></FromUserName>", ""
            ),
            id="missing-from",
        ),
        pytest.param(
            message_xml("text").replace("<MsgType><![CDATA[text]]></MsgType>", ""),
            id="missing-msgtype",
        ),
        pytest.param(
            message_xml("text").replace("<CreateTime>1714037059</CreateTime>", ""),
            id="missing-create-time",
        ),
        pytest.param(
            message_xml("text").replace("<![CDATA[o_fixture_user]]>", "   "), id="blank-from"
        ),
        pytest.param(BILLION_LAUGHS, id="entity-bomb"),
        pytest.param(
            '<?xml version="1.0"?><!DOCTYPE xml SYSTEM "http://example.invalid/x.dtd">'
            + message_xml("text"),
            id="external-doctype",
        ),
        pytest.param(
            '<?xml version="1.0"?><!--'
            + "pad" * 2000
            + '--><!DOCTYPE xml [<!ENTITY x "y">]>'
            + text_message("&x;"),
            id="doctype-after-4k-comment",
        ),
        pytest.param(
            message_xml("text").replace("<![CDATA[o_fixture_user]]>", "<a>o_fixture_user</a>"),
            id="nested-from",
        ),
        pytest.param(
            text_message("x").replace("<![CDATA[x]]>", "<b>bold</b>"), id="nested-content"
        ),
        pytest.param(
            message_xml("text").replace("<![CDATA[text]]>", "<t>text</t>"), id="nested-msgtype"
        ),
        pytest.param(text_message("hi", msg_id="abc"), id="non-numeric-msgid"),
        pytest.param(text_message("hi", msg_id="1e3"), id="float-msgid"),
        pytest.param(text_message("hi", msg_id="1</MsgId><MsgId>2"), id="repeated-msgid"),
        pytest.param(
            message_xml("event_subscribe").replace("1714037059", "yesterday"),
            id="non-numeric-create-time",
        ),
        pytest.param(
            message_xml("location").replace("30.592849", "north"), id="non-numeric-latitude"
        ),
        pytest.param(
            message_xml("location").replace("<Location_X>30.592849</Location_X>", ""),
            id="location-without-latitude",
        ),
        pytest.param(
            message_xml("event_location").replace("23.137466", "<v>1</v>"),
            id="nested-event-latitude",
        ),
    ],
)
def test_malformed_bodies_raise_malformed_message(body: str | bytes) -> None:
    with pytest.raises(MalformedMessage):
        parse_turn(body)


# -- what Rasa is sent ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ('/register_unemployment{"x":1}', '／register_unemployment{"x":1}'),
        ("/follow", "／follow"),
        ("/", "／"),
        ("//", "／/"),
        ("找工作 /help", "找工作 /help"),
        ("失业登记", "失业登记"),
    ],
)
def test_typed_leading_slash_is_escaped(typed: str, sent: str) -> None:
    assert rasa_text(turn(kind=TurnKind.TEXT, text=typed)) == sent


def test_typed_slash_after_whitespace_is_escaped_too() -> None:
    parsed = parse_turn(text_message('  /inform{"name": "x"}'))
    assert not rasa_text(parsed).startswith("/")


def test_recognised_voice_starting_with_slash_is_escaped() -> None:
    parsed = parse_turn(message_xml("voice").replace("失业登记怎么办", "/stop"))
    assert rasa_text(parsed) == "／stop"


@pytest.mark.parametrize("name", ["event_subscribe", "event_subscribe_scan"])
def test_follow_sends_the_follow_intent(name: str) -> None:
    assert rasa_text(parse_turn(message_xml(name))) == "/follow"


def test_location_sends_share_location_with_the_place_as_json() -> None:
    sent = rasa_text(parse_turn(message_xml("location")))

    assert sent.startswith("/share_location{")
    assert json.loads(sent[len("/share_location") :]) == {"place": "湖北省武汉市江汉区"}


def test_location_label_cannot_break_out_of_the_entity_json() -> None:
    label = '"}, "job": "x'
    sent = rasa_text(
        turn(kind=TurnKind.LOCATION, place=Place(latitude=1.0, longitude=2.0, label=label))
    )
    assert json.loads(sent[len("/share_location") :]) == {"place": label}


def test_location_without_label_sends_the_bare_intent() -> None:
    sent = rasa_text(
        turn(kind=TurnKind.LOCATION, place=Place(latitude=1.0, longitude=2.0, label=""))
    )
    assert sent == "/share_location"
