"""The part every file format shares: translate a stream of units a chunk at a time.

A format parser turns a file into a stream of *items*: plain strings, which are structure written
back exactly as read, and `Unit`s, which carry prose strings and know how to put their
translations back in place. This module gathers a chunk of items (a few hundred prose strings),
sends all their prose to `Translator.translate_batch` in one call (so the library de-duplicates and
batches across the whole chunk), writes the chunk out and forgets it: memory stays flat however
long the file is.

The file's language is decided once, from the prose of the first chunk, so that a stray English
comment in a Chinese export is left alone rather than translated into Chinese.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from ..detect import detect_language
from ..languages import SUPPORTED, other

if TYPE_CHECKING:
    from ..translator import Translator

#: A chunk is flushed once it holds this many prose strings ...
CHUNK_TEXTS = 256
#: ... or this many characters of input (structure included).
CHUNK_CHARS = 256 * 1024
#: If nothing in this many characters is prose, the language cannot be told: assume Chinese.
UNDECIDED_CHARS = 4 * CHUNK_CHARS


class Unit(Protocol):
    """A piece of a file with prose in it."""

    @property
    def texts(self) -> Sequence[str]:
        """The prose strings to translate, in order."""
        ...

    def render(self, translations: Sequence[str | None], target: str, bilingual: bool) -> str:
        """The unit's output text; `None` stands for a text that was left alone."""
        ...


Item = str | Unit


@dataclass
class FileStats:
    """Running totals for one file, updated after every chunk (the progress bar reads them)."""

    source: str = ""
    target: str = ""
    translated: int = 0
    cached: int = 0
    kept: int = 0
    #: Prose strings seen (lines, cells, cues, JSON values ...).
    texts: int = 0
    bytes_read: int = 0
    bytes_total: int | None = None
    encoding: str = ""
    format: str = ""

    @property
    def segments(self) -> int:
        return self.translated + self.cached + self.kept

    def add(self, counts: dict[str, int]) -> None:
        self.translated += counts.get("translated", 0)
        self.cached += counts.get("cached", 0)
        self.kept += counts.get("kept", 0)


ProgressCallback = Callable[[FileStats], None]


@dataclass
class _Chunk:
    items: list[Item] = field(default_factory=list)
    texts: int = 0
    chars: int = 0

    def add(self, item: Item) -> None:
        self.items.append(item)
        if isinstance(item, str):
            self.chars += len(item)
        else:
            self.texts += len(item.texts)
            self.chars += sum(len(text) for text in item.texts)


def translate_items(
    items: Iterable[Item],
    translator: Translator,
    stats: FileStats,
    *,
    target: str | None = None,
    bilingual: bool = False,
    position: Callable[[], int] | None = None,
    on_progress: ProgressCallback | None = None,
) -> Iterator[str]:
    """Yield the output text of `items`, one chunk at a time."""
    if target is not None:
        stats.source, stats.target = other(target), target
    chunk = _Chunk()
    for item in items:
        chunk.add(item)
        if chunk.texts >= CHUNK_TEXTS or chunk.chars >= (CHUNK_CHARS if stats.target else UNDECIDED_CHARS):
            yield _flush(chunk, translator, stats, bilingual)
            _report(stats, position, on_progress)
            chunk = _Chunk()
    if chunk.items or not stats.target:
        # Even an empty file gets a language (for its output name) and one (empty) piece.
        yield _flush(chunk, translator, stats, bilingual)
    _report(stats, position, on_progress)


def _report(stats: FileStats, position: Callable[[], int] | None, on_progress: ProgressCallback | None) -> None:
    if position is not None:
        stats.bytes_read = position()
    if on_progress is not None:
        on_progress(stats)


def _flush(chunk: _Chunk, translator: Translator, stats: FileStats, bilingual: bool) -> str:
    units = [item for item in chunk.items if not isinstance(item, str)]
    # Exports repeat the same short texts: detect (and later translate) each one once.
    unique = dict.fromkeys(text for unit in units for text in unit.texts)
    languages = {text: detect_language(text) for text in unique}
    if not stats.target:
        stats.source = _majority_language(languages)
        stats.target = other(stats.source)
    wanted = [text for text, language in languages.items() if _should_translate(text, language)]
    results = dict(zip(wanted, translator.translate_batch(wanted, stats.target, notes=False), strict=True))
    parts: list[str] = []
    for item in chunk.items:
        if isinstance(item, str):
            parts.append(item)
            continue
        translations: list[str | None] = []
        for text in item.texts:
            stats.texts += 1
            result = results.get(text)
            if result is None:
                stats.kept += bool(text.strip())
                translations.append(None)
            else:
                stats.add(result.counts)
                translations.append(result.text)
        parts.append(item.render(translations, stats.target, bilingual))
    return "".join(parts)


def _should_translate(text: str, language: str) -> bool:
    # Text already in the target language needs no check here: the library keeps it as it is.
    # Languages it cannot translate (Japanese, Korean ...) make it refuse the whole call, and one
    # such comment must not fail the chunk it is in.
    return bool(text.strip()) and (not language or language in SUPPORTED)


def _majority_language(languages: dict[str, str]) -> str:
    """The supported language with the most prose; Chinese when there is none.

    A Chinese character says about as much as three English letters, so it weighs three.
    """
    weight = dict.fromkeys(SUPPORTED, 0)
    for text, language in languages.items():
        if language in weight:
            weight[language] += len(text) * (3 if language == "zh" else 1)
    return max(SUPPORTED, key=lambda language: (weight[language], language == "zh"))
