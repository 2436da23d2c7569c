"""The one-line banner that says zhen is in dictionary mode, why, and how to fix it."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Label

from tui.text import one_line, safe


class ModelBanner(Horizontal):
    """One line (click it, or ctrl+b, for the whole message), with ✕ to dismiss it.

    Dismissed, it stays hidden until a different message comes (another direction, a model that
    broke): the user has read this one.
    """

    def __init__(self) -> None:
        super().__init__()
        self.message = ""
        self._dismissed = ""

    def compose(self) -> ComposeResult:
        yield Label(id="banner-text")
        yield Label("✕", id="banner-close")

    def on_mount(self) -> None:
        self.display = False

    @property
    def label(self) -> Label:
        return self.query_one("#banner-text", Label)

    def show_problem(self, message: str) -> None:
        """Show `message` (a ModelNotFoundError's or a broken model's text, naming the fix)."""
        self.message = message
        if message == self._dismissed:
            return
        self._update_text()
        self.display = True

    def _update_text(self) -> None:
        expanded = self.has_class("-expanded")
        shown = safe(self.message) if expanded else one_line(self.message)
        sentence = shown[:1].upper() + shown[1:]
        self.label.update(
            Content.assemble(("Dictionary mode", "bold"), ": word by word. ", sentence, "." if sentence else "")
        )

    def toggle(self) -> None:
        """Between one line and the whole message."""
        self.toggle_class("-expanded")
        self._update_text()

    def dismiss(self) -> None:
        self._dismissed = self.message
        self.display = False

    def hide(self) -> None:
        self.display = False

    def on_click(self, event: events.Click) -> None:
        if event.widget is not None and event.widget.id == "banner-close":
            self.dismiss()
        else:
            self.toggle()
