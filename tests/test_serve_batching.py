"""Dynamic batching (translator.serve._batching) driven directly from asyncio, without HTTP."""

from __future__ import annotations

import asyncio
import time

import pytest

pytest.importorskip("starlette")

from tests.engines import TaggingEngine
from translator.serve._batching import Batcher
from translator.translator import Translator

#: What client n takes to send its next request once answered (its round trip), in seconds.
CLIENT_PAUSES = (0.005, 0.01, 0.015, 0.02)


class SlowTaggingEngine(TaggingEngine):
    """Takes as long as a real model's batch (it sleeps: no CPU needed), long enough that the
    next batch may wait the few ms its clients need to come back."""

    def translate(self, segments: list[str], source: str, target: str) -> list[str]:
        time.sleep(2.0)
        return super().translate(segments, source, target)


def test_under_load_a_batch_waits_for_the_clients_the_last_call_answered() -> None:
    engine = SlowTaggingEngine()
    batcher = Batcher({"Hans": Translator(engine=engine, cache=False)}, window_ms=1)

    async def client(number: int) -> list[str]:
        answers = []
        for index in range(3):
            [result] = await batcher.translate([f"第{number}位客户的第{index}句。"], "en", "Hans")
            answers.append(result.text)
            await asyncio.sleep(CLIENT_PAUSES[number])
        return answers

    async def run() -> list[list[str]]:
        try:
            return await asyncio.gather(*(client(number) for number in range(len(CLIENT_PAUSES))))
        finally:
            batcher.close()

    answers = asyncio.run(run())
    assert answers[2] == [f"en(第2位客户的第{index}句。)" for index in range(3)]
    # The clients come back 5 to 20 ms after their answers, spread wider than the 1 ms window:
    # only waiting for them keeps every batch full (else the first one back goes alone).
    assert [len(segments) for segments, _, _ in engine.calls] == [4, 4, 4]
