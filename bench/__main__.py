"""Run every benchmark in turn: `make bench` (or `python -m bench [name ...]`).

Each benchmark is a module of this package with a `main()` that prints its own table of figures,
measured as ratios against a baseline taken in the same run (the machines are noisy).
The 10-minute memory soak is left out of the default set: `python -m bench local_soak`.
"""

from __future__ import annotations

import importlib
import sys
import time

DEFAULT = ("handler_cold", "handler_warm", "site_weight", "local_load")


def main(names: list[str]) -> int:
    for name in names or DEFAULT:
        print(f"\n==> bench.{name}", flush=True)
        started = time.perf_counter()
        module = importlib.import_module(f"bench.{name}")
        module.main()
        print(f"(bench.{name} took {time.perf_counter() - started:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
