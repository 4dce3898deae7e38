"""Postings' contacts in replies: a placeholder while the text is stored, the contact itself only
in the message sent to WeChat.

A reply names a contact by ``contact_placeholder`` (the posting's number); ``fill_contacts`` puts
the contact in just before the text goes out. Only a posting job seekers may still see gives its
contact; one taken down or expired since reads "岗位已下线".
"""

from __future__ import annotations

import logging
import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from jobs.postings import visible_on
from settings import today
from storage.db import session_scope
from storage.models import Posting
from storage.sealed import SealError, mask_phones, unseal

logger = logging.getLogger(__name__)

_OPEN, _CLOSE = "⟦联系方式:", "⟧"
_PLACEHOLDER = re.compile(re.escape(_OPEN) + r"(\d{1,9})" + re.escape(_CLOSE))
GONE = "岗位已下线"


def contact_placeholder(posting_id: int) -> str:
    return f"{_OPEN}{posting_id}{_CLOSE}"


def masked_contact(posting: Posting, data_key: str) -> str | None:
    """The contact as staff see it, phones masked ("人事部王经理 138****0001"); None when this
    key cannot open it."""
    try:
        return mask_phones(unseal(posting.contact_sealed, data_key))
    except SealError:
        return None


def has_contacts(text: str) -> bool:
    return _OPEN in text


def fill_contacts(session: Session, text: str, data_key: str, today: date) -> str:
    ids = {int(found) for found in _PLACEHOLDER.findall(text)}
    if not ids:
        return text
    query = (
        select(Posting.id, Posting.contact_sealed)
        .join(Posting.employer)
        .where(Posting.id.in_(ids), visible_on(today))
    )
    contacts: dict[int, str] = {}
    for posting_id, sealed in session.execute(query):
        try:
            contacts[posting_id] = unseal(sealed, data_key)
        except SealError:
            logger.error("posting %s: its contact cannot be unsealed with DATA_KEY", posting_id)
    return _PLACEHOLDER.sub(lambda match: contacts.get(int(match.group(1)), GONE), text)


def with_contacts(database_url: str, text: str, data_key: str) -> str:
    """``text`` with its placeholders filled; the database is asked only when it has some."""
    if not has_contacts(text):
        return text
    with session_scope(database_url) as session:
        return fill_contacts(session, text, data_key, today())
