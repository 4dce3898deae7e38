"""Registrations: list and export them (personal data masked), show one with its services,
open its personal data (supervisors, audited), decide on it, record a service given."""

from __future__ import annotations

from flask import Response, jsonify, request

from registration.ledger import LedgerError, record_service
from registration.listing import (
    FilterError,
    RegistrationFilter,
    details,
    export_registrations,
    find_registration,
    masked,
    parse_filter,
    personal_data,
    registrations_csv,
    registrations_query,
    service_view,
    unknown_postings,
)
from registration.store import DecisionConflict, DecisionError, decide
from settings import today
from staff import audit
from staff.accounts import Permission
from staff.api import staff_api
from staff.api.errors import (
    ApiError,
    current_member,
    current_session,
    data_key,
    id_list,
    json_body,
    paging,
    requires,
)
from storage.models import Registration, utcnow

PAGE_LIMIT = 200
# A job recommendation names a few postings; this many is more than one service would.
MAX_POSTINGS = 20


@staff_api.get("/registrations")
@requires(Permission.REGISTRATIONS)
def list_registrations() -> Response:
    """Registrations matching the filters (``status``, ``city``, ``group``, ``submitted_from``,
    ``submitted_to``), oldest first, personal data masked; ``limit`` and ``after_id`` page."""
    filters = _filters()
    limit, after_id = paging(PAGE_LIMIT)
    query = registrations_query(filters, after_id, limit)
    registrations = current_session().execute(query).scalars()
    return jsonify(registrations=[masked(item, data_key()) for item in registrations])


@staff_api.get("/registrations/export")
@requires(Permission.REGISTRATIONS)
def export() -> Response:
    """Every registration matching the filters as a CSV file for Excel, personal data masked."""
    filters = _filters()
    session = current_session()
    try:
        registrations = export_registrations(session, filters)
    except FilterError as error:
        raise ApiError(400, str(error)) from error
    audit.record(
        session,
        current_member(),
        "export_registrations",
        f"{len(registrations)} rows {filters.describe()}",
    )
    response = Response(
        registrations_csv(registrations, data_key()).encode("utf-8"),
        content_type="text/csv; charset=utf-8",
    )
    response.headers["Content-Disposition"] = (
        f'attachment; filename="registrations-{today():%Y%m%d}.csv"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@staff_api.get("/registrations/<reference>")
@requires(Permission.REGISTRATIONS)
def show_registration(reference: str) -> Response:
    registration = _registration(reference)
    return jsonify(details(current_session(), registration, data_key()))


@staff_api.get("/registrations/<reference>/personal-data")
@requires(Permission.REGISTRATIONS, Permission.PERSONAL_DATA)
def open_personal_data(reference: str) -> Response:
    """The name, ID number and phone in clear; each opening is written to the audit log."""
    registration = _registration(reference)
    session = current_session()
    audit.record(session, current_member(), "open_personal_data", f"registration:{reference}")
    response = jsonify(reference=reference, **personal_data(registration, data_key()))
    response.headers["Cache-Control"] = "no-store"
    return response


@staff_api.post("/registrations/<reference>/decision")
@requires(Permission.REGISTRATIONS)
def decide_registration(reference: str) -> Response:
    """``{"decision": "approve" | "reject" | "exit", "reason": "…"}``; the user is told by the
    worker. 409 when the registration's state does not allow it (someone decided first)."""
    body = json_body()
    decision, reason = body.get("decision"), body.get("reason", "")
    if not isinstance(decision, str) or not isinstance(reason, str):
        raise ApiError(400, "“decision”和“reason”应为文字")
    registration = _registration(reference)
    session = current_session()
    try:
        decide(session, registration, decision, reason, current_member(), utcnow())
    except DecisionConflict as error:
        raise ApiError(409, str(error)) from error
    except DecisionError as error:
        raise ApiError(400, str(error)) from error
    audit.record(session, current_member(), f"{decision}_registration", f"registration:{reference}")
    return jsonify(registration=masked(registration, data_key()))


@staff_api.post("/registrations/<reference>/services")
@requires(Permission.REGISTRATIONS)
def add_service(reference: str) -> tuple[Response, int]:
    """``{"kind", "channel", "detail", "posting_ids"}``: a service given to the registrant.
    404 names postings that do not exist."""
    body = json_body()
    kind, channel, detail = body.get("kind"), body.get("channel"), body.get("detail", "")
    if not isinstance(kind, str) or not isinstance(channel, str) or not isinstance(detail, str):
        raise ApiError(400, "“kind”“channel”和“detail”应为文字")
    posting_ids = id_list(body, "posting_ids", least=0, most=MAX_POSTINGS)
    registration = _registration(reference)
    session = current_session()
    missing = unknown_postings(session, posting_ids)
    if missing:
        raise ApiError(404, "找不到这些岗位编号，未做任何记录", missing=missing)
    try:
        service = record_service(
            session, registration, kind, channel, detail, posting_ids, member=current_member()
        )
    except LedgerError as error:
        raise ApiError(400, str(error)) from error
    audit.record(session, current_member(), "record_service", f"registration:{reference}")
    return jsonify(service=service_view(service)), 201


def _filters() -> RegistrationFilter:
    arguments = request.args
    try:
        return parse_filter(
            status=arguments.get("status"),
            city=arguments.get("city"),
            group=arguments.get("group"),
            submitted_from=arguments.get("submitted_from"),
            submitted_to=arguments.get("submitted_to"),
        )
    except FilterError as error:
        raise ApiError(400, str(error)) from error


def _registration(reference: str) -> Registration:
    registration = find_registration(current_session(), reference)
    if registration is None:
        raise ApiError(404, "找不到这个登记编号")
    return registration
