"""Copying with a way out: a terminal may silently drop the clipboard escape (OSC 52).

tmux ignores OSC 52 from applications by default and many terminals refuse it, and nothing tells
the app. So zhen sends OSC 52 (Textual's `copy_to_clipboard`), then uses a system clipboard tool
when one is there, and otherwise writes the text to a file in the user data dir and says where:
it never claims a copy it cannot know happened.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

#: Clipboard commands, in the order tried, with the environment variable that says they can work.
_TOOLS: tuple[tuple[str | None, tuple[str, ...], str], ...] = (
    ("WAYLAND_DISPLAY", ("wl-copy",), "wl-copy"),
    ("DISPLAY", ("xclip", "-selection", "clipboard"), "xclip"),
    ("DISPLAY", ("xsel", "--clipboard", "--input"), "xsel"),
    (None, ("pbcopy",), "pbcopy"),
    (None, ("clip.exe",), "the Windows clipboard"),
)
#: Seconds a clipboard tool may take.
_TOOL_TIMEOUT = 3


def copied_file() -> Path:
    """Where the last copy is kept when no clipboard can be confirmed."""
    from translator.locations import clipboard_file

    return clipboard_file()


def copy_out(text: str) -> str:
    """Put `text` wherever it can go; returns the one line that tells the user where it went.
    (The caller has already sent OSC 52 to the terminal.)"""
    count = f"{len(text)} character{'s' if len(text) != 1 else ''}"
    for needs, command, name in _TOOLS:
        if (needs is None or os.environ.get(needs)) and _pipe(command, text):
            return f"Copied {count} to the clipboard ({name})."
    in_tmux = bool(os.environ.get("TMUX")) and _pipe(("tmux", "load-buffer", "-w", "-"), text)
    path = _keep(text)
    where = f" It is also in {path}." if path else ""
    if in_tmux:
        return f"Put {count} in tmux's paste buffer (prefix ] pastes it).{where}"
    return f"Sent {count} to the terminal's clipboard, if it accepts it.{where}"


def _pipe(command: tuple[str, ...], text: str) -> bool:
    if shutil.which(command[0]) is None or (command[0] == "pbcopy" and sys.platform != "darwin"):
        return False
    try:
        subprocess.run(
            command,
            input=text.encode(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=_TOOL_TIMEOUT,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return True


def _keep(text: str) -> Path | None:
    path = copied_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # the user's messages
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError:
        return None
    return path
