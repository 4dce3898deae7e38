"""Chat with the running bot through the real webhook, as WeChat would deliver your messages.

Passive replies print as they come back; customer-service messages that the fake WeChat API
received for you (late answers, pushes) print as they arrive.

Commands: /voice TEXT (a voice message with recognised text), /location LAT LNG LABEL,
/follow, /unfollow, /image, /quit.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import threading
import time

import requests

from chat.wechat_sender import (
    WeChatSender,
    event_xml,
    image_xml,
    location_xml,
    next_msg_id,
    text_xml,
    voice_xml,
)
from settings import ConfigurationError, load_settings

BOT = "\033[32m就业助手\033[0m"
PUSH = "\033[36m就业助手（客服消息）\033[0m"


def watch_pushes(fake_api: str, openid: str, stop: threading.Event) -> None:
    """Print customer-service and template messages the fake WeChat API recorded for us."""
    after = 0
    url = fake_api.rstrip("/").rsplit("/cgi-bin", 1)[0] + "/_fake/messages"
    with contextlib.suppress(requests.RequestException, ValueError, KeyError):
        after = max((m["id"] for m in requests.get(url, timeout=2).json()["messages"]), default=0)
    while not stop.is_set():
        try:
            found = requests.get(
                url, params={"openid": openid, "after": str(after)}, timeout=2
            ).json()
            for message in found["messages"]:
                after = max(after, message["id"])
                payload = message["payload"]
                text = payload.get("text", {}).get("content") or str(payload.get("data", ""))
                print(f"\n{PUSH}：{text}\n你：", end="", flush=True)
        except (requests.RequestException, ValueError, KeyError):
            pass
        stop.wait(1.0)


def build_xml(line: str, openid: str) -> str:
    if line.startswith("/voice "):
        return voice_xml(openid, line[len("/voice ") :], next_msg_id())
    if line.startswith("/location"):
        parts = line.split(maxsplit=3)
        latitude, longitude = (
            (float(parts[1]), float(parts[2])) if len(parts) > 2 else (30.59, 114.30)
        )
        label = parts[3] if len(parts) > 3 else "湖北省武汉市江汉区"
        return location_xml(openid, latitude, longitude, label, next_msg_id())
    if line == "/follow":
        return event_xml(openid, "subscribe")
    if line == "/unfollow":
        return event_xml(openid, "unsubscribe")
    if line == "/image":
        return image_xml(openid, next_msg_id())
    return text_xml(openid, line, next_msg_id())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--openid", default="o_chat_tester_0001", help="the WeChat user to be")
    parser.add_argument("--url", default=None, help="webhook URL (default: from PORT)")
    parser.add_argument("--safe-mode", action="store_true", help="encrypt messages (AES mode)")
    args = parser.parse_args()

    os.environ.setdefault("APP_ENV", "development")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6390/0")
    try:
        settings = load_settings()
    except ConfigurationError as exc:
        raise SystemExit(str(exc)) from exc
    sender = WeChatSender(
        webhook_url=args.url or f"http://127.0.0.1:{settings.port}/wechat",
        token=settings.wechat_token,
        app_id=settings.wechat_app_id,
        aes_key=settings.wechat_encoding_aes_key,
        safe_mode=args.safe_mode,
    )
    print(__doc__)
    print(f"You are {args.openid}. Webhook: {sender.webhook_url}\n")

    stop = threading.Event()
    if settings.uses_fake_wechat:
        threading.Thread(
            target=watch_pushes, args=(settings.wechat_api_base_url, args.openid, stop), daemon=True
        ).start()
    try:
        while True:
            try:
                line = input("你：").strip()
            except EOFError:
                break
            if not line:
                continue
            if line == "/quit":
                break
            started = time.monotonic()
            try:
                response = sender.post(build_xml(line, args.openid))
            except requests.RequestException as exc:
                print(f"(the webhook did not answer: {exc}; is `make run` running?)")
                continue
            elapsed = time.monotonic() - started
            if response.status_code != 200:
                print(f"(HTTP {response.status_code}: {response.text[:200]})")
                continue
            reply = sender.reply_text(response)
            if reply is None:
                print(
                    f"(no passive reply after {elapsed:.1f}s; "
                    "any answer follows as a customer-service message)"
                )
            else:
                print(f"{BOT}：{reply}   \033[2m({elapsed:.2f}s)\033[0m")
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        print()
        sys.exit(0)


if __name__ == "__main__":
    main()
