"""`ZhenApp`: composes the screens, owns the translator, the history and the settings.

Start-up does nothing slow on the UI thread: the first frame is painted from Textual alone, while a
worker thread loads the model the first text most likely needs (the direction of the last one);
the other model, the dictionary and the glossary checks wait until that first translation is on
screen, so they do not compete with it for the CPU. Workers report through typed messages; the
translator reports each step through `on_status`, shown in the status bar. Heavy libraries are
imported by the library inside those threads.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive

from translator.errors import ModelNotFoundError, ZhenError
from translator.history import History, HistoryEntry
from translator.languages import MODELS
from tui import paste
from tui.commands import ZhenCommands
from tui.jobs import WARM_UP_DELAY, Direction
from tui.preferences import save_preferences
from tui.screens.base import EditorScreen
from tui.screens.reply import ReplyScreen
from tui.screens.translate import TranslateScreen
from tui.start import HeadStart, head_start
from tui.text import one_line

if TYPE_CHECKING:
    from translator import Translator

#: The name the reply screen is installed under.
REPLY_SCREEN = "reply"


class StatusReport(Message):
    """A progress line from the translator (posted from whichever thread is working)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class ModelLoading(Message):
    """A model started loading (`name`), or the one loading is done (`name` is "")."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name


class StartupProblem(Message):
    """Something the banner should say until a text is translated: no model, or a broken one."""

    def __init__(self, problem: str) -> None:
        super().__init__()
        self.problem = problem


class GlossaryProblem(Message):
    """The user glossary could not be used (the library skipped it): the user should hear of it."""

    def __init__(self, problem: str) -> None:
        super().__init__()
        self.problem = problem


class StartupDone(Message):
    """Every installed model loaded (or found broken), the dictionary warm."""


class ZhenApp(App[None]):
    """Paste a post, read it, understand it, reply to it."""

    TITLE = "zhen"
    CSS_PATH = "zhen.tcss"
    COMMANDS = App.COMMANDS | {ZhenCommands}
    #: Built the first time it is shown and kept from then on, text and all.
    SCREENS: ClassVar = {REPLY_SCREEN: ReplyScreen}
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
        translator: Translator,
        *,
        history: History | None = None,
        started: HeadStart | None = None,
    ) -> None:
        """`started`: what the entry point began before importing Textual (`tui.start`); without
        it, the app reads the preferences and loads the likely model once it is mounted."""
        super().__init__()
        self.translator = translator
        self.started = started or head_start(translator, preload=False)
        self.models = self.started.models
        self.preferences = self.started.preferences
        self.history = history if history is not None else History()
        #: What "Clear history" removed, until it is undone or the app closes.
        self.cleared_history: list[HistoryEntry] = []
        #: Held around every model call: one translation at a time, whatever the workers do.
        self.engine_lock = threading.Lock()
        #: Set once the start-up worker is done: models loaded, dictionary warm.
        self.startup_done = False
        #: Set when a translation reaches the screen. Warming the dictionary is 1.5 s of pure
        #: Python that holds the GIL, so it (and whatever else the first translation does not
        #: need) waits for the first translation (or a quiet spell) instead of slowing it down.
        self.first_translation_shown = threading.Event()
        self.set_reactive(ZhenApp.beam_size, translator.beam_size)
        self.set_reactive(ZhenApp.script, translator.script)
        self.set_reactive(ZhenApp.show_pinyin, self.preferences.show_pinyin)
        if translator.script == "Hans" and self.preferences.script == "Hant":
            # Remembered from the last run; `--traditional` on the command line wins either way.
            translator.script = "Hant"
            self.set_reactive(ZhenApp.script, "Hant")
        if self.preferences.theme in self.available_themes:
            self.theme = self.preferences.theme
        paste.install()

    def on_mount(self) -> None:
        # Reports of a model that began loading before the app ran arrive from here on.
        self.started.status.attach(self._report)
        self.models.loading.attach(self._report_loading)
        # Loads the likely model (or waits for the head start's load of it), then what waits for
        # the first translation.
        self._start_up(self.preferences.likely_direction)
        # Broken state files were moved aside while loading: say so, once, in one line each.
        for notice in self.preferences.notices:
            self.notify(one_line(notice), title="Preferences", severity="warning", timeout=15, markup=False)
        self.call_after_refresh(self._history_notices)
        self.call_after_refresh(self.started.settle)

    def remember_direction(self, target: str) -> None:
        """A translation into `target` reached the screen: its model loads first next time."""
        if self.preferences.target != target:
            self.preferences.target = target
            save_preferences(self.preferences)

    # -- start-up ----------------------------------------------------------------------------

    def _report(self, text: str) -> None:
        """The translator's status lines: may be called from any thread."""
        self.post_message(StatusReport(text))

    def _report_loading(self, name: str) -> None:
        """`Models.loading`: called from the loading thread."""
        self.post_message(ModelLoading(name))

    def on_status_report(self, message: StatusReport) -> None:
        self.status = message.text

    def on_model_loading(self, message: ModelLoading) -> None:
        self.loading = message.name

    def on_startup_problem(self, message: StartupProblem) -> None:
        self.startup_banner = message.problem

    def on_glossary_problem(self, message: GlossaryProblem) -> None:
        self.notify(one_line(message.problem), title="Glossary", severity="warning", timeout=15, markup=False)

    def on_startup_done(self, message: StartupDone) -> None:
        self.startup_done = True

    @work(thread=True, group="startup", exit_on_error=False)
    def _start_up(self, likely: Direction) -> None:
        """Load the likely model; once the first translation is on screen, the other model, the
        dictionary and the glossary checks.

        A translation loads the model it needs itself (`Models`), whichever comes first; each
        step fails on its own, so a broken glossary file still leaves translation working.
        """
        installed = self.models.installed()
        if not installed:
            spec = MODELS[likely]
            self.post_message(StartupProblem(str(ModelNotFoundError(spec.name, self.translator.store.root))))
            self._report("No model installed: dictionary mode")
        ordered = sorted(installed, key=lambda direction: direction != likely)
        if ordered:
            self._load(ordered[0])
            self.first_translation_shown.wait(WARM_UP_DELAY)
        for direction in ordered[1:]:
            self._load(direction)
        try:
            from translator.dictionary import warm_up

            with self.started.collector_resting():
                warm_up()
            # A broken user glossary is skipped by the library; the user should hear about it.
            for problem in self.translator.glossary.problems:
                self.post_message(GlossaryProblem(problem))
        except ZhenError as error:
            self._report(f"Error: {error}")
        self.post_message(StartupDone())

    def _load(self, direction: Direction) -> None:
        problem = self.models.problem(direction)
        if problem:
            self.post_message(StartupProblem(problem))
            self._report(f"Error: {problem}")

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
            if binding.action == "app.read_posts":
                description = "Back to reading posts (in reply mode)"
            rows.append((self.get_key_display(binding), description))
        return rows

    # The translate screen is the default screen and the reply screen is pushed over it, rather
    # than each being a Textual mode: starting in a mode re-parses every stylesheet of the app
    # twice before the first frame (Textual refreshes the CSS of a mode's first screen
    # unconditionally), 0.1 s of the start-up on 2 cores.
    def get_default_screen(self) -> TranslateScreen:
        return TranslateScreen()

    @property
    def in_reply(self) -> bool:
        """Is the reply screen open (perhaps under a dialog)?"""
        return any(isinstance(screen, ReplyScreen) for screen in self.screen_stack)

    def action_toggle_reply(self) -> None:
        if self.in_reply:
            self.action_read_posts()
        else:
            self.push_screen(REPLY_SCREEN)

    def action_read_posts(self) -> None:
        """Close the reply screen (and any dialog over it)."""
        while self.in_reply:
            self.pop_screen()

    def action_history(self) -> None:
        from tui.screens.history import HistoryScreen

        if not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen(self.history), self.reopen)

    async def reopen(self, entry: HistoryEntry | None) -> None:
        """Open a history entry in the mode it was made in."""
        if entry is None:
            return
        if entry.kind != "reply":
            self.action_read_posts()
        elif not self.in_reply:
            await self.push_screen(REPLY_SCREEN)
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
