"""How the app puts text from data on screen: made inert, and wrapped the way Chinese is read.

Every string a widget shows that zhen did not write itself (posts, translations, notes, history,
error messages naming files) goes through `safe()`: control characters become visible stand-ins
(translator.terminal.visible), so no escape sequence from data ever reaches the terminal.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.style import Style
from rich.text import Text

from translator.terminal import visible
from translator.wrapping import fill


def safe(text: str) -> str:
    """`text` as it may be shown: control characters visible and inert, line breaks kept."""
    return visible(text)


def one_line(text: str) -> str:
    """`text` safe for a one-line display: line breaks shown as ␊."""
    return visible(text, keep_newlines=False)


class Reflowed:
    """Text wrapped to the pane's width at places a reader expects: never inside a Latin word in
    Chinese text, never before a closing mark such as 。 (Rich and Textual fold Chinese anywhere)."""

    def __init__(self, text: str, style: str | Style = "", indent: int = 0) -> None:
        self.text = safe(text)
        self.style = style
        self.indent = indent

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        columns = max(1, options.max_width - self.indent)
        for paragraph in self.text.split("\n"):
            for line in fill(paragraph, columns):
                yield Text(" " * self.indent + line, style=self.style, overflow="fold")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, options.max_width)
