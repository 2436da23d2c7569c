"""`Translator`: the public face of zhen's library.

A translation goes: detect the language of the text -> cut it into pieces (segment.py) -> decide
for each prose piece whether it needs the model (pieces already in the target language, or in a
language zhen cannot translate, are kept) -> rewrite slang into plain words -> look sentences up in
the cache -> send the rest, de-duplicated and sorted by length, to the engine -> stitch the pieces
back together, fixing the spaces between sentences that changed script.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .cache import TranslationCache
from .detect import detect_language
from .engines import CacheableEngine, Engine, TokenCountingEngine
from .engines.options import DecodingOptions
from .errors import (
    BackendUnavailableError,
    ModelNotFoundError,
    UsageError,
    ZhenError,
)
from .languages import SUPPORTED, ModelSpec, Script, UnsupportedLanguageError, model_for, other
from .result import Segment, Translation
from .scripts import is_cjk_wide
from .segment import SEGMENT_TOKEN_LIMIT, Piece, segment
from .store import ModelStore

if TYPE_CHECKING:
    from .glossary import Glossary, Note, Rewrite, Sense

BACKENDS = ("auto", "ctranslate2", "transformers")
StatusCallback = Callable[[str], None]
#: What `translate_batch` does with a text it cannot translate: raise, or return it with its reason.
ErrorMode = Literal["raise", "return"]

_LATIN_TAIL = re.compile(r"[A-Za-z0-9.,!?;:)\]\"'%]$")
_LATIN_HEAD = re.compile(r"^[A-Za-z0-9(\[\"'$]")
#: Models often end Chinese sentences with ASCII marks ("你好!"); look past them for the script.
_SENTENCE_PUNCTUATION = ".!?~\"')"


@dataclass
class _Planned:
    """One piece of a text on its way through the pipeline."""

    piece: Piece
    lang: str
    direction: tuple[str, str] | None = None
    model_input: str = ""
    rewrites: tuple[Rewrite, ...] = ()
    senses: tuple[Sense, ...] = ()


@dataclass
class _Plan:
    text: str
    source: str
    target: str
    pieces: list[_Planned]


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
        if backend not in BACKENDS:
            raise UsageError(f"unknown backend {backend!r}: choose one of {', '.join(BACKENDS)}")
        if engine is not None and not isinstance(engine, Engine):
            raise UsageError("engine= needs an object with translate(segments, source, target)")
        self.store = ModelStore(models_dir)
        self.backend = backend
        self.rewrite_slang = rewrite_slang
        self.on_status = on_status
        self._custom_engine = engine
        self._engines: dict[tuple[str, str], Engine] = {}
        self._glossary = glossary
        self._cache: TranslationCache | None = (
            cache if isinstance(cache, TranslationCache) else TranslationCache() if cache else None
        )
        # The TUI translates from worker threads while the user may change settings.
        self._lock = threading.RLock()
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

    def installed_directions(self) -> list[tuple[str, str]]:
        """Directions whose model is in the store (or all, with a custom engine). Loads nothing."""
        from .languages import MODELS

        if self._custom_engine is not None:
            return list(MODELS)
        return [pair for pair, spec in MODELS.items() if self.store.has(spec)]

    def load(self, source: str, target: str) -> None:
        """Load the engine for a direction now instead of on the first translation."""
        self._engine(source, target)

    def backend_for(self, source: str, target: str) -> str:
        """The backend that serves (or would serve) a direction."""
        engine = self._engines.get((source, target)) or self._custom_engine
        if engine is not None:
            return getattr(engine, "backend", type(engine).__name__)
        model_for(source, target)  # an unsupported direction raises here
        return self._choose_backend()

    def _status(self, message: str) -> None:
        if self.on_status is not None:
            self.on_status(message)

    def _choose_backend(self) -> str:
        from .engines.convert import ctranslate2_available

        if self.backend == "transformers":
            return "transformers"
        if ctranslate2_available():
            # A missing model is reported by _load_engine; a missing conversion is made there.
            return "ctranslate2"
        if self.backend == "ctranslate2":
            raise BackendUnavailableError(
                "the ctranslate2 backend needs the `ctranslate2` package: `pip install ctranslate2`, "
                "or use --backend transformers"
            )
        return "transformers"

    def _engine(self, source: str, target: str) -> Engine:
        if self._custom_engine is not None:
            return self._custom_engine
        spec = model_for(source, target)
        with self._lock:
            engine = self._engines.get((source, target))
            if engine is None:
                engine = self._load_engine(spec)
                self._engines[(source, target)] = engine
            return engine

    def _load_engine(self, spec: ModelSpec) -> Engine:
        if not self.store.has(spec):
            raise ModelNotFoundError(spec.name, self.store.root)
        backend = self._choose_backend()
        revision = self.store.revision(spec)
        if backend == "ctranslate2" and not self.store.converted(spec):
            self._status(f"Converting {spec.name} to CTranslate2 int8 (one-off, up to a minute)...")
            try:
                self.store.convert(spec)
            except ZhenError as error:
                if self.backend == "ctranslate2":
                    raise
                self._status(f"Conversion failed ({error}); using transformers")
                backend = "transformers"
        self._status(f"Loading {spec.name} ({backend})...")
        if backend == "ctranslate2":
            from .engines.ctranslate2_engine import CTranslate2Engine

            engine: Engine = CTranslate2Engine(
                self.store.converted_dir(spec), spec, self.decoding_options(), revision=revision
            )
        else:
            from .engines.transformers_engine import TransformersEngine

            engine = TransformersEngine(self.store.require(spec), spec, self.decoding_options(), revision=revision)
        self._status(f"Ready: {spec.name} ({backend})")
        return engine

    # -- translating ------------------------------------------------------------------------

    @staticmethod
    def _chinese_typography(output: str, script: Script) -> str:
        """Full-width punctuation, and Traditional characters throughout when they were asked for."""
        from .punctuation import chinese_punctuation, to_traditional

        output = chinese_punctuation(output)
        return to_traditional(output) if script == "Hant" else output

    def detect(self, text: str) -> str:
        """"zh" or "en" for a text, "" when it has no letters; raises for other languages."""
        lang = detect_language(text)
        if lang and lang not in SUPPORTED:
            raise UnsupportedLanguageError(lang)
        return lang

    def default_target(self, text: str) -> str:
        """The language `text` is translated into when no target is given."""
        return _default_target(self.detect(text))

    def explain(self, text: str, notes_in: str | None = None) -> list[Note]:
        """The glossary notes for a text. Needs no model.

        `notes_in`: the reader's language (`zh` or `en`); None: the other language of the text.
        """
        return self.glossary.find(text, _notes_language(notes_in) or _default_target(detect_language(text)))

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
    ) -> list[Translation]:
        """Translate many texts at once: their sentences are de-duplicated and batched together.

        `notes=False` skips the glossary look-up, for batch jobs that write only the text.
        `errors="raise"` stops at the first text that cannot be translated (a Japanese post, a
        model that fails to load); `errors="return"` translates every other text and gives the
        failed ones back unchanged, each with its one-line reason in `Translation.error`.
        `notes_in`: the language the notes are shown in (`zh` or `en`); None: the target language
        (the reader's). A Chinese speaker writing for English readers passes "zh".
        """
        if target is not None and target not in SUPPORTED:
            raise UnsupportedLanguageError(target, detail="use --to zh or --to en")
        if errors not in ("raise", "return"):
            raise UsageError(f'errors must be "raise" or "return" (got {errors!r})')
        notes_in = _notes_language(notes_in)
        options = self.decoding_options()
        plans: list[_Plan | ZhenError] = []
        for text in texts:
            try:
                plans.append(self._plan(text, target))
            except ZhenError as error:
                if errors == "raise":
                    raise
                plans.append(error)
        planned = [plan for plan in plans if isinstance(plan, _Plan)]
        outputs, failed = self._translate_pieces(planned, options, errors)
        return [
            _failed(text, target, plan)
            if isinstance(plan, ZhenError)
            else self._assemble(plan, outputs, failed, options, notes, notes_in or plan.target)
            for text, plan in zip(texts, plans, strict=True)
        ]

    def _plan(self, text: str, target: str | None) -> _Plan:
        if not isinstance(text, str):
            raise UsageError(f"can only translate text, not {type(text).__name__}")
        source = self.detect(text)
        target = target or _default_target(source)
        # Emoji, numbers, symbols: nothing for a model. Report the direction the user asked for.
        source = source or other(target)

        def count_tokens(piece: str) -> int:
            engine = self._engine(source, target) if source != target else None
            if isinstance(engine, TokenCountingEngine):
                return engine.count_tokens(piece, source, target)
            return len(piece)

        limit = SEGMENT_TOKEN_LIMIT
        planned: list[_Planned] = []
        for piece in segment(text, count_tokens, limit):
            if not piece.is_prose:
                planned.append(_Planned(piece, ""))
                continue
            lang = detect_language(piece.text)
            item = _Planned(piece, lang)
            if lang in SUPPORTED and lang != target:
                item.direction = (lang, target)
                item.model_input, item.rewrites, item.senses = self._rewrite(piece.text)
            planned.append(item)
        return _Plan(text, source, target, planned)

    def _rewrite(self, sentence: str) -> tuple[str, tuple[Rewrite, ...], tuple[Sense, ...]]:
        """The sentence as the model gets it, the terms made plain, and every term found (with
        its confidence: only clear slang is rewritten)."""
        if not self.rewrite_slang:
            return sentence, (), ()
        senses = self.glossary.senses(sentence)
        rewritten, rewrites = self.glossary.rewrite(sentence, senses)
        return rewritten, tuple(rewrites), tuple(senses)

    def _translate_pieces(
        self, plans: Iterable[_Plan], options: DecodingOptions, errors: ErrorMode
    ) -> tuple[dict[tuple[str, str, str], tuple[str, bool]], dict[tuple[str, str], ZhenError]]:
        """Translate every distinct (direction, sentence) once: -> (output, served from cache), and
        with `errors="return"` the directions that failed as a whole (a model that cannot load)."""
        by_direction: dict[tuple[str, str], set[str]] = {}
        for plan in plans:
            for item in plan.pieces:
                if item.direction:
                    by_direction.setdefault(item.direction, set()).add(item.model_input)
        results: dict[tuple[str, str, str], tuple[str, bool]] = {}
        failed: dict[tuple[str, str], ZhenError] = {}
        for (source, target), sentences in by_direction.items():
            try:
                answers = self._run_engine(source, target, sentences, options)
            except ZhenError as error:
                if errors == "raise":
                    raise
                failed[(source, target)] = error
                continue
            for sentence, answer in answers.items():
                results[(source, target, sentence)] = answer
        return results, failed

    def _run_engine(
        self, source: str, target: str, sentences: set[str], options: DecodingOptions
    ) -> dict[str, tuple[str, bool]]:
        engine = self._engine(source, target)
        cacheable = engine if isinstance(engine, CacheableEngine) else None
        cache_key = cacheable.cache_key(source, target, options) if self._cache is not None and cacheable else None
        answers: dict[str, tuple[str, bool]] = {}
        if cache_key is not None and self._cache is not None:
            for sentence, output in self._cache.get_many(cache_key, list(sentences)).items():
                answers[sentence] = (output, True)
        # Sorted by length so each batch pads little; the engine splits into batches itself.
        todo = sorted((s for s in sentences if s not in answers), key=lambda s: (len(s), s))
        if todo:
            outputs = (
                cacheable.translate(todo, source, target, options)
                if cacheable is not None
                else engine.translate(todo, source, target)
            )
            if len(outputs) != len(todo):
                raise ZhenError(
                    f"the {type(engine).__name__} engine returned {len(outputs)} translations "
                    f"for {len(todo)} sentences"
                )
            answers.update((s, (out, False)) for s, out in zip(todo, outputs, strict=True))
            if cache_key is not None and self._cache is not None:
                self._cache.put_many(cache_key, zip(todo, outputs, strict=True))
        return answers

    def _assemble(
        self,
        plan: _Plan,
        outputs: dict[tuple[str, str, str], tuple[str, bool]],
        failed: dict[tuple[str, str], ZhenError],
        options: DecodingOptions,
        notes: bool = True,
        notes_in: str = "en",
    ) -> Translation:
        for item in plan.pieces:
            if item.direction in failed:
                return _failed(plan.text, plan.target, failed[item.direction], plan.source)
        segments: list[Segment] = []
        for item in plan.pieces:
            piece = item.piece
            if item.direction is None:
                reason = piece.reason or (
                    "target-language" if item.lang == plan.target else "other-language"
                )
                segments.append(
                    Segment(piece.text, piece.text, "kept", piece.start, piece.end, reason, item.lang)
                )
                continue
            output, cached = outputs[(item.direction[0], item.direction[1], item.model_input)]
            if plan.target == "zh" and output != item.model_input:
                output = self._chinese_typography(output, options.script)
            rewritten = item.model_input != piece.text
            segments.append(
                Segment(
                    piece.text,
                    output,
                    "cached" if cached else "translated",
                    piece.start,
                    piece.end,
                    lang=item.lang,
                    model_input=item.model_input if rewritten else None,
                    rewrites=item.rewrites,
                    senses=item.senses,
                )
            )
        segments = _fix_spacing(segments, plan.target)
        directions = {item.direction for item in plan.pieces if item.direction}
        backend = ", ".join(sorted(self.backend_for(*direction) for direction in directions))
        model = "" if self._custom_engine else ", ".join(sorted(model_for(*d).name for d in directions))
        return Translation(
            text="".join(segment.text for segment in segments),
            source=plan.source,
            target=plan.target,
            original=plan.text,
            segments=tuple(segments),
            notes=tuple(self.glossary.find(plan.text, notes_in)) if notes else (),
            notes_in=notes_in,
            backend=backend,
            model=model,
        )


def _failed(text: str, target: str | None, error: ZhenError, source: str = "") -> Translation:
    """A text given back unchanged, with the one-line reason it could not be translated."""
    return Translation(text=text, source=source, target=target or "", original=text, error=error.message)


def _notes_language(notes_in: str | None) -> str | None:
    if notes_in is not None and notes_in not in SUPPORTED:
        raise UsageError(f"notes can be shown in {' or '.join(SUPPORTED)} (got {notes_in!r})")
    return notes_in


def _default_target(source: str) -> str:
    """The other language; English for text without letters (most users read English)."""
    return other(source) if source else "en"


def _changed(segment: Segment) -> bool:
    return segment.text != segment.source


def _fix_spacing(segments: list[Segment], target: str) -> list[Segment]:
    """Mend the joints between sentences whose script changed.

    Chinese runs sentences together ("好吃！下次还来！") where English needs a space, and English
    spaces between sentences look wrong in Chinese. Only joints next to a piece that the model
    changed are touched, so untranslated text keeps every character.
    """
    fixed = list(segments)
    for index in range(1, len(fixed)):
        left, right = fixed[index - 1], fixed[index]
        if not (_changed(left) or _changed(right)) or not left.text or not right.text:
            continue
        if target == "en" and _LATIN_TAIL.search(left.text) and _LATIN_HEAD.match(right.text):
            if _changed(right):
                fixed[index] = dataclasses.replace(right, text=" " + right.text)
            else:
                fixed[index - 1] = dataclasses.replace(left, text=left.text + " ")
    if target == "zh":
        for index in range(1, len(fixed) - 1):
            left, gap, right = fixed[index - 1], fixed[index], fixed[index + 1]
            if (
                gap.reason == "space"
                and gap.source == " "
                and _changed(left)
                and _changed(right)
                and is_cjk_wide(left.text.rstrip(_SENTENCE_PUNCTUATION)[-1:])
                and is_cjk_wide(right.text[:1])
            ):
                fixed[index] = dataclasses.replace(gap, text="")
    return fixed
