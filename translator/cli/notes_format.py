"""Plain-text rendering of glossary notes for the command line (the TUI has its own widgets).

Every string from the glossary data or the user's text goes through `visible()`: a user
glossary could hold escape sequences, and these lines go to a terminal.
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING

from translator.terminal import visible

if TYPE_CHECKING:
    from translator.glossary import Note, Rewrite

_WIDTH = 88

#: How a note whose slang sense is only possible is introduced, per reader language.
_MAY_MEAN = {"en": "may mean", "zh": "可能是"}
_HEADINGS = {"en": "Notes:", "zh": "注释："}
_REWRITTEN = {"en": "Rewritten before translation: ", "zh": "翻译前改写："}


def add_notes_language_option(parser: argparse.ArgumentParser, default_help: str) -> None:
    parser.add_argument(
        "--notes-in",
        choices=("zh", "en"),
        metavar="LANG",
        help=f"show glossary notes in zh or en (default: {default_help})",
    )


def format_note(note: Note) -> list[str]:
    """`term (pinyin) [category, register]: meaning` and the cultural note, indented under it,
    in the note's reader language where the entry has it; "may mean" when the sense is unsure."""
    head = visible(note.term, keep_newlines=False)
    if note.pinyin:
        head += f" ({visible(note.pinyin, keep_newlines=False)})"
    tags = note.category if note.register == "neutral" else f"{note.category}, {note.register}"
    if note.entry.dated:
        tags += ", dated"
    meaning = visible(note.shown_meaning, keep_newlines=False)
    if note.confidence == "possible":
        meaning = f"{_MAY_MEAN.get(note.reader, _MAY_MEAN['en'])} {meaning}"
    lines = [f"  {head} [{tags}]: {meaning}"]
    lines += textwrap.wrap(
        visible(note.shown_note, keep_newlines=False), _WIDTH, initial_indent="      ", subsequent_indent="      "
    )
    return lines


def format_notes(notes: Iterable[Note]) -> list[str]:
    """Every note, each term once (a post that says yyds three times gets one note)."""
    seen: set[str] = set()
    lines: list[str] = []
    reader = "en"
    for note in notes:
        key = note.entry.term
        if key in seen:
            continue
        seen.add(key)
        reader = note.reader
        lines += format_note(note)
    return [_HEADINGS.get(reader, _HEADINGS["en"]), *lines] if lines else []


def format_rewrites(rewrites: Iterable[Rewrite], reader: str = "en") -> list[str]:
    """One line naming the slang that was put into plain words before translation."""
    pairs = list(dict.fromkeys(visible(f"{r.term} → {r.plain}", keep_newlines=False) for r in rewrites))
    return [f"{_REWRITTEN.get(reader, _REWRITTEN['en'])}{', '.join(pairs)}"] if pairs else []
