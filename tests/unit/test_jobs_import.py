"""Postings: importing a staff file (every row checked, all or nothing), review, and what job
seekers may see."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from jobs.__main__ import main
from jobs.importer import XLSX_MAGIC, cell_text, import_postings, read_file
from jobs.layout import HEADERS
from jobs.postings import review, visible_postings
from jobs.sample import sample_csv, sample_rows
from storage.db import engine_for, session_scope
from storage.models import APPROVED, PENDING, Base, Employer, Posting
from storage.sealed import SealError, mask_phones, seal, unseal

from .support import DATA_KEY

TODAY = date(2026, 11, 24)


def as_csv(rows: list[dict[str, str]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADERS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def a_row(**changes: str) -> dict[str, str]:
    row = {
        "岗位名称": "会计",
        "用人单位": "武汉江城示例有限公司（示例）",
        "城市": "武汉市",
        "区县": "江夏区",
        "月薪下限": "4500",
        "月薪上限": "6000",
        "岗位要求": "持初级会计证",
        "学历要求": "大专",
        "适合人群": "应届毕业生、残疾人",
        "用工形式": "全职",
        "联系方式": "人事部王经理 13800001234",
        "信息来源": "单位直接提供",
        "有效期至": "2026-12-31",
    }
    row.update(changes)
    return row


def count(database_url: str, model: type[Posting] | type[Employer]) -> int:
    with session_scope(database_url) as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def run_import(database_url: str, data: bytes) -> list[str]:
    with session_scope(database_url) as session:
        report = import_postings(session, data, DATA_KEY, TODAY)
        if not report.ok:
            session.rollback()
        return [str(error) for error in report.errors]


def test_a_sample_file_imports_every_row_for_review_with_contacts_sealed(database_url: str) -> None:
    rows = sample_rows(120, TODAY)
    assert run_import(database_url, as_csv(rows)) == []

    with session_scope(database_url) as session:
        postings = session.execute(select(Posting)).scalars().all()
        assert len(postings) == 120
        assert {posting.state for posting in postings} == {PENDING}
        assert {posting.employer.state for posting in postings} == {PENDING}
        first = min(postings, key=lambda posting: posting.id)
        assert "1380000" not in first.contact_sealed and "-8000" not in first.contact_sealed
        assert unseal(first.contact_sealed, DATA_KEY) == rows[0]["联系方式"]
    assert count(database_url, Employer) == len({row["用人单位"] for row in rows})


def test_a_later_file_adds_its_postings_to_the_employers_already_known(database_url: str) -> None:
    assert run_import(database_url, as_csv([a_row()])) == []
    later = as_csv([a_row(岗位名称="出纳"), a_row(岗位名称="司机", 用人单位="新单位（示例）")])
    with session_scope(database_url) as session:
        report = import_postings(session, later, DATA_KEY, TODAY)
    assert (report.imported, report.new_employers) == (2, 1)
    assert count(database_url, Employer) == 2 and count(database_url, Posting) == 3


def test_the_sample_is_invented_and_the_same_for_the_same_seed() -> None:
    rows = sample_rows(300, TODAY)
    assert rows == sample_rows(300, TODAY)
    assert all(row["用人单位"].endswith("（示例）") for row in rows)
    assert {"武汉", "西安", "遂宁"} <= {row["城市"] for row in rows}
    assert sample_csv(5, TODAY).splitlines()[0] == ",".join(HEADERS)


def test_a_file_with_errors_imports_nothing_and_names_each_row_and_column(
    database_url: str,
) -> None:
    rows = [
        a_row(),
        a_row(城市="火星", 月薪下限="四千"),
        a_row(月薪下限="7000", 月薪上限="6000"),
        a_row(有效期至="2026-11-23", 用工形式="半职"),
        a_row(适合人群="外星人", 学历要求="研究生", 联系方式=""),
    ]
    errors = run_import(database_url, as_csv(rows))

    assert errors == [
        "第3行“城市”：“火星”不是认得的城市，请写城市名，如 武汉、西安、遂宁",
        "第3行“月薪下限”：应为整数（元/月），如 4500",
        "第4行“月薪下限”：不能高于月薪上限",
        "第5行“用工形式”：应为“全职”或“兼职”",
        "第5行“有效期至”：已过期",
        "第6行“学历要求”：应为不限、初中、高中、中专、大专、本科、硕士、博士之一",
        f"第6行“适合人群”：“外星人”不在可选人群中（{errors[-2].split('（', 1)[1]}",
        "第6行“联系方式”：不能为空",
    ]
    assert count(database_url, Posting) == 0 and count(database_url, Employer) == 0


def test_a_repeated_row_is_an_error(database_url: str) -> None:
    assert run_import(database_url, as_csv([a_row(), a_row(), a_row(岗位名称="出纳")])) == [
        "第3行：与第2行重复"
    ]
    assert count(database_url, Posting) == 0


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", "文件：文件是空的"),
        ("岗位名称,用人单位\n会计,某单位\n".encode(), "文件：缺少列："),
        (",".join([*HEADERS, "备注"]).encode() + b"\n", "文件：不认得的列：备注"),
        (b"\xff\xfe\x00\x00garbage\x81", "文件：文件不是UTF-8或GBK编码的CSV"),
        (",".join(HEADERS).encode() + b"\n", "文件：文件里没有岗位"),
    ],
)
def test_a_file_that_is_not_a_postings_file_is_refused_whole(
    database_url: str, data: bytes, error: str
) -> None:
    [said] = run_import(database_url, data)
    assert said.startswith(error)
    assert count(database_url, Posting) == 0


def test_files_saved_by_excel_in_gbk_or_with_a_bom_are_read(database_url: str) -> None:
    assert run_import(database_url, as_csv([a_row()], encoding="gb18030")) == []
    assert run_import(database_url, b"\xef\xbb\xbf" + as_csv([a_row(岗位名称="出纳")])) == []
    with session_scope(database_url) as session:
        titles = set(session.execute(select(Posting.title)).scalars())
    assert titles == {"会计", "出纳"}


def test_script_or_sql_text_is_kept_as_text_and_control_characters_are_dropped(
    database_url: str,
) -> None:
    hostile = "<script>alert(1)</script>'; DROP TABLE postings; --"
    data = as_csv([a_row(岗位要求=hostile, 岗位名称="会NUL计\u200b")]).replace(b"NUL", b"\x00")
    assert run_import(database_url, data) == []
    with session_scope(database_url) as session:
        posting = session.execute(select(Posting)).scalar_one()
        assert posting.requirements == hostile and posting.title == "会计"


def test_job_seekers_see_only_approved_postings_of_approved_employers_until_they_expire(
    database_url: str,
) -> None:
    rows = [
        a_row(岗位名称="会计", 有效期至="2026-11-24"),
        a_row(岗位名称="出纳", 有效期至="2026-12-31"),
        a_row(岗位名称="司机", 用人单位="未审单位（示例）"),
        a_row(岗位名称="保安"),
    ]
    assert run_import(database_url, as_csv(rows)) == []
    with session_scope(database_url) as session:
        ids = {p.title: p.id for p in session.execute(select(Posting)).scalars()}
        employer = session.execute(
            select(Employer).where(Employer.name == "武汉江城示例有限公司（示例）")
        ).scalar_one()
        assert review(session, Employer, [employer.id], approve=True) == []
        assert review(session, Posting, [ids["会计"], ids["出纳"], ids["司机"]], approve=True) == []
        assert review(session, Posting, [ids["保安"]], approve=False) == []

    def seen(on: date) -> set[str]:
        with session_scope(database_url) as session:
            return {p.title for p in session.execute(visible_postings(on)).scalars()}

    # 司机's employer is not approved; 保安 was rejected; 会计 is valid through its last day.
    assert seen(TODAY) == {"会计", "出纳"}
    assert seen(TODAY + timedelta(days=1)) == {"出纳"}
    with session_scope(database_url) as session:
        assert session.get(Posting, ids["出纳"]).state == APPROVED


def test_reviewing_an_unknown_id_reports_it(database_url: str) -> None:
    with session_scope(database_url) as session:
        assert review(session, Posting, [7, 8], approve=True) == [7, 8]


def test_contacts_are_sealed_with_the_key_and_masked_on_screens() -> None:
    token = seal("人事部王经理 13800001234", DATA_KEY)
    assert "13800001234" not in token
    assert unseal(token, DATA_KEY) == "人事部王经理 13800001234"
    with pytest.raises(SealError):
        unseal(token[:-4] + "AAAA", DATA_KEY)
    masked = mask_phones("王经理 13800001234，座机 027-87654321")
    assert masked == "王经理 138****1234，座机 027-****4321"


def test_the_command_line_imports_lists_masked_and_reviews(
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DATA_KEY", DATA_KEY)
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(as_csv([a_row(有效期至="2099-12-31")]))
    bad.write_bytes(as_csv([a_row(城市="火星", 有效期至="2099-12-31")]))

    assert main(["import", str(bad)]) == 1
    assert "第2行“城市”" in capsys.readouterr().out
    assert main(["import", str(good)]) == 0
    assert main(["pending"]) == 0
    listed = capsys.readouterr().out
    assert "138****1234" in listed and "13800001234" not in listed
    assert main(["approve", "1", "999"]) == 1
    with session_scope(database_url) as session:
        assert session.get(Posting, 1).state == PENDING  # nothing changed
    assert main(["approve-employer", "1"]) == 0 and main(["approve", "1"]) == 0
    with session_scope(database_url) as session:
        assert session.execute(visible_postings(TODAY)).scalars().all()


# ---------------------------------------------------------------------------------------------
# Excel workbooks (.xlsx)

INTEGER_COLUMNS = ("月薪下限", "月薪上限")


def as_xlsx(header: list[str], lines: list[list[Any]], second_sheet: bool = False) -> bytes:
    """A workbook whose first sheet holds ``header`` and then ``lines``, cells as given."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for line in lines:
        sheet.append(line)
    if second_sheet:
        workbook.create_sheet("说明").append(["这张表不是岗位"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def typed_cells(row: dict[str, str], number: int) -> list[Any]:
    """The row as Excel keeps it: pay as numbers (whole floats on odd rows, as Excel computes
    them), the last day as a date or a datetime, the rest as text."""
    cells: list[Any] = []
    for name in HEADERS:
        text = row[name]
        if name in INTEGER_COLUMNS:
            cells.append(float(text) if number % 2 else int(text))
        elif name == "有效期至":
            day = date.fromisoformat(text)
            cells.append(datetime(day.year, day.month, day.day) if number % 2 else day)
        else:
            cells.append(text or None)
    return cells


def another_database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'other.db'}"
    Base.metadata.create_all(engine_for(url))
    return url


def imported(database_url: str) -> list[tuple[Any, ...]]:
    """Every posting as staff gave it, contact unsealed, in import order."""
    with session_scope(database_url) as session:
        postings = session.execute(select(Posting).order_by(Posting.id)).scalars().all()
        return [
            (
                posting.title,
                posting.employer.name,
                posting.employer.state,
                posting.city,
                posting.district,
                posting.salary_min,
                posting.salary_max,
                posting.requirements,
                posting.education,
                posting.suits,
                posting.part_time,
                unseal(posting.contact_sealed, DATA_KEY),
                posting.source,
                posting.valid_until,
                posting.state,
                posting.latitude,
                posting.longitude,
            )
            for posting in postings
        ]


def test_an_excel_workbook_imports_the_same_postings_as_the_same_rows_in_csv(
    database_url: str, tmp_path: Path
) -> None:
    rows = sample_rows(40, TODAY)
    workbook = as_xlsx(list(HEADERS), [typed_cells(row, n) for n, row in enumerate(rows)])
    assert workbook.startswith(XLSX_MAGIC)
    csv_database = another_database(tmp_path)

    assert run_import(database_url, workbook) == []
    assert run_import(csv_database, as_csv(rows)) == []

    from_excel = imported(database_url)
    assert len(from_excel) == 40
    assert from_excel == imported(csv_database)
    assert count(database_url, Employer) == count(csv_database, Employer)


def test_a_workbook_reads_as_the_csv_text_of_the_same_rows() -> None:
    rows = [a_row(), a_row(岗位名称="出纳", 区县="", 岗位要求="")]
    workbook = as_xlsx(list(HEADERS), [typed_cells(row, n) for n, row in enumerate(rows)])
    assert read_file(workbook) == read_file(as_csv(rows))


def test_a_workbook_with_columns_in_another_order_and_blank_rows_keeps_row_numbers(
    database_url: str,
) -> None:
    header = list(reversed(HEADERS))
    good = typed_cells(a_row(), 0)[::-1]
    bad = typed_cells(a_row(城市="火星", 岗位名称="出纳"), 1)[::-1]
    workbook = as_xlsx(header, [good, [None] * len(header), bad])

    assert run_import(database_url, workbook) == [
        "第4行“城市”：“火星”不是认得的城市，请写城市名，如 武汉、西安、遂宁"
    ]
    assert count(database_url, Posting) == 0


def test_a_workbook_reads_its_first_sheet_only(database_url: str) -> None:
    workbook = as_xlsx(list(HEADERS), [typed_cells(a_row(), 0)], second_sheet=True)
    assert run_import(database_url, workbook) == []
    assert count(database_url, Posting) == 1


def test_pay_with_a_fraction_of_a_yuan_is_an_error_in_a_workbook_too(database_url: str) -> None:
    cells = typed_cells(a_row(), 0)
    cells[HEADERS.index("月薪下限")] = 4500.5
    assert run_import(database_url, as_xlsx(list(HEADERS), [cells])) == [
        "第2行“月薪下限”：应为整数（元/月），如 4500"
    ]


@pytest.mark.parametrize(
    ("header", "error"),
    [
        ([name for name in HEADERS if name != "联系方式"], "文件：缺少列：联系方式"),
        ([*HEADERS, "备注"], "文件：不认得的列：备注"),
        (["岗位", *HEADERS[1:]], "文件：缺少列：岗位名称；不认得的列：岗位"),
    ],
)
def test_a_workbook_with_a_wrong_header_names_the_columns_to_fix(
    database_url: str, header: list[str], error: str
) -> None:
    workbook = as_xlsx(header, [["会计"] * len(header)])
    assert run_import(database_url, workbook) == [error]
    assert count(database_url, Posting) == 0


def a_zip_of(name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        XLSX_MAGIC + b"\x00" * 40 + b"not a workbook",
        a_zip_of("readme.txt", b"hello"),
        a_zip_of("[Content_Types].xml", b"<Types/>"),
        as_xlsx(list(HEADERS), [])[:300],  # cut short in the upload
    ],
    ids=["zip-magic-then-garbage", "zip-without-workbook", "zip-with-bad-parts", "truncated"],
)
def test_a_file_that_starts_like_a_zip_but_is_no_workbook_is_refused_whole(
    database_url: str, data: bytes
) -> None:
    [said] = run_import(database_url, data)
    assert said in ("文件：不是有效的Excel文件（.xlsx）", "文件：Excel文件已损坏，无法读取")
    assert count(database_url, Posting) == 0 and count(database_url, Employer) == 0


def test_an_empty_workbook_or_one_with_only_a_header_imports_nothing(database_url: str) -> None:
    empty = Workbook()
    out = io.BytesIO()
    empty.save(out)
    assert run_import(database_url, out.getvalue()) == ["文件：文件是空的"]
    assert run_import(database_url, as_xlsx(list(HEADERS), [])) == ["文件：文件里没有岗位"]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("会计", "会计"),
        (4500, "4500"),
        (4500.0, "4500"),
        (4500.5, "4500.5"),
        (13800001234, "13800001234"),
        (13800001234.0, "13800001234"),
        (date(2026, 12, 31), "2026-12-31"),
        (datetime(2026, 12, 31, 17, 30), "2026-12-31"),
        (True, "True"),
    ],
)
def test_a_cell_reads_as_the_text_a_csv_would_hold(value: object, text: str) -> None:
    assert cell_text(value) == text
