"""A persistent cache of sentence translations, shared by every zhen process of a user.

Social posts repeat themselves (the same hashtags, greetings and catch-phrases), and a batch job
that is interrupted should resume for free: so every translated sentence is stored under a key
naming everything that could change the answer (model, revision, backend, decoding options,
direction) plus the sentence. SQLite in WAL mode lets two processes (say the TUI and a batch run)
read and write at once.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key BLOB PRIMARY KEY,
    output TEXT NOT NULL
) WITHOUT ROWID
"""
#: SQLite allows at most 999 bound parameters per statement in older builds.
_CHUNK = 500


def default_cache_path() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("zhen")) / "translations.sqlite3"


class TranslationCache:
    """Maps (engine key, sentence) to the engine's output."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_cache_path()
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # The TUI translates from worker threads; the lock serialises access instead.
            connection = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute(_SCHEMA)
            connection.commit()
            self._connection = connection
        return self._connection

    @staticmethod
    def _key(engine_key: str, sentence: str) -> bytes:
        return hashlib.blake2b(f"{engine_key}\x00{sentence}".encode(), digest_size=20).digest()

    def get_many(self, engine_key: str, sentences: Sequence[str]) -> dict[str, str]:
        """The cached outputs of those `sentences` that are in the cache."""
        keys = {self._key(engine_key, sentence): sentence for sentence in sentences}
        found: dict[str, str] = {}
        with self._lock:
            connection = self._connect()
            key_list = list(keys)
            for index in range(0, len(key_list), _CHUNK):
                chunk = key_list[index : index + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = connection.execute(
                    f"SELECT key, output FROM translations WHERE key IN ({marks})", chunk
                )
                for key, output in rows:
                    found[keys[key]] = output
        return found

    def put_many(self, engine_key: str, pairs: Iterable[tuple[str, str]]) -> None:
        rows = [(self._key(engine_key, sentence), output) for sentence, output in pairs]
        if not rows:
            return
        with self._lock:
            connection = self._connect()
            connection.executemany("INSERT OR REPLACE INTO translations VALUES (?, ?)", rows)
            connection.commit()

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
