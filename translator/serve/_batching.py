"""Dynamic batching: requests for the same target that arrive close together share one engine call.

A MarianMT batch costs far less per sentence than one call per sentence (opus-mt-zh-en's
architecture, CTranslate2 int8, beam 4, 2 cores: about 1.05 s for one 12-token clause alone, 0.44 s
each in a batch of 16, 0.36 s in a batch of 32), so gathering concurrent requests (a
page-translating extension sends dozens at once) multiplies throughput. Jobs wait in a
bounded queue; a full queue is refused at once (the server answers 429) instead of growing.
One worker thread runs the engine: the engine itself uses every core.

How long a batch waits for company: after an idle spell, `window_ms` (a page's burst of requests
arrives within a few ms). Under load, the clients answered by the last engine call send their next
requests a loopback round trip later; a batch taken at once would leave them for the next call,
and batches would alternate between large and small. So after an engine call the next batch waits
until those clients are back, or at most `_GATHER_SHARE` of that call's time (capped by
`gather_max_ms`), which bounds what waiting can cost to a few per cent of throughput.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from translator.languages import Script
from translator.result import Translation
from translator.translator import Translator

#: dynamic: gather concurrent requests into one batch; per-request: each request its own engine
#: call (several at once in threads); serial: one request at a time, as LibreTranslate does.
BatchMode = Literal["dynamic", "per-request", "serial"]
BATCH_MODES: tuple[BatchMode, ...] = ("dynamic", "per-request", "serial")
#: Engine calls at once in mode "per-request": enough to keep every worker of the engine busy.
PER_REQUEST_THREADS = 4
#: Share of the last engine call's time that the next batch may wait for the clients it answered.
_GATHER_SHARE = 0.05


class Overloaded(Exception):
    """The queue is full: the client should retry later (HTTP 429)."""


@dataclass
class _Job:
    texts: list[str]
    target: str
    script: Script
    future: asyncio.Future[list[Translation]] = field(repr=False)


class Batcher:
    """Runs `translate_batch` for jobs from the event loop, gathering them in `mode` "dynamic"."""

    def __init__(
        self,
        translators: dict[Script, Translator],
        *,
        mode: BatchMode = "dynamic",
        window_ms: float = 5.0,
        gather_max_ms: float = 1000.0,
        max_batch_texts: int = 64,
        max_queue: int = 256,
        per_request_threads: int = PER_REQUEST_THREADS,
    ) -> None:
        self._translators = translators
        self.mode = mode
        self._window = window_ms / 1000
        self._gather_max = gather_max_ms / 1000
        self._max_batch_texts = max_batch_texts
        self._max_queue = max_queue
        self._queue: deque[_Job] = deque()
        self._wake: asyncio.Event | None = None
        self._worker: asyncio.Task[None] | None = None
        threads = per_request_threads if mode == "per-request" else 1
        self._pool = concurrent.futures.ThreadPoolExecutor(threads, thread_name_prefix="zhen-serve")
        self._busy = 0
        #: Engine calls made and the texts they carried (for benchmarks and /health).
        self.batches = 0
        self.batched_texts = 0

    def supports(self, script: Script) -> bool:
        return script in self._translators

    async def translate(self, texts: Sequence[str], target: str, script: Script) -> list[Translation]:
        """One Translation per text, failed texts carrying their reason; raises Overloaded."""
        if len(self._queue) + self._busy >= self._max_queue:
            raise Overloaded
        loop = asyncio.get_running_loop()
        if self.mode == "per-request":
            self._busy += 1
            try:
                return await loop.run_in_executor(self._pool, self._run, list(texts), target, script)
            finally:
                self._busy -= 1
                self.batches += 1
                self.batched_texts += len(texts)
        job = _Job(list(texts), target, script, loop.create_future())
        self._queue.append(job)
        self._start_worker()
        assert self._wake is not None
        self._wake.set()
        return await job.future

    def _start_worker(self) -> None:
        if self._worker is None or self._worker.done():
            self._wake = asyncio.Event()
            self._worker = asyncio.get_running_loop().create_task(self._work())

    async def _work(self) -> None:
        assert self._wake is not None
        loop = asyncio.get_running_loop()
        expected, gather_end = 0, 0.0
        while True:
            if not self._queue:
                self._wake.clear()
                await self._wake.wait()
                continue
            if self.mode == "dynamic":
                if time.perf_counter() < gather_end:  # the clients just answered may be on their way
                    await self._gather(gather_end, expected)
                else:
                    await self._gather(time.perf_counter() + self._window)
            jobs = self._take()
            texts = [text for job in jobs for text in job.texts]
            first = jobs[0]
            self._busy = len(jobs)
            started = time.perf_counter()
            try:
                results = await loop.run_in_executor(self._pool, self._run, texts, first.target, first.script)
            except Exception as error:  # the whole batch failed: each request answers 500
                for job in jobs:
                    if not job.future.done():
                        job.future.set_exception(error)
                continue
            finally:
                self._busy = 0
                ended = time.perf_counter()
                expected = len(self._queue) + len(jobs)
                gather_end = ended + min(self._gather_max, _GATHER_SHARE * (ended - started))
            self.batches += 1
            self.batched_texts += len(texts)
            start = 0
            for job in jobs:
                if not job.future.done():  # a client that went away cancelled its future
                    job.future.set_result(results[start : start + len(job.texts)])
                start += len(job.texts)

    async def _gather(self, deadline: float, expected: int | None = None) -> None:
        """Let the queue fill until `deadline`; stop early once `expected` jobs are queued or
        they make a full batch."""
        assert self._wake is not None
        while expected is None or len(self._queue) < expected:
            if sum(len(job.texts) for job in self._queue) >= self._max_batch_texts:
                return
            left = deadline - time.perf_counter()
            if left <= 0:
                return
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), left)
            except asyncio.TimeoutError:
                return

    def _take(self) -> list[_Job]:
        """The first job, and in dynamic mode the queued jobs with its direction, up to the batch size."""
        first = self._queue.popleft()
        jobs = [first]
        if self.mode != "dynamic":
            return jobs
        count = len(first.texts)
        kept: deque[_Job] = deque()
        while self._queue:
            job = self._queue.popleft()
            same = (job.target, job.script) == (first.target, first.script)
            if same and count + len(job.texts) <= self._max_batch_texts:
                jobs.append(job)
                count += len(job.texts)
            else:
                kept.append(job)
        self._queue.extendleft(reversed(kept))
        return jobs

    def _run(self, texts: list[str], target: str, script: Script) -> list[Translation]:
        # The APIs answer text only: no glossary notes.
        return self._translators[script].translate_batch(texts, target, notes=False, errors="return")

    def close(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
        self._pool.shutdown(wait=False, cancel_futures=True)
