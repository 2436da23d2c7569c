"""Write a file so that readers see either the old file or the complete new one, never half.

The temporary file lives in the destination's own folder because `os.replace` is atomic only
within one file system; it is a dot-file so that a directory scan does not pick it up as input,
and its name says whose it is: `.<name>.zhen-<pid>-<random>.part`.

Temporary files never outlive their run: an exception removes them, `signals_remove_temp_files()`
does the same on SIGTERM and SIGHUP, and the next run into a folder removes the ones a run killed
outright (SIGKILL, power loss) left behind.

Without `replace`, the finished file is published with a hard link, which fails if the
destination exists: of two runs racing to write the same new output, exactly one wins.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import TextIO

__all__ = ["atomic_writer", "remove_stale_temp_files", "signals_remove_temp_files"]

_MARK = ".zhen-"
#: `.<name>.zhen-<pid>-<random>.part`, as `atomic_writer` names its temporary files.
_OURS = re.compile(r"^\..+\.zhen-(\d+)-[a-z0-9_]+\.part$")
#: What zhen wrote before the pid was in the name: `.<name>.<8 random>.part`.
_OLD = re.compile(r"^\..+\.[a-z0-9_]{8}\.part$")
#: An old-style temporary file this much older than now belongs to a run that is over.
_OLD_AGE = 3600.0
#: A temporary file whose process seems alive is still removed past this age (pid reuse).
_MAX_AGE = 24 * 3600.0
#: Hard links are not supported on every file system (FAT, some network and FUSE mounts).
_NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK, errno.ENOSYS}

#: Temporary files being written by this process, for the signal handler.
_live: set[str] = set()
#: Folders already swept for stale temporary files by this process.
_swept: set[str] = set()


@contextlib.contextmanager
def atomic_writer(destination: str | Path, encoding: str = "utf-8", *, replace: bool = True) -> Iterator[TextIO]:
    """Yield a text stream; on success it becomes `destination`, on any exception it vanishes.

    With `replace=False` an existing destination (even one created meanwhile by another process)
    is left alone and `FileExistsError` is raised.
    """
    destination = Path(destination)
    remove_stale_temp_files(destination.parent)
    descriptor, temporary = tempfile.mkstemp(
        dir=destination.parent, prefix=f".{destination.name}{_MARK}{os.getpid()}-", suffix=".part"
    )
    _live.add(temporary)
    try:
        # newline="" writes line endings exactly as the formats produce them.
        with os.fdopen(descriptor, "w", encoding=encoding, newline="") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp creates the file as 0600; give it the permissions a normal open() would.
        os.chmod(temporary, 0o666 & ~_umask())
        if replace:
            os.replace(temporary, destination)
        else:
            _publish_new(temporary, destination)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        _live.discard(temporary)


def _publish_new(temporary: str, destination: Path) -> None:
    """Make `temporary` appear as `destination` unless that exists; FileExistsError if it does."""
    try:
        os.link(temporary, destination)
        return
    except OSError as error:
        if error.errno not in _NO_LINKS:
            raise
    # No hard links here: claim the name first (O_EXCL is atomic), then move the content in.
    os.close(os.open(destination, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    os.replace(temporary, destination)


def remove_stale_temp_files(folder: Path) -> None:
    """Remove temporary files that runs killed outright left in `folder` (once per process).

    Only zhen's own: named by `atomic_writer`, owned by this user, and either from a process that
    is gone or older than a day (`.<name>.<random>.part` from older zhen versions: an hour).
    """
    key = os.path.abspath(folder)
    if key in _swept:
        return
    _swept.add(key)
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not entry.name.endswith(".part") or not entry.name.startswith("."):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not entry.is_file(follow_symlinks=False) or info.st_uid != os.getuid():
            continue
        age = now - info.st_mtime
        ours = _OURS.match(entry.name)
        if ours is not None:
            stale = age > _MAX_AGE or not _running(int(ours.group(1)))
        else:
            stale = _OLD.match(entry.name) is not None and age > _OLD_AGE
        if stale:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: someone else's process, so alive
        return True
    return True


def _remove_live_temp_files() -> None:
    for temporary in list(_live):
        with contextlib.suppress(OSError):
            os.unlink(temporary)


@contextlib.contextmanager
def signals_remove_temp_files() -> Iterator[None]:
    """While inside, SIGTERM and SIGHUP remove this process's temporary files and exit with
    128 + the signal number. SIGINT keeps Python's KeyboardInterrupt (which unwinds the writers).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    wanted = [signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {number: signal.getsignal(number) for number in wanted}
    # Asked now: once the terminal has hung up, isatty() no longer says it was one.
    terminals = [descriptor for descriptor in (1, 2) if os.isatty(descriptor)]

    def stop(number: int, frame: FrameType | None) -> None:
        _remove_live_temp_files()
        if number != signal.SIGTERM:
            _detach(terminals)
        # Unwinding runs the writers' clean-up too and closes the cache properly.
        raise SystemExit(128 + number)

    for number in wanted:
        signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _detach(terminals: list[int]) -> None:
    """After SIGHUP the terminal is gone: writing to it (a progress bar closing) would fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        for descriptor in terminals:
            os.dup2(devnull, descriptor)
    finally:
        os.close(devnull)


def _umask() -> int:
    # The only portable way to read the umask is to set it and put it back.
    mask = os.umask(0)
    os.umask(mask)
    return mask
