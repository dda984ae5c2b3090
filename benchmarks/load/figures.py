"""The arithmetic of the web-tier benchmark (web_tier.py), kept free of Locust so tests can import it.

A run climbs a ladder of offered rates (requests/s) and measures each step it stands on; a step
*holds* when its p95 stays within the bound, nothing failed and the server kept up with what was
offered. The run's figure is the highest step that held.
"""

import math
import statistics
from collections.abc import Callable

# Offered rates (requests/s) a run may stand on: about 15 % apart, so the sustained rate is found
# to that resolution.
LADDER = [4, 6, 8, 10, 12, 14, 16, 18, 20, 23, 26, 30, 34, 38, 43, 48, 54, 60, 68, 76, 86, 96]
KEPT_UP = 0.9  # a step where fewer than 90 % of the offered requests completed did not hold


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (`fraction` 0.95 for p95): the smallest value that at least that
    fraction of the values do not exceed. 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def step_figures(offered: float, seconds: float, times_ms: list[float], failures: int) -> dict:
    """One measured step: what was offered and what the server did with it."""
    return {
        "offered": offered,
        "rps": len(times_ms) / seconds if seconds > 0 else 0.0,
        "p50": percentile(times_ms, 0.50),
        "p95": percentile(times_ms, 0.95),
        "requests": len(times_ms),
        "failures": failures,
    }


def cores_used(before: dict, after: dict, seconds: float) -> dict[str, float]:
    """CPU seconds per second of each role between two readings of {role: {pid: CPU seconds}}.
    Counted process by process: one that ended between the readings is left out (its last moments
    are lost) instead of subtracting its whole life, which made PostgreSQL's backends read as
    negative cores; one that started in between counts from zero."""
    return {
        role: sum(cpu - before.get(role, {}).get(pid, 0.0) for pid, cpu in now.items()) / seconds
        for role, now in after.items()
    }


def holds(step: dict, bound_ms: float) -> bool:
    return (
        step["failures"] == 0
        and step["requests"] > 0
        and step["p95"] <= bound_ms
        and step["rps"] >= KEPT_UP * step["offered"]
    )


def walk(
    measure: Callable[[float], dict],
    bound_ms: float,
    *,
    start: int = 0,
    ladder: list[float] = LADDER,
    max_steps: int = 6,
) -> tuple[dict | None, list[dict]]:
    """Find the highest rate of the ladder that holds, starting at index `start`: climb while steps
    hold, step down while they do not, stop at the boundary (or after `max_steps` measurements).
    Returns the highest step that held (None if none did) and every measured step, in order."""
    measured: list[dict] = []
    best: dict | None = None
    index = min(max(start, 0), len(ladder) - 1)
    while len(measured) < max_steps:
        step = measure(ladder[index])
        step["index"] = index
        measured.append(step)
        if holds(step, bound_ms):
            best = step if best is None or step["offered"] > best["offered"] else best
            if index + 1 >= len(ladder) or any(
                s["index"] == index + 1 and not holds(s, bound_ms) for s in measured
            ):
                break
            index += 1
        else:
            if best is not None or index == 0:
                break
            index -= 1
    return best, measured


def spread(values: list[float]) -> dict:
    """Median and range of one figure over the runs."""
    if not values:
        return {"median": 0.0, "min": 0.0, "max": 0.0, "runs": 0}
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "runs": len(values),
    }
