"""Settings zhen reads from the environment: the one place that names and checks them.

A bad value is a user mistake with a one-line message, never a crash further in: an absurd
`ZHEN_THREADS` reached the inference runtime and killed the process with a segmentation fault.
The CLI checks every setting at start-up (`check_environment`); the engines read the thread
budget through `thread_count`.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import UsageError

__all__ = ["MODELS_DIR_ENV", "SETTINGS", "THREADS_ENV", "check_environment", "models_dir", "thread_count"]

#: CPU threads for inference (the machine may be shared).
THREADS_ENV = "ZHEN_THREADS"
#: Where the models are, before the defaults (see translator/store.py).
MODELS_DIR_ENV = "ZHEN_MODELS_DIR"
#: Where the benchmark keeps its model (bench/ only).
BENCH_CACHE_ENV = "ZHEN_BENCH_CACHE"
SETTINGS = (THREADS_ENV, MODELS_DIR_ENV, BENCH_CACHE_ENV)
#: More threads than this many per core only add contention; far more crash the runtime.
THREADS_PER_CORE = 4


def _cores() -> int:
    return os.cpu_count() or 1


def thread_count() -> int:
    """CPU threads for inference: all cores unless ZHEN_THREADS says otherwise (checked)."""
    value = os.environ.get(THREADS_ENV, "").strip()
    if not value:
        return _cores()
    limit = _cores() * THREADS_PER_CORE
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= limit:
        raise UsageError(
            f"{THREADS_ENV} must be a whole number from 1 to {limit} (this machine has {_cores()} cores), "
            f"not {value[:40]!r}"
        )
    return int(value)


def models_dir() -> Path | None:
    """ZHEN_MODELS_DIR as a path, or None when unset; an existing non-folder is refused."""
    value = os.environ.get(MODELS_DIR_ENV)
    if value is None or not value.strip():
        if value is not None:
            raise UsageError(f"{MODELS_DIR_ENV} is set but empty: unset it or name a folder")
        return None
    path = Path(value).expanduser()
    if path.exists() and not path.is_dir():
        raise UsageError(f"{MODELS_DIR_ENV}={value[:200]!r} is not a folder: unset it or name a folder")
    return path


def _bench_cache() -> None:
    value = os.environ.get(BENCH_CACHE_ENV)
    if value is not None and Path(value).exists() and not Path(value).is_dir():
        raise UsageError(f"{BENCH_CACHE_ENV}={value[:200]!r} is not a folder: unset it or name a folder")


def check_environment() -> list[str]:
    """Raise UsageError for the first bad setting; return warnings (unknown ZHEN_ names, typos)."""
    thread_count()
    models_dir()
    _bench_cache()
    unknown = sorted(name for name in os.environ if name.startswith("ZHEN_") and name not in SETTINGS)
    return [f"ignoring unknown environment setting {name} (zhen reads {', '.join(SETTINGS[:2])})" for name in unknown]
