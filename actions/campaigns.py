"""Campaign answers: when a campaign runs, what is on now or next month, and which are for whom.

Answers come from the campaign calendar taken from the notices (`knowledge/campaigns.yml`); the
wording lives in the domain's `utter_campaigns_*` responses, filled with the calendar's lines.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from rasa_sdk.executor import CollectingDispatcher

from actions.services import today
from bot.simplified import to_simplified
from knowledge.calendar import (
    TARGET_GROUPS,
    CalendarAnswer,
    Campaign,
    CampaignCalendar,
    CampaignMatch,
    MatchKind,
    load_calendar,
    normalise,
)
from knowledge.issuers import issuer_named
from knowledge.manifest import NoticeEntry, load_manifest
from knowledge.places import load_places
from knowledge.policy_answers import MAX_REPLY_CHARS, load_answerer, notice_date, says_any
from knowledge.retrieval import tokenize

# Within one WeChat message: a few campaigns, each on one line.
MAX_LINES = 8
# A named campaign's answer, and the same quoting its notice on what the calendar does not say.
DATES = "utter_campaigns_dates"
# The ending of the what-is-on responses that first say the question's own answer was not found.
UNSURE = "_unsure"
DATES_QUOTED = "utter_campaigns_dates_quoted"
MIN_QUOTE_CHARS = 40
# The quoting response's own words, around the lines filled in.
QUOTED_TEMPLATE_CHARS = 50
# How much of a line the groups a campaign serves may take.
GROUPS_CHARS = 24
# Our own notes in the calendar's period texts, e.g. （春季促就业攻坚行动的行动时间）.
EDITORIAL_NOTE = re.compile(r"（[^）]*）")
# A campaign line whose notice gives no time for it.
NO_DATES = "通知未写明时间"
NEXT_MONTH_WORDS = ("下个月", "下月", "下一个月")
FAMILY = "以上都是“{name}”系列的活动。"
NATIONAL = "全国"


@lru_cache(maxsize=1)
def calendar() -> CampaignCalendar:
    return load_calendar()


@lru_cache(maxsize=1)
def notices() -> dict[str, NoticeEntry]:
    return {entry.file: entry for entry in load_manifest()}


@lru_cache(maxsize=1)
def issuers() -> frozenset[str]:
    return frozenset(entry.issuer for entry in notices().values())


def campaign_lines(answer: CalendarAnswer) -> str:
    lines = []
    for match in answer.matches[:MAX_LINES]:
        campaign = match.campaign
        periods = match.periods or campaign.periods
        when = "、".join(EDITORIAL_NOTE.sub("", period.text) for period in periods) or NO_DATES
        place = "" if campaign.is_national else f"（{campaign.region}）"
        groups = "、".join(groups_shown(match))
        lines.append(f"· {campaign.name}{place}：{when}" + (f"，面向{groups}" if groups else ""))
    return "\n".join(lines)


def groups_shown(match: CampaignMatch) -> list[str]:
    """A few of the campaign's groups for its line, those asked about first ("脱贫" finds
    百日千万 by its 脱贫劳动力), within ``GROUPS_CHARS``."""
    campaign = match.campaign
    asked = [group for group in match.matched_on if group in campaign.target_groups]
    shown: list[str] = []
    for group in dict.fromkeys([*asked, *campaign.target_groups]):
        if len(shown) == 2 or sum(map(len, shown)) + len(group) > GROUPS_CHARS:
            break
        shown.append(group)
    return shown


def details(answer: CalendarAnswer, family: str | None) -> str:
    """What the first campaign asked about offers, for whom, and who runs it, in the notice's
    words; the groups are listed unless the summary names them all. Of a ``family`` of
    campaigns, that they are one family: the first one's details would pass for all of theirs."""
    if family is not None:
        return FAMILY.format(name=family)
    campaign = answer.matches[0].campaign
    lines = [campaign.summary]
    if not all(group in campaign.summary for group in campaign.target_groups):
        lines.append(f"服务对象：{'、'.join(campaign.target_groups)}")
    lines.append(f"主办：{campaign.organisers}")
    return "\n".join(lines)


def family_name(answer: CalendarAnswer) -> str | None:
    """The name that all the campaigns were found by when it names several of one plan
    ("职引未来" names three national campaigns, and a Hubei one): a family of campaigns, which
    its notices speak of as a whole. One name for one campaign in each of several plans
    ("春风行动", national and 遂宁's) is no family."""
    plans = [(match.campaign.region, match.campaign.year) for match in answer.matches]
    if answer.kind is not MatchKind.NAME or len(set(plans)) == len(plans):
        return None
    first, *others = answer.matches
    return next(
        (name for name in first.matched_on if all(name in m.matched_on for m in others)), None
    )


def more_from_the_notice(
    question: str, answer: CalendarAnswer, family: str | None, said: str, room: int
) -> str:
    """What the campaign's notice says of it that the question asks and the calendar's lines
    and ``said`` (its details) do not ("宏志助航有省级项目吗"), within ``room`` characters; ""
    when nothing. Of a ``family`` of campaigns, what the notice says of the family, wherever
    it says it."""
    if room < MIN_QUOTE_CHARS:
        return ""
    campaign = answer.matches[0].campaign
    if family is not None:
        section, topic, named = "", family, [family]
    else:
        # The name it was asked by says which campaign it is; the rest of the question, what
        # about it. A name that is not in the campaign's own is one of its activities, which
        # the notice says more of.
        asked_by = answer.matches[0].matched_on
        own = normalise(campaign.name)
        section, topic = campaign.source_section, " ".join(asked_by)
        named = [name for name in asked_by if normalise(name) not in own]
    return load_answerer().quote_about(
        question, campaign.source_file, section, topic, said, room, parts_named=named
    )


def sources(answer: CalendarAnswer) -> str:
    files = dict.fromkeys(match.campaign.source_file for match in answer.matches[:MAX_LINES])
    entries = [notices()[file] for file in files if file in notices()]
    return "；".join(
        f"{entry.issuer}《{entry.title}》（{notice_date(entry)}）" for entry in entries
    )


def plan_label(answer: CalendarAnswer) -> str:
    return "、".join(f"{plan.year}年{plan.region}" for plan in answer.plans)


# What makes a question one for the calendar when it names no campaign: it asks when, or asks
# which events there are ("有哪些招聘活动", "最近有没有招聘会"); an event mentioned in passing
# ("招聘会上的公司靠谱吗") is not enough.
WHEN_WORDS = (
    "几月",
    "什么时候",
    "啥时候",
    "何时",
    "时间",
    "几号",
    "哪天",
    "日期",
    "最近",
    "近期",
    "现在",
    "目前",
    "正在",
    "这个月",
    "本月",
    "下个月",
    "下月",
    "开始",
    "结束",
    "活动安排",
)
# Asking where to look something up ("活动安排去哪看"): where the notices say it is published, not
# when it is.
_WHERE_TO_LOOK = re.compile(r"(?:哪(?!天)|地方)[^，。？！?!,\s]{0,3}?[查看]")
# Words of a year: the calendar knows each plan's year, but "今年大学毕业" does not ask when.
YEAR_WORDS = ("今年", "明年", "去年")
_EVENT = r"(活动|招聘会|专场|行动)"
# BM25's idf of a word that about a tenth of the passages or fewer use.
RARE_WORD_WEIGHT = 3.0
_WHICH_EVENTS = re.compile(
    rf"(哪些|哪几|什么|啥|有没有|有无|哪里有|多不多)[^，。？！?!,\s]{{0,12}}?{_EVENT}"
    rf"|有[^，。？！?!,\s]{{0,12}}?{_EVENT}[^，。？！?!,\s]{{0,3}}[吗么]"
)


@lru_cache(maxsize=1024)
def names_a_campaign(question: str) -> bool:
    """Whether ``question`` names a campaign; asked up to three times of one message (which
    action answers it, which topic, which answer), so it is kept."""
    return calendar().by_name(to_simplified(question)).found


def asks_when(question: str) -> bool:
    return says_any(question, WHEN_WORDS)


def asks_which_events(question: str) -> bool:
    return _WHICH_EVENTS.search(to_simplified(question)) is not None


def asks_what_is_on(question: str) -> bool:
    return asks_when(question) or asks_which_events(question)


def asks_which_known_events(question: str) -> bool:
    """Whether ``question`` asks which events there are without naming something the calendar
    does not know ("政校企联姻是啥活动")."""
    return asks_which_events(question) and not names_what_the_calendar_lacks(question)


def asks_where_to_look(question: str) -> bool:
    return _WHERE_TO_LOOK.search(to_simplified(question)) is not None


def asks_the_calendar(question: str) -> bool:
    """Whether the calendar answers ``question``: it names a campaign, or asks when or which
    events there are that the calendar knows, and not where to look them up."""
    if names_a_campaign(question):
        return True
    asks = asks_when(question) or asks_which_known_events(question)
    return asks and not asks_where_to_look(question)


def asks_events_for_a_group(question: str) -> bool:
    """Whether ``question`` asks which events there are for a group ("哪些活动适合农民工")."""
    return bool(calendar().groups_mentioned(question)) and asks_which_known_events(question)


@lru_cache(maxsize=1)
def calendar_words() -> frozenset[str]:
    """The words of the calendar: campaign names, the groups they serve, their regions and
    years."""
    book = calendar()
    texts = [
        *(name for campaign in book.campaigns for name in campaign.names),
        *(group for campaign in book.campaigns for group in campaign.target_groups),
        *(" ".join([*group.words, *group.terms]) for group in TARGET_GROUPS),
        *book.regions,
        *YEAR_WORDS,
    ]
    return frozenset(tokenize(" ".join(texts)))


def names_what_the_calendar_lacks(text: str) -> bool:
    """Whether ``text`` has a word of two characters or more that few passages of the notices
    use and the calendar does not: the name of an activity it has no entry for."""
    answerer = load_answerer()
    index = answerer.index
    known = calendar_words()
    return any(
        len(word) > 1 and weight >= RARE_WORD_WEIGHT and index.knows(word) and word not in known
        for word, weight in index.query_weights(answerer.thesaurus.rewrite(text)).items()
    )


def answer_campaigns(dispatcher: CollectingDispatcher, question: str) -> None:
    response, answer = choose_answer(question, today())
    if not answer.found:
        dispatcher.utter_message(response="utter_campaigns_none")
        return
    family = family_name(answer)
    lines, plans, cited, said = (
        campaign_lines(answer),
        plan_label(answer),
        sources(answer),
        details(answer, family),
    )
    quote = ""
    if response == DATES:
        used = len(lines) + len(plans) + len(cited) + len(said) + QUOTED_TEMPLATE_CHARS
        quote = more_from_the_notice(question, answer, family, said, MAX_REPLY_CHARS - used)
    dispatcher.utter_message(
        response=DATES_QUOTED if quote else response,
        campaign_lines=lines,
        plans=plans,
        month=str(answer.month or ""),
        sources=cited,
        details=said,
        quote=quote,
    )


def region_asked(book: CampaignCalendar, text: str) -> str | None:
    """The calendar region the text names, directly ("遂宁") or by a place in it ("武汉"), or
    the national plan's when it names a national issuer ("人社部年底办的服务周")."""
    named = book.region_mentioned(text)
    if named is not None:
        return named
    place = load_places().find(text)
    if place is None:
        return NATIONAL if issuer_named(text, issuers()) is not None else None
    return next(
        (region for region in book.regions if book.region_matches(place.region, region)), None
    )


def campaign_text(campaign: Campaign) -> str:
    return " ".join([*campaign.names, *campaign.target_groups, campaign.summary])


def fits_the_group_better(
    book: CampaignCalendar, text: str, named: CalendarAnswer, region: str | None
) -> bool:
    """Whether a name that is also a group's ("三支一扶") names a campaign for that group that
    fits the rest of the question better than the campaign of that name does
    ("三支一扶期满没工作有啥活动" is for the service week that serves those whose service ended)."""
    group_words = {normalise(word) for group in book.groups_mentioned(text) for word in group.words}
    if not group_words or not set(named.terms) <= group_words:
        return False
    others = [
        match.campaign
        for match in book.for_groups(text, region or NATIONAL).matches
        if match.campaign.id not in named.ids
    ]
    if not others:
        return False
    answerer = load_answerer()
    query = answerer.thesaurus.rewrite(text)

    def fit(campaign: Campaign) -> float:
        return answerer.index.coverage(query, campaign_text(campaign))

    return max(map(fit, others)) > max(fit(campaign) for campaign in named.campaigns)


def choose_answer(text: str, on: date) -> tuple[str, CalendarAnswer]:
    """Which question this is (a campaign named, a group, next month, now) and its answer."""
    book = calendar()
    region = region_asked(book, text)
    named = book.by_name(text, region)
    if named.found and not fits_the_group_better(book, text, named, region):
        return DATES, named
    described = book.by_description(load_answerer().thesaurus.rewrite(text), region)
    if described.found:
        return DATES, described
    # Lists by date or group keep to one plan: the asker's region's, else the national one.
    region = region or NATIONAL
    for_groups = book.for_groups(text, region)
    if len(for_groups.matches) == 1:
        # The one campaign for the group is answered as a named one is, with its details.
        return DATES, for_groups
    if for_groups.found:
        return "utter_campaigns_for_groups", for_groups
    if any(word in text for word in NEXT_MONTH_WORDS):
        return "utter_campaigns_next_month", book.in_month(on, 1, region)
    # What is on now answers a question that asks it; any other gets it with a word that its own
    # answer was not found.
    unsure = "" if asks_what_is_on(text) else UNSURE
    now = book.on_day(on, region)
    if now.found:
        return f"utter_campaigns_now{unsure}", now
    return f"utter_campaigns_upcoming{unsure}", book.upcoming(on, region=region)
