"""`make run` on an empty development database: approved sample postings to search.

The postings are the invented sample (``jobs.sample``: employers marked （示例）, made-up phones),
imported as staff would import them and approved, so that "武汉有没有会计的工作" finds something
on a fresh machine. Only in development mode, and only when there are no postings at all.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from jobs.importer import import_postings
from jobs.postings import pending_employers, pending_postings, review
from jobs.sample import sample_csv
from settings import Settings
from storage.db import session_scope
from storage.models import Employer, Posting, utcnow

SAMPLE_SIZE = 500


def add_sample_postings(settings: Settings, count: int = SAMPLE_SIZE) -> int:
    """How many sample postings were added (0 when there were postings already)."""
    if not settings.dev_mode:
        return 0
    with session_scope(settings.database_url) as session:
        if session.execute(select(func.count(Posting.id))).scalar_one():
            return 0
        report = import_postings(
            session, sample_csv(count, date.today()).encode(), settings.data_key, date.today()
        )
        if not report.ok:
            raise RuntimeError(f"the sample postings did not import: {report.errors[:3]}")
    with session_scope(settings.database_url) as session:
        review(session, Employer, [employer.id for employer in pending_employers(session)], True)
        review(session, Posting, [posting.id for posting in pending_postings(session)], True)
        # Nobody subscribed before them: nothing to push.
        session.execute(Posting.__table__.update().values(pushed_at=utcnow()))
    return report.imported
