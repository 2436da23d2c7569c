"""zhen's speed and memory benchmark: zhen against what users would run instead, in one command.

    make bench                      # full run (~15 minutes on a 2-core laptop)
    python bench/run.py --quick     # a couple of minutes: few sentences, one round
    python bench/run.py --only ctranslate2-loop,zhen-library

Builds OPUS-MT zh-en's real architecture with random weights (once, into ~/.cache/zhen-bench),
then times every contender on FLORES dev sentences and on a generated feed of posts with repeats,
in rounds that alternate between contenders; reports medians, ratios, start-up times and peak RSS
as a table, as JSON in bench/results/, and (full runs) in bench/README.md. See bench/README.md
for the method. Needs ../shared (real tokenizer and FLORES); without it, says so and exits.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python bench/run.py` puts bench/, not the checkout, on the path
    sys.path.insert(0, str(ROOT))

from bench.contenders import Workload  # noqa: E402
from bench.model import shared_dir  # noqa: E402

RESULTS = ROOT / "bench" / "results"
#: Files whose results section a full run rewrites: the benchmark's own page and the project's.
READMES = (ROOT / "bench" / "README.md", ROOT / "README.md")
README_START, README_END = "<!-- results:start -->", "<!-- results:end -->"
COLD_TEXT = "你好"


@dataclass(frozen=True)
class Profile:
    """How much work a run does. Per-sentence contenders (slow, and independent of batching)
    get small samples with the same length mix; batched ones get whole length groups."""

    rounds: int
    #: FLORES for zhen and the batched contenders: every n-th distinct sentence length.
    flores_every: int
    #: FLORES for the batched transformers contenders: up to this many lines of the most common
    #: length in the set above (one full batch: fp32 at beam 6 is too slow for more).
    transformers_lines: int
    naive_lines: int
    loop_lines: int
    posts: int
    loop_posts: int
    #: Short lines for the memory check: distinct FLORES clauses of this many tokens, as many
    #: as fit in one of zhen's batches (2048 source tokens), up to `short_lines`.
    short_tokens: int
    short_lines: int
    cold_starts: int
    tui_runs: int


FULL = Profile(rounds=3, flores_every=16, transformers_lines=16, naive_lines=6, loop_lines=18, posts=40,
               loop_posts=12, short_tokens=8, short_lines=256, cold_starts=5, tui_runs=5)  # fmt: skip
QUICK = Profile(rounds=1, flores_every=48, transformers_lines=2, naive_lines=2, loop_lines=4, posts=8,
                loop_posts=3, short_tokens=8, short_lines=16, cold_starts=2, tui_runs=1)  # fmt: skip

#: (contender, workload) pairs timed in every round, and the workers they need.
PLAN = [
    ("naive-transformers", "flores-naive"),
    ("transformers-batched-fp32", "flores-transformers"),
    ("transformers-batched-int8", "flores-transformers"),
    ("ctranslate2-loop", "flores-loop"),
    ("ctranslate2-loop", "social-loop"),
    ("ctranslate2-batched", "flores"),
    ("ctranslate2-inter2", "flores"),
    ("ctranslate2-tuned", "flores"),
    ("zhen-library", "flores"),
    ("zhen-library", "social"),
    ("zhen-library-beam1", "flores"),
    ("zhen-library-transformers", "flores-transformers"),
    ("zhen-file", "flores"),
    ("zhen-file", "social"),
    ("zhen-file-beam1", "flores"),
    ("zhen-file", "short"),
    ("zhen-file-transformers", "flores-transformers"),
]
#: `zhen file` contenders: (beam, backend).
FILE_CONTENDERS = {
    "zhen-file": (4, "auto"),
    "zhen-file-beam1": (1, "auto"),
    "zhen-file-transformers": (4, "transformers"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="few sentences, one round (a smoke run)")
    parser.add_argument("--rounds", type=int, help="rounds (default: 3, or 1 with --quick)")
    parser.add_argument("--only", help="comma-separated contenders to run (default: all)")
    parser.add_argument("--no-startup", action="store_true", help="skip the cold-start and TUI measurements")
    parser.add_argument("--tiny", action="store_true", help="a tiny random model instead of the real size (tests)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="folder for the JSON results")
    parser.add_argument("--cache", type=Path, help="where the model is built (default: ~/.cache/zhen-bench)")
    args = parser.parse_args(argv)

    if not (shared_dir() / "opus-mt-zh-en" / "config.json").is_file():
        print(f"bench: skipped: {shared_dir()} (real tokenizer, config and FLORES) is absent")
        return 0
    profile = QUICK if args.quick else FULL
    if args.rounds:
        profile = Profile(**{**asdict(profile), "rounds": args.rounds})
    plan = _select(args.only)
    result = run(profile, plan, args)
    from bench.report import markdown, print_report

    print_report(result)
    args.results.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    complete = not (args.quick or args.only or args.tiny or args.rounds)
    stamp = result["started"].replace(":", "") + ("" if complete else "-partial")
    written = [args.results / f"{stamp}.json"]
    if complete:  # only a full run of everything stands for the project's figures
        written.append(args.results / "latest.json")
        if args.results == RESULTS:
            _update_readme(markdown(result))
    for path in written:
        path.write_text(text, encoding="utf-8")
    print(f"bench: results in {', '.join(map(str, written))}")
    return 0


def _select(only: str | None) -> list[tuple[str, str]]:
    if not only:
        return PLAN
    wanted = {name.strip() for name in only.split(",") if name.strip()}
    unknown = wanted - {contender for contender, _ in PLAN}
    if unknown:
        raise SystemExit(f"bench: unknown contender(s) {', '.join(sorted(unknown))}")
    return [(contender, workload) for contender, workload in PLAN if contender in wanted]


def run(profile: Profile, plan: list[tuple[str, str]], args: argparse.Namespace) -> dict[str, Any]:
    from bench.contenders import RATIO, ZHEN_BEAM
    from bench.model import build_model
    from bench.processes import BenchError, Worker, first_run, isolated_env, zhen_file
    from bench.report import machine_info, summarise, targets

    started = datetime.now().astimezone().isoformat(timespec="seconds")
    machine = machine_info()
    print(f"bench: building or finding the model ({'tiny' if args.tiny else '77.9 M parameters'})...", flush=True)
    model = build_model(args.cache, tiny=args.tiny)
    workloads, described = build_workloads(profile)
    runs: list[dict[str, Any]] = []
    rss: dict[str, float] = {}
    load_seconds: dict[str, float] = {}
    extras: dict[str, Any] = {"cold_start": {}, "tui": {}}
    with ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="zhen-bench-")))
        log = stack.enter_context((scratch / "processes.log").open("w", encoding="utf-8"))
        env_home = scratch / "home"
        env = isolated_env(env_home)
        workers: dict[str, Worker] = {}
        try:
            first_run(env_home, log)
            # Workers load at the same time (not timed); rounds start when all are ready.
            for name in dict.fromkeys(c for c, _ in plan if c not in FILE_CONTENDERS):
                workers[name] = Worker(name, env, scratch)
            warm_up = list(workloads["flores"].units[:2])
            for worker in workers.values():
                load = {"store": str(model.store), "seed": model.seed, "tiny": model.tiny, "warm_up": warm_up}
                worker.send({"load": {**load, "workloads": [_wire(w) for w in workloads.values()]}})
            for name, worker in workers.items():
                load_seconds[name] = worker.receive()["load_seconds"]
            for round_index in range(profile.rounds):
                # Each round starts one place further down the list, so no contender always
                # runs first (or always right after the heaviest one).
                shift = round_index * len(plan) // max(profile.rounds, 1)
                for contender, workload in plan[shift:] + plan[:shift]:
                    print(f"bench: round {round_index + 1}/{profile.rounds}: {contender} on {workload}", flush=True)
                    if contender in FILE_CONTENDERS:
                        beam, backend = FILE_CONTENDERS[contender]
                        figures = zhen_file(model.store, workloads[workload], beam, backend, env_home, log)
                    else:
                        figures = workers[contender].ask({"run": workload})
                    runs.append({"contender": contender, "workload": workload, "round": round_index + 1, **figures})
            for name, worker in workers.items():
                rss[name] = worker.close()
            if not args.no_startup:
                extras = _startup(profile, model.store, scratch, log)
        except BenchError as error:
            log.flush()
            print(f"bench: {error}\n--- log ---\n{_tail(scratch)}", file=sys.stderr)
            raise SystemExit(1) from None
        finally:
            for worker in workers.values():
                worker.kill()
    rows = summarise(runs, described, rss)
    return {
        "started": started,
        "mode": "quick" if args.quick else "full",
        "machine": {**machine, "load_average_at_end": [round(x, 2) for x in os.getloadavg()]},
        "settings": {**asdict(profile), "forced_length_ratio": RATIO, "zhen_beam": ZHEN_BEAM, "model": model.info()},
        "workloads": described,
        "contenders": _contender_info(plan, load_seconds, rss),
        "runs": [{k: (round(v, 4) if isinstance(v, float) else v) for k, v in run.items()} for run in runs],
        "rows": [row.as_dict() for row in rows],
        **extras,
        "targets": targets(rows, runs, extras),
    }


def build_workloads(profile: Profile) -> tuple[dict[str, Workload], dict[str, dict[str, int]]]:
    """The workloads by name, and what each holds (lines, sentences, reference tokens)."""
    from bench.contenders import RATIO, Workload
    from bench.data import (
        SourceLengths,
        flores_lines,
        most_common_length,
        short_clauses,
        social_posts,
        split_sentences,
        spread,
        whole_length_groups,
    )
    from bench.zhen_forced import forced_length

    lengths = SourceLengths()
    lines = flores_lines()
    line_lengths = [lengths(line) for line in lines]
    flores = whole_length_groups(lines, line_lengths, profile.flores_every)
    # Posts take their new sentences from the end of FLORES, away from the FLORES sample.
    posts = social_posts(profile.posts, [line for line in reversed(lines) if line not in set(flores)])

    def workload(name: str, chosen: list[str]) -> Workload:
        return Workload(name, tuple(chosen), tuple(u for line in chosen for u in split_sentences(line)))

    transformers = most_common_length(flores, lengths)[: profile.transformers_lines]
    workloads = [
        workload("flores", flores),
        workload("flores-naive", spread(flores, profile.naive_lines, lengths)),
        workload("flores-loop", spread(flores, profile.loop_lines, lengths)),
        workload("flores-transformers", transformers),
        workload("social", posts),
        workload("social-loop", spread(posts, profile.loop_posts, lengths)),
        workload("short", short_clauses(lines, lengths, profile.short_tokens)[: profile.short_lines]),
    ]
    described = {
        w.name: {
            "lines": len(w.lines),
            "distinct_lines": len(set(w.lines)),
            "sentences": len(w.units),
            "distinct_sentences": len(set(w.units)),
            "reference_tokens": sum(forced_length(lengths(unit), RATIO) for unit in w.units),
        }
        for w in workloads
    }
    return {w.name: w for w in workloads}, described


def _wire(workload: Workload) -> dict[str, Any]:
    return {"name": workload.name, "lines": list(workload.lines), "units": list(workload.units)}


def _contender_info(
    plan: list[tuple[str, str]], load_seconds: dict[str, float], rss: dict[str, float]
) -> dict[str, Any]:
    from bench.contenders import in_process_contenders

    described = in_process_contenders()
    files = {
        "zhen-file": "`zhen file` (CTranslate2 int8, beam 4), a fresh process with a cold cache per run",
        "zhen-file-beam1": "`zhen file --beam 1` (CTranslate2 int8), a fresh process with a cold cache per run",
        "zhen-file-transformers": "`zhen file --backend transformers` (int8 dynamic, beam 4), fresh process per run",
    }
    info = {}
    for name in dict.fromkeys(c for c, _ in plan):
        info[name] = {
            "description": files.get(name) or described[name].description,
            "load_seconds": round(load_seconds[name], 2) if name in load_seconds else None,
            "worker_peak_rss_mb": round(rss[name], 1) if name in rss else None,
        }
    return info


def _startup(profile: Profile, store: Path, scratch: Path, log: IO[str]) -> dict[str, Any]:
    """Cold start of `zhen translate` (forced length, and the plain command decoding to its
    length cap), then the TUI. A first, untimed run compiles the glossary cache, as a user's
    first run would."""
    from bench.processes import cold_start, tui_first_translation, zhen_command

    real_zhen = Path(sys.executable).with_name("zhen")
    commands = {"zhen translate (forced length)": zhen_command("translate", "--models-dir", str(store), COLD_TEXT)}
    if real_zhen.is_file():
        commands["zhen translate (plain command, decodes to its cap)"] = [
            str(real_zhen), "translate", "--models-dir", str(store), COLD_TEXT,
        ]  # fmt: skip
    home = scratch / "cold-home"
    cold: dict[str, Any] = {}
    for name, command in commands.items():
        print(f"bench: cold start: {name}", flush=True)
        cold_start(command, home, log)  # untimed first run
        samples = [cold_start(command, home, log) for _ in range(profile.cold_starts)]
        cold[name] = _medians(samples)
    tui: dict[str, Any] = {}
    if (ROOT / "tui" / "app.py").is_file():
        print("bench: TUI to first translation", flush=True)
        tui = _medians([tui_first_translation(store, COLD_TEXT, home, log) for _ in range(profile.tui_runs)])
    return {"cold_start": cold, "tui": tui}


def _medians(samples: list[dict[str, float]]) -> dict[str, Any]:
    keys = samples[0].keys()
    medians: dict[str, Any] = {key: round(statistics.median(s[key] for s in samples), 3) for key in keys}
    medians["samples"] = [{key: round(value, 3) for key, value in s.items()} for s in samples]
    return medians


def _tail(scratch: Path, lines: int = 30) -> str:
    text = []
    for path in sorted(scratch.glob("*.log")):
        content = path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
        if content:
            text.append(f"[{path.name}]\n" + "\n".join(content))
    return "\n".join(text)


def _update_readme(table: str) -> None:
    """Replace the results section of bench/README.md and README.md with the new tables."""
    for readme in READMES:
        if not readme.is_file():
            continue
        text = readme.read_text(encoding="utf-8")
        start, end = text.find(README_START), text.find(README_END)
        if start == -1 or end == -1:
            continue
        readme.write_text(text[: start + len(README_START)] + "\n" + table + text[end:], encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
