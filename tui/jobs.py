"""The slow work behind the screens, run in worker threads.

Each job calls the library and returns a frozen value; nothing here touches a widget, so a job
overtaken by a newer one is simply dropped, and the jobs can be tested without a terminal. Model
calls hold the app's engine lock: a worker Textual cancelled keeps running in its thread, and the
next translation must not run beside it.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from translator.dictionary import gloss
from translator.errors import ZhenError
from translator.languages import other

if TYPE_CHECKING:
    from translator import Translation, Translator
    from translator.dictionary import GlossItem
    from translator.glossary import Note

@dataclass(frozen=True)
class Outcome:
    """A translated text, or why it could not be translated (and the dictionary reading instead)."""

    original: str
    #: The direction. When the user forced a target, the source is the other language even if the
    #: text is mixed.
    source: str
    target: str
    translation: Translation | None = None
    notes: tuple[Note, ...] = ()
    #: Dictionary mode: the word-by-word reading of the original, and why the app is in it (a
    #: missing or broken model: the message names the fix).
    gloss: tuple[GlossItem, ...] = ()
    problem: str = ""
    #: Any other problem the user can fix, as its one-line message.
    error: str = ""

    @property
    def text(self) -> str:
        """The translation, or "" when there is none."""
        return self.translation.text if self.translation else ""


@dataclass(frozen=True)
class ReplyOutcome:
    """A reply, its translation to send, and the checks on it."""

    forward: Outcome
    #: The translation translated back: did the meaning survive? Glossed instead when the model
    #: for the way back is missing.
    back: Outcome | None
    #: Notes on the reply and on its translation, the ones that may land badly first.
    notes: tuple[Note, ...]


def translate_post(
    translator: Translator,
    lock: threading.Lock,
    text: str,
    target: str | None,
    unusable: Mapping[tuple[str, str], str] | None = None,
) -> Outcome:
    """Translate `text` into `target` (None: the language it is not in), or gloss it when the
    model is missing or broken (`unusable`: directions whose model failed to load, and why)."""
    try:
        if target is None:
            target = translator.default_target(text)
        problem = (unusable or {}).get((other(target), target))
        if problem:
            return _dictionary_reading(translator, text, target, problem)
        with lock:
            translation = translator.translate(text, target=target)
    except ZhenError as error:
        # No usable model (missing, broken, unloadable): the notes and the dictionary still work.
        return _dictionary_reading(translator, text, target or translator.default_target(text), str(error))
    return Outcome(text, other(target), target, translation=translation, notes=translation.notes)


def _dictionary_reading(translator: Translator, text: str, target: str, problem: str) -> Outcome:
    """Dictionary mode: what zhen can say about a text without the model."""
    try:
        notes = tuple(translator.explain(text))
        items = tuple(gloss(text, translator.glossary))
    except ZhenError as error:
        return Outcome(text, other(target), target, problem=problem, error=str(error))
    return Outcome(text, other(target), target, notes=notes, gloss=items, problem=problem)


@dataclass(frozen=True)
class EarlyReading:
    """What needs no model, worked out the moment the text is there: its notes, and (while a
    model loads) its dictionary reading."""

    original: str
    target: str
    notes: tuple[Note, ...]
    gloss: tuple[GlossItem, ...] = ()


def read_early(translator: Translator, text: str, target: str | None, with_gloss: bool) -> EarlyReading:
    target = target or translator.default_target(text)
    notes = tuple(translator.explain(text))
    items = tuple(gloss(text, translator.glossary)) if with_gloss else ()
    return EarlyReading(text, target, notes, items)


def prepare_reply(
    translator: Translator,
    lock: threading.Lock,
    text: str,
    target: str | None,
    unusable: Mapping[tuple[str, str], str] | None = None,
) -> ReplyOutcome:
    """Translate a reply, translate the result back, and collect what may land badly."""
    forward = translate_post(translator, lock, text, target, unusable)
    back = None
    notes = list(forward.notes)
    if forward.text:
        back = translate_post(translator, lock, forward.text, forward.source, unusable)
        notes += translator.explain(forward.text)
    return ReplyOutcome(forward, back, risky_first(notes))


def risky_first(notes: Sequence[Note]) -> tuple[Note, ...]:
    """The notes with vulgar, offensive and sensitive terms first, otherwise in text order."""
    return tuple(sorted(notes, key=lambda note: not note.risky))


def item_at(items: Sequence[GlossItem], index: int) -> GlossItem | None:
    """The word under a cursor at `index`, or just before it (the cursor sits after a word typed)."""
    for item in items:
        if item.start <= index < item.end and _lookable(item):
            return item
    for item in items:
        if item.end == index and _lookable(item):
            return item
    return None


def _lookable(item: GlossItem) -> bool:
    return item.note is not None or (item.kind == "word" and bool(item.definitions or item.pinyin))
