"""Registrations as staff see them, shared by the staff API and ``python -m registration``:
filters made into a query, a registration with its personal data masked, its services, and the
CSV export (masked, with a BOM so Excel reads it as UTF-8, and safe from formula injection).

Dates in filters and times in the export are China Standard Time (UTC+8), as staff read them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from registration.answers import GROUPS, mask_name, mask_phone
from registration.identity import mask_id_number
from registration.ledger import CHANNELS, KIND_NAMES, postings_named, services_of, still_owed
from registration.store import STATUS_NAMES
from storage.models import Posting, Registration, ServiceRecord
from storage.sealed import SealError, unseal

CHINA_TIME = timezone(timedelta(hours=8), "CST")
EXPORT_MAX_ROWS = 50_000
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

EXPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("reference", "登记编号"),
    ("status_name", "状态"),
    ("name", "姓名"),
    ("id_number", "身份证号码"),
    ("phone", "手机号码"),
    ("city", "城市"),
    ("district", "区县"),
    ("place_kind", "登记地类型"),
    ("group", "人员类别"),
    ("last_job", "原工作"),
    ("leave_reason", "离职原因"),
    ("wanted_job", "求职意向"),
    ("wanted_city", "意向城市"),
    ("wants_training", "需要培训"),
    ("submitted_at", "提交时间"),
    ("reviewed_at", "审核时间"),
    ("decision_reason", "原因"),
)


class FilterError(ValueError):
    """Filters that cannot be used as given; the message says how to fix them."""


@dataclass(frozen=True)
class RegistrationFilter:
    """Which registrations to list or export; a criterion left None matches every one."""

    status: str | None = None
    city: str | None = None
    group: str | None = None
    submitted_from: date | None = None
    submitted_to: date | None = None

    def describe(self) -> str:
        """The criteria given, for the audit log: "status=pending city=武汉"."""
        parts = [f"{name}={value}" for name, value in vars(self).items() if value is not None]
        return " ".join(parts) or "all"


def parse_filter(
    status: str | None = None,
    city: str | None = None,
    group: str | None = None,
    submitted_from: str | None = None,
    submitted_to: str | None = None,
) -> RegistrationFilter:
    """Filters from text (a query string or the command line); empty means not given."""
    status, city, group = _given(status), _given(city), _given(group)
    if status is not None:
        codes = {name: code for code, name in STATUS_NAMES.items()}
        status = codes.get(status, status)
        if status not in STATUS_NAMES:
            choices = "、".join(f"{code}（{name}）" for code, name in STATUS_NAMES.items())
            raise FilterError(f"状态应为 {choices} 之一")
    if city is not None and len(city) > 20:
        raise FilterError("城市最多 20 个字")
    if group is not None and group not in GROUPS:
        raise FilterError(f"人员类别应为 {'、'.join(GROUPS)} 之一")
    first = _day(submitted_from, "submitted_from")
    last = _day(submitted_to, "submitted_to")
    if first is not None and last is not None and first > last:
        raise FilterError("开始日期（submitted_from）不能晚于结束日期（submitted_to）")
    return RegistrationFilter(status, city, group, first, last)


def _given(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _day(value: str | None, name: str) -> date | None:
    value = _given(value)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise FilterError(f"“{name}”应为日期，如 2026-11-01") from error


def _china_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), CHINA_TIME).astimezone(timezone.utc)


def registrations_query(
    filters: RegistrationFilter, after_id: int = 0, limit: int | None = None
) -> Select:
    """The registrations matching ``filters`` with an id above ``after_id``, oldest first."""
    query = select(Registration).where(Registration.id > after_id).order_by(Registration.id)
    if filters.status is not None:
        query = query.where(Registration.status == filters.status)
    if filters.city is not None:
        # Cities are stored without 市 ("武汉"); staff may type it ("武汉市").
        query = query.where(Registration.city.in_({filters.city, filters.city.removesuffix("市")}))
    if filters.group is not None:
        query = query.where(Registration.group_name == filters.group)
    if filters.submitted_from is not None:
        query = query.where(Registration.submitted_at >= _china_midnight(filters.submitted_from))
    if filters.submitted_to is not None:
        next_day = filters.submitted_to + timedelta(days=1)
        query = query.where(Registration.submitted_at < _china_midnight(next_day))
    return query.limit(limit) if limit is not None else query


def find_registration(session: Session, reference: str) -> Registration | None:
    query = select(Registration).where(Registration.reference == reference)
    return session.execute(query).scalar_one_or_none()


def unknown_postings(session: Session, posting_ids: Sequence[int]) -> list[int]:
    """The ids among ``posting_ids`` that name no posting, in the order given."""
    found = set(session.execute(select(Posting.id).where(Posting.id.in_(posting_ids))).scalars())
    return [posting_id for posting_id in dict.fromkeys(posting_ids) if posting_id not in found]


# ---- as staff see them -----------------------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    """SQLite gives stored UTC times back without their zone."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def iso_time(moment: datetime | None) -> str | None:
    return _utc(moment).isoformat() if moment is not None else None


def in_china(moment: datetime) -> datetime:
    """A stored time as China Standard Time."""
    return _utc(moment).astimezone(CHINA_TIME)


def china_time(moment: datetime | None) -> str:
    """ "2026-11-05 09:30" in China Standard Time, "" for none."""
    return in_china(moment).strftime("%Y-%m-%d %H:%M") if moment is not None else ""


def _opened(sealed: str, data_key: str) -> str | None:
    try:
        return unseal(sealed, data_key)
    except SealError:
        return None


def _masked(sealed: str, data_key: str, mask: Callable[[str], str]) -> str | None:
    """The value masked; None when it cannot be opened, all stars when it has an odd shape."""
    value = _opened(sealed, data_key)
    if value is None:
        return None
    try:
        return mask(value)
    except ValueError:
        return "*" * len(value)


def masked(registration: Registration, data_key: str) -> dict[str, Any]:
    """A registration with its name, ID number and phone masked ("张*明", "420102********123X",
    "138****5678")."""
    return {
        "id": registration.id,
        "reference": registration.reference,
        "status": registration.status,
        "status_name": STATUS_NAMES.get(registration.status, registration.status),
        "name": _masked(registration.name_sealed, data_key, mask_name),
        "id_number": _masked(registration.id_number_sealed, data_key, mask_id_number),
        "phone": _masked(registration.phone_sealed, data_key, mask_phone),
        "city": registration.city,
        "district": registration.district,
        "place_kind": registration.place_kind,
        "group": registration.group_name,
        "last_job": registration.last_job,
        "leave_reason": registration.leave_reason,
        "wanted_job": registration.wanted_job,
        "wanted_city": registration.wanted_city,
        "wants_training": registration.wants_training,
        "submitted_at": iso_time(registration.submitted_at),
        "reviewed_at": iso_time(registration.reviewed_at),
        "decision_reason": registration.decision_reason,
    }


def personal_data(registration: Registration, data_key: str) -> dict[str, str | None]:
    """The name, ID number and phone in clear (None for a value this key cannot open)."""
    return {
        "name": _opened(registration.name_sealed, data_key),
        "id_number": _opened(registration.id_number_sealed, data_key),
        "phone": _opened(registration.phone_sealed, data_key),
    }


def service_view(service: ServiceRecord) -> dict[str, Any]:
    return {
        "kind": service.kind,
        "kind_name": KIND_NAMES.get(service.kind, service.kind),
        "detail": service.detail,
        "posting_ids": postings_named(service),
        "channel": service.channel,
        "channel_name": CHANNELS.get(service.channel, service.channel),
        "provided_at": iso_time(service.provided_at),
        "by_staff": service.staff_id is not None,
    }


def details(session: Session, registration: Registration, data_key: str) -> dict[str, Any]:
    """A registration (masked) with the services it was given and what it is still owed."""
    services = services_of(session, registration.id)
    return {
        **masked(registration, data_key),
        "services": [service_view(service) for service in services],
        "still_owed": still_owed(services),
    }


# ---- the export ------------------------------------------------------------------------------


def export_registrations(session: Session, filters: RegistrationFilter) -> list[Registration]:
    """Every registration matching ``filters``; ``FilterError`` past EXPORT_MAX_ROWS."""
    query = registrations_query(filters, limit=EXPORT_MAX_ROWS + 1)
    registrations = list(session.execute(query).scalars())
    if len(registrations) > EXPORT_MAX_ROWS:
        raise FilterError(
            f"符合条件的登记超过 {EXPORT_MAX_ROWS} 条，请缩小范围（如按城市、状态或提交日期）"
        )
    return registrations


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: one starting like a formula gets a quote."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _export_row(registration: Registration, data_key: str) -> list[str]:
    row = masked(registration, data_key)
    row["wants_training"] = "是" if registration.wants_training else "否"
    row["submitted_at"] = china_time(registration.submitted_at)
    row["reviewed_at"] = china_time(registration.reviewed_at)
    return [safe_cell(row[key]) for key, _header in EXPORT_COLUMNS]


def registrations_csv(registrations: Iterable[Registration], data_key: str) -> str:
    """The registrations as CSV with Chinese headers, personal data masked, starting with a BOM
    (Excel then reads it as UTF-8)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([header for _key, header in EXPORT_COLUMNS])
    for registration in registrations:
        writer.writerow(_export_row(registration, data_key))
    return out.getvalue()
