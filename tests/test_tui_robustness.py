"""Untrusted text never drives the terminal, and broken state files never stop the app (issue 15).

Hostile strings go through every widget that shows data; the tests then render the whole screen
as the driver would write it and check that no control character from the data is in it. The
state-file tests break zhen's own files the ways a crash, a sync tool or a curious user does.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from textual import events

from tests.engines import TaggingEngine
from tests.glossarykit import entry
from tests.pilotkit import until
from translator import Translator
from translator.glossary import Glossary
from translator.history import History
from tui.app import ZhenApp
from tui.paste import PASTE_END, PASTE_START, PasteGuard, pasted_text
from tui.preferences import preferences_path
from tui.screens.history import HistoryScreen
from tui.screens.translate import TranslateScreen

pytestmark = pytest.mark.anyio

SIZE = (100, 30)
#: A terminal title change (OSC 0), a hidden link (OSC 8), a screen clear (CSI 2J), a C1 CSI,
#: a bell and a right-to-left override that would show "evil" reversed.
HOSTILE = (
    "title\x1b]0;pwned\x07 link\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\ "
    "clear\x1b[2J c1\x9b31m rtl\u202eevil\u202c end"
)
#: What no rendered cell may contain: every character `translator.terminal.visible` replaces.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
#: The escape sequences Textual itself writes: colours (SGR) and cursor positioning.
TEXTUAL_SEQUENCES = re.compile(r"\x1b\[[0-9;:]*[mH]")


def assert_inert(app: ZhenApp) -> None:
    """Render the screen as the driver writes it: no unsafe character in any cell, and no escape
    sequence in the output but the colours and cursor moves Textual writes itself."""
    update = app.screen._compositor.render_full_update()
    cells = "".join(segment.text for line in update.strips for strip in line for segment in strip)
    assert not UNSAFE.search(cells), UNSAFE.findall(cells)
    written = TEXTUAL_SEQUENCES.sub("", update.render_segments(app.console))
    assert "\x1b" not in written and "\x07" not in written
    assert "pwned" not in app.title


def hostile_glossary(problems: tuple[str, ...] = ()) -> Glossary:
    return Glossary(
        [
            entry("pwn", "en", f"meaning {HOSTILE}", note=f"note {HOSTILE}", meaning_zh="意思"),
            entry("火锅", "zh", f"hotpot {HOSTILE}", pinyin="huǒ guō", note=f"note {HOSTILE}"),
        ],
        problems=problems,
    )


def tagging_app(glossary: Glossary | None = None, history: History | None = None, **options: object) -> ZhenApp:
    translator = Translator(engine=TaggingEngine(), cache=False, glossary=glossary or hostile_glossary(), **options)  # type: ignore[arg-type]
    return ZhenApp(translator, history=history)


def translate_screen(app: ZhenApp) -> TranslateScreen:
    screen = app.screen
    assert isinstance(screen, TranslateScreen)
    return screen


# -- pasting ---------------------------------------------------------------------------------


def test_the_input_guard_keeps_a_hostile_paste_whole_and_in_order() -> None:
    guard = PasteGuard()
    # Split across reads the way a terminal delivers a long paste, even inside the end marker.
    chunks = [f"{PASTE_START}one\r\n{HOSTILE[:20]}", f"{HOSTILE[20:]}\rtwo{PASTE_END[:3]}", f"{PASTE_END[3:]}x"]
    messages = [message for chunk in chunks for message in guard.feed(chunk)]
    pastes = [m for m in messages if isinstance(m, events.Paste)]
    keys = [m.key for m in messages if isinstance(m, events.Key)]
    assert [paste.text for paste in pastes] == [pasted_text(f"one\n{HOSTILE}\ntwo")]
    assert "\x1b" not in pastes[0].text and "␛]0;pwned␇" in pastes[0].text
    assert keys == ["x"]  # nothing from the paste leaked out as key presses


def test_the_input_guard_leaves_keys_and_sequences_outside_pastes_alone() -> None:
    keys = [m.key for m in PasteGuard().feed("a\x1b[A") if isinstance(m, events.Key)]
    assert keys == ["a", "up"]


async def test_a_hostile_paste_arrives_as_pasted_visible_and_is_saved_so(tmp_path: Path) -> None:
    history = History(tmp_path / "h.jsonl")
    app = tagging_app(history=history)
    async with app.run_test(size=SIZE) as pilot:
        screen = translate_screen(app)
        app.post_message(events.Paste(f"first line\r\n{HOSTILE}\nlast line"))  # as the driver does
        await until(pilot, lambda: screen.copy_text() != "")
        expected = pasted_text(f"first line\n{HOSTILE}\nlast line")
        assert screen.editor.text == expected
        assert history.entries()[0].original == expected
        assert_inert(app)


# -- every widget that shows data ------------------------------------------------------------


async def test_hostile_notes_translation_word_card_and_status_are_inert() -> None:
    app = tagging_app(hostile_glossary(problems=(f"user glossary: {HOSTILE}",)))
    async with app.run_test(size=SIZE) as pilot:
        app.first_translation_shown.set()
        await until(pilot, lambda: app.startup_done)
        screen = translate_screen(app)
        screen.editor.insert(f"pwn 火锅 {HOSTILE}")
        await pilot.press("ctrl+t")
        await until(pilot, lambda: screen.copy_text() != "" and len(screen.notes.notes) == 2)
        screen.editor.move_cursor((0, 5))  # onto 火锅: its word card
        await until(pilot, lambda: screen.word_card.shown.startswith("火锅"))
        screen.status_bar.set_activity(f"status {HOSTILE}", error=True)
        app.notify(HOSTILE, markup=False)
        await pilot.pause()
        assert app._notifications  # the glossary problem and the toast above are on screen
        assert_inert(app)


async def test_hostile_history_entries_are_inert_in_the_list_and_when_reopened(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    History(path).save(f"post {HOSTILE}", f"translation {HOSTILE}", "en", "zh")
    app = tagging_app(history=History(path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, HistoryScreen)
        await pilot.pause()
        assert_inert(app)
        await pilot.press("enter")
        screen = translate_screen(app)
        assert screen.editor.text == pasted_text(f"post {HOSTILE}")
        await pilot.pause()
        assert_inert(app)


async def test_a_hostile_models_folder_name_is_inert_in_the_banner(tmp_path: Path) -> None:
    store = tmp_path / f"models{HOSTILE}"
    translator = Translator(models_dir=store, cache=False, glossary=hostile_glossary())
    app = ZhenApp(translator)
    async with app.run_test(size=SIZE) as pilot:
        app.first_translation_shown.set()
        await until(pilot, lambda: app.startup_done)
        screen = translate_screen(app)
        assert screen.banner.display and "pwned" in screen.banner.message
        await pilot.press("ctrl+b")  # the whole message, wrapped
        await pilot.pause()
        assert_inert(app)
        screen.editor.insert("火锅")
        await pilot.press("ctrl+t")
        await until(pilot, lambda: "huǒ guō" in screen.translation.shown)
        assert_inert(app)


# -- broken state files ----------------------------------------------------------------------


async def started_and_working(app: ZhenApp) -> list[str]:
    """Run the app, translate a text, and return the notifications it showed."""
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = translate_screen(app)
        screen.editor.insert("hello")
        await pilot.press("ctrl+t")
        await until(pilot, lambda: screen.translation.shown == "zh(hello)")
        return [str(notification.message) for notification in app._notifications]


@pytest.mark.parametrize("content", ["[" * 100_000, "{not json", '"a string"', "\udcff"])
async def test_broken_preferences_are_moved_aside(content: str) -> None:
    path = preferences_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8", errors="surrogateescape")
    notices = await started_and_working(tagging_app())
    (moved,) = path.parent.glob("tui.json.broken-*")
    assert moved.read_text(encoding="utf-8", errors="surrogateescape") == content
    assert [line for line in notices if moved.name in line and "\n" not in line]


async def test_preferences_that_are_a_folder_are_moved_aside() -> None:
    path = preferences_path()
    path.mkdir(parents=True)
    notices = await started_and_working(tagging_app())
    (moved,) = path.parent.glob("tui.json.broken-*")
    assert moved.is_dir() and any(moved.name in line for line in notices)


async def test_a_deeply_nested_history_line_is_skipped_and_the_rest_kept(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    History(path).save("kept", "保留", "en", "zh")
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"id": "deep", "original": ' + "[" * 100_000 + "\n")
    app = tagging_app(history=History(path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+f")
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        await pilot.pause()
        assert [screen.options.get_option_at_index(0).entry.original] == ["kept"]  # type: ignore[attr-defined]


async def test_a_history_path_that_is_a_folder_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    (path / "inside").mkdir(parents=True)
    history = History(path)
    notices = await started_and_working(tagging_app(history=history))
    (moved,) = tmp_path.glob("h.jsonl.broken-*")
    assert (moved / "inside").is_dir()
    assert [line for line in notices if moved.name in line]
    assert [entry.original for entry in History(path).entries()] == ["hello"]
    assert json.loads(path.read_text(encoding="utf-8"))["text"] == "zh(hello)"
