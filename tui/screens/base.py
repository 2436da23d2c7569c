"""What the translate and reply screens share: an editor whose text is translated by itself.

Typing restarts a short timer; when it fires (or on ctrl+t) the text goes to thread workers
(`@work` methods) that post typed messages back. Each request has a number: the workers of a
group are exclusive, so a newer request cancels the older one, and a message from any request but
the newest is dropped, so a stale result never overwrites a newer one. The direction follows the
text unless the user forced it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar, cast

from textual import events, on, work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Tabs, TextArea
from textual.worker import get_current_worker

from translator.dictionary import CEDICT_ATTRIBUTION
from translator.errors import ZhenError
from translator.history import EntryKind, HistoryEntry, is_revision
from translator.languages import language_name, other
from tui.clipboard import copy_out
from tui.jobs import WARM_UP_DELAY, EarlyReading, read_early, read_pinyin
from tui.text import one_line
from tui.widgets.model_banner import ModelBanner
from tui.widgets.notes_panel import NotesPanel
from tui.widgets.source_editor import SourceEditor
from tui.widgets.status_bar import StatusBar
from tui.widgets.translation_view import TranslationView, gloss_line, looked_up

if TYPE_CHECKING:
    from translator import Translation
    from translator.glossary import Note
    from tui.app import ZhenApp
    from tui.jobs import Outcome

#: Seconds of no typing after which the text is translated.
DEBOUNCE_SECONDS = 0.6
#: Below this many columns the panes under the editor become tabs, one shown at a time.
NARROW_COLUMNS = 100

#: What a screen's translation worker makes of a text (an `Outcome`, a `ReplyOutcome`).
OutcomeT = TypeVar("OutcomeT")


class WorkerMessage(Message):
    """A result a screen's worker posts to the screen itself, for request number `request`."""

    bubble = False

    def __init__(self, request: int) -> None:
        super().__init__()
        self.request = request


class TranslationReady(WorkerMessage, Generic[OutcomeT]):
    def __init__(self, request: int, outcome: OutcomeT) -> None:
        super().__init__(request)
        self.outcome = outcome


class TranslationFailed(WorkerMessage):
    """The translation worker crashed: a bug, not a user error (those come back as outcomes)."""

    def __init__(self, request: int, error: Exception) -> None:
        super().__init__(request)
        self.error = error


class EarlyReadingReady(WorkerMessage):
    """The notes (and maybe the dictionary reading) of a text, before its translation."""

    def __init__(self, request: int, reading: EarlyReading) -> None:
        super().__init__(request)
        self.reading = reading


class PinyinReady(Message):
    """The pinyin lines of a Chinese translation (kept by text: any request may use them)."""

    bubble = False

    def __init__(self, chinese: str, lines: tuple[str, ...]) -> None:
        super().__init__()
        self.chinese = chinese
        self.lines = lines


class EditorScreen(Screen[None], Generic[OutcomeT]):
    """Base of the screens built around one editor (`#source`), a status bar and a banner."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "translate_now", "Translate", show=False),  # pausing translates anyway
        Binding("ctrl+o", "cycle_direction", "Direction", tooltip="auto → the other way → fixed as detected → auto"),
        Binding("ctrl+g", "copy", "Copy"),
        # Kept out of the footer so it fits 80 columns; F1 and the palette list it.
        Binding("ctrl+l", "clear", "Clear", show=False),
        Binding("ctrl+b", "toggle_banner", "Banner: whole message or one line", show=False),
    ]
    #: The panes under the editor, by id, with their tab labels on a narrow terminal.
    PANES: ClassVar[tuple[tuple[str, str], ...]] = ()

    #: The language the user forced the text into; None follows the detected language.
    forced_target: reactive[str | None] = reactive(None, init=False)

    def __init__(self) -> None:
        super().__init__()
        self._debounce: Timer | None = None
        self._early_gloss: Timer | None = None
        #: The number of the newest translation request: only its results are shown.
        self.request = 0
        #: The outcome on display.
        self.outcome: OutcomeT | None = None
        #: The history entry the text in the editor is saved as, while it is being edited.
        self.entry: HistoryEntry | None = None
        #: Pinyin lines of Chinese translations, by text (computed apart: see `pinyin_for`).
        self._pinyin: dict[str, tuple[str, ...]] = {}
        #: The target the first ctrl+o forced: the next press forces the other, the third frees it.
        self._first_forced: str | None = None

    @property
    def zhen(self) -> ZhenApp:
        return cast("ZhenApp", self.app)

    @property
    def editor(self) -> SourceEditor:
        return self.query_one("#source", SourceEditor)

    @property
    def status_bar(self) -> StatusBar:
        return self.query_one(StatusBar)

    @property
    def banner(self) -> ModelBanner:
        return self.query_one(ModelBanner)

    def on_mount(self) -> None:
        app = self.zhen
        self.watch(app, "status", self._show_app_status)
        self.watch(app, "startup_banner", self._show_startup_banner)
        for setting in ("beam_size", "script"):
            self.watch(app, setting, self._model_setting_changed, init=False)
        self.watch(app, "show_pinyin", self._display_setting_changed, init=False)
        self._show_settings()
        self._show_direction()
        self._arrange()

    # -- layout ------------------------------------------------------------------------------

    @property
    def pane_tabs(self) -> Tabs:
        return self.query_one("#pane-tabs", Tabs)

    def on_resize(self, event: events.Resize) -> None:
        self._arrange()

    @on(Tabs.TabActivated, "#pane-tabs")
    def _tab_picked(self) -> None:
        self._arrange()

    def _arrange(self) -> None:
        """Side by side on a wide terminal; on a narrow one the editor on top and the other panes
        as tabs under it, each at full width, so meanings and notes are not squeezed."""
        narrow = self.app.size.width < NARROW_COLUMNS
        self.set_class(narrow, "-narrow")
        active = self.pane_tabs.active.removeprefix("tab-")
        for pane_id, _ in self.PANES:
            self.query_one(f"#{pane_id}").display = not narrow or pane_id == active

    def show_pane(self, pane_id: str) -> None:
        """Bring a pane forward (on a narrow terminal, its tab)."""
        self.pane_tabs.active = f"tab-{pane_id}"

    def label_tab(self, pane_id: str, label: str) -> None:
        self.pane_tabs.query_one(f"#tab-{pane_id}").label = label  # type: ignore[attr-defined]

    # -- subclasses fill these in ------------------------------------------------------------

    def job(self, text: str, target: str | None) -> OutcomeT:
        """The work for one text, run in a worker thread; returns the outcome `present` shows."""
        raise NotImplementedError

    def present(self, outcome: OutcomeT) -> None:
        """Show an outcome of `job`."""
        raise NotImplementedError

    def forward(self) -> Outcome | None:
        """The translation of the editor's text within the outcome on display, if any."""
        raise NotImplementedError

    # -- what every editor screen has: a translation pane and a notes pane -------------------

    @property
    def translation(self) -> TranslationView:
        return self.query_one("#translation", TranslationView)

    @property
    def notes(self) -> NotesPanel:
        return self.query_one("#notes", NotesPanel)

    def show_empty(self) -> None:
        """Show the panes of an empty editor (subclasses clear their own panes too)."""
        self.translation.show_placeholder()
        self.show_notes((), reader="en", empty="")
        self.banner.hide()
        self._show_startup_banner(self.zhen.startup_banner)

    def show_translation(self) -> None:
        """(Re)draw the translation of the outcome on display, with its pinyin if it is ready."""
        forward = self.forward()
        if forward is not None and forward.translation is not None:
            pinyin = self.pinyin_for(forward.text) if forward.target == "zh" else ()
            self.translation.show_translation(forward.text, pinyin)

    def copy_text(self) -> str:
        """What the copy key puts on the clipboard ("" when there is nothing yet): the
        translation, or in dictionary mode the word-by-word reading on screen."""
        forward = self.forward()
        if forward is None:
            return ""
        return forward.text or gloss_text(forward)

    def show_banner(self, forward: Outcome) -> None:
        """The dictionary-mode banner, when the outcome was made without a usable model."""
        if forward.problem:
            self.banner.show_problem(forward.problem)
        else:
            self.banner.hide()

    def show_notes(self, notes: Sequence[Note], reader: str, empty: str) -> None:
        """The notes pane, and the terms it explains marked in the editor (risky ones in red)."""
        self.notes.show_notes(notes, reader=reader, empty=empty)
        self.editor.mark_terms((note.term, note.risky) for note in notes)
        self.label_tab(self.notes.id or "notes", f"{self.notes.border_title or 'Notes'} ({len(self.notes.notes)})")

    # -- translating -------------------------------------------------------------------------

    @on(TextArea.Changed, "#source")
    def _source_changed(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        if not self.editor.text.strip():
            self._new_request()
            self.outcome = None
            self.entry = None  # whatever comes next is a new text
            self.show_empty()
            self._show_direction()
            return
        self._debounce = self.set_timer(DEBOUNCE_SECONDS, self.action_translate_now)

    def _new_request(self) -> int:
        """Supersede every request in flight: their workers are cancelled, their results dropped."""
        self.request += 1
        for group in ("translate", "early", "early-gloss"):
            self.workers.cancel_group(self, group)
        if self._early_gloss is not None:
            self._early_gloss.stop()
        return self.request

    def action_translate_now(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        text = self.editor.text
        if not text.strip():
            return
        loading = self.zhen.loading
        self.status_bar.set_activity(f"Translating… (loading {loading} first)" if loading else "Translating…")
        request, target = self._new_request(), self.forced_target
        # Notes need no model: they come at once, whatever the model is doing; the dictionary
        # reading (which may have to load the dictionary first) follows while a model loads.
        self._read_notes(request, text, target)
        if loading:
            if self.zhen.first_translation_shown.is_set():
                self._read_gloss(request, text, target)
            else:
                self._early_gloss = self.set_timer(
                    WARM_UP_DELAY, lambda: self._gloss_while_loading(request, text, target)
                )
        self._translate(request, text, target)

    def _gloss_while_loading(self, request: int, text: str, target: str | None) -> None:
        if request == self.request and self.zhen.loading:
            self._read_gloss(request, text, target)

    @work(thread=True, exclusive=True, group="translate", exit_on_error=False)
    def _translate(self, request: int, text: str, target: str | None) -> None:
        try:
            outcome = self.job(text, target)
        except Exception as error:  # a bug: said on screen rather than lost in a thread
            self._post_current(TranslationFailed(request, error))
            return
        self._post_current(TranslationReady(request, outcome))

    @work(thread=True, exclusive=True, group="early", exit_on_error=False)
    def _read_notes(self, request: int, text: str, target: str | None) -> None:
        self._post_current(EarlyReadingReady(request, read_early(self.zhen.translator, text, target, with_gloss=False)))

    @work(thread=True, exclusive=True, group="early-gloss", exit_on_error=False)
    def _read_gloss(self, request: int, text: str, target: str | None) -> None:
        self._post_current(EarlyReadingReady(request, read_early(self.zhen.translator, text, target, with_gloss=True)))

    def _post_current(self, message: WorkerMessage) -> None:
        """Post a worker's result unless a newer request cancelled the worker already."""
        if not get_current_worker().is_cancelled:
            self.post_message(message)

    def on_early_reading_ready(self, message: EarlyReadingReady) -> None:
        """The notes (and, while a model loads, the dictionary reading) before the translation."""
        early = message.reading
        current = self.forward()
        if message.request != self.request or (current is not None and current.original == early.original):
            return  # stale, or the translation already came
        self.show_notes(early.notes, reader=early.target, empty="No slang, platform or culture notes here.")
        if early.gloss:
            loading = self.zhen.loading or "the model"
            self.translation.show_gloss(
                early.gloss, CEDICT_ATTRIBUTION, heading=f"Loading {loading}; meanwhile, word by word:"
            )

    def on_translation_ready(self, message: TranslationReady[OutcomeT]) -> None:
        if message.request != self.request:
            return
        self.outcome = message.outcome
        self.present(message.outcome)
        self._show_direction()
        self.call_after_refresh(self._translation_shown)

    def on_translation_failed(self, message: TranslationFailed) -> None:
        if message.request != self.request:
            return
        # A bug, not a user error (those come back as outcomes): say so, keep the text.
        self.status_bar.set_activity(f"Unexpected error: {one_line(repr(message.error))}", error=True)
        self.log.error(message.error)
        self.call_after_refresh(self._translation_shown)

    def _translation_shown(self) -> None:
        # Painted: what waited for the first translation (and would hold the GIL) may start now.
        self.zhen.first_translation_shown.set()
        self.translation_done()

    def translation_done(self) -> None:
        """Hook: the newest request's translation (or its failure) is on screen."""

    def pinyin_for(self, chinese: str) -> tuple[str, ...]:
        """The pinyin lines of a Chinese translation if pinyin is on and they are ready, else ().

        They are worked out in a worker of their own after the translation is shown: they need
        the dictionary, which may still be loading when the first translation is ready.
        """
        if not self.zhen.show_pinyin or not chinese:
            return ()
        if chinese not in self._pinyin:
            self._read_pinyin(chinese)
            return ()
        return self._pinyin[chinese]

    @work(thread=True, exclusive=True, group="pinyin", exit_on_error=False)
    def _read_pinyin(self, chinese: str) -> None:
        lines = read_pinyin(self.zhen.translator, chinese)
        if not get_current_worker().is_cancelled:
            self.post_message(PinyinReady(chinese, lines))

    def on_pinyin_ready(self, message: PinyinReady) -> None:
        self._pinyin[message.chinese] = message.lines
        self.show_translation()

    def retranslate(self) -> None:
        if self.editor.text.strip():
            self.action_translate_now()

    # -- direction ---------------------------------------------------------------------------

    @property
    def target(self) -> str | None:
        """The language the text is (or will be) translated into, None before anything is known."""
        if self.forced_target is not None:
            return self.forced_target
        forward = self.forward()
        return (forward.target or None) if forward is not None else None

    def action_cycle_direction(self) -> None:
        """ctrl+o: automatic → the other way → the detected way, fixed → automatic again."""
        if self.forced_target is None:
            self._first_forced = other(self.target) if self.target else "zh"
            self.forced_target = self._first_forced
        elif self.forced_target == self._first_forced:
            self.forced_target = other(self.forced_target)
        else:
            self.forced_target = None

    def action_swap(self) -> None:
        """Translate the other way: forces the opposite of the direction in use."""
        self._first_forced = other(self.target) if self.target else "zh"
        self.forced_target = self._first_forced

    def action_auto_direction(self) -> None:
        self.forced_target = None

    def watch_forced_target(self) -> None:
        self._show_direction()
        self.retranslate()

    def _show_direction(self) -> None:
        self.status_bar.set_direction(direction_label(self.forced_target, self.target))
        if self.target is not None:
            self.direction_changed(other(self.target), self.target)

    def direction_changed(self, source: str, target: str) -> None:
        """Hook for pane titles that name the languages."""

    # -- history -----------------------------------------------------------------------------

    def remember(self, original: str, translation: str, source: str, target: str, kind: EntryKind) -> None:
        """Save a translation to the history, as a new version of the entry being edited if it is one."""
        entry = self.entry
        entry_id = entry.id if entry is not None and is_revision(entry.original, original) else None
        try:
            self.entry = self.zhen.history.save(original, translation, source, target, kind=kind, entry_id=entry_id)
        except ZhenError as error:
            self.notify(str(error), title="History not saved", severity="error")

    def reopen(self, entry: HistoryEntry) -> None:
        """Put a history entry back in the editor; it is translated again (from the cache, usually)."""
        self.entry = entry
        self.editor.load_text(entry.original)
        self.editor.move_cursor(self.editor.document.end)
        self.editor.focus()
        # Shown at once, so a text reopens instantly even while the model is loading.
        self.translation.show_translation(entry.text)

    # -- other keys --------------------------------------------------------------------------

    def action_copy(self) -> None:
        text = self.copy_text()
        if not text:
            self.notify("Nothing to copy yet.", severity="warning")
            return
        self.app.copy_to_clipboard(text)  # OSC 52: works where the terminal takes it
        self.notify(one_line(copy_out(text)), title="Copy", markup=False)

    def action_toggle_banner(self) -> None:
        if self.banner.display:
            self.banner.toggle()

    def action_clear(self) -> None:
        self.editor.clear()
        self.editor.focus()

    # -- app state ---------------------------------------------------------------------------

    def _show_app_status(self, status: str) -> None:
        if status:
            self.status_bar.set_activity(status, error=status.startswith("Error"))

    def _show_startup_banner(self, message: str) -> None:
        if message and self.outcome is None:
            self.banner.show_problem(message)

    def _model_setting_changed(self) -> None:
        self._show_settings()
        self.retranslate()

    def _display_setting_changed(self) -> None:
        self._show_settings()
        self.show_translation()

    def _show_settings(self) -> None:
        app = self.zhen
        script = "Traditional" if app.script == "Hant" else "Simplified"
        pinyin = "pinyin" if app.show_pinyin else "no pinyin"
        self.status_bar.set_settings(f"beam {app.beam_size} · {script} · {pinyin}")


def direction_label(forced: str | None, target: str | None) -> str:
    """The direction control as the status bar shows it: `auto · zh→en` or `en→zh · fixed`."""
    if forced is not None:
        return f"{other(forced)}→{forced} · fixed"
    return f"auto · {other(target)}→{target}" if target else "auto · zh⇄en"


def gloss_text(outcome: Outcome) -> str:
    """A dictionary reading as plain lines: what is copied and saved to the history."""
    return "\n".join(gloss_line(item) for item in looked_up(outcome.gloss))


def summary(translation: Translation) -> str:
    """One line for the status bar about what a translation did."""
    counts = translation.counts
    done = counts["translated"] + counts["cached"]
    if not done:
        return f"Nothing to translate: the text is already in {language_name(translation.target)}"
    line = f"{done} sentence{'s' if done != 1 else ''} translated"
    if counts["cached"]:
        line += f" ({counts['cached']} from cache)"
    if translation.rewrites:
        # The model saw plain words for these: worth knowing when a translation reads oddly.
        line += f" · {len(translation.rewrites)} slang term{'s' if len(translation.rewrites) != 1 else ''} made plain"
    return f"{line} · {translation.backend}" if translation.backend else line
