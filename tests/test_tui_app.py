"""The terminal app driven like a user would: typing, waiting, keys, the palette; plus snapshots.

The pipeline is real (memorised tiny MarianMT models from `memorised_store`, CC-CEDICT, jieba);
only the glossary is a small one written here, so notes and snapshots do not move when the real
glossary data grows.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import TextArea

from tests.engines import TaggingEngine
from tests.glossarykit import entry
from tests.modelkit import EN_ZH_PAIRS, ZH_EN_PAIRS
from translator import Translator
from translator.glossary import Glossary
from translator.history import History
from translator.punctuation import chinese_punctuation
from tui.app import ZhenApp
from tui.screens.help import HelpScreen
from tui.screens.reply import ReplyScreen
from tui.screens.translate import TranslateScreen
from tui.widgets.model_banner import ModelBanner

pytestmark = pytest.mark.anyio  # the async tests run on asyncio, through anyio's pytest plugin

SIZE = (100, 30)
HOTPOT, HOTPOT_EN = ZH_EN_PAIRS[0]  # 这家店的火锅太好吃了！
SISTERS, SISTERS_EN = ZH_EN_PAIRS[6]  # 姐妹们，这个面膜真的绝绝子！
HELLO = EN_ZH_PAIRS[0][0]
HELLO_ZH = chinese_punctuation(EN_ZH_PAIRS[0][1])  # 你好！: readers of Chinese get full-width marks
ABSENT_STORE = Path("/nonexistent/zhen-models")


GLOSSARY = Glossary(
    [
        entry("绝绝子", "zh", "absolutely amazing", "playful", pinyin="jué jué zi", note="A RedNote intensifier."),
        entry("火锅", "zh", "hotpot", category="culture", pinyin="huǒ guō", note="Shared, social, often spicy."),
        entry(
            "你好",
            "zh",
            "hello",
            category="etiquette",
            pinyin="nǐ hǎo",
            note="A polite greeting; friends online more often write 哈喽 or 嗨.",
        ),
        entry("damn", "en", "an exclamation", "vulgar", meaning_zh="该死", note="Mild swearing."),
        entry("mid", "en", "mediocre", "playful", meaning_zh="一般般", note_zh="贬义：说某物很一般。"),
    ]
)


@pytest.fixture(scope="module")
def store(memorised_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the memorised store: the app converts its models to CTranslate2 in place, once."""
    copy = tmp_path_factory.mktemp("tui-store")
    shutil.copytree(memorised_store, copy, dirs_exist_ok=True)
    return copy


def make_app(store: Path | None, history: History | None = None, **options: object) -> ZhenApp:
    translator = Translator(models_dir=store, cache=False, rewrite_slang=False, glossary=GLOSSARY, **options)  # type: ignore[arg-type]
    return ZhenApp(translator, history=history)


async def until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 60.0) -> None:
    """Let the app run until `condition` holds (timers fire, workers finish); fail after `timeout`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "the app never got there"
        await pilot.pause(0.05)


async def started(pilot: Pilot) -> ZhenApp:
    """Wait for the start-up worker (models loaded, dictionary warm) so status lines are in order."""
    app = pilot.app
    assert isinstance(app, ZhenApp)
    # The dictionary warm-up normally waits for the first translation; tests want it done now.
    app.first_translation_shown.set()
    await until(pilot, lambda: app.startup_done)
    await pilot.pause()
    return app


async def type_sisters(pilot: Pilot) -> TranslateScreen:
    """Type the memorised 绝绝子 post and wait for its exact translation."""
    screen = translate_screen(pilot.app)  # type: ignore[arg-type]
    await type_text(pilot, SISTERS)
    await until(pilot, lambda: screen.translation.shown == SISTERS_EN)
    return screen


async def type_text(pilot: Pilot, text: str) -> None:
    """Type into the focused editor: ASCII as key presses, other characters as an input method
    commits them (Pilot has no key names for full-width punctuation such as ！)."""
    editor = pilot.app.focused
    assert isinstance(editor, TextArea)
    for run in re.findall(r"[\x00-\x7f]+|[^\x00-\x7f]+", text):
        if run.isascii():
            await pilot.press(*run)
        else:
            editor.insert(run)
            await pilot.pause()


def translate_screen(app: ZhenApp) -> TranslateScreen:
    screen = app.screen
    assert isinstance(screen, TranslateScreen)
    return screen


# -- start-up ------------------------------------------------------------------------------


def test_importing_the_app_loads_no_model_library() -> None:
    code = (
        "import sys, tui.app, translator.cli.tui_cmd;"
        "heavy = {'torch', 'transformers', 'ctranslate2', 'jieba'} & set(sys.modules);"
        "print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


async def test_opens_with_the_editor_focused_and_reports_the_model(store: Path) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = translate_screen(app)
        assert app.focused is screen.editor
        await started(pilot)
        assert screen.status_bar.activity.startswith("Ready: opus-mt-en-zh")
        assert not screen.query_one(ModelBanner).display


# -- translating ---------------------------------------------------------------------------


async def test_typing_translates_by_itself_with_notes_and_marks(store: Path) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = await type_sisters(pilot)
        assert screen.status_bar.query_one("#direction").content == "auto · zh→en"
        assert screen.translation.border_title == "Translation · English"
        assert [note.term for note in screen.notes.notes] == ["绝绝子"]
        assert screen.editor.marked_terms == {"绝绝子": "zhen.term"}
        assert "1 sentence translated" in screen.status_bar.activity


async def test_english_post_gets_chinese_with_pinyin_and_ctrl_t_does_not_wait(store: Path) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = translate_screen(app)
        screen.editor.insert(HELLO)
        await pilot.press("ctrl+t")  # at once, not after the pause
        await until(pilot, lambda: screen.translation.shown.startswith(HELLO_ZH))
        assert screen.translation.shown == f"{HELLO_ZH}\nnǐhǎo!"
        app.show_pinyin = False
        await pilot.pause()
        assert screen.translation.shown == HELLO_ZH


async def test_ctrl_o_cycles_other_way_fixed_and_back_to_automatic(store: Path) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = translate_screen(app)
        direction = screen.status_bar.query_one("#direction")
        await type_text(pilot, "你好！")
        await until(pilot, lambda: screen.translation.shown == "Hello!")
        assert direction.content == "auto · zh→en"
        await pilot.press("ctrl+o")
        await until(pilot, lambda: screen.outcome.target == "zh")
        assert direction.content == "en→zh · fixed"
        # Already Chinese: kept as written, nothing sent to the model.
        assert screen.translation.shown.startswith("你好！")
        await pilot.press("ctrl+o")
        await until(pilot, lambda: screen.outcome.target == "en")
        assert direction.content == "zh→en · fixed"
        await pilot.press("ctrl+o")  # the third press: automatic again
        assert direction.content == "auto · zh→en"
        # Automatic means automatic: English now goes to Chinese without another key.
        await pilot.press("ctrl+l")
        await type_text(pilot, HELLO)
        await until(pilot, lambda: screen.translation.shown.startswith(HELLO_ZH))
        assert direction.content == "auto · en→zh"
        await pilot.press("ctrl+o")
        assert direction.content == "zh→en · fixed"
        await run_command(pilot, "Detect direction")
        await until(pilot, lambda: direction.content == "auto · en→zh")


class GatedEngine(TaggingEngine):
    """A model that takes as long as the test wants: it answers once `gate` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()

    def translate(self, segments: list[str], source: str, target: str) -> list[str]:
        assert self.gate.wait(30), "the test never opened the gate"
        return super().translate(segments, source, target)


async def test_a_slow_translation_blocks_nothing_and_a_newer_text_wins() -> None:
    engine = GatedEngine()
    app = ZhenApp(Translator(engine=engine, cache=False, glossary=GLOSSARY))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = translate_screen(app)
        shown: list[str] = []
        present = screen.present
        screen.present = lambda outcome: (shown.append(outcome.text), present(outcome))  # type: ignore[method-assign]
        await type_text(pilot, "first")
        await pilot.press("ctrl+t")
        await until(pilot, lambda: screen.status_bar.activity == "Translating…")
        # The model is busy: the editor, the keys and other screens still work.
        await type_text(pilot, " second")
        assert screen.editor.text == "first second"
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+t")
        engine.gate.set()
        await until(pilot, lambda: shown == ["zh(first second)"])
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert shown == ["zh(first second)"]  # the older request was dropped, never shown
        assert screen.translation.shown == "zh(first second)"


async def test_copy_puts_the_translation_on_the_clipboard(store: Path) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = translate_screen(app)
        await pilot.press("ctrl+g")
        assert app.clipboard == ""  # nothing translated yet: a warning, not an empty copy
        await type_text(pilot, HOTPOT)
        await until(pilot, lambda: screen.translation.shown == HOTPOT_EN)
        await pilot.press("ctrl+g")
        assert app.clipboard == HOTPOT_EN


async def test_clear_empties_every_pane(store: Path) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = await type_sisters(pilot)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert screen.editor.text == ""
        assert screen.translation.shown == "The translation appears here."
        assert screen.notes.notes == ()
        assert screen.editor.marked_terms == {}


async def test_notes_on_an_english_post_are_in_chinese_for_its_reader() -> None:
    app = ZhenApp(Translator(engine=TaggingEngine(), cache=False, glossary=GLOSSARY))
    async with app.run_test(size=SIZE) as pilot:
        screen = translate_screen(app)
        await type_text(pilot, "honestly that movie was mid")
        await until(pilot, lambda: bool(screen.notes.notes))
        note = str(screen.notes.get_option_at_index(0).prompt)
        assert "一般般" in note
        assert "贬义：说某物很一般。" in note
        assert "mediocre" not in note


# -- looking words up ----------------------------------------------------------------------


async def test_cursor_on_a_word_shows_its_dictionary_card(store: Path) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = translate_screen(app)
        await type_text(pilot, HOTPOT)
        await pilot.press("home", "right", "right")  # onto 店
        await until(pilot, lambda: screen.word_card.shown.startswith("店"))
        card = screen.word_card.shown
        assert "diàn" in card
        assert "shop" in card
        assert "CC-CEDICT" in card
        await pilot.press("right", "right")  # onto 火锅, a glossary term
        await until(pilot, lambda: screen.word_card.shown.startswith("火锅"))
        assert "Traditional 火鍋" in screen.word_card.shown
        assert "Shared, social, often spicy." in screen.word_card.shown


async def test_enter_on_a_note_selects_its_term(store: Path) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = await type_sisters(pilot)
        screen.notes.focus()
        await pilot.press("enter")
        assert screen.editor.selected_text == "绝绝子"
        await until(pilot, lambda: screen.word_card.shown.startswith("绝绝子"))


# -- dictionary mode -----------------------------------------------------------------------


async def test_without_models_the_app_glosses_and_says_how_to_install(tmp_path: Path) -> None:
    app = make_app(tmp_path / "empty-store")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = translate_screen(app)
        banner = screen.query_one(ModelBanner)
        assert banner.display
        assert "zhen models download zh-en" in banner.message
        assert "zhen models import PATH" in banner.message
        await type_text(pilot, HOTPOT)
        await until(pilot, lambda: "huǒ guō" in screen.translation.shown)
        shown = screen.translation.shown
        assert "CC-CEDICT" in shown
        assert "hotpot" in shown
        assert screen.status_bar.activity == "Dictionary mode: word by word"
        assert [note.term for note in screen.notes.notes] == ["火锅"]
        # The reading on screen is what the copy key copies, and what the history keeps.
        await pilot.press("ctrl+g")
        assert "火锅 huǒ guō hotpot" in app.clipboard.splitlines()
        assert "CC-CEDICT" not in app.clipboard
        (saved,) = app.history.entries()
        assert (saved.original, saved.text) == (HOTPOT, app.clipboard)


# -- reply mode ----------------------------------------------------------------------------


async def test_reply_mode_translates_reads_and_translates_back(store: Path) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("ctrl+r")
        screen = app.screen
        assert isinstance(screen, ReplyScreen)
        assert app.focused is screen.editor
        await type_text(pilot, HELLO)
        await until(pilot, lambda: screen.back.shown == "Hello!")
        assert screen.translation.shown == f"{HELLO_ZH}\nnǐhǎo!"
        assert [note.term for note in screen.notes.notes] == ["你好"]
        await pilot.press("ctrl+g")
        assert app.clipboard == HELLO_ZH
        await pilot.press("escape")
        assert isinstance(app.screen, TranslateScreen)


async def test_reply_notes_put_what_may_land_badly_first() -> None:
    translator = Translator(engine=TaggingEngine(), cache=False, glossary=GLOSSARY)
    app = ZhenApp(translator, history=None)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("ctrl+r")
        screen = app.screen
        assert isinstance(screen, ReplyScreen)
        await type_text(pilot, "mid food, damn")
        await until(pilot, lambda: bool(screen.notes.notes))
        assert [note.term for note in screen.notes.notes] == ["damn", "mid"]
        assert screen.editor.marked_terms == {"damn": "zhen.risky", "mid": "zhen.term"}


# -- palette and help ----------------------------------------------------------------------


async def run_command(pilot: Pilot, name: str) -> None:
    """Run a command from the palette by typing its name, as a user would."""
    await pilot.press("ctrl+p")
    await pilot.press(*name)
    hits = pilot.app.screen.query_one(CommandList)

    def best_hit() -> str:
        index = hits.highlighted
        return "" if index is None else str(hits.get_option_at_index(index).prompt)

    await until(pilot, lambda: name in best_hit())  # the palette searches in a worker
    await pilot.press("enter")
    await pilot.pause()


async def test_palette_changes_script_beam_and_pinyin(store: Path) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await run_command(pilot, "Output: Traditional")
        assert (app.script, app.translator.script) == ("Hant", "Hant")
        await run_command(pilot, "Beam size 1")
        assert (app.beam_size, app.translator.beam_size) == (1, 1)
        await run_command(pilot, "Pinyin: hide")
        assert not app.show_pinyin
        assert translate_screen(app).status_bar.query_one("#settings").content == "beam 1 · Traditional · no pinyin"
        await run_command(pilot, "Reply mode")
        assert isinstance(app.screen, ReplyScreen)


async def test_theme_and_pinyin_choice_are_remembered(store: Path) -> None:
    first = make_app(store)
    async with first.run_test(size=SIZE) as pilot:
        await run_command(pilot, "Pinyin: hide")
        first.theme = "nord"
    second = make_app(store)
    assert (second.theme, second.show_pinyin) == ("nord", False)


async def test_f1_shows_every_key(store: Path) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        keys = dict(app.screen.keys)
        assert keys["^t"] == "Translate"
        assert keys["^o"] == "Direction: auto → the other way → fixed as detected → auto"
        assert keys["^r"] == "Reply"
        assert keys["^l"] == "Clear"
        await pilot.press("escape")
        assert isinstance(app.screen, TranslateScreen)


# -- snapshots (fixed size, fixed theme, no blinking cursor) -------------------------------


def snapshot_app(store: Path | None) -> ZhenApp:
    app = make_app(store)
    app.theme = "textual-dark"
    return app


async def steady(pilot: Pilot) -> None:
    """No blinking cursor in a screenshot, and every worker done."""
    for editor in pilot.app.screen.query("SourceEditor"):
        editor.cursor_blink = False  # type: ignore[attr-defined]
    await started(pilot)


def test_snapshot_main_screen_with_a_translation(store: Path, snap_compare: Callable[..., bool]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await steady(pilot)
        screen = translate_screen(pilot.app)  # type: ignore[arg-type]
        await type_text(pilot, f"{SISTERS}{HOTPOT}")
        await until(pilot, lambda: screen.translation.shown == f"{SISTERS_EN} {HOTPOT_EN}")
        screen.editor.move_cursor((0, 4))
        await until(pilot, lambda: screen.word_card.shown.startswith("这个"))

    assert snap_compare(snapshot_app(store), terminal_size=SIZE, run_before=run_before)


def test_snapshot_dictionary_mode(snap_compare: Callable[..., bool]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await steady(pilot)
        screen = translate_screen(pilot.app)  # type: ignore[arg-type]
        await type_text(pilot, HOTPOT)
        await until(pilot, lambda: "huǒ guō" in screen.translation.shown)
        screen.editor.move_cursor((0, 7))
        await until(pilot, lambda: screen.word_card.shown.startswith("好吃"))

    # A fixed path that does not exist: the banner names it, and a snapshot must not change.
    assert snap_compare(snapshot_app(ABSENT_STORE), terminal_size=SIZE, run_before=run_before)


def test_snapshot_reply_mode(store: Path, snap_compare: Callable[..., bool]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await pilot.press("ctrl+r")
        await steady(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ReplyScreen)
        await type_text(pilot, HELLO)
        await until(pilot, lambda: screen.back.shown == "Hello!")

    assert snap_compare(snapshot_app(store), terminal_size=SIZE, run_before=run_before)


def test_snapshot_help(store: Path, snap_compare: Callable[..., bool]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await steady(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(snapshot_app(store), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_snapshot_small_and_large_terminals(
    store: Path, snap_compare: Callable[..., bool], size: tuple[int, int]
) -> None:
    async def run_before(pilot: Pilot) -> None:
        await steady(pilot)
        await type_sisters(pilot)

    assert snap_compare(snapshot_app(store), terminal_size=size, run_before=run_before)


async def test_dictionary_warm_up_waits_for_the_first_translation(store: Path) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.translator.backend_for("en", "zh") == "ctranslate2" and "Ready" in app.status)
        assert not app.startup_done  # models loaded, warm-up held back for the translation
        await type_sisters(pilot)
        await until(pilot, lambda: app.startup_done)
