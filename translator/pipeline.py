"""The pipeline of a batch of texts: plan -> run -> assemble. It keeps no state of its own.

- plan: detect each text's language, cut it into pieces (segment.py), and decide for each prose
  piece whether it needs the model: pieces already in the target language, or in a language zhen
  cannot translate, are kept; the rest are rewritten by the glossary (clear slang made plain).
- run: every distinct (direction, sentence) once, through a cached engine, sorted by length.
- assemble: the pieces back in order, with Chinese typography and the joints between sentences
  mended (typography.py), as a `Translation`.

The caller (`Translator`) supplies what needs state: the engines, the token counters, the glossary.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .cached_engine import Answer, CachedEngine
from .detect import detect_language
from .engines.options import DecodingOptions
from .errors import UsageError, ZhenError
from .languages import SUPPORTED, UnsupportedLanguageError, other
from .result import Segment, Translation
from .scripts import has_han
from .segment import SEGMENT_TOKEN_LIMIT, Piece, chinese_runs, segment
from .typography import chinese_typography, fix_spacing

if TYPE_CHECKING:
    from .glossary import Note, Rewrite, Sense

Direction = tuple[str, str]
#: The model input of a piece, the terms made plain, and every term found.
Rewriting = tuple[str, tuple["Rewrite", ...], tuple["Sense", ...]]


@dataclass
class PlannedPiece:
    """One piece of a text on its way through the pipeline."""

    piece: Piece
    lang: str
    direction: Direction | None = None
    model_input: str = ""
    rewrites: tuple[Rewrite, ...] = ()
    senses: tuple[Sense, ...] = ()


@dataclass
class Plan:
    text: str
    source: str
    target: str
    pieces: list[PlannedPiece]

    def directions(self) -> set[Direction]:
        return {item.direction for item in self.pieces if item.direction}


@dataclass
class Outputs:
    """What `run` made of every planned sentence, and (errors="return") the directions that failed."""

    answers: dict[tuple[str, str, str], Answer] = field(default_factory=dict)
    failed: dict[Direction, ZhenError] = field(default_factory=dict)


def detect_supported(text: str) -> str:
    """"zh" or "en" for a text, "" when it has no letters; raises for other languages."""
    lang = detect_language(text)
    if lang and lang not in SUPPORTED:
        raise UnsupportedLanguageError(lang)
    return lang


def default_target(source: str) -> str:
    """The other language; English for text without letters (most users read English)."""
    return other(source) if source else "en"


def plan(
    text: str,
    target: str | None,
    token_counter: Callable[[str, str], Callable[[str], int]],
    rewrite: Callable[[str], Rewriting],
    source: str | None = None,
    needs: Callable[[Direction], None] | None = None,
) -> Plan:
    """Pieces of `text` and what becomes of each; `source`: its language, when already detected.
    `needs` hears of each piece's direction before the piece is rewritten (the first rewrite
    loads the glossary), so that its model can start loading first."""
    if not isinstance(text, str):
        raise UsageError(f"can only translate text, not {type(text).__name__}")
    if source is None:
        source = detect_supported(text)
    elif source and source not in SUPPORTED:
        raise UnsupportedLanguageError(source)
    target = target or default_target(source)
    # Emoji, numbers, symbols: nothing for a model. Report the direction the user asked for.
    source = source or other(target)
    count_tokens = token_counter(source, target)
    planned: list[PlannedPiece] = []
    for piece in segment(text, count_tokens, SEGMENT_TOKEN_LIMIT):
        if not piece.is_prose:
            planned.append(PlannedPiece(piece, ""))
            continue
        # Into English, Latin-script text stays as it is, English or not: telling which costs
        # langdetect ~7 ms a sentence.
        lang = detect_language(piece.text, latin_languages=target != "en")
        if lang == target == "en" and has_han(piece.text):
            # An English sentence quoting Chinese: its Chinese runs are translated, the rest kept.
            parts = [(part, "zh" if has_han(part.text) else lang) for part in chinese_runs(piece)]
        else:
            parts = [(piece, lang)]
        for part, part_lang in parts:
            item = PlannedPiece(part, part_lang)
            if part_lang in SUPPORTED and part_lang != target:
                item.direction = (part_lang, target)
                if needs is not None:
                    needs(item.direction)
                item.model_input, item.rewrites, item.senses = rewrite(part.text)
            planned.append(item)
    return Plan(text, source, target, planned)


def run(
    plans: Iterable[Plan],
    engine_for: Callable[[str, str], CachedEngine],
    options: DecodingOptions,
    *,
    raise_errors: bool = True,
) -> Outputs:
    """Translate every distinct (direction, sentence) once, with one snapshot of the options."""
    by_direction: dict[Direction, set[str]] = {}
    for each in plans:
        for item in each.pieces:
            if item.direction:
                by_direction.setdefault(item.direction, set()).add(item.model_input)
    outputs = Outputs()
    for (source, target), sentences in by_direction.items():
        try:
            answers = engine_for(source, target).translate(sentences, source, target, options)
        except ZhenError as error:
            if raise_errors:
                raise
            outputs.failed[(source, target)] = error
            continue
        for sentence, answer in answers.items():
            outputs.answers[(source, target, sentence)] = answer
    return outputs


def failed(text: str, target: str | None, error: ZhenError, source: str = "") -> Translation:
    """A text given back unchanged, with the one-line reason it could not be translated."""
    return Translation(text=text, source=source, target=target or "", original=text, error=error.message)


def assemble(
    each: Plan,
    outputs: Outputs,
    options: DecodingOptions,
    *,
    notes: Callable[[], tuple[Note, ...]],
    notes_in: str,
    describe: Callable[[set[Direction]], tuple[str, str]],
) -> Translation:
    """The translation of one planned text (given back unchanged if a direction it needs failed).

    `describe` names the backends and models of the directions used, for `Translation`."""
    for item in each.pieces:
        if item.direction in outputs.failed:
            return failed(each.text, each.target, outputs.failed[item.direction], each.source)
    segments: list[Segment] = []
    for item in each.pieces:
        piece = item.piece
        if item.direction is None:
            reason = piece.reason or ("target-language" if item.lang == each.target else "other-language")
            segments.append(Segment(piece.text, piece.text, "kept", piece.start, piece.end, reason, item.lang))
            continue
        output, cached = outputs.answers[(item.direction[0], item.direction[1], item.model_input)]
        if each.target == "zh" and output != item.model_input:
            output = chinese_typography(output, options.script)
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
    segments = fix_spacing(segments, each.target)
    backend, model = describe(each.directions())
    return Translation(
        text="".join(segment.text for segment in segments),
        source=each.source,
        target=each.target,
        original=each.text,
        segments=tuple(segments),
        notes=notes(),
        notes_in=notes_in,
        backend=backend,
        model=model,
    )


__all__ = [
    "Direction",
    "Outputs",
    "Plan",
    "PlannedPiece",
    "Rewriting",
    "assemble",
    "default_target",
    "detect_supported",
    "failed",
    "plan",
    "run",
]
