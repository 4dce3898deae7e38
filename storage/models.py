"""Tables owned by our code. Rasa's tracker store keeps its own `events` table beside them."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

Base: Any = declarative_base()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Follower(Base):
    """A WeChat user of the official account, keyed by openid."""

    __tablename__ = "followers"

    openid = Column(String(64), primary_key=True)
    followed = Column(Boolean, nullable=False, default=True)
    followed_at = Column(DateTime(timezone=True))
    unfollowed_at = Column(DateTime(timezone=True))
    last_message_at = Column(DateTime(timezone=True))
    latitude = Column(Float)
    longitude = Column(Float)
    place_label = Column(String(255))
    located_at = Column(DateTime(timezone=True))


class Handoff(Base):
    """A request by a job seeker to talk to a person; staff pick it up in the console."""

    __tablename__ = "handoffs"

    id = Column(Integer, primary_key=True)
    openid = Column(String(64), nullable=False, index=True)
    status = Column(String(16), nullable=False, default="waiting")
    requested_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    closed_at = Column(DateTime(timezone=True))


# Review states of employers and postings: job seekers see only what staff approved.
PENDING = "pending"
APPROVED = "approved"
REJECTED = "rejected"


class Employer(Base):
    """An employer that posts openings; staff verify it before any of its postings is shown."""

    __tablename__ = "employers"

    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False, unique=True)
    state = Column(String(16), nullable=False, default=PENDING)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    reviewed_at = Column(DateTime(timezone=True))


class Posting(Base):
    """A job opening. Shown to job seekers once it and its employer are approved, until it
    expires. The contact (often a person's name and phone) is kept sealed (``storage.sealed``)."""

    __tablename__ = "postings"

    id = Column(Integer, primary_key=True)
    employer_id = Column(Integer, ForeignKey("employers.id"), nullable=False, index=True)
    title = Column(String(50), nullable=False)
    city = Column(String(20), nullable=False, index=True)
    district = Column(String(20))
    salary_min = Column(Integer, nullable=False)
    salary_max = Column(Integer, nullable=False)
    requirements = Column(Text, nullable=False, default="")
    education = Column(String(10), nullable=False)
    # The groups it suits, "、"-separated in the order given ("应届毕业生、残疾人").
    suits = Column(String(100), nullable=False, default="")
    part_time = Column(Boolean, nullable=False, default=False)
    contact_sealed = Column(Text, nullable=False)
    source = Column(String(100), nullable=False)
    valid_until = Column(Date, nullable=False, index=True)
    state = Column(String(16), nullable=False, default=PENDING, index=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    reviewed_at = Column(DateTime(timezone=True))
    # The centre of its district or city (``jobs.geo``), for "near me"; None when unknown.
    latitude = Column(Float)
    longitude = Column(Float)
    # When the worker matched it to subscriptions; None until it is visible and matched.
    pushed_at = Column(DateTime(timezone=True))

    employer = relationship(Employer, lazy="joined")


class Subscription(Base):
    """A job seeker's standing search: new postings that match it are pushed to them. A
    criterion left None matches every posting."""

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("openid", "criteria_key"),)

    id = Column(Integer, primary_key=True)
    openid = Column(String(64), nullable=False, index=True)
    city = Column(String(20))
    occupation = Column(String(20))
    salary_floor = Column(Integer)
    part_time = Column(Boolean)
    suits = Column(String(20))
    # The criteria written out (``SearchCriteria.key``): the same search is subscribed once.
    criteria_key = Column(String(200), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


# A push's life: queued → sending → sent; or held (shown on the user's next message) → shown;
# or dropped (the user unsubscribed or unfollowed before it went out).
QUEUED = "queued"
SENDING = "sending"
SENT = "sent"
HELD = "held"
SHOWN = "shown"
DROPPED = "dropped"


class JobPush(Base):
    """One posting for one user: the row that makes a push happen once."""

    __tablename__ = "job_pushes"
    __table_args__ = (
        UniqueConstraint("openid", "posting_id"),
        Index("ix_job_pushes_posting_state", "posting_id", "state"),
        Index("ix_job_pushes_openid_state", "openid", "state"),
    )

    id = Column(Integer, primary_key=True)
    openid = Column(String(64), nullable=False)
    posting_id = Column(Integer, ForeignKey("postings.id"), nullable=False)
    state = Column(String(16), nullable=False, default=QUEUED)
    channel = Column(String(16))  # "template" or "custom" once sent
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    sent_at = Column(DateTime(timezone=True))


class StaffMember(Base):
    """A member of staff who uses the staff API (and later the console). Their role decides
    what they may do (``staff.accounts.ROLES``). Only a hash of their API token is kept."""

    __tablename__ = "staff_members"

    id = Column(Integer, primary_key=True)
    username = Column(String(40), nullable=False, unique=True)
    role = Column(String(32), nullable=False)
    token_hash = Column(String(64), nullable=False, unique=True)
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class AuditEntry(Base):
    """What a member of staff did that must be answerable later: a review decision, an import,
    opening someone's personal data."""

    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True)
    staff_id = Column(Integer, ForeignKey("staff_members.id"), index=True)
    action = Column(String(40), nullable=False)
    target = Column(String(100), nullable=False, default="")
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class PersonalValue(Base):
    """A name, ID number or phone number a job seeker typed, sealed the moment the webhook read
    it. The conversation (Redis, Rasa and its log) carries only a placeholder naming ``token``
    (``registration.personal``)."""

    __tablename__ = "personal_values"

    token = Column(String(16), primary_key=True)
    openid = Column(String(64), nullable=False, index=True)
    kind = Column(String(16), nullable=False)  # name, id_number or phone
    sealed = Column(Text, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


# A registration's life (申请—登记—服务—退出): pending review, then registered (services
# follow) or rejected; a registered person exits when they find work or no longer need it.
REGISTRATION_PENDING = "pending"
REGISTERED = "registered"
REGISTRATION_REJECTED = "rejected"
EXITED = "exited"


class Registration(Base):
    """An unemployment registration (失业登记). One per person: the same ID number registering
    again updates it. Name, ID number and phone are sealed; ``person_key`` (a keyed hash of the
    ID number) finds the person without unsealing anything."""

    __tablename__ = "registrations"

    id = Column(Integer, primary_key=True)
    reference = Column(String(20), unique=True)
    person_key = Column(String(64), nullable=False, unique=True)
    openid = Column(String(64), nullable=False, index=True)
    name_sealed = Column(Text, nullable=False)
    id_number_sealed = Column(Text, nullable=False)
    phone_sealed = Column(Text, nullable=False)
    city = Column(String(20), nullable=False, index=True)
    district = Column(String(20), nullable=False)
    place_kind = Column(String(8), nullable=False)  # 户籍地, 常住地, 就业地 or 参保地
    group_name = Column(String(10), nullable=False, index=True)
    last_job = Column(String(50), nullable=False)
    leave_reason = Column(String(20), nullable=False)
    wanted_job = Column(String(50), nullable=False)
    wanted_city = Column(String(20), nullable=False)
    wants_training = Column(Boolean, nullable=False)
    status = Column(String(16), nullable=False, default=REGISTRATION_PENDING, index=True)
    decision_reason = Column(String(200))
    submitted_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    reviewed_at = Column(DateTime(timezone=True))
    reviewed_by = Column(Integer, ForeignKey("staff_members.id"))
    # When the user was told of the last decision; None while the message is still due.
    decision_notified_at = Column(DateTime(timezone=True))


# The services every registrant is owed (the notices: 1 policy briefing, 1 career guidance
# session, 3 targeted job recommendations, 1 training or internship offer).
POLICY_BRIEFING = "policy_briefing"
CAREER_GUIDANCE = "career_guidance"
JOB_RECOMMENDATION = "job_recommendation"
TRAINING_OFFER = "training_offer"


class ServiceRecord(Base):
    """One service given to a registrant: what, when, through which channel, and by whom (None
    for the bot). A job recommendation names its postings."""

    __tablename__ = "service_records"

    id = Column(Integer, primary_key=True)
    registration_id = Column(Integer, ForeignKey("registrations.id"), nullable=False, index=True)
    kind = Column(String(24), nullable=False)
    detail = Column(String(500), nullable=False, default="")
    # Job recommendations: the postings' numbers, "、"-separated.
    posting_ids = Column(String(200), nullable=False, default="")
    channel = Column(String(16), nullable=False)  # wechat, phone, in_person, sms
    provided_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    staff_id = Column(Integer, ForeignKey("staff_members.id"))
