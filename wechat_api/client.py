"""A wechatpy client that can point at a fake API host and shares one token between processes.

wechatpy 1.8.18 keeps the token's expiry per process and writes the token URL out in full; here
the token lives only in Redis (with a TTL a little under WeChat's), and one process at a time
refreshes it under a Redis lock, since fetching a new token invalidates the old one.
"""

from __future__ import annotations

import requests
from redis import Redis
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session.redisstorage import RedisStorage

from settings import Settings

# Refresh this long before WeChat's expiry, so no call carries a token about to die.
TOKEN_SAFETY_SECONDS = 300


class SharedTokenWeChatClient(WeChatClient):
    def __init__(
        self,
        appid: str,
        secret: str,
        api_base_url: str,
        redis: Redis,
        timeout: float = 5.0,
    ) -> None:
        super().__init__(
            appid, secret, session=RedisStorage(redis, prefix="wechat"), timeout=timeout
        )
        self.API_BASE_URL = api_base_url
        self._redis = redis

    def fetch_access_token(self) -> dict:
        response = self._http.get(
            f"{self.API_BASE_URL}token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
            timeout=self.timeout,
        )
        try:
            response.raise_for_status()
            result = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise WeChatClientException(
                errcode=None, errmsg=str(exc), client=self, response=response
            ) from exc
        if result.get("errcode"):
            raise WeChatClientException(
                result["errcode"], result.get("errmsg", ""), client=self, response=response
            )
        lifetime = int(result.get("expires_in", 7200))
        self.session.set(
            self.access_token_key,
            result["access_token"],
            max(lifetime - TOKEN_SAFETY_SECONDS, 60),
        )
        return result

    @property
    def access_token(self) -> str:
        token = self.session.get(self.access_token_key)
        if token:
            return token
        with self._redis.lock(
            f"wechat:{self.appid}:token-refresh", timeout=30, blocking_timeout=30
        ):
            token = self.session.get(self.access_token_key)
            if not token:
                self.fetch_access_token()
                token = self.session.get(self.access_token_key)
        return token


def make_wechat_client(settings: Settings, redis: Redis) -> SharedTokenWeChatClient:
    return SharedTokenWeChatClient(
        settings.wechat_app_id,
        settings.wechat_app_secret,
        settings.wechat_api_base_url,
        redis,
    )
