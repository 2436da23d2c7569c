"""What the app loads first, and what waits for the first translation to be on screen."""

from __future__ import annotations

import threading
import time

import pytest

from tests.engines import GatedEngine, TaggingEngine
from tests.pilotkit import until
from translator import Translator
from translator.glossary import Glossary
from tui.app import ZhenApp
from tui.jobs import loaded_glossary
from tui.preferences import Preferences, load_preferences, save_preferences
from tui.screens.translate import TranslateScreen

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


async def test_the_direction_of_the_last_translation_loads_first_and_alone() -> None:
    save_preferences(Preferences(target="zh"))
    translator = RecordingTranslator()
    app = ZhenApp(translator)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: translator.loads == [("en", "zh")])
        await pilot.pause(0.3)
        assert translator.loads == [("en", "zh")]  # the other model waits for the first translation
        screen = app.screen
        assert isinstance(screen, TranslateScreen)
        screen.editor.insert("你好")
        await pilot.press("ctrl+t")
        await until(pilot, lambda: screen.translation.shown == "en(你好)")
        await until(pilot, lambda: app.startup_done)
        assert translator.loads == [("en", "zh"), ("zh", "en")]
    assert load_preferences().target == "en"  # remembered for the next start


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


def test_the_glossary_loads_once_when_workers_ask_at_once() -> None:
    class SlowGlossaryTranslator(Translator):
        def __init__(self) -> None:
            super().__init__(engine=TaggingEngine(), cache=False)
            self.made: list[Glossary] = []
            self.lock = threading.Lock()

        @property
        def glossary(self) -> Glossary:
            if not self.made:
                time.sleep(0.2)  # long enough for every worker to ask before the first is done
                with self.lock:
                    self.made.append(Glossary([]))
            return self.made[0]

    translator = SlowGlossaryTranslator()
    workers = [threading.Thread(target=loaded_glossary, args=(translator,)) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(translator.made) == 1
