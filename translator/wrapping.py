"""Break text into lines by how wide it is on screen, not by how many characters it has: the
lines of subtitles (`zhen file`), of the app's panes and of the CLI's tables.

A Chinese character takes the room of two Latin letters, so a limit in characters gives Chinese
lines twice as wide as English ones. Widths here are in terminal-style columns (East Asian Wide
and Fullwidth characters count 2), and the lines of one cue are balanced rather than filled
greedily: two lines of similar length read better than a long line over a stub.
"""

from __future__ import annotations

import math
import re

from rich.cells import cell_len

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
    """Display columns of `text`, as a terminal draws it: wide characters 2, combining and
    zero-width ones 0 (rich's table, the one the CLI and the app already draw with)."""
    return cell_len(text)


#: Texts that need more lines than this are filled greedily: balancing is for the two or three
#: lines of a subtitle, and its cost grows with lines x words.
BALANCED_LINES = 4


def wrap(text: str, columns: int) -> list[str]:
    """The fewest lines of at most `columns` (one unbreakable word may be wider), as even as
    possible, broken after punctuation or at spaces rather than between two Chinese characters.

    Linear in the length of `text`: up to `BALANCED_LINES` lines the layout search looks at most
    `columns` words back from each word; longer texts are filled greedily in one pass."""
    words = _words(text)
    total = width(text)
    if total <= columns or len(words) < 2:
        return [text]
    fewest = math.ceil(total / columns)
    for lines in range(fewest, min(len(words), BALANCED_LINES + 1)):
        layout = _best_layout(words, lines, columns)
        if layout is not None:
            return layout
    return _greedy(words, columns)


def _greedy(words: list[tuple[bool, str]], columns: int) -> list[str]:
    lines: list[list[tuple[bool, str]]] = [[]]
    used = 0
    for spaced, word in words:
        needed = width(word) + (1 if spaced and lines[-1] else 0)
        if lines[-1] and used + needed > columns:
            lines.append([])
            used, needed = 0, width(word)
        lines[-1].append((spaced, word))
        used += needed
    return [_join(line) for line in lines]


def _best_layout(words: list[tuple[bool, str]], lines: int, columns: int) -> list[str] | None:
    """Minimise the sum of squared line widths (even lines) plus a penalty per poor break."""
    count = len(words)
    penalty = (columns // 4) ** 2
    infinity = float("inf")
    # cost[k][j]: best cost of words[:j] in k lines; start[k][j]: where the last of those begins.
    cost = [[infinity] * (count + 1) for _ in range(lines + 1)]
    start = [[0] * (count + 1) for _ in range(lines + 1)]
    cost[0][0] = 0
    widths = [width(word) for _, word in words]
    for k in range(1, lines + 1):
        for j in range(1, count + 1):
            line_width = 0
            for i in range(j - 1, -1, -1):
                # words[i:j] on one line: a space before each word but the first, if it had one.
                line_width += widths[i] + (1 if i < j - 1 and words[i + 1][0] else 0)
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
