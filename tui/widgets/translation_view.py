"""A scrollable pane that shows a translation, a dictionary reading or a message."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

if TYPE_CHECKING:
    from translator.dictionary import GlossItem


class TranslationView(VerticalScroll, can_focus=True):
    """Shows one thing at a time; focusable so long results can be scrolled with the keyboard."""

    def __init__(self, placeholder: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.placeholder = placeholder
        self._plain = placeholder

    def compose(self) -> ComposeResult:
        yield Static(Content.styled(self.placeholder, "$text-muted"), id="body")

    @property
    def body(self) -> Static:
        return self.query_one("#body", Static)

    @property
    def shown(self) -> str:
        """The plain text on display (what a test or a screen reader sees)."""
        return self._plain

    def show_placeholder(self) -> None:
        self.show(Content.styled(self.placeholder, "$text-muted"))

    def show(self, content: Content | RenderableType, plain: str = "") -> None:
        self._plain = content.plain if isinstance(content, Content) else plain
        self.body.update(content)
        self.scroll_home(animate=False)

    def show_translation(self, text: str, pinyin: Sequence[str] = ()) -> None:
        """The translation; with `pinyin` (one line per line of text) each line gets its reading."""
        if not pinyin:
            self.show(Content(text))
            return
        lines: list[Content] = []
        for line, reading in zip(text.split("\n"), pinyin, strict=False):
            lines.append(Content(line))
            if reading.strip():
                lines.append(Content.styled(reading, "italic $text-muted"))
        self.show(Content("\n").join(lines))

    def show_message(self, message: str, *, error: bool = False) -> None:
        self.show(Content.styled(message, "$text-error" if error else "$text-muted"))

    def show_gloss(self, items: Sequence[GlossItem], attribution: str) -> None:
        """Dictionary mode: a table of word, pinyin and meanings. Long meanings wrap inside their
        column, and Rich counts a Chinese character as two cells, so the columns stay aligned."""
        words = [item for item in items if item.note is not None or item.kind == "word"]
        if not words:
            self.show_message("No Chinese words or glossary terms to look up here.")
            return
        table = Table(box=None, show_header=False, padding=(0, 1, 0, 0), expand=True)
        table.add_column("word", no_wrap=True)
        table.add_column("pinyin", style="italic", max_width=16)
        table.add_column("meaning", ratio=1)
        plain = []
        for item in words:
            meaning = "; ".join(item.definitions) or "(not in the dictionary)"
            # Glossary terms are underlined, as they are in the editor.
            table.add_row(Text(item.text, style="bold underline" if item.note else "bold"), item.pinyin, meaning)
            plain.append(f"{item.text} {item.pinyin} {meaning}")
        plain.append(attribution)
        self.show(Group(table, Text(""), Text(attribution, style="dim")), "\n".join(plain))
