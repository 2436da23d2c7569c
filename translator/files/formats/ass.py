"""Advanced SubStation Alpha (.ass, and .ssa) subtitles, the format of most Chinese fan subtitles.

Only the Text field of `Dialogue:` lines in the `[Events]` section is translated; every other
byte stays as it was: script info, styles, embedded fonts and pictures, `Comment:` lines, the
other fields of each event, override blocks (`{\\an8}`, `{\\fad(200,200)}`, karaoke `{\\k35}`)
and translators' comments in braces.
A text's `\\N` hard breaks and `\\n` soft breaks separate its lines, which are translated as an
SRT cue's are (`subtitles.Cue`): joined into one text and broken again by width; line by line
for dialogue (dashes) and for the two halves of a bilingual event (the Latin line stays); run by
run around override blocks inside a line; karaoke syllables as one text, their timings after it.
Drawings (`{\\p1}m 0 0 l 100 0 ...`) are vector shapes, not words: kept whole. The speaker (Name
field), style names and comments are never sent to the model.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TextIO

from ..pipeline import Item
from . import ParseContext, split_ending
from .subtitles import Cue

#: A section header such as `[Events]`; ASS readers ignore case and surrounding spaces.
_SECTION = re.compile(r"\s*\[([^\]]*)\]\s*")
#: The field names of an event line when a file has no Format line (the ASS specification's).
_DEFAULT_FIELDS = tuple("layer start end style name marginl marginr marginv effect text".split())
#: Drawing mode switched on (`\p1` .. `\p4`) in an override block.
_DRAWING = re.compile(r"\{[^{}]*\\p[1-9]")
#: A hard line break inside an event's text.
_HARD_BREAK = r"\N"
#: Where an event's text has lines: hard breaks, and soft breaks (`\n`, a break only in wrapping
#: style 2, a space otherwise), so that neither is sent to the model as text.
_BREAKS = re.compile(r"(\\[Nn])")
#: Real line breaks in a translation would end the event line: they become hard breaks.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass
class Event:
    """A `Dialogue:` line: everything up to its Text field, the text as a cue, the line ending."""

    head: str
    cue: Cue
    ending: str

    @property
    def texts(self) -> Sequence[str]:
        return self.cue.texts

    def render(self, translations: Sequence[str | None], target: str, bilingual: bool) -> str:
        text = _LINE_BREAK.sub(lambda _: _HARD_BREAK, self.cue.render(translations, target, bilingual))
        return self.head + text + self.ending


def parse(stream: TextIO, context: ParseContext) -> Iterator[Item]:
    section = ""
    fields = _DEFAULT_FIELDS
    for raw in stream:
        line, ending = split_ending(raw)
        header = _SECTION.fullmatch(line.lstrip("\ufeff"))
        if header:
            section = header.group(1).strip().lower()
        elif section == "events":
            kind, colon, rest = line.partition(":")
            if colon and kind.strip().lower() == "format":
                fields = tuple(name.strip().lower() for name in rest.split(","))
            elif colon and kind.strip().lower() == "dialogue":
                event = _event(line, len(line) - len(rest), fields, ending)
                if event is not None:
                    yield event
                    continue
        yield raw


def _event(line: str, start: int, fields: tuple[str, ...], ending: str) -> Event | None:
    """The event of a Dialogue line whose fields start at `start`; None when it has no text to
    translate (no Text field, too few fields, empty text, or a drawing)."""
    if "text" not in fields:
        return None
    # Text is the last field (commas in it are text), so the fields before it end at a comma.
    position = start
    for _ in range(fields.index("text")):
        comma = line.find(",", position)
        if comma < 0:
            return None
        position = comma + 1
    text = line[position:]
    if not text.strip() or _DRAWING.search(text):
        return None
    parts = _BREAKS.split(text)
    return Event(line[:position], Cue(parts[0::2], [*parts[1::2], ""]), ending)


__all__ = ["Event", "parse"]
