"""Postings and employers: import a file, list what awaits review, approve or reject."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from sqlalchemy import select

from jobs.contacts import masked_contact
from jobs.importer import import_postings
from jobs.postings import review
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
from storage.models import APPROVED, PENDING, REJECTED, Employer, Posting

# A spreadsheet of 20,000 postings (the importer's limit) is well under this.
IMPORT_MAX_BYTES = 20_000_000
STATES = (PENDING, APPROVED, REJECTED)
PAGE_LIMIT = 200


@staff_api.post("/postings/import")
@requires(Permission.POSTINGS)
def import_file() -> Response:
    """A CSV or .xlsx file, as the multipart field ``file`` or as the whole body. All rows or
    none: 422 with every row's errors when any has one."""
    data = _uploaded_file()
    session = current_session()
    report = import_postings(session, data, data_key(), today())
    if not report.ok:
        raise ApiError(
            422,
            f"没有导入任何岗位，请改正以下 {len(report.errors)} 处后重新导入",
            errors=[
                {"row": error.row, "column": error.column, "message": error.message}
                for error in report.errors
            ],
        )
    audit.record(session, current_member(), "import_postings", f"{report.imported} postings")
    return jsonify(imported=report.imported, new_employers=report.new_employers)


def _uploaded_file() -> bytes:
    if request.content_length is not None and request.content_length > IMPORT_MAX_BYTES:
        raise ApiError(413, "文件太大，请分成几个文件导入")
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        data = upload.read(IMPORT_MAX_BYTES + 1) if upload else b""
    else:  # the file is the body, whatever type the client called it
        data = request.get_data(cache=False)
    if len(data) > IMPORT_MAX_BYTES:
        raise ApiError(413, "文件太大，请分成几个文件导入")
    if not data:
        raise ApiError(400, "请上传 CSV 或 Excel（.xlsx）文件")
    return data


@staff_api.get("/postings")
@requires(Permission.POSTINGS)
def list_postings() -> Response:
    """Postings in one review state (``state``, pending by default), oldest first, contacts
    masked; ``limit`` (at most 200) and ``after_id`` page through them."""
    postings = _in_review_state(Posting)
    return jsonify(postings=[_posting_json(posting) for posting in postings])


@staff_api.get("/employers")
@requires(Permission.POSTINGS)
def list_employers() -> Response:
    employers = _in_review_state(Employer)
    return jsonify(employers=[_employer_json(employer) for employer in employers])


@staff_api.post("/postings/review")
@requires(Permission.POSTINGS)
def review_postings() -> Response:
    """``{"ids": [...], "decision": "approve" | "reject"}``: all of them, or none when an id is
    not found (404 names them)."""
    return _review(Posting, "posting")


@staff_api.post("/employers/review")
@requires(Permission.POSTINGS)
def review_employers() -> Response:
    return _review(Employer, "employer")


def _review(kind: type[Posting] | type[Employer], name: str) -> Response:
    body = json_body()
    ids = id_list(body)
    decision = body.get("decision")
    if decision not in ("approve", "reject"):
        raise ApiError(400, "“decision”应为 approve 或 reject")
    session = current_session()
    missing = review(session, kind, ids, approve=decision == "approve")
    if missing:
        raise ApiError(404, "找不到这些编号，未做任何修改", missing=missing)
    for item_id in ids:
        audit.record(session, current_member(), f"{decision}_{name}", f"{name}:{item_id}")
    return jsonify(reviewed=len(ids), decision=decision)


def _in_review_state(kind: type[Posting] | type[Employer]) -> list[Any]:
    """Postings or employers in the review ``state`` the query asks for (pending unless told),
    oldest first, paged by ``limit`` and ``after_id``."""
    state = request.args.get("state", PENDING)
    if state not in STATES:
        raise ApiError(400, f"“state”应为 {'、'.join(STATES)} 之一")
    limit, after_id = paging(PAGE_LIMIT)
    query = (
        select(kind).where(kind.state == state, kind.id > after_id).order_by(kind.id).limit(limit)
    )
    return list(current_session().execute(query).scalars())


def _employer_json(employer: Employer) -> dict[str, Any]:
    return {"id": employer.id, "name": employer.name, "state": employer.state}


def _posting_json(posting: Posting) -> dict[str, Any]:
    return {
        "id": posting.id,
        "title": posting.title,
        "employer": _employer_json(posting.employer),
        "city": posting.city,
        "district": posting.district,
        "salary_min": posting.salary_min,
        "salary_max": posting.salary_max,
        "requirements": posting.requirements,
        "education": posting.education,
        "suits": [group for group in posting.suits.split("、") if group],
        "part_time": posting.part_time,
        "contact": masked_contact(posting, data_key()),
        "source": posting.source,
        "valid_until": posting.valid_until.isoformat(),
        "state": posting.state,
        "created_at": posting.created_at.isoformat() if posting.created_at else None,
    }
