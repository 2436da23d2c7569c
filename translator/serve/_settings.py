"""What a `zhen serve` instance allows: keys, limits, CORS origins, batching."""

from __future__ import annotations

from dataclasses import dataclass

from ._batching import BatchMode


@dataclass(frozen=True)
class ServeSettings:
    #: Accepted API keys; empty means no key is needed (loopback only: the CLI enforces it).
    api_keys: frozenset[str] = frozenset()
    #: Characters per request (all texts of a list together).
    char_limit: int = 20_000
    #: Texts per request (`q` list, DeepL `text` list).
    batch_limit: int = 128
    #: Bytes of a request body (uploads included).
    body_limit: int = 2 * 1024 * 1024
    #: Seconds a client may take to send its body.
    read_timeout: float = 30.0
    #: Origins that browser pages may call from ("*": any, as browser extensions need).
    cors_origins: tuple[str, ...] = ("*",)
    #: Write the texts of requests to the log (off: only sizes and timings).
    log_text: bool = False
    batch_mode: BatchMode = "dynamic"
    #: How long a batch waits for company after an idle spell.
    batch_window_ms: float = 5.0
    #: Under load, the longest a batch waits for the clients the last engine call answered (it
    #: also waits at most 5% of that call's time). On a busy machine, 16 clients took more than
    #: 100 ms to come back, so a 100 ms cap let batches run part empty.
    batch_gather_max_ms: float = 1000.0
    max_batch_texts: int = 64
    #: Requests waiting for the engine before new ones are refused with 429.
    max_queue: int = 256
    #: Load the models when the server starts (off: on the first request; /health tells).
    preload: bool = True
