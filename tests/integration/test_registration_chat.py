"""Unemployment registration through the whole system: the signed webhook, the trained model in
Rasa, the action server, PostgreSQL, Redis, the worker and the fake WeChat API.

Every check of personal data looks at the stores themselves: Rasa's tracker (the conversation
log), the turn records in Redis, and the registrations table.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import requests
from redis import Redis
from sqlalchemy import select, text
from sqlalchemy.engine import Engine

from chat.wechat_sender import WeChatSender
from devstack.stack import LocalStack
from jobs.importer import import_postings
from jobs.layout import HEADERS
from jobs.postings import approve_all_pending
from staff.accounts import add_member
from storage.db import session_scope
from storage.models import Registration, ServiceRecord

from .helpers import ask, rasa_tracker, sent_messages, turn_keys_of, wait_until

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
NAME = "欧阳小芳"
PHONE = "13912345678"
NEW_PHONE = "13787654321"


def with_checksum(first_17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first_17, WEIGHTS, strict=True))
    return first_17 + "10X98765432"[total % 11]


ID_NUMBER = with_checksum("42011119880512004")  # a woman born 1988, Wuhan


def clear_values_in(stack: LocalStack, redis: Redis, openid: str) -> list[str]:
    """Which of the personal values appear anywhere in Rasa's log or the Redis turn records."""
    stored = str(rasa_tracker(stack, openid))
    for key in turn_keys_of(redis, openid):
        stored += str(redis.hgetall(key))
    return [value for value in (NAME, ID_NUMBER, PHONE, NEW_PHONE) if value in stored]


@pytest.fixture(scope="module")
def electrician_postings(stack: LocalStack) -> str:
    settings = stack.settings
    assert settings is not None
    valid_until = (date.today() + timedelta(days=30)).isoformat()
    rows = [",".join(HEADERS)]
    for number in range(4):
        cells = {
            "岗位名称": "电工",
            "用人单位": f"武汉登记测试电气{number}有限公司（示例）",
            "城市": "武汉",
            "区县": "洪山区",
            "月薪下限": "5000",
            "月薪上限": "7000",
            "岗位要求": "持低压电工证",
            "学历要求": "中专",
            "适合人群": "农民工",
            "用工形式": "全职",
            "联系方式": f"人事部 1380000{7000 + number}",
            "信息来源": "单位直接提供",
            "有效期至": valid_until,
        }
        rows.append(",".join(cells[name] for name in HEADERS))
    with session_scope(settings.database_url) as session:
        report = import_postings(
            session, ("\n".join(rows) + "\n").encode(), settings.data_key, date.today()
        )
        assert report.ok, report.errors
    with session_scope(settings.database_url) as session:
        approve_all_pending(session)
    return settings.database_url


def test_register_by_chat_with_every_kind_of_answer_then_confirm_check_and_hear_the_decision(
    stack: LocalStack,
    sender: WeChatSender,
    stack_redis: Redis,
    stack_db: Engine,
    electrician_postings: str,
    openid: str,
) -> None:
    reply = ask(sender, openid, "我要办失业登记")
    # The welcome and the first question, nothing else.
    [welcome, question] = reply.split("\n\n")
    assert "失业登记" in welcome and question == "请问您的姓名？"

    assert "身份证" in ask(sender, openid, NAME)
    reply = ask(sender, openid, ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1"))
    assert "校验" in reply and "身份证" in reply  # the reason, then the question again
    full_width = ID_NUMBER.translate({code: code + 0xFEE0 for code in range(0x30, 0x3A)})
    assert "手机" in ask(sender, openid, full_width)
    assert "11位" in ask(sender, openid, "12345")
    assert "区县" in ask(sender, openid, PHONE)
    assert "户籍地" in ask(sender, openid, "武汉市洪山区")
    assert "哪一类" in ask(sender, openid, "2")
    assert "之前做" in ask(sender, openid, "農民工")  # Traditional
    reply = ask(sender, openid, "失业保险金怎么领？")
    assert "失业保险" in reply and "之前做" in reply  # answered, then back to the form
    assert "没能识别" in ask(sender, openid, "'; DROP TABLE registrations; --")
    assert "有点长" in ask(sender, openid, "普工" * 200)
    assert "结束" in ask(sender, openid, "在电子厂做普工😀")
    assert "想找什么工作" in ask(sender, openid, "厂子倒闭了")
    assert "培训" in ask(sender, openid, "武汉 电工")
    summary = ask(sender, openid, "要")
    assert f"姓名：{NAME}" in summary
    assert f"身份证号：{ID_NUMBER[:6]}********{ID_NUMBER[-4:]}" in summary
    assert "手机号：139****5678" in summary and "单位关闭或破产" in summary

    assert "手机" in ask(sender, openid, "手机号填错了")
    summary = ask(sender, openid, NEW_PHONE)
    assert "手机号：137****4321" in summary

    reply = ask(sender, openid, "确认")
    assert "编号：DJ" in reply and "待审核" in reply
    assert "来源：陕西省人力资源和社会保障厅《" in reply
    assert reply.count("电工｜") == 3 and reply.count("联系：") == 3 and "⟦" not in reply
    assert "没太明白" not in reply
    assert clear_values_in(stack, stack_redis, openid) == []

    with session_scope(electrician_postings) as session:
        registration = session.execute(select(Registration).filter_by(openid=openid)).scalar_one()
        reference = registration.reference
        assert registration.status == "pending" and registration.group_name == "农民工"
        row = str(
            session.execute(
                text("SELECT * FROM registrations WHERE id = :id"), {"id": registration.id}
            ).one()
        )
        assert NAME not in row and ID_NUMBER not in row and NEW_PHONE not in row
        kinds = session.execute(
            select(ServiceRecord.kind, ServiceRecord.posting_ids).filter_by(
                registration_id=registration.id
            )
        ).all()
        assert {kind for kind, _ids in kinds} == {"policy_briefing", "job_recommendation"}
        assert max(len(ids.split("、")) for _kind, ids in kinds) == 3

    reply = ask(sender, openid, "查一下我的登记进度")
    assert reference in reply and "待审核" in reply

    with session_scope(electrician_postings) as session:
        _member, token = add_member(session, f"reviewer-{openid[-8:]}", "registration_officer")
    decided = requests.post(
        f"{stack.web_url}/api/staff/registrations/{reference}/decision",
        json={"decision": "approve"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert decided.status_code == 200, decided.text

    def notice() -> list[str]:
        return [
            message["payload"]["text"]["content"]
            for message in sent_messages(stack, openid)
            if message["kind"] == "custom" and reference in message["payload"]["text"]["content"]
        ]

    [sent] = wait_until(notice, 30)
    assert "审核通过" in sent
    assert "已登记" in ask(sender, openid, "登记审核通过了吗")
    logs = "".join(
        path.read_text(encoding="utf-8", errors="replace") for path in stack.log_dir.glob("*.log")
    )
    assert logs and [value for value in (NAME, ID_NUMBER, PHONE, NEW_PHONE) if value in logs] == []


def test_cancel_midway_stores_nothing(
    stack: LocalStack, sender: WeChatSender, stack_redis: Redis, openid: str
) -> None:
    ask(sender, openid, "我要办失业登记")
    ask(sender, openid, NAME)
    assert "手机" in ask(sender, openid, ID_NUMBER)

    reply = ask(sender, openid, "算了")

    assert "已取消" in reply
    assert clear_values_in(stack, stack_redis, openid) == []
    settings = stack.settings
    assert settings is not None
    with session_scope(settings.database_url) as session:
        assert session.execute(select(Registration).filter_by(openid=openid)).first() is None
    assert "还没有" in ask(sender, openid, "查登记进度")
