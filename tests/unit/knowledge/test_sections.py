"""knowledge.sections: each notice split along its own headings into quotable passages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from bot.simplified import to_simplified
from knowledge.cleaning import CleanText, clean_notice
from knowledge.manifest import NoticeEntry, load_manifest
from knowledge.sections import (
    MAX_CHARS,
    SIGN_OFF,
    Passage,
    in_section,
    names_items,
    split_notice,
)

from .conftest import HUBEI_FILE, NATIONAL_FILE, SHAANXI_FILE, SUINING_FILE, TRADITIONAL_FILE

ALL_FILES = [entry.file for entry in load_manifest()]

# Each notice's top-level headings with the number of "(一)" items under each, and whether it
# ends with a sign-off (issuer, date, contacts).
STRUCTURE = {
    NATIONAL_FILE: ({"一、总体要求": 0, "二、活动安排": 8, "三、工作要求": 4}, True),
    HUBEI_FILE: ({"一、总体要求": 0, "二、重点任务": 10, "三、工作要求": 3}, True),
    SUINING_FILE: ({"一、总体要求": 0, "二、活动安排": 12, "三、工作要求": 4}, False),
    TRADITIONAL_FILE: (
        {
            "一、行动主题": 0,
            "二、行动时间": 0,
            "三、行动目标": 0,
            "四、行动任务": 5,
            "五、工作要求": 3,
        },
        True,
    ),
    SHAANXI_FILE: (
        {
            "一、行动主题": 0,
            "二、行动时间": 0,
            "三、服务对象": 0,
            "四、行动目标": 0,
            "五、夯实基本公共就业服务": 6,
            "六、聚焦重点群体实施特色服务": 4,
            "七、工作要求": 5,
        },
        True,
    ),
}


def _split(
    manifest: dict[str, NoticeEntry], cleaned: Callable[[str], CleanText], file: str
) -> list[Passage]:
    return split_notice(manifest[file], cleaned(file))


def _paths(passages: list[Passage]) -> list[tuple[str, ...]]:
    """Heading paths in reading order, in Simplified characters, each once."""
    paths = [tuple(to_simplified(heading) for heading in p.headings) for p in passages]
    return list(dict.fromkeys(paths))


@pytest.mark.parametrize("file", ALL_FILES)
def test_headings_follow_the_notice_structure(
    manifest: dict[str, NoticeEntry], cleaned: Callable[[str], CleanText], file: str
) -> None:
    expected_items, signed = STRUCTURE[file]
    paths = _paths(_split(manifest, cleaned, file))

    assert paths[0] == ()
    assert (paths[-1] == (SIGN_OFF,)) is signed
    top_level = list(dict.fromkeys(path[0] for path in paths if path and path[0] != SIGN_OFF))
    assert top_level == list(expected_items)
    items = Counter(path[0] for path in paths if len(path) == 2)
    assert {heading: items[heading] for heading in expected_items} == expected_items
    assert all(len(path) <= 2 for path in paths)


NATIONAL_CAMPAIGNS = [
    "(一)春风行动暨就业援助月",
    "(二)职引未来——大中城市联合招聘高校毕业生专场活动",
    "(三)民营企业招聘月",
    "(四)百日千万网络招聘专项行动",
    "(五)离校未就业高校毕业生服务攻坚行动",
    "(六)金秋招聘月",
    "(七)职引未来——全国人力资源市场高校毕业生就业服务周",
    "(八)职引未来——中央企业面向西藏青海新疆高校毕业生专场招聘活动",
]


@pytest.mark.parametrize("campaign", NATIONAL_CAMPAIGNS)
def test_each_national_campaign_is_its_own_passage(
    manifest: dict[str, NoticeEntry], cleaned: Callable[[str], CleanText], campaign: str
) -> None:
    passages = _split(manifest, cleaned, NATIONAL_FILE)
    found = [p for p in passages if p.headings == ("二、活动安排", campaign)]
    assert len(found) == 1
    assert found[0].text.startswith(campaign + "。")
    others = [name for name in NATIONAL_CAMPAIGNS if name != campaign]
    assert not any(name in found[0].text for name in others)


@pytest.mark.parametrize("file", ALL_FILES)
def test_passages_are_slices_of_the_cleaned_notice_that_miss_nothing(
    manifest: dict[str, NoticeEntry], cleaned: Callable[[str], CleanText], file: str
) -> None:
    notice = cleaned(file)
    passages = _split(manifest, cleaned, file)
    for passage in passages:
        assert passage.text in notice.original
        assert passage.text_simplified == to_simplified(passage.text)
    # Every character is in a passage's text, or in a heading standing alone above its items.
    bare = {
        h for p in passages for h in p.headings if not any(q.text.startswith(h) for q in passages)
    }
    kept = "".join(p.text for p in passages) + "".join(bare - {SIGN_OFF})
    assert _characters(kept) == _characters(notice.original)


def _characters(text: str) -> Counter[str]:
    return Counter(char for char in text if not char.isspace())


@pytest.mark.parametrize("file", ALL_FILES)
def test_passages_carry_the_manifest_particulars(
    manifest: dict[str, NoticeEntry], cleaned: Callable[[str], CleanText], file: str
) -> None:
    entry = manifest[file]
    passages = _split(manifest, cleaned, file)
    assert {(p.notice, p.title, p.issuer, p.date, p.region) for p in passages} == {
        (entry.file, entry.title, entry.issuer, entry.date, entry.region)
    }
    assert len({p.id for p in passages}) == len(passages)


@pytest.mark.parametrize("file", ALL_FILES)
def test_passages_are_paragraph_sized(
    manifest: dict[str, NoticeEntry], cleaned: Callable[[str], CleanText], file: str
) -> None:
    for passage in _split(manifest, cleaned, file):
        assert len(passage.text) <= MAX_CHARS or "。" not in passage.text[:-1]


def test_a_long_item_is_cut_at_sentence_ends(
    manifest: dict[str, NoticeEntry], cleaned: Callable[[str], CleanText]
) -> None:
    heading = ("二、重点任务", "(三)开展创业服务支持行动")
    pieces = [p for p in _split(manifest, cleaned, HUBEI_FILE) if p.headings == heading]
    assert len(pieces) >= 2
    assert pieces[0].text.startswith("(三)开展创业服务支持行动。")
    assert all(piece.text.endswith("。") for piece in pieces)
    whole = next(line for line in cleaned(HUBEI_FILE).original.splitlines() if line[:3] == "(三)")
    assert "".join(piece.text for piece in pieces) == whole


@pytest.mark.parametrize(
    ("heading", "text"),
    [
        ("二、行動時間", "二、行動時間\n2023年2月—4月"),
        ("一、行動主題", "一、行動主題\n搶抓春招關鍵期全力攻堅促就業"),
    ],
)
def test_a_tiny_section_stays_with_its_heading(
    manifest: dict[str, NoticeEntry], cleaned: Callable[[str], CleanText], heading: str, text: str
) -> None:
    found = [p for p in _split(manifest, cleaned, TRADITIONAL_FILE) if p.headings == (heading,)]
    assert [p.text for p in found] == [text]


def test_a_one_line_notice_is_split_at_its_inline_headings(
    manifest: dict[str, NoticeEntry], cleaned: Callable[[str], CleanText]
) -> None:
    passages = _split(manifest, cleaned, SUINING_FILE)
    first_item = next(p for p in passages if len(p.headings) == 2)
    assert first_item.headings == ("二、活动安排", "（一）就业援助月")
    assert first_item.text.startswith("（一）就业援助月。2022年1月")
    assert first_item.text.endswith("为就业困难人员等提供重点帮扶。")


def test_preface_and_sign_off(
    manifest: dict[str, NoticeEntry], cleaned: Callable[[str], CleanText]
) -> None:
    passages = _split(manifest, cleaned, TRADITIONAL_FILE)
    assert passages[0].headings == ()
    assert "現將有關事項通知如下" in passages[0].text
    assert passages[-1].headings == (SIGN_OFF,)
    assert passages[-1].text.splitlines()[-2:] == ["教育部辦公廳", "2023年2月23日"]
    assert "010-66097835" in passages[-1].text


NUMBERED = """各单位：
现通知如下：
一、补贴对象
（一）高校毕业生
1.离校两年内未就业的高校毕业生。
2.毕业学年内的在校生。
（二）就业困难人员
二、补贴标准
每人每月500元。"""


def test_numbered_items_are_a_third_level() -> None:
    entry = NoticeEntry("x.txt", "关于补贴的通知", "某局", "2024", "某省")
    passages = split_notice(entry, clean_notice(NUMBERED))
    assert [p.headings for p in passages] == [
        (),
        ("一、补贴对象", "（一）高校毕业生", "1.离校两年内未就业的高校毕业生"),
        ("一、补贴对象", "（一）高校毕业生", "2.毕业学年内的在校生"),
        ("一、补贴对象", "（二）就业困难人员"),
        ("二、补贴标准",),
    ]
    assert passages[-1].text == "二、补贴标准\n每人每月500元。"


@pytest.mark.parametrize(
    ("headings", "section", "inside"),
    [
        (("二、主要任务", "(五)开展服务"), "二、(五)", True),
        (("二、主要任务", "（五）开展服务"), "二、(五)", True),
        (("二、主要任务", "(四)开展服务"), "二、(五)", False),
        (("三、组织实施", "(五)开展服务"), "二、(五)", False),
        (("四、工作要求",), "一、二、四", True),
        (("三、服务对象",), "一、二、四", False),
        (("三、组织实施", "(一)加强领导"), "二、(一)；三、(一)", True),
        ((), "二、(五)", False),
    ],
)
def test_a_passage_is_in_the_section_notices_number(
    headings: tuple[str, ...], section: str, inside: bool
) -> None:
    passage = Passage("x:0", "x.txt", headings, "", "正文。", "通知", "某局", "2024", "全国")
    assert in_section(passage, section) is inside


@pytest.mark.parametrize(
    ("section", "items"),
    [
        ("二、(五)", True),
        ("二、(一)；三、(一)", True),
        ("一、二、四", False),
        ("一、二、三、四；五、(一)", False),
    ],
)
def test_a_section_names_items_or_whole_parts(section: str, items: bool) -> None:
    assert names_items(section) is items
