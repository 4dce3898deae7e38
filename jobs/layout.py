"""The column layout of a postings file, and how each cell is read and checked.

A postings file is a CSV (UTF-8, with or without a BOM, or GB18030 as Excel saves it on Chinese
Windows) whose first row names the columns below; their order is free. Each checker turns the
cell's text into its value or raises ``CellError`` with what staff should fix, in Chinese.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from knowledge.places import load_places

EDUCATION_LEVELS = ("不限", "初中", "高中", "中专", "大专", "本科", "硕士", "博士")
# The groups a posting may say it suits, as job seekers and the notices name them.
GROUPS = (
    "应届毕业生",
    "高校毕业生",
    "农民工",
    "残疾人",
    "退役军人",
    "就业困难人员",
    "脱贫人口",
    "失业人员",
    "青年",
    "退捕渔民",
)
FULL_TIME, PART_TIME = "全职", "兼职"
MAX_SALARY = 1_000_000
_SEPARATORS = re.compile(r"[、,，/;；\s]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")
_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")


class CellError(ValueError):
    """A cell that cannot be taken as it is; the message says why, for staff."""


def clean(text: str) -> str:
    """The cell's text without control and zero-width characters, and trimmed."""
    return _CONTROL.sub("", text).strip()


def _text(limit: int, required: bool = True) -> Callable[[str, date], str]:
    def read(cell: str, _today: date) -> str:
        if required and not cell:
            raise CellError("不能为空")
        if len(cell) > limit:
            raise CellError(f"不能超过{limit}个字")
        return cell

    return read


def _salary(cell: str, _today: date) -> int:
    if not cell:
        raise CellError("不能为空")
    if not cell.isdigit():
        raise CellError("应为整数（元/月），如 4500")
    value = int(cell)
    if value > MAX_SALARY:
        raise CellError(f"不能超过{MAX_SALARY}")
    return value


def _city(cell: str, _today: date) -> str:
    if not cell:
        raise CellError("不能为空")
    place = load_places().find(cell)
    if place is not None and place.city_name is not None:
        return place.city_name
    raise CellError(f"“{cell}”不是认得的城市，请写城市名，如 武汉、西安、遂宁")


def _education(cell: str, _today: date) -> str:
    value = cell or "不限"
    if value not in EDUCATION_LEVELS:
        raise CellError(f"应为{'、'.join(EDUCATION_LEVELS)}之一")
    return value


def _suits(cell: str, _today: date) -> str:
    groups = [group for group in _SEPARATORS.split(cell) if group]
    unknown = [group for group in groups if group not in GROUPS]
    if unknown:
        raise CellError(f"“{'、'.join(unknown)}”不在可选人群中（{'、'.join(GROUPS)}）")
    return "、".join(dict.fromkeys(groups))


def _part_time(cell: str, _today: date) -> bool:
    if cell not in (FULL_TIME, PART_TIME):
        raise CellError(f"应为“{FULL_TIME}”或“{PART_TIME}”")
    return cell == PART_TIME


def _valid_until(cell: str, today: date) -> date:
    match = _DATE.fullmatch(cell)
    if match is None:
        raise CellError("应为日期，如 2026-12-31")
    try:
        value = date(*(int(part) for part in match.groups()))
    except ValueError as error:
        raise CellError(f"“{cell}”不是有效日期") from error
    if value < today:
        raise CellError("已过期")
    return value


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    read: Callable[[str, date], Any]


COLUMNS = (
    Column("岗位名称", "title", _text(50)),
    Column("用人单位", "employer", _text(100)),
    Column("城市", "city", _city),
    Column("区县", "district", _text(20, required=False)),
    Column("月薪下限", "salary_min", _salary),
    Column("月薪上限", "salary_max", _salary),
    Column("岗位要求", "requirements", _text(500, required=False)),
    Column("学历要求", "education", _education),
    Column("适合人群", "suits", _suits),
    Column("用工形式", "part_time", _part_time),
    Column("联系方式", "contact", _text(100)),
    Column("信息来源", "source", _text(100)),
    Column("有效期至", "valid_until", _valid_until),
)
HEADERS = tuple(column.header for column in COLUMNS)
