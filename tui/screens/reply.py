"""Reply mode: write in your own language, check what the other side will read, then copy it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid
from textual.widgets import Tab, Tabs

from translator.dictionary import CEDICT_ATTRIBUTION
from translator.languages import language_name
from tui.jobs import Outcome, ReplyOutcome, prepare_reply
from tui.screens.base import EditorScreen, summary
from tui.widgets.key_footer import KeyFooter
from tui.widgets.model_banner import ModelBanner
from tui.widgets.notes_panel import NotesPanel
from tui.widgets.source_editor import SourceEditor
from tui.widgets.status_bar import StatusBar
from tui.widgets.translation_view import TranslationView


class ReplyScreen(EditorScreen[ReplyOutcome]):
    """The reply, its translation (with pinyin), the translation translated back, and warnings."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Same key as the app's "Reply", named for where it goes from here.
        Binding("ctrl+r", "app.toggle_reply", "Read"),
        Binding("escape", "app.read_posts", "Read", show=False),
    ]

    PANES = (("translation", "To send"), ("back", "Back-translation"), ("notes", "Watch out"))

    def compose(self) -> ComposeResult:
        yield ModelBanner()
        with Grid(id="panes"):
            yield SourceEditor(
                id="source",
                classes="pane",
                placeholder="Write your reply in your own language.\nCheck the back-translation before you send it.",
            )
            yield Tabs(*(Tab(label, id=f"tab-{pane}") for pane, label in self.PANES), id="pane-tabs")
            yield TranslationView("The translation to send appears here.", id="translation", classes="pane")
            yield TranslationView(
                "The translation, translated back: if it says what you meant, the meaning survived.",
                id="back",
                classes="pane",
            )
            yield NotesPanel("Words in your reply that may land badly are listed here.", id="notes", classes="pane")
        yield StatusBar()
        yield KeyFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.editor.border_title = "Your reply"
        self.translation.border_title = "To send"
        self.back.border_title = "Back-translation"
        self.notes.border_title = "Watch out"
        self.editor.focus()

    @property
    def back(self) -> TranslationView:
        return self.query_one("#back", TranslationView)

    # -- EditorScreen hooks ------------------------------------------------------------------

    def job(self, text: str, target: str | None) -> ReplyOutcome:
        return prepare_reply(self.zhen.models, self.zhen.engine_lock, text, target)

    def forward(self) -> Outcome | None:
        return self.outcome.forward if self.outcome is not None else None

    def present(self, outcome: ReplyOutcome) -> None:
        forward = outcome.forward
        self.show_banner(forward)
        if forward.error:
            self.translation.show_message(forward.error, error=True)
            self.status_bar.set_activity(forward.error, error=True)
        elif forward.problem:
            self.translation.show_gloss(
                forward.gloss, CEDICT_ATTRIBUTION, heading="No model to translate your reply: word by word."
            )
            self.status_bar.set_activity("Dictionary mode: no translation")
        elif forward.translation is not None:
            self.show_translation()
            self.status_bar.set_activity(summary(forward.translation))
            self.remember(forward.original, forward.text, forward.source, forward.target, "reply")
        self._show_back(outcome.back)
        self.show_notes(outcome.notes, reader=forward.source, empty="Nothing in your reply is known to land badly.")

    def _show_back(self, back: Outcome | None) -> None:
        if back is None:
            self.back.show_placeholder()
        elif back.error:
            self.back.show_message(back.error, error=True)
        elif back.problem:
            # No model for the way back: the word-by-word reading is the next best check.
            self.back.show_gloss(back.gloss, CEDICT_ATTRIBUTION)
        else:
            self.back.show_translation(back.text)

    def show_empty(self) -> None:
        super().show_empty()
        self.back.show_placeholder()

    def direction_changed(self, source: str, target: str) -> None:
        self.editor.border_title = f"Your reply · {language_name(source)}"
        self.translation.border_title = f"To send · {language_name(target)}"
        self.back.border_title = f"Back-translation · {language_name(source)}"
