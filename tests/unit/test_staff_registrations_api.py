"""The staff API on registrations: who may call it, filters and paging, masked personal data,
opening it in clear, decisions, services and the CSV export."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from typing import Any

import pytest
from sqlalchemy import func, inspect, select

from registration.identity import check_id_number
from registration.store import decide
from settings import today
from staff.accounts import add_member
from storage.db import engine_for, session_scope
from storage.models import (
    EXITED,
    REGISTERED,
    REGISTRATION_PENDING,
    REGISTRATION_REJECTED,
    AuditEntry,
    Registration,
    ServiceRecord,
    utcnow,
)

from .support import Harness, add_posting, add_registration, id_number, registration_answers

API = "/api/staff/registrations"
UTC = timezone.utc
ROLES_WITHOUT_REGISTRATIONS = ["postings_officer"]
ROLES_WITH_REGISTRATIONS = ["registration_officer", "registration_supervisor", "admin"]


def headers_for(database_url: str, role: str) -> dict[str, str]:
    with session_scope(database_url) as session:
        _member, token = add_member(session, f"{role}-user", role)
    return {"Authorization": f"Bearer {token}"}


def count(database_url: str, model: Any, **where: Any) -> int:
    with session_scope(database_url) as session:
        return session.execute(select(func.count()).select_from(model).filter_by(**where)).scalar()


def audit_entries(database_url: str) -> list[tuple[str, str, int | None]]:
    with session_scope(database_url) as session:
        entries = session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars()
        return [(entry.action, entry.target, entry.staff_id) for entry in entries]


def stored(database_url: str, reference: str) -> Registration:
    with session_scope(database_url) as session:
        registration = session.execute(
            select(Registration).filter_by(reference=reference)
        ).scalar_one()
        session.expunge(registration)
        return registration


def set_decision(database_url: str, reference: str, decision: str, reason: str = "") -> None:
    with session_scope(database_url) as session:
        registration = session.execute(
            select(Registration).filter_by(reference=reference)
        ).scalar_one()
        decide(session, registration, decision, reason, None, utcnow())


def as_text(response: Any) -> str:
    """The JSON body with its Chinese unescaped, so a search for a name means something."""
    return json.dumps(response.get_json(), ensure_ascii=False)


def clear_values(serial: int) -> list[str]:
    answers = registration_answers(serial)
    return [answers.name, answers.id_number, answers.phone]


@pytest.fixture
def officer(harness: Harness, database_url: str) -> dict[str, str]:
    return headers_for(database_url, "registration_officer")


@pytest.fixture
def people(harness: Harness, database_url: str) -> dict[str, str]:
    """Five registrations by letter (their serial is the letter's place: a=1 … e=5). Times in
    UTC; China time is 8 hours ahead, so b is on 1 November there and e on 1 December."""
    made = {
        "a": add_registration(
            database_url, harness.openid("a"), 1, datetime(2026, 10, 31, 15, 30, tzinfo=UTC)
        ),
        "b": add_registration(
            database_url,
            harness.openid("b"),
            2,
            datetime(2026, 10, 31, 16, 30, tzinfo=UTC),
            group="高校毕业生",
        ),
        "c": add_registration(
            database_url,
            harness.openid("c"),
            3,
            datetime(2026, 11, 15, 2, 0, tzinfo=UTC),
            city="西安",
            district="雁塔区",
        ),
        "d": add_registration(
            database_url, harness.openid("d"), 4, datetime(2026, 11, 30, 15, 30, tzinfo=UTC)
        ),
        "e": add_registration(
            database_url,
            harness.openid("e"),
            5,
            datetime(2026, 11, 30, 16, 30, tzinfo=UTC),
            group="残疾人",
        ),
    }
    set_decision(database_url, made["b"], "approve")
    set_decision(database_url, made["d"], "reject", "材料不全")
    return made


def test_the_invented_id_numbers_carry_a_valid_check_character() -> None:
    for serial in range(1, 30):
        assert check_id_number(id_number(serial), today()).number == id_number(serial)


# -- who may call it ---------------------------------------------------------------------------

ENDPOINTS = [
    ("get", API, None),
    ("get", f"{API}/export", None),
    ("get", f"{API}/{{a}}", None),
    ("get", f"{API}/{{a}}/personal-data", None),
    ("post", f"{API}/{{a}}/decision", {"decision": "approve"}),
    ("post", f"{API}/{{a}}/services", {"kind": "career_guidance", "channel": "phone"}),
]


def call(
    harness: Harness, endpoint: tuple[str, str, Any], people: dict[str, str], headers: Any
) -> Any:
    method, path, body = endpoint
    return getattr(harness.client, method)(path.format(**people), json=body, headers=headers)


def unchanged(database_url: str, people: dict[str, str]) -> bool:
    return (
        stored(database_url, people["a"]).status == REGISTRATION_PENDING
        and count(database_url, ServiceRecord, registration_id=stored(database_url, people["a"]).id)
        == 0
        and count(database_url, AuditEntry) == 0
    )


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e[0]} {e[1]}")
@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic abc"}],
    ids=["none", "wrong", "basic"],
)
def test_without_a_valid_token_every_request_is_refused(
    harness: Harness,
    database_url: str,
    people: dict[str, str],
    endpoint: tuple[str, str, Any],
    headers: dict[str, str],
) -> None:
    response = call(harness, endpoint, people, headers)

    assert response.status_code == 401
    assert "令牌" in response.get_json()["error"]
    assert unchanged(database_url, people)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e[0]} {e[1]}")
@pytest.mark.parametrize("role", ROLES_WITHOUT_REGISTRATIONS)
def test_a_role_without_the_registrations_permission_is_refused(
    harness: Harness,
    database_url: str,
    people: dict[str, str],
    endpoint: tuple[str, str, Any],
    role: str,
) -> None:
    response = call(harness, endpoint, people, headers_for(database_url, role))

    assert response.status_code == 403
    assert response.get_json()["error"]
    assert unchanged(database_url, people)


@pytest.mark.parametrize("role", ["registration_officer", "postings_officer"])
def test_personal_data_is_refused_without_its_permission_and_nothing_is_audited(
    harness: Harness, database_url: str, people: dict[str, str], role: str
) -> None:
    response = harness.client.get(
        f"{API}/{people['a']}/personal-data", headers=headers_for(database_url, role)
    )

    assert response.status_code == 403
    assert not any(value in as_text(response) for value in clear_values(1))
    assert audit_entries(database_url) == []


@pytest.mark.parametrize("role", ["registration_supervisor", "admin"])
def test_a_supervisor_or_admin_opens_personal_data_in_clear_and_it_is_audited(
    harness: Harness, database_url: str, people: dict[str, str], role: str
) -> None:
    response = harness.client.get(
        f"{API}/{people['c']}/personal-data", headers=headers_for(database_url, role)
    )

    assert response.status_code == 200
    answers = registration_answers(3)
    assert response.get_json() == {
        "reference": people["c"],
        "name": answers.name,
        "id_number": answers.id_number,
        "phone": answers.phone,
    }
    assert response.headers["Cache-Control"] == "no-store"
    [(action, target, staff_id)] = audit_entries(database_url)
    assert (action, target) == ("open_personal_data", f"registration:{people['c']}")
    assert staff_id is not None


def test_opening_the_personal_data_of_an_unknown_registration_is_404_and_not_audited(
    harness: Harness, database_url: str, people: dict[str, str]
) -> None:
    supervisor = headers_for(database_url, "registration_supervisor")

    response = harness.client.get(f"{API}/DJ20260101999999/personal-data", headers=supervisor)

    assert response.status_code == 404
    assert audit_entries(database_url) == []


# -- listing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", "abcde"),
        ("status=pending", "ace"),
        ("status=待审核", "ace"),
        ("status=registered", "b"),
        ("status=rejected", "d"),
        ("status=exited", ""),
        ("city=武汉", "abde"),
        ("city=武汉市", "abde"),
        ("city=西安", "c"),
        ("city=北京", ""),
        ("group=农民工", "acd"),
        ("group=残疾人", "e"),
        ("submitted_from=2026-11-01", "bcde"),
        ("submitted_to=2026-11-30", "abcd"),
        ("submitted_from=2026-11-01&submitted_to=2026-11-30", "bcd"),
        ("submitted_from=2026-11-30&submitted_to=2026-11-30", "d"),
        ("status=pending&city=武汉&group=农民工", "a"),
        ("city=&group=&status=", "abcde"),
        ("city=武汉' OR '1'='1", ""),
        ("city=<script>x</script>", ""),
    ],
)
def test_filters_choose_the_registrations(
    harness: Harness,
    officer: dict[str, str],
    people: dict[str, str],
    query: str,
    expected: str,
) -> None:
    response = harness.client.get(f"{API}?{query}", headers=officer)

    assert response.status_code == 200, response.get_json()
    listed = [item["reference"] for item in response.get_json()["registrations"]]
    assert listed == [people[letter] for letter in expected]


@pytest.mark.parametrize(
    "query",
    [
        "status=approved",
        "status=1 OR 1=1",
        "group=程序员",
        "group=农民工'; DROP TABLE registrations; --",
        "city=" + "武" * 21,
        "submitted_from=2026-13-01",
        "submitted_to=yesterday",
        "submitted_from=2026-12-01&submitted_to=2026-11-01",
        "limit=0",
        "limit=201",
        "limit=abc",
        "after_id=x",
    ],
)
def test_bad_filters_get_a_clear_chinese_answer(
    harness: Harness,
    database_url: str,
    officer: dict[str, str],
    people: dict[str, str],
    query: str,
) -> None:
    paged = query.startswith(("limit", "after_id"))
    for path in [API] if paged else [API, f"{API}/export"]:  # the export has no paging
        response = harness.client.get(f"{path}?{query}", headers=officer)
        assert response.status_code == 400
        assert any("\u4e00" <= char <= "\u9fff" for char in response.get_json()["error"])
    assert count(database_url, Registration) == 5
    assert audit_entries(database_url) == []


def test_pages_follow_each_other_oldest_first(
    harness: Harness, database_url: str, officer: dict[str, str]
) -> None:
    references = [add_registration(database_url, harness.openid(f"p{n}"), n) for n in range(7)]

    seen: list[dict[str, Any]] = []
    after_id = 0
    while True:
        page = harness.client.get(f"{API}?limit=3&after_id={after_id}", headers=officer)
        items = page.get_json()["registrations"]
        if not items:
            break
        assert len(items) <= 3
        seen += items
        after_id = items[-1]["id"]

    assert [item["reference"] for item in seen] == references
    assert [item["id"] for item in seen] == sorted(item["id"] for item in seen)


def test_a_listed_registration_has_every_field_and_its_personal_data_masked(
    harness: Harness, database_url: str, officer: dict[str, str], people: dict[str, str]
) -> None:
    response = harness.client.get(f"{API}?status=rejected", headers=officer)

    [item] = response.get_json()["registrations"]
    answers = registration_answers(4)
    assert item["name"] == "欧**锋"
    assert item["id_number"] == answers.id_number[:6] + "********" + answers.id_number[-4:]
    assert item["phone"] == answers.phone[:3] + "****" + answers.phone[-4:]
    assert {
        key: item[key] for key in ("reference", "status", "status_name", "decision_reason")
    } == {
        "reference": people["d"],
        "status": REGISTRATION_REJECTED,
        "status_name": "未通过",
        "decision_reason": "材料不全",
    }
    assert item["submitted_at"] == "2026-11-30T15:30:00+00:00"
    assert item["reviewed_at"] is not None
    assert {
        "id",
        "city",
        "district",
        "place_kind",
        "group",
        "last_job",
        "leave_reason",
        "wanted_job",
        "wanted_city",
        "wants_training",
    } <= item.keys()


def test_no_clear_personal_data_in_the_list_the_detail_or_the_export(
    harness: Harness, database_url: str, officer: dict[str, str], people: dict[str, str]
) -> None:
    listed = as_text(harness.client.get(API, headers=officer))
    detail = as_text(harness.client.get(f"{API}/{people['a']}", headers=officer))
    exported = harness.client.get(f"{API}/export", headers=officer).get_data().decode("utf-8-sig")

    for serial in range(1, 6):
        for value in clear_values(serial):
            assert value not in listed
            assert value not in detail
            assert value not in exported
    masked_phone = "139****0001"
    assert masked_phone in listed and masked_phone in detail and masked_phone in exported


# -- one registration and its services ----------------------------------------------------------


def test_a_registration_shows_its_services_and_what_is_still_owed(
    harness: Harness, database_url: str, officer: dict[str, str], people: dict[str, str]
) -> None:
    posting_ids = [add_posting(database_url, harness.runtime.settings.data_key) for _ in range(2)]
    path = f"{API}/{people['b']}"
    recorded = harness.client.post(
        f"{path}/services",
        json={
            "kind": "job_recommendation",
            "channel": "phone",
            "detail": "电话推荐两个岗位",
            "posting_ids": posting_ids,
        },
        headers=officer,
    )

    assert recorded.status_code == 201
    service = recorded.get_json()["service"]
    assert service["posting_ids"] == posting_ids and service["by_staff"] is True
    assert service["kind_name"] == "岗位推荐"
    shown = harness.client.get(path, headers=officer).get_json()
    assert shown["reference"] == people["b"] and shown["status_name"] == "已登记"
    assert [(s["kind"], s["channel"], s["detail"]) for s in shown["services"]] == [
        ("job_recommendation", "phone", "电话推荐两个岗位")
    ]
    assert shown["still_owed"] == {
        "policy_briefing": 1,
        "career_guidance": 1,
        "job_recommendation": 1,
        "training_offer": 1,
    }
    assert audit_entries(database_url)[-1][:2] == ("record_service", f"registration:{people['b']}")


@pytest.mark.parametrize(
    "reference", ["DJ20260101999999", "nothing", "'; DROP TABLE registrations; --"]
)
def test_an_unknown_reference_is_404(
    harness: Harness, officer: dict[str, str], people: dict[str, str], reference: str
) -> None:
    for response in (
        harness.client.get(f"{API}/{reference}", headers=officer),
        harness.client.post(
            f"{API}/{reference}/decision", json={"decision": "approve"}, headers=officer
        ),
        harness.client.post(
            f"{API}/{reference}/services",
            json={"kind": "career_guidance", "channel": "phone"},
            headers=officer,
        ),
    ):
        assert response.status_code == 404
        assert response.get_json()["error"]


def test_a_service_naming_an_unknown_posting_is_404_and_records_nothing(
    harness: Harness, database_url: str, officer: dict[str, str], people: dict[str, str]
) -> None:
    known = add_posting(database_url, harness.runtime.settings.data_key)

    response = harness.client.post(
        f"{API}/{people['b']}/services",
        json={"kind": "job_recommendation", "channel": "wechat", "posting_ids": [known, 99999]},
        headers=officer,
    )

    assert response.status_code == 404
    assert response.get_json()["missing"] == [99999]
    assert count(database_url, ServiceRecord) == 0
    assert audit_entries(database_url) == []


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "massage", "channel": "phone"},
        {"kind": "career_guidance", "channel": "carrier pigeon"},
        {"kind": "job_recommendation", "channel": "phone"},
        {"kind": "job_recommendation", "channel": "phone", "posting_ids": []},
        {"kind": "career_guidance", "channel": "phone", "detail": "长" * 501},
        {"kind": "career_guidance", "channel": "phone", "posting_ids": ["1; DROP TABLE x"]},
        {"kind": "career_guidance", "channel": "phone", "posting_ids": [True]},
        {"kind": "career_guidance", "channel": "phone", "posting_ids": list(range(1, 30))},
        {"kind": ["career_guidance"], "channel": "phone"},
        {"kind": "career_guidance", "channel": "phone", "detail": 5},
        {"channel": "phone"},
        ["not", "an", "object"],
    ],
)
def test_a_malformed_service_gets_a_clear_answer_and_records_nothing(
    harness: Harness,
    database_url: str,
    officer: dict[str, str],
    people: dict[str, str],
    body: Any,
) -> None:
    response = harness.client.post(f"{API}/{people['b']}/services", json=body, headers=officer)

    assert response.status_code == 400
    assert any("\u4e00" <= char <= "\u9fff" for char in response.get_json()["error"])
    assert count(database_url, ServiceRecord) == 0
    assert audit_entries(database_url) == []


# -- decisions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("letter", "decision", "reason", "status"),
    [
        ("a", "approve", "", REGISTERED),
        ("a", "approve", "材料齐全", REGISTERED),
        ("a", "reject", "身份证号与姓名不符", REGISTRATION_REJECTED),
        ("b", "exit", "已找到工作", EXITED),
    ],
)
def test_a_decision_changes_the_status_and_is_audited(
    harness: Harness,
    database_url: str,
    officer: dict[str, str],
    people: dict[str, str],
    letter: str,
    decision: str,
    reason: str,
    status: str,
) -> None:
    reference = people[letter]

    response = harness.client.post(
        f"{API}/{reference}/decision",
        json={"decision": decision, "reason": reason},
        headers=officer,
    )

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["registration"]["status"] == status
    registration = stored(database_url, reference)
    assert registration.status == status
    assert registration.decision_reason == (reason or None)
    assert registration.reviewed_by is not None
    assert registration.decision_notified_at is None  # the worker tells the user
    assert audit_entries(database_url)[-1][:2] == (
        f"{decision}_registration",
        f"registration:{reference}",
    )


@pytest.mark.parametrize(
    ("letter", "body", "status"),
    [
        ("b", {"decision": "approve"}, 409),  # registered already
        ("d", {"decision": "reject", "reason": "再次驳回"}, 409),  # rejected already
        ("a", {"decision": "exit", "reason": "已就业"}, 409),  # still pending
        ("a", {"decision": "reject"}, 400),
        ("a", {"decision": "reject", "reason": "   "}, 400),
        ("b", {"decision": "exit", "reason": ""}, 400),
        ("a", {"decision": "reject", "reason": "长" * 201}, 400),
        ("a", {"decision": "maybe"}, 400),
        ("a", {"decision": ["approve"]}, 400),
        ("a", {"decision": "approve", "reason": 42}, 400),
        ("a", {}, 400),
        ("a", ["approve"], 400),
    ],
)
def test_a_refused_decision_changes_nothing(
    harness: Harness,
    database_url: str,
    officer: dict[str, str],
    people: dict[str, str],
    letter: str,
    body: Any,
    status: int,
) -> None:
    reference = people[letter]
    before = stored(database_url, reference)

    response = harness.client.post(f"{API}/{reference}/decision", json=body, headers=officer)

    assert response.status_code == status
    assert any("\u4e00" <= char <= "\u9fff" for char in response.get_json()["error"])
    after = stored(database_url, reference)
    assert (after.status, after.decision_reason, after.reviewed_at) == (
        before.status,
        before.decision_reason,
        before.reviewed_at,
    )
    assert audit_entries(database_url) == []


@pytest.mark.parametrize(
    "reason",
    [
        "'; DROP TABLE registrations; --",
        "<script>alert('x')</script>",
        "1' OR '1'='1",
        '=HYPERLINK("http://example.invalid")',
    ],
)
def test_sql_or_script_in_a_reason_is_stored_and_echoed_as_text(
    harness: Harness,
    database_url: str,
    officer: dict[str, str],
    people: dict[str, str],
    reason: str,
) -> None:
    response = harness.client.post(
        f"{API}/{people['a']}/decision",
        json={"decision": "reject", "reason": reason},
        headers=officer,
    )

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json()["registration"]["decision_reason"] == reason
    assert stored(database_url, people["a"]).decision_reason == reason
    assert "registrations" in inspect(engine_for(database_url)).get_table_names()
    assert count(database_url, Registration) == 5
    listed = harness.client.get(f"{API}?status=rejected", headers=officer).get_json()
    assert reason in [item["decision_reason"] for item in listed["registrations"]]


# -- the export --------------------------------------------------------------------------------


def exported_rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_the_export_is_a_csv_for_excel_with_chinese_headers_and_is_audited(
    harness: Harness, database_url: str, officer: dict[str, str], people: dict[str, str]
) -> None:
    response = harness.client.get(f"{API}/export?city=武汉", headers=officer)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.get_data().startswith("\ufeff".encode())
    header, *rows = exported_rows(response)
    assert header[:5] == ["登记编号", "状态", "姓名", "身份证号码", "手机号码"]
    assert [row[0] for row in rows] == [people[letter] for letter in "abde"]
    by_reference = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_reference[people["d"]]["状态"] == "未通过"
    assert by_reference[people["d"]]["原因"] == "材料不全"
    assert by_reference[people["d"]]["提交时间"] == "2026-11-30 23:30"  # China time
    assert by_reference[people["a"]]["姓名"] == "欧**锋"
    assert by_reference[people["a"]]["需要培训"] == "是"
    [(action, target, staff_id)] = audit_entries(database_url)
    assert action == "export_registrations" and target.startswith("4 rows city=武汉")
    assert staff_id is not None


@pytest.mark.parametrize(
    ("reason", "cell"),
    [
        ("=1+2", "'=1+2"),
        ("+86 13800001234 打来", "'+86 13800001234 打来"),
        ("-1", "'-1"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        (
            '=HYPERLINK("http://example.invalid","点我")',
            '\'=HYPERLINK("http://example.invalid","点我")',
        ),
        ("材料不全 = 缺证明", "材料不全 = 缺证明"),
    ],
)
def test_cells_that_a_spreadsheet_would_run_as_formulas_are_quoted(
    harness: Harness,
    database_url: str,
    officer: dict[str, str],
    people: dict[str, str],
    reason: str,
    cell: str,
) -> None:
    set_decision(database_url, people["a"], "reject", reason)

    header, *rows = exported_rows(harness.client.get(f"{API}/export", headers=officer))

    row = next(row for row in rows if row[0] == people["a"])
    assert row[header.index("原因")] == cell


def test_an_export_past_the_row_limit_is_refused_and_not_audited(
    harness: Harness,
    database_url: str,
    officer: dict[str, str],
    people: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("registration.listing.EXPORT_MAX_ROWS", 4)

    refused = harness.client.get(f"{API}/export", headers=officer)
    narrowed = harness.client.get(f"{API}/export?city=武汉", headers=officer)

    assert refused.status_code == 400 and "缩小" in refused.get_json()["error"]
    assert narrowed.status_code == 200 and len(exported_rows(narrowed)) == 5
    assert [entry[0] for entry in audit_entries(database_url)] == ["export_registrations"]
