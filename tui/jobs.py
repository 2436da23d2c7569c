"""The slow work behind the screens, run in worker threads.

Each job calls the library and returns a frozen value; nothing here touches a widget, so a job
overtaken by a newer one is simply dropped, and the jobs can be tested without a terminal. Model
calls hold the app's engine lock: a worker Textual cancelled keeps running in its thread, and the
next translation must not run beside it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from translator.dictionary import gloss, pinyin_lines
from translator.errors import ModelBrokenError, ZhenError
from translator.languages import MODELS, other

if TYPE_CHECKING:
    from translator import Translation, Translator
    from translator.dictionary import GlossItem
    from translator.glossary import Note

#: Seconds the dictionary (1.5 s of pure Python holding the GIL), the other direction's model and
#: the word-by-word reading shown while a model loads wait for the first translation, which they
#: would slow down, before they load anyway (a model's one-off conversion takes up to a minute).
WARM_UP_DELAY = 5.0

#: A translation direction: (source language, target language).
Direction = tuple[str, str]

Report = TypeVar("Report")


class Relay(Generic[Report]):
    """Carries the latest report of a worker thread to the app, which may not be running yet.

    The model of the first text starts loading before Textual is even imported, so its reports
    come before anyone listens: the latest is kept, handed to the listener when it attaches, and
    every later one is passed on as it comes (from the reporting thread).
    """

    def __init__(self, initial: Report) -> None:
        self._latest = initial
        self._listener: Callable[[Report], object] | None = None
        self._lock = threading.Lock()

    def __call__(self, report: Report) -> None:
        with self._lock:
            self._latest = report
            if self._listener is not None:
                self._listener(report)

    def attach(self, listener: Callable[[Report], object]) -> None:
        with self._lock:
            self._listener = listener
            listener(self._latest)


class Models:
    """The translator's models, each loaded once by whichever worker needs it first.

    A direction whose installed model fails to load is remembered with why (a broken model: the
    message names the fix); its texts are glossed instead. Each direction has a lock of its own,
    so a translation never waits for the loading of the other direction's model.
    """

    def __init__(self, translator: Translator) -> None:
        self.translator = translator
        #: The name of the model loading now, "" when none (reported from the loading thread).
        self.loading: Relay[str] = Relay("")
        self._locks = {direction: threading.Lock() for direction in MODELS}
        self._loaded: set[Direction] = set()
        self._problems: dict[Direction, str] = {}

    def installed(self) -> list[Direction]:
        return self.translator.installed_directions()

    def problem(self, direction: Direction) -> str:
        """Load the direction's model if it is installed and not loaded yet; "" when it is usable
        (or not installed: translating then says what to install), else why it is not."""
        with self._locks[direction]:
            if direction in self._loaded or direction in self._problems:
                return self._problems.get(direction, "")
            if direction not in self.installed():
                return ""
            self.loading(MODELS[direction].name)
            try:
                self.translator.load(*direction)
            except Exception as error:
                # A broken model (whatever the library it breaks in): that direction is glossed,
                # with the problem and its fix, instead of failing every translation.
                if not isinstance(error, ZhenError):
                    folder = self.translator.store.model_dir(MODELS[direction])
                    error = ModelBrokenError(folder, f"{type(error).__name__}: {error}")
                self._problems[direction] = str(error)
            else:
                self._loaded.add(direction)
            finally:
                self.loading("")
            return self._problems.get(direction, "")


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


def translate_post(models: Models, lock: threading.Lock, text: str, target: str | None) -> Outcome:
    """Translate `text` into `target` (None: the language it is not in), or gloss it when the
    model is missing or broken."""
    translator = models.translator
    try:
        if target is None:
            target = translator.default_target(text)
        problem = models.problem((other(target), target))
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
    glossary = translator.glossary
    target = target or translator.default_target(text)
    notes = tuple(translator.explain(text))
    items = tuple(gloss(text, glossary)) if with_gloss else ()
    return EarlyReading(text, target, notes, items)


def read_words(translator: Translator, text: str) -> tuple[GlossItem, ...]:
    """The word-by-word reading of a text, for the word card."""
    return tuple(gloss(text, translator.glossary))


def read_pinyin(translator: Translator, chinese: str) -> tuple[str, ...]:
    """The pinyin lines shown under a Chinese translation."""
    return pinyin_lines(chinese, translator.glossary)


def prepare_reply(models: Models, lock: threading.Lock, text: str, target: str | None) -> ReplyOutcome:
    """Translate a reply, translate the result back, and collect what may land badly."""
    forward = translate_post(models, lock, text, target)
    back = None
    notes = list(forward.notes)
    if forward.text:
        back = translate_post(models, lock, forward.text, forward.source)
        notes += models.translator.explain(forward.text)
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
