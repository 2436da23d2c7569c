"""`Translator`: the public face of zhen's library.

It holds the settings (an immutable `DecodingOptions`, snapshotted once per call), the glossary and
the cache, and puts together the two parts that do the work: the engine provider
(engine_provider.py: store, backend, conversion, one engine per direction) and the pipeline
(pipeline.py: plan -> run -> assemble), whose engines are wrapped by the cache (cached_engine.py).
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from . import pipeline
from .cache import TranslationCache
from .cached_engine import CachedEngine
from .detect import detect_language
from .engine_provider import EngineProvider, StatusCallback
from .engines import Engine
from .engines.backends import BACKENDS
from .engines.options import DecodingOptions
from .errors import UsageError, ZhenError
from .languages import SUPPORTED, Script, UnsupportedLanguageError
from .result import Translation
from .store import ModelStore

if TYPE_CHECKING:
    from .glossary import Glossary, Note

#: What `translate_batch` does with a text it cannot translate: raise, or return it with its reason.
ErrorMode = Literal["raise", "return"]


class Translator:
    """Translate between Chinese and English on this machine.

    Models load on first use (or on `load()`, which the TUI calls from a background worker).
    `decoding=` sets every decoding option at once (`DecodingOptions`); `beam_size` and `script`
    set the two that users choose.
    `engine=` replaces the MarianMT engines with any object that has
    `translate(segments, source, target) -> list[str]`.
    """

    def __init__(
        self,
        models_dir: str | Path | None = None,
        backend: str = "auto",
        beam_size: int | None = None,
        engine: Engine | None = None,
        *,
        cache: bool | TranslationCache = True,
        rewrite_slang: bool = True,
        script: Script | None = None,
        glossary: Glossary | None = None,
        on_status: StatusCallback | None = None,
        decoding: DecodingOptions | None = None,
    ) -> None:
        self._engines = EngineProvider(models_dir, backend, engine, on_status)
        self.rewrite_slang = rewrite_slang
        self._glossary = glossary
        self._cache: TranslationCache | None = (
            cache if isinstance(cache, TranslationCache) else TranslationCache() if cache else None
        )
        #: The settings a translation decodes with: immutable, so a call can hold on to it.
        #: `decoding` gives them all at once; `beam_size` and `script` override its two.
        self._decoding = decoding or DecodingOptions()
        if beam_size is not None:
            self.beam_size = beam_size
        if script is not None:
            self.script = script

    # -- settings ---------------------------------------------------------------------------

    @property
    def beam_size(self) -> int:
        return self._decoding.beam_size

    @beam_size.setter
    def beam_size(self, value: int) -> None:
        self._decoding = dataclasses.replace(self._decoding, beam_size=value)  # validated there

    @property
    def script(self) -> Script:
        """Chinese output script: "Hans" (Simplified) or "Hant" (Traditional)."""
        return self._decoding.script

    @script.setter
    def script(self, value: Script) -> None:
        self._decoding = dataclasses.replace(self._decoding, script=value)  # validated there

    def with_script(self, script: Script) -> Translator:
        """A translator into `script` on this one's models, cache and glossary: a server that
        answers in both scripts holds one copy of each."""
        twin = copy.copy(self)
        twin.script = script
        return twin

    def decoding_options(self) -> DecodingOptions:
        """A snapshot of the settings a translation decodes with.

        Each call to `translate_batch` takes one and uses it throughout, for the cache key and
        for the engine alike: the TUI changes settings from the UI thread while a worker decodes.
        """
        return self._decoding

    @property
    def glossary(self) -> Glossary:
        if self._glossary is None:
            from .glossary import default_glossary

            self._glossary = default_glossary()
        return self._glossary

    # -- models -----------------------------------------------------------------------------

    @property
    def store(self) -> ModelStore:
        return self._engines.store

    @property
    def backend(self) -> str:
        """The backend asked for: "auto", "ctranslate2" or "transformers"."""
        return self._engines.backend

    @property
    def on_status(self) -> StatusCallback | None:
        """Called with a one-line message as a model converts and loads."""
        return self._engines.on_status

    @on_status.setter
    def on_status(self, callback: StatusCallback | None) -> None:
        self._engines.on_status = callback

    def installed_directions(self) -> list[tuple[str, str]]:
        """Directions whose model is in the store (or all, with a custom engine). Loads nothing."""
        return self._engines.installed_directions()

    def load(self, source: str, target: str) -> Engine:
        """Load the engine for a direction, and open the translation cache, now instead of on
        the first translation; returns the engine."""
        engine = self._engines.engine(source, target, self.decoding_options())
        if self._cache is not None:
            self._cache.open()
        return engine

    def backend_for(self, source: str, target: str) -> str:
        """The backend that serves (or would serve) a direction."""
        return self._engines.backend_for(source, target)

    # -- translating ------------------------------------------------------------------------

    def detect(self, text: str) -> str:
        """"zh" or "en" for a text, "" when it has no letters; raises for other languages."""
        return pipeline.detect_supported(text)

    def default_target(self, text: str) -> str:
        """The language `text` is translated into when no target is given."""
        return pipeline.default_target(self.detect(text))

    def explain(self, text: str, notes_in: str | None = None) -> list[Note]:
        """The glossary notes for a text. Needs no model.

        `notes_in`: the reader's language (`zh` or `en`); None: the other language of the text.
        """
        return self.glossary.find(text, _notes_language(notes_in) or pipeline.default_target(detect_language(text)))

    def translate(self, text: str, target: str | None = None, *, notes_in: str | None = None) -> Translation:
        """Translate one text; `target` None means the other language of the one detected."""
        return self.translate_batch([text], target, notes_in=notes_in)[0]

    def translate_batch(
        self,
        texts: Sequence[str],
        target: str | None = None,
        *,
        notes: bool = True,
        errors: ErrorMode = "raise",
        notes_in: str | None = None,
        languages: Sequence[str] | None = None,
    ) -> list[Translation]:
        """Translate many texts at once: their sentences are de-duplicated and batched together.

        `notes=False` skips the glossary look-up, for batch jobs that write only the text.
        `errors="raise"` stops at the first text that cannot be translated (a Japanese post, a
        model that fails to load); `errors="return"` translates every other text and gives the
        failed ones back unchanged, each with its one-line reason in `Translation.error`.
        `notes_in`: the language the notes are shown in (`zh` or `en`); None: the target language
        (the reader's). A Chinese speaker writing for English readers passes "zh".
        `languages`: each text's language ("zh", "en", "" for none) when the caller has detected
        it already, as `detect` would; None: detected here.
        """
        if target is not None and target not in SUPPORTED:
            raise UnsupportedLanguageError(target, detail="use --to zh or --to en")
        if errors not in ("raise", "return"):
            raise UsageError(f'errors must be "raise" or "return" (got {errors!r})')
        if languages is not None and len(languages) != len(texts):
            raise UsageError(f"languages= needs one language per text ({len(languages)} for {len(texts)})")
        notes_in = _notes_language(notes_in)
        options = self.decoding_options()
        plans: list[pipeline.Plan | ZhenError] = []
        directions: set[pipeline.Direction] = set()

        def needs(direction: pipeline.Direction) -> None:
            # A model the batch needs loads while the rest of the batch is planned.
            if direction not in directions:
                directions.add(direction)
                self._engines.preload(*direction, options)

        for index, text in enumerate(texts):
            try:
                source = None if languages is None else languages[index]
                plans.append(pipeline.plan(text, target, self._engines.token_counter, self._rewrite, source, needs))
            except ZhenError as error:
                if errors == "raise":
                    raise
                plans.append(error)
        planned = [each for each in plans if isinstance(each, pipeline.Plan)]
        outputs = pipeline.run(planned, self._cached_engine, options, raise_errors=errors == "raise")
        return [
            pipeline.failed(text, target, each)
            if isinstance(each, ZhenError)
            else self._assemble(each, outputs, options, notes, notes_in or each.target)
            for text, each in zip(texts, plans, strict=True)
        ]

    def _rewrite(self, sentence: str) -> pipeline.Rewriting:
        """The sentence as the model gets it, the terms made plain, and every term found (with
        its confidence: only clear slang is rewritten)."""
        if not self.rewrite_slang:
            return sentence, (), ()
        senses = self.glossary.senses(sentence)
        rewritten, rewrites = self.glossary.rewrite(sentence, senses)
        return rewritten, tuple(rewrites), tuple(senses)

    def _cached_engine(self, source: str, target: str) -> CachedEngine:
        return CachedEngine(self._engines.engine(source, target, self.decoding_options()), self._cache)

    def _assemble(
        self, each: pipeline.Plan, outputs: pipeline.Outputs, options: DecodingOptions, notes: bool, notes_in: str
    ) -> Translation:
        def describe(directions: set[pipeline.Direction]) -> tuple[str, str]:
            engines = self._engines
            backend = ", ".join(sorted(engines.backend_for(*direction) for direction in directions))
            models = sorted(filter(None, (engines.model_name(*direction) for direction in directions)))
            return backend, ", ".join(models)

        def glossary_notes() -> tuple[Note, ...]:
            return tuple(self.glossary.find(each.text, notes_in)) if notes else ()

        return pipeline.assemble(each, outputs, options, notes=glossary_notes, notes_in=notes_in, describe=describe)


def _notes_language(notes_in: str | None) -> str | None:
    if notes_in is not None and notes_in not in SUPPORTED:
        raise UsageError(f"notes can be shown in {' or '.join(SUPPORTED)} (got {notes_in!r})")
    return notes_in


__all__ = ["BACKENDS", "ErrorMode", "Translator"]
