"""The glossary's value types: an entry of the data files and what matching a text produces.

Every optional text field is a string that is empty when the data leaves it out, so callers
(renderers, JSON output) never have to tell None from "".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

from translator.errors import ZhenError

LANGS = ("zh", "en")
CATEGORIES = ("slang", "abbreviation", "platform", "meme", "culture", "etiquette")
REGISTERS = ("neutral", "playful", "vulgar", "offensive", "sensitive")
#: Registers a reader should be warned about before sending or misreading a text.
RISKY_REGISTERS = frozenset({"vulgar", "offensive", "sensitive"})

#: Fields every entry must have, whatever its language.
REQUIRED = (
    "term",
    "lang",
    "meaning",
    "note",
    "category",
    "register",
    "example",
    "example_translation",
)
#: Fields required only for entries in one language (Chinese readers need the English notes in
#: Chinese; an English reader needs the pronunciation of a Chinese term).
REQUIRED_FOR = {"zh": ("pinyin",), "en": ("meaning_zh", "note_zh")}
OPTIONAL = ("variants", "pinyin", "literal", "meaning_zh", "note_zh", "plain")
#: Fields that hold a list of strings: spellings, and the context rules that tell a slang use of
#: a term from a literal one (see data/README.md).
LIST_FIELDS = ("variants", "slang_when", "literal_when", "literal_examples")
#: Fields that hold true or false.
FLAG_FIELDS = ("ambiguous", "dated")
FIELDS = REQUIRED + tuple(f for f in OPTIONAL if f not in REQUIRED) + LIST_FIELDS[1:] + FLAG_FIELDS


#: How sure the matcher is that a term found in a text is meant as slang (see senses.py):
#: literal (no note, no rewrite), possible (a "may mean" note, no rewrite), clear.
Confidence = Literal["literal", "possible", "clear"]
CONFIDENCES: tuple[Confidence, ...] = ("literal", "possible", "clear")


class GlossaryError(ZhenError):
    """A glossary file is missing, unreadable or breaks the schema; the message names file:line."""


@dataclass(frozen=True)
class Entry:
    """One term of the glossary, as validated from a data file."""

    term: str
    variants: tuple[str, ...]
    lang: str
    pinyin: str
    literal: str
    meaning: str
    meaning_zh: str
    note: str
    note_zh: str
    category: str
    register: str
    example: str
    example_translation: str
    plain: str
    #: `file.toml:line` of the `[[entry]]` header, so a wrong note can be traced to its data.
    source: str
    #: Regular expressions (`~` marks the term) that confirm the slang sense, or show a literal use.
    slang_when: tuple[str, ...] = ()
    literal_when: tuple[str, ...] = ()
    #: Sentences where the term is used literally: no note, no rewrite (checked by the tests).
    literal_examples: tuple[str, ...] = ()
    #: The term is also ordinary language: without a slang_when hit it only "may mean" the slang.
    ambiguous: bool = False
    #: An older meme a newcomer should understand but not use.
    dated: bool = False

    @property
    def forms(self) -> tuple[str, ...]:
        """The term and its variants: every spelling the matcher looks for."""
        return (self.term, *self.variants)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for field in LIST_FIELDS:
            data[field] = list(data[field])
        return data

    @classmethod
    def restored(cls, row: Sequence[Any]) -> Entry:
        """The entry whose `astuple()` is `row`, of an entry validated before (the loader's cache).
        Skips `__init__`, which as a frozen dataclass's sets each field through
        `object.__setattr__`: the 3,000 built-in entries in 12 ms instead of 22, on every start."""
        if len(row) != len(_ENTRY_FIELDS):
            raise ValueError(f"an entry has {len(_ENTRY_FIELDS)} fields, not {len(row)}")
        entry = object.__new__(cls)
        object.__setattr__(entry, "__dict__", dict(zip(_ENTRY_FIELDS, row, strict=True)))
        return entry


_ENTRY_FIELDS = tuple(field.name for field in fields(Entry))


@dataclass(frozen=True)
class Note:
    """A glossary term found in a text: `text[start:end] == term` in the text that was searched."""

    term: str
    start: int
    end: int
    meaning: str
    note: str
    pinyin: str
    category: str
    register: str
    lang: str
    entry: Entry
    #: `clear` or `possible` (a term that may mean the slang); literal uses get no note.
    confidence: Confidence = "clear"
    #: Which rule decided the confidence, in a few words (`slang_when '...'`, `unambiguous term`).
    reason: str = ""
    #: The language the note is for (`zh` or `en`); `shown_meaning`/`shown_note` are in it when
    #: the entry has that language, else in English.
    reader: str = "en"

    @property
    def risky(self) -> bool:
        """Vulgar, offensive or sensitive: may land badly."""
        return self.register in RISKY_REGISTERS

    @property
    def shown_meaning(self) -> str:
        """The meaning in the reader's language when the entry has it."""
        return self.entry.meaning_zh if self.reader == "zh" and self.entry.meaning_zh else self.meaning

    @property
    def shown_note(self) -> str:
        """The cultural note in the reader's language when the entry has it."""
        return self.entry.note_zh if self.reader == "zh" and self.entry.note_zh else self.note

    @classmethod
    def of(
        cls,
        entry: Entry,
        term: str,
        start: int,
        end: int,
        confidence: Confidence = "clear",
        reason: str = "",
        reader: str = "en",
    ) -> Note:
        return cls(
            term=term,
            start=start,
            end=end,
            meaning=entry.meaning,
            note=entry.note,
            pinyin=entry.pinyin,
            category=entry.category,
            register=entry.register,
            lang=entry.lang,
            entry=entry,
            confidence=confidence,
            reason=reason,
            reader=reader,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the note plus the entry fields a reader or a UI shows next to it."""
        entry = self.entry
        return {
            "term": self.term,
            "start": self.start,
            "end": self.end,
            "canonical": entry.term,
            "lang": self.lang,
            "pinyin": self.pinyin,
            "literal": entry.literal,
            "meaning": self.meaning,
            "meaning_zh": entry.meaning_zh,
            "note": self.note,
            "note_zh": entry.note_zh,
            "category": self.category,
            "register": self.register,
            "plain": entry.plain,
            "example": entry.example,
            "example_translation": entry.example_translation,
            "source": entry.source,
            "dated": entry.dated,
            "confidence": self.confidence,
            "reason": self.reason,
            "reader": self.reader,
            "shown_meaning": self.shown_meaning,
            "shown_note": self.shown_note,
        }


@dataclass(frozen=True)
class Rewrite:
    """One term replaced by its plain form; offsets are into the text given to `rewrite()`."""

    term: str
    plain: str
    start: int
    end: int
    #: Why the slang sense was clear enough to rewrite (see `Sense.reason`).
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Sense:
    """A glossary term found in a text and what the matcher made of it, literal uses included.

    `text[start:end] == term` in the text that was searched; `reason` names the rule that
    decided the confidence.
    """

    term: str
    start: int
    end: int
    entry: Entry
    confidence: Confidence
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "start": self.start,
            "end": self.end,
            "canonical": self.entry.term,
            "confidence": self.confidence,
            "reason": self.reason,
        }
