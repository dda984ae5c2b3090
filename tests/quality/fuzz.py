"""API fuzzing with schemathesis against a real server (docs/quality.md, `.ci/quality`).

    python -m tests.quality.fuzz [--max-examples 25] [--modes enterprise,partner,staff]

Recreates the fuzzing database (QUALITY_DATABASE_URL, default agri_ci_quality), migrates it, loads
the fuzzing world (tests/quality/fuzz_world.py), starts gunicorn and a real Celery worker on Redis
(QUALITY_REDIS_URL, default db 10) and runs `schemathesis run` on /api/schema/ once per caller:
an enterprise owner's bearer token, a partner API key with every scope, a staff bearer token.
Every operation, schemathesis' default checks; the exit code is non-zero on any failure.
Exclusions (with their reasons) are listed in EXCLUDED below and in docs/quality.md.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.quality import servers

# Operations left out of a caller's run, with the reason (also in docs/quality.md).
EXCLUDED: dict[str, list[tuple[str, str]]] = {
    # Logging out (here or everywhere) revokes the very token the run authenticates with: every
    # later request would be 401. Covered by tests/accounts/test_auth.py and
    # tests/accounts/test_account_security.py.
    "enterprise": [
        ("POST /api/v1/auth/logout/", "revokes the run's own token"),
        ("POST /api/v1/auth/logout-everywhere/", "revokes the run's own token"),
    ],
    "staff": [
        ("POST /api/v1/auth/logout/", "revokes the run's own token"),
        ("POST /api/v1/auth/logout-everywhere/", "revokes the run's own token"),
    ],
    "partner": [],
}

LONG_REQUEST_LINES = ["--limit-request-line", "0", "--limit-request-field_size", "0"]

# The fuzzing server is not the place to test throttling (tests/api/test_throttling.py does):
# schemathesis sends hundreds of requests a minute from one caller.
RELAXED_THROTTLES = {
    "THROTTLE_RATE_CALLER": "100000/min",
    "THROTTLE_RATE_ANON": "100000/min",
    "THROTTLE_RATE_LOGIN": "100000/min",
    "THROTTLE_RATE_PUBLIC_LOOKUP": "100000/min",
}


def run_mode(mode: str, base: str, header: str, args, report_dir: Path) -> dict:
    argv = [
        str(servers.BIN / "schemathesis"),
        "--config-file",
        str(Path(__file__).with_name("schemathesis.toml")),
        "run",
        f"{base}/api/schema/",
        "--url",
        base,
        "-H",
        f"Authorization: {header}",
        "--max-examples",
        str(args.max_examples),
        "--workers",
        str(args.workers),
        "--seed",
        str(args.seed),
        "--request-timeout",
        "30",
        "--no-color",
        "--report",
        "junit",
        "--report-junit-path",
        str(report_dir / f"{mode}.xml"),
        "--output-truncate",
        "true",
    ]
    for operation, _reason in EXCLUDED[mode]:
        _method, path = operation.split(" ", 1)  # each excluded path has only that one method
        argv += ["--exclude-path", path]
    if args.phases:
        argv += ["--phases", args.phases]
    started = time.monotonic()
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.quality.schemathesis_hooks"}
    result = subprocess.run(argv, cwd=servers.ROOT, env=env, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    log = report_dir / f"{mode}.log"
    log.write_text(result.stdout + result.stderr)
    print(result.stdout[-6000:] if result.returncode == 0 else result.stdout[-30000:])
    if result.stderr.strip():
        print(result.stderr[-3000:], file=sys.stderr)
    return {"mode": mode, "exit": result.returncode, "seconds": round(elapsed, 1), "log": str(log)}


def _terminate(signum, frame):
    raise SystemExit(f"stopped by signal {signum}")  # runs the finally: servers are stopped


def main() -> int:
    signal.signal(signal.SIGTERM, _terminate)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=10)
    # One worker thread: with two, Hypothesis sometimes parses lambdas' source in both threads at
    # once and CPython 3.11's ast module fails ("AST constructor recursion depth mismatch"), a
    # runtime error of the tool that fails the run with no finding about the API.
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--modes", default="enterprise,partner,staff")
    # The coverage phase alone takes about 6 minutes per caller on 2 cores: CI leaves it out, the
    # full run (docs/quality.md) includes it: --phases examples,coverage,fuzzing,stateful
    parser.add_argument("--phases", default="examples,fuzzing,stateful")
    parser.add_argument("--keep-db", action="store_true", help="do not recreate the database")
    args = parser.parse_args()

    database_url = os.environ.get(
        "QUALITY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/agri_ci_quality"
    )
    redis_url = os.environ.get("QUALITY_REDIS_URL", "redis://127.0.0.1:6379/10")
    report_dir = Path(os.environ.get("QUALITY_REPORT_DIR") or tempfile.mkdtemp(prefix="fuzz-"))
    report_dir.mkdir(parents=True, exist_ok=True)
    env = servers.prepare(database_url, redis_url, keep_db=args.keep_db, **RELAXED_THROTTLES)
    credentials_path = report_dir / "credentials.json"
    subprocess.run(
        [servers.PYTHON, "-m", "tests.quality.fuzz_world", str(credentials_path)],
        cwd=servers.ROOT,
        env=env,
        check=True,
    )
    credentials = json.loads(credentials_path.read_text())

    port = servers.free_port()
    base = f"http://127.0.0.1:{port}"
    started: list[servers.Service] = []
    results = []
    try:
        started.append(servers.celery_worker(env, report_dir))
        # Hypothesis builds query strings longer than gunicorn's default request-line limit (4094
        # bytes), which gunicorn itself answers with an HTML 414 before Django sees the request.
        started.append(
            servers.gunicorn(env, report_dir, port=port, workers=2, extra_args=LONG_REQUEST_LINES)
        )
        for mode in args.modes.split(","):
            print(f"\n--- schemathesis as {mode} ---", flush=True)
            results.append(run_mode(mode, base, credentials[mode], args, report_dir))
    finally:
        for service in reversed(started):
            service.stop()
        credentials_path.unlink(missing_ok=True)

    server_errors = [
        line
        for line in (report_dir / "gunicorn.log").read_text().splitlines()
        if "Traceback" in line
    ]
    print("\nschemathesis summary")
    for r in results:
        print(
            f"  {r['mode']:<11} {'PASS' if r['exit'] == 0 else 'FAIL'}  {r['seconds']:>6}s  {r['log']}"
        )
    if server_errors:
        print(f"  server logged {len(server_errors)} traceback(s): {report_dir / 'gunicorn.log'}")
    return 0 if results and all(r["exit"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
