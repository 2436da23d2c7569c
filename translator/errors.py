"""Errors a user can cause, each with a message that says what to do next.

The CLI and the TUI show `str(error)` as a single line and never a traceback, so every message
here must be complete on its own: what went wrong and the command or step that fixes it.
"""

from __future__ import annotations

import sys
from pathlib import Path

#: The checkout zhen runs from when it was installed with `pip install -e` (make run, make test).
_CHECKOUT = Path(__file__).resolve().parents[1]


class ZhenError(Exception):
    """Base class of every error zhen reports to a user instead of crashing."""

    #: Process exit status for the CLI: 1 for runtime problems, 2 for usage mistakes.
    exit_code = 1

    @property
    def message(self) -> str:
        """The one line a user sees."""
        return first_line(self)


def first_line(error: BaseException) -> str:
    """The first line of an exception's message, or its type's name when it has none."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def install_extra(extra: str) -> str:
    """The command that installs an optional extra into the Python running zhen. zhen is not on
    PyPI, so from a checkout it is the checkout's own `pip install -e`."""
    if (_CHECKOUT / "pyproject.toml").is_file():
        return f'{sys.executable} -m pip install -e "{_CHECKOUT}[{extra}]"'
    return f'pip install "zhen[{extra}]"'


class UsageError(ZhenError):
    """The user asked for something that does not make sense (bad option, bad value)."""

    exit_code = 2


class ModelNotFoundError(ZhenError):
    """The model for a direction is not in the store."""

    def __init__(self, name: str, folder: Path) -> None:
        self.name, self.folder = name, folder
        pair = name.removeprefix("opus-mt-")
        super().__init__(
            f"model {name} is not installed in {folder}: run `zhen models download {pair}` "
            f"(needs internet) or `zhen models import PATH` with a copy of the model folder"
        )


class ModelBrokenError(ZhenError):
    """A model folder exists but cannot be used."""

    #: What to do about a broken model in the store; a folder being imported gets `IMPORT_FIX`.
    STORE_FIX = "run `zhen models import PATH --force` with a good copy, or `zhen models download --force`"
    IMPORT_FIX = "nothing was installed; import a complete copy of the model folder"

    def __init__(self, folder: Path, problem: str, fix: str = STORE_FIX) -> None:
        self.folder, self.problem = folder, problem
        super().__init__(f"the model in {folder} is unusable ({problem}): {fix}")


class BackendUnavailableError(ZhenError):
    """A requested inference backend is not installed or has no converted model."""


class NetworkError(ZhenError):
    """The model hub cannot be reached."""
