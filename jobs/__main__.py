"""Staff's command line for postings (uses DATABASE_URL and DATA_KEY, as every process does).

  python -m jobs sample [--count N] [--seed S] OUT.csv   write an invented sample postings file
  python -m jobs import FILE.csv                          check every row, then add all or none
  python -m jobs pending                                  postings and employers awaiting review
  python -m jobs approve ID ... | reject ID ...           review postings
  python -m jobs approve-employer ID ... | reject-employer ID ...

Contacts are shown masked ("138****0001"). Exit status 1 when a file has errors or an id is not
found, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from jobs.contacts import masked_contact
from jobs.importer import import_postings
from jobs.postings import pending_employers, pending_postings, review
from jobs.sample import sample_csv
from settings import ConfigurationError, load_data_settings
from storage.db import session_scope
from storage.models import Employer, Posting


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m jobs", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    sample = commands.add_parser("sample", help="write an invented sample postings file")
    sample.add_argument("out", type=Path)
    sample.add_argument("--count", type=int, default=200)
    sample.add_argument("--seed", type=int, default=2023)
    imported = commands.add_parser("import", help="import a postings CSV: all rows or none")
    imported.add_argument("file", type=Path)
    commands.add_parser("pending", help="list what awaits review")
    for name in ("approve", "reject", "approve-employer", "reject-employer"):
        command = commands.add_parser(name)
        command.add_argument("ids", type=int, nargs="+")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "sample":
        args.out.write_text(sample_csv(args.count, date.today(), args.seed), encoding="utf-8")
        print(f"已生成 {args.count} 条示例岗位：{args.out}")
        return 0
    try:
        settings = load_data_settings()
    except ConfigurationError as error:
        print(f"配置有误：{error}", file=sys.stderr)
        return 2
    with session_scope(settings.database_url) as session:
        if args.command == "import":
            report = import_postings(
                session, args.file.read_bytes(), settings.data_key, date.today()
            )
            if not report.ok:
                session.rollback()
                print(f"没有导入任何岗位，请改正以下 {len(report.errors)} 处后重新导入：")
                for row_error in report.errors:
                    print(f"  {row_error}")
                return 1
            print(
                f"已导入 {report.imported} 条岗位（新单位 {report.new_employers} 家），"
                "待审核后对求职者可见。"
            )
            return 0
        if args.command == "pending":
            for employer in pending_employers(session):
                print(f"待审单位 {employer.id}：{employer.name}")
            for posting in pending_postings(session):
                contact = masked_contact(posting, settings.data_key) or "（联系方式无法打开）"
                print(
                    f"待审岗位 {posting.id}：{posting.title}｜{posting.employer.name}｜"
                    f"{posting.city}｜{posting.salary_min}-{posting.salary_max}元｜{contact}"
                )
            return 0
        kind = Employer if args.command.endswith("employer") else Posting
        missing = review(session, kind, args.ids, approve=args.command.startswith("approve"))
        if missing:
            session.rollback()
            print(f"找不到编号：{'、'.join(map(str, missing))}，未做任何修改。", file=sys.stderr)
            return 1
        print(f"已{'通过' if args.command.startswith('approve') else '驳回'} {len(args.ids)} 项。")
        return 0


if __name__ == "__main__":
    sys.exit(main())
