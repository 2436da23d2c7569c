"""Reading zhen's own state files defensively: a broken file is moved aside, never fatal.

Preferences, history, caches, the user glossary and model manifests are files zhen wrote, but a
crash, a full disk, a sync tool or a curious user can leave them truncated, nested thousands of
levels deep or replaced by a folder. Whoever reads one catches `BrokenStateFile`, calls
`move_aside()`, tells the user in one line where the old file went, and carries on fresh.
"""

from __future__ import annotations

import contextlib
import json
import logging
import marshal
import os
import time
from pathlib import Path
from typing import Any

from .errors import ZhenError, first_line

__all__ = [
    "MAX_DEPTH",
    "MAX_STATE_BYTES",
    "BrokenStateFile",
    "check_depth",
    "load_json",
    "move_aside",
    "read_derived",
    "write_derived",
    "write_state_file",
]

log = logging.getLogger(__name__)

#: Deeper structures are refused before a recursive parser or walker can overflow the stack.
MAX_DEPTH = 64
#: State files larger than this are not read into memory (history is read line by line instead).
MAX_STATE_BYTES = 64 * 1024 * 1024


class BrokenStateFile(ZhenError):
    """A state file exists but cannot be used; the message says what is wrong with it."""


def check_depth(text: str, limit: int = MAX_DEPTH) -> None:
    """Raise ValueError when brackets nest deeper than `limit` (strings are skipped), in linear time."""
    depth = 0
    in_string = False
    escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                raise ValueError(f"nested more than {limit} levels deep")
        elif char in "]}":
            depth -= 1


def load_json(path: Path, max_bytes: int = MAX_STATE_BYTES) -> Any:
    """The JSON value in `path`; raises FileNotFoundError when absent, BrokenStateFile when unusable."""
    try:
        if path.stat().st_size > max_bytes:
            raise BrokenStateFile(f"{path} is larger than {max_bytes // (1024 * 1024)} MB")
        text = path.read_text(encoding="utf-8")
        check_depth(text)
        return json.loads(text)
    except FileNotFoundError:
        raise
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as error:
        raise BrokenStateFile(f"{path} is unreadable ({_reason(error)})") from None


def move_aside(path: Path) -> Path | None:
    """Rename a broken file (or folder) to `<name>.broken-<time>` next to it; the new name, or
    None when even that failed (the caller then carries on without the file)."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.broken-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.broken-{stamp}-{counter}")
    try:
        os.replace(path, target)
    except OSError:
        return None
    return target


def write_state_file(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace `path` with `data` atomically: readers see the old file or the new one, never half.

    The temporary file sits in the same folder (a rename is atomic only within one file system)
    and is removed if anything fails; OSError reaches the caller, who decides how loud to be.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def read_derived(path: Path, key: Any) -> Any:
    """What `write_derived(path, key, value)` stored, or None when the file is missing, damaged or
    was written for another key. Derived data only: any problem means computing it again."""
    try:
        stored = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key:
        return stored[1]
    return None


def write_derived(path: Path, key: Any, value: Any) -> None:
    """Keep `value`, computed from what `key` names, for `read_derived`. marshal rather than
    pickle: reading it cannot run code. A folder that cannot be written only costs the work again
    next time."""
    try:
        write_state_file(path, marshal.dumps((key, value)))
    except OSError:
        log.debug("cannot write %s", path, exc_info=True)


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return first_line(error)[:200]
