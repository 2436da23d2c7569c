"""What a translation returns: the text, and how every piece of the original was handled.

Keeping the per-segment record (translated, served from cache, or kept as it was, and why) is what
lets the UI show the user exactly what the model saw, and lets tests prove that nothing was lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .glossary import Note, Rewrite, Sense

#: translated: sent to the model; cached: the model's earlier answer from the cache;
#: kept: never sent (whitespace, URL, emoji, hashtag, number, already in the target language...).
SegmentStatus = Literal["translated", "cached", "kept"]


@dataclass(frozen=True)
class Segment:
    """One piece of the original text and what became of it.

    The pieces tile the original: joining every `source` gives the input back exactly, and joining
    every `text` gives the translation.
    """

    source: str
    text: str
    status: SegmentStatus
    start: int
    end: int
    #: For kept pieces: why (`space`, `url`, `email`, `mention`, `hashtag`, `emoji`, `markup` (HTML
    #: tags and character references), `placeholder` (`{name}`, `%s`), `number`, `symbols`,
    #: `invalid` (lone surrogates), `target-language`, `other-language`). Empty for translated ones.
    reason: str = ""
    #: Detected language of this piece (`zh`, `en`, or `""` when it has no letters).
    lang: str = ""
    #: What the model actually saw, when slang rewriting changed the sentence.
    model_input: str | None = None
    rewrites: tuple[Rewrite, ...] = ()
    #: Every glossary term found in the piece with its confidence and the rule that decided it;
    #: only `clear` ones with a plain form are in `rewrites`, the rest went to the model as written.
    senses: tuple[Sense, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "source": self.source,
            "text": self.text,
            "status": self.status,
            "start": self.start,
            "end": self.end,
        }
        if self.reason:
            data["reason"] = self.reason
        if self.lang:
            data["lang"] = self.lang
        if self.model_input is not None:
            data["model_input"] = self.model_input
            data["rewrites"] = [r.to_dict() for r in self.rewrites]
        if self.senses:
            rewritten = {r.start for r in self.rewrites}
            data["senses"] = [{**s.to_dict(), "rewritten": s.start in rewritten} for s in self.senses]
        return data


@dataclass(frozen=True)
class Translation:
    """The translation of one text."""

    text: str
    source: str
    target: str
    original: str
    segments: tuple[Segment, ...] = ()
    notes: tuple[Note, ...] = field(default=())
    #: `transformers`, `ctranslate2`, or the class name of a custom engine.
    backend: str = ""
    #: The model's short name (`opus-mt-zh-en`), empty for custom engines.
    model: str = ""
    #: Why this text could not be translated (one line), with `translate_batch(errors="return")`;
    #: `text` is then the original, unchanged. Empty on success.
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error
    #: The language the notes are written for (`Note.shown_meaning`, `Note.shown_note`).
    notes_in: str = "en"

    @property
    def rewrites(self) -> tuple[Rewrite, ...]:
        """Every slang term rewritten into plain language before translation."""
        return tuple(r for segment in self.segments for r in segment.rewrites)

    @property
    def counts(self) -> dict[str, int]:
        """How many segments were translated, served from cache and kept."""
        counts = {"translated": 0, "cached": 0, "kept": 0}
        for segment in self.segments:
            counts[segment.status] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view (for `--json`, the history file and batch summaries)."""
        return {
            "text": self.text,
            "source": self.source,
            "target": self.target,
            "original": self.original,
            "backend": self.backend,
            "model": self.model,
            "segments": [segment.to_dict() for segment in self.segments],
            "notes": [note.to_dict() for note in self.notes],
            "notes_in": self.notes_in,
        } | ({"error": self.error} if self.error else {})
