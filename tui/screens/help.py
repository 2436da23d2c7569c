"""F1: what zhen shows, every key, and where the data comes from."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from translator.dictionary import CEDICT_ATTRIBUTION

ABOUT = """\
Paste a post into the **Post** pane (or type one). When you pause typing, zhen detects whether it
is Chinese or English and translates it into the other language, on this machine: nothing you
type leaves it.

- **Notes** lists the slang, platform words and cultural references in the post, with pinyin,
  meaning and what a native reader hears. Their terms are highlighted in the post, risky ones
  (vulgar, offensive, sensitive) in a warning colour. Enter on a note selects its term.
- **Word** shows the dictionary card of the word under the cursor: move the cursor or click a word.
- **Reply mode** is for answering: write in your own language and see the translation to send
  (with pinyin, to say it aloud), the translation translated back so you can check the meaning
  survived, and the words that may land badly.
- **History** keeps what you translated across runs; search it and press Enter to reopen an entry.
- Without a translation model (or with a broken one) zhen works in **dictionary mode**: each
  word with its pinyin and meanings, and English words with their Chinese equivalents. The
  one-line banner says why and how to fix it: click it or press ctrl+b for the whole message,
  ✕ to dismiss it.
- **Direction**: ctrl+o goes from automatic (the language of the text decides) to the other
  way, then to the detected way fixed, then back to automatic. The status bar shows which.
- On a narrow terminal the panes under the editor are tabs: click one, or tab to the tab bar
  and use the arrow keys.
- ctrl+g copies; if no clipboard can be confirmed (tmux drops the terminal's clipboard by
  default), the text is also saved to a file and the message says where.

More commands (Traditional or Simplified output, beam size, pinyin, themes) are in the command
palette.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "dismiss(None)", "Close"),
    ]

    def __init__(self, keys: Iterable[tuple[str, str]]) -> None:
        super().__init__()
        self.keys = list(keys)

    def compose(self) -> ComposeResult:
        rows = "\n".join(f"| `{key}` | {description} |" for key, description in self.keys)
        text = (
            f"{ABOUT}\n## Keys\n\n| Key | Does |\n|---|---|\n{rows}\n\n"
            f"## Sources\n\n{CEDICT_ATTRIBUTION}. Translation models: OPUS-MT (Helsinki-NLP), CC BY 4.0.\n"
        )
        with VerticalScroll(id="help-dialog"):
            yield Markdown(text)

    def on_mount(self) -> None:
        dialog = self.query_one("#help-dialog")
        dialog.border_title = "zhen help"
        dialog.border_subtitle = "esc to close"
