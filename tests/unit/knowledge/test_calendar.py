"""knowledge.calendar: campaigns by name, by date (mapped onto each region's newest plan) and by
the group they are for; the loader refuses a malformed calendar."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

from knowledge.calendar import (
    CalendarError,
    CampaignCalendar,
    MatchKind,
    Period,
    Plan,
    load_calendar,
)
from knowledge.manifest import NoticeEntry

NATIONAL_PLAN = Plan("全国", 2023)
HUBEI_PLAN = Plan("湖北省", 2023)
SUINING_PLAN = Plan("四川省遂宁市", 2022)
SHAANXI_PLAN = Plan("陕西省", 2020)
ALL_PLANS = (NATIONAL_PLAN, HUBEI_PLAN, SUINING_PLAN, SHAANXI_PLAN)

MOE_SPRING = (
    "moe-chunji-gongjian-2023",
    "moe-fangqi-tuogang-2023",
    "moe-wanqi-jinxiaoyuan-2023",
    "moe-24365-2023",
    "moe-jiuye-yuren-2023",
    "moe-hongzhi-zhuhang-2023",
)


@pytest.fixture(scope="module")
def calendar() -> CampaignCalendar:
    return load_calendar()


# ---------------------------------------------------------------------- "when is X"


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        ("春风行动一般几月份搞", None, ("chunfeng-2023", "suining-chunfeng-2022")),
        ("春風行動是不是過年那段時間辦", None, ("chunfeng-2023", "suining-chunfeng-2022")),
        ("春風行動", "遂宁", ("suining-chunfeng-2022",)),
        # No 湖北 春风行动: every region's, national first.
        ("春风行动", "湖北", ("chunfeng-2023", "suining-chunfeng-2022")),
        ("金秋招聘月在几月份啊", None, ("jinqiu-2023", "suining-jinqiu-2022")),
        ("金秋招聘月", "四川省遂宁市", ("suining-jinqiu-2022",)),
        ("金秋招聘月", "全国", ("jinqiu-2023",)),
        ("民營企業招聘月是幾月", None, ("minqi-2023", "suining-minqi-2022")),
        ("民营企业招聘月", None, ("minqi-2023", "suining-minqi-2022")),
        ("民企招聘月", "遂寧", ("suining-minqi-2022",)),
        (
            "百日千萬網絡招聘從幾月到幾月",
            None,
            ("bairi-qianwan-2023", "suining-bairi-qianwan-2022"),
        ),
        ("百日千万", "全国", ("bairi-qianwan-2023",)),
        (
            "职引未来都有哪些活动",
            None,
            (
                "zhiyin-dazhong-2023",
                "jiuye-fuwuzhou-2023",
                "yangqi-xizang-qinghai-xinjiang-2023",
                "hubei-zhiyin-weilai-2023",
            ),
        ),
        ("职引未来的招聘会多吗", "湖北省", ("hubei-zhiyin-weilai-2023",)),
        ("湖北省大学生求职大赛", None, ("hubei-jiuye-fuwu-jinxiaoyuan-2023",)),
        # Longest first: not 遂宁's "离校未就业毕业生服务" inside it.
        (
            "离校未就业毕业生服务攻坚行动",
            None,
            ("lixiao-gongjian-2023", "hubei-lixiao-gongjian-2023"),
        ),
        ("离校未就业毕业生服务攻坚行动", "湖北省武汉市", ("hubei-lixiao-gongjian-2023",)),
        ("离校未就业毕业生服务是啥", None, ("suining-gaoxiao-fuwu-2022",)),
        # 全国…就业服务周 is national only; the shorter name inside it is also 遂宁's.
        ("全國人力資源市場高校畢業生就業服務週針對哪些人", None, ("jiuye-fuwuzhou-2023",)),
        ("高校毕业生就业服务周在啥时侯", None, ("jiuye-fuwuzhou-2023", "suining-fuwuzhou-2022")),
        (
            "就业援助月跟春风行动是一起搞的吗",
            None,
            ("chunfeng-2023", "suining-jiuye-yuanzhu-2022", "suining-chunfeng-2022"),
        ),
        ("访企拓岗促就业行动", None, ("moe-fangqi-tuogang-2023",)),
        ("萬企進校園有直播帶崗嗎", None, ("moe-wanqi-jinxiaoyuan-2023",)),
        ("遂企智造 职等你来那个活动", None, ("suining-suiqizhizao-2022",)),
        ("２４３６５平台上有啥专场招聘", None, ("moe-24365-2023",)),
        ("陝西那個攻堅季活動是哪段時間", None, ("shaanxi-gongjianji-2020",)),
        # Only the national campaign goes by 百日千万招聘; 遂宁's has the same name.
        ("百日千万招聘在哪看岗位", None, ("bairi-qianwan-2023",)),
        ("百日千万招聘在哪看岗位", "四川省遂宁市", ("suining-bairi-qianwan-2022",)),
        ("百日千万招聘在哪看岗位", "湖北省", ("bairi-qianwan-2023",)),
    ],
)
def test_campaigns_are_found_by_name_or_alias(
    calendar: CampaignCalendar, text: str, region: str | None, expected: tuple[str, ...]
) -> None:
    answer = calendar.by_name(text, region=region)
    assert answer.kind is MatchKind.NAME
    assert answer.ids == expected


def test_a_name_answer_carries_periods_alias_and_plans(calendar: CampaignCalendar) -> None:
    answer = calendar.by_name("大中城市聯合招聘會一年搞幾次")
    assert answer.ids == ("zhiyin-dazhong-2023", "suining-dazhong-2022")
    national = answer.matches[0]
    assert [period.text for period in national.periods] == ["3-5月", "9-11月"]
    assert national.matched_on == ("大中城市联合招聘会",)
    assert answer.plans == (NATIONAL_PLAN, SUINING_PLAN)
    assert answer.terms == ("大中城市联合招聘会",)


@pytest.mark.parametrize(
    "text", ["明年有没有冬季招聘会", "春天行动几月", "", "   ", "hello", "金秋", "招聘月"]
)
def test_an_unknown_campaign_name_finds_nothing(calendar: CampaignCalendar, text: str) -> None:
    answer = calendar.by_name(text)
    assert not answer.found
    assert answer.matches == ()
    assert answer.plans == ()


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("遂寧的網上招聘在哪個平臺看", "四川省遂宁市"),
        ("遂宁市船山区有招聘会吗", "四川省遂宁市"),
        ("陝西那個攻堅季活動", "陕西省"),
        ("湖北给未就业毕业生的公开信啥时候发", "湖北省"),
        ("全国的春风行动", "全国"),
        ("成都有招聘会吗", None),
        ("春风行动几月", None),
    ],
)
def test_the_region_a_text_names(calendar: CampaignCalendar, text: str, region: str | None) -> None:
    assert calendar.region_mentioned(text) == region


# ---------------------------------------------------------------------- "what is on"


@pytest.mark.parametrize(
    ("today", "region", "expected"),
    [
        (
            date(2026, 11, 23),
            "全国",
            {
                "lixiao-gongjian-2023",  # 7-12月
                "zhiyin-dazhong-2023",  # 9-11月
                "yangqi-xizang-qinghai-xinjiang-2023",  # 2023年9月-2024年6月
                "jinqiu-2023",  # 10-11月
                "jiuye-fuwuzhou-2023",  # 11月下旬至12月上旬: 23 is in its days
            },
        ),
        (
            date(2026, 11, 15),
            "全国",
            {
                "lixiao-gongjian-2023",
                "zhiyin-dazhong-2023",
                "yangqi-xizang-qinghai-xinjiang-2023",
                "jinqiu-2023",
            },
        ),
        (
            date(2026, 12, 10),
            "全国",
            {"lixiao-gongjian-2023", "yangqi-xizang-qinghai-xinjiang-2023", "jiuye-fuwuzhou-2023"},
        ),
        (
            date(2026, 12, 11),
            "全国",
            {"lixiao-gongjian-2023", "yangqi-xizang-qinghai-xinjiang-2023"},
        ),
        (
            date(2026, 4, 10),
            "全国",
            {
                *MOE_SPRING,
                "zhiyin-dazhong-2023",
                "minqi-2023",
                "yangqi-xizang-qinghai-xinjiang-2023",
            },
        ),
        (date(2026, 1, 15), "全国", {"chunfeng-2023", "yangqi-xizang-qinghai-xinjiang-2023"}),
        # 2024年6月 ends the 央企 campaign; 7月 starts 离校未就业攻坚.
        (date(2026, 7, 1), "全国", {"bairi-qianwan-2023", "lixiao-gongjian-2023"}),
        (date(2026, 6, 30), "全国", {"bairi-qianwan-2023", "yangqi-xizang-qinghai-xinjiang-2023"}),
        # A leap day maps onto the 2023 plan without a date error.
        (
            date(2028, 2, 29),
            "全国",
            {"chunfeng-2023", *MOE_SPRING, "yangqi-xizang-qinghai-xinjiang-2023"},
        ),
        (
            date(2026, 5, 15),
            "遂宁",
            {"suining-dazhong-2022", "suining-canjiren-2022", "suining-bairi-qianwan-2022"},
        ),
        (date(2026, 5, 16), "遂宁", {"suining-dazhong-2022", "suining-bairi-qianwan-2022"}),
        (date(2026, 10, 17), "遂宁", {"suining-bangfu-zhou-2022", "suining-jinqiu-2022"}),
        (date(2026, 11, 5), "陕西", {"shaanxi-gongjianji-2020"}),
        (date(2027, 1, 1), "陕西", set()),
        (date(2026, 8, 1), "湖北", {"hubei-caijujingchu-2023"}),
        (
            date(2026, 4, 10),
            None,
            {
                *MOE_SPRING,
                "zhiyin-dazhong-2023",
                "minqi-2023",
                "yangqi-xizang-qinghai-xinjiang-2023",
                "hubei-caijujingchu-2023",
                "suining-dazhong-2022",
                "suining-minqi-2022",
            },
        ),
    ],
)
def test_what_is_on_today(
    calendar: CampaignCalendar, today: date, region: str | None, expected: set[str]
) -> None:
    answer = calendar.on_day(today, region=region)
    assert answer.kind is MatchKind.DAY
    assert set(answer.ids) == expected
    assert answer.month == today.month


@pytest.mark.parametrize(
    ("region", "plans"),
    [
        (None, ALL_PLANS),
        ("全国", (NATIONAL_PLAN,)),
        ("遂宁", (SUINING_PLAN,)),
        ("四川", (SUINING_PLAN,)),
        ("湖北省武汉市", (HUBEI_PLAN,)),
        ("北京", ()),
    ],
)
def test_date_answers_name_the_plan_year_of_each_region(
    calendar: CampaignCalendar, region: str | None, plans: tuple[Plan, ...]
) -> None:
    assert calendar.on_day(date(2026, 11, 23), region=region).plans == plans
    assert calendar.in_month(date(2026, 11, 23), region=region).plans == plans
    assert calendar.upcoming(date(2026, 11, 23), region=region).plans == plans


def test_a_region_without_a_plan_gets_nothing(calendar: CampaignCalendar) -> None:
    answer = calendar.on_day(date(2026, 11, 23), region="北京")
    assert not answer.found


def test_date_answers_list_national_campaigns_first_then_by_start(
    calendar: CampaignCalendar,
) -> None:
    answer = calendar.on_day(date(2026, 11, 23))
    regions = [campaign.region for campaign in answer.campaigns]
    assert regions == sorted(regions, key=lambda region: region != "全国")
    assert answer.ids[:5] == (
        "lixiao-gongjian-2023",
        "zhiyin-dazhong-2023",
        "yangqi-xizang-qinghai-xinjiang-2023",
        "jinqiu-2023",
        "jiuye-fuwuzhou-2023",
    )
    assert {"suining-jinqiu-2022", "suining-fuwuzhou-2022", "shaanxi-gongjianji-2020"} <= set(
        answer.ids
    )


def test_a_date_answer_gives_only_the_period_that_covers_it(calendar: CampaignCalendar) -> None:
    answer = calendar.on_day(date(2026, 11, 23), region="全国")
    by_id = {match.campaign.id: match for match in answer.matches}
    assert [period.text for period in by_id["zhiyin-dazhong-2023"].periods] == ["9-11月"]


@pytest.mark.parametrize(
    ("today", "months_ahead", "region", "month", "expected"),
    [
        # This month: 就业服务周 runs in November even though the 15th is before its days.
        (
            date(2026, 11, 15),
            0,
            "全国",
            11,
            {
                "lixiao-gongjian-2023",
                "zhiyin-dazhong-2023",
                "yangqi-xizang-qinghai-xinjiang-2023",
                "jinqiu-2023",
                "jiuye-fuwuzhou-2023",
            },
        ),
        (
            date(2026, 11, 15),
            1,
            "全国",
            12,
            {"lixiao-gongjian-2023", "yangqi-xizang-qinghai-xinjiang-2023", "jiuye-fuwuzhou-2023"},
        ),
        (date(2026, 11, 15), 1, "遂宁", 12, {"suining-fuwuzhou-2022"}),
        # Next month of December is January.
        (date(2026, 12, 5), 1, "全国", 1, {"chunfeng-2023", "yangqi-xizang-qinghai-xinjiang-2023"}),
        (date(2026, 3, 20), 1, "遂宁", 4, {"suining-dazhong-2022", "suining-minqi-2022"}),
        (date(2026, 7, 1), 0, "全国", 7, {"bairi-qianwan-2023", "lixiao-gongjian-2023"}),
    ],
)
def test_what_is_on_this_or_next_month(
    calendar: CampaignCalendar,
    today: date,
    months_ahead: int,
    region: str,
    month: int,
    expected: set[str],
) -> None:
    answer = calendar.in_month(today, months_ahead=months_ahead, region=region)
    assert answer.kind is MatchKind.MONTH
    assert answer.month == month
    assert set(answer.ids) == expected


@pytest.mark.parametrize(
    ("today", "within_months", "region", "expected"),
    [
        # Dec has no start, then Jan and Feb; 就业服务周 started on the 21st, so it is not next.
        (date(2026, 11, 23), 3, "全国", ("chunfeng-2023", *MOE_SPRING)),
        (date(2026, 11, 10), 0, "全国", ("jiuye-fuwuzhou-2023",)),
        (date(2026, 3, 31), 1, "全国", ("minqi-2023",)),
        (date(2026, 4, 10), 1, "遂宁", ("suining-bairi-qianwan-2022", "suining-canjiren-2022")),
        (date(2026, 12, 20), 1, "遂宁", ("suining-jiuye-yuanzhu-2022", "suining-chunfeng-2022")),
        (date(2026, 12, 20), 2, "湖北", ("hubei-caijujingchu-2023",)),
        (date(2026, 5, 20), 1, "陕西", ()),
    ],
)
def test_what_is_coming_up(
    calendar: CampaignCalendar,
    today: date,
    within_months: int,
    region: str,
    expected: tuple[str, ...],
) -> None:
    answer = calendar.upcoming(today, region=region, within_months=within_months)
    assert answer.kind is MatchKind.UPCOMING
    assert answer.ids == expected


def test_campaigns_without_dates_are_never_on(calendar: CampaignCalendar) -> None:
    undated = {"suining-suiqizhizao-2022", "suining-cunzhishu-2022"}
    for month in range(1, 13):
        today = date(2026, month, 15)
        assert not undated & set(calendar.on_day(today).ids)
        assert not undated & set(calendar.in_month(today).ids)
        assert not undated & set(calendar.upcoming(today, within_months=12).ids)


@pytest.mark.parametrize(
    ("month", "day", "covered"),
    [(9, 1, True), (12, 31, True), (1, 1, True), (6, 30, True), (7, 1, False), (8, 31, False)],
)
def test_a_period_across_new_year_covers_both_ends_of_the_cycle(
    month: int, day: int, covered: bool
) -> None:
    period = Period(date(2023, 9, 1), date(2024, 6, 30), "2023年9月-2024年6月")
    assert period.covers_day(month, day) is covered


# ---------------------------------------------------------------------- "which campaigns for"


GRADUATE_CAMPAIGNS = {
    "zhiyin-dazhong-2023",
    "lixiao-gongjian-2023",
    "jiuye-fuwuzhou-2023",
    "hubei-lixiao-gongjian-2023",
    "suining-dazhong-2022",
    "suining-gaoxiao-fuwu-2022",
}
PRIVATE_FIRM_CAMPAIGNS = {"minqi-2023", "jinqiu-2023", "suining-minqi-2022", "suining-jinqiu-2022"}


@pytest.mark.parametrize(
    ("text", "included", "excluded"),
    [
        ("我是应届生", GRADUATE_CAMPAIGNS, {"minqi-2023", "jinqiu-2023", "chunfeng-2023"}),
        ("大學畢業生有什麼活動", GRADUATE_CAMPAIGNS, {"minqi-2023", "chunfeng-2023"}),
        ("毕业了没找到工作", GRADUATE_CAMPAIGNS, {"jinqiu-2023"}),
        ("出去打工的有啥招聘", {"chunfeng-2023", "bairi-qianwan-2023"}, {"minqi-2023"}),
        ("农民工", {"suining-chunfeng-2022", "suining-cunzhishu-2022"}, {"jinqiu-2023"}),
        ("殘疾人", {"suining-canjiren-2022", "suining-jiuye-yuanzhu-2022"}, {"chunfeng-2023"}),
        ("就业困难人员", {"chunfeng-2023", "suining-jiuye-yuanzhu-2022"}, {"minqi-2023"}),
        ("困难人员", {"chunfeng-2023"}, {"jinqiu-2023"}),
        ("中小企业", {"jinqiu-2023", "moe-wanqi-jinxiaoyuan-2023"}, {"minqi-2023"}),
        # Employers: "中央企业" in a name is a campaign for graduates, not for employers.
        (
            "我们企业想招人",
            {"chunfeng-2023", "jinqiu-2023", "bairi-qianwan-2023"},
            {"yangqi-xizang-qinghai-xinjiang-2023"},
        ),
    ],
)
def test_campaigns_for_a_group(
    calendar: CampaignCalendar, text: str, included: set[str], excluded: set[str]
) -> None:
    answer = calendar.for_groups(text)
    assert answer.kind is MatchKind.GROUP
    assert included <= set(answer.ids)
    assert not excluded & set(answer.ids)


@pytest.mark.parametrize("text", ["民营企业", "私企有啥招聘会", "民企", "私營企業"])
def test_campaigns_for_private_firms(calendar: CampaignCalendar, text: str) -> None:
    answer = calendar.for_groups(text)
    assert set(answer.ids) == PRIVATE_FIRM_CAMPAIGNS
    assert answer.terms == ("民营企业",)
    assert answer.ids[:2] == ("minqi-2023", "jinqiu-2023")


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("民营企业", ("民营企业",)),  # not 用人单位 as well
        ("中小企业", ("中小企业",)),
        ("應屆生和殘疾人", ("高校毕业生", "残疾人")),
        ("退伍军人", ("退役军人",)),
        ("今天天气怎么样", ()),
    ],
)
def test_group_words_in_a_text(
    calendar: CampaignCalendar, text: str, groups: tuple[str, ...]
) -> None:
    assert tuple(group.key for group in calendar.groups_mentioned(text)) == groups


def test_a_group_answer_says_which_target_group_matched(calendar: CampaignCalendar) -> None:
    answer = calendar.for_groups("退伍军人")
    assert answer.ids == ("suining-minqi-2022", "suining-jinqiu-2022")
    assert all(match.matched_on == ("退役军人",) for match in answer.matches)
    assert answer.plans == ALL_PLANS


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("全国", {"minqi-2023", "jinqiu-2023"}),
        ("遂宁", {"suining-minqi-2022", "suining-jinqiu-2022"}),
        ("湖北", set()),
    ],
)
def test_group_answers_can_be_limited_to_a_region(
    calendar: CampaignCalendar, region: str, expected: set[str]
) -> None:
    assert set(calendar.for_groups("私企", region=region).ids) == expected
    assert set(calendar.for_target_groups(["民营企业"], region=region).ids) == expected


def test_no_group_word_finds_nothing(calendar: CampaignCalendar) -> None:
    answer = calendar.for_groups("今天天气怎么样")
    assert not answer.found
    assert answer.terms == ()


def test_an_unknown_group_key_is_an_error(calendar: CampaignCalendar) -> None:
    with pytest.raises(KeyError, match="外星人"):
        calendar.for_target_groups(["外星人"])


# ---------------------------------------------------------------------- loading

NOTICES = [
    NoticeEntry("national.txt", "全国通知", "人力资源社会保障部", "2022-12-01", "全国"),
    NoticeEntry("suining.txt", "遂宁通知", "遂宁市人力资源和社会保障局", "2022", "四川省遂宁市"),
    NoticeEntry("national-2022.txt", "全国通知", "人力资源社会保障部", "2021-12-01", "全国"),
]


def campaign(**changes: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": "jinqiu-2023",
        "name": "金秋招聘月",
        "aliases": ["金秋招聘"],
        "region": "全国",
        "year": 2023,
        "periods": [{"start": date(2023, 10, 1), "end": date(2023, 11, 30), "text": "10-11月"}],
        "target_groups": ["民营企业"],
        "organisers": "各级人力资源社会保障部门",
        "summary": "10-11月招聘。",
        "source": {"file": "national.txt", "section": "二、(六)"},
    }
    entry.update(changes)
    return entry


def write_calendar(tmp_path: Path, *campaigns: dict[str, Any]) -> Path:
    path = tmp_path / "campaigns.yml"
    document = {"version": 1, "campaigns": list(campaigns)}
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def test_a_valid_calendar_loads(tmp_path: Path) -> None:
    path = write_calendar(
        tmp_path, campaign(), campaign(id="minqi-2023", name="民营企业招聘月", aliases=[])
    )
    calendar = load_calendar(path, notices=NOTICES)
    assert [c.id for c in calendar.campaigns] == ["jinqiu-2023", "minqi-2023"]
    assert calendar.campaigns[0].periods == (
        Period(date(2023, 10, 1), date(2023, 11, 30), "10-11月"),
    )


def test_answers_use_each_regions_newest_plan(tmp_path: Path) -> None:
    older = campaign(
        id="jinqiu-2022",
        year=2022,
        periods=[{"start": date(2022, 9, 1), "end": date(2022, 11, 30), "text": "9-11月"}],
        source={"file": "national-2022.txt", "section": "二"},
    )
    calendar = load_calendar(write_calendar(tmp_path, older, campaign()), notices=NOTICES)
    assert calendar.on_day(date(2026, 9, 15)).ids == ()
    assert calendar.on_day(date(2026, 10, 15)).ids == ("jinqiu-2023",)
    assert calendar.on_day(date(2026, 10, 15)).plans == (NATIONAL_PLAN,)
    assert calendar.by_name("金秋招聘月").ids == ("jinqiu-2023",)
    assert calendar.for_groups("民营企业").ids == ("jinqiu-2023",)


@pytest.mark.parametrize(
    ("campaigns", "message"),
    [
        ([campaign(), campaign()], "jinqiu-2023: id used 2 times"),
        (
            [
                campaign(
                    periods=[{"start": date(2023, 11, 30), "end": date(2023, 10, 1), "text": "x"}]
                )
            ],
            "start 2023-11-30 is after end 2023-10-01",
        ),
        ([campaign(region="全国各地")], "region '全国各地', but the manifest says '全国'"),
        ([campaign(region="遂宁市")], "region '遂宁市'"),
        (
            [campaign(source={"file": "beijing.txt", "section": "一"})],
            "source file 'beijing.txt' is not in the manifest",
        ),
        (
            [campaign(periods=[{"start": "2023-13-01", "end": date(2023, 12, 1), "text": "x"}])],
            "start '2023-13-01' is not a date",
        ),
        (
            [campaign(periods=[{"start": date(2024, 1, 1), "end": date(2024, 2, 1), "text": "x"}])],
            "starts in 2024, not in the plan year 2023",
        ),
        (
            [campaign(periods=[{"start": date(2023, 1, 1), "end": date(2024, 1, 1), "text": "x"}])],
            "is a year or longer",
        ),
        ([campaign(aliases=[24365])], "aliases must be a list of text"),
        ([campaign(periods=[])], "no periods, so a note must say why"),
        ([{k: v for k, v in campaign().items() if k != "summary"}], "summary is missing"),
        ([campaign(alias=["x"])], "unknown field 'alias'"),
        ([campaign(year="2023")], "year must be a number"),
        (
            [campaign(), campaign(id="minqi-2022", year=2022, periods=[], note="没有日期")],
            "national.txt: its campaigns disagree on the plan year (2022, 2023)",
        ),
    ],
)
def test_the_loader_refuses_a_malformed_calendar(
    tmp_path: Path, campaigns: list[dict[str, Any]], message: str
) -> None:
    path = write_calendar(tmp_path, *campaigns)
    with pytest.raises(CalendarError) as raised:
        load_calendar(path, notices=NOTICES)
    assert message in str(raised.value)
    assert str(path) in str(raised.value)


def test_the_loader_lists_every_problem_at_once(tmp_path: Path) -> None:
    bad_dates = [{"start": date(2023, 11, 30), "end": date(2023, 10, 1), "text": "x"}]
    path = write_calendar(tmp_path, campaign(), campaign(), campaign(id="b", periods=bad_dates))
    with pytest.raises(CalendarError) as raised:
        load_calendar(path, notices=NOTICES)
    assert "id used 2 times" in str(raised.value)
    assert "campaign b period 1: start 2023-11-30 is after end" in str(raised.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("campaigns: [", "cannot read the calendar"),
        ("version: 2\ncampaigns: []\n", "version: 1"),
        ("version: 1\ncampaigns: []\n", "campaigns must be a non-empty list"),
        ("[]", "version: 1"),
    ],
)
def test_the_loader_refuses_a_file_that_is_not_a_calendar(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "campaigns.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CalendarError, match=message):
        load_calendar(path, notices=NOTICES)


def test_a_missing_calendar_file_is_a_calendar_error(tmp_path: Path) -> None:
    with pytest.raises(CalendarError, match="cannot read"):
        load_calendar(tmp_path / "nowhere.yml", notices=NOTICES)


def test_the_shipped_calendar_matches_the_shipped_manifest(calendar: CampaignCalendar) -> None:
    assert calendar.regions == ("全国", "湖北省", "四川省遂宁市", "陕西省")
    assert len({c.id for c in calendar.campaigns}) == len(calendar.campaigns) == 39


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("离校没就业的毕业生服务攻坚行动是干嘛的", "lixiao-gongjian-2023"),
        ("網上招聘專項行動幾月開始", "bairi-qianwan-2023"),
    ],
)
def test_a_long_name_written_a_little_differently_still_finds_its_campaign(
    calendar: CampaignCalendar, text: str, expected: str
) -> None:
    answer = calendar.by_name(text)
    assert answer.ids[0] == expected


@pytest.mark.parametrize("text", ["毕业生有什么服务", "网上有什么招聘", "就业服务行动"])
def test_a_few_words_of_a_name_are_not_a_name(calendar: CampaignCalendar, text: str) -> None:
    assert not calendar.by_name(text).found


def test_campaigns_serving_every_group_asked_about_come_first(calendar: CampaignCalendar) -> None:
    answer = calendar.for_groups("失业的年轻人有什么活动", "湖北省")
    both = {"hubei-zhiyin-weilai-2023", "hubei-jiedui-bangfu-2023"}
    assert set(answer.ids[:2]) == both
    assert len(answer.ids) > 2


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("中央企业招西藏青海新疆学生是哪段时间", None),
        ("中央企业招西藏青海新疆学生是哪段时间", "湖北省"),  # not in Hubei's plan: national
    ],
)
def test_a_campaign_described_by_the_rare_words_of_its_name_is_found(
    calendar: CampaignCalendar, text: str, region: str | None
) -> None:
    assert not calendar.by_name(text, region).found
    answer = calendar.by_description(text, region)
    assert answer.ids == ("yangqi-xizang-qinghai-xinjiang-2023",)
    assert answer.plans == (NATIONAL_PLAN,)


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("残疾人有什么就业帮扶活动", "四川省遂宁市"),  # a group: the campaigns for it, not one
        ("民营企业有啥招聘活动", None),
        ("高校毕业生有什么招聘活动", None),
        ("西藏有招聘会吗", None),  # one rare word is no description
    ],
)
def test_a_group_or_a_single_word_describes_no_campaign(
    calendar: CampaignCalendar, text: str, region: str | None
) -> None:
    assert not calendar.by_description(text, region).found
