"""`make run` on an empty development database: approved sample postings to search.

The postings are the invented sample (``jobs.sample``: employers marked （示例）, made-up phones),
imported as staff would import them and approved, so that "武汉有没有会计的工作" finds something
on a fresh machine. Only in development mode, and only when there are no postings at all.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from jobs.importer import import_postings
from jobs.postings import approve_all_pending
from jobs.sample import sample_csv
from settings import Settings
from storage.db import session_scope
from storage.models import Posting, utcnow

SAMPLE_SIZE = 500
SAMPLE_SEED = 2023


def add_sample_postings(settings: Settings, count: int = SAMPLE_SIZE) -> int:
    """How many sample postings were added (0 when there were postings already)."""
    if not settings.dev_mode:
        return 0
    with session_scope(settings.database_url) as session:
        if session.execute(select(func.count(Posting.id))).scalar_one():
            return 0
    return add_approved_sample(settings.database_url, settings.data_key, count, date.today())


def add_approved_sample(
    database_url: str, data_key: str, count: int, today: date, seed: int = SAMPLE_SEED
) -> int:
    """Import ``count`` sample postings as staff would, approve them and their employers, and
    count them as matched to subscriptions already (nobody subscribed before them)."""
    with session_scope(database_url) as session:
        report = import_postings(session, sample_csv(count, today, seed).encode(), data_key, today)
        if not report.ok:
            raise RuntimeError(f"the sample postings did not import: {report.errors[:3]}")
    with session_scope(database_url) as session:
        approve_all_pending(session)
        session.execute(Posting.__table__.update().values(pushed_at=utcnow()))
    return report.imported
