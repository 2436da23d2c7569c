"""A bounded loopback load test: 32 concurrent clients x 50 requests, nothing lost or mixed up.

The tagging engine wraps each sentence as `en(sentence)`, so every answer proves which request it
belongs to. Latency and throughput are printed (run with -s), never asserted.
"""

from __future__ import annotations

import http.client
import json
import statistics
import threading
import time

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from tests.engines import TaggingEngine
from tests.serve_live import live_server
from translator.translator import Translator

CLIENTS = 32
REQUESTS = 50


def _client(port: int, client: int, latencies: list[float], wrong: list[str]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        for index in range(REQUESTS):
            text = f"第{client}号客户的第{index}句话。"
            body = json.dumps({"q": text, "source": "auto", "target": "en"})
            started = time.perf_counter()
            connection.request("POST", "/translate", body, {"Content-Type": "application/json"})
            response = connection.getresponse()
            answer = json.loads(response.read())
            latencies.append(time.perf_counter() - started)
            if response.status != 200 or answer.get("translatedText") != f"en({text})":
                wrong.append(f"{text!r} -> {response.status} {answer!r}")
    finally:
        connection.close()


def test_concurrent_clients_each_get_their_own_answers() -> None:
    engine = TaggingEngine()
    translator = Translator(engine=engine, cache=False)
    with live_server(translator) as base:
        port = int(base.rsplit(":", 1)[1])
        latencies: list[float] = []
        wrong: list[str] = []
        threads = [
            threading.Thread(target=_client, args=(port, client, latencies, wrong)) for client in range(CLIENTS)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(300)
        elapsed = time.perf_counter() - started
    assert wrong == []
    assert len(latencies) == CLIENTS * REQUESTS
    # Dynamic batching gathered concurrent requests: fewer engine calls than requests.
    assert len(engine.sentences_seen) == CLIENTS * REQUESTS > len(engine.calls)
    quantiles = statistics.quantiles(latencies, n=100)
    print(
        f"\nserve load: {len(latencies)} requests from {CLIENTS} clients, "
        f"p50 {quantiles[49] * 1000:.1f} ms, p95 {quantiles[94] * 1000:.1f} ms, "
        f"{len(latencies) / elapsed:.0f} requests/s"
    )
