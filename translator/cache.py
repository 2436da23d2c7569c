"""A persistent cache of sentence translations, shared by every zhen process of a user.

Social posts repeat themselves (the same hashtags, greetings and catch-phrases), and a batch job
that is interrupted should resume for free: so every translated sentence is stored under a key
naming everything that could change the answer (model, revision, backend, decoding options,
direction) plus the sentence. SQLite in WAL mode lets many processes (the TUI, batch runs, a
server) read and write at once.

The cache only ever saves time, so it never stops a translation: a busy database is retried
until `busy_timeout`, a broken one (truncated, not a database, wrong schema, a folder) is moved
aside to `<name>.broken-<time>` and started afresh, and one that cannot be written (read-only or
full folder, locked for too long) is skipped for the rest of the run. Each of these is said once,
in one line, through `on_notice`.
"""

from __future__ import annotations

import contextlib
import hashlib
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar

from .statefile import move_aside

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key BLOB PRIMARY KEY,
    output TEXT NOT NULL
) WITHOUT ROWID
"""
#: SQLite allows at most 999 bound parameters per statement in older builds.
_CHUNK = 500
#: Seconds a process waits for another one's lock before going on without the cache.
BUSY_TIMEOUT = 20.0
#: SQLite's files beside the database in WAL mode; moved aside with it.
_COMPANIONS = ("-wal", "-shm", "-journal")

# Primary result codes (https://sqlite.org/rescode.html).
_BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_BROKEN_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_UNWRITABLE_CODES = {3, 8, 13, 14}  # SQLITE_PERM, SQLITE_READONLY, SQLITE_FULL, SQLITE_CANTOPEN

_T = TypeVar("_T")
Notice = Callable[[str], None]


def default_cache_path() -> Path:
    from .locations import translation_cache_file

    return translation_cache_file()


class _Broken(Exception):
    """The database file is damaged or is not zhen's cache: move it aside."""


class _Unusable(Exception):
    """The cache cannot be used this run (read-only, full, locked): go on without it."""


def _kind(error: sqlite3.Error) -> str:
    """'busy', 'broken', 'unwritable' or 'other', from SQLite's result code (or message before 3.11)."""
    code = getattr(error, "sqlite_errorcode", None)
    message = str(error).lower()
    if code is not None:
        primary = code & 0xFF
        if primary in _BUSY_CODES:
            return "busy"
        if primary in _BROKEN_CODES:
            return "broken"
        if primary in _UNWRITABLE_CODES:
            return "unwritable"
        if primary == 10:  # SQLITE_IOERR: a full disk shows up as a failed write too
            return "unwritable"
    if "locked" in message or "busy" in message:
        return "busy"
    if "not a database" in message or "malformed" in message:
        return "broken"
    if "readonly" in message or "read-only" in message or "full" in message or "unable to open" in message:
        return "unwritable"
    return "other"


class TranslationCache:
    """Maps (engine key, sentence) to the engine's output."""

    def __init__(
        self, path: Path | None = None, *, on_notice: Notice | None = None, busy_timeout: float = BUSY_TIMEOUT
    ) -> None:
        self.path = path or default_cache_path()
        #: One-line messages about the cache (broken file moved aside, caching off); also kept
        #: in `notices` for callers that show them later.
        self.on_notice = on_notice
        self.notices: list[str] = []
        self.busy_timeout = busy_timeout
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        #: Set once the cache cannot be used: the reason, already told.
        self._off: str | None = None

    @property
    def enabled(self) -> bool:
        return self._off is None

    def _notice(self, message: str) -> None:
        self.notices.append(message)
        if self.on_notice is not None:
            self.on_notice(message)

    def _turn_off(self, reason: str) -> None:
        if self._off is None:
            self._off = reason
            self._notice(f"translation cache {self.path}: {reason}; translating without it (--no-cache skips it)")
        self._close()

    def _close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(sqlite3.Error):
                self._connection.close()
            self._connection = None

    def _retry(self, action: Callable[[], _T]) -> _T:
        """Run `action`, retrying while another process holds the lock, for up to busy_timeout.

        SQLite's own busy handler covers most waits, but not all: switching to WAL and some lock
        upgrades return "database is locked" at once, so the wait is also done here.
        """
        deadline = time.monotonic() + self.busy_timeout
        pause = 0.005
        while True:
            try:
                return action()
            except sqlite3.Error as error:
                kind = _kind(error)
                if kind == "busy" and time.monotonic() < deadline:
                    time.sleep(pause * (0.5 + random.random()))
                    pause = min(pause * 2, 0.25)
                    continue
                if kind == "busy":
                    raise _Unusable(f"locked by another process for over {self.busy_timeout:g} s") from None
                if kind == "broken":
                    raise _Broken(str(error)) from None
                if kind == "unwritable":
                    raise _Unusable(_unwritable_reason(error, self.path)) from None
                raise _Broken(str(error)) from None

    def _open(self) -> sqlite3.Connection:
        if self.path.is_dir():
            raise _Broken("a folder, not a database")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise _Unusable(f"cannot create its folder ({error.strerror or error})") from None
        connection: sqlite3.Connection | None = None

        def setup() -> sqlite3.Connection:
            nonlocal connection
            if connection is None:
                # The TUI translates from worker threads; the lock serialises access instead.
                connection = sqlite3.connect(self.path, timeout=self.busy_timeout, check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute(_SCHEMA)
            connection.commit()
            # A table of that name from something else (or an older layout) fails here.
            connection.execute("SELECT key, output FROM translations LIMIT 0").fetchall()
            return connection

        try:
            return self._retry(setup)
        except BaseException:
            if connection is not None:
                connection.close()
            raise

    def _connect(self) -> sqlite3.Connection | None:
        """The open connection, or None when the cache is off for this run."""
        if self._off is not None:
            return None
        if self._connection is None:
            try:
                try:
                    self._connection = self._open()
                except _Broken as broken:
                    self._move_aside(str(broken))
                    self._connection = self._open()
            except _Broken as broken:
                self._turn_off(f"unusable ({broken})")
            except _Unusable as unusable:
                self._turn_off(str(unusable))
        return self._connection

    def _move_aside(self, reason: str) -> None:
        aside = move_aside(self.path)
        if aside is None:
            raise _Unusable(f"broken ({reason}) and cannot be moved aside")
        for suffix in _COMPANIONS:
            companion = self.path.with_name(self.path.name + suffix)
            if companion.exists():
                move_aside(companion)
        self._notice(f"translation cache {self.path} was broken ({reason}): moved it to {aside}, starting afresh")

    def _run(self, action: Callable[[sqlite3.Connection], _T], fallback: _T) -> _T:
        """`action` on the connection; on a problem, the cache is repaired or turned off and
        `fallback` is returned, so the caller's translation goes on."""
        connection = self._connect()
        if connection is None:
            return fallback
        try:
            return self._retry(lambda: action(connection))
        except _Broken as broken:
            self._close()
            try:
                self._move_aside(str(broken))
            except _Unusable as unusable:
                self._turn_off(str(unusable))
            return fallback
        except _Unusable as unusable:
            self._turn_off(str(unusable))
            return fallback

    @staticmethod
    def _key(engine_key: str, sentence: str) -> bytes:
        # surrogatepass: a lone surrogate in a sentence must not break hashing.
        data = f"{engine_key}\x00{sentence}".encode("utf-8", "surrogatepass")
        return hashlib.blake2b(data, digest_size=20).digest()

    def get_many(self, engine_key: str, sentences: Sequence[str]) -> dict[str, str]:
        """The cached outputs of those `sentences` that are in the cache."""
        keys = {self._key(engine_key, sentence): sentence for sentence in sentences}

        def select(connection: sqlite3.Connection) -> dict[str, str]:
            found: dict[str, str] = {}
            key_list = list(keys)
            for index in range(0, len(key_list), _CHUNK):
                chunk = key_list[index : index + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = connection.execute(
                    f"SELECT key, output FROM translations WHERE key IN ({marks})", chunk
                ).fetchall()
                for key, output in rows:
                    if key in keys and isinstance(output, str):
                        found[keys[key]] = output
            return found

        with self._lock:
            return self._run(select, {})

    def put_many(self, engine_key: str, pairs: Iterable[tuple[str, str]]) -> None:
        rows = [(self._key(engine_key, sentence), output) for sentence, output in pairs if _storable(output)]
        if not rows:
            return

        def insert(connection: sqlite3.Connection) -> None:
            try:
                connection.executemany("INSERT OR REPLACE INTO translations VALUES (?, ?)", rows)
                connection.commit()
            except BaseException:
                connection.rollback()
                raise

        with self._lock:
            self._run(insert, None)

    def open(self) -> None:
        """Open the file now (creating it the first time) instead of at the first look-up: a
        loading thread pays that, not the first translation. A problem turns the cache off, as
        it would at the first look-up."""
        with self._lock:
            self._connect()

    def close(self) -> None:
        with self._lock:
            self._close()


def _storable(text: str) -> bool:
    """SQLite stores UTF-8: text with a lone surrogate is not cached (it is still returned)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _unwritable_reason(error: sqlite3.Error, path: Path) -> str:
    message = str(error).lower()
    if "full" in message:
        return f"no space left on the disk of {path.parent}"
    if "readonly" in message or "read-only" in message:
        return f"the folder {path.parent} or the file is read-only"
    return f"cannot open or write it ({error})"
