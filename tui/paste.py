"""Pasted text reaches the editor exactly as pasted, in order, its control characters visible.

Textual's input parser reads an escape character inside a bracketed paste as the start of a key
sequence: the characters after it leave the paste and arrive later as key presses, so the text
is reordered, partly typed as keys and partly kept raw. `PasteGuard` sits in front of the parser
and makes the pasted stretch inert (translator.terminal.visible) before the parser sees it;
everything outside a paste goes through untouched.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from textual._xterm_parser import XTermParser
from textual.message import Message

from translator.terminal import visible

#: Bracketed paste (DEC mode 2004): the terminal frames pasted text with these.
PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"


def pasted_text(text: str) -> str:
    """Pasted text as the editor keeps it: line endings as line feeds (terminals send CR),
    every other control character visible."""
    return visible(text.replace("\r\n", "\n").replace("\r", "\n"))


class PasteGuard(XTermParser):
    """An XTermParser whose pastes cannot contain an escape character by the time it reads them."""

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self._pasting = False
        self._held = ""  # the start of what may be the end marker, split across two reads

    def feed(self, data: str) -> Iterable[Message]:
        return super().feed(self.guard(data))

    def guard(self, data: str) -> str:
        data, self._held = self._held + data, ""
        out: list[str] = []
        while data:
            if not self._pasting:
                start = data.find(PASTE_START)
                if start < 0:
                    out.append(data)
                    break
                out.append(data[: start + len(PASTE_START)])
                data = data[start + len(PASTE_START) :]
                self._pasting = True
                continue
            end = data.find(PASTE_END)
            if end < 0:
                keep = _partial_marker(data)
                self._held = data[len(data) - keep :]
                out.append(pasted_text(data[: len(data) - keep]))
                break
            out.append(pasted_text(data[:end]) + PASTE_END)
            data = data[end + len(PASTE_END) :]
            self._pasting = False
        return "".join(out)


def _partial_marker(data: str) -> int:
    """How many characters at the end of `data` could begin the end-of-paste marker."""
    for length in range(min(len(PASTE_END) - 1, len(data)), 0, -1):
        if PASTE_END.startswith(data[-length:]):
            return length
    return 0


def install() -> None:
    """Make Textual's terminal drivers read input through `PasteGuard` (they look the parser
    class up by name in their module when their input thread starts)."""
    for name in ("textual.drivers.linux_driver", "textual.drivers.linux_inline_driver", "textual.drivers.win32"):
        try:
            module = importlib.import_module(name)
        except ImportError:  # win32 on POSIX, termios on Windows
            continue
        if getattr(module, "XTermParser", None) is XTermParser:
            module.XTermParser = PasteGuard  # type: ignore[attr-defined]
