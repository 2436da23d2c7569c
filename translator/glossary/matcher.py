"""Finding glossary terms in text, fast enough to annotate a scrolling feed as it arrives.

Design: every spelling of every term is normalised (Latin lowercased, full-width ASCII and curly
apostrophes folded, Traditional characters made Simplified, always one character for one so
offsets survive) and put in one dict; texts are normalised the same way before searching.
A compiled character class of the terms' first characters lets the `re` engine, in C, skip to
the few positions where a term can start; only there does Python try the candidate lengths for
that first character, longest first. Latin-starting candidates must also start a word, which
the pattern checks with look-behinds, so the "c" in "capital" or a "y" inside a word never
even reaches Python.

Rules: longest match at the leftmost position wins, matches never overlap; a term that begins
(ends) with a Latin letter or digit must begin (end) a word, so "cap" is not found in "capital"
but "yyds" is found in "火锅yyds!" (Chinese characters are not word characters); nothing is found
inside URLs, e-mail addresses or @mentions (translator.protected), except a spelling that starts with "@" itself
(an official account such as @薯队长); a Chinese term must not cut through a longer word
(words.py). Each match then gets a confidence, literal, possible or clear (senses.py): only
possible and clear ones become notes, only clear ones are rewritten.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from translator.protected import protected_spans
from translator.scripts import HAN_RUN

from .model import Entry, Note, Rewrite, Sense
from .senses import Judge
from .simplified import to_simplified
from .words import WordBoundaries

# One-for-one replacements, so a folded text has the same offsets as the original:
# full-width ASCII (ｙｙｄｓ) to ASCII, typographic apostrophes and odd spaces to plain ones.
_FOLD_TABLE: dict[int, int | str] = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FOLD_TABLE.update({ord(c): "'" for c in "\u2018\u2019\u02bc\uff07"})
_FOLD_TABLE.update({ord(c): " " for c in "\u00a0\u3000\u2009\u202f"})

_WORD = "0-9a-z_"

#: Kinds of protected span (translator.protected) that are addresses, not language: no notes
#: inside them. Hashtags and stickers are words people chose, so slang in them is noted.
_ADDRESS_KINDS = frozenset({"url", "email", "domain", "mention"})
#: Addresses are looked for in a window of this many characters either side of a candidate,
#: cut at white space (addresses hold none): the address patterns can take quadratic time on a
#: long run of word characters, and a bounded window keeps the whole search linear.
_ADDRESS_WINDOW = 256
#: Every address (URL, e-mail, domain, mention) holds one of these.
_ADDRESS_MARKS = re.compile(r"[@.]|://")
#: What ends an address (the URL pattern stops at any white space; these are the ones in posts).
_SPACES = (" ", "\n", "\t", "\r", "\u3000", "\u00a0")


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


def normalise(text: str) -> str:
    """What the matcher compares: folded, Traditional characters made Simplified; same length."""
    return to_simplified(fold(text))


def plain_pinyin(text: str) -> str:
    """Pinyin without tones, spaces or separators (`yǒngyuǎn de shén`, `yong3yuan3` -> letters)."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("v", "u"))
    return "".join(c for c in decomposed if c.isascii() and c.isalpha())


class Glossary:
    """A set of entries, indexed for matching in text, rewriting, search and lookup.

    When two entries share a spelling the later one wins: the loader lists user entries last.
    """

    def __init__(
        self, entries: Iterable[Entry], problems: tuple[str, ...] = (), *, normalised: Mapping[str, str] | None = None
    ) -> None:
        """`normalised`: `normalise(spelling)` of spellings known already (the loader caches those
        of the built-in data); the others are normalised here."""
        self.entries: tuple[Entry, ...] = tuple(entries)
        #: Non-fatal problems met while loading (a broken user glossary), for the UI to show.
        self.problems = problems
        self._forms: dict[str, Entry] = {}
        lengths: dict[str, set[int]] = {}
        known = normalised or {}
        for entry in self.entries:
            for form in entry.forms:
                key = known[form] if form in known else normalise(form)
                self._forms[key] = entry
                lengths.setdefault(key[0], set()).add(len(key))
        self._lengths = {char: tuple(sorted(ls, reverse=True)) for char, ls in lengths.items()}
        self._starts = self._start_pattern(self._lengths)
        #: First two characters of every spelling of two or more: most candidate starts in
        #: Chinese text begin some term, but few begin one with the next character too.
        self._heads = frozenset(key[:2] for key in self._forms if len(key) > 1)
        self._chinese = frozenset(key for key in self._forms if HAN_RUN.search(key))
        self._boundaries = WordBoundaries(self._chinese)
        self._judge = Judge(
            frozenset(key for key, entry in self._forms.items() if entry.lang == "zh" and key.isascii())
        )

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

    def senses(self, text: str) -> list[Sense]:
        """Every glossary term in `text` with its confidence, literal uses included, in text order.

        Longest match at the leftmost position; a literal use still takes its place (no shorter
        term is looked for inside 打折后555元's 555), while a Chinese spelling that cuts through a
        longer word (加油 in 加油站) is no match at all and shorter spellings are tried.
        Linear in the length of `text`: every candidate looks at a bounded window around it.
        """
        normal = normalise(text)
        forms, lengths, chinese, heads = self._forms, self._lengths, self._chinese, self._heads
        found: list[Sense] = []
        addresses = _Addresses(text) if _ADDRESS_MARKS.search(text) else None
        segmented: dict[tuple[int, int], float] = {}
        size = len(normal)
        pos = 0
        for candidate in self._starts.finditer(normal):
            start = candidate.start()
            if start < pos:
                continue
            longer = normal[start : start + 2] in heads
            for length in lengths[normal[start]]:
                if length > 1 and not longer:
                    continue
                end = start + length
                key = normal[start:end] if end <= size else ""
                entry = forms.get(key)
                if entry is None or (_is_word_char(key[-1]) and not _ends_word(normal, end)):
                    continue
                # A spelling with its @ (@薯队长) is meant as a mention.
                if addresses is not None and key[0] != "@" and addresses.overlap(start, end):
                    continue
                confidence, reason = self._judge.decide(entry, normal, start, end)
                # A term cutting through a longer word is no match, unless its entry's own
                # slang_when rule says otherwise (data knows more than jieba's frequencies).
                if key in chinese and not reason.startswith("slang_when"):
                    cut = self._boundaries.cut_word(normal, start, end, segmented)
                    if cut:
                        continue
                found.append(Sense(text[start:end], start, end, entry, confidence, reason))
                pos = end
                break
        return found

    def find(self, text: str, notes_in: str = "en") -> list[Note]:
        """The notes for `text`, in text order: every term whose slang sense is clear or possible.

        Offsets index the text as given; `notes_in` is the reader's language (`zh` or `en`):
        `Note.shown_meaning`/`shown_note` are in it where the entry has it.
        """
        return [
            Note.of(s.entry, s.term, s.start, s.end, s.confidence, s.reason, notes_in)
            for s in self.senses(text)
            if s.confidence != "literal"
        ]

    def rewrite(self, text: str, senses: list[Sense] | None = None) -> tuple[str, list[Rewrite]]:
        """Replace each term whose slang sense is clear and that has a plain form by that form,
        e.g. before machine translation. `senses`: the result of `senses(text)`, if at hand."""
        from .rewrite import apply_plain_forms

        return apply_plain_forms(text, self.senses(text) if senses is None else senses)

    def lookup(self, term: str) -> Entry | None:
        """The entry one of whose spellings is `term` (Latin case ignored)."""
        return self._forms.get(normalise(term.strip()))

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


class _Addresses:
    """Whether a span of a text is inside a URL, e-mail address, domain or @mention."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._spans: dict[tuple[int, int], list[tuple[int, int]]] = {}

    def _window(self, start: int, end: int) -> tuple[int, int]:
        """The white-space-free stretch around the span, within aligned blocks of the window
        size (candidates in one long run of letters then share a window)."""
        text = self._text
        low = max(0, start // _ADDRESS_WINDOW * _ADDRESS_WINDOW - _ADDRESS_WINDOW)
        low = max(low, *(text.rfind(space, low, start) + 1 for space in _SPACES))
        high = min(len(text), (end // _ADDRESS_WINDOW + 2) * _ADDRESS_WINDOW)
        found = [at for space in _SPACES if (at := text.find(space, end, high)) != -1]
        return low, min(found, default=high)

    def overlap(self, start: int, end: int) -> bool:
        low, high = self._window(start, end)
        spans = self._spans.get((low, high))
        if spans is None:
            window = self._text[low:high]
            spans = []
            if "@" in window or "." in window or "://" in window:
                spans = [(low + a, low + b) for a, b, kind in protected_spans(window) if kind in _ADDRESS_KINDS]
            self._spans[(low, high)] = spans
        return any(a < end and start < b for a, b in spans)


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
