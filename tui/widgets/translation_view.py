"""A scrollable pane that shows a translation, a dictionary reading or a message."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
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

    def compose(self) -> ComposeResult:
        yield Static(Content.styled(self.placeholder, "$text-muted"), id="body")

    @property
    def body(self) -> Static:
        return self.query_one("#body", Static)

    @property
    def shown(self) -> str:
        """The plain text on display (what a test or a screen reader sees)."""
        content = self.body.content
        return content.plain if isinstance(content, Content) else str(content)

    def show_placeholder(self) -> None:
        self.show(Content.styled(self.placeholder, "$text-muted"))

    def show(self, content: Content) -> None:
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
        """Dictionary mode: one line per word, words and readings in aligned columns."""
        words = [item for item in items if item.note is not None or item.kind == "word"]
        if not words:
            self.show_message("No Chinese words or glossary terms to look up here.")
            return
        word_width = max(cell_len(item.text) for item in words)
        pinyin_width = max(cell_len(item.pinyin) for item in words)
        lines = []
        for item in words:
            meaning = "; ".join(item.definitions) or "(not in the dictionary)"
            lines.append(
                Content.assemble(
                    (_pad(item.text, word_width), "bold $accent" if item.note else "bold"),
                    "  ",
                    (_pad(item.pinyin, pinyin_width), "italic"),
                    "  ",
                    meaning,
                )
            )
        lines += [Content(""), Content.styled(attribution, "$text-muted")]
        self.show(Content("\n").join(lines))


def _pad(text: str, width: int) -> str:
    """Pad to a width in terminal cells: a Chinese character takes two, so len() would misalign."""
    return text + " " * (width - cell_len(text))
