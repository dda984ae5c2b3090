"""The load side of web_tier.py, run by it as a subprocess: `ladder.py <plan.json>`.

Drives the load test's mix (locustfile.py: PartnerSystem and EnterprisePortal, tasks tagged
`mix`, every user 1 request/s) with the locustfile's users paced by greenlets of its own (`Run`),
so the offered rate can change step by step inside one process. Rounds interleave the gunicorn instances of the plan (1, 2, 4 workers,
1, 2, 4, ...); each run walks the ladder of figures.py. Per step it also reads, from /proc, the CPU
time the gunicorn under test, the Celery worker, the PostgreSQL backends of the benchmark database
and this process spent. Prints every step and writes all runs to the plan's `out` file.
"""

import json
import os
import random
import sys
import time
from pathlib import Path

import gevent
from locust.env import Environment  # importing locust monkey-patches the standard library

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import figures  # noqa: E402
from locustfile import RATE, EnterprisePortal, PartnerSystem  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def processes() -> dict[int, tuple[int, float, str]]:
    """pid -> (parent pid, CPU seconds so far, command line) of every process readable now."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)": state is field 3
        found[int(entry.name)] = (
            int(fields[1]),
            (int(fields[11]) + int(fields[12])) / TICKS,
            cmdline,
        )
    return found


def descendants(root: int, table: dict) -> set[int]:
    family, grew = {root}, True
    while grew:
        children = {pid for pid, (parent, _, _) in table.items() if parent in family} - family
        family |= children
        grew = bool(children)
    return family


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent outside idle and iowait since boot (/proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / TICKS


def cpu_by_role(gunicorn_pid: int, celery_pid: int, database: str) -> dict[str, dict[int, float]]:
    """{role: {pid: CPU seconds so far}}; the whole machine under pid 0."""
    table = processes()

    def total(pids):
        return {pid: table[pid][1] for pid in pids if pid in table}

    backends = {
        pid
        for pid, (_, _, cmd) in table.items()
        if cmd.startswith("postgres: ") and f" {database} " in cmd
    }
    return {
        "gunicorn": total(descendants(gunicorn_pid, table)),
        "celery": total(descendants(celery_pid, table)),
        "postgres": total(backends),
        "locust": total({os.getpid()}),
        "machine": {0: machine_busy_seconds()},
    }


USER_CLASSES = [PartnerSystem, EnterprisePortal]


class Run:
    """One walk of the ladder against one gunicorn.

    The users are the locustfile's (their tasks, state and Locust's HTTP session, which times each
    request), but this class starts and paces them in greenlets of its own instead of Locust's
    runner: under concurrency the runner added about 100 ms to every request it timed on the
    2-core machine (gunicorn's access log said ~30 ms; docs/scaling.md, "Web tier")."""

    def __init__(self, plan: dict, target: dict):
        self.plan, self.target = plan, target
        for user_class in USER_CLASSES:
            user_class.host = target["base"]
        self.env = Environment(user_classes=USER_CLASSES, host=target["base"], tags=["mix"])
        self.users: list[gevent.Greenlet] = []
        self.times_ms: list[float] = []
        self.failures = 0
        self.env.events.request.add_listener(self.record)

    def record(self, response_time, exception, **_):
        if exception is None:
            self.times_ms.append(response_time)
        else:
            self.failures += 1

    def cpu(self) -> dict[str, dict[int, float]]:
        return cpu_by_role(self.target["pid"], self.plan["celery_pid"], self.plan["database"])

    def user(self, user_class) -> None:
        """One user: its on_start (credentials, a random phase), then one task per period."""
        user = user_class(self.env)
        user.on_start()
        while True:
            started = time.monotonic()
            random.choice(user.tasks)(user)
            gevent.sleep(max(0.0, 1 / RATE - (time.monotonic() - started)))

    def set_users(self, count: int) -> None:
        """`count` users running, in the locustfile's weights (3 partner systems to 1 portal)."""
        while len(self.users) < count:
            user_class = EnterprisePortal if len(self.users) % 4 == 3 else PartnerSystem
            self.users.append(gevent.spawn(self.user, user_class))
        while len(self.users) > count:
            self.users.pop().kill()

    def measure(self, offered: float) -> dict:
        self.set_users(max(1, round(offered / RATE)))  # each user sends RATE requests/s
        gevent.sleep(self.plan["settle_seconds"])
        self.times_ms, self.failures = [], 0
        cpu_before, started = self.cpu(), time.monotonic()
        gevent.sleep(self.plan["step_seconds"])
        seconds = time.monotonic() - started
        cpu_after = self.cpu()
        step = figures.step_figures(offered, seconds, self.times_ms, self.failures)
        step["cpu"] = figures.cores_used(cpu_before, cpu_after, seconds)
        print(
            f"    offered {offered:>3} req/s: {step['rps']:5.1f} req/s, p50 {step['p50']:4.0f} ms,"
            f" p95 {step['p95']:4.0f} ms, failures {step['failures']}, cores "
            + " ".join(f"{role} {used:.2f}" for role, used in step["cpu"].items()),
            flush=True,
        )
        return step

    def walk(self, start: int, max_steps: int = 6) -> tuple[dict | None, list[dict]]:
        try:
            return figures.walk(
                self.measure, self.plan["bound_ms"], start=start, max_steps=max_steps
            )
        finally:
            self.set_users(0)


def main() -> int:
    plan = json.loads(Path(sys.argv[1]).read_text())
    first = min(
        range(len(figures.LADDER)), key=lambda i: abs(figures.LADDER[i] - plan["first_rate"])
    )
    start = {t["workers"]: first for t in plan["targets"]}
    for target in plan["targets"]:  # import everything in each worker before anything counts
        print(f"  warm-up, {target['workers']} worker(s):", flush=True)
        Run(plan, target).walk(len(figures.LADDER) // 4, max_steps=1)
    runs = []
    for round_number in range(1, plan["runs"] + 1):
        for target in plan["targets"]:
            workers = target["workers"]
            print(f"  run {round_number}, {workers} worker(s):", flush=True)
            best, steps = Run(plan, target).walk(start[workers])
            runs.append({"workers": workers, "round": round_number, "best": best, "steps": steps})
            if best is not None:
                start[workers] = best["index"]
                print(
                    f"  -> run {round_number}, {workers} worker(s): {best['rps']:.1f} req/s"
                    f" held (offered {best['offered']}), p50 {best['p50']:.0f} ms,"
                    f" p95 {best['p95']:.0f} ms",
                    flush=True,
                )
            else:
                print(f"  -> run {round_number}, {workers} worker(s): no step held", flush=True)
            gevent.sleep(plan["pause_seconds"])  # let the queues drain before the next gunicorn
    Path(plan["out"]).write_text(json.dumps(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
