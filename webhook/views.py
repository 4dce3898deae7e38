"""`/wechat`: URL verification (GET) and messages (POST) in plaintext, compatible and safe modes.

Every POST is checked before anything else happens: a bad signature or AppId answers 403, a body
that is not a readable WeChat message answers 400, and neither touches Redis, Rasa or the database.
"""

from __future__ import annotations

import logging
import struct
import time

from flask import Blueprint, Response, current_app, g, request
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.replies import TextReply

from conversation import replies
from conversation.answering import answer_turn
from conversation.outgoing import as_sent
from conversation.turns import DEFERRED, PENDING, READY
from registration.personal import expected, seal_values
from runtime import Runtime
from storage.db import session_scope
from storage.followers import record_follow, record_place, record_unfollow
from webhook.inbound import MalformedMessage, Turn, TurnKind, parse_turn, rasa_text, read_envelope
from webhook.signature import valid_msg_signature, valid_signature

logger = logging.getLogger(__name__)

wechat_blueprint = Blueprint("wechat", __name__)

SUCCESS = "success"


class BodyTooLarge(ValueError):
    pass


def _runtime() -> Runtime:
    return current_app.extensions["runtime"]


def _plain(text: str, status: int = 200) -> Response:
    return Response(text, status=status, mimetype="text/plain")


def _signed(args: dict) -> bool:
    return valid_signature(
        _runtime().settings.wechat_token,
        args.get("signature", ""),
        args.get("timestamp", ""),
        args.get("nonce", ""),
    )


def _read_body(limit: int) -> bytes:
    if request.content_length is not None and request.content_length > limit:
        raise BodyTooLarge()
    body = request.stream.read(limit + 1)
    if len(body) > limit:
        raise BodyTooLarge()
    return body


@wechat_blueprint.get("/wechat")
def verify_url() -> Response:
    """WeChat's URL check: echo `echostr` when the signature matches."""
    if not _signed(request.args):
        return _plain("invalid signature", 403)
    return _plain(request.args.get("echostr", ""))


@wechat_blueprint.post("/wechat")
def receive_message() -> Response:
    g.received_at = time.monotonic()
    args = request.args
    if not _signed(args):
        return _plain("invalid signature", 403)
    try:
        body = _read_body(_runtime().settings.max_body_bytes)
    except BodyTooLarge:
        return _plain("message too large", 400)

    encrypted = args.get("encrypt_type", "raw").lower() == "aes"
    try:
        if encrypted:
            envelope = read_envelope(body)
            encrypt = envelope.get("Encrypt")
            if not isinstance(encrypt, str) or not valid_msg_signature(
                _runtime().settings.wechat_token,
                args.get("msg_signature", ""),
                args.get("timestamp", ""),
                args.get("nonce", ""),
                encrypt,
            ):
                return _plain("invalid signature", 403)
            body = _decrypt(body).encode("utf-8")
        turn = parse_turn(body)
    except (InvalidSignatureException, InvalidAppIdException):
        return _plain("invalid signature or appid", 403)
    except MalformedMessage as exc:
        logger.info("rejected a malformed message: %s", exc)
        return _plain("malformed message", 400)

    answer = respond(turn)
    if answer is None:
        return _plain(SUCCESS)
    answer = as_sent(_runtime().settings, answer)
    reply = TextReply(source=turn.account, target=turn.openid, content=_cdata_safe(answer)).render()
    if encrypted:
        reply = _runtime().crypto.encrypt_message(
            reply, args.get("nonce", ""), args.get("timestamp")
        )
    return Response(reply, mimetype="application/xml")


def _cdata_safe(text: str) -> str:
    """wechatpy writes reply text into CDATA as it is; a "]]>" inside would end it early."""
    return text.replace("]]>", "]]]]><![CDATA[>")


def _decrypt(body: bytes) -> str:
    args = request.args
    try:
        return _runtime().crypto.decrypt_message(
            body, args.get("msg_signature", ""), args.get("timestamp", ""), args.get("nonce", "")
        )
    except (InvalidSignatureException, InvalidAppIdException):
        raise
    except (ValueError, KeyError, TypeError, IndexError, struct.error) as exc:
        raise MalformedMessage("cannot decrypt") from exc


def respond(turn: Turn) -> str | None:
    """The passive reply for a turn, or None to answer `success`."""
    if turn.kind is TurnKind.SILENT:
        return None
    if turn.kind is TurnKind.UNSUPPORTED:
        return replies.UNSUPPORTED
    if turn.kind is TurnKind.UNRECOGNISED_VOICE:
        return replies.UNRECOGNISED_VOICE
    remember(turn)
    if turn.kind in (TurnKind.UNFOLLOW, TurnKind.LOCATION_REPORT):
        return None
    return converse(turn)


FOLLOWING_EVENTS = {TurnKind.FOLLOW: record_follow, TurnKind.UNFOLLOW: record_unfollow}


def remember(turn: Turn) -> None:
    """Store what the turn tells about the follower: (un)following, or a shared place."""
    record_event = FOLLOWING_EVENTS.get(turn.kind)
    if record_event is None and turn.place is None:
        return
    with session_scope(_runtime().settings.database_url) as session:
        if record_event is not None:
            record_event(session, turn.openid)
        if turn.place is not None:
            record_place(session, turn.openid, turn.place)


def converse(turn: Turn) -> str | None:
    """Ask Rasa once per turn; serve the answer passively if it is ready within the budget."""
    runtime = _runtime()
    ledger = runtime.ledger
    text = rasa_text(turn)
    if turn.kind is TurnKind.TEXT:
        # Before the turn is stored anywhere: names, ID numbers and phones become placeholders.
        text = seal_values(
            runtime.settings.database_url,
            runtime.settings.data_key,
            turn.openid,
            turn.key,
            text,
            expected(runtime.redis, turn.openid),
        )
    owner = ledger.claim(turn.key, turn.openid, text, turn.metadata)
    if owner:
        current_app.extensions["turn_executor"].submit(answer_turn, runtime, turn.key, turn.openid)

    elapsed = time.monotonic() - g.received_at
    state = ledger.wait(turn.key, runtime.settings.reply_budget_seconds - elapsed)
    if state == READY:
        record = ledger.get(turn.key)
        return record.answer or None if record else None
    if state == DEFERRED:
        return replies.RECEIVED_WILL_ANSWER
    if state == PENDING and owner:
        final_state, answer = ledger.give_up(turn.key)
        if final_state == READY:
            return answer or None
        if final_state == DEFERRED:
            return replies.RECEIVED_WILL_ANSWER
    # Late: the worker delivers the answer through the customer-service API.
    return None
