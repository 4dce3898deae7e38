"""Policy questions through the signed webhook, real Rasa and the action server: answers from the
notices with their source, and follow-ups that keep the topic."""

from __future__ import annotations

import pytest

from chat.wechat_sender import WeChatSender
from devstack.stack import LocalStack

from .helpers import ask, new_openid, rasa_tracker


@pytest.mark.parametrize(
    ("question", "facts"),
    [
        (
            "湖北大学生创业培训补贴给多少",
            ["湖北省：", "1500元/人", "来源：湖北省人力资源和社会保障厅《"],
        ),
        (
            "陝西失業金還有60天申領期限嗎",
            ["陕西省：", "取消失业保险金60日申领期限", "来源：陕西省"],
        ),
    ],
)
def test_a_policy_question_is_answered_from_the_notices_with_its_source(
    sender: WeChatSender, question: str, facts: list[str]
) -> None:
    answer = ask(sender, new_openid("policy"), question)

    for fact in facts:
        assert fact in answer
    assert len(answer) <= 600


def test_a_question_the_notices_do_not_answer_offers_the_hotline_and_a_person(
    sender: WeChatSender,
) -> None:
    answer = ask(sender, new_openid("policy"), "请问公积金怎么提取")

    assert "12333" in answer and "转人工" in answer
    assert "来源：" not in answer


def test_follow_ups_keep_the_topic(stack: LocalStack, sender: WeChatSender) -> None:
    openid = new_openid("follow")

    first = ask(sender, openid, "陕西创业担保贷款怎么申请")
    other_place = ask(sender, openid, "那湖北呢")
    aspect = ask(sender, openid, "需要什么材料")

    assert first.startswith("陕西省：") and "创业担保贷款" in first
    assert other_place.startswith("湖北省：") and "创业担保贷款" in other_place
    assert "陕西省" not in other_place
    assert aspect.startswith("湖北省：") and "材料" in aspect
    slots = rasa_tracker(stack, openid)["slots"]
    assert slots["last_topic"] == "policy"
    assert "湖北" in slots["last_question"] and "材料" in slots["last_question"]


def test_a_campaign_follow_up_names_the_other_regions_plan(sender: WeChatSender) -> None:
    openid = new_openid("follow")

    national = ask(sender, openid, "春风行动什么时候")
    suining = ask(sender, openid, "那遂宁呢")

    assert "春风行动" in national and "1-3月" in national
    assert "春风行动" in suining and "遂宁" in suining
    assert suining != national
