"""The arithmetic of the web-tier benchmark (benchmarks/load/figures.py): percentiles, when a step of
offered load holds, and the walk that finds the highest rate that holds. Speed is not asserted."""

from benchmarks.load import figures


def test_percentile_is_the_nearest_rank():
    times = [float(ms) for ms in range(1, 101)]  # 1 .. 100 ms
    assert figures.percentile(times, 0.95) == 95.0
    assert figures.percentile(times, 0.50) == 50.0
    assert figures.percentile(list(reversed(times)), 0.95) == 95.0
    assert figures.percentile([7.0], 0.95) == 7.0
    assert figures.percentile([], 0.95) == 0.0


def test_step_figures_rate_is_completions_per_second():
    step = figures.step_figures(10, 4.0, [20.0] * 37 + [400.0, 400.0, 500.0], failures=0)
    assert step["rps"] == 10.0
    assert step["p50"] == 20.0
    assert step["p95"] == 400.0  # rank 38 of 40: the 2 slowest lie above it
    assert step["requests"] == 40


def step(offered, rps, p95, failures=0):
    return {"offered": offered, "rps": rps, "p50": p95 / 2, "p95": p95, "requests": 100,
            "failures": failures}  # fmt: skip


def test_a_step_holds_only_within_the_bound_without_failures_and_keeping_up():
    assert figures.holds(step(20, 19.5, 300), bound_ms=300)
    assert not figures.holds(step(20, 19.5, 301), bound_ms=300)
    assert not figures.holds(step(20, 19.5, 100, failures=1), bound_ms=300)
    assert not figures.holds(step(20, 17.0, 100), bound_ms=300)  # served < 90 % of the offer


def server_holding(limit):
    """A fake measurement: p95 is fine up to `limit` requests/s, then over the bound."""
    offered_rates = []

    def measure(offered):
        offered_rates.append(offered)
        return step(offered, offered, 100 if offered <= limit else 900)

    return measure, offered_rates


LADDER = [4, 6, 8, 10, 12, 14]


def test_the_walk_climbs_to_the_highest_rate_that_holds():
    measure, offered = server_holding(11)
    best, steps = figures.walk(measure, 300, start=1, ladder=LADDER)
    assert best["offered"] == 10
    assert offered == [6, 8, 10, 12]  # stops at the first step over the bound
    assert [s["index"] for s in steps] == [1, 2, 3, 4]


def test_the_walk_descends_when_the_start_does_not_hold():
    measure, offered = server_holding(7)
    best, _ = figures.walk(measure, 300, start=4, ladder=LADDER)
    assert best["offered"] == 6
    assert offered == [12, 10, 8, 6]  # 8 failed already: no climbing back


def test_the_walk_reports_none_when_even_the_lowest_rate_fails():
    measure, offered = server_holding(1)
    best, _ = figures.walk(measure, 300, start=1, ladder=LADDER)
    assert best is None
    assert offered == [6, 4]


def test_the_walk_stops_at_the_top_of_the_ladder_and_after_max_steps():
    measure, offered = server_holding(100)
    best, _ = figures.walk(measure, 300, start=3, ladder=LADDER)
    assert best["offered"] == 14 and offered == [10, 12, 14]
    measure, offered = server_holding(100)
    best, _ = figures.walk(measure, 300, start=0, ladder=LADDER, max_steps=2)
    assert best["offered"] == 6 and offered == [4, 6]


def test_spread_is_the_median_and_range():
    assert figures.spread([3.0, 1.0, 2.0, 10.0]) == {
        "median": 2.5,
        "min": 1.0,
        "max": 10.0,
        "runs": 4,
    }
    assert figures.spread([])["runs"] == 0


def test_cores_are_counted_process_by_process():
    before = {"postgres": {10: 5.0, 11: 40.0}, "machine": {0: 100.0}}
    # backend 11 ended between the readings, backend 12 started: neither makes the sum negative
    after = {"postgres": {10: 6.0, 12: 0.5}, "machine": {0: 104.0}}
    used = figures.cores_used(before, after, seconds=2.0)
    assert used == {"postgres": 0.75, "machine": 2.0}
