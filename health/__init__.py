"""`/healthz`: is every component the bot needs ready?"""

from health.views import health_blueprint

__all__ = ["health_blueprint"]
