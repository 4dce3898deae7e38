"""Tells a follow-up ("那湖北呢", "需要什么材料", "怎么申请") from a new question, and joins it to
the question it follows, so the answer keeps the topic.

A follow-up is a short message that, once places, groups of people and the words of asking are
taken out, has nothing left: it names no topic of its own. Joined to the previous question it
replaces that question's place when it names one ("失业金怎么领" + "那湖北呢" is asked as
"失业金怎么领 那湖北呢" about 湖北 alone).
"""

from __future__ import annotations

from knowledge.places import PlaceBook
from knowledge.retrieval import tokenize

# Longer messages are questions of their own, whatever their words.
MAX_FOLLOW_UP_CHARS = 16
# Words that ask about a topic without naming one: what, how, where, when, who, how much.
ASKING_WORDS = frozenset(
    """
    那 那么 那要 那个 这个 呢 吗 嘛 啊 呀 吧 的 了 是 有
    还有 还 别的 其他 其它 可以 能 能不能 可不可以 如果 要是
    假如 我 我是 我在 我们 在 去 到 找 谁 哪 哪个 哪些
    哪里 哪儿 什么 啥 怎么 怎样 怎么样 如何 多少 多久 几
    几个 几月 时候 什么时候 时间 要 需要 要求 材料 证明 手续
    证件 资料 条件 资格 标准 流程 步骤 办 办理 申请 申领 领
    领取 报名 提交 具体 详细 一下 说说 讲讲 呢 钱 给 多 少
    怎么办 怎么弄 咋办 咋 能否 是否 可否 情况 规定 政策 地方
    当地 本地 省 市 县 区
    """.split()
)
# Who is asking: "那农民工呢" asks the same about another group of people.
PEOPLE_WORDS = tuple(
    sorted(
        """
        高校毕业生 应届毕业生 毕业生 应届生 大学生 研究生 农民工
        务工人员 打工的 残疾人 残疾 退捕渔民 渔民 退役军人 青年
        年轻人 低保户 低保家庭 脱贫户 脱贫家庭 零就业家庭 贫困户
        失业人员 就业困难人员
        """.split(),
        key=len,
        reverse=True,
    )
)


def is_follow_up(text: str, places: PlaceBook) -> bool:
    """Whether ``text`` only asks more about the topic before it (a place, a group, an aspect)."""
    text = text.strip()
    if not text or len(text) > MAX_FOLLOW_UP_CHARS:
        return False
    rest = places.without_places(text)
    for word in PEOPLE_WORDS:
        rest = rest.replace(word, " ")
    words = tokenize(rest)
    names_something = rest != text or any(word in ASKING_WORDS for word in words)
    return names_something and all(word in ASKING_WORDS for word in words)


def asks_only_an_aspect(text: str, places: PlaceBook) -> bool:
    """Whether a follow-up names no place and no group of people: it asks about the same matter
    for the same people ("怎么申请", "需要什么材料"), not "那湖北呢" or "那农民工呢"."""
    return places.find(text) is None and not any(word in text for word in PEOPLE_WORDS)


def join(previous: str, follow_up: str, places: PlaceBook) -> str:
    """The question ``follow_up`` asks, given the question it follows."""
    if places.find(follow_up) is not None:
        previous = places.without_places(previous)
    return f"{previous.strip()} {follow_up.strip()}"
