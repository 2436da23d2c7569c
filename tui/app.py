"""`ZhenApp`: composes the screens, owns the translator, the history and the settings.

Start-up does nothing slow on the UI thread: the first frame is painted from Textual alone, then a
worker thread checks the model store, warms up the dictionary and loads the installed models (the
translator reports each step through `on_status`, shown in the status bar). Heavy libraries are
imported by the library inside those threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive

from translator.errors import ModelBrokenError, ModelNotFoundError, ZhenError
from translator.history import History, HistoryEntry
from translator.languages import MODELS
from tui import paste
from tui.commands import ZhenCommands
from tui.preferences import load_preferences, save_preferences
from tui.screens.base import EditorScreen
from tui.screens.reply import ReplyScreen
from tui.screens.translate import TranslateScreen
from tui.text import one_line

if TYPE_CHECKING:
    from translator import Translator

#: Which model loads first: most users paste Chinese posts.
LOAD_ORDER = (("zh", "en"), ("en", "zh"))
#: Seconds the dictionary warm-up waits for the first translation before it runs anyway.
WARM_UP_DELAY = 5.0


class StatusReport(Message):
    """A progress line from the translator (posted from whichever thread is working)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class ZhenApp(App[None]):
    """Paste a post, read it, understand it, reply to it."""

    TITLE = "zhen"
    CSS_PATH = "zhen.tcss"
    COMMANDS = App.COMMANDS | {ZhenCommands}
    MODES: ClassVar = {"translate": TranslateScreen, "reply": ReplyScreen}
    DEFAULT_MODE = "translate"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help"),
        Binding("ctrl+r", "toggle_reply", "Reply"),
        Binding("ctrl+f", "history", "History"),
    ]

    #: The latest progress line about the models ("Loading opus-mt-zh-en (ctranslate2)...").
    status: reactive[str] = reactive("")
    #: The model being loaded right now ("" when none): translations wait for it, notes do not.
    loading: reactive[str] = reactive("")
    #: Shown by the screens until a text is translated: how to install models, when none are.
    startup_banner: reactive[str] = reactive("")
    beam_size: reactive[int] = reactive(4)
    script: reactive[str] = reactive("Hans")
    show_pinyin: reactive[bool] = reactive(True)

    def __init__(
        self,
        translator: Translator | None = None,
        *,
        history: History | None = None,
        models_dir: str | Path | None = None,
        backend: str = "auto",
        beam_size: int = 4,
    ) -> None:
        super().__init__()
        if translator is None:
            from translator import Translator

            translator = Translator(models_dir, backend, beam_size)
        self.translator = translator
        translator.on_status = self._report
        self.history = history if history is not None else History()
        #: Directions whose model failed to load, with why: they are glossed instead.
        self.unusable: dict[tuple[str, str], str] = {}
        #: What "Clear history" removed, until it is undone or the app closes.
        self.cleared_history: list[HistoryEntry] = []
        #: Held around every model call: one translation at a time, whatever the workers do.
        self.engine_lock = threading.Lock()
        #: Set once the start-up worker is done: models loaded, dictionary warm.
        self.startup_done = False
        #: Set when a translation reaches the screen. Warming the dictionary is 1.5 s of pure
        #: Python that holds the GIL, so it waits for the first translation (or a quiet spell)
        #: instead of slowing it from 0.8 s to 2.3 s.
        self.first_translation_shown = threading.Event()
        self.set_reactive(ZhenApp.beam_size, translator.beam_size)
        self.set_reactive(ZhenApp.script, translator.script)
        self.preferences = load_preferences()
        self.set_reactive(ZhenApp.show_pinyin, self.preferences.show_pinyin)
        if translator.script == "Hans" and self.preferences.script == "Hant":
            # Remembered from the last run; `--traditional` on the command line wins either way.
            translator.script = "Hant"
            self.set_reactive(ZhenApp.script, "Hant")
        if self.preferences.theme in self.available_themes:
            self.theme = self.preferences.theme
        paste.install()

    def on_mount(self) -> None:
        # Broken state files were moved aside while loading: say so, once, in one line each.
        for notice in self.preferences.notices:
            self.notify(one_line(notice), title="Preferences", severity="warning", timeout=15, markup=False)
        self.call_after_refresh(self._history_notices)
        # After the first frame: the worker's imports (ctranslate2, jieba) hold the GIL at times,
        # and the user should see the app before anything else happens.
        self.call_after_refresh(self.run_worker, self._prepare, name="prepare", thread=True, exit_on_error=False)

    # -- start-up ----------------------------------------------------------------------------

    def _report(self, text: str) -> None:
        """`Translator.on_status`: may be called from any thread."""
        self.post_message(StatusReport(text))

    def on_status_report(self, message: StatusReport) -> None:
        self.status = message.text

    def _prepare(self) -> None:
        """Worker: find the installed models, load them, then warm up the dictionary and glossary.

        The models come first when there are any (a translation is what the user waits for);
        each step fails on its own, so a broken glossary file still leaves translation working.
        """
        translator = self.translator
        installed = translator.installed_directions()
        if not installed:
            spec = MODELS[LOAD_ORDER[0]]
            missing = str(ModelNotFoundError(spec.name, translator.store.root))
            self.call_from_thread(setattr, self, "startup_banner", missing)
            self._report("No model installed: dictionary mode")
        for direction in LOAD_ORDER:
            if direction in installed:
                self._attempt(partial(self._load, direction))
        if installed:
            self.first_translation_shown.wait(WARM_UP_DELAY)
        self._attempt(self._warm_up)
        self.call_from_thread(setattr, self, "startup_done", True)

    def _load(self, direction: tuple[str, str]) -> None:
        name = MODELS[direction].name
        self.call_from_thread(setattr, self, "loading", name)
        try:
            with self.engine_lock:
                self.translator.load(*direction)
        except Exception as error:
            # A broken model (whatever the library it breaks in): that direction is glossed, with
            # the problem and its fix on the banner, instead of failing every translation.
            if not isinstance(error, ZhenError):
                folder = self.translator.store.model_dir(MODELS[direction])
                error = ModelBrokenError(folder, f"{type(error).__name__}: {error}")
            self.unusable[direction] = str(error)
            self.call_from_thread(setattr, self, "startup_banner", str(error))
            raise error from None
        finally:
            self.call_from_thread(setattr, self, "loading", "")

    def _warm_up(self) -> None:
        from translator.dictionary import warm_up

        warm_up()
        # A broken user glossary is skipped by the library; the user should hear about it.
        for problem in self.translator.glossary.problems:
            self.call_from_thread(
                self.notify, one_line(problem), title="Glossary", severity="warning", timeout=15, markup=False
            )

    def _history_notices(self) -> None:
        """Read the history once now, so a broken file is moved aside (and said so) at start-up."""
        try:
            len(self.history)
        except ZhenError as error:
            self.notify(one_line(str(error)), title="History", severity="error", markup=False)
        self.show_history_notices()

    def show_history_notices(self) -> None:
        for notice in self.history.notices:
            self.notify(one_line(notice), title="History", severity="warning", timeout=15, markup=False)
        self.history.notices.clear()

    def _attempt(self, step: Callable[[], None]) -> None:
        try:
            step()
        except ZhenError as error:
            self._report(f"Error: {error}")

    # -- actions -----------------------------------------------------------------------------

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.key_help()))

    def key_help(self) -> list[tuple[str, str]]:
        """Every key of the app and its editor screens, for the help screen."""
        sources = [
            *self.BINDINGS,
            *EditorScreen.BINDINGS,
            *ReplyScreen.BINDINGS,
            Binding(self.COMMAND_PALETTE_BINDING, "command_palette", "Command palette (all commands)"),
            Binding("tab", "focus_next", "Next pane"),
            Binding("ctrl+q", "quit", "Quit"),
        ]
        rows: list[tuple[str, str]] = []
        for binding in Binding.make_bindings(sources):
            description = binding.description or binding.action
            if binding.tooltip:
                description = f"{description}: {binding.tooltip}"
            if binding.action == "app.toggle_reply":
                continue  # the app's own ctrl+r row already says it
            if binding.action.startswith("app.switch_mode"):
                description = "Back to reading posts (in reply mode)"
            rows.append((self.get_key_display(binding), description))
        return rows

    def action_toggle_reply(self) -> None:
        self.switch_mode("translate" if self.current_mode == "reply" else "reply")

    def action_history(self) -> None:
        from tui.screens.history import HistoryScreen

        if not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen(self.history), self.reopen)

    async def reopen(self, entry: HistoryEntry | None) -> None:
        """Open a history entry in the mode it was made in."""
        if entry is None:
            return
        mode = "reply" if entry.kind == "reply" else "translate"
        await self.switch_mode(mode)  # a mode's screen is built the first time it is shown
        screen = self.screen
        if isinstance(screen, EditorScreen):
            screen.reopen(entry)

    def action_clear_history(self) -> None:
        """Ask first; after clearing, "Undo clear history" in the palette brings it all back."""
        from tui.screens.confirm import ConfirmScreen

        count = len(self.history)
        if not count:
            self.notify("The history is already empty.")
            return
        question = f"Forget all {count} saved translation{'s' if count != 1 else ''}?"
        self.push_screen(ConfirmScreen(question, "Clear history"), self._clear_history_confirmed)

    def _clear_history_confirmed(self, confirmed: bool | None) -> None:
        if not confirmed:
            return
        try:
            self.cleared_history = self.history.clear()
        except ZhenError as error:
            self.notify(one_line(str(error)), severity="error", markup=False)
            return
        self.notify(
            "The history is empty now. To bring it back: ctrl+p, Undo clear history.",
            title="History cleared",
            timeout=15,
        )

    def action_undo_clear_history(self) -> None:
        if not self.cleared_history:
            self.notify("Nothing to undo.")
            return
        try:
            self.history.restore(self.cleared_history)
        except ZhenError as error:
            self.notify(one_line(str(error)), severity="error", markup=False)
            return
        self.notify(f"{len(self.cleared_history)} entries are back.", title="History restored")
        self.cleared_history = []

    def action_toggle_pinyin(self) -> None:
        self.show_pinyin = not self.show_pinyin

    def action_toggle_script(self) -> None:
        self.script = "Hans" if self.script == "Hant" else "Hant"

    def action_set_beam(self, beam: int) -> None:
        self.beam_size = beam

    def watch_show_pinyin(self, show: bool) -> None:
        self.preferences.show_pinyin = show
        save_preferences(self.preferences)

    def watch_theme(self, theme: str) -> None:
        self.preferences.theme = theme
        save_preferences(self.preferences)

    # The translator applies the settings to the next translation; the screens re-translate.
    def watch_script(self, script: str) -> None:
        self.translator.script = "Hant" if script == "Hant" else "Hans"
        self.preferences.script = self.translator.script
        save_preferences(self.preferences)

    def watch_beam_size(self, beam: int) -> None:
        self.translator.beam_size = beam
