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

from translator.scripts import CJK_WIDE as _CJK

#: Most columns on one subtitle line: 42 is the usual limit for English; Chinese subtitles are
#: kept to about 16 characters a line, which is 32 columns.
LINE_COLUMNS = {"en": 42, "zh": 32}

# Characters that must not start a line (closing marks) or end one (opening marks).
_NO_LINE_START = set("，。、；：？！…—）】》」』〉”’,.;:?!)]}%")
_NO_LINE_END = set("（【《「『〈“‘([{")
#: A line may end between two Chinese characters, but reads better after a pause.
_BREAK_AFTER = set("，。、；：？！…—,.;:?!")
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
    """The fewest lines of at most `columns` (one unbreakable word may be wider), as even as
    possible, broken after punctuation or at spaces rather than between two Chinese characters."""
    words = _words(text)
    if width(text) <= columns or len(words) < 2:
        return [text]
    for lines in range(math.ceil(width(text) / columns), len(words)):
        layout = _best_layout(words, lines, columns)
        if layout is not None:
            return layout
    return [word for _, word in words]


def _best_layout(words: list[tuple[bool, str]], lines: int, columns: int) -> list[str] | None:
    """Minimise the sum of squared line widths (even lines) plus a penalty per poor break."""
    count = len(words)
    penalty = (columns // 4) ** 2
    infinity = float("inf")
    # cost[k][j]: best cost of words[:j] in k lines; start[k][j]: where the last of those begins.
    cost = [[infinity] * (count + 1) for _ in range(lines + 1)]
    start = [[0] * (count + 1) for _ in range(lines + 1)]
    cost[0][0] = 0
    for k in range(1, lines + 1):
        for j in range(1, count + 1):
            for i in range(j - 1, -1, -1):
                line_width = width(_join(words[i:j]))
                if line_width > columns and j - i > 1:
                    break
                if cost[k - 1][i] == infinity:
                    continue
                poor = j < count and not _good_break(words[j - 1][1], words[j][0])
                total = cost[k - 1][i] + line_width**2 + (penalty if poor else 0)
                if total < cost[k][j]:
                    cost[k][j], start[k][j] = total, i
    if cost[lines][count] == infinity:
        return None
    layout: list[str] = []
    end = count
    for k in range(lines, 0, -1):
        begin = start[k][end]
        layout.append(_join(words[begin:end]))
        end = begin
    return layout[::-1]


def _good_break(before: str, spaced: bool) -> bool:
    return spaced or before[-1] in _BREAK_AFTER


def _join(words: list[tuple[bool, str]]) -> str:
    return "".join((" " if spaced and index else "") + word for index, (spaced, word) in enumerate(words))


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


def fill(text: str, columns: int) -> list[str]:
    """`text` broken greedily into lines of at most `columns` (for a screen that reflows as it is
    resized): the same unbreakable units as `wrap`, so a line never breaks inside a Latin word
    nor starts with a closing mark such as 。."""
    lines: list[str] = []
    current = ""
    for spaced, word in _words(text):
        candidate = current + (" " if spaced and current else "") + word
        if current and width(candidate) > columns:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current or not lines:
        lines.append(current)
    return lines
