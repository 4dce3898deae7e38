"""The `/wechat` endpoint: WeChat's servers talk to us here."""

from webhook.views import wechat_blueprint

__all__ = ["wechat_blueprint"]
