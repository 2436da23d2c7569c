"""Reaching Ray: the optional import, connecting to a cluster, and errors as zhen's one line."""

from __future__ import annotations

import os
from typing import Any

from ..errors import UsageError, ZhenError, first_line

#: `--ray auto`: the cluster this machine belongs to (`ray start`), else a new one on this machine.
AUTO = "auto"


def require_ray() -> Any:
    """The `ray` module, or a one-line error that says how to install it."""
    try:
        import ray
        import ray.data
    except ImportError:
        raise UsageError('--ray needs Ray Data: pip install "zhen[ray]"') from None
    return ray


def connect(address: str = AUTO, *, quiet: bool = False) -> Any:
    """Join the Ray cluster at `address` (once per process) and return the `ray` module."""
    ray = require_ray()
    if ray.is_initialized():
        return ray
    # Workers print their own logs; zhen reports their errors as one line on the driver instead.
    options: dict[str, Any] = {"log_to_driver": False, "logging_level": "ERROR", "configure_logging": quiet}
    # torch and CTranslate2 share worker processes: busy-waiting OpenMP threads would slow both.
    options["runtime_env"] = {"env_vars": {"OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY", "PASSIVE")}}
    try:
        if address == AUTO:
            try:
                ray.init(address="auto", **options)
            except ConnectionError:
                ray.init(**options)
        else:
            ray.init(address=address, **options)
    except (ConnectionError, ValueError, RuntimeError) as error:
        raise ZhenError(f"cannot reach the Ray cluster at {address}: {first_line(error)}") from None
    return ray


def zhen_error_in(error: BaseException) -> ZhenError | None:
    """The ZhenError a worker raised, found inside the exceptions Ray wraps it in."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        # Ray's wrappers may also be instances of the worker's error class, but their message is a
        # traceback: the original is their `cause`.
        cause = getattr(current, "cause", None)
        if isinstance(current, ZhenError) and cause is None:
            return current
        pending += [current.__cause__, current.__context__, cause]
    return None
