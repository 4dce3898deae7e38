"""action_answer_campaigns: the calendar's answer goes into the right response, with sources."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.campaigns import (
    asks_the_calendar,
    asks_which_events,
    calendar,
    campaign_lines,
    choose_answer,
    plan_label,
    sources,
)
from actions.questions import ActionAnswerCampaigns
from knowledge.policy_answers import load_answerer
from knowledge.sections import in_section
from settings import PROJECT_ROOT


def tracker_saying(text: str) -> Tracker:
    return Tracker(
        sender_id="o_campaigns",
        slots={},
        latest_message={"text": text, "intent": {"name": "ask_campaigns"}, "entities": []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def rendered(message: dict[str, Any]) -> str:
    """The message as WeChat shows it: its response's template, filled in."""
    domain = yaml.safe_load((PROJECT_ROOT / "bot" / "domain" / "policy.yml").read_text("utf-8"))
    template = domain["responses"][message["response"]][0]["text"]
    return str(template.format(**{key: value for key, value in message.items()}))


def answer(text: str, monkeypatch: pytest.MonkeyPatch, day: str = "2026-11-23") -> dict[str, Any]:
    monkeypatch.setenv("ANSWER_DATE", day)
    dispatcher = CollectingDispatcher()
    events = ActionAnswerCampaigns().run(dispatcher, tracker_saying(text), {})
    assert [event["name"] for event in events] == ["last_question", "last_topic"]
    assert len(dispatcher.messages) == 1
    return dispatcher.messages[0]


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("春风行动什么时候", ["春风行动暨就业援助月", "1-3月", "人力资源社会保障部"]),
        ("金秋招聘月是几月", ["金秋招聘月", "10-11月"]),
        ("民營企業招聘月在幾月", ["民营企业招聘月", "4月"]),
    ],
)
def test_a_named_campaign_gets_its_dates_and_source(
    text: str, facts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    message = answer(text, monkeypatch)

    assert message["response"] == "utter_campaigns_dates"
    said = message["campaign_lines"] + message["sources"]
    for fact in facts:
        assert fact in said


@pytest.mark.parametrize(
    "text",
    [
        # No name: 央企 is the thesaurus's 中央企业, and 西藏青海新疆 is rare enough.
        "应届生 听说央企专门招西藏青海新疆的学生 啥时候",
        # Only 新疆 of 西藏青海新疆, and 央企: rare words enough, though not most of the name.
        "新疆学生 央企来招人的那个活动 到几月",
    ],
)
def test_a_campaign_described_in_everyday_words_gets_its_dates(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    message = answer(text, monkeypatch)

    assert message["response"].startswith("utter_campaigns_dates")
    assert "中央企业面向西藏青海新疆高校毕业生专场招聘活动" in message["campaign_lines"]
    assert "2023年9月-2024年6月" in message["campaign_lines"]


def test_what_is_on_now_names_the_month_and_the_plan_year(monkeypatch: pytest.MonkeyPatch) -> None:
    message = answer("现在有什么招聘活动", monkeypatch, day="2026-11-05")

    assert message["response"] == "utter_campaigns_now"
    assert message["month"] == "11"
    assert "2023年全国" in message["plans"]
    assert "金秋招聘月" in message["campaign_lines"]
    assert "民营企业招聘月" not in message["campaign_lines"]


def test_next_month_looks_one_month_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    message = answer("下个月有什么招聘会", monkeypatch, day="2026-03-10")

    assert message["response"] == "utter_campaigns_next_month"
    assert message["month"] == "4"
    assert "民营企业招聘月" in message["campaign_lines"]


def test_campaigns_for_private_companies(monkeypatch: pytest.MonkeyPatch) -> None:
    message = answer("有没有针对民营企业的招聘活动", monkeypatch)

    assert message["response"] == "utter_campaigns_for_groups"
    assert "民营企业招聘月" in message["campaign_lines"]
    assert "金秋招聘月" in message["campaign_lines"]


def test_lines_stay_within_one_wechat_message(monkeypatch: pytest.MonkeyPatch) -> None:
    message = answer("有哪些招聘活动适合大学生", monkeypatch)

    assert len(message["campaign_lines"]) + len(message["sources"]) < 520
    assert message["campaign_lines"].count("\n") < 8


def test_a_named_region_gets_its_own_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    message = answer("遂宁最近有什么招聘活动", monkeypatch)

    assert message["response"] == "utter_campaigns_now"
    assert message["plans"] == "2022年四川省遂宁市"
    assert "遂宁市人力资源和社会保障局" in message["sources"]
    assert "人力资源社会保障部《" not in message["sources"]


def test_a_named_campaign_says_what_it_offers_and_who_runs_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    message = answer("金秋招聘月是谁办的", monkeypatch)

    assert message["response"] == "utter_campaigns_dates"
    assert "人力资源社会保障部门" in message["details"]
    assert "民营企业" in message["details"]


@pytest.mark.parametrize(
    "text",
    ["春风行动什么时候", "大中城市联合招聘是谁办的", "百日千万", "就业援助月跟春风行动一起吗"],
)
def test_named_answers_fit_one_wechat_message(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(rendered(answer(text, monkeypatch))) <= 600


def test_a_named_campaign_answer_lists_who_it_serves_and_fits_one_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for campaign in calendar().campaigns:
        message = answer(f"{campaign.name}是什么时候", monkeypatch)
        assert message["response"] == "utter_campaigns_dates"
        assert len(rendered(message)) <= 600, campaign.name
    groups = answer("就业创业服务攻坚季主要服务哪些人", monkeypatch)["details"]
    assert "长江禁捕退捕渔民" in groups and "农民工" in groups


def test_a_group_answer_names_the_group_asked_about(monkeypatch: pytest.MonkeyPatch) -> None:
    message = answer("有适合脱贫人口的招聘活动吗", monkeypatch)
    assert message["response"] == "utter_campaigns_for_groups"
    lines = message["campaign_lines"].splitlines()
    assert len(lines) > 1 and all("脱贫" in line for line in lines), lines


def test_the_one_campaign_for_a_group_is_answered_with_its_details(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    message = answer("服务期满的三支一扶人员 有什么招聘活动", monkeypatch)

    assert message["response"].startswith("utter_campaigns_dates")
    assert "全国人力资源市场高校毕业生就业服务周" in message["campaign_lines"]
    # The line names the group asked about; the details say what it offers and who runs it.
    assert "“三支一扶”计划等基层服务项目期满未就业人员" in message["campaign_lines"]
    assert "人力资源服务机构" in message["details"]


def test_where_to_look_up_the_schedule_is_answered_from_the_notices(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # It asks where the schedule is published, not when anything is.
    assert not asks_the_calendar("遂宁全年的活动安排去哪里能看到")
    assert "活动月历" in answer("遂宁全年的活动安排去哪里能看到", monkeypatch)["text"]
    # A campaign named is still the calendar's, and so is a day asked for.
    assert asks_the_calendar("春风行动的安排在哪看")
    assert asks_the_calendar("遂宁哪天有招聘会")


def test_which_of_several_events_asks_which_events_there_are() -> None:
    assert asks_which_events("人社部哪几个招聘活动是给民营企业的")
    assert not asks_which_events("人社部哪几个部门管招聘")


def test_what_the_calendar_does_not_say_is_quoted_from_the_campaigns_section(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    message = answer("访企拓岗促就业行动校领导要走访多少家企业", monkeypatch)
    assert message["response"] == "utter_campaigns_dates_quoted"
    assert "不少于100家" in message["quote"]
    text = rendered(message)
    assert "通知中还写道：" in text and len(text) <= 600


@pytest.mark.parametrize("text", ["春风行动什么时候", "金秋招聘月是谁办的", "民营企业招聘月是几月"])
def test_nothing_is_quoted_when_the_calendar_says_it_all(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    message = answer(text, monkeypatch)
    assert message["response"] == "utter_campaigns_dates"
    assert message["quote"] == ""


def test_every_campaigns_section_is_found_in_its_notice() -> None:
    passages = load_answerer().index.passages
    for campaign in calendar().campaigns:
        assert any(
            passage.notice == campaign.source_file and in_section(passage, campaign.source_section)
            for passage in passages
        ), campaign.id


def test_a_campaign_contact_question_gets_its_notices_contact_lines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    details = answer("春季促就业攻坚行动有联系电话吗", monkeypatch)["quote"]
    assert "教育部高校学生司" in details and "010-66097835" in details
    # The sign-off's issuer and date are the source line's job.
    assert "2023年2月23日" not in details
    assert "010-66097835" not in rendered(answer("春季促就业攻坚行动有哪些任务", monkeypatch))


@pytest.mark.parametrize(
    ("text", "response"),
    [
        ("最近有什么招聘活动", "utter_campaigns_now"),
        ("有哪些专项活动", "utter_campaigns_now"),
        ("这些活动统一叫个啥名字", "utter_campaigns_now_unsure"),
    ],
)
def test_what_is_on_says_so_when_it_is_not_what_was_asked(text: str, response: str) -> None:
    chosen, answer_ = choose_answer(text, date(2026, 11, 23))
    assert chosen == response and answer_.found
    message = {
        "response": chosen,
        "campaign_lines": campaign_lines(answer_),
        "plans": plan_label(answer_),
        "month": str(answer_.month),
        "sources": sources(answer_),
    }
    text_shown = rendered(message)
    assert ("12333" in text_shown) is chosen.endswith("_unsure")
    assert len(text_shown) <= 600


def test_a_name_that_is_also_a_group_finds_the_campaign_that_serves_that_group(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 三支一扶 is Hubei's recruitment drive and one of the groups the national service week serves.
    served = answer("三支一扶干完了还没找到工作 有啥专场活动吗", monkeypatch)
    assert served["response"].startswith("utter_campaigns_dates")
    assert "就业服务周" in served["campaign_lines"]
    recruiting = answer("三支一扶几月招募", monkeypatch)
    assert recruiting["response"].startswith("utter_campaigns_dates")
    assert "“三支一扶”计划招募" in recruiting["campaign_lines"]


@pytest.mark.parametrize(
    ("text", "campaign", "fact"),
    [
        # The notice says "登记到位、联系到位、帮扶到位" under "四、行动目标", without the
        # word 目标.
        ("就业创业服务攻坚季的行动目标是什么", "就业创业服务攻坚季行动", "登记到位"),
        # The calendar's line on 攻坚季 speaks of 就业创业政策宣介; the notice says what starters
        # get.
        ("攻坚季对创业的人有啥服务", "就业创业服务攻坚季行动", "开业指导"),
        # 百校万岗助就业公益行动 is one of 宏志助航's activities; its own sentence says what
        # it gives.
        ("百校万岗助就业公益行动有什么用", "“宏志助航”重点群体帮扶行动", "岗位对接机会"),
    ],
)
def test_the_notice_is_quoted_on_what_was_asked_of_a_campaign(
    text: str, campaign: str, fact: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    message = answer(text, monkeypatch)
    assert message["response"] == "utter_campaigns_dates_quoted"
    assert campaign in message["campaign_lines"]
    assert fact in message["quote"]


@pytest.mark.parametrize(
    "text",
    [
        "职引未来是个什么品牌",
        # 四个 is a word of the notices, and no sentence on 职引未来 has it: with so little of
        # the question said, the sentence naming the family is still quoted.
        "职引未来这四个字是啥",
    ],
)
def test_a_family_of_campaigns_is_said_to_be_one_and_quoted_on_as_a_whole(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    said = rendered(answer(text, monkeypatch))
    assert said.count("职引未来——") == 3 and "以上都是“职引未来”系列的活动" in said
    # The notice says what the family is in its work requirements, not in any one campaign's
    # section; the first campaign's own organisers would pass for the family's.
    assert "通知中还写道：" in said and "青年就业服务品牌" in said and "主办：" not in said
    assert len(said) <= 600


def test_a_year_named_in_passing_does_not_make_a_calendar_question() -> None:
    # "今年大学毕业" says when they graduate; it does not ask when anything is.
    assert not asks_the_calendar("家里是低保户 今年大学毕业 学校对我们有专门帮扶吗")
    assert asks_the_calendar("今年有哪些招聘活动")


def test_a_campaign_asked_of_a_national_issuer_is_the_national_one() -> None:
    # Suining ran a campaign of the same name; asked of the ministry, only its own is meant.
    _, named = choose_answer("人社部的春风行动几月", date(2026, 11, 23))
    assert [campaign.region for campaign in named.campaigns] == ["全国"]
    _, unnamed = choose_answer("春风行动几月", date(2026, 11, 23))
    assert "四川省遂宁市" in [campaign.region for campaign in unnamed.campaigns]
