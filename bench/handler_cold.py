"""Cold init of the start-chat Lambda, in fresh processes, against the boto3 floor.

Floor: `import boto3; boto3.client("connect")`, what any Python function calling Connect pays.
Handler: `import handler.app`, which reads its settings and creates its client at import.
Each process times its own init (wall and CPU), from before the first import to a ready client,
the part a Lambda cold start adds to the runtime's bootstrap; interpreter start and teardown are
the same for both and are left out. Runs alternate so both see the same machine noise; the
ratio of medians is the figure.  Target: handler <= 1.15 x floor.
Run: .venv/bin/python -m bench.handler_cold  (BENCH_COLD_RUNS=N to change the sample count)
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from ._report import median, percentile, print_table

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_COLD_RUNS", "25"))
TARGET_RATIO = 1.15
FLOOR = "floor: import boto3 + client"
HANDLER = "handler: import handler.app"
VARIANTS = {
    FLOOR: "import boto3; boto3.client('connect')",
    HANDLER: "import handler.app",
}
TIMED = (
    "import time; w = time.perf_counter(); c = time.process_time()\n"
    "{code}\n"
    "print(time.perf_counter() - w, time.process_time() - c, flush=True)\n"
    "import os; os._exit(0)"
)
ENV = {
    "INSTANCE_ID": "11111111-2222-3333-4444-555555555555",
    "CONTACT_FLOW_ID": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
    "ALLOWED_ORIGINS": "https://www.example.com",
    "ALLOWED_ATTRIBUTES": "topic",
    "ATTACHMENTS_ENABLED": "true",
    "AWS_REGION": "eu-west-2",
    "AWS_DEFAULT_REGION": "eu-west-2",
    "AWS_ENDPOINT_URL_CONNECT": "http://127.0.0.1:9",
    "POWERTOOLS_SERVICE_NAME": "connect-chat",
    # As deployed: the key stays in Secrets Manager until the first request needs it.
    "SIGNING_SECRET_ARN": "arn:aws:secretsmanager:eu-west-2:123456789012:secret:bench-AbCdEf",
}


def init_times(code: str, env: dict[str, str]) -> tuple[float, float, float]:
    """(init wall s, init CPU s, whole-process wall s) of one fresh interpreter."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", TIMED.format(code=code)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    process_wall = time.perf_counter() - started
    wall, cpu = (float(x) for x in done.stdout.split())
    return wall, cpu, process_wall


def main() -> None:
    env = {**os.environ, **ENV}
    for code in VARIANTS.values():  # warm the page cache and write .pyc files once
        init_times(code, env)
    samples: dict[str, list[tuple[float, float, float]]] = {name: [] for name in VARIANTS}
    for _ in range(RUNS):
        for name, code in VARIANTS.items():
            samples[name].append(init_times(code, env))
    floors = [median([s[i] for s in samples[FLOOR]]) for i in range(3)]
    rows = []
    for name, values in samples.items():
        row = [name]
        for i in range(3):
            column = [s[i] for s in values]
            mid = median(column)
            row += [f"{mid * 1000:.0f}", f"{percentile(column, 0.9) * 1000:.0f}"]
            row.append(f"{mid / floors[i]:.3f}")
        rows.append(row)
    version = sys.version.split()[0]
    print(f"Cold init, {RUNS} fresh processes per variant, interleaved (Python {version})")
    print_table(
        [
            "variant",
            "init p50 ms",
            "init p90 ms",
            "x floor",
            "CPU p50 ms",
            "CPU p90 ms",
            "x floor",
            "process p50 ms",
            "process p90 ms",
            "x floor",
        ],
        rows,
    )
    for i, label in ((0, "init wall"), (1, "init CPU")):
        ratio = median([s[i] for s in samples[HANDLER]]) / floors[i]
        verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
        print(f"{label}: handler / floor = {ratio:.3f} ({verdict} the <= {TARGET_RATIO} target)")


if __name__ == "__main__":
    main()
