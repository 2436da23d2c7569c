"""Records/s of `zhen file --ray` with 1 and 2 actors against plain `zhen file`, and Ray's overhead.

    .venv/bin/python bench/ray_bench.py [--records 200] [--rounds 2] [--full] [--beam 4]

Needs the `ray` extra and `../shared` (the real tokenizer; FLORES for the text). The model is
`bench/model.py`'s random-weight OPUS-MT (`--full`: the real architecture; default: its tiny
variant, so a run takes minutes): speed, not quality. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.data import flores_lines, have_shared_data
from bench.model import build_model


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text(
        "".join(json.dumps({"id": index, "text": line}, ensure_ascii=False) + "\n" for index, line in enumerate(lines)),
        encoding="utf-8",
    )
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--small", type=int, default=10, help="records of the input that shows the overhead")
    parser.add_argument("--full", action="store_true", help="the full-size model (slow)")
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2, help="runs of each contender; the fastest counts")
    args = parser.parse_args()
    if not have_shared_data():
        print("bench/ray_bench.py needs ../shared (the real tokenizer and FLORES): skipped")
        return 0
    try:
        import ray
    except ImportError:
        print('bench/ray_bench.py needs Ray: pip install -e ".[ray]"')
        return 0
    from translator import Translator
    from translator.distributed import AUTO, TranslatorSettings, connect, translate_file_on_ray
    from translator.files import translate_file

    store = build_model(tiny=not args.full).store
    lines = flores_lines()
    work = Path(tempfile.mkdtemp(prefix="zhen-ray-bench-"))
    big = write_jsonl(work / "big.jsonl", (lines * (args.records // len(lines) + 1))[: args.records])
    small = write_jsonl(work / "small.jsonl", lines[: args.small])
    settings = TranslatorSettings(models_dir=str(store), backend="ctranslate2", beam_size=args.beam, cache=False)

    def plain(source: Path) -> float:
        started = time.perf_counter()
        translator = Translator(models_dir=store, backend="ctranslate2", beam_size=args.beam, cache=False)
        translate_file(source, work / f"plain-{source.name}", translator, fields=["text"], target="en", force=True)
        return time.perf_counter() - started

    def on_ray(source: Path, actors: int, cpus: int, records: int) -> float:
        output = work / f"ray-{actors}x{cpus}-{source.name}"
        # A finished folder would be resumed (nothing to do): each run starts afresh.
        shutil.rmtree(output, ignore_errors=True)
        started = time.perf_counter()
        # Eight shards, so that two actors share the work as they would a large file's.
        translate_file_on_ray(
            source, output, fields=["text"], target="en", settings=settings, actors=actors, cpus_per_actor=cpus,
            shard_records=max(1, records // 8),
        )  # fmt: skip
        return time.perf_counter() - started

    cpus = os.cpu_count() or 1
    print(f"{args.records} FLORES records, {'full' if args.full else 'tiny'} random-weight model, beam {args.beam}")
    print(f"{cpus} CPUs; plain zhen file uses all of them (ZHEN_THREADS unset)")
    print(f"load average at start: {', '.join(f'{load:.1f}' for load in os.getloadavg())}\n", flush=True)
    started = time.perf_counter()
    connect(AUTO)  # a cluster on this machine, as `zhen file --ray auto` starts it
    ray.data.DataContext.get_current().enable_progress_bars = False
    startup = time.perf_counter() - started
    runs: dict[str, tuple[Callable[[], float], int]] = {"zhen file (1 process)": (lambda: plain(big), args.records)}
    for actors, threads in ((1, 1), (1, cpus), (cpus, 1)):
        if actors * threads <= cpus:
            runs[f"--ray, {actors} actor(s) x {threads} thread(s)"] = (
                functools.partial(on_ray, big, actors, threads, args.records),
                args.records,
            )
    runs[f"zhen file, {args.small} records"] = (lambda: plain(small), args.small)
    runs[f"--ray ({cpus} actors), {args.small} records"] = (
        functools.partial(on_ray, small, cpus, 1, args.small),
        args.small,
    )
    # Each round runs every contender once; the best round counts (a shared machine is noisy).
    best: dict[str, float] = {}
    for _ in range(args.rounds):
        for name, (run, _records) in runs.items():
            seconds = run()
            best[name] = min(seconds, best.get(name, seconds))
    rows = [(name, best[name], records) for name, (_run, records) in runs.items()]
    for name, seconds, records in rows:
        print(f"{name:<42} {seconds:7.1f} s  {records / seconds:7.1f} records/s")
    overhead = rows[-1][1] - rows[-2][1]
    print(f"\nRay's overhead on {args.small} records (actors starting, models loading): {overhead:.1f} s")
    print(f"Starting the local cluster (ray.init): {startup:.1f} s, not included above")
    print(f"load average at end: {', '.join(f'{load:.1f}' for load in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
