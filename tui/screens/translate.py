"""The main screen: paste a post, read its translation, the notes on it and any word in it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid
from textual.message import Message
from textual.timer import Timer
from textual.widgets import OptionList, Tab, Tabs, TextArea
from textual.worker import get_current_worker

from translator.dictionary import CEDICT_ATTRIBUTION
from translator.languages import language_name
from tui.jobs import Outcome, item_at, read_words, translate_post
from tui.screens.base import EditorScreen, gloss_text, summary
from tui.widgets.key_footer import KeyFooter
from tui.widgets.model_banner import ModelBanner
from tui.widgets.notes_panel import NoteOption, NotesPanel
from tui.widgets.source_editor import SourceEditor
from tui.widgets.status_bar import StatusBar
from tui.widgets.translation_view import TranslationView
from tui.widgets.word_card import WordCard

if TYPE_CHECKING:
    from translator.dictionary import GlossItem

#: Seconds the cursor rests before the word under it is looked up (typing moves it constantly).
LOOKUP_DELAY = 0.2


class LookupMessage(Message):
    """The result of word look-up number `request` (only the newest one's is shown)."""

    bubble = False

    def __init__(self, request: int) -> None:
        super().__init__()
        self.request = request


class LookupReady(LookupMessage):
    """The word-by-word reading of `text`, and where the cursor was in it."""

    def __init__(self, request: int, text: str, index: int, items: tuple[GlossItem, ...]) -> None:
        super().__init__(request)
        self.text = text
        self.index = index
        self.items = items


class LookupFailed(LookupMessage):
    def __init__(self, request: int, error: Exception) -> None:
        super().__init__(request)
        self.error = error


class TranslateScreen(EditorScreen[Outcome]):
    """Post and translation side by side; notes and the word card below."""

    PANES = (("translation", "Translation"), ("notes", "Notes"), ("word", "Word"))

    def __init__(self) -> None:
        super().__init__()
        self._lookup_timer: Timer | None = None
        #: The number of the newest word look-up: only its result is shown.
        self._lookup = 0
        #: A look-up held back until the first translation is on screen (see `look_up`).
        self._lookup_held = False
        #: The dictionary reading of the editor's text, and the text it was made for.
        self._gloss: tuple[str, tuple[GlossItem, ...]] | None = None

    def compose(self) -> ComposeResult:
        yield ModelBanner()
        with Grid(id="panes"):
            yield SourceEditor(
                id="source",
                classes="pane",
                placeholder="Paste or type a post in Chinese or English.\nIt is translated when you pause typing.",
            )
            yield Tabs(*(Tab(label, id=f"tab-{pane}") for pane, label in self.PANES), id="pane-tabs")
            yield TranslationView("The translation appears here.", id="translation", classes="pane")
            yield NotesPanel(
                "Notes on slang, platforms and culture in the post appear here.", id="notes", classes="pane"
            )
            yield WordCard(id="word", classes="pane")
        yield StatusBar()
        yield KeyFooter()

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

    def job(self, text: str, target: str | None) -> Outcome:
        return translate_post(self.zhen.models, self.zhen.engine_lock, text, target)

    def forward(self) -> Outcome | None:
        return self.outcome

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
            self.zhen.remember_direction(outcome.target)
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
        """Show the card of the word at the cursor (or at the start of the selection).

        Until the first translation is on screen the look-up waits for it: the dictionary it
        needs takes 1.5 s of pure Python to load, which would slow that translation down.
        """
        self._lookup_held = False
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
        if not self.zhen.first_translation_shown.is_set():
            self._lookup_held = True
            return
        self._lookup += 1
        self._read_words(self._lookup, text, index)

    def translation_done(self) -> None:
        if self._lookup_held:
            self.look_up()

    @work(thread=True, exclusive=True, group="lookup", exit_on_error=False)
    def _read_words(self, request: int, text: str, index: int) -> None:
        message: LookupMessage
        try:
            # The glossary and the dictionary load on first use: in this thread, not the UI's.
            message = LookupReady(request, text, index, read_words(self.zhen.translator, text))
        except Exception as error:  # shown on the card rather than lost in a thread
            message = LookupFailed(request, error)
        if not get_current_worker().is_cancelled:
            self.post_message(message)

    def on_lookup_ready(self, message: LookupReady) -> None:
        if message.request == self._lookup:
            self._gloss = (message.text, message.items)
            self._show_word(message.items, message.index)

    def on_lookup_failed(self, message: LookupFailed) -> None:
        if message.request == self._lookup:
            self.word_card.show_error(message.error)

    def _show_word(self, items: tuple[GlossItem, ...], index: int) -> None:
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
