"""The app's head start: what begins before Textual is imported.

Importing Textual and painting the first frame take most of a second, and so does loading a
model; one after the other, a text pasted at once would wait for both. So the entry point reads
the preferences and starts a thread that loads the model of the likely direction (the last
text's) and then the glossary, which the first translation needs too; then it imports the app,
which picks up the models, their reports and the preferences from here. Whoever needs a model or
the glossary while it loads waits for that load instead of starting another. Nothing in this
module imports Textual.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tui.jobs import Direction, Models, Relay
from tui.preferences import Preferences, load_preferences

if TYPE_CHECKING:
    from translator import Translator


@dataclass(frozen=True)
class HeadStart:
    """The translator's models (the likely one perhaps loading already), the preferences, and
    the translator's status lines until the app listens."""

    models: Models
    preferences: Preferences
    status: Relay[str] = field(default_factory=lambda: Relay(""))


def head_start(translator: Translator, *, preload: bool = True) -> HeadStart:
    """Read the preferences and, with `preload`, start loading what the first text needs now."""
    started = HeadStart(Models(translator), load_preferences())
    translator.on_status = started.status
    if preload:
        likely = started.preferences.likely_direction
        threading.Thread(target=_preload, args=(started.models, likely), name="zhen-preload", daemon=True).start()
    return started


def _preload(models: Models, likely: Direction) -> None:
    models.problem(likely)  # a broken model is remembered, and said when the app asks
    # A glossary that fails to load fails again when the app asks for it, which says why.
    with contextlib.suppress(Exception):
        models.translator.glossary  # noqa: B018 - loading it is the point
