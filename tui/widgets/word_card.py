"""The dictionary card for the word under the cursor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from translator.errors import ZhenError
from tui.text import safe
from tui.widgets.notes_panel import meaning_line

if TYPE_CHECKING:
    from translator.dictionary import GlossItem

HINT = "Move the cursor to (or click) a word or a highlighted term to look it up."


class WordCard(VerticalScroll):
    """Word, Simplified/Traditional forms, pinyin, the glossary note and CC-CEDICT's senses."""

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
        self.card.update(Content.styled(safe(message), "$text-error"))

    def show_item(self, item: GlossItem, attribution: str) -> None:
        head: list[str | tuple[str, str]] = [(safe(item.text), "bold $accent")]
        other_form = item.traditional if item.traditional != item.text else item.simplified
        if other_form and other_form != item.text:
            label = "Traditional" if other_form == item.traditional else "Simplified"
            head += ["  ", (f"{label} {safe(other_form)}", "$text-muted")]
        if item.pinyin:
            head += ["  ", (safe(item.pinyin), "italic")]
        lines = [Content.assemble(*head)]
        note = item.note
        senses = item.senses if note is not None else item.definitions
        if note is not None:
            badge = (f" {safe(note.category)} ", "$text-muted on $boost")
            lines.append(Content.assemble(badge, " ", meaning_line(note)))
            if note.note:
                lines.append(Content.styled(safe(note.note), "$text-muted"))
            if senses:
                lines.append(Content.styled("CC-CEDICT:", "bold"))
        lines += [Content(f"{number}. {safe(sense)}") for number, sense in enumerate(senses, 1)]
        if senses:
            lines += [Content(""), Content.styled(attribution, "$text-muted")]
        self.card.update(Content("\n").join(lines))
        self.border_subtitle = "glossary" if note is not None else "CC-CEDICT"
