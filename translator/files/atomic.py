"""Write a file so that readers see either the old file or the complete new one, never half.

The temporary file lives in the destination's own folder because `os.replace` is atomic only
within one file system; it is a dot-file so that a directory scan does not pick it up as input.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO


@contextlib.contextmanager
def atomic_writer(destination: str | Path, encoding: str = "utf-8") -> Iterator[TextIO]:
    """Yield a text stream; on success it replaces `destination`, on any exception it vanishes."""
    destination = Path(destination)
    descriptor, temporary = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.", suffix=".part")
    try:
        # newline="" writes line endings exactly as the formats produce them.
        with os.fdopen(descriptor, "w", encoding=encoding, newline="") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp creates the file as 0600; give it the permissions a normal open() would.
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, destination)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    # The only portable way to read the umask is to set it and put it back.
    mask = os.umask(0)
    os.umask(mask)
    return mask
