"""Keep the memory a one-batch process frees between decoding steps, instead of handing it back
to the kernel.

Every step of a beam search allocates buffers of up to 33 MB (a float per vocabulary piece for
each decoder row of a batch) and frees them. glibc's defaults send blocks above a threshold
straight back to the kernel (`munmap`) and trim the free top of each heap; the threshold rises
with the blocks freed, so a process stops doing this only after its first passes. `zhen file`
decodes one batch and exits: its one pass is its first. On 2 cores (bench FLORES, beam 4, 10
interleaved runs) with freed memory kept: 224 K -> 112 K page faults, 0.90 -> 0.50 s of CPU in
the kernel, user CPU unchanged, 8.05 -> 7.81 s wall, peak RSS 442 -> 463 MB, outputs unchanged.
On 120 FLORES lines decoded to the length cap (long outputs, big batches) it saved nothing:
1.83 M -> 0.26 M faults, but the CPU moved from the kernel to the decoder (91.5 -> 91.4 s in all,
wall 47.2 -> 47.7 s) and peak RSS rose 1.05 -> 1.10 GB.

Long-lived processes (the library inside a program, `zhen serve`, the app) keep glibc's
defaults: after their first passes they fault far less (50 K a pass against 250 K), and they
give memory back. With this tuning the library's process peaked at 608 MB on FLORES and the
posts, against 494 MB. One heap for all threads (`M_ARENA_MAX=1`) made fewer faults still, but
the two decoding threads then waited on its lock (15x the context switches) and took more CPU
than they saved.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Mapping

#: `mallopt` parameter numbers, from glibc's <malloc.h>.
_M_TRIM_THRESHOLD = -1
_M_TOP_PAD = -2
_M_MMAP_THRESHOLD = -3

_SETTINGS = (
    # glibc's highest allowed value on 64-bit: a step's scores for the most rows a batch may have
    # (`DecodingOptions.max_batch_rows` x 65,001 floats) still come from a heap, not a mapping.
    (_M_MMAP_THRESHOLD, 32 << 20),
    # Free memory at the top of a heap stays there, up to 1 GB, for the next step to reuse.
    (_M_TRIM_THRESHOLD, 1 << 30),
    # The main heap grows in steps of 256 MB of address space: pages are still only faulted in
    # when first touched, but it grows a few times instead of at every new high-water mark.
    (_M_TOP_PAD, 256 << 20),
)

#: Environment variables through which a user tunes what zhen tunes: their choice wins.
_USER_TUNING = ("MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_MMAP_THRESHOLD_", "MALLOC_MMAP_MAX_")
#: The same settings as glibc tunables. Others (`glibc.malloc.hugetlb=1`, which puts the heap on
#: transparent huge pages) combine with zhen's.
_USER_TUNABLES = tuple(
    f"glibc.malloc.{name}" for name in ("trim_threshold", "top_pad", "mmap_threshold", "mmap_max")
)


@functools.cache
def keep_freed_memory() -> bool:
    """Tune this process's glibc malloc for decoding (once per process); True if it was tuned.

    Nothing is changed off glibc (macOS, musl) or when the user tunes malloc through its
    environment variables."""
    return _tune(os.environ)


def _tune(environ: Mapping[str, str]) -> bool:
    if not sys.platform.startswith("linux") or not _is_glibc():
        return False
    tunables = environ.get("GLIBC_TUNABLES", "")
    if any(name in environ for name in _USER_TUNING) or any(name in tunables for name in _USER_TUNABLES):
        return False
    import ctypes  # 5 ms, paid by `zhen file` only

    mallopt = ctypes.CDLL(None).mallopt
    return all(mallopt(parameter, value) == 1 for parameter, value in _SETTINGS)


def _is_glibc() -> bool:
    try:
        return (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc")
    except (AttributeError, ValueError, OSError):  # no confstr (Windows), or no such name (macOS, musl)
        return False
