"""Registrations as stored: submitted from the chat, found by person, decided by staff.

A person is found by ``person_key``, a keyed hash of their ID number (HMAC-SHA256 with the data
key), so registering again updates their registration without unsealing anyone's.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import (
    EXITED,
    REGISTERED,
    REGISTRATION_PENDING,
    REGISTRATION_REJECTED,
    Registration,
    StaffMember,
)
from storage.sealed import seal

STATUS_NAMES = {
    REGISTRATION_PENDING: "待审核",
    REGISTERED: "已登记",
    REGISTRATION_REJECTED: "未通过",
    EXITED: "已退出",
}
# What staff may decide, from which states, and the state it leads to.
DECISIONS = {
    "approve": ({REGISTRATION_PENDING}, REGISTERED),
    "reject": ({REGISTRATION_PENDING}, REGISTRATION_REJECTED),
    "exit": ({REGISTERED}, EXITED),
}


# What each decision is called in messages to staff.
DECISION_NAMES = {"approve": "审核通过", "reject": "驳回", "exit": "办理退出"}


class DecisionError(ValueError):
    """A decision that cannot be made on the registration as it stands; the message says why."""


class DecisionConflict(DecisionError):
    """The decision does not apply to the registration's current state (someone decided first)."""


@dataclass(frozen=True)
class RegistrationAnswers:
    """What the form collected, personal data in clear (it is sealed on the way in)."""

    name: str
    id_number: str
    phone: str
    city: str
    district: str
    place_kind: str
    group: str
    last_job: str
    leave_reason: str
    wanted_job: str
    wanted_city: str
    wants_training: bool


def person_key(id_number: str, data_key: str) -> str:
    return hmac.new(data_key.encode(), f"person|{id_number}".encode(), hashlib.sha256).hexdigest()


def submit(
    session: Session, openid: str, answers: RegistrationAnswers, data_key: str, now: datetime
) -> tuple[Registration, bool]:
    """Store the registration as 待审核; (it, True) when new, (it, False) when the same person's
    earlier registration was updated (it keeps its reference)."""
    key = person_key(answers.id_number, data_key)
    registration = session.execute(
        select(Registration).filter_by(person_key=key)
    ).scalar_one_or_none()
    created = registration is None
    if registration is None:
        registration = Registration(person_key=key)
        session.add(registration)
    registration.openid = openid
    registration.name_sealed = seal(answers.name, data_key)
    registration.id_number_sealed = seal(answers.id_number, data_key)
    registration.phone_sealed = seal(answers.phone, data_key)
    registration.city = answers.city
    registration.district = answers.district
    registration.place_kind = answers.place_kind
    registration.group_name = answers.group
    registration.last_job = answers.last_job
    registration.leave_reason = answers.leave_reason
    registration.wanted_job = answers.wanted_job
    registration.wanted_city = answers.wanted_city
    registration.wants_training = answers.wants_training
    registration.status = REGISTRATION_PENDING
    registration.decision_reason = None
    registration.reviewed_at = None
    registration.reviewed_by = None
    registration.decision_notified_at = None
    registration.submitted_at = now
    session.flush()
    if registration.reference is None:
        registration.reference = f"DJ{now:%Y%m%d}{registration.id:06d}"
    return registration, created


def registrations_of(session: Session, openid: str) -> list[Registration]:
    """The registrations made from this WeChat account, newest first."""
    query = (
        select(Registration)
        .filter_by(openid=openid)
        .order_by(Registration.submitted_at.desc(), Registration.id.desc())
    )
    return list(session.execute(query).scalars())


def decide(
    session: Session,
    registration: Registration,
    decision: str,
    reason: str,
    member: StaffMember | None,
    now: datetime,
) -> None:
    """Approve or reject a pending registration, or record that a registered person exited.
    A rejection and an exit need a reason; the user is told (``decision_notified_at`` None).
    Raises ``DecisionConflict`` when the registration's state does not allow the decision and
    ``DecisionError`` for a bad decision or reason, before changing anything."""
    if decision not in DECISIONS:
        choices = "、".join(f"{name}（{DECISION_NAMES[name]}）" for name in DECISIONS)
        raise DecisionError(f"决定应为 {choices} 之一")
    allowed, new_status = DECISIONS[decision]
    if registration.status not in allowed:
        current = STATUS_NAMES.get(registration.status, registration.status)
        needed = "或".join(f"“{STATUS_NAMES[status]}”" for status in sorted(allowed))
        raise DecisionConflict(
            f"登记 {registration.reference} 现在是“{current}”，"
            f"只有{needed}的登记可以{DECISION_NAMES[decision]}"
        )
    reason = reason.strip()
    if decision != "approve" and not reason:
        raise DecisionError(f"{DECISION_NAMES[decision]}需要填写原因")
    if len(reason) > 200:
        raise DecisionError("原因最多 200 个字")
    registration.status = new_status
    registration.decision_reason = reason or None
    registration.reviewed_at = now
    registration.reviewed_by = member.id if member is not None else None
    registration.decision_notified_at = None
