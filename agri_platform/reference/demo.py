"""Reference data for the demo: the shipped subsets (countries, currencies, places, HS codes,
prefectures, cold-chain profiles). Runs before enterprises/demo.py (INSTALLED_APPS order)."""

from .loading import load_reference_data


def seed(log) -> None:
    results = load_reference_data()
    added = sum(summary.added for summary in results.values())
    updated = sum(summary.updated for summary in results.values())
    log(f"reference data: {added} rows added, {updated} updated")
