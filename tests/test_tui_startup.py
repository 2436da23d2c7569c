"""What the app loads first, and what waits for the first translation to be on screen."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest
from textual.css.stylesheet import Stylesheet
from textual.pilot import Pilot

from tests.engines import GatedEngine, TaggingEngine
from tests.pilotkit import until
from translator import Translator, dictionary
from translator.glossary import Glossary
from tui.app import ZhenApp
from tui.jobs import Relay
from tui.preferences import Preferences, load_preferences, save_preferences
from tui.screens.translate import TranslateScreen
from tui.start import head_start

pytestmark = pytest.mark.anyio

SIZE = (100, 30)


class RecordingTranslator(Translator):
    """A translator on a tagging engine that records the directions it is asked to load."""

    def __init__(self) -> None:
        super().__init__(engine=TaggingEngine(), cache=False, glossary=Glossary([]))
        self.loads: list[tuple[str, str]] = []

    def load(self, source: str, target: str) -> None:
        self.loads.append((source, target))
        super().load(source, target)


async def translate_until_started(pilot: Pilot, app: ZhenApp, text: str, shown: str) -> None:
    """Translate `text` on the translate screen; return once `shown` is on screen and the
    start-up work that waited for the first translation is done."""
    screen = app.screen
    assert isinstance(screen, TranslateScreen)
    screen.editor.insert(text)
    await pilot.press("ctrl+t")
    await until(pilot, lambda: screen.translation.shown == shown)
    await until(pilot, lambda: app.startup_done)


async def test_the_direction_of_the_last_translation_loads_first_and_alone() -> None:
    save_preferences(Preferences(target="zh"))
    translator = RecordingTranslator()
    app = ZhenApp(translator)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: translator.loads == [("en", "zh")])
        await pilot.pause(0.3)
        assert translator.loads == [("en", "zh")]  # the other model waits for the first translation
        await translate_until_started(pilot, app, "你好", "en(你好)")
        assert translator.loads == [("en", "zh"), ("zh", "en")]
    assert load_preferences().target == "en"  # remembered for the next start


class SlowLoadingTranslator(RecordingTranslator):
    """Loading takes until the test opens `gate`; `loading` is set once a load has begun."""

    def __init__(self) -> None:
        super().__init__()
        self.loading = threading.Event()
        self.gate = threading.Event()

    def load(self, source: str, target: str) -> None:
        self.loading.set()
        if self.on_status is not None:
            self.on_status(f"Loading {source}-{target} slowly...")
        assert self.gate.wait(30), "the test never opened the gate"
        super().load(source, target)


@pytest.fixture
def collector() -> Iterator[None]:
    """The garbage collector as the test found it: a head start pauses it and the app freezes
    what exists, which must not outlive the test in the test process."""
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()


@pytest.mark.usefixtures("collector")
async def test_the_head_start_loads_the_likely_model_before_the_app_exists() -> None:
    save_preferences(Preferences(target="zh"))
    translator = SlowLoadingTranslator()
    started = head_start(translator)
    assert translator.loading.wait(10)  # no app yet: the load began at once
    app = ZhenApp(translator, started=started)
    async with app.run_test(size=SIZE) as pilot:
        # Reports made before the app ran reach it: the model is still loading.
        await until(pilot, lambda: app.loading == "opus-mt-en-zh" and app.status == "Loading en-zh slowly...")
        translator.gate.set()
        await until(pilot, lambda: app.loading == "")
        await translate_until_started(pilot, app, "hello", "zh(hello)")
    assert translator.loads == [("en", "zh"), ("zh", "en")]  # each loaded once, the likely one first


@pytest.mark.usefixtures("collector")
async def test_the_collector_rests_while_start_up_builds_what_lives_as_long_as_the_app(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Start-up makes hundreds of thousands of objects that live as long as the app; collecting
    while it ran cost 0.1 s of the first translation (2 cores), 0.16 s of the dictionary's
    warm-up, and every later full collection scanned them again."""
    gc.unfreeze()
    collecting_while_warming: list[bool] = []
    monkeypatch.setattr(dictionary, "warm_up", lambda: collecting_while_warming.append(gc.isenabled()))
    translator = RecordingTranslator()
    started = head_start(translator)
    assert not gc.isenabled()
    app = ZhenApp(translator, started=started)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, gc.isenabled)
        after_first_frame = gc.get_freeze_count()
        assert after_first_frame > 0
        await translate_until_started(pilot, app, "你好", "en(你好)")
        assert collecting_while_warming == [False]
        assert gc.isenabled()
        assert gc.get_freeze_count() > after_first_frame  # what the start-up made since joined them


@pytest.mark.usefixtures("collector")
async def test_an_app_without_a_head_start_leaves_the_collector_alone() -> None:
    gc.unfreeze()
    app = ZhenApp(RecordingTranslator())
    async with app.run_test(size=SIZE) as pilot:
        await translate_until_started(pilot, app, "你好", "en(你好)")
        assert gc.isenabled()
        assert gc.get_freeze_count() == 0


def test_a_relay_keeps_the_latest_report_until_someone_listens() -> None:
    relay: Relay[str] = Relay("")
    relay("Loading a")
    relay("Loading b")
    heard: list[str] = []
    relay.attach(heard.append)
    relay("Ready")
    assert heard == ["Loading b", "Ready"]


async def test_the_word_card_waits_for_the_first_translation() -> None:
    engine = GatedEngine()
    app = ZhenApp(Translator(engine=engine, cache=False, glossary=Glossary([])))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, TranslateScreen)
        screen.editor.insert("火锅")
        screen.editor.move_cursor((0, 0))
        await pilot.press("ctrl+t")
        await pilot.pause(0.5)
        assert not screen.word_card.shown.startswith("火锅")  # the dictionary would slow the translation
        engine.gate.set()
        await until(pilot, lambda: screen.translation.shown == "en(火锅)")
        await until(pilot, lambda: screen.word_card.shown.startswith("火锅"))


async def test_the_stylesheets_are_parsed_once_before_the_first_frame(monkeypatch: pytest.MonkeyPatch) -> None:
    """Re-parsing every stylesheet (as Textual does for a mode's first screen) cost 0.1 s of
    the start-up on 2 cores."""
    reparses: list[int] = []
    reparse = Stylesheet.reparse

    def counted(stylesheet: Stylesheet) -> None:
        reparses.append(1)
        reparse(stylesheet)

    monkeypatch.setattr(Stylesheet, "reparse", counted)
    app = ZhenApp(Translator(engine=TaggingEngine(), cache=False, glossary=Glossary([])))
    async with app.run_test(size=SIZE):
        assert isinstance(app.screen, TranslateScreen)
        assert reparses == []
