"""devstack.sample_postings: `make run` gives an empty development database postings to find."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from sqlalchemy import func, select

from devstack.sample_postings import add_sample_postings
from jobs.postings import visible_postings
from storage.db import session_scope
from storage.models import Posting

from .support import DATA_KEY


def settings(database_url: str, dev_mode: bool = True) -> SimpleNamespace:
    return SimpleNamespace(dev_mode=dev_mode, database_url=database_url, data_key=DATA_KEY)


def visible(database_url: str) -> int:
    with session_scope(database_url) as session:
        return len(session.execute(visible_postings(date.today())).unique().scalars().all())


def test_an_empty_development_database_gets_approved_sample_postings_once(
    database_url: str,
) -> None:
    assert add_sample_postings(settings(database_url), count=40) == 40  # type: ignore[arg-type]
    assert visible(database_url) == 40
    with session_scope(database_url) as session:
        assert (
            session.execute(
                select(func.count(Posting.id)).where(Posting.pushed_at.is_(None))
            ).scalar_one()
            == 0
        )

    assert add_sample_postings(settings(database_url), count=40) == 0  # type: ignore[arg-type]
    assert visible(database_url) == 40


def test_outside_development_nothing_is_added(database_url: str) -> None:
    assert add_sample_postings(settings(database_url, dev_mode=False)) == 0  # type: ignore[arg-type]
    assert visible(database_url) == 0
