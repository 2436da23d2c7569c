"""What the user translated, kept across runs so a post can be found again and reopened.

The store is a JSON-lines file in the user data dir (`translator.locations.history_file()`). It is
append-only: saving an entry again (the user kept editing the same post) appends a newer version
of it, and the newest line for an id wins. Appending one line is cheap and survives a crash halfway
through (a torn last line is skipped), so the UI can save after every translation. When the file
holds far more lines than entries it is compacted, and only the newest `max_entries` are kept, so
it stays small however long zhen is used.

Everything stays on this machine; `clear()` deletes it.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from stat import S_ISREG
from typing import Any, Literal

from .errors import ZhenError
from .statefile import check_depth, move_aside, write_state_file

#: `post`: something the user read and translated; `reply`: something they wrote to send back.
EntryKind = Literal["post", "reply"]

DEFAULT_MAX_ENTRIES = 1000

#: `is_revision`: how alike two texts must be (difflib ratio) to count as one edited text.
_SAME_TEXT_RATIO = 0.6
_COMPARED_CHARS = 400


class HistoryUnavailableError(ZhenError):
    """The history file cannot be read or written (permissions, full disk)."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        super().__init__(
            f"cannot use the history file {path} ({problem}): check its permissions, "
            f"or delete it to start a new history"
        )

    @classmethod
    def from_os(cls, path: Path, error: OSError) -> HistoryUnavailableError:
        return cls(path, error.strerror or str(error))


@dataclass(frozen=True)
class HistoryEntry:
    """One translated text, as last saved."""

    id: str
    original: str
    text: str
    source: str
    target: str
    kind: EntryKind = "post"
    #: Seconds since the epoch when the entry was first and last saved.
    created: float = 0.0
    updated: float = 0.0

    def matches(self, words: list[str]) -> bool:
        """Whether every (lower-case) word occurs in the original or the translation."""
        haystack = f"{self.original}\n{self.text}".casefold()
        return all(word in haystack for word in words)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HistoryEntry:
        kind = data.get("kind", "post")
        return cls(
            id=str(data["id"]),
            original=str(data["original"]),
            text=str(data.get("text", "")),
            source=str(data.get("source", "")),
            target=str(data.get("target", "")),
            kind="reply" if kind == "reply" else "post",
            created=float(data.get("created", 0.0)),
            updated=float(data.get("updated", data.get("created", 0.0))),
        )


def is_revision(earlier: str, later: str) -> bool:
    """Whether `later` is the same text as `earlier`, edited, rather than a different one.

    A post being typed grows at its end, and a pasted post gets corrected here and there: both
    stay one history entry. Pasting a new post over the old one starts a new entry.
    """
    earlier, later = earlier.strip(), later.strip()
    if not earlier or not later:
        return False
    if later.startswith(earlier) or earlier.startswith(later):
        return True
    from difflib import SequenceMatcher

    # Comparing whole long posts is quadratic; their beginnings tell the same story.
    matcher = SequenceMatcher(None, earlier[:_COMPARED_CHARS], later[:_COMPARED_CHARS], autojunk=False)
    return matcher.quick_ratio() >= _SAME_TEXT_RATIO and matcher.ratio() >= _SAME_TEXT_RATIO


def default_history_path() -> Path:
    """Where the history lives unless a caller says otherwise."""
    from .locations import history_file

    return history_file()


class History:
    """A bounded, searchable store of `HistoryEntry`, newest first.

    The file is read lazily and re-read when another zhen process changed it, so two open apps see
    each other's entries.
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.path = path if path is not None else default_history_path()
        self.max_entries = max_entries
        self._clock = clock
        # Entries by id, oldest first (dict order), and the file state they were read from.
        self._entries: dict[str, HistoryEntry] = {}
        self._lines = 0
        self._loaded_state: tuple[int, int] | None = None
        #: One line per broken file moved aside, for the UI to tell the user (and then clear).
        self.notices: list[str] = []

    # -- reading -----------------------------------------------------------------------------

    def entries(self, limit: int | None = None) -> list[HistoryEntry]:
        """Entries, most recently saved first."""
        self._refresh()
        newest_first = list(reversed(self._entries.values()))
        return newest_first if limit is None else newest_first[:limit]

    def search(self, query: str, limit: int | None = None) -> list[HistoryEntry]:
        """Entries whose original or translation contains every word of `query` (any case).

        An empty query returns every entry. Chinese has no spaces, so a Chinese query is matched
        as one substring.
        """
        words = query.casefold().split()
        found = [entry for entry in self.entries() if entry.matches(words)]
        return found if limit is None else found[:limit]

    def __len__(self) -> int:
        self._refresh()
        return len(self._entries)

    # -- writing -----------------------------------------------------------------------------

    def save(
        self,
        original: str,
        text: str,
        source: str,
        target: str,
        *,
        kind: EntryKind = "post",
        entry_id: str | None = None,
    ) -> HistoryEntry:
        """Save a translation and return its entry.

        With the `entry_id` of an earlier entry, that entry is replaced (keeping its creation
        time) and becomes the newest: that is how a post being edited stays one entry instead of
        one per keystroke pause.
        """
        self._refresh()
        now = self._clock()
        previous = self._entries.get(entry_id) if entry_id else None
        entry = HistoryEntry(
            id=entry_id or uuid.uuid4().hex,
            original=original,
            text=text,
            source=source,
            target=target,
            kind=kind,
            created=previous.created if previous else now,
            updated=now,
        )
        if previous is not None and replace(previous, updated=now) == entry:
            return previous  # nothing changed: do not grow the file
        self._append(asdict(entry))
        self._remember(entry)
        self._compact_if_needed()
        return entry

    def delete(self, entry_id: str) -> None:
        """Forget one entry (no error if it is already gone)."""
        self._refresh()
        if entry_id in self._entries:
            self._append({"id": entry_id, "deleted": True})
            del self._entries[entry_id]
            self._compact_if_needed()

    def clear(self) -> list[HistoryEntry]:
        """Forget everything: the file is deleted. Returns what was forgotten, for `restore()`."""
        self._refresh()
        forgotten = list(self._entries.values())
        try:
            self.path.unlink(missing_ok=True)
        except OSError as error:
            raise HistoryUnavailableError.from_os(self.path, error) from None
        self._entries.clear()
        self._lines = 0
        self._loaded_state = None
        return forgotten

    def restore(self, entries: list[HistoryEntry]) -> None:
        """Put back the entries `clear()` returned; anything saved since stays the newest."""
        self._refresh()
        later = self._entries
        self._entries = {entry.id: entry for entry in entries if entry.id not in later}
        for entry in later.values():
            self._remember(entry)
        self._rewrite()

    # -- the file ----------------------------------------------------------------------------

    def _remember(self, entry: HistoryEntry) -> None:
        self._entries.pop(entry.id, None)
        self._entries[entry.id] = entry
        while len(self._entries) > self.max_entries:
            del self._entries[next(iter(self._entries))]

    def _file_state(self) -> tuple[int, int] | None:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise HistoryUnavailableError.from_os(self.path, error) from None
        if not S_ISREG(stat.st_mode):
            # A folder (or a device) where the history belongs: move it aside, start afresh.
            moved = move_aside(self.path)
            if moved is None:
                raise HistoryUnavailableError(self.path, "it is not a file")
            self.notices.append(f"The history path {self.path} was not a file: moved it to {moved.name}")
            return None
        return (stat.st_mtime_ns, stat.st_size)

    def _refresh(self) -> None:
        state = self._file_state()
        if state == self._loaded_state:
            return
        self._entries.clear()
        self._lines = 0
        if state is not None:
            try:
                with self.path.open(encoding="utf-8", errors="replace") as handle:
                    for line in handle:
                        self._lines += 1
                        self._apply_line(line)
            except OSError as error:
                raise HistoryUnavailableError.from_os(self.path, error) from None
        self._loaded_state = state

    def _apply_line(self, line: str) -> None:
        try:
            check_depth(line)  # a line nested thousands deep would overflow json's parser
            data = json.loads(line)
            if data.get("deleted"):
                self._entries.pop(str(data["id"]), None)
            else:
                self._remember(HistoryEntry.from_dict(data))
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            pass  # a line torn by a crash, or edited by hand: the rest of the history still counts

    def _append(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self._ends_with_newline():
                line = "\n" + line  # after a line torn by a crash: do not glue onto it
            # 0o600: these are the user's private messages.
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as handle:
                handle.write(line)
        except OSError as error:
            raise HistoryUnavailableError.from_os(self.path, error) from None
        self._lines += 1
        self._loaded_state = self._file_state()

    def _ends_with_newline(self) -> bool:
        try:
            with self.path.open("rb") as handle:
                handle.seek(-1, os.SEEK_END)
                return handle.read(1) == b"\n"
        except OSError:  # no file yet, or an empty one (no byte before its start)
            return True

    def _compact_if_needed(self) -> None:
        """Rewrite the file with one line per live entry once superseded lines dominate it."""
        if self._lines > 2 * max(len(self._entries), self.max_entries // 2) + 16:
            self._rewrite()

    def _rewrite(self) -> None:
        """Write the file anew with one line per live entry, atomically."""
        lines = (json.dumps(asdict(entry), ensure_ascii=False) + "\n" for entry in self._entries.values())
        try:
            write_state_file(self.path, "".join(lines).encode("utf-8"))
        except OSError as error:
            raise HistoryUnavailableError.from_os(self.path, error) from None
        self._lines = len(self._entries)
        self._loaded_state = self._file_state()
