"""A local fake of WeChat's API host: it issues tokens and records what would have been sent.

`make run` and the integration tests point `WECHAT_API_BASE_URL` here. Besides the API paths we
use, it has `/_fake/...` paths to read what was sent and to make a user's next sends fail with a
WeChat error code (45015, 43004 …).
"""
