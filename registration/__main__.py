"""Staff's command line for registrations (uses DATABASE_URL and DATA_KEY, as every process does).

  python -m registration list [--status S] [--city C] [--group G] [--from DAY] [--to DAY]
                              [--limit N]           oldest first, the first 100 unless told
  python -m registration show REFERENCE             one registration and its services
  python -m registration approve REFERENCE [--reason TEXT]
  python -m registration reject REFERENCE --reason TEXT
  python -m registration exit REFERENCE --reason TEXT
  python -m registration service REFERENCE --kind K --channel C --by USERNAME [--detail D]
                                 [--posting ID ...]  a service the staff member USERNAME gave
  python -m registration export OUT.csv [--status S] [--city C] [--group G] [--from DAY] [--to DAY]

Statuses: pending, registered, rejected, exited (or 待审核, 已登记, 未通过, 已退出); days are
YYYY-MM-DD, China time. Kinds: policy_briefing, career_guidance, job_recommendation,
training_offer; channels: wechat, phone, in_person, sms. ``--by`` is needed because the ledger
counts a service given by no one as the bot's. Personal data is shown masked only (opening it in
clear is for supervisors, through the staff API). Decisions, services and exports are written to
the audit log. Exit status 1 when a registration, posting or staff member is not found or a
decision or service is refused, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from registration.ledger import CHANNELS, KIND_NAMES, LedgerError, record_service
from registration.listing import (
    FilterError,
    RegistrationFilter,
    china_time,
    details,
    export_registrations,
    find_registration,
    masked,
    parse_filter,
    registrations_csv,
    registrations_query,
    unknown_postings,
)
from registration.store import DECISION_NAMES, DecisionError, decide
from settings import ConfigurationError, DataSettings, load_data_settings
from staff import audit
from staff.accounts import member_named
from storage.db import session_scope
from storage.models import Registration, utcnow

LIST_LIMIT = 100


class CommandError(Exception):
    """Ends a command with a message and an exit status."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m registration", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="registrations matching the filters")
    _filter_arguments(listing)
    listing.add_argument("--limit", type=int, default=LIST_LIMIT)
    commands.add_parser("show", help="one registration and its services").add_argument("reference")
    for decision, reason_required in (("approve", False), ("reject", True), ("exit", True)):
        command = commands.add_parser(decision, help=DECISION_NAMES[decision])
        command.add_argument("reference")
        command.add_argument("--reason", required=reason_required, default="")
    service = commands.add_parser("service", help="record a service given")
    service.add_argument("reference")
    service.add_argument("--kind", required=True, choices=list(KIND_NAMES))
    service.add_argument("--channel", required=True, choices=list(CHANNELS))
    service.add_argument("--by", required=True, metavar="USERNAME")
    service.add_argument("--detail", default="")
    service.add_argument("--posting", type=int, nargs="+", action="extend", default=[])
    export = commands.add_parser("export", help="write matching registrations to a CSV file")
    export.add_argument("out", type=Path)
    _filter_arguments(export)
    return parser


def _filter_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--status")
    command.add_argument("--city")
    command.add_argument("--group")
    command.add_argument("--from", dest="submitted_from", metavar="DAY")
    command.add_argument("--to", dest="submitted_to", metavar="DAY")


def _filters(args: argparse.Namespace) -> RegistrationFilter:
    try:
        return parse_filter(
            args.status, args.city, args.group, args.submitted_from, args.submitted_to
        )
    except FilterError as error:
        raise CommandError(str(error), status=2) from error


def _registration(session: Session, reference: str) -> Registration:
    registration = find_registration(session, reference)
    if registration is None:
        raise CommandError(f"找不到登记编号 {reference}。")
    return registration


def _line(view: dict[str, Any], registration: Registration) -> str:
    return (
        f"{view['reference']}｜{view['status_name']}｜{view['name']}｜{view['id_number']}｜"
        f"{view['phone']}｜{view['city']}{view['district']}｜{view['group']}｜"
        f"{china_time(registration.submitted_at)}"
    )


def list_registrations(session: Session, settings: DataSettings, args: argparse.Namespace) -> None:
    if args.limit < 1:
        raise CommandError("--limit 至少为 1。", status=2)
    query = registrations_query(_filters(args), limit=args.limit + 1)
    registrations = list(session.execute(query).scalars())
    for registration in registrations[: args.limit]:
        print(_line(masked(registration, settings.data_key), registration))
    if not registrations:
        print("没有符合条件的登记。")
    elif len(registrations) > args.limit:
        print(f"（只列出前 {args.limit} 条；用 --limit 列出更多，或用 export 导出全部。）")


def show(session: Session, settings: DataSettings, args: argparse.Namespace) -> None:
    registration = _registration(session, args.reference)
    view = details(session, registration, settings.data_key)
    print(_line(view, registration))
    print(f"登记地类型：{view['place_kind']}")
    print(f"原工作：{view['last_job']}（{view['leave_reason']}）")
    print(f"求职意向：{view['wanted_job']}，{view['wanted_city']}")
    print(f"需要培训：{'是' if view['wants_training'] else '否'}")
    if registration.reviewed_at is not None:
        reason = f"，原因：{view['decision_reason']}" if view["decision_reason"] else ""
        print(f"审核：{china_time(registration.reviewed_at)}{reason}")
    services = view["services"]
    print(f"服务记录（{len(services)} 条）：" if services else "服务记录：暂无")
    for service in services:
        postings = "、".join(map(str, service["posting_ids"]))
        provided = china_time(datetime.fromisoformat(service["provided_at"]))
        print(
            f"  {provided}｜{service['kind_name']}｜"
            f"{service['channel_name']}｜{'工作人员' if service['by_staff'] else '机器人'}｜"
            f"{service['detail']}{f'（岗位 {postings}）' if postings else ''}"
        )
    owed = "、".join(f"{KIND_NAMES[kind]} {count}" for kind, count in view["still_owed"].items())
    print(f"还需提供：{owed or '无'}")


def decide_command(session: Session, settings: DataSettings, args: argparse.Namespace) -> None:
    registration = _registration(session, args.reference)
    try:
        decide(session, registration, args.command, args.reason, None, utcnow())
    except DecisionError as error:
        raise CommandError(f"{error}，未做任何修改。") from error
    audit.record(session, None, f"{args.command}_registration", f"registration:{args.reference}")
    print(
        f"已{DECISION_NAMES[args.command]}登记 {args.reference}。"
        "结果会通过公众号告诉申请人（在对方 48 小时内发过消息时发出）。"
    )


def service_command(session: Session, settings: DataSettings, args: argparse.Namespace) -> None:
    registration = _registration(session, args.reference)
    member = member_named(session, args.by)
    if member is None:
        raise CommandError(
            f"找不到工作人员账号 {args.by}（见 python -m staff list），未做任何记录。"
        )
    missing = unknown_postings(session, args.posting)
    if missing:
        raise CommandError(f"找不到岗位编号：{'、'.join(map(str, missing))}，未做任何记录。")
    try:
        record_service(
            session, registration, args.kind, args.channel, args.detail, args.posting, member
        )
    except LedgerError as error:
        raise CommandError(f"{error}，未做任何记录。") from error
    audit.record(session, None, "record_service", f"registration:{args.reference}")
    print(f"已为登记 {args.reference} 记录{KIND_NAMES[args.kind]}（{CHANNELS[args.channel]}）。")


def export(session: Session, settings: DataSettings, args: argparse.Namespace) -> None:
    filters = _filters(args)
    try:
        registrations = export_registrations(session, filters)
    except FilterError as error:
        raise CommandError(str(error)) from error
    # Written before the audit entry commits: a file that cannot be written is not recorded.
    try:
        args.out.write_text(registrations_csv(registrations, settings.data_key), encoding="utf-8")
    except OSError as error:
        raise CommandError(f"无法写入 {args.out}：{error.strerror or error}") from error
    audit.record(
        session, None, "export_registrations", f"{len(registrations)} rows {filters.describe()}"
    )
    print(f"已导出 {len(registrations)} 条登记到 {args.out}（个人信息已打码）。")


COMMANDS = {
    "list": list_registrations,
    "show": show,
    "approve": decide_command,
    "reject": decide_command,
    "exit": decide_command,
    "service": service_command,
    "export": export,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_data_settings()
    except ConfigurationError as error:
        print(f"配置有误：{error}", file=sys.stderr)
        return 2
    try:
        with session_scope(settings.database_url) as session:
            COMMANDS[args.command](session, settings, args)
    except CommandError as error:
        print(error, file=sys.stderr)
        return error.status
    return 0


if __name__ == "__main__":
    sys.exit(main())
