"""The terminal app driven like a user would: typing, waiting, keys, the palette; plus snapshots.

The pipeline is real (memorised tiny MarianMT models from `memorised_store`, CC-CEDICT, jieba);
only the glossary is a small one written here, so notes and snapshots do not move when the real
glossary data grows.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console
from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import Static, TextArea

from tests.engines import GatedEngine, TaggingEngine
from tests.glossarykit import entry
from tests.imports import modules_after
from tests.modelkit import EN_ZH_PAIRS, ZH_EN_PAIRS
from tests.pilotkit import until
from translator import Translator
from translator.glossary import Glossary
from translator.history import History
from translator.punctuation import chinese_punctuation
from tui.app import ZhenApp
from tui.clipboard import copied_file, copy_out
from tui.screens.confirm import ConfirmScreen
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
    loaded = modules_after("import tui.app, translator.cli.tui_cmd")
    assert "tui.app" in loaded
    assert not {"torch", "transformers", "ctranslate2", "jieba"} & loaded


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
        # The pinyin is worked out in a worker of its own, after the translation is shown.
        await until(pilot, lambda: screen.translation.shown == f"{HELLO_ZH}\nnǐhǎo!")
        assert [note.term for note in screen.notes.notes] == ["你好"]
        await pilot.press("ctrl+g")
        assert app.clipboard == HELLO_ZH
        await pilot.press("escape")
        assert isinstance(app.screen, TranslateScreen)


async def test_the_reply_screen_keeps_its_text_while_the_user_reads() -> None:
    app = tagging_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+r")
        reply = app.screen
        assert isinstance(reply, ReplyScreen)
        reply.editor.insert("draft")
        await run_command(pilot, "Translate mode")  # from the palette, a screen over the reply
        assert app.screen_stack == [translate_screen(app)] and not app.in_reply
        await run_command(pilot, "Reply mode")
        assert app.screen is reply and reply.editor.text == "draft"
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen) and app.in_reply  # a dialog over the reply
        await pilot.press("escape")
        assert app.screen is reply
        await pilot.press("escape")
        assert app.screen_stack == [translate_screen(app)]


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


async def test_theme_pinyin_and_script_choices_are_remembered() -> None:
    first = tagging_app()
    async with first.run_test(size=SIZE) as pilot:
        await run_command(pilot, "Pinyin: hide")
        await run_command(pilot, "Output: Traditional")
        first.theme = "nord"
    second = tagging_app()
    assert (second.theme, second.show_pinyin) == ("nord", False)
    assert (second.script, second.translator.script) == ("Hant", "Hant")


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
        assert keys["esc"] == "Back to reading posts (in reply mode)"
        await pilot.press("escape")
        assert isinstance(app.screen, TranslateScreen)


# -- snapshots (fixed size, fixed theme, no blinking cursor) -------------------------------


def snapshot_app(store: Path | None) -> ZhenApp:
    app = make_app(store)
    app.theme = "textual-dark"
    return app


async def steady(pilot: Pilot) -> None:
    """No blinking cursor in a screenshot, and every worker done."""
    await started(pilot)  # the screen may not be composed yet when a snapshot's pilot starts
    for editor in pilot.app.screen.query("SourceEditor"):
        editor.cursor_blink = False  # type: ignore[attr-defined]


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


async def type_hotpot_in_dictionary_mode(pilot: Pilot) -> None:
    screen = translate_screen(pilot.app)  # type: ignore[arg-type]
    await type_text(pilot, HOTPOT)
    await until(pilot, lambda: "huǒ guō" in screen.translation.shown)


async def type_hello_reply(pilot: Pilot) -> None:
    await pilot.press("ctrl+r")
    screen = pilot.app.screen
    assert isinstance(screen, ReplyScreen)
    await type_text(pilot, HELLO)
    await until(pilot, lambda: screen.back.shown == "Hello!")


SIZES = [(60, 20), (80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_snapshot_dictionary_mode_sizes(snap_compare: Callable[..., bool], size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await steady(pilot)
        await type_hotpot_in_dictionary_mode(pilot)

    assert snap_compare(snapshot_app(ABSENT_STORE), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_snapshot_translation_sizes(store: Path, snap_compare: Callable[..., bool], size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await steady(pilot)
        await type_sisters(pilot)

    assert snap_compare(snapshot_app(store), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_snapshot_reply_mode_sizes(store: Path, snap_compare: Callable[..., bool], size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await steady(pilot)
        await type_hello_reply(pilot)
        for editor in pilot.app.screen.query("SourceEditor"):
            editor.cursor_blink = False  # type: ignore[attr-defined]

    assert snap_compare(snapshot_app(store), terminal_size=size, run_before=run_before)


async def test_dictionary_warm_up_waits_for_the_first_translation(store: Path) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.translator.backend_for("en", "zh") == "ctranslate2" and "Ready" in app.status)
        assert not app.startup_done  # models loaded, warm-up held back for the translation
        await type_sisters(pilot)
        await until(pilot, lambda: app.startup_done)


# -- layout ----------------------------------------------------------------------------------


def tagging_app(engine: TaggingEngine | None = None, history: History | None = None) -> ZhenApp:
    return ZhenApp(Translator(engine=engine or TaggingEngine(), cache=False, glossary=GLOSSARY), history=history)


def shown_panes(screen: TranslateScreen | ReplyScreen) -> list[str]:
    return [pane_id for pane_id, _ in screen.PANES if screen.query_one(f"#{pane_id}").display]


async def test_a_narrow_terminal_shows_the_panes_as_tabs_under_the_editor() -> None:
    app = tagging_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = translate_screen(app)
        assert screen.has_class("-narrow") and screen.pane_tabs.display
        assert shown_panes(screen) == ["translation"]
        assert screen.translation.outer_size.width == 80  # the full width, not half of it
        await type_text(pilot, "mid food")
        await until(pilot, lambda: bool(screen.notes.notes))
        assert str(screen.pane_tabs.query_one("#tab-notes").label) == "Notes (1)"  # type: ignore[attr-defined]
        screen.show_pane("notes")
        await pilot.pause()
        assert shown_panes(screen) == ["notes"]
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert not screen.has_class("-narrow") and not screen.pane_tabs.display
        assert shown_panes(screen) == ["translation", "notes", "word"]


def rendered_text(body: Static) -> str:
    """What a pane's body draws at its width, all of it (not only the part scrolled into view)."""
    console = Console(width=body.size.width, record=True, color_system=None)
    console.print(body.content)
    return "\n".join(line.rstrip() for line in console.export_text().splitlines())


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_dictionary_meanings_are_wrapped_under_the_word_never_cut(tmp_path: Path, size: tuple[int, int]) -> None:
    app = make_app(tmp_path / "no-models")
    async with app.run_test(size=size) as pilot:
        await started(pilot)
        screen = translate_screen(app)
        await type_hotpot_in_dictionary_mode(pilot)
        drawn = rendered_text(screen.translation.body)
        assert "…" not in drawn
        lines = drawn.splitlines()
        # The word and its pinyin on one line, its meanings indented under it.
        index = lines.index(next(line for line in lines if line.startswith("好吃")))
        assert lines[index] == "好吃  hǎo chī"
        assert lines[index + 1] == "  tasty; delicious"
        # Every meaning is there in full once the wrapped lines are joined.
        joined = " ".join(line.strip() for line in lines)
        assert "(modal particle indicating change of state, situation now)" in joined
        # One line of banner, and the status bar is not cut.
        assert screen.banner.size.height == 1
        activity = screen.status_bar.query_one("#activity")
        assert activity.size.width >= len(screen.status_bar.activity)


async def test_the_banner_expands_and_stays_dismissed(tmp_path: Path) -> None:
    app = make_app(tmp_path / "no-models")
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        screen = translate_screen(app)
        banner = screen.banner
        assert banner.display and banner.size.height == 1
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert banner.size.height > 1
        await pilot.click("#banner-close")
        assert not banner.display
        await type_text(pilot, HOTPOT)
        await until(pilot, lambda: "huǒ guō" in screen.translation.shown)
        assert not banner.display  # the same message: the user has read it


async def test_a_broken_model_falls_back_to_dictionary_mode_with_the_fix_and_the_notes(tmp_path: Path) -> None:
    broken = tmp_path / "store" / "opus-mt-zh-en"
    broken.mkdir(parents=True)
    (broken / "config.json").write_text("{not json", encoding="utf-8")
    app = make_app(tmp_path / "store")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = translate_screen(app)
        assert "unusable" in screen.banner.message and "zhen models" in screen.banner.message
        await type_text(pilot, HOTPOT)
        await until(pilot, lambda: "huǒ guō" in screen.translation.shown)
        assert [note.term for note in screen.notes.notes] == ["火锅"]
        assert screen.status_bar.activity == "Dictionary mode: word by word"
        assert screen.banner.display


async def test_an_english_post_without_a_model_gets_chinese_equivalents(tmp_path: Path) -> None:
    app = make_app(tmp_path / "no-models")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = translate_screen(app)
        await type_text(pilot, "the hotpot was great")
        await until(pilot, lambda: "火锅" in screen.translation.shown)
        assert screen.translation.border_title == "Translation · Chinese"
        assert "hotpot 火锅" in screen.translation.shown


# -- notes before the model ------------------------------------------------------------------


async def test_notes_and_the_dictionary_come_while_the_model_is_still_loading() -> None:
    engine = GatedEngine()
    app = tagging_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = translate_screen(app)
        app.loading = "opus-mt-zh-en"  # as the start-up worker sets it while a model loads
        await type_text(pilot, "mid 火锅")
        await pilot.press("ctrl+t")
        assert screen.status_bar.activity == "Translating… (loading opus-mt-zh-en first)"
        await until(pilot, lambda: [note.term for note in screen.notes.notes] == ["mid", "火锅"])
        await until(pilot, lambda: "huǒ guō" in screen.translation.shown)
        assert screen.translation.shown.startswith("Loading opus-mt-zh-en; meanwhile, word by word:")
        app.loading = ""
        engine.gate.set()
        await until(pilot, lambda: screen.translation.shown == "en(mid 火锅)")
        assert [note.term for note in screen.notes.notes] == ["mid", "火锅"]


# -- copy and history ------------------------------------------------------------------------


def without_clipboard_tools(monkeypatch: pytest.MonkeyPatch, path: str) -> None:
    for variable in ("TMUX", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("PATH", path)


async def test_copy_says_where_the_text_went_when_the_terminal_may_drop_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    without_clipboard_tools(monkeypatch, str(tmp_path / "no-tools"))
    app = tagging_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = translate_screen(app)
        await type_text(pilot, "hello")
        await pilot.press("ctrl+t")
        await until(pilot, lambda: screen.translation.shown == "zh(hello)")
        await pilot.press("ctrl+g")
        assert app.clipboard == "zh(hello)"  # sent to the terminal too (OSC 52)
        (message,) = [str(n.message) for n in app._notifications if "characters" in str(n.message)]
        assert not message.startswith("Copied")  # no claim zhen cannot check
        assert str(copied_file()) in message
        assert copied_file().read_text(encoding="utf-8") == "zh(hello)"


def test_copy_uses_a_clipboard_tool_when_there_is_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tools = tmp_path / "bin"
    tools.mkdir()
    received = tmp_path / "received.txt"
    xclip = tools / "xclip"
    xclip.write_text(f"#!/bin/sh\ncat > {received}\n", encoding="utf-8")
    xclip.chmod(0o755)
    without_clipboard_tools(monkeypatch, f"{tools}:/bin:/usr/bin")
    monkeypatch.setenv("DISPLAY", ":0")
    assert copy_out("你好") == "Copied 2 characters to the clipboard (xclip)."
    assert received.read_text(encoding="utf-8") == "你好"


async def test_clear_history_asks_first_and_can_be_undone(tmp_path: Path) -> None:
    history = History(tmp_path / "h.jsonl")
    history.save("older", "旧", "en", "zh")
    history.save("newer", "新", "en", "zh")
    app = tagging_app(history=history)
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, "Clear history")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Forget all 2 saved translations?" in str(app.screen.query_one("#confirm-question").content)
        await pilot.press("enter")  # Cancel has the focus: the safe choice
        assert len(history) == 2 and not isinstance(app.screen, ConfirmScreen)
        await run_command(pilot, "Clear history")
        await pilot.press("y")
        await pilot.pause()
        assert len(history) == 0
        await run_command(pilot, "Undo clear history")
        assert [entry.original for entry in History(tmp_path / "h.jsonl").entries()] == ["newer", "older"]
