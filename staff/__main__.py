"""Staff accounts from the command line (uses DATABASE_URL, as every process does).

  python -m staff add USERNAME --role ROLE   make an account; prints its API token once
  python -m staff token USERNAME             a new token (the old one stops working)
  python -m staff disable USERNAME | enable USERNAME
  python -m staff list

Roles: postings_officer, registration_officer, registration_supervisor (may open personal data),
admin. Exit status 1 when the account cannot be made or found, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import sys

from settings import ConfigurationError, load_data_settings
from staff.accounts import ROLES, AccountError, add_member, members, renew_token, set_active
from storage.db import session_scope


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m staff", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="make an account and print its token")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=sorted(ROLES))
    for name in ("token", "disable", "enable"):
        commands.add_parser(name).add_argument("username")
    commands.add_parser("list", help="list the accounts")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_data_settings()
    except ConfigurationError as error:
        print(f"配置有误：{error}", file=sys.stderr)
        return 2
    try:
        with session_scope(settings.database_url) as session:
            if args.command == "add":
                member, token = add_member(session, args.username, args.role)
                print(f"已创建 {member.username}（{member.role}）。API 令牌只显示这一次：\n{token}")
            elif args.command == "token":
                token = renew_token(session, args.username)
                print(f"{args.username} 的新令牌（旧令牌已失效）：\n{token}")
            elif args.command in ("disable", "enable"):
                set_active(session, args.username, args.command == "enable")
                print(f"已{'停用' if args.command == 'disable' else '启用'} {args.username}。")
            else:
                for member in members(session):
                    state = "" if member.active else "（已停用）"
                    print(f"{member.username}\t{member.role}{state}")
    except AccountError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
