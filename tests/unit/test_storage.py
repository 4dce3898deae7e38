"""storage: the follower and handoff repositories, and migrations matching the models."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from storage.db import engine_for, ping, session_scope
from storage.followers import (
    Place,
    is_following,
    place_of,
    record_follow,
    record_message,
    record_place,
    record_unfollow,
)
from storage.handoffs import request_handoff, waiting_handoffs
from storage.migrate import upgrade
from storage.models import Base

from .support import follower


def test_unknown_user_counts_as_following(database_url: str) -> None:
    with session_scope(database_url) as session:
        assert is_following(session, "o_new") is True
        assert place_of(session, "o_new") is None


@pytest.mark.parametrize(
    ("steps", "following"),
    [
        ([record_follow], True),
        ([record_follow, record_unfollow], False),
        ([record_unfollow, record_follow], True),
        ([record_unfollow], False),
        # a message time written late must not undo an unfollow that came after the message
        ([record_unfollow, record_message], False),
    ],
)
def test_following_state_follows_the_last_event(
    database_url: str, steps: list, following: bool
) -> None:
    for step in steps:
        with session_scope(database_url) as session:
            step(session, "o_user")

    with session_scope(database_url) as session:
        assert is_following(session, "o_user") is following


def test_unfollow_keeps_the_time(database_url: str) -> None:
    with session_scope(database_url) as session:
        record_follow(session, "o_user")
        record_unfollow(session, "o_user")

    recorded = follower(database_url, "o_user")
    assert recorded is not None
    assert recorded.followed_at is not None
    assert recorded.unfollowed_at is not None


def test_place_is_remembered_and_replaced(database_url: str) -> None:
    with session_scope(database_url) as session:
        record_place(session, "o_user", Place(30.59, 114.30, "武汉"))
    with session_scope(database_url) as session:
        record_place(session, "o_user", Place(23.13, 113.35, "广州"))

    with session_scope(database_url) as session:
        assert place_of(session, "o_user") == Place(23.13, 113.35, "广州")


def test_long_place_label_is_cut_to_the_column(database_url: str) -> None:
    with session_scope(database_url) as session:
        record_place(session, "o_user", Place(1.0, 2.0, "路" * 400))

    with session_scope(database_url) as session:
        place = place_of(session, "o_user")
    assert place is not None
    assert len(place.label) == 255


def test_a_failed_session_rolls_back(database_url: str) -> None:
    with pytest.raises(RuntimeError), session_scope(database_url) as session:
        record_follow(session, "o_user")
        session.flush()
        raise RuntimeError("boom")

    assert follower(database_url, "o_user") is None


def test_one_waiting_handoff_per_user(database_url: str) -> None:
    with session_scope(database_url) as session:
        assert request_handoff(session, "o_user") is True
    with session_scope(database_url) as session:
        assert request_handoff(session, "o_user") is False
        assert request_handoff(session, "o_other") is True

    with session_scope(database_url) as session:
        assert [handoff.openid for handoff in waiting_handoffs(session)] == ["o_user", "o_other"]


def test_migrations_build_the_tables_the_models_describe(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    upgrade(url)
    engine = engine_for(url)

    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()

    assert differences == []


def test_ping_answers_for_a_working_database(database_url: str) -> None:
    ping(database_url)
    with engine_for(database_url).connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
