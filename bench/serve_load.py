"""`zhen serve` load test with the real-architecture model: many clients, nothing lost or mixed up.

    python bench/serve_load.py [--clients 32] [--requests 50] [--tokens 8] [--tiny]

`--clients` threads on loopback each send `--requests` LibreTranslate requests one after another
(keep-alive connections, a 600 s timeout each, so the run is bounded). Every text is distinct and
`--tokens` source tokens long (a FLORES clause with a serial number). The server runs the real
pipeline and dynamic batching over an engine that first translates each batch with bench/model.py's
random-weight copy of opus-mt-zh-en (CTranslate2 int8, outputs forced to 1.1x the source tokens as
in bench/run.py), which is where the time goes, and then answers `en(<its input>)`: since
random weights translate into noise, the tag is what proves that every answer went back to the
request it belongs to. Prints latency and throughput; exits 1 if any request failed or got
another request's answer.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.data import SourceLengths, flores_lines, have_shared_data, short_clauses
from bench.model import build_model
from bench.serve_bench import FORCED_LENGTH_RATIO, drive, wait_ready
from bench.zhen_forced import force_lengths
from translator.serve import ServeSettings, create_app, running_server
from translator.translator import Translator


class ModelCostTaggingEngine:
    """Translates each batch with the real model (for its cost), then answers `target(segment)`."""

    backend = "tagging+ctranslate2"

    def __init__(self, model: Translator) -> None:
        self._model = model
        self.calls: list[int] = []

    def translate(self, segments: list[str], source: str, target: str) -> list[str]:
        self._model.translate_batch(segments, target, notes=False)
        self.calls.append(len(segments))
        return [f"{target}({segment})" for segment in segments]


def numbered_texts(count: int, tokens: int) -> list[str]:
    """`count` distinct FLORES clauses with a serial number, each exactly `tokens` tokens long."""
    length = SourceLengths()
    clauses = [clause for size in range(2, tokens) for clause in short_clauses(flores_lines(), length, size)]
    texts: list[str] = []
    for serial in range(10 * count):
        for clause in clauses:
            text = f"{clause}{serial}号"
            if length(text) == tokens:
                texts.append(text)
                if len(texts) == count:
                    return texts
    raise SystemExit(f"only {len(texts)} texts of {tokens} tokens: ask for other lengths")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=50, help="requests per client")
    parser.add_argument("--tokens", type=int, default=8, help="source tokens of every text")
    parser.add_argument("--tiny", action="store_true", help="the 1 M-parameter model (a smoke run)")
    args = parser.parse_args()
    if not have_shared_data():
        print("serve_load: ../shared (real tokenizer and FLORES) is missing; nothing to measure")
        return 0
    texts = numbered_texts(args.clients * args.requests, args.tokens)
    work = [texts[client :: args.clients] for client in range(args.clients)]
    force_lengths(FORCED_LENGTH_RATIO)
    model = Translator(models_dir=build_model(tiny=args.tiny).store, backend="ctranslate2", cache=False)
    model.load("zh", "en")
    engine = ModelCostTaggingEngine(model)
    app = create_app(Translator(engine=engine, cache=False), ServeSettings(max_queue=4 * args.clients))
    print(
        f"zhen serve load test, {'tiny' if args.tiny else 'real-architecture'} model (CTranslate2 int8), "
        f"{args.clients} clients x {args.requests} requests of {args.tokens}-token texts, loopback"
    )
    with running_server(app) as base:
        wait_ready(base)
        latencies, wrong, seconds, cpu_seconds = drive(base, work, lambda text: f"en({text})")
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    print(
        f"{len(latencies)} of {len(texts)} requests answered in {seconds:.0f} s ({cpu_seconds:.0f} CPU s): "
        f"{len(latencies) / seconds:.2f} requests/s, p50 {quantiles[49] * 1000:.0f} ms, "
        f"p95 {quantiles[94] * 1000:.0f} ms; {len(engine.calls)} engine calls, "
        f"{sum(engine.calls) / max(1, len(engine.calls)):.1f} texts each, largest {max(engine.calls, default=0)}"
    )
    if wrong:
        print(f"{len(wrong)} requests failed or got another answer, first: {wrong[0]}")
        return 1
    print("every request answered with its own text")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
