"""The last step before an answer goes to WeChat: what the stored answer names by placeholder
put in (postings' contacts, the user's own personal data, masked where it must be)."""

from __future__ import annotations

from jobs.contacts import with_contacts
from registration.personal import with_personal
from settings import Settings


def as_sent(settings: Settings, answer: str) -> str:
    answer = with_contacts(settings.database_url, answer, settings.data_key)
    return with_personal(settings.database_url, answer, settings.data_key)
