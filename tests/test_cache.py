"""The SQLite translation cache: keys, and two processes writing at once."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from translator.cache import TranslationCache


def test_keys_separate_engines_and_sentences(tmp_path: Path) -> None:
    cache = TranslationCache(tmp_path / "c.sqlite3")
    cache.put_many("model-a|beam=4", [("你好", "Hello"), ("谢谢", "Thanks")])
    assert cache.get_many("model-a|beam=4", ["你好", "谢谢", "再见"]) == {"你好": "Hello", "谢谢": "Thanks"}
    assert cache.get_many("model-a|beam=1", ["你好"]) == {}


def test_many_sentences_in_one_lookup(tmp_path: Path) -> None:
    cache = TranslationCache(tmp_path / "c.sqlite3")
    pairs = [(f"句子{i}", f"sentence {i}") for i in range(2500)]
    cache.put_many("k", pairs)
    assert cache.get_many("k", [s for s, _ in pairs]) == dict(pairs)


def _writer(path: str, name: str) -> None:
    cache = TranslationCache(Path(path))
    for batch in range(20):
        cache.put_many("shared", [(f"{name}-{batch}-{i}", f"{name}:{batch}:{i}") for i in range(50)])
        cache.get_many("shared", [f"{name}-{batch}-0"])


def test_two_processes_write_at_once(tmp_path: Path) -> None:
    path = str(tmp_path / "c.sqlite3")
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(path, name)) for name in ("tui", "batch")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    found = TranslationCache(Path(path)).get_many(
        "shared", [f"{n}-{b}-{i}" for n in ("tui", "batch") for b in range(20) for i in range(50)]
    )
    assert len(found) == 2000
