"""The footer of key hints, rebuilt only when the keys it shows change."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

#: What the footer may show of one binding: its key, its label, its action, whether it is shown
#: and whether it can be used now, and its tooltip.
KeyHint = tuple[str, str, str, bool, bool, str]


class KeyFooter(Footer):
    """Textual's footer, without rebuilding identical keys.

    Textual's footer removes and mounts every key widget again whenever the screen's bindings
    *may* have changed: every focus change, every screen shown, the app gaining focus. In zhen
    they hardly ever do, and those rebuilds (6-8 widgets, 20-30 ms each on 2 cores) came three
    times around the first frame, just as the first translation wanted the CPU.
    """

    def __init__(self) -> None:
        super().__init__(compact=True)
        #: The keys of the last build, None when it showed none (the bindings were not ready).
        self._built: tuple[KeyHint, ...] | None = None

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        self._built = _key_hints(self.screen) if keys else None
        yield from keys

    async def recompose(self) -> None:
        if not self.is_attached or _key_hints(self.screen) != self._built:
            await super().recompose()


def _key_hints(screen: Screen) -> tuple[KeyHint, ...]:
    return tuple(
        (key, binding.description, binding.action, binding.show, enabled, tooltip)
        for key, (_node, binding, enabled, tooltip) in screen.active_bindings.items()
    )
