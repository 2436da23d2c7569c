"""Break subtitle text into lines by how wide it is on screen, not by how many characters it has.

A Chinese character takes the room of two Latin letters, so a limit in characters gives Chinese
lines twice as wide as English ones. Widths here are in terminal-style columns (East Asian Wide
and Fullwidth characters count 2), and the lines of one cue are balanced rather than filled
greedily: two lines of similar length read better than a long line over a stub.
"""

from __future__ import annotations

import math
import re
import unicodedata

#: Most columns on one subtitle line: 42 is the usual limit for English; Chinese subtitles are
#: kept to about 16 characters a line, which is 32 columns.
LINE_COLUMNS = {"en": 42, "zh": 32}

# Characters that must not start a line (closing marks) or end one (opening marks).
_NO_LINE_START = set("，。、；：？！…—）】》」』〉”’,.;:?!)]}%")
_NO_LINE_END = set("（【《「『〈“‘([{")
_CJK = "\u2e80-\u9fff\uac00-\ud7a3\uf900-\ufaff\uff00-\uffef"
# One unbreakable unit: a CJK character, or a run of anything else except spaces.
_ATOM = re.compile(rf"[{_CJK}]|[^\s{_CJK}]+")


def width(text: str) -> int:
    """Display columns of `text`: wide characters 2, combining marks 0, others 1."""
    total = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        total += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return total


def wrap(text: str, columns: int) -> list[str]:
    """Balanced lines of at most `columns` (a single unbreakable word may be wider)."""
    words = _words(text)
    if not words:
        return [text]
    total = width(text)
    if total <= columns:
        return [text]
    lines_needed = math.ceil(total / columns)
    # The narrowest limit that still fits in the fewest lines gives the most even lines.
    for limit in range(math.ceil(total / lines_needed), columns + 1):
        lines = _fill(words, limit)
        if len(lines) <= lines_needed:
            return lines
    return _fill(words, columns)


def _words(text: str) -> list[tuple[bool, str]]:
    """(preceded by a space, unit) pairs; punctuation is glued to the unit it must stay with."""
    words: list[tuple[bool, str]] = []
    glue_next = False
    for match in _ATOM.finditer(text):
        atom = match.group()
        spaced = match.start() > 0 and text[match.start() - 1].isspace()
        if words and not spaced and (glue_next or atom[0] in _NO_LINE_START):
            words[-1] = (words[-1][0], words[-1][1] + atom)
        else:
            words.append((spaced, atom))
        glue_next = atom[-1] in _NO_LINE_END
    return words


def _fill(words: list[tuple[bool, str]], limit: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for spaced, word in words:
        candidate = current + (" " if spaced and current else "") + word
        if current and width(candidate) > limit:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    return lines
