"""Text from data made safe to show on a terminal: control characters become visible, inert.

Posts, files, history, glossary notes and model output are not written by zhen; an escape
sequence inside them could retitle the terminal (OSC 0), plant a link (OSC 8) or clear the
screen (CSI 2J). Everything zhen displays or prints to a terminal from data goes through
`visible()`. Files and JSON output keep the user's text exactly: only terminals get this view.
"""

from __future__ import annotations

import re

__all__ = ["visible"]

#: C0 controls except tab and line feed, DEL, C1 controls, and the bidirectional overrides and
#: isolates that can make text read differently from what it is ("Trojan Source").
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

#: Control pictures (U+2400 block) show C0 controls as one visible character: ESC as ␛.
_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)}
_PICTURES[0x7F] = "\u2421"  # ␡


def _show(match: re.Match[str]) -> str:
    code = ord(match.group())
    picture = _PICTURES.get(code)
    return picture if picture is not None else f"<U+{code:04X}>"


def visible(text: str, *, keep_newlines: bool = True) -> str:
    """`text` with every unsafe control character replaced by a visible stand-in (ESC -> ␛).

    Carriage returns count as unsafe (a lone CR rewrites the start of the line on screen); with
    `keep_newlines=False` line feeds are shown as ␊ too, for one-line displays.
    """
    shown = _UNSAFE.sub(_show, text)
    return shown if keep_newlines else shown.replace("\n", "\u240a")
