"""knowledge.thesaurus: how people say it becomes how the notices say it, and nothing else."""

from __future__ import annotations

import pytest

from knowledge.thesaurus import load_thesaurus, parse_thesaurus


@pytest.mark.parametrize(
    ("question", "rewritten"),
    [
        ("失业金能网上申请吗", "失业保险金能线上申领吗"),
        ("失業金能網上申請嗎", "失业保险金能线上申领吗"),
        ("社保补贴", "社会保险补贴"),
        ("不签合同怎么办", "不签劳动合同怎么办"),
        ("这家公司靠谱吗", "这家企业真实有效吗"),
        ("没交过社保的有救助吗", "未参保的有救助吗"),
        ("民企招聘月", "民营企业招聘月"),
        ("谁对就业负总责", "谁对就业一把手"),
        # Online, in person, and where something is published, as the notices say them.
        ("招聘会能在网上参加吗", "招聘活动能线上 网络参加吗"),
        ("不想跑现场", "不想线下 现场"),
        ("活动安排去哪看", "活动安排公开"),
        ("会不会把我信息卖了", "会不会把我信息泄露"),
        ("招人的单位是真是假 有没有人把关", "招聘的单位真实有效 有没有人审核"),
        # The notices' own words are kept whole, 就业指导 too though 职业指导 is theirs as well.
        ("不签劳动合同怎么办", "不签劳动合同怎么办"),
        ("就业指导课", "就业指导课"),
        ("失业保险金", "失业保险金"),
        ("", ""),
    ],
)
def test_questions_are_put_into_the_notices_words(question: str, rewritten: str) -> None:
    assert load_thesaurus().rewrite(question) == rewritten


def test_text_without_any_known_way_of_saying_is_only_simplified() -> None:
    assert load_thesaurus().rewrite("請問今天天氣") == "请问今天天气"


@pytest.mark.parametrize("document", [None, {}, {"terms": {"失业保险金": "失业金"}}, {"terms": []}])
def test_a_malformed_thesaurus_is_refused(document: object) -> None:
    with pytest.raises(ValueError, match="terms"):
        parse_thesaurus(document)
