"""The main screen: paste a post, read its translation, the notes on it and any word in it."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, cast

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid
from textual.timer import Timer
from textual.widgets import Footer, OptionList, Tab, Tabs, TextArea
from textual.worker import Worker, WorkerState

from translator.dictionary import CEDICT_ATTRIBUTION, gloss
from translator.languages import language_name
from tui.jobs import Outcome, item_at, translate_post
from tui.screens.base import EditorScreen, gloss_text, summary
from tui.widgets.model_banner import ModelBanner
from tui.widgets.notes_panel import NoteOption, NotesPanel
from tui.widgets.source_editor import SourceEditor
from tui.widgets.status_bar import StatusBar
from tui.widgets.translation_view import TranslationView
from tui.widgets.word_card import WordCard

#: Seconds the cursor rests before the word under it is looked up (typing moves it constantly).
LOOKUP_DELAY = 0.2


class TranslateScreen(EditorScreen):
    """Post and translation side by side; notes and the word card below."""

    PANES = (("translation", "Translation"), ("notes", "Notes"), ("word", "Word"))

    def __init__(self) -> None:
        super().__init__()
        self._lookup_timer: Timer | None = None
        #: The dictionary reading of the editor's text, and the text it was made for.
        self._gloss: tuple[str, tuple[Any, ...]] | None = None

    def compose(self) -> ComposeResult:
        yield ModelBanner()
        with Grid(id="panes"):
            yield SourceEditor(
                id="source",
                classes="pane",
                placeholder="Paste or type a post in Chinese or English.\n"
                "It is translated when you pause typing.",
            )
            yield Tabs(*(Tab(label, id=f"tab-{pane}") for pane, label in self.PANES), id="pane-tabs")
            yield TranslationView("The translation appears here.", id="translation", classes="pane")
            yield NotesPanel(
                "Notes on slang, platforms and culture in the post appear here.", id="notes", classes="pane"
            )
            yield WordCard(id="word", classes="pane")
        yield StatusBar()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.editor.border_title = "Post"
        self.translation.border_title = "Translation"
        self.notes.border_title = "Notes"
        self.word_card.border_title = "Word"
        self.editor.focus()

    @property
    def word_card(self) -> WordCard:
        return self.query_one(WordCard)

    # -- EditorScreen hooks ------------------------------------------------------------------

    def job(self, text: str, target: str | None) -> Callable[[], Outcome]:
        app = self.zhen
        return partial(translate_post, app.translator, app.engine_lock, text, target, dict(app.unusable))

    def forward(self) -> Outcome | None:
        return self.outcome if isinstance(self.outcome, Outcome) else None

    def present(self, outcome: Outcome) -> None:
        self.show_banner(outcome)
        if outcome.problem:
            self._gloss = (outcome.original, outcome.gloss)
        if outcome.error:
            self.translation.show_message(outcome.error, error=True)
            self.status_bar.set_activity(outcome.error, error=True)
        elif outcome.problem:
            self.translation.show_gloss(outcome.gloss, CEDICT_ATTRIBUTION)
            self.status_bar.set_activity("Dictionary mode: word by word")
            if outcome.gloss:
                self.remember(outcome.original, gloss_text(outcome), outcome.source, outcome.target, "post")
        elif outcome.translation is not None:
            self.show_translation()
            self.status_bar.set_activity(summary(outcome.translation))
            self.remember(outcome.original, outcome.text, outcome.source, outcome.target, "post")
        self.show_notes(outcome.notes, reader=outcome.target, empty="No slang, platform or culture notes here.")

    def show_empty(self) -> None:
        super().show_empty()
        self.word_card.show_hint()

    def direction_changed(self, source: str, target: str) -> None:
        self.editor.border_title = f"Post · {language_name(source)}"
        self.translation.border_title = f"Translation · {language_name(target)}"
        self.label_tab("translation", f"Translation · {language_name(target)}")

    # -- word lookup -------------------------------------------------------------------------

    @on(TextArea.SelectionChanged, "#source")
    def _cursor_moved(self) -> None:
        if self._lookup_timer is not None:
            self._lookup_timer.stop()
        self._lookup_timer = self.set_timer(LOOKUP_DELAY, self.look_up)

    def look_up(self) -> None:
        """Show the card of the word at the cursor (or at the start of the selection)."""
        text = self.editor.text
        if not text.strip():
            self.word_card.show_hint()
            return
        selection = self.editor.selection
        location = min(selection.start, selection.end)
        index = self.editor.document.get_index_from_location(location)  # type: ignore[attr-defined]
        if self._gloss is not None and self._gloss[0] == text:
            self._show_word(self._gloss[1], index)
            return
        translator = self.zhen.translator

        def read() -> tuple[str, int, tuple[Any, ...]]:
            # The glossary loads on first use: in this thread, not the UI's.
            return text, index, tuple(gloss(text, translator.glossary))

        self.run_worker(read, group="lookup", exclusive=True, thread=True, exit_on_error=False)

    @on(Worker.StateChanged)
    def _lookup_done(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "lookup":
            return
        if event.state == WorkerState.SUCCESS:
            text, index, items = cast("tuple[str, int, Any]", worker.result)
            self._gloss = (text, items)
            self._show_word(items, index)
        elif event.state == WorkerState.ERROR:
            self.word_card.show_error(worker.error)

    def _show_word(self, items: tuple[Any, ...], index: int) -> None:
        item = item_at(items, index)
        if item is None:
            self.word_card.show_hint()
        else:
            self.word_card.show_item(item, CEDICT_ATTRIBUTION)

    @on(OptionList.OptionSelected, "#notes")
    def _note_picked(self, event: OptionList.OptionSelected) -> None:
        """Enter on a note selects its term in the post (which also shows its card)."""
        if not isinstance(event.option, NoteOption):
            return
        note = event.option.note
        text = self.editor.text
        start = note.start if text[note.start : note.end] == note.term else text.find(note.term)
        if start >= 0:
            self.editor.select_span(start, start + len(note.term))
            self.show_pane("word")
