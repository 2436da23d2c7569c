"""The banner that explains dictionary mode and how to install the translation models."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class ModelBanner(Static):
    """Hidden while the models needed are installed; otherwise says exactly what to run."""

    def on_mount(self) -> None:
        self.display = False

    def show_missing(self, message: str) -> None:
        """Show `message` (a ModelNotFoundError's text, which names the command to run)."""
        self.update(
            Content.assemble(
                ("Dictionary mode", "bold"),
                " (no translation model for this direction): words are looked up one by one. ",
                message[:1].upper() + message[1:],
                ".",
            )
        )
        self.display = True

    def hide(self) -> None:
        self.display = False
