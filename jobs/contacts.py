"""Putting postings' contacts into a reply just before it goes to WeChat.

Replies name a contact by a placeholder holding the posting's number (``jobs.listing``). Only a
posting job seekers may still see gives its contact; one taken down or expired since reads
"岗位已下线". The contact is unsealed here and lives only in the message sent.
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
from storage.sealed import SealError, unseal

logger = logging.getLogger(__name__)

_PLACEHOLDER = re.compile(r"⟦联系方式:(\d{1,9})⟧")
GONE = "岗位已下线"


def has_contacts(text: str) -> bool:
    return "⟦联系方式:" in text


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
