"""The dictionary card for the word under the cursor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from translator.errors import ZhenError

if TYPE_CHECKING:
    from translator.dictionary import GlossItem

HINT = "Move the cursor to (or click) a Chinese word or a highlighted term to look it up."


class WordCard(VerticalScroll):
    """Word, Simplified/Traditional forms, pinyin, CC-CEDICT senses and the glossary note."""

    def compose(self) -> ComposeResult:
        yield Static(Content.styled(HINT, "$text-muted"), id="card")

    @property
    def card(self) -> Static:
        return self.query_one("#card", Static)

    @property
    def shown(self) -> str:
        content = self.card.content
        return content.plain if isinstance(content, Content) else str(content)

    def show_hint(self) -> None:
        self.card.update(Content.styled(HINT, "$text-muted"))

    def show_error(self, error: BaseException | None) -> None:
        message = str(error) if isinstance(error, ZhenError) else f"Lookup failed: {error!r}"
        self.card.update(Content.styled(message, "$text-error"))

    def show_item(self, item: GlossItem, attribution: str) -> None:
        head: list[str | tuple[str, str]] = [(item.text, "bold $accent")]
        other_form = item.traditional if item.traditional != item.text else item.simplified
        if other_form and other_form != item.text:
            label = "Traditional" if other_form == item.traditional else "Simplified"
            head += ["  ", (f"{label} {other_form}", "$text-muted")]
        if item.pinyin:
            head += ["  ", (item.pinyin, "italic")]
        lines = [Content.assemble(*head)]
        note = item.note
        if note is not None:
            lines.append(Content.assemble((f" {note.category} ", "$text-muted on $boost"), " ", note.meaning))
            if note.note:
                lines.append(Content.styled(note.note, "$text-muted"))
        else:
            lines += [Content(f"{number}. {sense}") for number, sense in enumerate(item.definitions, 1)]
            lines += [Content(""), Content.styled(attribution, "$text-muted")]
        self.card.update(Content("\n").join(lines))
        self.border_subtitle = "glossary" if note is not None else "CC-CEDICT"
