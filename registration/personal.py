"""Names, ID numbers and phone numbers in the conversation: sealed the moment the webhook reads
them, a placeholder everywhere after (the turn in Redis, Rasa, its tracker store, the logs), and
put back only into the message that goes to WeChat: the user's own name in full, an ID number or
phone masked.

A placeholder reads ``⟦身份证号:k3j9x2m4p7q1⟧``. Its token is derived from the turn's key, so a
WeChat retry of the same message makes the same token and stores nothing twice. ID numbers and
mobile numbers are found wherever they appear; a name only where the bot asked for one (the
form's question says so, ``expects``) or the user says "我叫…".
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from redis import Redis
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from registration.answers import InvalidAnswer, mask_phone, parse_name
from registration.identity import mask_id_number
from storage.db import session_scope
from storage.models import PersonalValue
from storage.sealed import SealError, seal, unseal

logger = logging.getLogger(__name__)

NAME, ID_NUMBER, PHONE = "name", "id_number", "phone"
LABELS = {NAME: "姓名", ID_NUMBER: "身份证号", PHONE: "手机号"}
_KINDS = {label: kind for kind, label in LABELS.items()}
_PLACEHOLDER = re.compile(r"⟦(姓名|身份证号|手机号):([a-z2-7]{12})⟧")
HIDDEN = "（已隐藏）"

# Full-width digits, letters, +, - and space as ASCII, so "４２０１…" is found like "4201…".
_FULL_WIDTH = {
    code: code - 0xFEE0
    for code in (
        *range(0xFF10, 0xFF1A),
        *range(0xFF21, 0xFF3B),
        *range(0xFF41, 0xFF5B),
        0xFF0B,
        0xFF0D,
    )
} | {0x3000: 0x20}
# 15 to 18 digits (the last may be X), perhaps spaced or hyphenated in groups. No region code
# starts with 0, so "0086 138…" is left for _MOBILE.
_ID_LIKE = re.compile(r"(?<![0-9])[1-9](?:[ -]?[0-9]){13,16}[ -]?[0-9Xx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9])(?:(?:\+|00)?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]){8}(?![0-9])")
# When the bot asked for an ID number or a phone, any run of digits long enough to be part of one.
_DIGIT_RUN = {
    ID_NUMBER: re.compile(r"(?<![0-9])[0-9](?:[ -]?[0-9]){5,}[ -]?[Xx]?"),
    PHONE: re.compile(r"(?<![0-9])(?:\+?86[ -]?)?[0-9](?:[ -]?[0-9]){6,}"),
}
_NAME_SAID = re.compile(
    r"(?:我叫|我的名字是|名字是|名字叫|姓名是|姓名[:：]?)\s*([^\s，,。.！!？?；;]{2,20})"
)

EXPECTS_TTL_SECONDS = 24 * 3600
# How long the values of a registration left unfinished are kept (the worker deletes them after).
UNFINISHED_KEPT = timedelta(days=7)


def placeholder(kind: str, token: str) -> str:
    return f"⟦{LABELS[kind]}:{token}⟧"


def placeholders_in(text: str) -> list[tuple[str, str]]:
    """The (kind, token) of each placeholder in ``text``."""
    return [(_KINDS[label], token) for label, token in _PLACEHOLDER.findall(text)]


def token_in(text: str, kind: str) -> str | None:
    """The token of the last placeholder of ``kind`` in ``text``, if any."""
    tokens = [token for found, token in placeholders_in(text) if found == kind]
    return tokens[-1] if tokens else None


def _encoded(random_bytes: bytes) -> str:
    """A placeholder's token: 12 characters of base32, lower case."""
    return base64.b32encode(random_bytes).decode("ascii").lower()[:12]


def _token(data_key: str, openid: str, turn_key: str, index: int) -> str:
    digest = hmac.new(data_key.encode(), f"{openid}|{turn_key}|{index}".encode(), hashlib.sha256)
    return _encoded(digest.digest())


def redact(text: str, expects: str | None) -> tuple[str, list[tuple[str, str]]]:
    """``text`` with each personal value replaced by a numbered slot ``\\x00N\\x00``, and the
    (kind, value) of each. Pure: ``seal_values`` stores them and writes the placeholders."""
    found: list[tuple[str, str]] = []

    def replacer(kind: str, clean: Callable[[str], str] = lambda value: value) -> Callable:
        def replace(match: re.Match[str]) -> str:
            found.append((kind, clean(match.group(0))))
            return f"\x00{len(found) - 1}\x00"

        return replace

    def digits(value: str) -> str:
        return re.sub(r"[ -]", "", value).upper()

    typed = text
    text = text.translate(_FULL_WIDTH)
    text = _ID_LIKE.sub(replacer(ID_NUMBER, digits), text)
    text = _MOBILE.sub(replacer(PHONE, lambda value: digits(value)[-11:]), text)
    if expects in _DIGIT_RUN:
        text = _DIGIT_RUN[expects].sub(replacer(expects, digits), text)
    if expects == NAME and "\x00" not in text:
        try:
            name = parse_name(text)
        except InvalidAnswer:
            pass
        else:
            found.append((NAME, name))
            return "\x000\x00", found
    for match in reversed(list(_NAME_SAID.finditer(text))):
        try:
            name = parse_name(match.group(1))
        except InvalidAnswer:
            continue
        found.append((NAME, name))
        start, end = match.span(1)
        text = f"{text[:start]}\x00{len(found) - 1}\x00{text[end:]}"
    # Nothing personal: the text goes on exactly as typed (full-width and all).
    return (text, found) if found else (typed, found)


def seal_values(
    database_url: str, data_key: str, openid: str, turn_key: str, text: str, expects: str | None
) -> str:
    """The text to pass on: every personal value in it sealed into ``personal_values`` and
    replaced by its placeholder. The same turn gives the same tokens."""
    redacted, found = redact(text, expects)
    if not found:
        return redacted
    tokens = [_token(data_key, openid, turn_key, index) for index in range(len(found))]
    try:
        with session_scope(database_url) as session:
            known = set(
                session.execute(
                    select(PersonalValue.token).where(PersonalValue.token.in_(tokens))
                ).scalars()
            )
            session.add_all(
                PersonalValue(token=token, openid=openid, kind=kind, sealed=seal(value, data_key))
                for token, (kind, value) in zip(tokens, found, strict=True)
                if token not in known
            )
    except IntegrityError:
        logger.info("a retry of the same turn stored its personal values first")
    return re.sub(
        "\x00([0-9]+)\x00",
        lambda match: placeholder(found[int(match.group(1))][0], tokens[int(match.group(1))]),
        redacted,
    )


def seal_one(session: Session, data_key: str, openid: str, kind: str, value: str) -> str:
    """Seal one value that reached Rasa without the webhook (``rasa shell``, test stories): its
    placeholder, so at least the slots and what follows never hold it."""
    token = _encoded(secrets.token_bytes(10))
    session.add(PersonalValue(token=token, openid=openid, kind=kind, sealed=seal(value, data_key)))
    session.flush()
    return placeholder(kind, token)


def forget_values(session: Session, openid: str) -> int:
    """Delete the sealed values ``openid`` typed: a cancelled registration keeps nothing, and a
    submitted one has its own sealed copies."""
    query = delete(PersonalValue).where(PersonalValue.openid == openid)
    return session.execute(query).rowcount or 0


def forget_stale_values(session: Session, older_than: datetime) -> int:
    """Delete every sealed value typed before ``older_than`` (a registration left unfinished)."""
    query = delete(PersonalValue).where(PersonalValue.created_at < older_than)
    return session.execute(query).rowcount or 0


def value_of(session: Session, data_key: str, openid: str, kind: str, token: str) -> str | None:
    """The value behind a placeholder the user ``openid`` typed; None when it is not theirs."""
    stored = session.get(PersonalValue, token)
    if stored is None or stored.openid != openid or stored.kind != kind:
        return None
    try:
        return unseal(stored.sealed, data_key)
    except SealError:
        logger.error("a personal value cannot be unsealed with DATA_KEY")
        return None


_SHOWN = {NAME: lambda name: name, ID_NUMBER: mask_id_number, PHONE: mask_phone}


def fill_personal(session: Session, text: str, data_key: str) -> str:
    """``text`` as its reader may see it: the user's own name in full, ID numbers and phones
    masked."""
    tokens = {token for _kind, token in placeholders_in(text)}
    if not tokens:
        return text
    stored = {
        value.token: value
        for value in session.execute(
            select(PersonalValue).where(PersonalValue.token.in_(tokens))
        ).scalars()
    }

    def shown(match: re.Match[str]) -> str:
        kind, value = _KINDS[match.group(1)], stored.get(match.group(2))
        if value is None or value.kind != kind:
            return HIDDEN
        try:
            return _SHOWN[kind](unseal(value.sealed, data_key))
        except (SealError, ValueError):
            return HIDDEN

    return _PLACEHOLDER.sub(shown, text)


def with_personal(database_url: str, text: str, data_key: str) -> str:
    """``fill_personal``, asking the database only when the text has placeholders."""
    if not _PLACEHOLDER.search(text):
        return text
    with session_scope(database_url) as session:
        return fill_personal(session, text, data_key)


def expects_key(openid: str) -> str:
    return f"expects:{openid}"


def remember_expected(redis: Redis, openid: str, expects: str | None) -> None:
    """What the bot's last question asked for, so the user's answer is sealed even when it is
    only a name."""
    if expects in LABELS:
        redis.set(expects_key(openid), expects, ex=EXPECTS_TTL_SECONDS)
    else:
        redis.delete(expects_key(openid))


def expected(redis: Redis, openid: str) -> str | None:
    value = redis.get(expects_key(openid))
    if value is None:
        return None
    kind = value.decode() if isinstance(value, bytes) else str(value)
    return kind if kind in LABELS else None
