"""knowledge.policy_answers: replies state the notices' facts, whose rule it is, and the source,
in one message; with nothing that fits they say so and offer 12333 and a person."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from bot.simplified import to_simplified
from knowledge.curated import CuratedAnswers, load_curated
from knowledge.manifest import NoticeEntry
from knowledge.places import load_places
from knowledge.policy_answers import (
    EXCERPT_CHARS,
    MAX_REPLY_CHARS,
    NOT_FOUND,
    PolicyAnswerer,
    notice_date,
    source_line,
)
from knowledge.retrieval import KnowledgeIndex
from knowledge.sections import Passage
from knowledge.thesaurus import load_thesaurus
from settings import PROJECT_ROOT

ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def policy_examples() -> list[str]:
    """Every ask_policy training example, as users type it (entity marks taken out)."""
    document = yaml.safe_load((PROJECT_ROOT / "nlu_data" / "policy.yml").read_text("utf-8"))
    [block] = [item for item in document["nlu"] if item.get("intent") == "ask_policy"]
    lines = [line[2:].strip() for line in block["examples"].splitlines() if line.startswith("- ")]
    return [ANNOTATION.sub(r"\1", line) for line in lines]


@pytest.fixture(scope="module")
def answerer(shipped_index: KnowledgeIndex) -> PolicyAnswerer:
    return PolicyAnswerer(shipped_index, load_curated(), load_places(), load_thesaurus())


def body(reply: str) -> str:
    """A reply without its source line."""
    return "\n".join(line for line in reply.splitlines() if not line.startswith("来源："))


def test_a_regional_rule_says_whose_it_is_with_its_figures(answerer: PolicyAnswerer) -> None:
    reply = answerer.answer("湖北创业培训补贴给多少钱")
    assert reply.found
    assert reply.text.startswith("湖北省：")
    assert "300元/人、1200元/人、1500元/人" in reply.text
    assert reply.text.splitlines()[-1].startswith("来源：湖北省人力资源和社会保障厅《")
    assert "（2023年4月17日）" in reply.text


def test_a_city_finds_its_provinces_rule(answerer: PolicyAnswerer) -> None:
    assert (
        answerer.answer("武汉创业培训补贴多少").text == answerer.answer("湖北创业培训补贴多少").text
    )


def test_a_region_without_a_notice_gets_no_other_regions_rule(answerer: PolicyAnswerer) -> None:
    reply = answerer.answer("广州创业培训补贴给多少钱")
    assert "1500" not in reply.text and "湖北省" not in reply.text
    assert "12333" in reply.text


def test_a_rule_only_other_regions_have_is_not_found_for_the_askers(
    answerer: PolicyAnswerer,
) -> None:
    reply = answerer.answer("上海失业金怎么领")
    assert not reply.found
    assert "上海市" in reply.text and "12333" in reply.text and "转人工" in reply.text
    assert "陕西省" not in reply.text and "湖北省" not in reply.text


def test_only_the_parts_for_the_askers_region_are_given(answerer: PolicyAnswerer) -> None:
    shaanxi = answerer.answer("陕西怎么办失业登记").text
    assert "陕西省：" in shaanxi and "湖北省" not in shaanxi
    both = answerer.answer("怎么办失业登记").text
    assert "陕西省：" in both and "湖北省：" in both
    assert "其他地方请以当地人社部门的规定为准" in both


@pytest.mark.parametrize(
    "question", ["公积金怎么提取", "医保怎么报销", "驾照怎么考", "今天天气好吗"]
)
def test_questions_the_notices_do_not_answer_get_the_hotline(
    answerer: PolicyAnswerer, question: str
) -> None:
    reply = answerer.answer(question)
    assert not reply.found
    assert reply.text == NOT_FOUND


def test_what_a_notice_leaves_out_is_said_to_be_left_out(answerer: PolicyAnswerer) -> None:
    reply = answerer.answer("宏志助航培训报名需要什么材料")
    assert reply.found
    assert "通知里没有写明所需材料" in reply.text


@pytest.mark.parametrize(
    "question",
    [
        "遂宁残疾的想找个工 有专门帮的吗 那需要什么材料",
        "遂宁残疾的想找个工 有专门帮的吗 要带什么证明",
    ],
)
def test_materials_the_notices_do_not_list_are_said_to_be_unlisted_with_the_topics_answer(
    answerer: PolicyAnswerer, question: str
) -> None:
    reply = answerer.answer(question)
    assert reply.found
    assert "残疾人就业帮扶活动" in reply.text and "2022年5月15日" in reply.text
    assert "通知里没有写明所需材料" in reply.text


def test_a_city_whose_rule_is_not_found_is_named_as_asked(answerer: PolicyAnswerer) -> None:
    reply = answerer.answer("遂宁在外地上学的大学生租房子有补贴吗")
    assert not reply.found
    assert "四川省遂宁市" in reply.text and "12333" in reply.text


def test_a_subsidy_the_notice_does_not_name_is_said_to_be_unnamed(answerer: PolicyAnswerer) -> None:
    reply = answerer.answer("遂宁残疾人就业有什么补贴")
    assert reply.found
    assert "遂宁" in reply.text
    assert "通知里没有写明相关补贴" in reply.text
    assert "元" not in body(reply.text)


def test_traditional_questions_get_the_same_simplified_answer(answerer: PolicyAnswerer) -> None:
    simplified = answerer.answer("创业担保贷款怎么申请").text
    assert answerer.answer("創業擔保貸款怎麼申請").text == simplified
    # Simplified characters only (to_simplified also folds full-width punctuation).
    assert unicodedata.normalize("NFKC", to_simplified(simplified)) == unicodedata.normalize(
        "NFKC", simplified
    )


def test_each_curated_answer_is_reached_and_fits(answerer: PolicyAnswerer) -> None:
    for curated in load_curated().answers:
        question = "".join(group[0] for group in curated.asks)
        reply = answerer.answer(question)
        assert reply.found, curated.id
        assert all(part.text[:12] in reply.text for part in curated.parts), curated.id
        assert len(reply.text) <= MAX_REPLY_CHARS, curated.id


@pytest.mark.parametrize("question", policy_examples())
def test_every_reply_fits_one_message_and_invents_no_figure(
    answerer: PolicyAnswerer,
    question: str,
    raw_notice: Callable[[str], str],
    manifest: dict[str, NoticeEntry],
) -> None:
    reply = answerer.answer(question)
    assert 0 < len(reply.text) <= MAX_REPLY_CHARS
    if not reply.found:
        assert "12333" in reply.text
        return
    source = reply.text.splitlines()[-1]
    cited = [entry for entry in manifest.values() if f"{entry.issuer}《{entry.title}》" in source]
    assert cited, source
    said = "".join(to_simplified(raw_notice(entry.file)) for entry in cited)
    for figure in re.findall(r"\d+", body(reply.text)):
        assert figure in said or figure == "12333", f"{figure} in reply to {question}"


def synthetic(text: str, number: int = 0, headings: tuple[str, ...] | None = None) -> Passage:
    """A passage of a made-up national notice; its heading is its text's first line."""
    return Passage(
        id=f"x:{number}",
        notice="x.txt",
        headings=(text.split("\n")[0],) if headings is None else headings,
        text="",
        text_simplified=text,
        title="关于试行的通知",
        issuer="某某人力资源和社会保障局",
        date="2024-01-02",
        region="全国",
    )


def answerer_over(passages: list[Passage]) -> PolicyAnswerer:
    return PolicyAnswerer(
        KnowledgeIndex(passages), CuratedAnswers([]), load_places(), load_thesaurus()
    )


def test_a_long_passage_is_cut_to_the_sentences_that_fit_the_question() -> None:
    filler = "各地要加强组织领导，明确责任分工，确保各项任务落实到位。" * 8
    long_text = f"一、重点任务\n{filler}对参加见习的青年给予每月800元见习补贴。{filler}"
    others = ["二、工作要求\n做好宣传引导。", "三、其他\n本通知自印发之日起施行。"]
    passages = [synthetic(text, number) for number, text in enumerate([long_text, *others])]
    reply = answerer_over(passages).answer("见习补贴每月多少钱").text
    assert "每月800元见习补贴" in reply
    assert "…" in reply
    excerpt = reply.splitlines()[0]
    assert len(excerpt) <= EXCERPT_CHARS + len("【重点任务】") + 2
    assert (
        reply.splitlines()[-1] == "来源：某某人力资源和社会保障局《关于试行的通知》（2024年1月2日）"
    )


def test_dates_and_sources_are_written_the_chinese_way(manifest: dict[str, NoticeEntry]) -> None:
    entries = list(manifest.values())
    assert notice_date(entries[0]) == "2022年12月1日"
    suining = [entry for entry in entries if entry.date == "2022"]
    assert notice_date(suining[0]) == "2022年"
    assert source_line([entries[0], entries[0]]).count("《") == 1


def test_the_evaluation_questions_are_not_this_tests_input() -> None:
    # The evaluation sets measure the answers; they must not be used to build them.
    assert Path(__file__).read_text("utf-8").count("policy_questions" + ".yml") == 0


# Passages about other things, so that words have the weights they have in a real notice.
UNRELATED = [
    "四、宣传引导\n通过报纸、电视、网络等渠道宣传政策。",
    "五、经费保障\n各地统筹安排工作经费。",
    "六、信息报送\n每月5日前报送工作进展。",
    "七、组织实施\n成立工作专班，明确职责分工。",
    "八、督导检查\n开展督导检查，通报工作情况。",
    "九、总结评估\n活动结束后及时总结评估。",
    "十、安全管理\n做好活动现场安全管理和疫情防控。",
    "十一、档案管理\n做好活动资料收集归档。",
]


def among_unrelated(texts: list[str]) -> list[Passage]:
    """Passages of these texts and of ``UNRELATED``, so that words weigh as in a real notice."""
    return [synthetic(text, number) for number, text in enumerate([*texts, *UNRELATED])]


def test_a_how_many_question_gets_the_passage_and_sentence_with_the_count() -> None:
    filler = "做好宣传，营造氛围，" * 12
    texts = [
        f"一、目标任务\n全年组织青年参加技能培训。{filler}培训青年5000人以上。",
        "二、技能培训\n组织青年参加技能培训，提升技能培训质量，推动技能培训进园区。",
        "三、工作要求\n各地加强组织领导。",
    ]
    answerer = answerer_over(among_unrelated(texts))
    reply = answerer.answer("今年打算培训多少青年").text
    assert "5000人以上" in reply


def test_the_sign_off_is_quoted_only_when_a_contact_is_asked_for() -> None:
    texts = [
        "一、就业见习\n组织青年参加就业见习，给予见习补贴。",
        "落款\n某某就业见习服务中心 联系电话：010-12345678",
    ]
    answerer = answerer_over(among_unrelated(texts))
    assert "010-12345678" not in answerer.answer("就业见习有补贴吗").text
    assert "010-12345678" in answerer.answer("就业见习服务中心的联系电话是多少").text


def test_a_city_the_notices_do_not_name_is_asked_about_as_its_province(
    answerer: PolicyAnswerer,
) -> None:
    city = answerer.answer("在西安想自己开店创业 有什么服务")
    province = answerer.answer("在陕西想自己开店创业 有什么服务")
    assert city.found and city.text == province.text
    assert city.text.startswith("陕西省：")


def test_a_passage_that_says_more_leads_and_the_overview_follows_when_it_fits(
    answerer: PolicyAnswerer,
) -> None:
    reply = answerer.answer("想去基层就业 有哪些项目可以报名")
    assert len(reply.text) <= MAX_REPLY_CHARS
    lines = reply.text.splitlines()
    # Every notice quoted is named in the source line, and only those.
    issuers = {line.split("：")[0] for line in lines[:-1] if "：" in line[:5]}
    assert all(issuer in lines[-1] for issuer in issuers if issuer.endswith("省"))


def test_the_curated_overview_is_left_out_when_the_quoted_passage_already_says_it(
    answerer: PolicyAnswerer,
) -> None:
    reply = answerer.answer("湖北大学生创业培训补贴给多少").text
    assert reply.count("1500元/人") == 1
    assert reply.count("湖北省：") == 1


def test_a_how_often_question_gets_the_passage_and_sentence_with_the_frequency() -> None:
    filler = "做好宣传，营造氛围，" * 3
    texts = [
        "一、招聘活动\n各地组织招聘活动，做好现场服务。",
        f"二、招聘活动\n{filler}城市每周至少举办一次招聘活动。{filler}",
        "三、工作要求\n各地加强组织领导。",
    ]
    answerer = answerer_over(among_unrelated(texts))
    assert "每周至少举办一次" in answerer.answer("招聘活动多久办一场").text
    assert "每周至少举办一次" not in answerer.answer("招聘活动有哪些要求").text


def test_a_question_naming_an_issuer_gets_that_issuers_rule(answerer: PolicyAnswerer) -> None:
    asked = answerer.answer("人社部搞的招聘活动 企业信息有人审吗 会不会泄露我个人信息")
    assert asked.found
    assert asked.text.splitlines()[-1].startswith("来源：人力资源社会保障部《")
    assert "信息审核" in asked.text


def test_the_curated_overview_is_followed_by_what_of_the_question_it_leaves_out(
    answerer: PolicyAnswerer,
) -> None:
    reply = answerer.answer("湖北青年想学技术 培训都有哪些方向").text
    first, second = reply.splitlines()[:2]
    # The overview of youth training, then the passage's sentence on the fields it covers.
    assert first.startswith("湖北省：") and "智能制造" not in first
    assert "智能制造" in second
    # The passage's sentence that the overview already gives is not given twice.
    assert second.count("纳入职业培训服务范围") == 0
    assert len(reply) <= MAX_REPLY_CHARS


def test_a_lone_character_in_common_does_not_outweigh_the_topic(answerer: PolicyAnswerer) -> None:
    # 工 alone is in 招工 of the autumn hiring month; the question is about disabled people.
    reply = answerer.answer("遂宁残疾的想找个工 有专门帮的吗")
    assert "【残疾人就业帮扶活动】" in reply.text and "金秋招聘月" not in reply.text


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        # Everyday words for the notices' own: 家里穷 for families in hardship, 没交社保 for
        # 未参保, 日子过不下去 for 生活困难, 找不到班上 for long-term unemployment, 蔫了 for
        # what 心理疏导 answers.
        ("家里穷 快毕业了 找工作能领啥补贴", "一次性求职创业补贴"),
        ("家里条件不好的大学生有帮扶吗", "一人一策"),
        ("陕西没交过社保 日子过不下去了 有救助不", "临时救助金"),
        ("陕西好久找不到班上 整个人蔫了", "心理疏导"),
        # 把信息卖了 for 信息泄露.
        ("招聘会上留了简历 会不会被人把信息卖了", "信息泄露"),
        # 不想上学了 for 未继续升学.
        ("湖北农村的孩子初中毕业 不想上学了 有培训吗", "劳动预备制培训"),
    ],
)
def test_everyday_words_find_the_notices_rule(
    answerer: PolicyAnswerer, question: str, fact: str
) -> None:
    assert fact in answerer.answer(question).text


def test_a_question_with_a_slip_of_typing_is_answered_as_meant(answerer: PolicyAnswerer) -> None:
    reply = answerer.answer("毕业档按怎么转 会不会弄丢")
    assert reply.found
    assert "档案转递" in reply.text and "安全有序" in reply.text


def test_a_regions_rule_is_followed_by_the_national_one_when_that_says_more_of_what_was_asked(
    answerer: PolicyAnswerer,
) -> None:
    reply = answerer.answer("在招聘活动上留了电话身份证 个人信息会被泄露吗").text
    regional, national = reply.splitlines()[:2]
    assert regional.startswith("陕西省：") and "个人信息" in regional
    assert national.startswith("全国：") and "信息泄露" in national
    # The national rule applies everywhere: no note that this is one region's rule.
    assert "其他地方" not in reply
    assert "陕西省人力资源和社会保障厅" in reply and "人力资源社会保障部《" in reply
    assert len(reply) <= MAX_REPLY_CHARS


def test_a_regions_rule_stands_alone_when_the_national_one_adds_nothing_asked(
    answerer: PolicyAnswerer,
) -> None:
    reply = answerer.answer("招聘的時候有人賣我簡歷，這合法嗎").text
    assert reply.startswith("湖北省：") and "售卖简历" in reply
    assert "全国：" not in reply
    assert "以上是湖北省的规定" in reply


def test_a_close_passage_of_the_same_notice_follows_when_it_says_a_rare_word_asked(
    answerer: PolicyAnswerer,
) -> None:
    # 做好安全保障 speaks of 线上线下 and 现场; only 拓宽活动渠道 says how to take part online.
    reply = answerer.answer("人社部的专项招聘活动 可以在网上参加吗 不用跑现场吧").text
    first, second = reply.splitlines()[:2]
    assert first.startswith("【做好安全保障】") and second.startswith("【拓宽活动渠道】")
    assert "网络直播" in second and "线上就业服务" in second
    # Both are national: no region is named before either.
    assert "全国：" not in reply
    assert len(reply) <= MAX_REPLY_CHARS


def test_a_region_asked_about_gets_its_own_rule_over_a_national_one_scored_a_little_higher(
    answerer: PolicyAnswerer,
) -> None:
    reply = answerer.answer("遂宁线上招聘用什么平台").text
    assert reply.startswith("四川省遂宁市：")
    assert "遂宁公共招聘网" in reply


def test_a_reply_quoting_a_national_rule_does_not_call_itself_one_regions(
    answerer: PolicyAnswerer,
) -> None:
    reply = answerer.answer("毕业了一直没找到工作 有啥帮扶").text
    assert "湖北省：" in reply and "人力资源社会保障部《" in reply
    assert "其他地方" not in reply


def test_several_regions_rules_get_one_note_naming_them_all(answerer: PolicyAnswerer) -> None:
    reply = answerer.answer("外地农民工能在打工的地方登记失业不").text
    assert "陕西省：" in reply and "湖北省：" in reply
    assert reply.count("其他地方请以当地人社部门的规定为准") == 1
    assert "以上是陕西省、湖北省的规定" in reply
