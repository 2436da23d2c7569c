"""The list of glossary notes for a text: term, pinyin, meaning, cultural note and register."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.text import safe

if TYPE_CHECKING:
    from translator.glossary import Note

#: Theme colour of a register's badge: the ones that may land badly stand out.
_BADGE_COLOURS = {"vulgar": "$error", "offensive": "$error", "sensitive": "$warning", "playful": "$success"}


class NoteOption(Option):
    """One note as an option; selecting it selects the term in the editor."""

    def __init__(self, note: Note, reader: str) -> None:
        super().__init__(_render_note(note, reader))
        self.note = note


class NotesPanel(OptionList):
    """Glossary notes, one option per distinct term, in the order given, a rule between two.

    `reader` is the language of the person reading the notes: entries carry Chinese explanations
    (`meaning_zh`, `note_zh`) for Chinese readers.
    """

    def __init__(self, empty_message: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.empty_message = empty_message
        self.notes: tuple[Note, ...] = ()

    def on_mount(self) -> None:
        self.show_notes((), "en")

    def show_notes(self, notes: Sequence[Note], reader: str, empty: str = "") -> None:
        """Show `notes`; with none, show `empty` (or the panel's message for an empty editor)."""
        distinct: dict[str, Note] = {}
        for note in notes:
            distinct.setdefault(note.entry.term, note)
        self.notes = tuple(distinct.values())
        self.clear_options()
        if self.notes:
            options: list[Option | None] = []
            for note in self.notes:
                options += [NoteOption(note, reader), None]  # None: a separator line
            self.add_options(options[:-1])
            self.highlighted = 0
        else:
            self.add_option(Option(Content.styled(empty or self.empty_message, "$text-muted"), disabled=True))
        self.border_subtitle = count_label(len(self.notes))


def count_label(count: int) -> str:
    return f"{count} note{'s' if count != 1 else ''}"


def meaning_line(note: Note, meaning: str | None = None) -> Content:
    """The meaning, said as a guess when the matcher is not sure the term is meant ("may mean")."""
    meaning = safe(note.meaning if meaning is None else meaning)
    if getattr(note, "confidence", "clear") == "possible":
        reason = getattr(note, "reason", "")
        hedge = Content.assemble(("may mean ", "italic"), meaning)
        return Content.assemble(hedge, (f" ({safe(reason)})", "$text-muted")) if reason else hedge
    return Content(meaning)


def _render_note(note: Note, reader: str) -> Content:
    entry = note.entry
    # A Chinese reader gets the Chinese explanation wherever the entry has one: English terms in a
    # post, and Chinese terms in a reply they write for English readers (how it will land).
    use_zh = reader == "zh" and bool(entry.meaning_zh)
    meaning = entry.meaning_zh if use_zh else note.meaning
    explanation = (entry.note_zh or note.note) if use_zh else note.note
    head: list[str | tuple[str, str] | Content] = [(safe(note.term), "bold $accent")]
    if note.lang == "zh" and note.term != entry.term:
        # A variant spelling (交猫税 for 猫税): the pinyin is the entry's, so name the entry.
        head += ["  ", (f"= {safe(entry.term)}", "$text-muted")]
    if note.pinyin:
        head += ["  ", (safe(note.pinyin), "italic")]
    head += ["  ", (f" {safe(note.category)} ", "$text-muted on $boost")]
    if note.register != "neutral":
        colour = _BADGE_COLOURS.get(note.register, "$text-muted")
        head += [" ", (f" {safe(note.register)} ", f"bold $background on {colour}")]
    lines = [Content.assemble(*head), meaning_line(note, meaning)]
    if explanation:
        lines.append(Content.styled(safe(explanation), "$text-muted"))
    return Content("\n").join(lines)
