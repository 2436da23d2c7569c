"""The history: the store in translator/history.py, and the app's history screen across two runs."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.engines import TaggingEngine
from tests.pilotkit import until
from translator import Translator
from translator.glossary import Glossary
from translator.history import History, HistoryEntry, HistoryUnavailableError, default_history_path, is_revision
from tui.app import ZhenApp
from tui.screens.history import HistoryScreen
from tui.screens.reply import ReplyScreen
from tui.screens.translate import TranslateScreen


class Clock:
    """A clock the test moves by hand: history entries get known times."""

    def __init__(self, start: float = 1_750_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        self.now += 60
        return self.now


def save(history: History, original: str, text: str = "", entry_id: str | None = None) -> HistoryEntry:
    return history.save(original, text or original.upper(), "en", "zh", entry_id=entry_id)


# -- the store -----------------------------------------------------------------------------


def test_the_default_file_is_in_the_user_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_history_path() == tmp_path / "zhen" / "history.jsonl"


def test_entries_persist_newest_first(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    first = save(History(path), "first post")
    second = save(History(path), "second post")
    again = History(path).entries()
    assert [entry.id for entry in again] == [second.id, first.id]
    assert again[1] == first
    assert path.stat().st_mode & 0o777 == 0o600


def test_saving_an_entry_again_updates_it_in_place(tmp_path: Path) -> None:
    history = History(tmp_path / "h.jsonl", clock=Clock())
    older = save(history, "a")
    draft = save(history, "hello")
    final = save(history, "hello there", entry_id=draft.id)
    assert [entry.original for entry in history.entries()] == ["hello there", "a"]
    assert (final.id, final.created) == (draft.id, draft.created)
    assert final.updated > draft.updated
    # Moved to the top even when the other entry is newer.
    save(history, "a again", entry_id=older.id)
    assert [entry.original for entry in history.entries()] == ["a again", "hello there"]


def test_saving_the_same_text_again_does_not_grow_the_file(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    history = History(path)
    entry = save(history, "same")
    size = path.stat().st_size
    assert save(history, "same", entry_id=entry.id) == entry
    assert path.stat().st_size == size


def test_search_matches_every_word_in_either_language_any_case(tmp_path: Path) -> None:
    history = History(tmp_path / "h.jsonl")
    history.save("这家店的火锅太好吃了！", "The hotpot here is so delicious!", "zh", "en")
    history.save("Where did you buy this?", "你在哪里买的？", "en", "zh")
    assert [e.original for e in history.search("HOTPOT delicious")] == ["这家店的火锅太好吃了！"]
    assert [e.original for e in history.search("火锅")] == ["这家店的火锅太好吃了！"]
    assert [e.original for e in history.search("哪里")] == ["Where did you buy this?"]
    assert history.search("hotpot buy") == []
    assert len(history.search("  ")) == 2


def test_history_is_bounded_and_compacted(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    history = History(path, max_entries=10)
    entry = save(history, "edited many times")
    for n in range(200):
        save(history, f"edited many times {n}", entry_id=entry.id)
    for n in range(30):
        save(history, f"post {n}")
    entries = History(path, max_entries=10).entries()
    assert [e.original for e in entries] == [f"post {n}" for n in range(29, 19, -1)]
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 2 * 10 + 16


def test_a_torn_line_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    kept = save(History(path), "kept")
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"id": "x", "original": "half a li')
    history = History(path)
    assert history.entries() == [kept]
    # And saving after the torn line still works.
    save(history, "next")
    assert [e.original for e in History(path).entries()] == ["next", "kept"]


def test_delete_and_clear(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    history = History(path)
    gone, kept = save(history, "gone"), save(history, "kept")
    history.delete(gone.id)
    history.delete("no such id")
    assert History(path).entries() == [kept]
    history.clear()
    assert not path.exists()
    assert History(path).entries() == []


def test_two_stores_on_one_file_see_each_others_entries(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    one, two = History(path), History(path)
    assert one.entries() == []
    save(two, "from the other app")
    assert [e.original for e in one.entries()] == ["from the other app"]


def test_an_unusable_file_is_a_user_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(HistoryUnavailableError, match="cannot use the history file"):
        save(History(blocker / "history.jsonl"), "x")


def test_entries_are_plain_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    save(History(path, clock=lambda: 100.0), "你好")
    (record,) = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert record["original"] == "你好"  # readable, not \\u escapes
    assert (record["source"], record["target"], record["kind"], record["created"]) == ("en", "zh", "post", 100.0)


@pytest.mark.parametrize(
    ("earlier", "later", "same"),
    [
        ("这家", "这家店的火锅太好吃了", True),  # still being typed
        ("这家店的火锅太好吃了！下次还来", "这家店的火锅真好吃！下次还来", True),  # corrected
        ("这家店的火锅太好吃了！", "今天的穿搭好看吗？", False),  # another post pasted over it
        ("I love your photos", "Where did you buy this?", False),
        ("", "anything", False),
    ],
)
def test_is_revision(earlier: str, later: str, same: bool) -> None:
    assert is_revision(earlier, later) is same


# -- the app -------------------------------------------------------------------------------

pytestmark = pytest.mark.anyio


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """History times shown in UTC, so the screen reads the same on every machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def tagging_app(history: History | None = None) -> ZhenApp:
    translator = Translator(engine=TaggingEngine(), cache=False, glossary=Glossary([]))
    return ZhenApp(translator, history=history)


async def write_and_translate(pilot: Pilot, text: str) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, (TranslateScreen, ReplyScreen))
    screen.editor.insert(text)
    await pilot.press("ctrl+t")
    await until(pilot, lambda: screen.copy_text() != "")


async def test_history_survives_a_restart_and_reopens_into_the_editor() -> None:
    first = tagging_app()
    async with first.run_test(size=(100, 30)) as pilot:
        await write_and_translate(pilot, "hello there")
        await pilot.press("ctrl+a", "ctrl+k")  # delete it all: the next text is a new entry
        await pilot.pause()
        await write_and_translate(pilot, "another post")
        await pilot.press("ctrl+r")
        await write_and_translate(pilot, "my reply")

    second = tagging_app()
    async with second.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+f")
        screen = second.screen
        assert isinstance(screen, HistoryScreen)
        assert [option.entry.original for option in history_options(screen)] == [
            "my reply",
            "another post",
            "hello there",
        ]
        await pilot.press(*"hello")
        assert [option.entry.original for option in history_options(screen)] == ["hello there"]
        await pilot.press("enter")
        translate = second.screen
        assert isinstance(translate, TranslateScreen)
        assert translate.editor.text == "hello there"
        assert translate.translation.shown == "zh(hello there)"  # the saved one, before any model
        # Editing the reopened post keeps it one entry.
        await pilot.press("end", *" again", "ctrl+t")
        await until(pilot, lambda: translate.outcome is not None and translate.outcome.original.endswith("again"))
        assert [e.original for e in second.history.entries()] == ["hello there again", "my reply", "another post"]

        # A reply reopens in reply mode.
        await pilot.press("ctrl+f", *"reply", "enter")
        assert isinstance(second.screen, ReplyScreen)
        assert second.screen.editor.text == "my reply"


async def test_history_screen_deletes_and_closes(tmp_path: Path) -> None:
    history = History(tmp_path / "h.jsonl")
    save(history, "keep me")
    save(history, "delete me")
    app = tagging_app(history)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+f")
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        await pilot.press("shift+delete")
        assert [e.original for e in history.entries()] == ["keep me"]
        assert [option.entry.original for option in history_options(screen)] == ["keep me"]
        assert screen.query_one(Input).has_focus
        await pilot.press("escape")
        assert isinstance(app.screen, TranslateScreen)
        assert app.screen.editor.text == ""


def history_options(screen: HistoryScreen) -> list:  # type: ignore[type-arg]
    options = screen.options
    return [options.get_option_at_index(i) for i in range(options.option_count)]


def test_snapshot_history(tmp_path: Path, utc: None, snap_compare: Callable[..., bool]) -> None:
    history = History(tmp_path / "h.jsonl", clock=Clock())
    history.save("这家店的火锅太好吃了！", "The hotpot at this restaurant is so delicious!", "zh", "en")
    history.save("Hello!", "你好！", "en", "zh", kind="reply")
    history.save("姐妹们，这个面膜真的绝绝子！" * 8, "Sisters, this face mask is absolutely amazing! " * 8, "zh", "en")
    app = tagging_app(history)
    app.theme = "textual-dark"

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("ctrl+f")
        await pilot.pause()
        pilot.app.screen.query_one(Input).cursor_blink = False
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)
