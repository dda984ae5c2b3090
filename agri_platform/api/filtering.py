"""Helpers shared by the apps' FilterSets."""

from datetime import datetime, timedelta

from django.utils import timezone

# An age filter (`min_age_days`, `max_age_days`) further back than this means "any age".
MAX_AGE_DAYS = 36_500


def days_ago(value) -> datetime:
    """`now - value days`, the value clamped to ±100 years: django-filter's NumberFilter accepts any
    decimal, and timedelta overflows past ~2.7 million days (a 500 found by schemathesis)."""
    days = max(-MAX_AGE_DAYS, min(float(value), MAX_AGE_DAYS))
    return timezone.now() - timedelta(days=days)
