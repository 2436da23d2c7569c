"""The one-line bar under the panes: direction, what zhen is doing, and the current settings."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Label

from tui.text import one_line


class StatusBar(Horizontal):
    """Three fields, left to right: direction, activity (model loading, errors), settings.

    Progress is reported in words rather than with a spinner, so the bar also reads well in a
    screenshot and in a screen reader. The settings give way on narrow terminals (the palette and
    F1 still show them), so what zhen is doing is never cut.
    """

    def compose(self) -> ComposeResult:
        yield Label(id="direction")
        yield Label(id="activity")
        yield Label(id="settings")

    def set_direction(self, text: str) -> None:
        self.query_one("#direction", Label).update(Content(text))

    def set_activity(self, text: str, *, error: bool = False) -> None:
        label = self.query_one("#activity", Label)
        label.update(Content(one_line(text)))
        label.set_class(error, "-error")
        label.tooltip = one_line(text)

    def set_settings(self, text: str) -> None:
        self.query_one("#settings", Label).update(Content(text))

    @property
    def activity(self) -> str:
        return str(self.query_one("#activity", Label).content)
