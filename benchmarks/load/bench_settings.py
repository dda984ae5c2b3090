"""Settings of the load-test server: the project's, plus one plain Django view (bench_urls.py).

Throttles are raised: the load test is one client machine sending a fixed rate, not the traffic the
per-caller throttles are for (tests/api/test_throttling.py covers them).
"""

from agri_platform.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
REST_FRAMEWORK = {**REST_FRAMEWORK}  # noqa: F405
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
    "caller": "1000000/min",
    "anon": "1000000/min",
    "public_lookup": "1000000/min",
}
