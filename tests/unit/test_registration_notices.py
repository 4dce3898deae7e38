"""worker.registration_jobs: users are told of staff decisions on their registrations, once, and
only while WeChat lets a customer-service message reach them.

The jobs run in this process against SQLite, the test Redis db and the fake WeChat API.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

import worker.push_jobs
from registration.replies import decision_notice
from registration.store import decide, submit
from runtime import Runtime
from storage.db import session_scope
from storage.followers import record_message, record_unfollow
from storage.models import Follower, PersonalValue, Registration, utcnow
from worker.push_jobs import sweep_postings
from worker.registration_jobs import claim_notice, notify_decision, notify_decisions

from .support import DATA_KEY, FakeWeChat, add_registration, follower, registration_answers


@pytest.fixture
def runtime(worker_runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[Runtime]:
    monkeypatch.setattr(worker.push_jobs, "SWEEP_KEY", f"test:{worker_runtime.queue.name}:sweep")
    yield worker_runtime


def user(runtime: Runtime, name: str) -> str:
    return f"o_{name}_{runtime.queue.name}"


def wrote(runtime: Runtime, openid: str, hours_ago: float = 1) -> None:
    with session_scope(runtime.settings.database_url) as session:
        record_message(session, openid)
        session.get(Follower, openid).last_message_at = utcnow() - timedelta(hours=hours_ago)


def registration(runtime: Runtime, reference: str) -> Registration:
    with session_scope(runtime.settings.database_url) as session:
        found = session.execute(select(Registration).filter_by(reference=reference)).scalar_one()
        session.expunge(found)
        return found


def make_decision(runtime: Runtime, reference: str, decision: str, reason: str = "") -> None:
    with session_scope(runtime.settings.database_url) as session:
        found = session.execute(select(Registration).filter_by(reference=reference)).scalar_one()
        decide(session, found, decision, reason, None, utcnow())


def registrant(
    runtime: Runtime,
    name: str,
    serial: int = 1,
    decision: str | None = "approve",
    reason: str = "材料不全",
    hours_ago: float = 1,
) -> tuple[str, str]:
    """(openid, reference) of a user who registered and wrote ``hours_ago``, and on whose
    registration staff made ``decision`` (None: still pending)."""
    openid = user(runtime, name)
    reference = add_registration(runtime.settings.database_url, openid, serial)
    wrote(runtime, openid, hours_ago)
    if decision is not None:
        make_decision(runtime, reference, decision, "" if decision == "approve" else reason)
    return openid, reference


def notified_at(runtime: Runtime, reference: str) -> datetime | None:
    return registration(runtime, reference).decision_notified_at


@pytest.mark.parametrize(
    ("decisions", "words"),
    [
        (["approve"], "已审核通过"),
        (["reject"], "未通过审核，原因：材料不全"),
        (["approve", "exit"], "已办理退出，原因：材料不全"),
    ],
)
def test_the_user_is_told_of_a_decision_once(
    runtime: Runtime, fake_wechat: FakeWeChat, decisions: list[str], words: str
) -> None:
    openid, reference = registrant(runtime, "told", decision=None)
    for decision in decisions:
        make_decision(runtime, reference, decision, "" if decision == "approve" else "材料不全")

    assert notify_decisions() == "1 sent"
    assert notify_decisions() == "no decisions to tell"

    [text] = fake_wechat.texts_to(openid)
    assert text == decision_notice(registration(runtime, reference))
    assert reference in text and words in text
    assert notified_at(runtime, reference) is not None


def test_a_later_decision_is_told_too(runtime: Runtime, fake_wechat: FakeWeChat) -> None:
    openid, reference = registrant(runtime, "twice")
    assert notify_decisions() == "1 sent"

    make_decision(runtime, reference, "exit", "已找到工作")

    assert notify_decisions() == "1 sent"
    first, second = fake_wechat.texts_to(openid)
    assert "审核通过" in first and "已找到工作" in second


def test_a_pending_registration_is_not_told_anything(
    runtime: Runtime, fake_wechat: FakeWeChat
) -> None:
    openid, reference = registrant(runtime, "pending", decision=None)

    assert notify_decisions() == "no decisions to tell"
    assert fake_wechat.texts_to(openid) == []
    assert notified_at(runtime, reference) is None


def test_a_registration_submitted_again_before_the_notice_is_not_told_the_old_decision(
    runtime: Runtime, fake_wechat: FakeWeChat
) -> None:
    openid, _reference = registrant(runtime, "again", decision="reject")
    with session_scope(runtime.settings.database_url) as session:
        submit(session, openid, registration_answers(1), DATA_KEY, utcnow())

    assert notify_decisions() == "no decisions to tell"
    assert fake_wechat.texts_to(openid) == []


@pytest.mark.parametrize(("hours_ago", "sent"), [(0, 1), (47.9, 1), (48.1, 0), (24 * 30, 0)])
def test_only_a_user_who_wrote_within_48_hours_is_told(
    runtime: Runtime, fake_wechat: FakeWeChat, hours_ago: float, sent: int
) -> None:
    openid, reference = registrant(runtime, "window", hours_ago=hours_ago)

    notify_decisions()

    assert len(fake_wechat.texts_to(openid)) == sent
    assert (notified_at(runtime, reference) is not None) == bool(sent)


def test_a_user_outside_the_window_is_told_after_they_write(
    runtime: Runtime, fake_wechat: FakeWeChat
) -> None:
    openid, reference = registrant(runtime, "later", hours_ago=72)
    assert notify_decisions() == "no decisions to tell"

    wrote(runtime, openid, hours_ago=0)

    assert notify_decisions() == "1 sent"
    assert len(fake_wechat.texts_to(openid)) == 1


def test_a_user_who_unfollowed_is_not_told(runtime: Runtime, fake_wechat: FakeWeChat) -> None:
    openid, reference = registrant(runtime, "gone")
    with session_scope(runtime.settings.database_url) as session:
        record_unfollow(session, openid)

    assert notify_decisions() == "no decisions to tell"
    assert fake_wechat.texts_to(openid) == []


def test_a_user_we_have_never_heard_from_is_not_told(
    runtime: Runtime, fake_wechat: FakeWeChat
) -> None:
    openid = user(runtime, "silent")
    reference = add_registration(runtime.settings.database_url, openid)
    make_decision(runtime, reference, "approve")

    assert notify_decisions() == "no decisions to tell"


def test_45015_leaves_the_notice_for_when_the_user_next_writes(
    runtime: Runtime, fake_wechat: FakeWeChat
) -> None:
    openid, reference = registrant(runtime, "closed")
    fake_wechat.fail_sends_to(openid, 45015)

    assert notify_decisions() == "1 outside the window"
    assert notified_at(runtime, reference) is None
    assert fake_wechat.texts_to(openid) == []

    fake_wechat.fail_sends_to(openid, 0)
    wrote(runtime, openid, hours_ago=0)
    assert notify_decisions() == "1 sent"


def test_43004_marks_the_user_unfollowed_and_leaves_the_notice(
    runtime: Runtime, fake_wechat: FakeWeChat
) -> None:
    openid, reference = registrant(runtime, "left")
    fake_wechat.fail_sends_to(openid, 43004)

    assert notify_decisions() == "1 unfollowed"

    assert follower(runtime.settings.database_url, openid).followed is False
    assert notified_at(runtime, reference) is None
    fake_wechat.fail_sends_to(openid, 0)
    assert notify_decisions() == "no decisions to tell"
    assert fake_wechat.texts_to(openid) == []


@pytest.mark.parametrize("errcode", [45047, 40003, -1])
def test_another_refusal_releases_the_claim_and_a_later_sweep_sends_it(
    runtime: Runtime, fake_wechat: FakeWeChat, errcode: int
) -> None:
    openid, reference = registrant(runtime, "busy")
    other, _ = registrant(runtime, "fine", serial=2)
    fake_wechat.fail_sends_to(openid, errcode)

    assert notify_decisions() == "1 retry, 1 sent"
    assert notified_at(runtime, reference) is None
    assert len(fake_wechat.texts_to(other)) == 1

    fake_wechat.fail_sends_to(openid, 0)
    assert notify_decisions() == "1 sent"
    assert len(fake_wechat.texts_to(openid)) == 1


def test_a_notice_another_worker_claimed_is_not_sent_again(
    runtime: Runtime, fake_wechat: FakeWeChat
) -> None:
    openid, reference = registrant(runtime, "claimed")
    registration_id = registration(runtime, reference).id
    with session_scope(runtime.settings.database_url) as session:
        assert claim_notice(session, registration_id, utcnow())
        assert not claim_notice(session, registration_id, utcnow())

    assert notify_decision(runtime, registration_id) == "skipped"
    assert notify_decisions() == "no decisions to tell"
    assert fake_wechat.texts_to(openid) == []


def test_the_push_sweep_tells_users_of_decisions(runtime: Runtime, fake_wechat: FakeWeChat) -> None:
    openid, _reference = registrant(runtime, "swept")

    outcome = sweep_postings()

    assert outcome.startswith("0 postings fanned out")
    assert "registration decisions: 1 sent;" in outcome
    assert len(fake_wechat.texts_to(openid)) == 1
    assert "registration decisions: no decisions to tell;" in sweep_postings()


def test_the_push_sweep_deletes_the_personal_values_of_registrations_left_for_a_week(
    runtime: Runtime,
) -> None:
    with session_scope(runtime.settings.database_url) as session:
        for token, age in (
            ("oldoldoldold", timedelta(days=8)),
            ("newnewnewnew", timedelta(days=1)),
        ):
            session.add(
                PersonalValue(
                    token=token,
                    openid="o_unfinished",
                    kind="phone",
                    sealed="x",
                    created_at=utcnow() - age,
                )
            )

    assert sweep_postings().endswith("; 1 unfinished personal values deleted")
    with session_scope(runtime.settings.database_url) as session:
        assert session.execute(select(PersonalValue.token)).scalars().all() == ["newnewnewnew"]
