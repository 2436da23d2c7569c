"""Guards against the degenerate loops MarianMT falls into on odd input.

A weak or confused model keeps emitting the same word or phrase, often until it hits the length
cap ("ha ha ha ha ...", "我的我的我的..."). Two guards: the cap itself, proportional to the input, so
a loop costs little time; and `trim_repetition`, which collapses each loop to its first
occurrence. Repetition penalties inside the search are not used: they also punish the legitimate
repetitions chat text is full of ("哈哈哈", "very very good", "666").
"""

from __future__ import annotations

import math
from collections.abc import Iterator

#: Longest repeated unit looked for, in characters (a clause such as "I don't know what to do, ").
MAX_UNIT_CHARS = 80
#: Longest unit whose repeats in the source are counted (see `source_repeats`).
MAX_SOURCE_UNIT_CHARS = 20
#: Translations repeat what the source repeats ("哈哈哈哈哈哈" -> "Ha ha ha ha ha ha"), give or
#: take a unit or two.
SOURCE_SLACK = 2
#: What may join the copies of a loop ("no, no, no"): dropped when a loop ends the text.
SEPARATORS = " \t\n,，、;；:："


def output_token_cap(input_tokens: int, ratio: float, limit: int = 512) -> int:
    """Most tokens a model may generate for an input of `input_tokens` tokens."""
    return min(limit, math.ceil(ratio * input_tokens) + 10)


def min_repeats(unit_chars: int) -> int:
    """Copies in a row that make a loop: short units repeat legitimately more often.

    Never below 3, which `_runs` relies on to find every loop.
    """
    if unit_chars == 1:
        return 8  # "哈哈哈哈哈哈" and "666666" are chat, "我我我我我我我我" is a loop
    if unit_chars <= 3:
        return 6  # "ha ha ha ha" stays, "我的我的我的我的我的我的" goes
    if unit_chars <= 7:
        return 4  # "very very good" stays
    return 3  # a clause three times in a row is not a translation


def trim_repetition(text: str, source: str = "") -> str:
    """Collapse every loop in `text` to its first occurrence; text without loops comes back as is.

    `source` is the text that was translated: as much repetition as it has is allowed in the
    output. Loops side by side can overlap by a character or two ("ITEM ITEM ITEM interdependence
    interdependence ...": each run takes in the space or the letter it shares with the next), and
    overlapping loops are never both collapsed at once; so collapsing repeats until nothing is left.
    """
    if not _loops(_fold(text), 0):
        return text
    allowed = source_repeats(source) + SOURCE_SLACK if source else 0
    # Each pass makes the text shorter (a loop keeps one of its three or more copies).
    while loops := _loops(_fold(text), allowed):
        text = _collapse(text, loops)
    return text


def _collapse(text: str, loops: list[tuple[int, int, int]]) -> str:
    """`text` with each of `loops` (non-overlapping, in text order) cut to its first copy."""
    pieces, position = [], 0
    for start, end, period in loops:
        kept = text[position : start + period]
        if end == len(text) or not text[end].isalnum():
            # The loop closes at the end or at punctuation: an unfinished last copy belongs to it
            # (the length cap cut it), and so do joiners ("no, no, no." -> "no.").
            pieces.append(kept.rstrip(SEPARATORS))
            position = end
        else:
            # A word follows: a partial copy is the start of that word ("the the the theory").
            pieces.append(kept)
            position = start + period * ((end - start) // period)
    pieces.append(text[position:])
    return "".join(pieces)


def source_repeats(source: str) -> int:
    """How repetitive the source is: most copies in a row of any short unit (1 when none)."""
    folded = _fold(source)
    return max(((end - start) // period for start, end, period in _runs(folded, MAX_SOURCE_UNIT_CHARS)), default=1)


def _fold(text: str) -> str:
    """Lower case with the same length as `text`, so that "Ha ha ha" loops from its first word
    and positions in the folded text are positions in the original."""
    return "".join(low if len(low := c.lower()) == 1 else c for c in text)


def _loops(folded: str, allowed: int) -> list[tuple[int, int, int]]:
    """Non-overlapping loops as (start, end, period), in text order; shortest period first when
    loops overlap, because the true unit of a loop is its shortest period."""
    chosen: list[tuple[int, int, int]] = []
    for start, end, period in _runs(folded, MAX_UNIT_CHARS):
        if (end - start) // period < max(min_repeats(period), allowed):
            continue
        unit = folded[start : start + period]
        if not unit.strip() or unit.isdigit():
            continue  # runs of spaces are layout and runs of digits are numbers ("100000000")
        if all(end <= s or start >= e for s, e, _ in chosen):
            chosen.append((start, end, period))
    return sorted(chosen)


def _runs(folded: str, max_period: int) -> Iterator[tuple[int, int, int]]:
    """Maximal stretches that repeat with a period up to `max_period`, periods in rising order.

    Only stretches of at least three copies are guaranteed to be found: they contain two whole
    copies starting at a multiple of the period, which is all this checks (cheap in C slices).
    """
    size = len(folded)
    for period in range(1, min(max_period, size // 2) + 1):
        index = 0
        while index + 2 * period <= size:
            if folded[index : index + period] != folded[index + period : index + 2 * period]:
                index += period
                continue
            start, end = index, index + 2 * period
            while start > 0 and folded[start - 1] == folded[start - 1 + period]:
                start -= 1
            while end < size and folded[end] == folded[end - period]:
                end += 1
            yield start, end, period
            index = end - end % period + period  # the next multiple of the period past the run
