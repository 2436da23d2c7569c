"""Finding glossary terms in text, fast enough to annotate a scrolling feed as it arrives.

Design: every spelling of every term is folded (Latin lowercased, full-width ASCII and curly
apostrophes normalised, always one character for one so offsets survive) and put in one dict.
A compiled character class of the terms' first characters lets the `re` engine, in C, skip to
the few positions where a term can start; only there does Python try the candidate lengths for
that first character, longest first. Latin-starting candidates must also start a word, which
the pattern checks with look-behinds, so the "c" in "capital" or a "y" inside a word never
even reaches Python.

Rules: longest match at the leftmost position wins, matches never overlap; a term that begins
(ends) with a Latin letter or digit must begin (end) a word, so "cap" is not found in "capital"
but "yyds" is found in "火锅yyds!" (Chinese characters are not word characters); nothing is found
inside URLs, e-mail addresses or @mentions (translator.protected), except a spelling that starts with "@" itself
(an official account such as @薯队长); Chinese terms match anywhere.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from translator.protected import protected_spans
from translator.scripts import HAN

from .model import Entry, Note, Rewrite

# One-for-one replacements, so a folded text has the same offsets as the original:
# full-width ASCII (ｙｙｄｓ) to ASCII, typographic apostrophes and odd spaces to plain ones.
_FOLD_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FOLD_TABLE.update({ord(c): "'" for c in "\u2018\u2019\u02bc\uff07"})
_FOLD_TABLE.update({ord(c): " " for c in "\u00a0\u3000\u2009\u202f"})

_WORD = "0-9a-z_"

#: Kinds of protected span (translator.protected) that are addresses, not language: no notes
#: inside them. Hashtags and stickers are words people chose, so slang in them is noted.
_ADDRESS_KINDS = frozenset({"url", "email", "domain", "mention"})

HAN_RUN = re.compile(f"[{HAN}]+")


def fold(text: str) -> str:
    """Normalise for matching without changing the length: every index keeps its meaning."""
    folded = text.translate(_FOLD_TABLE)
    lowered = folded.lower()
    if len(lowered) == len(folded):
        return lowered
    # A few letters (İ) lowercase to two characters; keep those as they are.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)


def _is_word_char(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char == "_")


def plain_pinyin(text: str) -> str:
    """Pinyin without tones, spaces or separators (`yǒngyuǎn de shén`, `yong3yuan3` -> letters)."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("v", "u"))
    return "".join(c for c in decomposed if c.isascii() and c.isalpha())


class Glossary:
    """A set of entries, indexed for matching in text, rewriting, search and lookup.

    When two entries share a spelling the later one wins: the loader lists user entries last.
    """

    def __init__(self, entries: Iterable[Entry], problems: tuple[str, ...] = ()) -> None:
        self.entries: tuple[Entry, ...] = tuple(entries)
        #: Non-fatal problems met while loading (a broken user glossary), for the UI to show.
        self.problems = problems
        self._forms: dict[str, Entry] = {}
        lengths: dict[str, set[int]] = {}
        for entry in self.entries:
            for form in entry.forms:
                key = fold(form)
                self._forms[key] = entry
                lengths.setdefault(key[0], set()).add(len(key))
        self._lengths = {char: tuple(sorted(ls, reverse=True)) for char, ls in lengths.items()}
        self._starts = self._start_pattern(self._lengths)

    @staticmethod
    def _start_pattern(first_chars: Iterable[str]) -> re.Pattern[str]:
        wordlike = sorted(c for c in first_chars if _is_word_char(c))
        other = sorted(c for c in first_chars if not _is_word_char(c))
        alternatives = []
        if wordlike:
            # Start of a word: not after a word character, nor after "x-" (as in "mid-century").
            alternatives.append(rf"(?<![{_WORD}])(?<![{_WORD}]-)[{re.escape(''.join(wordlike))}]")
        if other:
            alternatives.append(f"[{re.escape(''.join(other))}]")
        return re.compile("|".join(alternatives) or r"(?!)")

    def __len__(self) -> int:
        return len(self.entries)

    def _matches(self, text: str) -> list[tuple[int, int, Entry]]:
        folded = fold(text)
        forms, lengths = self._forms, self._lengths
        found: list[tuple[int, int, Entry]] = []
        protected: list[tuple[int, int]] | None = None
        size = len(folded)
        pos = 0
        for candidate in self._starts.finditer(folded):
            start = candidate.start()
            if start < pos:
                continue
            for length in lengths[folded[start]]:
                end = start + length
                entry = forms.get(folded[start:end]) if end <= size else None
                if entry is None or (_is_word_char(folded[end - 1]) and not _ends_word(folded, end)):
                    continue
                if folded[start] != "@":  # a spelling with its @ (@薯队长) is meant as a mention
                    if protected is None:
                        protected = [
                            (p_start, p_end)
                            for p_start, p_end, kind in protected_spans(text)
                            if kind in _ADDRESS_KINDS
                        ]
                    if any(p_start < end and start < p_end for p_start, p_end in protected):
                        continue
                found.append((start, end, entry))
                pos = end
                break
        return found

    def find(self, text: str) -> list[Note]:
        """Every glossary term in `text`, in text order; offsets index the text as given."""
        return [Note.of(entry, text[start:end], start, end) for start, end, entry in self._matches(text)]

    def rewrite(self, text: str) -> tuple[str, list[Rewrite]]:
        """Replace each matched term that has a plain form by it, e.g. before machine translation."""
        from .rewrite import apply_plain_forms

        return apply_plain_forms(text, self._matches(text))

    def lookup(self, term: str) -> Entry | None:
        """The entry one of whose spellings is `term` (Latin case ignored)."""
        return self._forms.get(fold(term.strip()))

    def search(self, query: str, limit: int = 20) -> list[Entry]:
        """Entries for `zhen glossary search`, best first.

        Ranks: exact spelling, exact pinyin (tones optional), spelling prefix, pinyin prefix,
        spelling substring, meaning containing the query as a word, meaning substring,
        pinyin substring.
        """
        needle = fold(query.strip())
        if not needle:
            return []
        sound = plain_pinyin(needle)
        word = re.compile(rf"(?<![a-z]){re.escape(needle)}(?![a-z])")
        ranked = []
        for index, entry in enumerate(self.entries):
            rank = _rank(entry, needle, sound, word)
            if rank is not None:
                ranked.append((rank, len(entry.term), index, entry))
        ranked.sort(key=lambda item: item[:3])
        return [item[3] for item in ranked[:limit]]


def _ends_word(folded: str, end: int) -> bool:
    if end >= len(folded):
        return True
    after = folded[end]
    if _is_word_char(after):
        return False
    return not (after == "-" and end + 1 < len(folded) and _is_word_char(folded[end + 1]))


def _rank(entry: Entry, needle: str, sound: str, word: re.Pattern[str]) -> int | None:
    forms = [fold(form) for form in entry.forms]
    pinyin = plain_pinyin(entry.pinyin)
    meanings = fold(f"{entry.meaning} | {entry.meaning_zh} | {entry.literal}")
    # Pinyin ranks only for queries that look like pinyin: at least two letters.
    sounds = len(sound) >= 2 and pinyin
    checks = (
        needle in forms,
        sounds and sound == pinyin,
        any(form.startswith(needle) for form in forms),
        sounds and pinyin.startswith(sound),
        any(needle in form for form in forms),
        word.search(meanings) is not None,
        needle in meanings,
        sounds and len(sound) >= 3 and sound in pinyin,
    )
    for rank, hit in enumerate(checks):
        if hit:
            return rank
    return None
