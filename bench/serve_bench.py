"""`zhen serve` throughput: dynamic batching vs batching off vs one request at a time.

    python bench/serve_bench.py [--tiny] [--clients 16] [--requests 8] [--tokens 12] [--rounds 3]

16 clients (threads with keep-alive connections) each send `--requests` LibreTranslate requests
of one short Chinese clause from FLORES (all `--tokens` source tokens long, distinct, cache off),
as a page-translating extension sends text nodes. The model is bench/model.py's random-weight copy
of opus-mt-zh-en (`--tiny`: its 1 M-parameter version) on CTranslate2, with every output forced to
1.1x the source tokens as in bench/run.py, so that every mode decodes the same tokens. Modes:
dynamic (zhen serve's default), per-request (each request its own engine call, 4 at once: batching
off) and serial (one request at a time, as LibreTranslate serves). On a machine shared with other
work, the load changes from one minute to the next, so the modes run in turns, `--rounds` times
(each round in another order), and the summary gives each mode's median round. Last, the library
alone (no server) translates the same texts in batches of `--clients` and one text per call: the
ratio of the two is the most that batching can gain with that many clients, on this machine.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import http.client
import json
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.data import SourceLengths, flores_lines, have_shared_data, short_clauses
from bench.model import build_model
from bench.zhen_forced import force_lengths
from translator.serve import BATCH_MODES, PER_REQUEST_THREADS, ServeSettings, create_app, running_server
from translator.translator import Translator

#: Output tokens per source token that every mode decodes (bench/run.py's choice).
FORCED_LENGTH_RATIO = 1.1


@dataclass(frozen=True)
class Figures:
    mode: str
    requests: int
    seconds: float
    #: CPU time of the whole process (server, engine and client threads): less swayed by other
    #: programs on a busy machine than wall time.
    cpu_seconds: float
    p50_ms: float
    p95_ms: float
    batches: int
    texts: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    @property
    def per_cpu_second(self) -> float:
        return self.requests / self.cpu_seconds


def client(
    base: str, texts: list[str], latencies: list[float], problems: list[str], answer_of: Callable[[str], str] | None
) -> None:
    """Send `texts` one after another on one keep-alive connection; note each latency, and each
    request that failed or (with `answer_of`) got another answer than `answer_of(text)`."""
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname or "127.0.0.1", address.port, timeout=600)
    try:
        for text in texts:
            body = json.dumps({"q": text, "source": "auto", "target": "en"})
            started = time.perf_counter()
            try:
                connection.request("POST", "/translate", body, {"Content-Type": "application/json"})
                response = connection.getresponse()
                status, answer = response.status, json.loads(response.read())
            except (OSError, http.client.HTTPException, ValueError) as error:
                problems.append(f"{text!r}: {error}")
                connection.close()
                continue
            latencies.append(time.perf_counter() - started)
            if status != 200 or (answer_of is not None and answer.get("translatedText") != answer_of(text)):
                problems.append(f"{text!r} -> {status} {answer!r}")
    finally:
        connection.close()


def drive(
    base: str, work: list[list[str]], answer_of: Callable[[str], str] | None = None
) -> tuple[list[float], list[str], float, float]:
    """One client thread per list of `work`, all at once: (latencies, problems, wall seconds,
    CPU seconds of this whole process)."""
    latencies: list[float] = []
    problems: list[str] = []
    threads = [threading.Thread(target=client, args=(base, texts, latencies, problems, answer_of)) for texts in work]
    started, cpu_started = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, problems, time.perf_counter() - started, time.process_time() - cpu_started


def wait_ready(base: str) -> None:
    """Block until the server at `base` has loaded its models, then send it one request untimed:
    the first translation of a process also loads the glossary and jieba (seconds), which would
    land on whichever mode runs first."""
    address = urlsplit(base)
    while True:
        connection = http.client.HTTPConnection(address.hostname or "127.0.0.1", address.port, timeout=600)
        connection.request("GET", "/health")
        status = json.loads(connection.getresponse().read())["status"]
        connection.close()
        if status == "ok":
            client(base, ["热身"], [], [], None)
            return
        if status == "error":
            raise SystemExit("the server could not load the model")
        time.sleep(0.2)


def run_mode(mode: str, store: Path, work: list[list[str]], window_ms: float) -> Figures:
    translator = Translator(models_dir=store, backend="ctranslate2", cache=False)
    settings = ServeSettings(batch_mode=mode, batch_window_ms=window_ms, max_queue=1024)  # type: ignore[arg-type]
    app = create_app(translator, settings)
    with running_server(app) as base:
        wait_ready(base)
        latencies, failures, seconds, cpu_seconds = drive(base, work)
    if failures:
        raise SystemExit(f"{mode}: {len(failures)} requests failed, first: {failures[0]}")
    quantiles = statistics.quantiles(latencies, n=100)
    p50, p95 = quantiles[49] * 1000, quantiles[94] * 1000
    batcher = app.state.service.batcher
    return Figures(mode, len(latencies), seconds, cpu_seconds, p50, p95, batcher.batches, batcher.batched_texts)


def engine_ceiling(store: Path, work: list[list[str]], threads: int) -> tuple[float, float]:
    """The library alone, no server: (texts per second when every round of the clients' texts
    is one `translate_batch` call, when each text is its own call with `threads` calls at once).
    Their ratio bounds what any batching server can gain with this many clients."""
    translator = Translator(models_dir=store, backend="ctranslate2", cache=False)
    translator.translate("热身", "en")  # loads the model, the glossary and jieba
    rounds = [list(texts) for texts in zip(*work, strict=True)]
    texts = [text for round_texts in rounds for text in round_texts]
    started = time.perf_counter()
    for round_texts in rounds:
        translator.translate_batch(round_texts, "en", notes=False)
    batched = len(texts) / (time.perf_counter() - started)
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda text: translator.translate_batch([text], "en", notes=False), texts))
    return batched, len(texts) / (time.perf_counter() - started)


def _print_row(label: str, figures: Figures, load: str) -> None:
    print(
        f"{label:<12} {figures.per_second:>10.2f} {figures.per_cpu_second:>10.2f} {figures.p50_ms:>8.0f} "
        f"{figures.p95_ms:>8.0f} {figures.texts / max(1, figures.batches):>11.1f} {load}"
    )


def _median(rounds: list[Figures]) -> Figures:
    """The round with the median throughput (its own latencies and batches kept together)."""
    return sorted(rounds, key=lambda figures: figures.per_second)[len(rounds) // 2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tiny", action="store_true", help="the 1 M-parameter model (a smoke run)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=8, help="requests per client")
    parser.add_argument("--tokens", type=int, default=12, help="source tokens of every clause")
    parser.add_argument("--window-ms", type=float, default=ServeSettings.batch_window_ms, help="batching window")
    parser.add_argument("--modes", default=",".join(BATCH_MODES), help=f"some of {', '.join(BATCH_MODES)}")
    parser.add_argument("--rounds", type=int, default=3, help="turns of every mode (the median is kept)")
    parser.add_argument(
        "--no-ceiling", dest="ceiling", action="store_false", help="skip timing the library alone"
    )
    args = parser.parse_args()
    if not have_shared_data():
        print("serve_bench: ../shared (real tokenizer and FLORES) is missing; nothing to measure")
        return 0
    clauses = short_clauses(flores_lines(), SourceLengths(), args.tokens)
    needed = args.clients * args.requests
    if len(clauses) < needed:
        raise SystemExit(f"only {len(clauses)} clauses of {args.tokens} tokens: ask for fewer requests")
    work = [clauses[client * args.requests : (client + 1) * args.requests] for client in range(args.clients)]
    model = build_model(tiny=args.tiny)
    force_lengths(FORCED_LENGTH_RATIO)
    print(
        f"zhen serve, {'tiny' if args.tiny else 'real-architecture'} model (CTranslate2 int8), "
        f"{args.clients} clients x {args.requests} requests of {args.tokens}-token clauses, "
        f"batching window {args.window_ms:g} ms"
    )
    modes = args.modes.split(",")
    rounds: dict[str, list[Figures]] = {mode: [] for mode in modes}
    header = f"{'mode':<12} {'requests/s':>10} {'per CPU s':>10} {'p50 ms':>8} {'p95 ms':>8} {'texts/call':>11}"
    print(f"{header} {'load':>5}")
    for turn in range(args.rounds):
        for mode in modes[turn % len(modes) :] + modes[: turn % len(modes)]:
            figures = run_mode(mode, model.store, work, args.window_ms)
            rounds[mode].append(figures)
            _print_row(f"{mode} {turn + 1}", figures, f"{os.getloadavg()[0]:>5.1f}")
    print(f"median of {args.rounds} round(s):")
    medians = {mode: _median(figures) for mode, figures in rounds.items()}
    for mode, figures in medians.items():
        _print_row(mode, figures, "")
    if "dynamic" in medians:
        for other in ("per-request", "serial"):
            if other in medians:
                wall = medians["dynamic"].per_second / medians[other].per_second
                cpu = medians["dynamic"].per_cpu_second / medians[other].per_cpu_second
                print(f"dynamic batching vs {other}: {wall:.1f}x requests/s, {cpu:.1f}x requests per CPU second")
    if args.ceiling:
        batched, alone = engine_ceiling(model.store, work, PER_REQUEST_THREADS)
        print(
            f"the library alone, no server: {batched:.2f} texts/s in batches of {args.clients}, {alone:.2f} one "
            f"per call ({PER_REQUEST_THREADS} calls at once): {batched / alone:.1f}x is what batching can gain here"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
