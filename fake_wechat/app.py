"""The fake WeChat API as a Flask app (one process, state in memory)."""

from __future__ import annotations

import itertools
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, jsonify, request

ERROR_MESSAGES = {
    40001: "invalid credential, access_token is invalid or not latest",
    43004: "require subscribe",
    45015: "response out of time limit or subscription is canceled",
    45047: "out of response count limit",
}


@dataclass
class FakeWeChatState:
    tokens: set[str] = field(default_factory=set)
    token_fetches: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)
    errors_by_openid: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))


def create_fake_wechat_app() -> Flask:
    app = Flask(__name__)
    state = FakeWeChatState()
    app.extensions["fake_wechat"] = state

    def token_ok() -> bool:
        return request.args.get("access_token", "") in state.tokens

    def record(kind: str, openid: str, payload: dict[str, Any]):  # type: ignore[no-untyped-def]
        if not token_ok():
            return jsonify(errcode=40001, errmsg=ERROR_MESSAGES[40001])
        with state.lock:
            code = state.errors_by_openid.get(openid)
            if code:
                return jsonify(errcode=code, errmsg=ERROR_MESSAGES.get(code, "fake error"))
            entry = {
                "id": next(state.ids),
                "kind": kind,
                "openid": openid,
                "payload": payload,
                "at": time.time(),
            }
            state.sent.append(entry)
        return jsonify(errcode=0, errmsg="ok", msgid=entry["id"])

    @app.get("/cgi-bin/token")
    def token():  # type: ignore[no-untyped-def]
        if not request.args.get("appid") or not request.args.get("secret"):
            return jsonify(errcode=40013, errmsg="invalid appid")
        access_token = secrets.token_hex(16)
        with state.lock:
            state.tokens = {access_token}  # a new token invalidates the old one
            state.token_fetches += 1
        return jsonify(access_token=access_token, expires_in=7200)

    @app.post("/cgi-bin/message/custom/send")
    def custom_send():  # type: ignore[no-untyped-def]
        payload = request.get_json(force=True, silent=True) or {}
        return record("custom", str(payload.get("touser", "")), payload)

    @app.post("/cgi-bin/message/template/send")
    def template_send():  # type: ignore[no-untyped-def]
        payload = request.get_json(force=True, silent=True) or {}
        return record("template", str(payload.get("touser", "")), payload)

    @app.get("/_fake/messages")
    def messages():  # type: ignore[no-untyped-def]
        openid = request.args.get("openid")
        after = int(request.args.get("after", "0"))
        with state.lock:
            found = [
                entry
                for entry in state.sent
                if entry["id"] > after and (openid is None or entry["openid"] == openid)
            ]
        return jsonify(messages=found, token_fetches=state.token_fetches)

    @app.delete("/_fake/messages")
    def clear():  # type: ignore[no-untyped-def]
        with state.lock:
            state.sent.clear()
            state.errors_by_openid.clear()
        return jsonify(ok=True)

    @app.post("/_fake/errors")
    def set_error():  # type: ignore[no-untyped-def]
        payload = request.get_json(force=True, silent=True) or {}
        openid, code = str(payload.get("openid", "")), int(payload.get("errcode", 0))
        with state.lock:
            if code:
                state.errors_by_openid[openid] = code
            else:
                state.errors_by_openid.pop(openid, None)
        return jsonify(ok=True)

    @app.get("/_fake/health")
    def health():  # type: ignore[no-untyped-def]
        return jsonify(status="ok")

    return app
