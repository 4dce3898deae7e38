"""Calls to WeChat's API: one shared access token, and one module per API group we use."""
