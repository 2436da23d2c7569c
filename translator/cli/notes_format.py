"""Plain-text rendering of glossary notes for the command line (the TUI has its own widgets)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from translator.glossary import Note, Rewrite

_WIDTH = 88


def format_note(note: Note) -> list[str]:
    """`term (pinyin) [category, register]: meaning` and the cultural note, indented under it."""
    head = note.term
    if note.pinyin:
        head += f" ({note.pinyin})"
    tags = note.category if note.register == "neutral" else f"{note.category}, {note.register}"
    lines = [f"  {head} [{tags}]: {note.meaning}"]
    if note.entry.meaning_zh:
        lines.append(f"      {note.entry.meaning_zh}")
    # English terms carry their note in Chinese too: their readers are mostly Chinese.
    for text in (note.note, note.entry.note_zh):
        if text:
            lines += textwrap.wrap(text, _WIDTH, initial_indent="      ", subsequent_indent="      ")
    return lines


def format_notes(notes: Iterable[Note]) -> list[str]:
    """Every note, each term once (a post that says yyds three times gets one note)."""
    seen: set[str] = set()
    lines: list[str] = []
    for note in notes:
        key = note.entry.term
        if key in seen:
            continue
        seen.add(key)
        lines += format_note(note)
    return ["Notes:", *lines] if lines else []


def format_rewrites(rewrites: Iterable[Rewrite]) -> list[str]:
    """One line naming the slang that was put into plain words before translation."""
    pairs = list(dict.fromkeys(f"{r.term} → {r.plain}" for r in rewrites))
    return [f"Rewritten before translation: {', '.join(pairs)}"] if pairs else []
