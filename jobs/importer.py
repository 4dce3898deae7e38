"""Importing postings from a file staff upload, CSV or Excel (.xlsx): every row checked first,
then all written in one transaction, or none when any row has an error.

Imported postings wait for review (``pending``); an employer not seen before is created pending
too. Each error names its row (as the spreadsheet numbers it, the header being row 1), its column
and what to fix.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from sqlalchemy import select
from sqlalchemy.orm import Session

from jobs.geo import coordinates_of
from jobs.layout import COLUMNS, HEADERS, CellError, clean
from storage.db import refresh_statistics
from storage.models import Employer, Posting
from storage.sealed import seal

MAX_ROWS = 20_000
MAX_FILE_BYTES = 20 * 1024 * 1024
ENCODINGS = ("utf-8-sig", "gb18030")
# Every .xlsx file is a zip archive, and starts as one.
XLSX_MAGIC = b"PK\x03\x04"
# Existing employers are looked up this many names at a time (SQLite allows 32,766 parameters).
NAMES_PER_QUERY = 1000


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str  # the header, or "" for the row or the file as a whole
    message: str

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row else "文件"
        return f"{where}{f'“{self.column}”' if self.column else ''}：{self.message}"


@dataclass(frozen=True)
class ImportReport:
    imported: int = 0
    new_employers: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class FileError(ValueError):
    """The file as a whole cannot be read as a postings file."""


def decode(data: bytes) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise FileError(f"文件超过{MAX_FILE_BYTES // (1024 * 1024)}MB")
    for encoding in ENCODINGS:
        try:
            # NUL bytes make no text and stop Python's CSV reader: they go before it reads.
            return data.decode(encoding).replace("\x00", "")
        except UnicodeDecodeError:
            continue
    raise FileError("文件不是UTF-8或GBK编码的CSV")


def read_rows(text: str) -> list[dict[str, str]]:
    """The rows of a CSV text, as header → cell; ``FileError`` when the header is not ours."""
    reader = csv.reader(io.StringIO(text))
    try:
        return rows_under_header(reader)
    except csv.Error as error:
        raise FileError(f"第{reader.line_num}行不是有效的CSV：{error}") from error


def read_workbook(data: bytes) -> list[dict[str, str]]:
    """The rows of the first sheet of an Excel workbook, as header → cell text."""
    if len(data) > MAX_FILE_BYTES:
        raise FileError(f"文件超过{MAX_FILE_BYTES // (1024 * 1024)}MB")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as error:
        raise FileError("不是有效的Excel文件（.xlsx）") from error
    try:
        sheet = workbook.worksheets[0]
        return rows_under_header(
            [cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)
        )
    except FileError:
        raise  # what is wrong with the rows themselves
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise FileError("Excel文件已损坏，无法读取") from error
    finally:
        workbook.close()


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a CSV would hold: dates as YYYY-MM-DD, whole numbers
    without ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def rows_under_header(lines: Iterable[list[str]]) -> list[dict[str, str]]:
    """Rows as header → cell, from the header line and those after it (CSV or sheet)."""
    cells_by_line: Iterator[list[str]] = iter(lines)
    try:
        header = [clean(cell) for cell in next(cells_by_line)]
    except StopIteration as error:
        raise FileError("文件是空的") from error
    while header and not header[-1]:
        header.pop()  # a sheet's empty columns to the right
    missing = [name for name in HEADERS if name not in header]
    unknown = [name for name in header if name and name not in HEADERS]
    if missing or unknown:
        parts = [f"缺少列：{'、'.join(missing)}" if missing else ""]
        parts.append(f"不认得的列：{'、'.join(unknown)}" if unknown else "")
        raise FileError("；".join(part for part in parts if part))
    rows: list[dict[str, str]] = []
    for cells in cells_by_line:
        if not any(clean(cell) for cell in cells):
            rows.append({})  # a blank line keeps the row numbers right, and is skipped
            continue
        rows.append({name: cells[at] if at < len(cells) else "" for at, name in enumerate(header)})
        if len(rows) > MAX_ROWS:
            raise FileError(f"一次最多导入{MAX_ROWS}行")
    return rows


def read_file(data: bytes) -> list[dict[str, str]]:
    """The rows of an uploaded postings file: an Excel workbook, else a CSV text."""
    if data.startswith(XLSX_MAGIC):
        return read_workbook(data)
    return read_rows(decode(data))


def check_rows(
    rows: Sequence[dict[str, str]], today: date
) -> tuple[list[dict[str, Any]], list[RowError]]:
    """Each row's values, and every error of every row."""
    values: list[dict[str, Any]] = []
    errors: list[RowError] = []
    seen: dict[tuple[Any, ...], int] = {}
    for number, row in enumerate(rows, start=2):
        if not row:
            continue
        value: dict[str, Any] = {"row": number}
        row_errors = []
        for column in COLUMNS:
            try:
                value[column.field] = column.read(clean(row.get(column.header, "")), today)
            except CellError as error:
                row_errors.append(RowError(number, column.header, str(error)))
        if not row_errors and value["salary_min"] > value["salary_max"]:
            row_errors.append(RowError(number, "月薪下限", "不能高于月薪上限"))
        if not row_errors:
            key = tuple(value[column.field] for column in COLUMNS)
            if key in seen:
                row_errors.append(RowError(number, "", f"与第{seen[key]}行重复"))
            seen.setdefault(key, number)
        errors.extend(row_errors)
        if not row_errors:
            values.append(value)
    return values, errors


def employers_named(session: Session, names: Sequence[str]) -> dict[str, Employer]:
    """The employers of these names that exist, by name: a query per thousand names."""
    found: dict[str, Employer] = {}
    for start in range(0, len(names), NAMES_PER_QUERY):
        chunk = names[start : start + NAMES_PER_QUERY]
        query = select(Employer).where(Employer.name.in_(chunk))
        found.update((employer.name, employer) for employer in session.execute(query).scalars())
    return found


def import_postings(session: Session, data: bytes, data_key: str, today: date) -> ImportReport:
    """Check every row of the file ``data`` (CSV or .xlsx) and, when none has an error, add them
    all."""
    try:
        rows = read_file(data)
    except FileError as error:
        return ImportReport(errors=[RowError(0, "", str(error))])
    values, errors = check_rows(rows, today)
    if errors:
        return ImportReport(errors=errors)
    if not values:
        return ImportReport(errors=[RowError(0, "", "文件里没有岗位")])
    names = list(dict.fromkeys(value["employer"] for value in values))
    employers = employers_named(session, names)
    known = len(employers)
    for name in names:
        if name not in employers:
            employers[name] = Employer(name=name)
    session.add_all(
        Posting(
            employer=employers[value["employer"]],
            **coordinates_of(value["city"], value["district"]),
            title=value["title"],
            city=value["city"],
            district=value["district"] or None,
            salary_min=value["salary_min"],
            salary_max=value["salary_max"],
            requirements=value["requirements"],
            education=value["education"],
            suits=value["suits"],
            part_time=value["part_time"],
            contact_sealed=seal(value["contact"], data_key),
            source=value["source"],
            valid_until=value["valid_until"],
        )
        for value in values
    )
    session.flush()
    refresh_statistics(session, "employers", "postings")
    return ImportReport(imported=len(values), new_employers=len(employers) - known)
