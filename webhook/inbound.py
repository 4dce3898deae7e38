"""From WeChat's XML to one `Turn`: what the user did, in the terms the rest of the app uses."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from enum import Enum
from xml.parsers.expat import ExpatError

import xmltodict
from wechatpy import parse_message
from wechatpy.messages import BaseMessage

from storage.followers import Place

# A message a user typed may be this long at most (WeChat's own limit is about 2,000 characters).
MAX_TEXT_CHARS = 2000

# WeChat's notices about our own sends: nobody is waiting for an answer.
SILENT_EVENTS = {"view", "templatesendjobfinish", "masssendjobfinish", "view_miniprogram"}


class MalformedMessage(ValueError):
    """The body is not a WeChat message we can read."""


class TurnKind(str, Enum):
    TEXT = "text"  # typed text, or recognised speech
    FOLLOW = "follow"  # subscribe / subscribe_scan
    UNFOLLOW = "unfollow"
    LOCATION = "location"  # a shared location message: remembered and acknowledged
    LOCATION_REPORT = "location_report"  # the periodic LOCATION event: remembered silently
    UNRECOGNISED_VOICE = "unrecognised_voice"
    UNSUPPORTED = "unsupported"  # images, videos, links, files, menu clicks …
    SILENT = "silent"  # events that need no answer


@dataclass(frozen=True)
class Turn:
    key: str  # the once-only key: MsgId, or FromUserName + CreateTime for events
    openid: str
    account: str  # ToUserName, the official account's own id
    kind: TurnKind
    text: str = ""
    place: Place | None = None
    metadata: dict = field(default_factory=dict)


def refuse_entities(body: bytes) -> None:
    """WeChat never sends a DTD; refusing one keeps entity expansion out of the parser."""
    head = body[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in head:
        raise MalformedMessage("DTDs are not accepted")


def read_envelope(body: bytes) -> dict:
    """Parse the outer XML (safe mode carries `Encrypt` in it)."""
    refuse_entities(body)
    try:
        document = xmltodict.parse(body)
    except (ExpatError, ValueError, TypeError) as exc:
        raise MalformedMessage("not XML") from exc
    envelope = document.get("xml") if isinstance(document, dict) else None
    if not isinstance(envelope, dict):
        raise MalformedMessage("no <xml> root")
    return envelope


def parse_turn(xml: str | bytes) -> Turn:
    """Read a plaintext WeChat message into a Turn, or raise MalformedMessage."""
    body = xml.encode("utf-8") if isinstance(xml, str) else xml
    envelope = read_envelope(body)
    for required in ("FromUserName", "ToUserName", "CreateTime", "MsgType"):
        if not isinstance(envelope.get(required), str) or not envelope[required].strip():
            raise MalformedMessage(f"{required} is missing")
    try:
        message = parse_message(body.decode("utf-8"))
        return _turn_from(message, envelope)
    except (ExpatError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise MalformedMessage("unreadable message") from exc


def _place(latitude: object, longitude: object, label: str) -> Place:
    """A place from WeChat's coordinates; missing, non-finite or out-of-range ones are refused."""
    if latitude is None or longitude is None:
        raise MalformedMessage("a location needs both coordinates")
    lat, lng = float(str(latitude)), float(str(longitude))
    if not (math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180):
        raise MalformedMessage("coordinates out of range")
    return Place(latitude=lat, longitude=lng, label=label.strip()[:255])


def _dedupe_key(message: BaseMessage, envelope: dict) -> str:
    if envelope.get("MsgId"):
        return f"msg:{int(envelope['MsgId'])}"
    event = str(envelope.get("Event", "")).lower()
    return f"evt:{message.source}:{int(envelope['CreateTime'])}:{event}"


def _turn_from(message: BaseMessage, envelope: dict) -> Turn:
    key = _dedupe_key(message, envelope)
    base = {"key": key, "openid": message.source, "account": message.target}
    message_type = message.type

    if message_type == "text":
        text = (message.content or "").strip()
        if not text:
            return Turn(kind=TurnKind.UNSUPPORTED, **base)
        return Turn(kind=TurnKind.TEXT, text=text[:MAX_TEXT_CHARS], **base)

    if message_type == "voice":
        recognition = (getattr(message, "recognition", None) or "").strip()
        if not recognition:
            return Turn(kind=TurnKind.UNRECOGNISED_VOICE, **base)
        return Turn(
            kind=TurnKind.TEXT,
            text=recognition[:MAX_TEXT_CHARS],
            metadata={"via": "voice"},
            **base,
        )

    if message_type == "location":
        place = _place(message.location_x, message.location_y, message.label or "")
        return Turn(kind=TurnKind.LOCATION, place=place, **base)

    if message_type == "event":
        event = str(envelope.get("Event", "")).lower()
        if event in ("subscribe", "subscribe_scan"):
            return Turn(kind=TurnKind.FOLLOW, **base)
        if event == "unsubscribe":
            return Turn(kind=TurnKind.UNFOLLOW, **base)
        if event == "location":
            place = _place(envelope.get("Latitude"), envelope.get("Longitude"), "")
            return Turn(kind=TurnKind.LOCATION_REPORT, place=place, **base)
        if event in SILENT_EVENTS:
            return Turn(kind=TurnKind.SILENT, **base)

    return Turn(kind=TurnKind.UNSUPPORTED, **base)


def rasa_text(turn: Turn) -> str:
    """What Rasa is sent for a turn it answers.

    Typed text that starts with "/" would be read by Rasa as an intent with entities (and could
    set any slot), so a typed leading slash is replaced by its full-width twin.
    """
    if turn.kind is TurnKind.FOLLOW:
        return "/follow"
    if turn.kind is TurnKind.LOCATION and turn.place is not None:
        entities = {"place": turn.place.label} if turn.place.label else {}
        return "/share_location" + (json.dumps(entities, ensure_ascii=False) if entities else "")
    text = turn.text
    if text.startswith("/"):
        text = "／" + text[1:]
    return text
