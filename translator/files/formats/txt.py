"""Plain text: every line is translated on its own; blank lines and line endings stay put.

Bilingual output puts the translation on the line after the original, with the same indentation
and line ending, so a learner reads each sentence in both languages one above the other.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TextIO

from ..pipeline import Item
from . import ParseContext, split_ending, split_padding


@dataclass
class Line:
    """One line of prose between its indentation, trailing white space and line ending."""

    lead: str
    body: str
    trail: str
    ending: str
    #: The line as written, when the affixes do not spell it (`lrc` moves word timings after the
    #: text): what an unchanged line gives back.
    written: str | None = None

    @property
    def texts(self) -> Sequence[str]:
        return (self.body,)

    def render(self, translations: Sequence[str | None], target: str, bilingual: bool) -> str:
        translation = translations[0]
        original = self.lead + self.body + self.trail + self.ending if self.written is None else self.written
        if translation is None or translation == self.body:
            return original
        translated = self.lead + translation + self.trail + self.ending
        if not bilingual:
            return translated
        # The last line of a file may have no ending; the pair still needs a line break between.
        return original + ("" if self.ending else "\n") + translated


def parse(stream: TextIO, context: ParseContext) -> Iterator[Item]:
    for raw in stream:
        content, ending = split_ending(raw)
        lead, body, trail = split_padding(content)
        yield Line(lead, body, trail, ending) if body else raw
