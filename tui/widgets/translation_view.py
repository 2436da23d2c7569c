"""A scrollable pane that shows a translation, a dictionary reading or a message."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from tui.text import Reflowed, safe

if TYPE_CHECKING:
    from translator.dictionary import GlossItem

#: Columns the meanings of a dictionary word are indented by, under the word.
HANGING_INDENT = 2


class TranslationView(VerticalScroll, can_focus=True):
    """Shows one thing at a time; focusable so long results can be scrolled with the keyboard."""

    def __init__(self, placeholder: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
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
            self.show(Reflowed(text), text)
            return
        parts: list[RenderableType] = []
        plain: list[str] = []
        for line, reading in zip(text.split("\n"), pinyin, strict=False):
            parts.append(Reflowed(line))
            plain.append(line)
            if reading.strip():
                parts.append(Reflowed(reading, "italic dim"))
                plain.append(reading)
        self.show(Group(*parts), "\n".join(plain))

    def show_message(self, message: str, *, error: bool = False) -> None:
        self.show(Content.styled(safe(message), "$text-error" if error else "$text-muted"))

    def show_gloss(self, items: Sequence[GlossItem], attribution: str, heading: str = "") -> None:
        """Dictionary mode: each word with its pinyin on one line, its meanings wrapped under it
        with a hanging indent, so no meaning is cut however narrow the pane."""
        words = looked_up(items)
        if not words:
            self.show_message("No words or glossary terms to look up here.")
            return
        parts: list[RenderableType] = []
        plain = []
        if heading:
            parts.append(Text(safe(heading), style="dim italic"))
            plain.append(heading)
        for item in words:
            head = Text(safe(item.text), style="bold underline" if item.note else "bold")
            if item.pinyin:
                head.append("  ")
                head.append(safe(item.pinyin), style="italic")
            meaning = "; ".join(item.definitions) or "(not in the dictionary)"
            parts += [head, Reflowed(meaning, indent=HANGING_INDENT)]
            plain.append(gloss_line(item))
        plain.append(attribution)
        self.show(Group(*parts, Text(""), Text(attribution, style="dim")), "\n".join(plain))


def looked_up(items: Sequence[GlossItem]) -> list[GlossItem]:
    """The items a dictionary reading lists: words, glossary terms, English words with equivalents."""
    return [item for item in items if item.note is not None or item.definitions or item.kind == "word"]


def gloss_line(item: GlossItem) -> str:
    """One word of a dictionary reading as plain text (what the copy key and the history keep)."""
    meaning = "; ".join(item.definitions) or "(not in the dictionary)"
    return " ".join(part for part in (item.text, item.pinyin, meaning) if part)
