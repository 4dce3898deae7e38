"""`ask_campaigns`: when a campaign runs, what is on now or next month, and which are for whom.

Answers come from the campaign calendar taken from the notices (`knowledge/campaigns.yml`); the
wording lives in the domain's `utter_campaigns_*` responses, filled with the calendar's lines.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.services import today
from knowledge.calendar import CalendarAnswer, CampaignCalendar, load_calendar
from knowledge.manifest import NoticeEntry, load_manifest

# Within one WeChat message: a few campaigns, each on one line.
MAX_LINES = 8
# Our own notes in the calendar's period texts, e.g. （春季促就业攻坚行动的行动时间）.
EDITORIAL_NOTE = re.compile(r"（[^）]*）")
NEXT_MONTH_WORDS = ("下个月", "下月", "下一个月")
NATIONAL = "全国"


@lru_cache(maxsize=1)
def calendar() -> CampaignCalendar:
    return load_calendar()


@lru_cache(maxsize=1)
def notices() -> dict[str, NoticeEntry]:
    return {entry.file: entry for entry in load_manifest()}


def campaign_lines(answer: CalendarAnswer) -> str:
    lines = []
    for match in answer.matches[:MAX_LINES]:
        campaign = match.campaign
        periods = match.periods or campaign.periods
        when = "、".join(EDITORIAL_NOTE.sub("", period.text) for period in periods) or "时间待定"
        place = "" if campaign.is_national else f"（{campaign.region}）"
        groups = "、".join(group for group in campaign.target_groups[:2] if len(group) <= 12)
        lines.append(f"· {campaign.name}{place}：{when}" + (f"，面向{groups}" if groups else ""))
    return "\n".join(lines)


def details(answer: CalendarAnswer) -> str:
    """What the first campaign asked about offers and who runs it, in the notice's words."""
    campaign = answer.matches[0].campaign
    return f"{campaign.summary}\n主办：{campaign.organisers}"


def sources(answer: CalendarAnswer) -> str:
    files = dict.fromkeys(match.campaign.source_file for match in answer.matches[:MAX_LINES])
    entries = [notices()[file] for file in files if file in notices()]
    return "；".join(f"{entry.issuer}《{entry.title}》（{entry.date}）" for entry in entries)


def plan_label(answer: CalendarAnswer) -> str:
    return "、".join(f"{plan.year}年{plan.region}" for plan in answer.plans)


class ActionAnswerCampaigns(Action):
    def name(self) -> str:
        return "action_answer_campaigns"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        response, answer = choose_answer(tracker.latest_message.get("text") or "", today())
        if not answer.found:
            dispatcher.utter_message(response="utter_campaigns_none")
            return []
        dispatcher.utter_message(
            response=response,
            campaign_lines=campaign_lines(answer),
            plans=plan_label(answer),
            month=str(answer.month or ""),
            sources=sources(answer),
            details=details(answer),
        )
        return []


def choose_answer(text: str, on: date) -> tuple[str, CalendarAnswer]:
    """Which question this is (a campaign named, a group, next month, now) and its answer."""
    book = calendar()
    region = book.region_mentioned(text)
    named = book.by_name(text, region)
    if named.found:
        return "utter_campaigns_dates", named
    # Lists by date or group keep to one plan: the asker's region's, else the national one.
    region = region or NATIONAL
    for_groups = book.for_groups(text, region)
    if for_groups.found:
        return "utter_campaigns_for_groups", for_groups
    if any(word in text for word in NEXT_MONTH_WORDS):
        return "utter_campaigns_next_month", book.in_month(on, 1, region)
    now = book.on_day(on, region)
    if now.found:
        return "utter_campaigns_now", now
    return "utter_campaigns_upcoming", book.upcoming(on, region=region)
