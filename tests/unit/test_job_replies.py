"""The web app and postings: contacts put into replies at the last moment, held pushes shown.

A reply names a posting's contact by a placeholder; the contact is unsealed only for the text
WeChat receives, so Redis (and Rasa's conversation log) keep the placeholder.
"""

from __future__ import annotations

from jobs.contacts import GONE, contact_placeholder
from jobs.pushes import held_flag

from .support import Harness, MakeApp, add_posting, message_xml, new_msg_id

CONTACT = "招聘专员刘先生 13800009876"


def posting(harness: Harness, valid_days: int = 30) -> int:
    return add_posting(
        harness.database_url,
        harness.runtime.settings.data_key,
        title="电工",
        city="遂宁",
        contact=CONTACT,
        valid_days=valid_days,
    )


def ask(harness: Harness, openid: str) -> tuple[str | None, str]:
    msg_id = new_msg_id()
    response = harness.post(message_xml("text", openid=openid, msg_id=msg_id))
    harness.settle()
    return harness.reply_text(response), f"msg:{msg_id}"


def test_a_reply_gets_the_contact_and_the_ledger_keeps_only_the_placeholder(
    make_app: MakeApp,
) -> None:
    harness = make_app()
    shown, expired = posting(harness), posting(harness, valid_days=-1)
    openid = harness.openid()
    harness.fake_rasa.answer_with(
        [
            {"recipient_id": openid, "text": f"联系：{contact_placeholder(shown)}"},
            {"recipient_id": openid, "text": f"联系：{contact_placeholder(expired)}"},
        ]
    )

    reply, key = ask(harness, openid)

    assert reply is not None and CONTACT in reply and GONE in reply
    record = harness.runtime.ledger.get(key)
    assert record is not None and CONTACT not in record.answer
    assert contact_placeholder(shown) in record.answer


def test_a_user_with_held_pushes_gets_them_shown_after_writing(make_app: MakeApp) -> None:
    harness = make_app()
    openid, other = harness.openid("held"), harness.openid("none")
    harness.runtime.redis.set(held_flag(openid), "1")

    ask(harness, other)
    assert [job.func_name for job in harness.runtime.queue.jobs] == []

    ask(harness, openid)
    assert [job.func_name for job in harness.runtime.queue.jobs] == [
        "worker.push_jobs.show_held_pushes"
    ]
    assert harness.runtime.queue.jobs[0].args == (openid,)
