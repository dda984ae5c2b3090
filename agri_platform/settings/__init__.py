"""Default settings: embedded mode unless DATABASE_URL / REDIS_URL say otherwise."""

from .base import *  # noqa: F403
