"""The history: every post and reply translated, newest first, searchable and reopenable."""

from __future__ import annotations

import time
from typing import ClassVar

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from translator.errors import ZhenError
from translator.history import History, HistoryEntry
from tui.text import one_line

#: How many matches the list shows; the search narrows the rest down.
SHOWN = 200
#: Terminal cells of the original and of the translation shown per entry (about two lines).
PREVIEW = 150


class HistoryOption(Option):
    def __init__(self, entry: HistoryEntry) -> None:
        super().__init__(_render_entry(entry), id=entry.id)
        self.entry = entry


class HistoryScreen(ModalScreen[HistoryEntry | None]):
    """Type to search; up/down to choose; Enter reopens the entry in the editor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("shift+delete", "delete", "Delete entry"),
    ]

    def __init__(self, history: History) -> None:
        super().__init__()
        self.history = history

    def compose(self) -> ComposeResult:
        with Vertical(id="history-dialog"):
            yield Input(placeholder="Search the history (any words, in either language)", id="history-search")
            yield OptionList(id="history-list")
            yield Static(
                Content.styled("Enter reopen · ↑↓ choose · shift+del delete · esc close", "$text-muted"),
                id="history-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#history-dialog").border_title = "History"
        self._fill("")

    @property
    def options(self) -> OptionList:
        return self.query_one("#history-list", OptionList)

    @on(Input.Changed, "#history-search")
    def _search(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, query: str) -> None:
        try:
            entries = self.history.search(query, limit=SHOWN)
        except ZhenError as error:
            self.notify(one_line(str(error)), severity="error", markup=False)
            entries = []
        options = self.options
        options.clear_options()
        if entries:
            separated: list[Option | None] = []
            for entry in entries:
                separated += [HistoryOption(entry), None]  # None: a separator line
            options.add_options(separated[:-1])
            options.highlighted = 0
        else:
            empty = "Nothing matches." if query.strip() else "Nothing translated yet."
            options.add_option(Option(Content.styled(empty, "$text-muted"), disabled=True))
        total = len(self.history)
        self.query_one("#history-dialog").border_subtitle = f"{len(entries)} of {total}"

    def action_move(self, step: int) -> None:
        options = self.options
        if options.option_count and not options.get_option_at_index(0).disabled:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    @on(Input.Submitted, "#history-search")
    def _submit(self) -> None:
        highlighted = self.options.highlighted
        if highlighted is not None:
            option = self.options.get_option_at_index(highlighted)
            if isinstance(option, HistoryOption):
                self.dismiss(option.entry)

    @on(OptionList.OptionSelected, "#history-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if isinstance(event.option, HistoryOption):
            self.dismiss(event.option.entry)

    def action_delete(self) -> None:
        highlighted = self.options.highlighted
        if highlighted is None:
            return
        option = self.options.get_option_at_index(highlighted)
        if isinstance(option, HistoryOption):
            try:
                self.history.delete(option.entry.id)
            except ZhenError as error:
                self.notify(one_line(str(error)), severity="error", markup=False)
            self._fill(self.query_one("#history-search", Input).value)
            self.options.highlighted = min(highlighted, self.options.option_count - 1)


def _render_entry(entry: HistoryEntry) -> Content:
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(entry.updated))
    kind = "reply" if entry.kind == "reply" else "post"
    head = Content.assemble(
        (when, "$text-muted"), "  ", (one_line(f"{entry.source} → {entry.target}"), "bold"), "  ", (kind, "$text-muted")
    )
    return Content("\n").join(
        [head, Content(_one_line(entry.original)), Content.styled(_one_line(entry.text), "$text-muted")]
    )


def _one_line(text: str) -> str:
    """The text on one line, cut to PREVIEW terminal cells (a Chinese character takes two)."""
    flat = one_line(" ".join(text.split()))
    if cell_len(flat) <= PREVIEW:
        return flat
    kept, width = [], 0
    for char in flat:
        width += cell_len(char)
        if width > PREVIEW - 1:
            break
        kept.append(char)
    return "".join(kept) + "…"
