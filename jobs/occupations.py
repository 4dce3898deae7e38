"""Occupations as job seekers name them, and the words postings' titles use for them.

NLU gives an occupation's canonical name (its synonyms in ``nlu_data/synonyms.yml`` map 财务 to
会计, 驾驶员 to 司机, 操作工 to 普工); the same synonyms serve here for a name NLU missed. A title
matches an occupation when it contains one of that name's title words ("财务会计", "网约车司机",
"数控车床操作员"). An occupation not in the table matches titles that contain its own name.
"""

from __future__ import annotations

from functools import lru_cache

from bot.nlu_items import lookup, synonyms

TITLE_WORDS: dict[str, tuple[str, ...]] = {
    "会计": ("会计", "财务", "财会", "记账"),
    "出纳": ("出纳",),
    "司机": ("司机", "驾驶员"),
    "货车司机": ("货车司机", "货车驾驶员"),
    "普工": ("普工", "操作工", "操作员", "流水线"),
    "电工": ("电工",),
    "焊工": ("焊工",),
    "客服": ("客服",),
    "仓管": ("仓管", "仓库管理", "库管"),
    "快递员": ("快递", "分拣员"),
    "外卖骑手": ("外卖", "骑手"),
    "销售": ("销售", "导购"),
    "文员": ("文员", "行政"),
    "厨师": ("厨师", "帮厨"),
    "保洁": ("保洁", "清洁"),
    "保安": ("保安",),
    "保育员": ("保育员",),
    "幼师": ("幼师", "幼儿教师", "保育员"),
    "护工": ("护工", "护理员"),
    "程序员": ("程序员", "软件", "开发工程师", "测试工程师"),
    "测试工程师": ("测试",),
    "新媒体运营": ("新媒体", "运营"),
    "收银员": ("收银",),
    "理货员": ("理货",),
}


@lru_cache(maxsize=1)
def aliases() -> dict[str, str]:
    """Other names of occupations, as NLU's synonyms map them to the names of its lookup table."""
    known = lookup("occupation")
    return {alias: name for alias, name in synonyms().items() if name in known}


def canonical(name: str) -> str:
    name = name.strip()
    return aliases().get(name, name)


def title_words(occupation: str) -> tuple[str, ...]:
    """The words a title contains when it is this occupation, its own name first (a title that
    is exactly one of them names the occupation itself)."""
    name = canonical(occupation)
    return tuple(dict.fromkeys((name, *TITLE_WORDS.get(name, ()))))


def occupations_of(title: str) -> set[str]:
    """Every occupation whose title words the title contains, and the title itself (a
    subscription to "焊工" matches "焊工", one to "机械设计助理工程师" matches that title)."""
    found = {name for name, words in TITLE_WORDS.items() if any(word in title for word in words)}
    return found | {title.strip()}


def named_in(text: str) -> str | None:
    """The occupation a text names by one of the table's words (the longest such word)."""
    candidates = [
        (word, name)
        for name, words in TITLE_WORDS.items()
        for word in (name, *words)
        if word in text
    ]
    candidates += [(alias, name) for alias, name in aliases().items() if alias in text]
    if not candidates:
        return None
    # The longest word wins; of equally long ones, an occupation's own name.
    return max(candidates, key=lambda pair: (len(pair[0]), pair[0] == pair[1]))[1]
