"""The campaign calendar: which public employment campaigns run when, where and for whom.

Answers three kinds of question from `knowledge/campaigns.yml`: "when is X" (`by_name`), "what is
on now / this month / next" (`on_day`, `in_month`, `upcoming`) and "which campaigns are for
graduates, migrant workers, …" (`for_groups`). Answers are data (`CalendarAnswer`); the wording
lives in the Rasa responses.

The plans are from past years, so date questions map today's month and day onto each region's
newest plan year, and every answer names the plans (region and year) it used. Older plans of a
region stay in the data but answers use its newest one.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from enum import Enum
from pathlib import Path
from typing import Any

import yaml

from bot.simplified import to_simplified
from knowledge.manifest import NoticeEntry, load_manifest
from knowledge.retrieval import tokenize

CAMPAIGNS_PATH = Path(__file__).with_name("campaigns.yml")
NATIONAL = "全国"

# Left out when comparing names with a user's text: quotes, dashes and dots inside campaign names
# ("“访企拓岗促就业”行动", "遂企智造·职等你来") are not typed by users, or typed differently.
_IGNORED = re.compile(r"[\s\"'“”‘’「」『』《》〈〉()（）【】\[\]·•・.。,，、:：;；!！?？—–\-~～]")
_UNIT_SUFFIX = r"(?:特别行政区|自治区|自治州|地区|省|市|州|盟|县|区)"
_ADMIN_UNIT = re.compile(rf".+?{_UNIT_SUFFIX}")
_FIELDS = frozenset(
    {"id", "name", "aliases", "region", "year", "periods", "target_groups"}
    | {"organisers", "summary", "source", "note"}
)


class CalendarError(ValueError):
    """campaigns.yml is malformed; the message lists every problem found."""


@dataclass(frozen=True)
class Period:
    """One time window of a campaign in its plan year; `text` is the notice's wording."""

    start: date
    end: date
    text: str

    def covers_day(self, month: int, day: int) -> bool:
        """Whether the period covers this month and day in its plan year's cycle."""
        for year in range(self.start.year, self.end.year + 1):
            first = (self.start.month, self.start.day) if year == self.start.year else (1, 1)
            last = (self.end.month, self.end.day) if year == self.end.year else (12, 31)
            if first <= (month, day) <= last:
                return True
        return False

    def months(self) -> tuple[int, ...]:
        """The months of the year the period touches, from its first month on."""
        first = self.start.year * 12 + self.start.month - 1
        last = self.end.year * 12 + self.end.month - 1
        return tuple(dict.fromkeys(index % 12 + 1 for index in range(first, last + 1)))


@dataclass(frozen=True)
class Campaign:
    """One campaign of one notice, as in campaigns.yml."""

    id: str
    name: str
    aliases: tuple[str, ...]
    region: str
    year: int
    periods: tuple[Period, ...]
    target_groups: tuple[str, ...]
    organisers: str
    summary: str
    source_file: str
    source_section: str
    note: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def is_national(self) -> bool:
        return self.region == NATIONAL


@dataclass(frozen=True)
class Plan:
    """A region's plan for one year: "按2023年全国计划" is Plan("全国", 2023)."""

    region: str
    year: int


# A campaign is described when the text has this share of its name's weight, with at least this
# many words of its name that are rare (in at most two names) and name no group of people.
DESCRIBED_SHARE = 0.3
DESCRIBING_WORDS = 2
RARE_NAME_WORD_NAMES = 2


class MatchKind(str, Enum):
    """What question an answer is for."""

    NAME = "name"  # campaigns named in the text
    DAY = "day"  # running on today's month and day
    MONTH = "month"  # running at some time in a month
    UPCOMING = "upcoming"  # starting after today
    GROUP = "group"  # for a group of people or employers named in the text


@dataclass(frozen=True)
class CampaignMatch:
    """A campaign in an answer, with why it matched.

    `matched_on`: for NAME the names or aliases found in the text, for GROUP the campaign's own
    target groups (or its name) that matched. `periods`: the periods that answer the question
    (covering the day, touching the month, starting soon), all periods for NAME and GROUP.
    """

    campaign: Campaign
    periods: tuple[Period, ...]
    matched_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class CalendarAnswer:
    """The campaigns that answer one question, and what they were looked up by.

    `plans`: the plans the answer comes from, national first. For date and group questions these
    are all the plans consulted (so "nothing on this month" can still say whose plan says so);
    an empty tuple there means the calendar holds no plan for the region asked about.
    `month`: the month of the year the question was about. `terms`: what was recognised in the
    text (names and aliases for NAME, group keys for GROUP). `region`: the caller's region.
    """

    kind: MatchKind
    matches: tuple[CampaignMatch, ...]
    plans: tuple[Plan, ...]
    month: int | None = None
    terms: tuple[str, ...] = ()
    region: str | None = None

    @property
    def campaigns(self) -> tuple[Campaign, ...]:
        return tuple(match.campaign for match in self.matches)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(match.campaign.id for match in self.matches)

    @property
    def found(self) -> bool:
        return bool(self.matches)


@dataclass(frozen=True)
class TargetGroup:
    """Words users say for a group, and the words the notices use for it.

    `words` are searched in the user's text; `terms` in the campaigns' target groups and, when
    `in_names`, in their names.
    """

    key: str
    words: tuple[str, ...]
    terms: tuple[str, ...]
    in_names: bool = True


def _group(key: str, words: str, terms: str, *, in_names: bool = True) -> TargetGroup:
    return TargetGroup(key, tuple(words.split()), tuple(terms.split()), in_names)


# User vocabulary, not notice content, so it lives here rather than in campaigns.yml (which holds
# only what the notices say). Keys are the notices' own words. Longer words win in a text, so
# "民营企业" is 民营企业, not 用人单位 as well.
TARGET_GROUPS: tuple[TargetGroup, ...] = (
    _group(
        "高校毕业生",
        "高校毕业生 大学毕业生 毕业生 大学生 应届生 应届毕业生 往届生 离校生 离校未就业 "
        "研究生 本科生 专科生 大专生 毕业",
        "毕业生",
    ),
    _group(
        "农民工",
        "农民工 民工 打工 务工 外出务工 进城务工 返乡 农村劳动力 农民 农村",
        "农民工 农村劳动力",
    ),
    _group("民营企业", "民营企业 民企 私企 私营企业 私人企业 民营", "民营企业"),
    _group("中小企业", "中小企业 中小微企业 小微企业 小企业", "中小企业"),
    # Not in names: "中央企业面向西藏青海新疆高校毕业生专场招聘活动" is for graduates.
    _group(
        "用人单位",
        "用人单位 用工单位 企业 公司 老板 雇主 招工 工厂",
        "企业 用人单位",
        in_names=False,
    ),
    _group("残疾人", "残疾人 残疾 残障 伤残", "残疾"),
    _group(
        "就业困难人员",
        "就业困难人员 困难人员 就业困难 困难群体 困难家庭 低保 零就业家庭 零就业",
        "困难 零就业家庭",
    ),
    _group("失业人员", "失业人员 失业 下岗 登记失业", "失业"),
    _group("退役军人", "退役军人 退伍军人 退伍 退役 转业军人", "退役军人"),
    _group(
        "脱贫人口",
        "脱贫人口 脱贫劳动力 脱贫户 脱贫 贫困户 贫困 建档立卡 易地搬迁",
        "脱贫 贫困 易地搬迁",
    ),
    _group("退捕渔民", "退捕渔民 渔民 退捕 禁捕", "渔民"),
    _group("青年", "青年 年轻人", "青年"),
    _group("三支一扶", "三支一扶 基层服务项目", "三支一扶"),
)


# A name written a little differently still names its campaign when it is this long and this
# close (difflib's ratio: twice the matching characters over both lengths).
NEAR_NAME_MIN_CHARS = 8
NEAR_NAME_RATIO = 0.75


def normalise(text: str) -> str:
    """Simplified characters, ASCII digits, no spaces, quotes, dashes or punctuation."""
    return _IGNORED.sub("", to_simplified(text))


def _find_near(text: str, terms: Iterable[str]) -> list[tuple[int, str]]:
    """The one long name ``text`` comes closest to naming, written a little differently
    ("离校没就业的毕业生服务攻坚行动"); nothing unless it is close (``NEAR_NAME_RATIO``)."""
    best: tuple[float, int, str] | None = None
    letters = set(text)
    for term in terms:
        if len(term) < NEAR_NAME_MIN_CHARS or len(letters & set(term)) < len(set(term)) * 0.7:
            continue
        matcher = SequenceMatcher(autojunk=False)
        matcher.set_seq2(term)
        for size in range(len(term) - 2, len(term) + 4):
            for start in range(max(len(text) - size, 0) + 1):
                matcher.set_seq1(text[start : start + size])
                if matcher.real_quick_ratio() < NEAR_NAME_RATIO:
                    continue
                ratio = matcher.ratio()
                if ratio >= NEAR_NAME_RATIO and (best is None or ratio > best[0]):
                    best = (ratio, start, term)
    return [(best[1], best[2])] if best else []


def _find_longest(text: str, terms: Iterable[str]) -> list[tuple[int, str]]:
    """Occurrences of `terms` in `text`, longest first, none overlapping one taken before.

    Returns (position, term) in text order.
    """
    occurrences = []
    for term in terms:
        position = text.find(term)
        while term and position >= 0:
            occurrences.append((position, term))
            position = text.find(term, position + 1)
    occurrences.sort(key=lambda found: (-len(found[1]), found[0]))
    taken = [False] * len(text)
    accepted = []
    for position, term in occurrences:
        span = range(position, position + len(term))
        if not any(taken[index] for index in span):
            for index in span:
                taken[index] = True
            accepted.append((position, term))
    return sorted(accepted)


def _newest_years(campaigns: Iterable[Campaign]) -> dict[str, int]:
    """Each region's newest plan year."""
    newest: dict[str, int] = {}
    for campaign in campaigns:
        newest[campaign.region] = max(campaign.year, newest.get(campaign.region, 0))
    return newest


def _region_words(region: str) -> tuple[str, ...]:
    """How a text may name a region: "四川省遂宁市" → itself, "遂宁市", "遂宁"."""
    units = _ADMIN_UNIT.findall(region)
    if not units:
        return (region,)
    last = units[-1]
    bare = re.sub(rf"{_UNIT_SUFFIX}$", "", last)
    words = [region, last]
    if len(bare) >= 2 and bare != last:
        words.append(bare)
    return tuple(dict.fromkeys(words))


class CampaignCalendar:
    """Query the campaigns. Build it with `load_calendar`; it never reads the clock."""

    def __init__(self, campaigns: Sequence[Campaign]) -> None:
        self.campaigns = tuple(campaigns)
        self._order = {campaign.id: index for index, campaign in enumerate(self.campaigns)}
        self._by_term: dict[str, list[Campaign]] = {}
        for campaign in self.campaigns:
            for term in dict.fromkeys(normalise(name) for name in campaign.names):
                self._by_term.setdefault(term, []).append(campaign)
        self._newest = _newest_years(self.campaigns)
        # National first, then regions in the order the calendar lists them.
        listed = dict.fromkeys(campaign.region for campaign in self.campaigns)
        self._regions = tuple(sorted(listed, key=lambda region: region != NATIONAL))
        self._region_rank = {region: rank for rank, region in enumerate(self._regions)}
        self._region_words = {
            word: region for region in self._regions for word in _region_words(region)
        }
        self._group_words = {
            normalise(word): group for group in TARGET_GROUPS for word in group.words
        }
        self._name_words = {
            campaign.id: frozenset(word for name in campaign.names for word in tokenize(name))
            for campaign in self.campaigns
        }
        # In how many campaigns' names each word is.
        self._name_word_counts = Counter(
            word for words in self._name_words.values() for word in words
        )

    # ------------------------------------------------------------------ regions and plans

    @property
    def regions(self) -> tuple[str, ...]:
        """The regions with a plan, national first."""
        return self._regions

    def newest_plans(self, region: str | None = None) -> tuple[Plan, ...]:
        """Each region's newest plan, national first; only the regions `region` names if given."""
        return tuple(
            Plan(name, self._newest[name])
            for name in self._regions
            if region is None or self.region_matches(region, name)
        )

    def region_matches(self, asked: str, region: str) -> bool:
        """Whether a region the caller names ("遂宁", "湖北省武汉市") is this calendar region."""
        asked = normalise(asked)
        if not asked:
            return False
        return asked in region or any(word in asked for word in _region_words(region))

    def region_mentioned(self, text: str) -> str | None:
        """The calendar region a user's text names ("遂寧的春風行動" → "四川省遂宁市"), if any."""
        found = _find_longest(normalise(text), self._region_words)
        return self._region_words[found[0][1]] if found else None

    def _rank(self, campaign: Campaign, region: str | None) -> tuple[int, int]:
        """The caller's region first, then national, then the other regions in calendar order."""
        preferred = region is not None and self.region_matches(region, campaign.region)
        return (0 if preferred else 1, self._region_rank[campaign.region])

    def _current(self, region: str | None) -> list[Campaign]:
        """Campaigns of each region's newest plan, limited to `region` if given."""
        return [
            campaign
            for campaign in self.campaigns
            if campaign.year == self._newest[campaign.region]
            and (region is None or self.region_matches(region, campaign.region))
        ]

    def _sorted(
        self, matches: Iterable[CampaignMatch], region: str | None = None
    ) -> tuple[CampaignMatch, ...]:
        """By region (see `_rank`), then by first period, then in calendar order."""

        def key(match: CampaignMatch) -> tuple[tuple[int, int], date, int]:
            start = min((period.start for period in match.periods), default=date.max)
            return (self._rank(match.campaign, region), start, self._order[match.campaign.id])

        return tuple(sorted(matches, key=key))

    # ------------------------------------------------------------------ questions

    def by_name(self, text: str, region: str | None = None) -> CalendarAnswer:
        """Campaigns whose name or alias the text mentions, in text order.

        Longer names win over names inside them: "离校未就业毕业生服务攻坚行动" is not also
        遂宁's "离校未就业毕业生服务". `region` can come from `region_mentioned(text)` or the
        user's profile.

        Where one mention names campaigns of several regions (春风行动: national and 遂宁), all of
        them come back, national first, unless `region` is one of them: then only that region's.
        A name only another region's campaign goes by names `region`'s campaign of the same name.
        Within a region only its newest plan's campaigns are kept.
        """
        found = _find_longest(normalise(text), self._by_term) or _find_near(
            normalise(text), self._by_term
        )
        matched_on: dict[str, list[str]] = {}
        first_seen: dict[str, int] = {}
        by_id: dict[str, Campaign] = {}
        for position, term in found:
            candidates = self._by_term[term]
            newest = _newest_years(candidates)
            candidates = [c for c in candidates if c.year == newest[c.region]]
            if region is not None:
                local = [c for c in candidates if self.region_matches(region, c.region)]
                # A name only one region's campaign goes by ("百日千万招聘") names the asker's
                # region's campaign of the same name.
                local = local or [
                    c
                    for c in self._current(region)
                    if any(c.name == other.name for other in candidates)
                ]
                candidates = local or candidates
            for campaign in candidates:
                names = matched_on.setdefault(campaign.id, [])
                original = next(
                    (name for name in campaign.names if normalise(name) == term), campaign.name
                )
                if original not in names:
                    names.append(original)
                first_seen.setdefault(campaign.id, position)
                by_id[campaign.id] = campaign

        def key(campaign_id: str) -> tuple[tuple[int, int], int, int]:
            rank = self._rank(by_id[campaign_id], region)
            return (rank, first_seen[campaign_id], self._order[campaign_id])

        matches = tuple(
            CampaignMatch(by_id[cid], by_id[cid].periods, tuple(matched_on[cid]))
            for cid in sorted(by_id, key=key)
        )
        plans = tuple(
            sorted(
                dict.fromkeys(Plan(m.campaign.region, m.campaign.year) for m in matches),
                key=lambda plan: (self._region_rank[plan.region], -plan.year),
            )
        )
        return CalendarAnswer(
            MatchKind.NAME,
            matches,
            plans,
            terms=tuple(term for _, term in found),
            region=region,
        )

    def by_description(self, text: str, region: str | None = None) -> CalendarAnswer:
        """The one campaign of the plan of `region`, else of the national plan, that `text`
        describes by the rare words of its name but does not name ("央企专门招西藏青海新疆的学生"
        is 中央企业面向西藏青海新疆高校毕业生专场招聘活动): most of its name's weight (words rarer
        in campaign names weigh more), at least two rare words that name no group of people.
        A group alone ("残疾人有什么活动") asks for the campaigns for it, not for one."""
        asked = set(tokenize(text))
        for plan_region in dict.fromkeys((region or NATIONAL, NATIONAL)):
            described = [
                campaign
                for campaign in self._current(plan_region)
                if self._describes(asked, campaign)
            ]
            if len(described) == 1:
                [campaign] = described
                match = CampaignMatch(campaign, campaign.periods, (campaign.name,))
                plan = Plan(campaign.region, campaign.year)
                return CalendarAnswer(MatchKind.NAME, (match,), (plan,), region=region)
        return CalendarAnswer(MatchKind.NAME, (), (), region=region)

    def _describes(self, asked: set[str], campaign: Campaign) -> bool:
        words = self._name_words[campaign.id]
        said = words & asked
        telling = [
            word
            for word in said
            if self._name_word_counts[word] <= RARE_NAME_WORD_NAMES
            and not self._names_a_group(word)
        ]
        weight = sum(map(self._rarity, words))
        return (
            weight > 0
            and sum(map(self._rarity, said)) >= weight * DESCRIBED_SHARE
            and len(telling) >= DESCRIBING_WORDS
        )

    def _rarity(self, word: str) -> float:
        """How rare ``word`` is in campaign names: log of how many names there are to it."""
        return math.log(len(self.campaigns) / self._name_word_counts.get(word, 1))

    def _names_a_group(self, word: str) -> bool:
        return any(word in group or group in word for group in self._group_words)

    def on_day(self, today: date, region: str | None = None) -> CalendarAnswer:
        """Campaigns whose periods cover today's month and day in each region's newest plan."""
        matches = []
        for campaign in self._current(region):
            periods = tuple(p for p in campaign.periods if p.covers_day(today.month, today.day))
            if periods:
                matches.append(CampaignMatch(campaign, periods))
        return CalendarAnswer(
            MatchKind.DAY,
            self._sorted(matches, region),
            self.newest_plans(region),
            month=today.month,
            region=region,
        )

    def in_month(
        self, today: date, months_ahead: int = 0, region: str | None = None
    ) -> CalendarAnswer:
        """Campaigns running at some time in this month (`months_ahead=0`), next month (1), …"""
        month = (today.month - 1 + months_ahead) % 12 + 1
        matches = []
        for campaign in self._current(region):
            periods = tuple(p for p in campaign.periods if month in p.months())
            if periods:
                matches.append(CampaignMatch(campaign, periods))
        return CalendarAnswer(
            MatchKind.MONTH,
            self._sorted(matches, region),
            self.newest_plans(region),
            month=month,
            region=region,
        )

    def upcoming(
        self, today: date, region: str | None = None, within_months: int = 3
    ) -> CalendarAnswer:
        """Campaigns starting after today: later this month or in the next `within_months`.

        Ordered by how soon they start, then national first.
        """

        def months_until(period: Period) -> int:
            ahead = (period.start.month - today.month) % 12
            if ahead == 0 and period.start.day <= today.day:
                return 12
            return ahead

        soon = []
        for campaign in self._current(region):
            periods = tuple(p for p in campaign.periods if months_until(p) <= within_months)
            if periods:
                soon.append(CampaignMatch(campaign, periods))

        def key(match: CampaignMatch) -> tuple[int, int, int, tuple[int, int], int]:
            first = min((months_until(p), p.start.month, p.start.day) for p in match.periods)
            return (*first, self._rank(match.campaign, region), self._order[match.campaign.id])

        return CalendarAnswer(
            MatchKind.UPCOMING,
            tuple(sorted(soon, key=key)),
            self.newest_plans(region),
            month=today.month,
            region=region,
        )

    def groups_mentioned(self, text: str) -> tuple[TargetGroup, ...]:
        """The target groups a user's text names, in text order, longest words first."""
        found = _find_longest(normalise(text), self._group_words)
        return tuple(dict.fromkeys(self._group_words[word] for _, word in found))

    def for_groups(self, text: str, region: str | None = None) -> CalendarAnswer:
        """Campaigns of each region's newest plan meant for the groups the text names."""
        return self.for_target_groups(self.groups_mentioned(text), region)

    def for_target_groups(
        self, groups: Iterable[TargetGroup | str], region: str | None = None
    ) -> CalendarAnswer:
        """Campaigns for these groups (TargetGroup or its key, e.g. from an NLU entity)."""
        by_key = {group.key: group for group in TARGET_GROUPS}
        wanted: list[TargetGroup] = []
        for group in groups:
            resolved = by_key.get(group) if isinstance(group, str) else group
            if resolved is None:
                raise KeyError(f"unknown target group {group!r}; known: {', '.join(by_key)}")
            wanted.append(resolved)
        matches = []
        # How many of the groups asked about each campaign serves: those serving all come first.
        served: dict[str, int] = {}
        if wanted:
            for campaign in self._current(region):
                found = [_serves(campaign, group) for group in wanted]
                matched_on = [name for names in found for name in names]
                served[campaign.id] = sum(1 for names in found if names)
                if matched_on:
                    matches.append(
                        CampaignMatch(campaign, campaign.periods, tuple(dict.fromkeys(matched_on)))
                    )
        ordered = sorted(self._sorted(matches, region), key=lambda m: -served[m.campaign.id])
        return CalendarAnswer(
            MatchKind.GROUP,
            tuple(ordered),
            self.newest_plans(region),
            terms=tuple(group.key for group in wanted),
            region=region,
        )


def _serves(campaign: Campaign, group: TargetGroup) -> list[str]:
    """The campaign's target groups (and its name, where the group is named in names) that are
    ``group``; none when it does not serve it."""
    found = [target for target in campaign.target_groups if any(t in target for t in group.terms)]
    if group.in_names and any(term in campaign.name for term in group.terms):
        found.append(campaign.name)
    return found


# ---------------------------------------------------------------------- loading


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(_text(item) for item in value)


def _period(raw: Any, where: str, year: int | None, problems: list[str]) -> Period | None:
    if not isinstance(raw, Mapping):
        problems.append(f"{where}: a period must be a mapping with start, end and text")
        return None
    start, end, text = raw.get("start"), raw.get("end"), raw.get("text")
    # PyYAML reads ISO dates as `date`; anything else ("2023-13-01", "3月") stays a string.
    if not isinstance(start, date):
        problems.append(f"{where}: start {start!r} is not a date (YYYY-MM-DD)")
    if not isinstance(end, date):
        problems.append(f"{where}: end {end!r} is not a date (YYYY-MM-DD)")
    if not _text(text):
        problems.append(f"{where}: text is missing")
    if not (isinstance(start, date) and isinstance(end, date) and _text(text)):
        return None
    if start > end:
        problems.append(f"{where}: start {start} is after end {end}")
        return None
    if year is not None and start.year != year:
        problems.append(f"{where}: starts in {start.year}, not in the plan year {year}")
    # Date questions map today onto the plan's yearly cycle, which a longer period would overlap.
    if (end.year, end.month, end.day) >= (start.year + 1, start.month, start.day):
        problems.append(f"{where}: {start} to {end} is a year or longer")
    return Period(start, end, str(text))


def _campaign(
    raw: Any, index: int, notices: Mapping[str, NoticeEntry], problems: list[str]
) -> Campaign | None:
    if not isinstance(raw, Mapping):
        problems.append(f"campaign #{index + 1}: not a mapping")
        return None
    where = f"campaign {raw.get('id') or f'#{index + 1}'}"
    before = len(problems)
    for field in sorted(_FIELDS - {"note"} - set(raw)):
        problems.append(f"{where}: {field} is missing")
    for field in sorted(set(raw) - _FIELDS):
        problems.append(f"{where}: unknown field {field!r}")
    for field in ("id", "name", "region", "organisers", "summary"):
        if field in raw and not _text(raw[field]):
            problems.append(f"{where}: {field} must be text")
    for field in ("aliases", "target_groups"):
        if field in raw and not _texts(raw[field]):
            problems.append(f"{where}: {field} must be a list of text (quote numbers)")
    if "note" in raw and not _text(raw["note"]):
        problems.append(f"{where}: note must be text")
    year = raw.get("year")
    if "year" in raw and (not isinstance(year, int) or isinstance(year, bool)):
        problems.append(f"{where}: year must be a number")
        year = None
    region = raw.get("region")
    source = raw.get("source")
    if "source" in raw and not (
        isinstance(source, Mapping) and _text(source.get("file")) and _text(source.get("section"))
    ):
        problems.append(f"{where}: source must have file and section")
    elif isinstance(source, Mapping):
        # A misspelt region ("湖北" for "湖北省") would quietly become a region of its own, with
        # its own plan year: the notice's manifest entry says which region it is.
        notice = notices.get(source["file"])
        if notice is None:
            problems.append(f"{where}: source file {source['file']!r} is not in the manifest")
        elif _text(region) and region != notice.region:
            problems.append(
                f"{where}: region {region!r}, but the manifest says {notice.region!r} "
                f"for {notice.file}"
            )
    periods: list[Period] = []
    raw_periods = raw.get("periods")
    if "periods" in raw and not isinstance(raw_periods, list):
        problems.append(f"{where}: periods must be a list")
    elif isinstance(raw_periods, list):
        if not raw_periods and "note" not in raw:
            problems.append(f"{where}: no periods, so a note must say why")
        for number, raw_period in enumerate(raw_periods, start=1):
            period = _period(raw_period, f"{where} period {number}", year, problems)
            if period is not None:
                periods.append(period)
    if len(problems) > before or not isinstance(source, Mapping) or not isinstance(year, int):
        return None
    return Campaign(
        id=str(raw["id"]),
        name=str(raw["name"]),
        aliases=tuple(str(alias) for alias in raw["aliases"]),
        region=str(region),
        year=year,
        periods=tuple(periods),
        target_groups=tuple(str(group) for group in raw["target_groups"]),
        organisers=str(raw["organisers"]),
        summary=str(raw["summary"]),
        source_file=str(source["file"]),
        source_section=str(source["section"]),
        note=str(raw["note"]) if "note" in raw else None,
    )


def parse_calendar(document: Any, notices: Iterable[NoticeEntry]) -> list[Campaign]:
    """Campaigns from a parsed campaigns.yml, checked against the notices' manifest entries.

    CalendarError lists every problem found.
    """
    by_file = {notice.file: notice for notice in notices}
    if not isinstance(document, Mapping) or document.get("version") != 1:
        raise CalendarError("the calendar must be a mapping with version: 1 and campaigns")
    raw_campaigns = document.get("campaigns")
    if not isinstance(raw_campaigns, list) or not raw_campaigns:
        raise CalendarError("campaigns must be a non-empty list")
    problems: list[str] = []
    campaigns = []
    for index, raw in enumerate(raw_campaigns):
        campaign = _campaign(raw, index, by_file, problems)
        if campaign is not None:
            campaigns.append(campaign)
    seen: dict[str, int] = {}
    for campaign in campaigns:
        seen[campaign.id] = seen.get(campaign.id, 0) + 1
    for campaign_id, count in seen.items():
        if count > 1:
            problems.append(f"campaign {campaign_id}: id used {count} times")
    # One notice is one plan year: a stray year would make a region's "newest plan" wrong.
    years: dict[str, set[int]] = {}
    for campaign in campaigns:
        years.setdefault(campaign.source_file, set()).add(campaign.year)
    for notice, plan_years in sorted(years.items()):
        if len(plan_years) > 1:
            listed = ", ".join(str(year) for year in sorted(plan_years))
            problems.append(f"notice {notice}: its campaigns disagree on the plan year ({listed})")
    if problems:
        raise CalendarError("\n  - ".join(["invalid campaign calendar:", *problems]))
    return campaigns


def load_calendar(
    path: Path | str = CAMPAIGNS_PATH, notices: Iterable[NoticeEntry] | None = None
) -> CampaignCalendar:
    """Read and check campaigns.yml against the notices (default: knowledge/notices/manifest.json).

    CalendarError, naming the file, if it is malformed.
    """
    path = Path(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CalendarError(f"{path}: cannot read the calendar: {error}") from error
    entries = load_manifest() if notices is None else notices
    try:
        return CampaignCalendar(parse_calendar(document, entries))
    except CalendarError as error:
        raise CalendarError(f"{path}: {error}") from error
