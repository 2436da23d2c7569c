"""zhen's own commands in the command palette (ctrl+p), next to Textual's (theme, quit, keys)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from tui.app import ZhenApp

#: Beam sizes offered, with what each trades.
BEAMS = ((1, "fastest, a little rougher"), (4, "the default balance"), (6, "slowest, most careful"))


class ZhenCommands(Provider):
    """Commands that follow the app's state: only the script not in use is offered, and so on."""

    def commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = cast("ZhenApp", self.app)
        run = app.run_action
        in_reply = app.in_reply
        found: list[tuple[str, Callable[[], object], str]] = [
            ("Translate now", partial(run, "screen.translate_now"), "Translate the text without waiting"),
            ("Swap direction", partial(run, "screen.swap"), "Translate the other way (zh → en or en → zh)"),
            (
                "Detect direction (auto)",
                partial(run, "screen.auto_direction"),
                "Follow the language of the text again (ctrl+o cycles back to it too)",
            ),
            ("Copy translation", partial(run, "screen.copy"), "Put the translation on the clipboard"),
            ("Clear text", partial(run, "screen.clear"), "Empty the editor to start a new text"),
            (
                "Translate mode" if in_reply else "Reply mode",
                partial(run, "toggle_reply"),
                "Read posts" if in_reply else "Write a reply and check how it reads on the other side",
            ),
            ("Open history", partial(run, "history"), "Search and reopen earlier translations"),
            ("Clear history", partial(run, "clear_history"), "Forget every saved translation (asks first)"),
            (
                "Pinyin: hide" if app.show_pinyin else "Pinyin: show",
                partial(run, "toggle_pinyin"),
                "Pinyin under Chinese translations",
            ),
            (
                "Output: Simplified Chinese" if app.script == "Hant" else "Output: Traditional Chinese",
                partial(run, "toggle_script"),
                "Script of English → Chinese translations",
            ),
            ("Help", partial(run, "help"), "What zhen shows and every key"),
        ]
        if app.cleared_history:
            found.append(("Undo clear history", partial(run, "undo_clear_history"), "Bring back what was cleared"))
        for beam, trade in BEAMS:
            current = " (current)" if beam == app.beam_size else ""
            found.append((f"Beam size {beam}{current}", partial(run, f"set_beam({beam})"), f"Decoding: {trade}"))
        return found

    async def discover(self) -> Hits:
        for name, callback, help_text in self.commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
