"""Reaching Ray: the optional import, connecting to a cluster, and errors as zhen's one line."""

from __future__ import annotations

import logging
import os
from typing import Any

from ..errors import UsageError, ZhenError, first_line, install_extra

#: `--ray auto`: the cluster this machine belongs to (`ray start`), else a new one on this machine.
AUTO = "auto"


def require_ray() -> Any:
    """The `ray` module, or a one-line error that says how to install it."""
    try:
        import ray
        import ray.data
    except ImportError:
        raise UsageError(f"--ray needs Ray Data: {install_extra('ray')}") from None
    return ray


def connect(address: str = AUTO) -> Any:
    """Join the Ray cluster at `address` (once per process) and return the `ray` module."""
    ray = require_ray()
    if ray.is_initialized():
        return ray
    # Workers print their own logs; zhen reports their errors as one line on the driver instead.
    options: dict[str, Any] = {"log_to_driver": False, "logging_level": "ERROR"}
    # Ray Data's messages reach the terminal only for errors (its full log stays in the session's
    # log folder): zhen says what it is doing itself.
    for handler in logging.getLogger("ray.data").handlers:
        if "File" not in type(handler).__name__:
            handler.setLevel(logging.ERROR)
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


def last_line(error: BaseException) -> str:
    """The last line of an error Ray wraps (the original exception, after Ray's traceback)."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[-1] if lines else type(error).__name__
