"""The staff API: tokens and roles, importing postings, listing and reviewing them."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from jobs.sample import sample_csv
from settings import today
from staff.accounts import add_member, set_active
from storage.db import session_scope
from storage.models import APPROVED, PENDING, REJECTED, AuditEntry, Employer, Posting

from .support import Harness


def token_for(database_url: str, role: str, username: str = "") -> str:
    with session_scope(database_url) as session:
        _member, token = add_member(session, username or f"{role}-user", role)
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def count(database_url: str, model: Any, **where: Any) -> int:
    with session_scope(database_url) as session:
        return session.execute(select(func.count()).select_from(model).filter_by(**where)).scalar()


@pytest.fixture
def officer(harness: Harness, database_url: str) -> dict[str, str]:
    return bearer(token_for(database_url, "postings_officer"))


def upload(harness: Harness, headers: dict[str, str], data: bytes, name: str = "岗位.csv") -> Any:
    return harness.client.post(
        "/api/staff/postings/import",
        data={"file": (io.BytesIO(data), name)},
        headers=headers,
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer "},
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": "Basic abc"},
    ],
)
def test_without_a_valid_token_nothing_is_imported(
    harness: Harness, database_url: str, headers: dict[str, str]
) -> None:
    response = upload(harness, headers, sample_csv(3, today()).encode())

    assert response.status_code == 401
    assert "令牌" in response.get_json()["error"]
    assert count(database_url, Posting) == 0


def test_a_role_without_the_permission_is_refused(harness: Harness, database_url: str) -> None:
    registrar = bearer(token_for(database_url, "registration_officer"))

    response = upload(harness, registrar, sample_csv(3, today()).encode())

    assert response.status_code == 403
    assert count(database_url, Posting) == 0


def test_a_disabled_member_is_refused(harness: Harness, database_url: str) -> None:
    token = token_for(database_url, "postings_officer", "leaver")
    with session_scope(database_url) as session:
        set_active(session, "leaver", False)

    assert upload(harness, bearer(token), sample_csv(3, today()).encode()).status_code == 401


def test_a_csv_upload_imports_every_row_for_review_and_is_audited(
    harness: Harness, database_url: str, officer: dict[str, str]
) -> None:
    response = upload(harness, officer, sample_csv(12, today()).encode())

    assert response.status_code == 200
    assert response.get_json()["imported"] == 12
    assert count(database_url, Posting, state=PENDING) == 12
    assert count(database_url, AuditEntry, action="import_postings") == 1


def test_an_excel_file_sent_as_the_body_is_imported(
    harness: Harness, database_url: str, officer: dict[str, str]
) -> None:
    lines = sample_csv(4, today()).splitlines()
    workbook = Workbook()
    for line in lines:
        workbook.active.append(line.split(","))
    body = io.BytesIO()
    workbook.save(body)

    response = harness.client.post(
        "/api/staff/postings/import",
        data=body.getvalue(),
        headers=officer,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

    assert response.status_code == 200, response.get_json()
    assert count(database_url, Posting) == 4


def test_a_csv_body_sent_as_a_form_by_curl_is_still_the_file(
    harness: Harness, database_url: str, officer: dict[str, str]
) -> None:
    response = harness.client.post(
        "/api/staff/postings/import",
        data=sample_csv(2, today()).encode(),
        headers=officer,
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200, response.get_json()
    assert count(database_url, Posting) == 2


def test_a_file_with_errors_imports_nothing_and_lists_each_row(
    harness: Harness, database_url: str, officer: dict[str, str]
) -> None:
    lines = sample_csv(5, today()).splitlines()
    header = lines[0].split(",")
    broken = lines[3].split(",")
    broken[header.index("城市")] = "火星"
    lines[3] = ",".join(broken)

    response = upload(harness, officer, "\n".join(lines).encode())

    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert [(error["row"], error["column"]) for error in errors] == [(4, "城市")]
    assert count(database_url, Posting) == 0 and count(database_url, Employer) == 0


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"\x00\x01\x02 not a spreadsheet",
        b"<script>alert(1)</script>",
        b"'; DROP TABLE postings; --",
    ],
)
def test_an_unreadable_upload_gets_a_clear_answer_and_changes_nothing(
    harness: Harness, database_url: str, officer: dict[str, str], body: bytes
) -> None:
    response = upload(harness, officer, body)

    assert response.status_code in (400, 422)
    assert response.get_json()["error"]
    assert count(database_url, Posting) == 0


def test_a_huge_upload_is_refused_before_it_is_read(
    harness: Harness, database_url: str, officer: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("staff.api.postings.IMPORT_MAX_BYTES", 1000)

    response = upload(harness, officer, sample_csv(50, today()).encode())

    assert response.status_code == 413
    assert count(database_url, Posting) == 0


def test_pending_postings_are_listed_with_contacts_masked_and_paged(
    harness: Harness, database_url: str, officer: dict[str, str]
) -> None:
    upload(harness, officer, sample_csv(7, today()).encode())

    first = harness.client.get("/api/staff/postings?limit=5", headers=officer).get_json()
    rest = harness.client.get(
        f"/api/staff/postings?limit=5&after_id={first['postings'][-1]['id']}", headers=officer
    ).get_json()

    listed = first["postings"] + rest["postings"]
    assert len(first["postings"]) == 5 and len(listed) == 7
    assert len({posting["id"] for posting in listed}) == 7
    assert all("****" in posting["contact"] for posting in listed)
    assert all(posting["state"] == PENDING for posting in listed)


@pytest.mark.parametrize("query", ["state=unknown", "limit=0", "limit=abc", "limit=201"])
def test_bad_listing_arguments_get_a_clear_answer(
    harness: Harness, officer: dict[str, str], query: str
) -> None:
    response = harness.client.get(f"/api/staff/postings?{query}", headers=officer)

    assert response.status_code == 400
    assert response.get_json()["error"]


def test_reviewing_postings_and_employers_makes_them_visible_and_is_audited(
    harness: Harness, database_url: str, officer: dict[str, str]
) -> None:
    upload(harness, officer, sample_csv(3, today()).encode())
    postings = harness.client.get("/api/staff/postings", headers=officer).get_json()["postings"]
    employers = harness.client.get("/api/staff/employers", headers=officer).get_json()["employers"]
    ids = [posting["id"] for posting in postings]

    approved = harness.client.post(
        "/api/staff/postings/review", json={"ids": ids[:2], "decision": "approve"}, headers=officer
    )
    rejected = harness.client.post(
        "/api/staff/postings/review", json={"ids": ids[2:], "decision": "reject"}, headers=officer
    )
    employers_approved = harness.client.post(
        "/api/staff/employers/review",
        json={"ids": [employer["id"] for employer in employers], "decision": "approve"},
        headers=officer,
    )

    assert [approved.status_code, rejected.status_code, employers_approved.status_code] == [200] * 3
    assert count(database_url, Posting, state=APPROVED) == 2
    assert count(database_url, Posting, state=REJECTED) == 1
    assert count(database_url, Employer, state=PENDING) == 0
    assert count(database_url, AuditEntry, action="approve_posting") == 2
    assert count(database_url, AuditEntry, action="reject_posting") == 1


def test_a_review_naming_an_unknown_id_changes_nothing(
    harness: Harness, database_url: str, officer: dict[str, str]
) -> None:
    upload(harness, officer, sample_csv(2, today()).encode())
    ids = [
        p["id"]
        for p in harness.client.get("/api/staff/postings", headers=officer).get_json()["postings"]
    ]

    response = harness.client.post(
        "/api/staff/postings/review",
        json={"ids": [*ids, 99999], "decision": "approve"},
        headers=officer,
    )

    assert response.status_code == 404
    assert response.get_json()["missing"] == [99999]
    assert count(database_url, Posting, state=PENDING) == 2
    assert count(database_url, AuditEntry, action="approve_posting") == 0


@pytest.mark.parametrize(
    "body",
    [
        {"ids": [1], "decision": "maybe"},
        {"ids": [], "decision": "approve"},
        {"ids": ["1; DROP TABLE postings"], "decision": "approve"},
        {"ids": [True], "decision": "approve"},
        {"decision": "approve"},
        ["not", "an", "object"],
    ],
)
def test_a_malformed_review_gets_a_clear_answer(
    harness: Harness, database_url: str, officer: dict[str, str], body: Any
) -> None:
    response = harness.client.post("/api/staff/postings/review", json=body, headers=officer)

    assert response.status_code == 400
    assert response.get_json()["error"]
