"""`python -m registration`: listing, showing, deciding, recording services and exporting, with
personal data masked and each change audited as the command line's (no staff member)."""

from __future__ import annotations

import csv
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from registration import __main__ as registration_cli
from registration.ledger import record_service
from registration.store import decide
from staff.accounts import add_member
from storage.db import session_scope
from storage.models import (
    EXITED,
    REGISTERED,
    REGISTRATION_PENDING,
    REGISTRATION_REJECTED,
    AuditEntry,
    Registration,
    ServiceRecord,
    StaffMember,
    utcnow,
)

from .support import DATA_KEY, add_posting, add_registration, registration_answers

UTC = timezone.utc


@pytest.fixture
def people(database_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Three registrations: a pending in 武汉, b registered in 武汉, c pending in 西安."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DATA_KEY", DATA_KEY)
    made = {
        "a": add_registration(database_url, "o_cli_a", 1, datetime(2026, 11, 2, 1, tzinfo=UTC)),
        "b": add_registration(
            database_url,
            "o_cli_b",
            2,
            datetime(2026, 11, 3, 1, tzinfo=UTC),
            group="高校毕业生",
        ),
        "c": add_registration(
            database_url,
            "o_cli_c",
            3,
            datetime(2026, 11, 4, 1, tzinfo=UTC),
            city="西安",
            district="雁塔区",
        ),
    }
    with session_scope(database_url) as session:
        registration = session.execute(
            select(Registration).filter_by(reference=made["b"])
        ).scalar_one()
        decide(session, registration, "approve", "", None, utcnow())
        add_member(session, "wang", "registration_officer")
    return made


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = registration_cli.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def status_of(database_url: str, reference: str) -> str:
    with session_scope(database_url) as session:
        return session.execute(
            select(Registration.status).filter_by(reference=reference)
        ).scalar_one()


def audit_entries(database_url: str) -> list[tuple[str, str, int | None]]:
    with session_scope(database_url) as session:
        entries = session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars()
        return [(entry.action, entry.target, entry.staff_id) for entry in entries]


def services(database_url: str) -> int:
    with session_scope(database_url) as session:
        return session.execute(select(func.count()).select_from(ServiceRecord)).scalar()


def assert_masked(text: str) -> None:
    for serial in (1, 2, 3):
        answers = registration_answers(serial)
        assert answers.name not in text
        assert answers.id_number not in text
        assert answers.phone not in text


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ([], "abc"),
        (["--status", "pending"], "ac"),
        (["--status", "已登记"], "b"),
        (["--city", "武汉市"], "ab"),
        (["--group", "高校毕业生"], "b"),
        (["--from", "2026-11-03", "--to", "2026-11-03"], "b"),
        (["--status", "exited"], ""),
    ],
)
def test_list_prints_one_masked_line_per_registration(
    people: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    filters: list[str],
    expected: str,
) -> None:
    status, out, _err = run(capsys, "list", *filters)

    assert status == 0
    lines = out.strip().splitlines()
    if expected:
        assert [line.split("｜")[0] for line in lines] == [people[x] for x in expected]
        assert all("欧**锋" in line and "****" in line for line in lines)
    else:
        assert lines == ["没有符合条件的登记。"]
    assert_masked(out)


def test_list_says_when_it_shows_only_the_first(
    people: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _err = run(capsys, "list", "--limit", "2")

    assert status == 0
    lines = out.strip().splitlines()
    assert [line.split("｜")[0] for line in lines[:2]] == [people["a"], people["b"]]
    assert "只列出前 2 条" in lines[2]


@pytest.mark.parametrize(
    "argv",
    [
        ["list", "--status", "approved"],
        ["list", "--group", "程序员"],
        ["list", "--from", "2026-02-30"],
        ["list", "--limit", "0"],
        ["export", "out.csv", "--from", "2026-12-01", "--to", "2026-11-01"],
    ],
)
def test_bad_filters_exit_2_with_a_message(
    people: dict[str, str],
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    argv: list[str],
) -> None:
    status, out, err = run(capsys, *[str(tmp_path / a) if a.endswith(".csv") else a for a in argv])

    assert status == 2
    assert err.strip() and not out
    assert audit_entries(database_url) == []
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["reject", "REF"],  # no --reason
        ["exit", "REF"],
        ["service", "REF", "--kind", "massage", "--channel", "phone", "--by", "wang"],
        ["service", "REF", "--kind", "career_guidance", "--by", "wang"],
        ["service", "REF", "--kind", "career_guidance", "--channel", "phone"],  # no --by
        "service REF --kind job_recommendation --channel sms --by wang --posting x".split(),
        ["frobnicate"],
        [],
    ],
)
def test_bad_usage_exits_2(people: dict[str, str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        registration_cli.main([part.replace("REF", people["a"]) for part in argv])

    assert exited.value.code == 2


def test_show_prints_the_registration_masked_with_its_services(
    people: dict[str, str], database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with session_scope(database_url) as session:
        registration = session.execute(
            select(Registration).filter_by(reference=people["b"])
        ).scalar_one()
        record_service(session, registration, "policy_briefing", "wechat", "登记后自动发送")
    run(
        capsys,
        *["service", people["b"], "--kind", "career_guidance", "--channel", "phone"],
        *["--by", "wang", "--detail", "电话指导求职方向"],
    )

    status, out, _err = run(capsys, "show", people["b"])

    assert status == 0
    assert out.startswith(f"{people['b']}｜已登记｜欧**锋｜")
    assert "求职意向：电工，武汉" in out
    assert "服务记录（2 条）" in out
    assert "政策宣介｜微信｜机器人｜登记后自动发送" in out
    assert "职业指导｜电话｜工作人员｜电话指导求职方向" in out
    assert "还需提供：岗位推荐 3、培训或见习机会 1" in out
    assert_masked(out)


def test_show_of_an_unknown_reference_exits_1(
    people: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "show", "DJ20260101999999")

    assert status == 1
    assert "找不到登记编号" in err and not out


@pytest.mark.parametrize(
    ("letter", "argv", "new_status"),
    [
        ("a", ["approve"], REGISTERED),
        ("a", ["reject", "--reason", "材料不全"], REGISTRATION_REJECTED),
        ("b", ["exit", "--reason", "已找到工作"], EXITED),
    ],
)
def test_a_decision_is_made_and_audited_as_the_command_line(
    people: dict[str, str],
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    letter: str,
    argv: list[str],
    new_status: str,
) -> None:
    reference = people[letter]

    status, out, _err = run(capsys, argv[0], reference, *argv[1:])

    assert status == 0
    assert reference in out and "公众号" in out
    assert status_of(database_url, reference) == new_status
    assert audit_entries(database_url) == [
        (f"{argv[0]}_registration", f"registration:{reference}", None)
    ]


@pytest.mark.parametrize(
    ("letter", "argv", "message"),
    [
        ("b", ["approve"], "已登记"),  # decided already
        ("a", ["exit", "--reason", "已就业"], "待审核"),  # not registered
        ("a", ["reject", "--reason", "   "], "原因"),
        ("a", ["reject", "--reason", "长" * 201], "200"),
        ("x", ["approve"], "找不到登记编号"),
    ],
)
def test_a_refused_decision_exits_1_and_changes_nothing(
    people: dict[str, str],
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    letter: str,
    argv: list[str],
    message: str,
) -> None:
    reference = people.get(letter, "DJ20260101999999")
    before = {key: status_of(database_url, value) for key, value in people.items()}

    status, out, err = run(capsys, argv[0], reference, *argv[1:])

    assert status == 1
    assert message in err and not out
    assert {key: status_of(database_url, value) for key, value in people.items()} == before
    assert audit_entries(database_url) == []


def test_a_service_is_recorded_and_audited(
    people: dict[str, str], database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    first = add_posting(database_url, DATA_KEY, title="电工")
    second = add_posting(database_url, DATA_KEY, title="焊工")

    status, out, _err = run(
        capsys,
        "service",
        people["b"],
        "--kind",
        "job_recommendation",
        "--channel",
        "in_person",
        "--detail",
        "现场推荐",
        "--by",
        "wang",
        "--posting",
        str(first),
        "--posting",
        str(second),
    )

    assert status == 0
    assert "岗位推荐（现场）" in out
    with session_scope(database_url) as session:
        service = session.execute(select(ServiceRecord)).scalar_one()
        wang = session.execute(select(StaffMember).filter_by(username="wang")).scalar_one()
        assert (service.posting_ids, service.detail, service.staff_id) == (
            f"{first}、{second}",
            "现场推荐",
            wang.id,
        )
    assert audit_entries(database_url) == [("record_service", f"registration:{people['b']}", None)]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--kind", "job_recommendation", "--posting", "99999"], "99999"),
        (["--kind", "job_recommendation"], "岗位编号"),
        (["--kind", "career_guidance", "--detail", "长" * 501], "500"),
        (["--kind", "career_guidance", "--by", "nobody"], "nobody"),
    ],
)
def test_a_refused_service_exits_1_and_records_nothing(
    people: dict[str, str],
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    status, out, err = run(
        capsys, "service", people["b"], "--channel", "sms", "--by", "wang", *argv
    )

    assert status == 1
    assert message in err and not out
    assert services(database_url) == 0
    assert audit_entries(database_url) == []


def test_export_writes_a_masked_csv_for_excel_and_is_audited(
    people: dict[str, str], database_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_file = tmp_path / "登记.csv"

    status, out, _err = run(capsys, "export", str(out_file), "--city", "武汉")

    assert status == 0
    assert "已导出 2 条" in out
    data = out_file.read_bytes()
    assert data.startswith("\ufeff".encode())
    header, *rows = csv.reader(data.decode("utf-8-sig").splitlines())
    assert header[0] == "登记编号" and "身份证号码" in header
    assert [row[0] for row in rows] == [people["a"], people["b"]]
    assert_masked(data.decode("utf-8-sig"))
    assert audit_entries(database_url) == [("export_registrations", "2 rows city=武汉", None)]


def test_an_export_that_cannot_be_written_exits_1_and_is_not_audited(
    people: dict[str, str], database_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, out, err = run(capsys, "export", str(tmp_path / "missing" / "out.csv"))

    assert status == 1
    assert "无法写入" in err and not out
    assert audit_entries(database_url) == []


def test_no_command_prints_personal_data_in_clear(
    people: dict[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    outputs = []
    for argv in (
        ["list"],
        ["show", people["a"]],
        ["approve", people["a"]],
        [
            "service",
            people["a"],
            "--kind",
            "policy_briefing",
            "--channel",
            "wechat",
            "--by",
            "wang",
        ],
        ["export", str(tmp_path / "out.csv")],
    ):
        status, out, err = run(capsys, *argv)
        assert status == 0, err
        outputs.append(out + err)

    assert_masked("\n".join(outputs))
    assert REGISTRATION_PENDING not in "\n".join(outputs)  # statuses are shown by their names
