"""Check the answers a job seeker gives in the unemployment-registration form.

Every `parse_*` function normalises its input first and returns the value to store, or raises
`InvalidAnswer` whose code names the response (`utter_invalid_<code>`) that explains why.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from bot.simplified import to_simplified
from registration.identity import InvalidAnswer
from storage.sealed import mask_phones

__all__ = [
    "GROUPS",
    "LEAVE_REASONS",
    "PLACE_KINDS",
    "InvalidAnswer",
    "looks_like_question",
    "mask_name",
    "mask_phone",
    "normalise",
    "parse_free_text",
    "parse_group",
    "parse_leave_reason",
    "parse_name",
    "parse_phone",
    "parse_place_kind",
    "parse_wants_training",
]

PLACE_KINDS = ("户籍地", "常住地", "就业地", "参保地")
GROUPS = ("高校毕业生", "农民工", "城镇失业人员", "脱贫劳动力", "退捕渔民", "残疾人", "其他")
LEAVE_REASONS = (
    "合同到期",
    "单位裁员或解除合同",
    "个人辞职",
    "单位关闭或破产",
    "毕业未就业",
    "其他",
)

_SURNAMES_FILE = Path(__file__).with_name("surnames.txt")

_QUESTION_WORDS = tuple(
    "怎么 什么 吗 哪 多少 如何 能不能 可不可以 是否 为什么 为啥 咋 啥 么 呢".split()
)

# ---- normalising -------------------------------------------------------------------------------

_WHITESPACE = re.compile(r"\s+")
# Control, format (zero-width space, joiners, BOM) and surrogate characters.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})


def normalise(text: str) -> str:
    """NFKC, Simplified script, no control or zero-width characters, single inner spaces."""
    folded = to_simplified(unicodedata.normalize("NFKC", text))
    # Whitespace controls (tab, newline) become spaces before the other controls are dropped.
    spaced = _WHITESPACE.sub(" ", folded)
    kept = "".join(char for char in spaced if unicodedata.category(char) not in _DROPPED_CATEGORIES)
    return _WHITESPACE.sub(" ", kept).strip()


def looks_like_question(text: str) -> bool:
    """Whether the answer reads as a question (a question mark or a question word)."""
    normalised = normalise(text)
    return "?" in normalised or any(word in normalised for word in _QUESTION_WORDS)


def _numbered_choice(text: str, count: int) -> int | None:
    """The 1-based number of a choice typed as "2", "选2" or "第2个", if it is one of `count`."""
    match = re.fullmatch(r"(?:选|第)?\s*([1-9])\s*(?:个|项|种|号)?", text)
    if match is None or int(match.group(1)) > count:
        return None
    return int(match.group(1))


def _strip_punctuation(text: str) -> str:
    return text.strip(" 。.,，!！、~")


def _named_choices(text: str, keywords: dict[str, tuple[str, ...]]) -> set[str]:
    return {choice for choice, words in keywords.items() if any(word in text for word in words)}


# ---- names -------------------------------------------------------------------------------------

_NAME_PREFIXES = ("我的", "姓名是", "姓名", "名字是", "名字叫", "名字", "我叫", "我是", "叫")
# Words for leaving the form or for agreeing, which are never names.
_NAME_REFUSALS = tuple(
    "算了 取消 不办了 退出 转人工 人工 不要 不用 好的 是的 没有 知道 谢谢 你好 您好 再见 进度 "
    "政策 补贴 登记 工作 岗位 客服 机器人".split()
)
_MIDDLE_DOTS = re.compile(r"[•・‧･]")
_HANZI = r"\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f"
_HANZI_NAME = re.compile(f"[{_HANZI}]{{2,4}}")
_DOTTED_NAME = re.compile(f"[{_HANZI}]+(?:·[{_HANZI}]+)+")


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    """The Chinese surnames a name may start with: single ones and compound ones."""
    lines = _SURNAMES_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip())


def _strip_name_prefixes(text: str) -> str:
    stripped = text
    while True:
        stripped = stripped.lstrip(" :")
        prefix = next((p for p in _NAME_PREFIXES if stripped.startswith(p)), None)
        if prefix is None:
            return stripped
        stripped = stripped[len(prefix) :]


def parse_name(text: str) -> str:
    """A Chinese name (surname first, 2–4 characters) or a dotted one like "买买提·艾力"."""
    normalised = normalise(text)
    if not normalised or looks_like_question(normalised):
        raise InvalidAnswer("name_invalid")
    name = _strip_name_prefixes(normalised).rstrip("。.!！ ")
    # People sometimes space the surname from the given name: "张 三".
    name = _MIDDLE_DOTS.sub("·", name).replace(" ", "")
    if any(word in name for word in _NAME_REFUSALS):
        raise InvalidAnswer("name_invalid")
    if _HANZI_NAME.fullmatch(name) and (name[0] in surnames() or name[:2] in surnames()):
        return name
    if 3 <= len(name) <= 20 and _DOTTED_NAME.fullmatch(name):
        return name
    raise InvalidAnswer("name_invalid")


def mask_name(name: str) -> str:
    """Masked for replies: "张*", "张*明", "欧**锋"; a dotted name keeps one: "买*****"."""
    if len(name) <= 1:
        return "*" * len(name)
    if "·" in name or len(name) == 2:
        return name[0] + "*" * (len(name) - 1)
    return name[0] + "*" * (len(name) - 2) + name[-1]


# ---- phone numbers -----------------------------------------------------------------------------

_PHONE_LABELS = ("我的", "手机号码", "手机号", "手机", "电话号码", "电话", "号码", "是", ":")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
# Area code (0 and 2–3 digits) and a 7–8 digit local number: 027-87654321, 0755 1234567.
_LANDLINE = re.compile(r"0[1-9][0-9]{1,2}[0-9]{7,8}")


def parse_phone(text: str) -> str:
    """A mainland mobile number as 11 digits; "+86", "86" or "0086" and separators are allowed."""
    cleaned = normalise(text)
    for label in _PHONE_LABELS:
        cleaned = cleaned.replace(label, "")
    digits = re.sub(r"[\s\-]+", "", _strip_punctuation(cleaned))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not re.fullmatch(r"[0-9]+", digits):
        raise InvalidAnswer("phone_invalid")
    if _MOBILE.fullmatch(digits):
        return digits
    if len(digits) == 11 or _LANDLINE.fullmatch(digits):
        raise InvalidAnswer("phone_not_mobile")
    raise InvalidAnswer("phone_invalid")


def mask_phone(number: str) -> str:
    """A mobile number masked as every phone is on screens (``storage.sealed``): "138****5678"."""
    if not _MOBILE.fullmatch(number):
        raise ValueError("a mobile number has 11 digits")
    return mask_phones(number)


# ---- choices -----------------------------------------------------------------------------------

_PLACE_KIND_WORDS: dict[str, tuple[str, ...]] = {
    "户籍地": ("户籍", "户口", "老家"),
    "常住地": ("常住", "居住地", "住的地方", "居住证"),
    "就业地": ("就业", "工作地", "上班的地方", "单位所在地"),
    "参保地": ("参保", "社保"),
}

_GROUP_WORDS: dict[str, tuple[str, ...]] = {
    "高校毕业生": tuple("高校毕业 毕业生 应届 大学生 大学毕业 研究生 本科 大专".split()),
    "农民工": ("农民工", "打工", "务工"),
    "城镇失业人员": ("城镇", "下岗", "失业人员"),
    "脱贫劳动力": ("脱贫", "建档立卡"),
    "退捕渔民": ("渔民", "退捕"),
    "残疾人": ("残疾", "残障"),
    "其他": ("其他", "其它", "都不是"),
}


def _one_of(
    text: str, options: tuple[str, ...], words: dict[str, tuple[str, ...]], refusal: str
) -> str:
    """The option a text names, by number (1 is the first) or by one of its words; exactly one."""
    answer = _strip_punctuation(normalise(text))
    choice = _numbered_choice(answer, len(options))
    if choice is not None:
        return options[choice - 1]
    named = _named_choices(answer, words)
    # A question about an option ("户籍地是什么意思") is not a choice of it.
    if len(named) != 1 or looks_like_question(answer):
        raise InvalidAnswer(refusal)
    return named.pop()


def parse_place_kind(text: str) -> str:
    """One of PLACE_KINDS, from its name, a common wording of it, or its number 1–4."""
    return _one_of(text, PLACE_KINDS, _PLACE_KIND_WORDS, "place_kind_unknown")


def parse_group(text: str) -> str:
    """One of GROUPS, from its name, a common wording of it, or its number 1–7."""
    return _one_of(text, GROUPS, _GROUP_WORDS, "group_unknown")


# Checked before the yes words, which they contain ("不需要" holds "需要").
_NO_WORDS = tuple(
    "不要 不想 不需要 不用 不参加 不了 否 没兴趣 没有兴趣 暂时不 不愿意 不好 不行 不可以 不是 不必 "
    "没必要".split()
)
_YES_WORDS = tuple("要 想 需要 愿意 好 是 参加 可以 行 嗯".split())


def parse_wants_training(text: str) -> bool:
    """Whether the job seeker wants vocational training: yes/no words, or 1 (yes) and 2 (no)."""
    answer = _strip_punctuation(normalise(text))
    if answer in {"1", "2"}:
        return answer == "1"
    if looks_like_question(answer):
        raise InvalidAnswer("training_unclear")
    if answer == "不" or any(word in answer for word in _NO_WORDS):
        return False
    if any(word in answer for word in _YES_WORDS):
        return True
    raise InvalidAnswer("training_unclear")


# ---- free text ---------------------------------------------------------------------------------

_MARKUP = re.compile(r"[<>{}`;]|--")
_SQL_OR_SCRIPT = re.compile(
    r"(?<![a-z])(?:select|insert|drop|delete|union|script|javascript)(?![a-z])"
    # A tautology such as "1 OR 1=1" or "' or 'a'='a".
    r"|(?<![a-z])(?:or|and)\s+['\"]?\w+['\"]?\s*=",
    re.IGNORECASE | re.ASCII,
)
# Emoji and other pictographs; skin tones; keycaps; variation selectors.
_EMOJI_CATEGORIES = frozenset({"So", "Sk", "Me"})


def _is_emoji_part(char: str) -> bool:
    code = ord(char)
    return (
        unicodedata.category(char) in _EMOJI_CATEGORIES
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
    )


def parse_free_text(text: str, max_chars: int = 50) -> str:
    """Short free text (a job, a wish) without emoji; rejects markup, SQL and bare symbols."""
    answer = normalise(text)
    if not answer:
        raise InvalidAnswer("text_empty")
    if len(answer) > max_chars:
        raise InvalidAnswer("text_too_long")
    if _MARKUP.search(answer) or _SQL_OR_SCRIPT.search(answer):
        raise InvalidAnswer("text_invalid")
    cleaned = _WHITESPACE.sub(" ", "".join(c for c in answer if not _is_emoji_part(c))).strip()
    # Also catches text that was only emoji and is empty now.
    if not any(unicodedata.category(char)[0] in "LN" for char in cleaned):
        raise InvalidAnswer("text_invalid")
    return cleaned


_LEAVE_REASON_WORDS: dict[str, tuple[str, ...]] = {
    "合同到期": ("合同到期", "到期", "期满", "没续签", "不续签"),
    "单位裁员或解除合同": ("裁员", "辞退", "开除", "解除", "解聘", "被裁", "优化"),
    "个人辞职": ("辞职", "离职", "自己走", "不干了", "主动"),
    "单位关闭或破产": ("倒闭", "破产", "关门", "关闭", "停产", "搬迁"),
    "毕业未就业": ("毕业", "没工作过", "刚毕业"),
}


def parse_leave_reason(text: str) -> str:
    """One of LEAVE_REASONS for why the last job ended; the first matching category wins."""
    answer = parse_free_text(text, max_chars=50)
    for reason, words in _LEAVE_REASON_WORDS.items():
        if any(word in answer for word in words):
            return reason
    return "其他"
