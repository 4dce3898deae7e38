"""The service ledger: what each registrant was given, when, how and by whom, and what they are
still owed (the notices: 1 policy briefing, 1 career guidance session, 3 targeted job
recommendations, 1 training or internship offer)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import (
    CAREER_GUIDANCE,
    JOB_RECOMMENDATION,
    POLICY_BRIEFING,
    TRAINING_OFFER,
    Registration,
    ServiceRecord,
    StaffMember,
)

KIND_NAMES = {
    POLICY_BRIEFING: "政策宣介",
    CAREER_GUIDANCE: "职业指导",
    JOB_RECOMMENDATION: "岗位推荐",
    TRAINING_OFFER: "培训或见习机会",
}
# Job recommendations count postings; the rest count services.
OWED = {POLICY_BRIEFING: 1, CAREER_GUIDANCE: 1, JOB_RECOMMENDATION: 3, TRAINING_OFFER: 1}
CHANNELS = {"wechat": "微信", "phone": "电话", "in_person": "现场", "sms": "短信"}


class LedgerError(ValueError):
    """A service that cannot be recorded as given; the message says why."""


def record_service(
    session: Session,
    registration: Registration,
    kind: str,
    channel: str,
    detail: str = "",
    posting_ids: Sequence[int] = (),
    member: StaffMember | None = None,
) -> ServiceRecord:
    if kind not in KIND_NAMES:
        raise LedgerError(f"服务类型应为 {_choices(KIND_NAMES)} 之一")
    if channel not in CHANNELS:
        raise LedgerError(f"服务渠道应为 {_choices(CHANNELS)} 之一")
    if kind == JOB_RECOMMENDATION and not posting_ids:
        raise LedgerError("岗位推荐需要写明推荐的岗位编号")
    if len(detail) > 500:
        raise LedgerError("服务内容最多 500 个字")
    # A posting recommended twice in one service counts once.
    postings = "、".join(str(posting_id) for posting_id in dict.fromkeys(posting_ids))
    if len(postings) > 200:
        raise LedgerError("一次推荐的岗位太多，请分几次记录")
    service = ServiceRecord(
        registration_id=registration.id,
        kind=kind,
        detail=detail.strip(),
        posting_ids=postings,
        channel=channel,
        staff_id=member.id if member is not None else None,
    )
    session.add(service)
    session.flush()
    return service


def _choices(names: dict[str, str]) -> str:
    return "、".join(f"{code}（{name}）" for code, name in names.items())


def services_of(session: Session, registration_id: int) -> list[ServiceRecord]:
    query = (
        select(ServiceRecord)
        .filter_by(registration_id=registration_id)
        .order_by(ServiceRecord.provided_at, ServiceRecord.id)
    )
    return list(session.execute(query).scalars())


def postings_named(service: ServiceRecord) -> list[int]:
    """The postings a service names (a job recommendation's), in the order recorded."""
    return [int(part) for part in service.posting_ids.split("、") if part]


def given(services: Sequence[ServiceRecord]) -> dict[str, int]:
    """How much of each kind was given (postings, for job recommendations)."""
    counts = dict.fromkeys(KIND_NAMES, 0)
    for service in services:
        recommended = service.kind == JOB_RECOMMENDATION
        counts[service.kind] += len(postings_named(service)) if recommended else 1
    return counts


def still_owed(services: Sequence[ServiceRecord]) -> dict[str, int]:
    """What the registrant is still owed, kind by kind (only the kinds with something owed)."""
    counts = given(services)
    return {kind: OWED[kind] - counts[kind] for kind in OWED if counts[kind] < OWED[kind]}
