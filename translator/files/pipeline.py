"""The part every file format shares: translate a stream of units a chunk at a time.

A format parser turns a file into a stream of *items*: plain strings, which are structure written
back exactly as read, and `Unit`s, which carry prose strings and know how to put their
translations back in place. This module gathers a chunk of items (a few hundred prose strings),
sends all their prose to `Translator.translate_batch` in one call (so the library de-duplicates and
batches across the whole chunk), writes the chunk out and forgets it: memory stays flat however
long the file is.

The file's language is decided once for the whole file (`FileLanguage`: weighted script counts
over its prose, URLs and other protected spans left out, streamed), so that a stray English comment
in a Chinese export is left alone rather than translated into Chinese, and a file in a third
language (Spanish subtitles) is refused as a whole rather than half sent en->zh. When the file
cannot be read twice (standard input), the first chunk decides.

A text that reads as the target language is still handed to the library, which keeps it as it
is, or, into English, translates only the Chinese runs of a sentence that quotes Chinese ("Okay
好的 see you", `segment.chinese_runs`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Protocol

from ..detect import ScriptCounts, count_scripts, detect_language, language_text
from ..languages import SUPPORTED, other
from .errors import FileLanguageError

if TYPE_CHECKING:
    from ..translator import Translator

#: A chunk is flushed once it holds this many prose strings ...
CHUNK_TEXTS = 256
#: ... or this many characters of input (structure included).
CHUNK_CHARS = 256 * 1024
#: If nothing in this many characters is prose, the language cannot be told: assume Chinese.
UNDECIDED_CHARS = 4 * CHUNK_CHARS
#: Latin-script prose kept to tell English from Spanish, French ... (the rest is only counted).
LATIN_SAMPLE_CHARS = 20_000
#: A Chinese character says about as much as three or four Latin letters; a bilingual file's tie
#: goes to Chinese, the language zhen is mostly asked to translate from.
HAN_WEIGHT = 4


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
class FileLanguage:
    """Script counts over all the prose of a file, to decide its language once for all of it."""

    counts: ScriptCounts = field(default_factory=ScriptCounts)
    latin_sample: list[str] = field(default_factory=list)
    _sampled: int = 0

    def add(self, text: str) -> None:
        # URLs, mentions and stickers are not language: https://... is not English.
        text = language_text(text)
        counts = count_scripts(text)
        self.counts = ScriptCounts(
            **{name: getattr(self.counts, name) + getattr(counts, name) for name in _COUNTED},
            other_script=self.counts.other_script or counts.other_script,
        )
        if counts.latin and not counts.han and self._sampled < LATIN_SAMPLE_CHARS:
            self.latin_sample.append(text)
            self._sampled += len(text)

    def language(self, latin_languages: bool = True) -> str:
        """"zh", "en", or the code of a language zhen does not translate; "zh" with no letters.
        `latin_languages=False`: Latin-script prose is English (see `detect_language`)."""
        counts = self.counts
        # Japanese prose has about twice as much kana as kanji; a Chinese file with a few Japanese
        # comments has far less kana than Han.
        if counts.kana >= 2 and counts.kana >= counts.han:
            return "ja"
        if counts.hangul > counts.han and counts.hangul >= counts.latin_words:
            return "ko"
        if counts.han * HAN_WEIGHT >= counts.latin or not (counts.latin or counts.other_letters):
            return "zh"
        if counts.latin >= counts.other_letters:
            latin = detect_language("\n".join(self.latin_sample), latin_languages=latin_languages)
            return latin if latin not in ("", "und") else "en"
        return counts.other_script or "und"


_COUNTED = [item.name for item in fields(ScriptCounts) if item.name != "other_script"]


def decide_language(items: Iterable[Item], name: str, latin_languages: bool = True) -> str:
    """The language of all the prose in `items`; raises `FileLanguageError` for a language zhen
    does not translate (the file is left untouched). `latin_languages=False`: a Latin-script file
    is English (into English, a French file stays as it is either way)."""
    tally = FileLanguage()
    for item in items:
        if not isinstance(item, str):
            for text in item.texts:
                tally.add(text)
    language = tally.language(latin_languages)
    if language not in SUPPORTED:
        raise FileLanguageError(name, language)
    return language


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
    name: str = "<stdin>",
) -> Iterator[str]:
    """Yield the output text of `items`, one chunk at a time (`name` is for error messages)."""
    if target is not None:
        stats.source, stats.target = other(target), target
    chunk = _Chunk()
    for item in items:
        chunk.add(item)
        if chunk.texts >= CHUNK_TEXTS or chunk.chars >= (CHUNK_CHARS if stats.target else UNDECIDED_CHARS):
            yield _flush(chunk, translator, stats, bilingual, name)
            _report(stats, position, on_progress)
            chunk = _Chunk()
    if chunk.items or not stats.target:
        # Even an empty file gets a language (for its output name) and one (empty) piece.
        yield _flush(chunk, translator, stats, bilingual, name)
    _report(stats, position, on_progress)


def _report(stats: FileStats, position: Callable[[], int] | None, on_progress: ProgressCallback | None) -> None:
    if position is not None:
        stats.bytes_read = position()
    if on_progress is not None:
        on_progress(stats)


def _flush(chunk: _Chunk, translator: Translator, stats: FileStats, bilingual: bool, name: str) -> str:
    units = [item for item in chunk.items if not isinstance(item, str)]
    # Exports repeat the same short texts: detect (and later translate) each one once.
    unique = dict.fromkeys(text for unit in units for text in unit.texts)
    if not stats.target:
        stats.source = decide_language(units, name)
        stats.target = other(stats.source)
    # Into English, a text in English and one in French are both left as they are: which of the
    # two it is (langdetect: ~7 ms a text) changes nothing.
    latin_languages = stats.target != "en"
    languages = {text: detect_language(text, latin_languages=latin_languages) for text in unique}
    # A text with Chinese that reads as English ("Okay everyone, 大家好 see you") goes too: the
    # library translates the Chinese in it and keeps the rest.
    wanted = [text for text, language in languages.items() if _should_translate(text, language)]
    # Each text's language was detected above; the library takes it instead of detecting again.
    detected = [languages[text] for text in wanted]
    outputs = translator.translate_batch(wanted, stats.target, notes=False, languages=detected)
    results = {text: (result.text, result.counts) for text, result in zip(wanted, outputs, strict=True)}
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
                stats.add(result[1])
                translations.append(result[0])
        parts.append(item.render(translations, stats.target, bilingual))
    return "".join(parts)


def _should_translate(text: str, language: str) -> bool:
    # Text already in the target language needs no check here: the library keeps it as it is.
    # Languages it cannot translate (Japanese, Korean ...) make it refuse the whole call, and one
    # such comment must not fail the chunk it is in.
    return bool(text.strip()) and (not language or language in SUPPORTED)
