"""knowledge.cleaning: page furniture goes, every sentence of the notice stays."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

import pytest

from bot.simplified import to_simplified
from knowledge.cleaning import CleanText, clean_notice
from knowledge.manifest import load_manifest
from knowledge.markers import heading_level

from .conftest import NATIONAL_FILE, SHAANXI_FILE, SUINING_FILE, TRADITIONAL_FILE

ALL_FILES = [entry.file for entry in load_manifest()]


NEWS_SITE_FURNITURE = ["新華網 > > 正文", "2023 02/28 09:39:35", "來源:教育部網站", "字體:"]
NEWS_SITE_FURNITURE += ["糾錯", "責任編輯", "李東煌", "-新華網", "新華網"]


@pytest.mark.parametrize("furniture", NEWS_SITE_FURNITURE)
def test_news_site_furniture_is_removed(
    cleaned: Callable[[str], CleanText], furniture: str
) -> None:
    notice = cleaned(TRADITIONAL_FILE)
    assert furniture not in notice.original
    assert to_simplified(furniture) not in notice.simplified


@pytest.mark.parametrize("furniture", ["扫描二维码 关注我们", "二维码"])
def test_follow_widget_is_removed(cleaned: Callable[[str], CleanText], furniture: str) -> None:
    assert furniture not in cleaned(NATIONAL_FILE).original


@pytest.mark.parametrize(
    ("file", "title"),
    [
        (TRADITIONAL_FILE, "教育部辦公廳關于開展2023屆高校畢業生春季促就業攻堅行動的通知"),
        (NATIONAL_FILE, "人力资源社会保障部关于开展2023年全国公共就业服务专项活动的通知"),
    ],
)
def test_duplicated_title_is_kept_once(
    cleaned: Callable[[str], CleanText], file: str, title: str
) -> None:
    assert cleaned(file).original.splitlines().count(title) == 1


def _notice_lines(raw: str) -> list[str]:
    """Lines that are plainly the notice's own: sentences and headings."""
    lines = [line.strip() for line in raw.splitlines()]
    return [line for line in lines if line and (line[-1] in "。；" or heading_level(line))]


@pytest.mark.parametrize("file", ALL_FILES)
def test_no_sentence_of_the_notice_is_lost(
    raw_notice: Callable[[str], str], cleaned: Callable[[str], CleanText], file: str
) -> None:
    raw = raw_notice(file)
    notice = cleaned(file)
    sentences = [s for line in _notice_lines(raw) for s in re.split(r"(?<=[。；])", line) if s]
    assert sentences
    for sentence in sentences:
        assert sentence in notice.original


@pytest.mark.parametrize(
    "line",
    [
        "各省、自治區、直轄市教育廳(教委),新疆生産建設兵團教育局,有關省、自治區人力資源社會保障廳,"
        "部屬各高等學校、部省合建各高等學校:",
        "搶抓春招關鍵期全力攻堅促就業",
        "2023年2月—4月",
        "聯繫人及電話:教育部高校學生司",
        "蔡煒浩010-66097835",
        "電子信箱:xssjyc@moe.edu.cn",
        "教育部辦公廳",
        "2023年2月23日",
    ],
)
def test_short_lines_of_the_notice_stay(cleaned: Callable[[str], CleanText], line: str) -> None:
    assert line in cleaned(TRADITIONAL_FILE).original.splitlines()


@pytest.mark.parametrize("file", ALL_FILES)
def test_every_character_is_kept_or_reported_removed(
    raw_notice: Callable[[str], str], cleaned: Callable[[str], CleanText], file: str
) -> None:
    def characters(text: str) -> Counter[str]:
        return Counter(char for char in text if not char.isspace())

    notice = cleaned(file)
    removed = characters("".join(notice.removed))
    assert characters(notice.original) + removed == characters(raw_notice(file))


@pytest.mark.parametrize("file", [SUINING_FILE, SHAANXI_FILE])
def test_a_clean_notice_loses_nothing(cleaned: Callable[[str], CleanText], file: str) -> None:
    assert cleaned(file).removed == ()


@pytest.mark.parametrize("file", ALL_FILES)
def test_simplified_twin_matches_the_original_offset_for_offset(
    cleaned: Callable[[str], CleanText], file: str
) -> None:
    notice = cleaned(file)
    assert len(notice.simplified) == len(notice.original)
    assert notice.simplified == to_simplified(notice.original)


def test_twin_of_the_traditional_notice_is_simplified(cleaned: Callable[[str], CleanText]) -> None:
    notice = cleaned(TRADITIONAL_FILE)
    assert "教育部办公厅关于开展2023届高校毕业生春季促就业攻坚行动的通知" in notice.simplified
    assert "辦公廳" in notice.original


# Furniture of other sites than the shipped ones: the rules are patterns, not one file's lines.
OTHER_PAGE = """关于做好2024年就业见习工作的通知_中国政府网
首页 > 政策 > 正文
发布时间：2024-03-05 10:00
作者：办公室
【打印】 【关闭】
关于做好2024年就业见习工作的通知
各市人力资源社会保障局：
一、见习时间
时间：3月1日至6月30日。
二、补贴标准
见习补贴按当地最低工资标准的60%发放。【纠错】
分享到：微信 微博 QQ空间
扫一扫在手机打开当前页
（责任编辑：王五）
"""
OTHER_BODY = """关于做好2024年就业见习工作的通知
各市人力资源社会保障局：
一、见习时间
时间：3月1日至6月30日。
二、补贴标准
见习补贴按当地最低工资标准的60%发放。"""


def test_other_sites_furniture_goes_by_the_same_rules() -> None:
    assert clean_notice(OTHER_PAGE).original == OTHER_BODY


def test_a_label_line_inside_the_body_is_the_notice_own() -> None:
    body = "各单位：\n一、报名\n来源：本人申请\n二、时间\n时间：3月1日\n三、其他\n请按时报名。"
    assert clean_notice(body).original == body
