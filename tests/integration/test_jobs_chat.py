"""Job search, subscriptions and pushes through the whole system: the webhook, the trained model
in Rasa, the action server, the worker, PostgreSQL, Redis and the fake WeChat API.

Postings are imported and approved the way staff do it (``jobs.importer``, ``jobs.postings``);
the worker looks for newly visible postings every second here (PUSH_SWEEP_SECONDS).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
import requests
from sqlalchemy import func, select

from chat.wechat_sender import WeChatSender
from devstack.stack import LocalStack
from jobs.importer import import_postings
from jobs.layout import HEADERS
from jobs.postings import approve_all_pending
from jobs.sample import sample_csv
from staff.accounts import add_member
from storage.db import session_scope
from storage.models import HELD, JobPush, Posting

from .helpers import ask, fake_wechat_url, rasa_bot_texts, sent_messages, wait_until

PHONE = re.compile(r"1380000\d{4}|0\d{2,3}-8000\d{4}")
PUSH_WAIT = 30.0


def add_postings(stack: LocalStack, csv_text: str) -> None:
    settings = stack.settings
    assert settings is not None
    with session_scope(settings.database_url) as session:
        report = import_postings(session, csv_text.encode(), settings.data_key, date.today())
        assert report.ok, report.errors
    with session_scope(settings.database_url) as session:
        approve_all_pending(session)


def one_posting(title: str, city: str, phone: str) -> str:
    cells = {
        "岗位名称": title,
        "用人单位": f"{city}汉水电子有限公司（示例）",
        "城市": city,
        "区县": "",
        "月薪下限": "5000",
        "月薪上限": "8000",
        "岗位要求": "持证上岗",
        "学历要求": "中专",
        "适合人群": "农民工",
        "用工形式": "全职",
        "联系方式": f"人事部王经理 {phone}",
        "信息来源": "单位直接提供",
        "有效期至": (date.today() + timedelta(days=30)).isoformat(),
    }
    return ",".join(HEADERS) + "\n" + ",".join(cells[name] for name in HEADERS) + "\n"


def all_fanned_out(database_url: str) -> bool:
    with session_scope(database_url) as session:
        waiting = session.execute(
            select(func.count(Posting.id)).where(
                Posting.state == "approved", Posting.pushed_at.is_(None)
            )
        ).scalar_one()
    return waiting == 0


@pytest.fixture(scope="module")
def sample_postings(stack: LocalStack) -> Iterator[str]:
    """300 approved sample postings, already matched to (no) subscriptions by the worker."""
    settings = stack.settings
    assert settings is not None
    add_postings(stack, sample_csv(300, date.today(), seed=7))
    assert wait_until(lambda: all_fanned_out(settings.database_url), PUSH_WAIT)
    yield settings.database_url


def custom_texts(stack: LocalStack, openid: str) -> list[str]:
    return [
        message["payload"]["text"]["content"]
        for message in sent_messages(stack, openid)
        if message["kind"] == "custom"
    ]


def test_search_page_subscribe_push_once_and_unsubscribe(
    stack: LocalStack, sender: WeChatSender, sample_postings: str, openid: str
) -> None:
    reply = ask(sender, openid, "武汉有什么工作")
    assert reply.startswith("为您找到") and "（武汉）" in reply
    assert "1. " in reply and "更多" in reply
    assert PHONE.search(reply) and "⟦" not in reply
    # The conversation log keeps the posting's number, not its contact.
    assert not any(PHONE.search(text) for text in rasa_bot_texts(stack, openid))

    reply = ask(sender, openid, "更多")
    assert re.search(r"\n6\. ", reply), reply

    reply = ask(sender, openid, "有新的岗位就通知我")
    assert "订阅好了" in reply and "武汉" in reply

    add_postings(stack, one_posting("焊工", "武汉", "13800009999"))
    [push] = wait_until(lambda: custom_texts(stack, openid), PUSH_WAIT)
    assert "焊工" in push and "13800009999" in push
    add_postings(stack, one_posting("电工", "西安", "13800009998"))  # not what they asked for
    assert wait_until(lambda: all_fanned_out(sample_postings), PUSH_WAIT)
    assert custom_texts(stack, openid) == [push]

    reply = ask(sender, openid, "取消订阅")
    assert "已为您取消全部岗位订阅" in reply
    add_postings(stack, one_posting("普工", "武汉", "13800009997"))
    assert wait_until(lambda: all_fanned_out(sample_postings), PUSH_WAIT)
    assert custom_texts(stack, openid) == [push]


def test_a_push_wechat_refuses_for_the_window_is_held_and_shown_when_the_user_writes(
    stack: LocalStack, sender: WeChatSender, sample_postings: str, openid: str
) -> None:
    reply = ask(sender, openid, "订阅遂宁的电工岗位")
    assert "订阅好了" in reply and "遂宁" in reply and "电工" in reply
    requests.post(
        f"{fake_wechat_url(stack)}/_fake/errors",
        json={"openid": openid, "errcode": 45015},
        timeout=5,
    ).raise_for_status()

    add_postings(stack, one_posting("电工", "遂宁", "13800009996"))

    def held() -> list[int]:
        with session_scope(sample_postings) as session:
            query = select(JobPush.id).where(JobPush.openid == openid, JobPush.state == HELD)
            return list(session.execute(query).scalars())

    assert wait_until(held, PUSH_WAIT)
    requests.post(
        f"{fake_wechat_url(stack)}/_fake/errors", json={"openid": openid, "errcode": 0}, timeout=5
    ).raise_for_status()

    ask(sender, openid, "你好")

    [digest] = wait_until(lambda: custom_texts(stack, openid), PUSH_WAIT)
    assert digest.startswith("您有1条新岗位") and "电工" in digest and "13800009996" in digest
    assert not held()


def test_staff_import_and_approve_over_the_api_then_job_seekers_find_the_posting(
    stack: LocalStack, sender: WeChatSender, sample_postings: str, openid: str
) -> None:
    with session_scope(sample_postings) as session:
        _member, token = add_member(session, f"officer-{openid[-8:]}", "postings_officer")
    api = f"{stack.web_url}/api/staff"
    headers = {"Authorization": f"Bearer {token}"}
    posting = one_posting("焊工", "十堰", "13800009995")

    imported = requests.post(
        f"{api}/postings/import",
        files={"file": ("岗位.csv", posting.encode(), "text/csv")},
        headers=headers,
        timeout=30,
    )
    assert imported.status_code == 200, imported.text
    assert "13800009995" not in ask(sender, openid, "十堰有焊工的工作吗")  # pending: not shown yet

    pending = requests.get(f"{api}/postings", headers=headers, timeout=10).json()["postings"]
    [new] = [item for item in pending if item["title"] == "焊工" and item["city"] == "十堰"]
    assert new["contact"] == "人事部王经理 138****9995"
    for kind, ids in (("postings", [new["id"]]), ("employers", [new["employer"]["id"]])):
        reviewed = requests.post(
            f"{api}/{kind}/review",
            json={"ids": ids, "decision": "approve"},
            headers=headers,
            timeout=10,
        )
        assert reviewed.status_code == 200, reviewed.text

    reply = ask(sender, openid, "十堰有焊工的工作吗")
    assert "焊工" in reply and "13800009995" in reply
