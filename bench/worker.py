"""One contender in a process of its own, driven by `bench/run.py` over a pipe.

A process per contender keeps their memory apart (peak RSS is measured per process) and lets the
runner alternate between contenders without reloading models. Protocol, one JSON object per line:
the runner sends {"load": {...}} once, then {"run": "<workload>"} any number of times, then
{"quit": true}; the worker answers each with one line on its original stdout. Anything libraries
print goes to stderr, which the runner sends to a log file.

    python -m bench.worker CONTENDER
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import TextIO


def main(name: str) -> int:
    protocol = _take_stdout()
    from bench.contenders import Workload, in_process_contenders
    from bench.model import BenchModel

    contender = in_process_contenders()[name]
    workloads: dict[str, Workload] = {}
    for line in sys.stdin:
        command = json.loads(line)
        if "load" in command:
            spec = command["load"]
            started = time.perf_counter()
            contender.load(BenchModel(Path(spec["store"]), spec["seed"], spec["tiny"]))
            for w in spec["workloads"]:
                workloads[w["name"]] = Workload(w["name"], tuple(w["lines"]), tuple(w["units"]))
            warm_up = spec.get("warm_up")
            if warm_up:  # first calls allocate buffers and fill caches: not what is being timed
                contender.run(Workload("warm-up", tuple(warm_up), tuple(warm_up)))
            _answer(protocol, {"load_seconds": time.perf_counter() - started})
        elif "run" in command:
            cpu = time.process_time()  # every thread of the process
            measurement = contender.run(workloads[command["run"]])
            cpu = time.process_time() - cpu
            figures = {"seconds": measurement.seconds, "cpu_seconds": cpu, "tokens": measurement.tokens}
            _answer(protocol, {**figures, **measurement.extra})
        elif "quit" in command:
            # Linux reports ru_maxrss in kibibytes.
            _answer(protocol, {"peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})
            return 0
    return 1


def _take_stdout() -> TextIO:
    """The pipe to the runner, with file descriptor 1 pointed at stderr so that nothing a library
    prints can corrupt the protocol."""
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return protocol


def _answer(protocol: TextIO, message: dict) -> None:
    protocol.write(json.dumps(message) + "\n")
    protocol.flush()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
