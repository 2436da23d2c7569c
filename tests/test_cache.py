"""The SQLite translation cache: keys, and two processes writing at once."""

from __future__ import annotations

import multiprocessing
import multiprocessing.synchronize
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_opening_ahead_creates_the_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "new" / "c.sqlite3"
    cache = TranslationCache(path)
    cache.open()
    assert path.is_file()
    monkeypatch.setattr(sqlite3, "connect", _refuse)
    cache.put_many("k", [("你好", "Hello")])
    assert cache.get_many("k", ["你好"]) == {"你好": "Hello"}


def test_opening_ahead_turns_an_unusable_cache_off_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite3, "connect", _refuse)
    notices: list[str] = []
    cache = TranslationCache(tmp_path / "c.sqlite3", on_notice=notices.append)
    cache.open()
    assert not cache.enabled
    cache.put_many("k", [("a", "A")])
    assert cache.get_many("k", ["a"]) == {}
    assert len(notices) == 1 and "read-only" in notices[0] and "--no-cache" in notices[0]


def _refuse(*args: object, **kwargs: object) -> None:
    error = sqlite3.OperationalError("attempt to write a readonly database")
    error.sqlite_errorcode = 8  # type: ignore[attr-defined]
    raise error


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


def _fresh_cache_worker(path: str, name: str, start: multiprocessing.synchronize.Barrier) -> None:
    start.wait()
    cache = TranslationCache(Path(path), on_notice=lambda message: sys.exit(f"notice: {message}"))
    for batch in range(5):
        cache.put_many("shared", [(f"{name}-{batch}-{i}", f"{name}:{batch}:{i}") for i in range(20)])
        assert cache.get_many("shared", [f"{name}-{batch}-0"]) == {f"{name}-{batch}-0": f"{name}:{batch}:0"}
    cache.close()


def test_eight_processes_on_a_fresh_cache_all_succeed(tmp_path: Path) -> None:
    """Connecting, creating the schema and switching to WAL race when processes start at once."""
    for round_ in range(3):
        path = str(tmp_path / f"round{round_}" / "c.sqlite3")
        context = multiprocessing.get_context("fork")
        start = context.Barrier(8)
        names = [f"p{index}" for index in range(8)]
        workers = [context.Process(target=_fresh_cache_worker, args=(path, name, start)) for name in names]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=120)
        assert [worker.exitcode for worker in workers] == [0] * 8
        found = TranslationCache(Path(path)).get_many(
            "shared", [f"{n}-{b}-{i}" for n in names for b in range(5) for i in range(20)]
        )
        assert len(found) == 8 * 5 * 20


_HOLD_WRITE_LOCK = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("CREATE TABLE other (a)")
connection.execute("BEGIN IMMEDIATE")
connection.execute("INSERT INTO other VALUES (1)")
print("writing", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("COMMIT")
"""


def test_switching_a_fresh_cache_to_wal_waits_for_a_writer(tmp_path: Path) -> None:
    """SQLite answers "database is locked" at once (no busy handler) when the switch to WAL meets
    another process's pending write: the race two `zhen file` runs on a fresh cache lost."""
    path = tmp_path / "c.sqlite3"
    writer = subprocess.Popen(
        [sys.executable, "-c", _HOLD_WRITE_LOCK, str(path), "0.5"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "writing"
        notices: list[str] = []
        cache = TranslationCache(path, on_notice=notices.append)
        cache.put_many("k", [("a", "A")])
        assert cache.get_many("k", ["a"]) == {"a": "A"}
        assert notices == []
    finally:
        writer.wait(timeout=60)


def _broken_contents(path: Path, how: str) -> None:
    if how == "folder":
        path.mkdir()
        (path / "inside").write_text("x")
        return
    if how == "wrong schema":
        connection = sqlite3.connect(path)
        connection.execute("CREATE TABLE translations (id INTEGER, text TEXT)")
        connection.commit()
        connection.close()
        return
    good = TranslationCache(path)
    good.put_many("k", [(f"s{i}", f"o{i}") for i in range(2000)])
    good.close()
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 3 + 100])
    elif how == "random bytes":
        path.write_bytes(random.Random(1).randbytes(len(data)))
    elif how == "not a database":
        path.write_text("just some notes\n" * 200)
    elif how == "empty header":
        path.write_bytes(b"\x00" * 4096)


@pytest.mark.parametrize("how", ["truncated", "random bytes", "not a database", "wrong schema", "folder"])
def test_a_broken_cache_is_moved_aside_and_replaced(tmp_path: Path, how: str) -> None:
    path = tmp_path / "translations.sqlite3"
    _broken_contents(path, how)
    notices: list[str] = []
    cache = TranslationCache(path, on_notice=notices.append)
    cache.get_many("k", ["s1"])
    cache.put_many("k", [("你好", "Hello")])
    assert cache.get_many("k", ["你好"]) == {"你好": "Hello"}
    aside = [entry for entry in tmp_path.iterdir() if ".broken-" in entry.name]
    if how == "truncated" and not aside:
        # SQLite reads what survives of a truncated file; that is fine as long as it works.
        assert notices == []
        return
    assert len(notices) == 1, notices
    assert "moved it to" in notices[0] and str(aside[0]) in notices[0]
    assert aside[0].name.startswith("translations.sqlite3.broken-")


def test_a_cache_that_breaks_while_open_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "translations.sqlite3"
    notices: list[str] = []
    cache = TranslationCache(path, on_notice=notices.append)
    cache.put_many("k", [("a", "A")])
    cache.close()
    path.write_bytes(b"garbage" * 1000)
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    assert cache.get_many("k", ["a"]) == {}
    cache.put_many("k", [("b", "B")])
    assert cache.get_many("k", ["b"]) == {"b": "B"}
    assert len(notices) == 1 and "broken" in notices[0]


def test_a_full_disk_turns_caching_off_once(tmp_path: Path) -> None:
    notices: list[str] = []
    cache = TranslationCache(tmp_path / "c.sqlite3", on_notice=notices.append)
    cache.put_many("k", [("a", "A")])
    connection = cache._connect()
    assert connection is not None
    # SQLite reports a database that may not grow like a full disk (SQLITE_FULL).
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.execute(f"PRAGMA max_page_count={pages}")
    cache.put_many("k", [(f"s{i}", "x" * 1000) for i in range(200)])
    cache.put_many("k", [(f"t{i}", "x" * 1000) for i in range(200)])
    assert cache.get_many("k", ["a"]) == {}
    assert len(notices) == 1
    assert "no space left" in notices[0] and "--no-cache" in notices[0]


def test_a_read_only_folder_turns_caching_off_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notices: list[str] = []
    monkeypatch.setattr(sqlite3, "connect", _refuse)
    cache = TranslationCache(tmp_path / "c.sqlite3", on_notice=notices.append)
    cache.put_many("k", [("a", "A")])
    assert cache.get_many("k", ["a"]) == {}
    assert len(notices) == 1 and "read-only" in notices[0] and "--no-cache" in notices[0]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_really_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    notices: list[str] = []
    cache = TranslationCache(folder / "c.sqlite3", on_notice=notices.append)
    cache.put_many("k", [("a", "A")])
    assert cache.get_many("k", ["a"]) == {}
    assert len(notices) == 1


def test_a_cache_locked_by_another_process_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    TranslationCache(path).put_many("k", [("a", "A")])
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_EXCLUSIVE_LOCK, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        notices: list[str] = []
        cache = TranslationCache(path, on_notice=notices.append, busy_timeout=0.5)
        cache.put_many("k", [("b", "B")])
        cache.put_many("k", [("c", "C")])
        assert len(notices) == 1 and "locked by another process" in notices[0]
    finally:
        holder.kill()
        holder.wait()


_HOLD_EXCLUSIVE_LOCK = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(60)
"""


def test_lone_surrogates_are_not_stored_but_do_not_fail(tmp_path: Path) -> None:
    cache = TranslationCache(tmp_path / "c.sqlite3")
    cache.put_many("k", [("你好\ud800", "hi\ud800"), ("b", "B")])
    assert cache.get_many("k", ["你好\ud800", "b"]) == {"b": "B"}
