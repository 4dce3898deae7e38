"""Texts about registrations that depend on stored data: the first briefing and postings after
registering, the status a user asks for, and the notice of a staff decision. Fixed texts are
responses in the domain (``bot/domain/registration.yml``)."""

from __future__ import annotations

from collections.abc import Sequence

from jobs.listing import item
from registration.ledger import KIND_NAMES, given, still_owed
from registration.listing import in_china
from registration.store import STATUS_NAMES
from registration.welcome import Briefing
from storage.models import (
    EXITED,
    JOB_RECOMMENDATION,
    REGISTERED,
    REGISTRATION_PENDING,
    REGISTRATION_REJECTED,
    Posting,
    Registration,
    ServiceRecord,
)

NEXT_STEPS = {
    REGISTRATION_PENDING: "工作人员正在审核，一般3个工作日内有结果，结果会在这里通知您。",
    REGISTRATION_REJECTED: "可以回复“办失业登记”修改后重新提交，或拨打12333咨询。",
    EXITED: "需要时可以回复“办失业登记”重新登记。",
}


def briefing_text(briefing: Briefing) -> str:
    return f"【政策宣介】{briefing.text}\n来源：{briefing.source}"


def recommendations_text(postings: Sequence[Posting]) -> str:
    if not postings:
        return "【岗位推荐】暂时没有找到合适的在招岗位，有了会优先推荐给您。"
    items = "\n\n".join(item(number, posting) for number, posting in enumerate(postings, 1))
    return f"【岗位推荐】根据您的求职意向，先为您推荐{len(postings)}个在招岗位：\n\n{items}"


def services_line(services: Sequence[ServiceRecord]) -> str:
    counts = given(services)
    done = [
        f"{KIND_NAMES[kind]}{count}{'个' if kind == JOB_RECOMMENDATION else '次'}"
        for kind, count in counts.items()
        if count
    ]
    owed = [KIND_NAMES[kind] for kind in still_owed(services)]
    line = f"已为您提供：{'、'.join(done)}。" if done else ""
    if owed:
        line += f"接下来工作人员会联系您，安排{'、'.join(owed)}。"
    return line


def status_text(registration: Registration, services: Sequence[ServiceRecord]) -> str:
    submitted = in_china(registration.submitted_at).strftime("%Y年%m月%d日")
    lines = [
        f"登记编号：{registration.reference}（{submitted}提交）",
        f"登记地：{registration.city}{registration.district}（{registration.place_kind}）",
        f"状态：{STATUS_NAMES.get(registration.status, registration.status)}",
    ]
    if registration.decision_reason:
        label = "退出原因" if registration.status == EXITED else "原因"
        lines.append(f"{label}：{registration.decision_reason}")
    if registration.status == REGISTERED:
        lines.append(services_line(services) or "工作人员会尽快联系您，提供政策宣介和职业指导。")
    else:
        lines.append(NEXT_STEPS.get(registration.status, ""))
    return "\n".join(line for line in lines if line)


def statuses_text(entries: Sequence[tuple[Registration, Sequence[ServiceRecord]]]) -> str:
    return "\n\n".join(status_text(registration, services) for registration, services in entries)


def decision_notice(registration: Registration) -> str:
    """The message that tells the user of a staff decision."""
    reference = registration.reference
    if registration.status == REGISTERED:
        return (
            f"您的失业登记（编号{reference}）已审核通过。工作人员会联系您，为您提供政策宣介、"
            "职业指导、岗位推荐和培训见习机会。回复“查登记进度”可查看服务记录。"
        )
    if registration.status == REGISTRATION_REJECTED:
        return (
            f"您的失业登记（编号{reference}）未通过审核，原因：{registration.decision_reason}。"
            "可以回复“办失业登记”修改后重新提交，或拨打12333咨询。"
        )
    return (
        f"您的失业登记（编号{reference}）已办理退出，原因：{registration.decision_reason}。"
        "需要时可以回复“办失业登记”重新登记。"
    )
