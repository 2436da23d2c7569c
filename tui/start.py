"""The app's head start: what begins before Textual is imported.

Importing Textual and painting the first frame take most of a second, and so does loading a
model; one after the other, a text pasted at once would wait for both. So the entry point reads
the preferences and starts two threads, one loading the model of the likely direction (the last
text's), one the glossary, which the first translation needs too; then it imports the app,
which picks up the models, their reports and the preferences from here. Whoever needs a model or
the glossary while it loads waits for that load instead of starting another. Nothing in this
module imports Textual. The garbage collector rests until the first frame is up, and while the
dictionary warms up (`HeadStart`).
"""

from __future__ import annotations

import contextlib
import gc
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tui.jobs import Models, Relay
from tui.preferences import Preferences, load_preferences

if TYPE_CHECKING:
    from collections.abc import Iterator

    from translator import Translator


@dataclass(frozen=True)
class HeadStart:
    """The translator's models (the likely one perhaps loading already), the preferences, and
    the translator's status lines until the app listens."""

    models: Models
    preferences: Preferences
    status: Relay[str] = field(default_factory=lambda: Relay(""))
    #: Whether this app manages the cyclic garbage collector: the real app, whose head start paused
    #: it. It rests whenever start-up builds what lives as long as the app (`settle`,
    #: `collector_resting`).
    manages_collector: bool = False

    def settle(self) -> None:
        """Keep every object that exists now out of all later collections, and turn the collector
        back on. Called once the first frame is up, and after the dictionary is warm: what exists
        then (Textual's modules, the glossary, the dictionary) lives as long as the app, and each
        full collection would scan it again."""
        if self.manages_collector:
            gc.freeze()
            gc.enable()

    @contextlib.contextmanager
    def collector_resting(self) -> Iterator[None]:
        """The collector off while building what lives as long as the app, then `settle`. (It took
        0.16 s of the dictionary's 0.9 s warm-up, in pauses of up to 65 ms that the UI waited on.)"""
        if self.manages_collector:
            gc.disable()
        try:
            yield
        finally:
            self.settle()


def head_start(translator: Translator, *, preload: bool = True) -> HeadStart:
    """Read the preferences and, with `preload`, start loading what the first text needs now."""
    started = HeadStart(Models(translator), load_preferences(), manages_collector=preload)
    translator.on_status = started.status
    if preload:
        # Importing Textual and loading the glossary build hundreds of thousands of objects that
        # live as long as the app; the cyclic collector would scan them again and again before the
        # first frame and find almost nothing (0.1-0.2 s of the first translation on 2 cores).
        gc.disable()
        likely = started.preferences.likely_direction
        # A model that cannot load is remembered, and said when the app asks.
        threading.Thread(target=started.models.problem, args=(likely,), name="zhen-preload", daemon=True).start()
        # Side by side with the model: the glossary is Python holding the GIL, the model loads in
        # native code that lets go of it, so the two share 2 cores instead of taking turns
        # (first translation 0.03 s sooner at the median of 26 interleaved runs on 2 cores).
        threading.Thread(target=_load_glossary, args=(translator,), name="zhen-glossary", daemon=True).start()
    return started


def _load_glossary(translator: Translator) -> None:
    # A glossary that fails to load fails again when the app asks for it, which says why.
    with contextlib.suppress(Exception):
        translator.glossary  # noqa: B018 - loading it is the point
