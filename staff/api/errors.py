"""The staff API's guard (who may call a view) and its JSON errors."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Response, current_app, g, jsonify, request
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from runtime import Runtime
from staff.accounts import Permission, may, member_with_token
from staff.api import staff_api
from storage.db import session_scope
from storage.models import StaffMember

View = TypeVar("View", bound=Callable[..., Any])


class ApiError(Exception):
    """Ends a view with a JSON error: ``{"error": message, **details}``."""

    def __init__(self, status: int, message: str, **details: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details


def error_response(status: int, message: str, **details: Any) -> Response:
    response = jsonify({"error": message, **details})
    response.status_code = status
    return response


@staff_api.errorhandler(ApiError)
def _api_error(error: ApiError) -> Response:
    return error_response(error.status, error.message, **error.details)


@staff_api.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    return error_response(error.code or 500, error.description or error.name)


def _runtime() -> Runtime:
    return current_app.extensions["runtime"]


def _bearer_token() -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def requires(*permissions: Permission) -> Callable[[View], View]:
    """Run the view for an active member whose role has every one of ``permissions``, inside one
    database transaction (``g.session``; the member is ``g.member``). An ``ApiError`` rolls it
    back."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            with session_scope(_runtime().settings.database_url) as session:
                member = member_with_token(session, _bearer_token())
                if member is None:
                    return error_response(
                        401, "请提供有效的工作人员令牌（Authorization: Bearer …）"
                    )
                if not all(may(member, permission) for permission in permissions):
                    return error_response(403, "您的角色没有这项权限")
                g.session, g.member = session, member
                return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorate


def current_session() -> Session:
    return g.session


def current_member() -> StaffMember:
    return g.member


def data_key() -> str:
    return _runtime().settings.data_key


def json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "请求体应为 JSON 对象")
    return body


def id_list(
    body: dict[str, Any], name: str = "ids", least: int = 1, most: int = 10_000
) -> list[int]:
    """The ids (whole numbers) the body gives as ``name``, repeats dropped: ``least`` to
    ``most`` of them, else 400."""
    ids = body.get(name, [] if least == 0 else None)
    if (
        not isinstance(ids, list)
        or not least <= len(ids) <= most
        or not all(isinstance(item, int) and not isinstance(item, bool) for item in ids)
    ):
        raise ApiError(400, f"“{name}”应为编号（整数）列表，{least} 到 {most} 个")
    return list(dict.fromkeys(ids))


def paging(max_limit: int = 200) -> tuple[int, int]:
    """``limit`` (50 unless given, at most ``max_limit``) and ``after_id`` (0) from the query."""
    try:
        limit = int(request.args.get("limit", "50"))
        after_id = int(request.args.get("after_id", "0"))
    except ValueError as error:
        raise ApiError(400, "“limit”和“after_id”应为整数") from error
    if not 1 <= limit <= max_limit:
        raise ApiError(400, f"“limit”应在 1 到 {max_limit} 之间")
    return limit, after_id
