"""LRC lyrics (.lrc): the timed lyric files of Chinese music apps and players.

A lyric line starts with one or more time tags (`[01:02.35]`, several when a chorus repeats); the
text after them is translated and the tags stay in front. Metadata lines (`[ti:晴天]`,
`[ar:周杰伦]`, `[offset:+200]`), blank lines and anything else are kept as they are. Word timings
of enhanced LRC (`<01:02.35>` before each word) are kept in order after the translated line, as
in karaoke subtitles: the words are translated together, not one by one.

Bilingual output repeats the line's time tags before its translation, so players that show two
lines with one time (as music apps do for translated lyrics) show both languages together.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TextIO

from ..pipeline import Item
from . import LRC_TIME, ParseContext, split_ending, split_padding
from .txt import Line

#: The time tags that start a lyric line, and the white space after them.
_TIMES = re.compile(rf"(?:\s*\[{LRC_TIME}\])+\s*")
#: Enhanced LRC's time tag before each word.
_WORD_TIME = re.compile(rf"<{LRC_TIME}>")


def parse(stream: TextIO, context: ParseContext) -> Iterator[Item]:
    for raw in stream:
        content, ending = split_ending(raw)
        times = _TIMES.match(content.lstrip("\ufeff"))
        if times is None:
            yield raw
            continue
        start = len(content) - len(content.lstrip("\ufeff")) + times.end()
        words = content[start:]
        timings = "".join(_WORD_TIME.findall(words))
        lead, body, trail = split_padding(_WORD_TIME.sub("", words))
        if not body:
            yield raw
            continue
        yield Line(content[:start] + lead, body, trail + timings, ending, raw if timings else None)


__all__ = ["parse"]
